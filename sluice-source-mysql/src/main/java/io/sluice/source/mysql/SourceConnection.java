package io.sluice.source.mysql;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.UnreachableException;
import io.sluice.source.mysql.tls.SourceTls;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections to the source and turns connection failures into errors a user can act on. */
public final class SourceConnection {

    /** Metadata queries (catalogue, variables, binlog position) answer in far less; a stalled one fails. */
    public static final int METADATA_QUERY_TIMEOUT_MS = 120_000;
    /** Initialization SELECTs stream a chunk's rows; only this long without a byte means a dead connection. */
    public static final int LONG_QUERY_TIMEOUT_MS = 600_000;

    private final JobConfig.Source config;
    private final SourceTls tls;

    public SourceConnection(JobConfig.Source config) {
        this.config = config;
        this.tls = SourceTls.of(config);
    }

    public JobConfig.Source config() { return config; }

    /**
     * A connection for metadata queries: connecting and the handshake take at most
     * source.connectTimeoutSeconds (a service that accepts and never answers fails with its address),
     * then each query may take {@link #METADATA_QUERY_TIMEOUT_MS}.
     */
    public Connection open() {
        return open(METADATA_QUERY_TIMEOUT_MS);
    }

    /**
     * A connection whose queries may wait {@code queryTimeoutMs} for the server's next bytes (long
     * initialization SELECTs); connecting and the handshake are bounded as in {@link #open()}.
     */
    public Connection open(int queryTimeoutMs) {
        Connection c = connect();
        try {
            c.setNetworkTimeout(Runnable::run, queryTimeoutMs);
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw translate(e);
        }
    }

    private Connection connect() {
        Properties p = new Properties();
        p.setProperty("user", config.user);
        p.setProperty("password", config.password == null ? "" : config.password);
        p.setProperty("connectTimeout", String.valueOf(config.connectTimeoutSeconds * 1000));
        // bounds the handshake: Connector/J would otherwise wait for a greeting that never comes
        p.setProperty("socketTimeout", String.valueOf(config.connectTimeoutSeconds * 1000));
        tls.addJdbcProperties(p);
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("useCursorFetch", "false");
        p.setProperty("zeroDateTimeBehavior", "ROUND");
        p.setProperty("connectionTimeZone", "UTC");
        String url = "jdbc:mysql://" + config.host + ":" + config.port + "/";
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            if (tls.fallBackToPlain(e)) return connect();
            if (hasCause(e, java.net.SocketTimeoutException.class)) {
                throw new SluiceException("MySQL at " + config.host + ":" + config.port + " did not answer within "
                        + config.connectTimeoutSeconds + " s (" + rootMessage(e) + ")",
                        "check that source.host/source.port point at a MySQL or MariaDB server and that it is not overloaded;"
                                + " on a slow network raise source.connectTimeoutSeconds", e);
            }
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
            // nothing listening (yet): a service manager may retry; anything that answered is another matter
            if (hasCause(e, java.net.ConnectException.class) || hasCause(e, java.net.NoRouteToHostException.class)) {
                return new UnreachableException("cannot connect to MySQL at " + where + ": " + rootMessage(e),
                        "check source.host and source.port, that the server is running and that no firewall blocks it", e);
            }
            return new SluiceException("cannot connect to MySQL at " + where + ": " + rootMessage(e),
                    "check source.host and source.port, that the server is running and that no firewall blocks it", e);
        }
        return new SluiceException("MySQL at " + where + " failed: " + e.getMessage(), "see the server's error above", e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
