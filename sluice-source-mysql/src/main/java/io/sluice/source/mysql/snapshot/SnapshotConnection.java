package io.sluice.source.mysql.snapshot;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.binlog.BinlogReader;
import io.sluice.source.mysql.value.JdbcValues;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * One JDBC connection reading table data for initialization: binlog watermarks
 * ({@code SHOW MASTER STATUS}) and keyset chunks, with nothing transcoded
 * ({@code character_set_results=NULL}, values read with getBytes), TIMESTAMP text in UTC, and each
 * chunk one autocommit SELECT (one consistent snapshot, REPEATABLE READ). Needs only SELECT and
 * REPLICATION CLIENT.
 */
public final class SnapshotConnection implements AutoCloseable {

    private final SourceConnection source;
    private final ServerInfo server;
    private final Connection c;

    public SnapshotConnection(SourceConnection source, ServerInfo server) {
        this.source = source;
        this.server = server;
        this.c = source.open(SourceConnection.LONG_QUERY_TIMEOUT_MS);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone='+00:00', SESSION character_set_results=NULL");
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            c.setAutoCommit(true);
        } catch (SQLException e) {
            close();
            throw source.translate(e);
        }
    }

    /** The binlog end now: a chunk read between two watermarks saw every transaction before the second. */
    public BinlogOffset watermark() {
        try {
            return BinlogReader.currentOffset(c, server);
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /** The key the table is split by, from its nullability and collations in information_schema. */
    public ChunkKey chooseKey(TableSchema table) {
        Set<String> nullable = new HashSet<>();
        Map<String, String> collations = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, IS_NULLABLE, COLLATION_NAME FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA=? AND TABLE_NAME=?")) {
            ps.setString(1, table.id().database());
            ps.setString(2, table.id().table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
                    if ("YES".equals(new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8))) nullable.add(name);
                    byte[] coll = rs.getBytes(3);
                    if (coll != null) collations.put(name, new String(coll, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
        return ChunkKey.choose(table, nullable, collations);
    }

    /** information_schema.TABLES.TABLE_ROWS: InnoDB's estimate, for progress only. */
    public long estimatedRows(TableId id) {
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) return 0;
                return Long.parseLong(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /**
     * The key {@code n} rows after {@code lower} (text-protocol bytes per key column), or null when
     * fewer rows follow: the upper bound of the chunk that starts after {@code lower}.
     */
    public List<byte[]> boundary(TableSchema table, ChunkKey key, List<byte[]> lower, int n) {
        try (PreparedStatement ps = c.prepareStatement(KeysetQuery.boundary(table, key, lower != null, n))) {
            KeysetQuery.bindRange(ps, table, key, lower, null);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                List<byte[]> bound = new ArrayList<>(key.columns().size());
                for (int k = 0; k < key.columns().size(); k++) bound.add(rs.getBytes(k + 1));
                return bound;
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /**
     * The rows with {@code lower < key <= upper} in key order (a null bound: open on that side), as
     * their cells' text-protocol bytes ({@link JdbcValues#convert} makes each a value): a chunk
     * waits for its high watermark as these arrays alone, not as a value object per cell (fewer
     * objects surviving young collections), and the caller converts a row only as it encodes it.
     */
    public List<byte[][]> chunk(TableSchema table, ChunkKey key, List<byte[]> lower, List<byte[]> upper) {
        try (PreparedStatement ps = c.prepareStatement(KeysetQuery.chunk(table, key, lower != null, upper != null),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(Integer.MIN_VALUE); // streamed: the driver does not hold the raw rows besides ours
            KeysetQuery.bindRange(ps, table, key, lower, upper);
            List<byte[][]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = table.columns().size();
                while (rs.next()) {
                    byte[][] row = new byte[columns][];
                    for (int i = 0; i < row.length; i++) row[i] = rs.getBytes(i + 1);
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /**
     * True when {@code failure} is a lost or killed connection or an interrupted query (network,
     * server restart, {@code KILL}): reading again on a new connection may succeed.
     */
    public static boolean isConnectionLoss(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                if (state != null && state.startsWith("08")) return true;
                switch (e.getErrorCode()) {
                    case 1053, 1317, 1927, 2006, 2013 -> { return true; } // shutdown, interrupted, killed, gone away, lost
                    default -> { }
                }
            }
            if (t instanceof java.io.IOException) return true;
        }
        return false;
    }

    /** Receives the rows of a one-pass read. */
    public interface RowSink {
        void accept(Value[] row) throws InterruptedException;
    }

    /** The whole table in one streamed SELECT (tables without a usable key). */
    public void all(TableSchema table, RowSink sink) throws InterruptedException {
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE); // stream: memory stays bounded whatever the table size
            try (ResultSet rs = s.executeQuery(KeysetQuery.all(table))) {
                List<Column> columns = table.columns();
                while (rs.next()) {
                    Value[] row = new Value[columns.size()];
                    for (int i = 0; i < row.length; i++) row[i] = JdbcValues.convert(columns.get(i), rs.getBytes(i + 1));
                    sink.accept(row);
                }
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /** Ends the connection from another thread, even in the middle of a query. */
    public void abort() {
        try {
            c.abort(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "snapshot-abort");
                t.setDaemon(true);
                return t;
            }));
        } catch (SQLException | RuntimeException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing to do
        }
    }
}
