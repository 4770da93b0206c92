package io.sluice.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark schema and the workloads, written over JDBC as root. Every table has the same 16
 * columns of mixed types; {@code t_us} holds the writer's wall clock in microseconds (latency).
 */
final class Workloads implements AutoCloseable {

    static final String DB = "sluice_bench";
    /** Tables the tools capture (t_probe is for readiness probes). */
    static final List<String> CAPTURED = List.of("t_probe", "t_warm", "t_batch", "t_single", "t_mixed", "t_lat", "t_big");
    static final int COLUMNS = 16;

    private static final String DDL = """
            CREATE TABLE %s (
              id BIGINT NOT NULL PRIMARY KEY,
              t_us BIGINT NOT NULL,
              qty INT NOT NULL,
              small SMALLINT,
              flag TINYINT UNSIGNED,
              price DECIMAL(12,2),
              score DOUBLE,
              name VARCHAR(64),
              code CHAR(8),
              note TEXT,
              created DATETIME(3),
              updated TIMESTAMP(6) NULL,
              day DATE,
              status ENUM('new','paid','shipped','done'),
              tag VARBINARY(16),
              attrs JSON
            ) ENGINE=InnoDB""";

    private static final String COLS = "(id,t_us,qty,small,flag,price,score,name,code,note,created,updated,day,status,tag,attrs)";
    private static final String[] STATUS = {"new", "paid", "shipped", "done"};
    private static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private final String url;
    private final Connection c;
    private final SplittableRandom rnd = new SplittableRandom(42);
    private long nextBatchId = 1, nextSingleId = 1, nextLatId = 1, nextProbeId = 1;
    /** Tables of the mixed workload (t_warm: the warm-up, t_mixed: the measured one). */
    private final java.util.Map<String, Pool> pools = new java.util.HashMap<>();

    /** Ids of a table's live rows, for updates and deletes, and its next id. */
    private static final class Pool {
        long next = 1;
        long[] live = new long[1 << 16];
        int count;

        void add(long id) {
            if (count == live.length) live = java.util.Arrays.copyOf(live, live.length * 2);
            live[count++] = id;
        }
    }

    Workloads(int port) throws SQLException {
        this.url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true"
                + "&allowMultiQueries=true&characterEncoding=utf8&connectionTimeZone=UTC";
        this.c = DriverManager.getConnection(url, "root", "");
    }

    String url() { return url; }

    /** Drops and re-creates the schema, the number table and the initial rows of t_warm and t_mixed. */
    void create(int mixedInitialRows) throws SQLException {
        exec("DROP DATABASE IF EXISTS " + DB);
        exec("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
        for (String t : CAPTURED) exec(String.format(DDL, DB + "." + t));
        exec("CREATE TABLE " + DB + ".nums (n INT NOT NULL PRIMARY KEY)");
        StringBuilder sb = new StringBuilder("INSERT INTO " + DB + ".nums VALUES ");
        for (int i = 0; i < 1000; i++) sb.append(i == 0 ? "" : ",").append('(').append(i).append(')');
        exec(sb.toString());
        for (String table : List.of("t_warm", "t_mixed")) {
            Pool pool = new Pool();
            pools.put(table, pool);
            StringBuilder ins = new StringBuilder();
            for (int i = 0; i < mixedInitialRows; i++) {
                if (ins.length() == 0) ins.append("INSERT INTO " + DB + "." + table + " " + COLS + " VALUES ");
                else ins.append(',');
                long id = pool.next++;
                row(ins, id);
                pool.add(id);
                if ((i + 1) % 1000 == 0) { exec(ins.toString()); ins.setLength(0); }
            }
            if (ins.length() > 0) exec(ins.toString());
        }
    }

    /** The server's binlog end: {file, position}. */
    String[] binlogEnd() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), String.valueOf(rs.getLong(2))};
        }
    }

    /** Flushes and purges old binlog files (each run writes a few hundred MB). */
    void purgeBinlogs() throws SQLException {
        exec("FLUSH BINARY LOGS");
        String[] end = binlogEnd();
        exec("PURGE BINARY LOGS TO '" + end[0] + "'");
    }

    void probe(String nonce) throws SQLException {
        exec("INSERT INTO " + DB + ".t_probe " + COLS + " VALUES " + row(new StringBuilder(), nextProbeId++)
                .toString().replaceFirst("'customer-[^']*'", "'" + nonce + "'"));
    }

    /** (a) rows in multi-row INSERTs of {@code perStatement} rows, one transaction each. */
    void batchInserts(int rows, int perStatement) throws SQLException {
        StringBuilder sb = new StringBuilder();
        int inStatement = 0;
        for (int i = 0; i < rows; i++) {
            if (inStatement == 0) sb.append("INSERT INTO " + DB + ".t_batch " + COLS + " VALUES ");
            else sb.append(',');
            row(sb, nextBatchId++);
            if (++inStatement == perStatement) { exec(sb.toString()); sb.setLength(0); inStatement = 0; }
        }
        if (sb.length() > 0) exec(sb.toString());
    }

    /** (b) single-row autocommit INSERTs (sent 100 statements per round trip; each commits on its own). */
    void singleInserts(int rows) throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append("INSERT INTO " + DB + ".t_single " + COLS + " VALUES ");
            row(sb, nextSingleId++);
            sb.append(';');
            if ((i + 1) % 100 == 0) { exec(sb.toString()); sb.setLength(0); }
        }
        if (sb.length() > 0) exec(sb.toString());
    }

    /**
     * (c) transactions of 10 single-row statements on {@code table} (t_mixed, or t_warm for the
     * warm-up): 5 INSERT, 3 UPDATE (5 columns), 2 DELETE. Events = 10 per transaction. Sent 10
     * transactions per round trip.
     */
    void mixed(String table, int events) throws SQLException {
        Pool pool = pools.get(table);
        String t = DB + "." + table;
        StringBuilder sb = new StringBuilder();
        int txns = events / 10;
        for (int x = 0; x < txns; x++) {
            sb.append("BEGIN;");
            for (int k = 0; k < 5; k++) {
                long id = pool.next++;
                sb.append("INSERT INTO ").append(t).append(' ').append(COLS).append(" VALUES ");
                row(sb, id);
                sb.append(';');
                pool.add(id);
            }
            for (int k = 0; k < 3; k++) {
                long id = pool.live[rnd.nextInt(pool.count)];
                sb.append("UPDATE ").append(t).append(" SET t_us=").append(nowMicros())
                        .append(",qty=").append(rnd.nextInt(1_000_000))
                        .append(",price=").append(rnd.nextInt(10_000_000) / 100.0)
                        .append(",status='").append(STATUS[rnd.nextInt(4)]).append('\'')
                        .append(",updated='").append(dateTime(rnd.nextInt(100_000_000), true)).append('\'')
                        .append(" WHERE id=").append(id).append(';');
            }
            for (int k = 0; k < 2; k++) {
                int i = rnd.nextInt(pool.count);
                long id = pool.live[i];
                pool.live[i] = pool.live[--pool.count];
                sb.append("DELETE FROM ").append(t).append(" WHERE id=").append(id).append(';');
            }
            sb.append("COMMIT;");
            if ((x + 1) % 10 == 0) { exec(sb.toString()); sb.setLength(0); }
        }
        if (sb.length() > 0) exec(sb.toString());
    }

    /**
     * Offered load for the latency test: every {@code tickMs} one INSERT of {@code rowsPerTick}
     * rows (autocommit), t_us set to the wall clock just before the statement is sent. Runs
     * {@code seconds}, keeping the average rate even when a tick is late. Returns rows written.
     */
    long steadyLoad(double seconds, int tickMs, int rowsPerTick) throws SQLException {
        long start = System.nanoTime();
        long ticks = Math.round(seconds * 1000 / tickMs);
        long rows = 0;
        StringBuilder sb = new StringBuilder();
        for (long k = 0; k < ticks; k++) {
            long due = start + k * tickMs * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            sb.setLength(0);
            sb.append("INSERT INTO " + DB + ".t_lat " + COLS + " VALUES ");
            for (int i = 0; i < rowsPerTick; i++) {
                if (i > 0) sb.append(',');
                row(sb, nextLatId++);
            }
            exec(sb.toString());
            rows += rowsPerTick;
        }
        return rows;
    }

    /** The initialization's table: its own schema, so that it outlives a run's DROP DATABASE and is loaded once. */
    static final String INIT_DB = "sluice_bench_init", INIT_TABLE = INIT_DB + ".t_init";

    /**
     * Makes t_init hold exactly {@code rows} rows (ids 1..rows), loading it only when it does not:
     * INSERT ... SELECT of up to 1M generated rows per statement, outside the binlog
     * ({@code sql_log_bin=0}: no tool reads this table's changes, only its initialization reads it).
     * Returns the seconds the load took (0: reused).
     */
    double ensureInitTable(long rows) throws SQLException {
        exec("CREATE DATABASE IF NOT EXISTS " + INIT_DB + " CHARACTER SET utf8mb4");
        exec(String.format(DDL.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"), INIT_TABLE));
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM " + INIT_TABLE)) {
            rs.next();
            if (rs.getLong(1) == rows && rs.getLong(2) == rows) return 0;
        }
        long t = System.nanoTime();
        exec("TRUNCATE TABLE " + INIT_TABLE);
        exec("SET sql_log_bin=0");
        try {
            for (long from = 0; from < rows; from += 1_000_000) {
                generate(INIT_TABLE, from, (int) Math.min(1_000_000, rows - from));
            }
        } finally {
            exec("SET sql_log_bin=1");
        }
        return (System.nanoTime() - t) / 1e9;
    }

    /** One INSERT ... SELECT of {@code rows} (≤ 1M) rows into t_big: a single transaction. */
    void bigTransaction(int rows) throws SQLException {
        generate(DB + ".t_big", 0, rows);
    }

    /** One INSERT ... SELECT of {@code rows} (≤ 1M) generated rows, ids offset+1..offset+rows. */
    private void generate(String table, long offset, int rows) throws SQLException {
        exec("INSERT INTO " + table + " " + COLS + " SELECT " + offset + "+a.n*1000+b.n+1, " + nowMicros() + ","
                + " (a.n*7919+b.n) % 1000000, (b.n*31) % 30000 - 15000, b.n % 256,"
                + " CAST(((a.n*1000+b.n) % 9999991) / 100 AS DECIMAL(12,2)), (a.n*1000+b.n) / 7.0,"
                + " CONCAT('customer-', a.n, '-', b.n, '-', LEFT(MD5(a.n*1000+b.n), 12)), LEFT(MD5(b.n), 8),"
                + " CONCAT('note ', MD5(a.n), ' ', MD5(b.n)),"
                + " TIMESTAMP('2024-01-01 00:00:00.123') + INTERVAL (a.n*1000+b.n) SECOND,"
                + " TIMESTAMP('2024-06-01 12:00:00.123456') + INTERVAL b.n MINUTE,"
                + " DATE('2020-01-01') + INTERVAL a.n DAY, ELT(1 + b.n % 4, 'new','paid','shipped','done'),"
                + " UNHEX(MD5(a.n*1000+b.n)), JSON_OBJECT('k', a.n, 'v', b.n, 's', 'abc')"
                + " FROM " + DB + ".nums a CROSS JOIN " + DB + ".nums b WHERE a.n*1000+b.n < " + rows);
    }

    /** Streams {@code SELECT * FROM table} with Connector/J (as user sluice), reading every column; returns rows. */
    long jdbcRead(String table) throws SQLException {
        if (!table.contains(".")) table = DB + "." + table;
        try (Connection r = DriverManager.getConnection(url + "&useCursorFetch=false", "sluice", "sluice");
             Statement s = r.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream rows instead of buffering the result
            long rows = 0, sink = 0;
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        Object o = rs.getObject(i);
                        if (o != null) sink += o.hashCode();
                    }
                    rows++;
                }
            }
            if (sink == 42) System.out.print(""); // keep the reads
            return rows;
        }
    }

    long count(String table) throws SQLException {
        if (!table.contains(".")) table = DB + "." + table;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            while (s.getMoreResults() || s.getUpdateCount() != -1) { /* drain multi-statement results */ }
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** One VALUES tuple of the 16 columns; strings vary in length, tag is 16 random bytes. */
    private StringBuilder row(StringBuilder sb, long id) {
        sb.append('(').append(id).append(',').append(nowMicros()).append(',')
                .append(rnd.nextInt(1_000_000)).append(',')
                .append(rnd.nextInt(60_000) - 30_000).append(',')
                .append(rnd.nextInt(256)).append(',')
                .append(rnd.nextInt(100_000_000) / 100.0).append(',')
                .append(rnd.nextDouble() * 1e6).append(",'customer-").append(id).append('-');
        alnum(sb, 8 + rnd.nextInt(24));
        sb.append("','");
        alnum(sb, 8);
        sb.append("','");
        int words = 4 + rnd.nextInt(12);
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(' ');
            alnum(sb, 3 + rnd.nextInt(7));
        }
        sb.append("','").append(dateTime(rnd.nextInt(300_000_000), false))
                .append("','").append(dateTime(rnd.nextInt(300_000_000), true))
                .append("','").append(LocalDate.of(2000, 1, 1).plusDays(rnd.nextInt(10_000)))
                .append("','").append(STATUS[rnd.nextInt(4)]).append("',X'");
        for (int i = 0; i < 16; i++) {
            int b = rnd.nextInt(256);
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        sb.append("','{\"k\": ").append(id).append(", \"v\": \"");
        alnum(sb, 6);
        sb.append("\", \"n\": [1, 2, 3]}')");
        return sb;
    }

    private void alnum(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append(ALNUM[rnd.nextInt(ALNUM.length)]);
    }

    private String dateTime(int seconds, boolean micros) {
        LocalDateTime t = LocalDateTime.of(2015, 1, 1, 0, 0).plusSeconds(seconds);
        String base = t.toLocalDate() + " " + t.toLocalTime().toString();
        if (base.length() == 16) base += ":00";
        return micros ? base + "." + String.format("%06d", rnd.nextInt(1_000_000))
                : base + "." + String.format("%03d", rnd.nextInt(1000));
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
