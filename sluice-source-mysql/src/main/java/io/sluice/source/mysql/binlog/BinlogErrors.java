package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.source.mysql.SourceConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Error 1236 (ER_MASTER_FATAL_ERROR_READING_BINLOG) covers unrelated causes (and MariaDB reports a
 * second connection with this server_id under another code), told apart by the
 * server's message: each gets its own fix, and re-initializing is advised only when the binlog the
 * checkpoint needs is really gone (for a missing file, checked with SHOW BINARY LOGS).
 */
final class BinlogErrors {

    private static final String REINITIALIZE = "`sluice run --reinitialize` (a new snapshot: consumers see INIT records again)";

    private BinlogErrors() {}

    /** @param file the binlog file the job asked for; @param position the position in it */
    static SluiceException explain1236(ServerException e, JobConfig.Source config, String file, long position) {
        String where = config.host + ":" + config.port;
        String msg = String.valueOf(e.getMessage());
        String m = msg.toLowerCase(Locale.ROOT);
        String at = file == null ? "" : " at " + file + ":" + position;
        if (sameServerId(e)) {
            return new SluiceException("MySQL at " + where + " dropped this job's binlog connection: another replica or job connected"
                    + " with the same server_id " + config.serverId + " (source.serverId) [" + msg + "]",
                    "give every job and every replica of the source its own server id: change source.serverId of one of them"
                            + " (`sluice check` lists the connected replicas); if it is a second instance of this job (same job"
                            + " name), which took over, do not change the id: run one instance per job name", e);
        }
        if (m.contains("purged binary logs containing gtids") || m.contains("purged required binary logs")
                || m.contains("could not find gtid state") || m.contains("which is not in the master's binlog")
                || m.contains("which is not in the source's binlog")) {
            return new SluiceException("MySQL at " + where + " no longer has binlogs with transactions the checkpoint's GTID set still"
                    + " needs (purged) [" + msg + "]", "the changes since the checkpoint are gone from the binlog: restore the binlog"
                    + " files, or re-initialize the job with " + REINITIALIZE, e);
        }
        if (m.contains("more gtids than") || m.contains("has more gtids") || (m.contains("gtid") && m.contains("malformed"))) {
            return new SluiceException("MySQL at " + where + " refuses the checkpoint's GTID set: it holds transactions this server"
                    + " never executed (the checkpoint is from another server, or this one was rebuilt) [" + msg + "]",
                    "point source.host at the server (or replication group) the job read from; if the source was rebuilt,"
                            + " re-initialize the job with " + REINITIALIZE, e);
        }
        if (m.contains("could not find first log file name")) {
            List<String> logs = binaryLogs(config);
            if (logs != null && file != null && logs.contains(file)) {
                return new SluiceException("MySQL at " + where + " cannot open binlog file " + file + " although SHOW BINARY LOGS"
                        + " lists it [" + msg + "]", "check the binlog index file and the server's error log", e);
            }
            return new SluiceException("MySQL at " + where + " cannot serve the binlog" + at + ": the file was purged"
                    + (logs == null || logs.isEmpty() ? "" : " (the oldest binlog now is " + logs.get(0) + ")") + " [" + msg + "]",
                    "the changes since the checkpoint are gone from the binlog: restore the binlog files, or re-initialize the job with "
                            + REINITIALIZE, e);
        }
        if (m.contains("could not find next log")) { // the file being streamed is gone: RESET MASTER (or files removed) meanwhile
            return new SluiceException("MySQL at " + where + " lost the binlog file the job was streaming" + at + ": the binlog was reset"
                    + " (RESET MASTER) or its files removed while the job read it, so the changes since are in a new binlog the"
                    + " checkpoint cannot point into [" + msg + "]", "re-initialize the job with " + REINITIALIZE
                    + "; if the files were removed by mistake, restore them and start the job again", e);
        }
        if (m.contains("max_allowed_packet")) {
            return new SluiceException("MySQL at " + where + " cannot send the binlog" + at + ": an event is larger than its"
                    + " max_allowed_packet, or the position is not at the start of an event [" + msg + "]",
                    "raise max_allowed_packet on the source (SET GLOBAL max_allowed_packet=1073741824 and in my.cnf), then start"
                            + " the job again", e);
        }
        if (m.contains("bogus data") || m.contains("position") || m.contains("truncated") || m.contains("event too small")
                || m.contains("invalid") || m.contains("corrupt")) {
            return new SluiceException("MySQL at " + where + " cannot read its binlog" + at + ": the position is past the end of"
                    + " the file or not at the start of an event (the binlog was reset or rewritten, or belongs to another server) ["
                    + msg + "]", "check that source.host is the server the job read from; if its binlog was reset or the"
                    + " server rebuilt, re-initialize the job with " + REINITIALIZE, e);
        }
        return new SluiceException("MySQL at " + where + " refused to stream the binlog" + at + " [" + msg + "]",
                "see the server's error log for the cause", e);
    }

    /** Another connection with this server_id (MariaDB says so with its own error code, not 1236). */
    static boolean sameServerId(ServerException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("same server_uuid") || m.contains("same server_id") || m.contains("same server id");
    }

    /** The binlog files the server has (SHOW BINARY LOGS), or null if it cannot be asked. */
    private static List<String> binaryLogs(JobConfig.Source config) {
        try (Connection c = new SourceConnection(config).open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            List<String> files = new ArrayList<>();
            while (rs.next()) files.add(rs.getString(1));
            return files;
        } catch (SQLException | SluiceException e) {
            return null;
        }
    }
}
