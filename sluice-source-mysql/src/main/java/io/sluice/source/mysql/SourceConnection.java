package io.sluice.source.mysql;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.source.mysql.tls.SourceTls;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections to the source and turns connection failures into errors a user can act on. */
public final class SourceConnection {

    private final JobConfig.Source config;
    private final SourceTls tls;

    public SourceConnection(JobConfig.Source config) {
        this.config = config;
        this.tls = SourceTls.of(config);
    }

    public JobConfig.Source config() { return config; }

    public Connection open() {
        Properties p = new Properties();
        p.setProperty("user", config.user);
        p.setProperty("password", config.password == null ? "" : config.password);
        p.setProperty("connectTimeout", String.valueOf(config.connectTimeoutSeconds * 1000));
        p.setProperty("socketTimeout", "600000");
        tls.addJdbcProperties(p);
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("useCursorFetch", "false");
        p.setProperty("zeroDateTimeBehavior", "ROUND");
        p.setProperty("connectionTimeZone", "UTC");
        String url = "jdbc:mysql://" + config.host + ":" + config.port + "/";
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            if (tls.fallBackToPlain(e)) return open();
            throw translate(e);
        }
    }

    public SluiceException translate(SQLException e) {
        String where = config.host + ":" + config.port;
        SluiceException tlsProblem = tls.translate(e);
        if (tlsProblem != null) return tlsProblem;
        int code = e.getErrorCode();
        if (code == 1045) {
            return new SluiceException("MySQL at " + where + " rejected user '" + config.user + "': access denied",
                    "check source.user and source.password (and the host part of the account)", e);
        }
        if ("08001".equals(e.getSQLState()) || "08S01".equals(e.getSQLState())) {
            return new SluiceException("cannot connect to MySQL at " + where + ": " + rootMessage(e),
                    "check source.host and source.port, that the server is running and that no firewall blocks it", e);
        }
        return new SluiceException("MySQL at " + where + " failed: " + e.getMessage(), "see the server's error above", e);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
