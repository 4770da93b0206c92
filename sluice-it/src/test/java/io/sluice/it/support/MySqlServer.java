package io.sluice.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A running test server: root over TCP for setup, and the replication account Sluice uses. */
public record MySqlServer(Flavor flavor, String host, int port) {

    public static final String SLUICE_USER = "sluice";
    public static final String SLUICE_PASSWORD = "sluice";

    public Connection root() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port
                + "/?user=root&password=&sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC"
                + "&zeroDateTimeBehavior=CONVERT_TO_NULL&allowMultiQueries=true");
    }

    /** Drops and creates {@code db}, then runs the statements (typically its CREATE TABLEs). */
    public void freshDatabase(String db, String... statements) throws SQLException {
        String[] all = new String[statements.length + 2];
        all[0] = "DROP DATABASE IF EXISTS " + db;
        all[1] = "CREATE DATABASE " + db;
        System.arraycopy(statements, 0, all, 2, statements.length);
        exec(all);
    }

    /** Runs statements as root in one session with sql_mode='' (zero dates) and UTC. */
    public void exec(String... sql) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'");
            for (String q : sql) s.execute(q);
        }
    }
}
