package io.sluice.it.support;

/**
 * The source servers the integration tests run against. Most tests run on the first three
 * ({@code @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})}); the other
 * versions are proved by the tests that opt into them by name (TypeMatrixIT, CrashIT, PrecheckIT, MySql55IT, MySql56IT), which keeps the suite short.
 */
public enum Flavor {
    MYSQL57("mysql57", "SLUICE_MYSQL57_PORT", 13057),
    MYSQL80("mysql80", "SLUICE_MYSQL80_PORT", 13080),
    MARIADB("mariadb", "SLUICE_MARIADB_PORT", 13110),
    /** MySQL 8.0.31 with binlog_transaction_compression=ON: every transaction arrives as a zstd TRANSACTION_PAYLOAD. */
    MYSQL831("mysql831", "SLUICE_MYSQL831_PORT", 13831),
    /** MySQL 5.5.9: no GTIDs, no checksums, v1 row events, old temporal formats, a short greeting (MySql55IT). */
    MYSQL55("mysql55", "SLUICE_MYSQL55_PORT", 13055),
    /** MySQL 5.6.14: GTIDs, CRC32 checksums, v2 row events, the 5.6.4+ temporal formats, no JSON (MySql56IT, CrashIT, SchemaHistoryIT). */
    MYSQL56("mysql56", "SLUICE_MYSQL56_PORT", 13056),
    /** MariaDB 10.2.11: MariaDB GTIDs, CRC32 checksums, no binlog_row_metadata (TypeMatrixIT, InitializationIT, SchemaHistoryIT). */
    MARIADB102("mariadb102", "SLUICE_MARIADB102_PORT", 13102);

    public final String server;
    private final String portEnv;
    private final int defaultPort;

    Flavor(String server, String portEnv, int defaultPort) {
        this.server = server;
        this.portEnv = portEnv;
        this.defaultPort = defaultPort;
    }

    /** MariaDB rather than MySQL: its GTIDs (domain-server-sequence), JSON as LONGTEXT. */
    public boolean mariadb() {
        return server.startsWith("mariadb");
    }

    /** SLUICE_IT_FLAVORS=mysql57,mariadb limits a local run to some servers; CI runs all. */
    public boolean enabled() {
        String only = System.getenv("SLUICE_IT_FLAVORS");
        return only == null || only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(server);
    }

    public MySqlServer start() {
        org.junit.jupiter.api.Assumptions.assumeTrue(enabled(), server + " is not in SLUICE_IT_FLAVORS");
        Servers.ensure(server);
        return new MySqlServer(this, "127.0.0.1", Servers.port(portEnv, defaultPort));
    }
}
