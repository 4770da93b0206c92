package io.sluice.source.mysql;

import io.sluice.core.error.SluiceException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** What Sluice needs to know about the source server, read once at start. */
public record ServerInfo(String version, boolean mariaDb, Map<String, String> variables) {

    public static ServerInfo read(Connection c) throws SQLException {
        String version;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            version = rs.getString(1);
        }
        Map<String, String> vars = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image',"
                        + "'server_id','server_uuid','gtid_mode','log_slave_updates','binlog_transaction_compression',"
                        + "'binlog_row_metadata','gtid_strict_mode','max_allowed_packet','binlog_row_value_options','log_bin_compress')")) {
            while (rs.next()) vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
        }
        return new ServerInfo(version, version.toLowerCase(Locale.ROOT).contains("mariadb"), vars);
    }

    public String variable(String name) { return variables.get(name); }

    /**
     * Which server this is, kept in checkpoints: a binlog file/position means something on that
     * server only. MySQL: its server_uuid (auto.cnf in the datadir: survives restarts and moves, a
     * clone without auto.cnf gets a new one). MariaDB has no server_uuid: its server_id, which must
     * differ between servers replicating with one another, i.e. exactly between a primary and the
     * replica a job fails over to (its hostname is no identity: it changes with containers).
     */
    public String identity() {
        if (mariaDb) return "MariaDB server_id " + variables.get("server_id");
        String uuid = variables.get("server_uuid");
        // MySQL before 5.6 has no server_uuid: its server_id, as on MariaDB
        return uuid == null || uuid.isEmpty() ? "MySQL server_id " + variables.get("server_id") : "MySQL server_uuid " + uuid;
    }

    public boolean gtidMode() {
        return mariaDb || "ON".equalsIgnoreCase(variables.get("gtid_mode"));
    }

    /** Stops the job unless the server writes a binlog Sluice can read: on, ROW, FULL images. */
    public void requireRowBinlog(String where) {
        String logBin = variables.getOrDefault("log_bin", "OFF");
        if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
            throw new SluiceException("binary logging is off on the source " + where,
                    "set log_bin=mysql-bin and a server_id in the server's my.cnf and restart it");
        }
        String format = variables.getOrDefault("binlog_format", "");
        if (!"ROW".equalsIgnoreCase(format)) {
            throw new SluiceException("binlog_format is " + format + " on the source " + where + ", Sluice needs ROW",
                    "SET GLOBAL binlog_format='ROW' and put binlog_format=ROW in my.cnf (existing sessions keep the old format until they reconnect)");
        }
        String image = variables.get("binlog_row_image");
        if (image != null && !"FULL".equalsIgnoreCase(image)) {
            throw new SluiceException("binlog_row_image is " + image + " on the source " + where + ", Sluice needs FULL",
                    "SET GLOBAL binlog_row_image='FULL' and put binlog_row_image=FULL in my.cnf");
        }
    }
}
