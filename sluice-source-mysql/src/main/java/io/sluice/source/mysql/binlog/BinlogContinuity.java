package io.sluice.source.mysql.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a checkpoint's binlog position still belongs to the binlog it was taken in, on the server it
 * was taken on. After RESET MASTER (or a restore from an older backup) files and GTIDs are numbered again
 * from the start; once the server has written past the checkpoint's file and position, resuming there (or
 * by its GTID set, which now covers the new transactions with the old numbers) would skip changes in
 * silence. In the binlog the checkpoint was taken in, its position is the start of an event, and a
 * transaction starting there is not in its GTID set: either failing shows another binlog.
 */
public final class BinlogContinuity {

    private static final Pattern MYSQL_GTID = Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]{36}):(\\d+)'");
    private static final Pattern MARIADB_GTID = Pattern.compile("GTID (\\d+)-(\\d+)-(\\d+)");

    private BinlogContinuity() {}

    /**
     * What shows the binlog at {@code file:position} is not the one of the checkpoint, or null when nothing
     * does (also when the file is gone: purging is told apart elsewhere).
     *
     * @param gtids the checkpoint's GTID set (MySQL) or position (MariaDB), empty without GTIDs
     */
    public static String problem(Connection c, boolean mariaDb, String file, long position, String gtids) {
        try {
            if (!hasFile(c, file)) return null;
        } catch (SQLException e) {
            return null; // cannot tell: the checks that need the binlog report what is wrong with it
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + file.replace("'", "''") + "' FROM " + position + " LIMIT 1")) {
            if (!rs.next()) return null; // the end of the file
            String type = rs.getString("Event_type");
            String info = rs.getString("Info");
            if (!"Gtid".equalsIgnoreCase(type) || info == null || gtids == null || gtids.isEmpty()) return null;
            String gtid = mariaDb ? mariaDbGtidIn(info, gtids) : mySqlGtidIn(info, gtids);
            return gtid == null ? null : "the transaction at " + file + ":" + position + " (GTID " + gtid
                    + ") is one the checkpoint's GTID set already holds";
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("wrong offset") || m.contains("truncated in the middle") || m.contains("bogus") || m.contains("event too small")) {
                return file + ":" + position + " is not the start of an event in the server's binlog (" + e.getMessage() + ")";
            }
            return null; // another reason (e.g. the file went meanwhile): not evidence of a reset
        }
    }

    private static boolean hasFile(Connection c, String file) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) if (file.equals(rs.getString(1))) return true;
        }
        return false;
    }

    /** The GTID in a MySQL Gtid event's text if the set {@code uuid:a-b[:c-d],...} holds it, else null. */
    static String mySqlGtidIn(String info, String set) {
        Matcher m = MYSQL_GTID.matcher(info);
        if (!m.find()) return null;
        String uuid = m.group(1).toLowerCase(Locale.ROOT);
        long n = Long.parseLong(m.group(2));
        for (String part : set.replaceAll("\\s", "").split(",")) {
            String[] fields = part.split(":");
            if (fields.length < 2 || !fields[0].equalsIgnoreCase(uuid)) continue;
            for (int i = 1; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                long from = Long.parseLong(range[0]);
                long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                if (n >= from && n <= to) return uuid + ":" + n;
            }
        }
        return null;
    }

    /** The GTID in a MariaDB Gtid event's text if the position {@code d-s-n,...} is at or past it in its domain, else null. */
    static String mariaDbGtidIn(String info, String position) {
        Matcher m = MARIADB_GTID.matcher(info);
        if (!m.find()) return null;
        Map<Long, Long> seqByDomain = new HashMap<>();
        for (String part : position.replaceAll("\\s", "").split(",")) {
            String[] f = part.split("-");
            if (f.length == 3) seqByDomain.merge(Long.parseLong(f[0]), Long.parseLong(f[2]), Math::max);
        }
        long domain = Long.parseLong(m.group(1));
        long seq = Long.parseLong(m.group(3));
        Long done = seqByDomain.get(domain);
        return done != null && seq <= done ? m.group(1) + "-" + m.group(2) + "-" + m.group(3) : null;
    }
}
