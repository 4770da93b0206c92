package io.sluice.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MySQL server of this test's own, started from the project's installed binaries with its own
 * datadir, socket, pid file and a free port under {@code dir}: for settings the shared servers must
 * not get (TLS certificates). {@link #close()} stops it, also after a failed test.
 */
public final class PrivateMySql implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private PrivateMySql(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** {@code dist}: mysql80, mysql57 or mariadb (Debian's 10.11); {@code extraCnf}: lines added to [mysqld]. */
    public static PrivateMySql start(String dist, Path dir, String... extraCnf) throws IOException, InterruptedException {
        Servers.ensure(dist); // installs the binaries if missing (the shared server is already up)
        boolean mariadb = dist.equals("mariadb");
        Path base = mariadb ? Path.of("/usr") : serversDir().resolve("dist").resolve(dist);
        Path mysqld = mariadb ? base.resolve("sbin/mariadbd") : base.resolve("bin/mysqld");
        int port = freePort();
        Files.createDirectories(dir.resolve("tmp"));
        // server-id 20000+: a replica of a shared server (TopologyIT) must not meet a job's id there (CrashIT: 9100-9799)
        String cnf = String.join("\n", List.of("[mysqld]",
                "user=" + System.getProperty("user.name"), "basedir=" + base, "datadir=" + dir.resolve("data"),
                "tmpdir=" + dir.resolve("tmp"), "socket=" + dir.resolve("mysqld.sock"), "pid-file=" + dir.resolve("mysqld.pid"),
                "log-error=" + dir.resolve("mysqld.log"), "port=" + port, "bind-address=127.0.0.1", "skip-name-resolve",
                mariadb ? "" : "lc-messages-dir=" + base.resolve("share"), "server-id=" + (20000 + port % 10000), "log-bin=mysql-bin",
                "binlog_format=ROW", "binlog_row_image=FULL", "character-set-server=utf8mb4", "innodb_buffer_pool_size=32M",
                "performance_schema=OFF", "innodb_use_native_aio=OFF", "innodb_flush_log_at_trx_commit=2", "sync_binlog=0",
                dist.equals("mysql80") ? "mysqlx=OFF" : mariadb ? "" : "explicit_defaults_for_timestamp=ON",
                dist.equals("mysql80") ? "default_authentication_plugin=mysql_native_password" : "")) + "\n"
                + String.join("\n", extraCnf) + "\n";
        // root@127.0.0.1 (skip-name-resolve: root@localhost does not match TCP clients), at every start
        Path initFile = dir.resolve("init.sql");
        Files.writeString(initFile, "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n");
        cnf += "init-file=" + initFile + "\n";
        Path cnfFile = dir.resolve("my.cnf");
        Files.writeString(cnfFile, cnf);
        // MariaDB: root@localhost/127.0.0.1/::1 with an empty password (not unix_socket), no test database
        Process init = new ProcessBuilder(mariadb
                ? List.of("mariadb-install-db", "--defaults-file=" + cnfFile, "--user=" + System.getProperty("user.name"),
                        "--auth-root-authentication-method=normal", "--skip-test-db")
                : List.of(mysqld.toString(), "--defaults-file=" + cnfFile, "--initialize-insecure"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("initialize.log").toFile()).start();
        if (!init.waitFor(5, TimeUnit.MINUTES) || init.exitValue() != 0) {
            init.destroyForcibly();
            throw new IllegalStateException((mariadb ? "mariadb-install-db" : "mysqld --initialize-insecure") + " failed: " + log(dir)
                    + " " + log(dir, "initialize.log"));
        }
        Process p = new ProcessBuilder(mysqld.toString(), "--defaults-file=" + cnfFile)
                .redirectErrorStream(true).redirectOutput(dir.resolve("mysqld.out").toFile()).start();
        PrivateMySql server = new PrivateMySql(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try (Connection c = server.rootOverSocketlessTcp()) {
                return server;
            } catch (SQLException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("private mysqld did not start: " + log(dir), notYet);
                }
                Thread.sleep(300);
            }
        }
    }

    public int port() { return port; }

    public MySqlServer server(Flavor flavor) { return new MySqlServer(flavor, "127.0.0.1", port); }

    /** root@localhost over TCP (initialize-insecure: no password), without TLS. */
    public Connection rootOverSocketlessTcp() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/?user=root&password=&sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC&allowMultiQueries=true");
    }

    public void exec(String... sql) throws SQLException {
        try (Connection c = rootOverSocketlessTcp(); java.sql.Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }

    public static Path serversDir() {
        String env = System.getenv("SLUICE_SERVERS_DIR");
        return env == null || env.isEmpty() ? Servers.root().resolve(".servers") : Path.of(env);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String log(Path dir) {
        return log(dir, "mysqld.log");
    }

    private static String log(Path dir, String name) {
        try {
            Path log = dir.resolve(name);
            String text = Files.exists(log) ? Files.readString(log) : "(no " + name + ")";
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL): only this process, never the shared servers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
