package io.sluice.source.mysql;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.binlog.BinlogReader;
import io.sluice.source.mysql.schema.Dialect;
import io.sluice.source.mysql.schema.SchemaHistory;
import io.sluice.source.mysql.schema.TableDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The schema history of the source (see {@link SchemaHistory}, docs/schema-history.md) bound to
 * the live server: the catalogue snapshot at start ({@link #put}), then every DDL statement of the
 * binlog ({@link #applyDdl}), so {@link #get} answers with the definition at the reader's position.
 * The server is asked only for the snapshot, for database defaults the binlog has not shown, and
 * to re-read a table after a statement the parser cannot handle when that is provably safe.
 *
 * <p>Persistence: {@link #toJson(BinlogOffset)} at a checkpoint, {@link #fromJson} at a restart
 * from that checkpoint (instead of {@link #put} from the catalogue, which is ahead by then).
 */
public final class SchemaCache {

    private static final Logger log = LoggerFactory.getLogger(SchemaCache.class);

    private final Catalog catalog;
    private volatile SchemaHistory history;
    private final SchemaHistory.Server server = new LiveServer();

    public SchemaCache(Catalog catalog) {
        this.catalog = catalog;
    }

    private SchemaCache(Catalog catalog, String json) {
        this.catalog = catalog;
        this.history = SchemaHistory.fromJson(json, server);
    }

    /** A history restored from {@link #toJson(BinlogOffset)}; it is the snapshot at that checkpoint. */
    public static SchemaCache fromJson(String json, Catalog catalog) {
        return new SchemaCache(catalog, json);
    }

    /** The history at the checkpoint {@code upTo}; earlier versions are dropped. */
    public String toJson(BinlogOffset upTo) {
        return history().toJson(upTo);
    }

    /** Which version is in force at {@code upTo}; see {@link SchemaHistory#versionAt}. */
    public BinlogOffset versionAt(BinlogOffset upTo) {
        return history().versionAt(upTo);
    }

    public SchemaHistory history() {
        SchemaHistory h = history;
        if (h == null) {
            synchronized (this) {
                if (history == null) history = snapshotStart();
                h = history;
            }
        }
        return h;
    }

    /** Adds a table of the start snapshot, as the catalogue describes it now. */
    public void put(TableSchema schema) {
        SchemaHistory h = history();
        try (Connection c = catalog.source().open()) {
            h.put(TableDef.of(schema, tableCharset(c, schema.id(), h.dialect())));
        } catch (SQLException e) {
            throw catalog.source().translate(e);
        }
    }

    /** The table's definition at the reader's position, or null if the history has none. */
    public TableSchema get(TableId id) {
        return history().get(id);
    }

    /** See {@link SchemaHistory#revision()}. */
    public Object revision() {
        return history().revision();
    }

    /**
     * Back to the state at {@code offset} (a checkpoint the reader resumes from after a reconnect in
     * the same process): statements after it are applied again as the reader meets them.
     */
    public void rewind(BinlogOffset offset) {
        history().rewind(offset);
    }

    /**
     * A DDL statement from the binlog, in the context of its default database, ending at {@code end}.
     * Returns the tables it changed and the selected tables it renamed in or dropped (see {@link SchemaHistory#applyStatement}).
     */
    public SchemaHistory.Applied applyDdl(String defaultDatabase, String sql, BinlogOffset end, Predicate<TableId> selected) {
        return history().applyStatement(defaultDatabase, sql, end, selected);
    }

    /** A TABLE_MAP event's nullability of the table's columns; see {@link SchemaHistory#nullability}. */
    public java.util.Map<String, Boolean> nullability(TableId id, java.util.BitSet nullable, int columns, BinlogOffset end) {
        return history().nullability(id, nullable, columns, end);
    }

    private volatile java.util.Map<Integer, String> collations;

    /**
     * The charset of a collation id as the history names it, or null if the server does not list
     * it; read from the server once, when the binlog first carries collation ids.
     */
    public String charsetOfCollation(int id) {
        java.util.Map<Integer, String> m = collations;
        if (m == null) {
            m = new java.util.HashMap<>();
            Dialect d = history().dialect();
            try (Connection c = catalog.source().open(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL")) {
                while (rs.next()) m.put(rs.getInt(1), d.charset(rs.getString(2)));
            } catch (SQLException e) {
                log.warn("cannot read the server's collations ({}); charsets are not cross-checked with the binlog", e.getMessage());
            }
            collations = m;
        }
        return m.get(id);
    }

    // ---------------------------------------------------------------- the live server

    private SchemaHistory snapshotStart() {
        try (Connection c = catalog.source().open()) {
            Dialect d = dialect(c);
            SchemaHistory h = new SchemaHistory(d, server);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA")) {
                while (rs.next()) h.putDatabase(rs.getString(1), rs.getString(2));
            }
            return h;
        } catch (SQLException e) {
            throw catalog.source().translate(e);
        }
    }

    static Dialect dialect(Connection c) throws SQLException {
        String serverCharset, version;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@character_set_server, VERSION()")) {
            rs.next();
            serverCharset = rs.getString(1);
            version = rs.getString(2);
        }
        String utf8 = "utf8";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME IN ('utf8','utf8mb3')")) {
            while (rs.next()) if (rs.getString(1).equalsIgnoreCase("utf8mb3")) utf8 = "utf8mb3";
        }
        boolean implicitNotNullTimestamp = true; // MySQL 5.5 has no such variable and behaves as OFF
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE 'explicit_defaults_for_timestamp'")) {
            if (rs.next()) implicitNotNullTimestamp = !rs.getString(2).equalsIgnoreCase("ON") && !rs.getString(2).equals("1");
        }
        return new Dialect(serverCharset.toLowerCase(Locale.ROOT), utf8, version.toLowerCase(Locale.ROOT).contains("mariadb"),
                implicitNotNullTimestamp);
    }

    private static String tableCharset(Connection c, TableId id, Dialect d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA=? AND TABLE_NAME=?")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? d.charsetOfCollation(rs.getString(1)) : null;
            }
        }
    }

    private final class LiveServer implements SchemaHistory.Server {

        @Override
        public String databaseCharset(String database) {
            try (Connection c = catalog.source().open(); PreparedStatement ps = c.prepareStatement(
                    "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw catalog.source().translate(e);
            }
        }

        /**
         * Safe when no statement that can change a schema was written to the binlog after
         * {@code end}, up to a binlog position read after the table: then the catalogue's
         * definition is the one right after the statement ending at {@code end}.
         */
        @Override
        public SchemaHistory.Reload reload(TableId id, BinlogOffset end) {
            try (Connection c = catalog.source().open()) {
                Dialect d = history().dialect();
                TableSchema schema = Catalog.load(c, id);
                String charset = schema == null ? null : tableCharset(c, id, d);
                BinlogOffset now = binlogEnd(c);
                String later = laterSchemaChange(c, end, now);
                if (later != null) return SchemaHistory.Reload.unsafe("the binlog has a later schema change: " + later);
                return SchemaHistory.Reload.safe(schema == null ? null : TableDef.of(schema, charset),
                        "no schema change in the binlog between " + end + " and " + now);
            } catch (SQLException e) {
                log.debug("re-read of {} failed", id, e);
                return SchemaHistory.Reload.unsafe("reading the catalogue or the binlog failed: " + e.getMessage());
            }
        }

        private BinlogOffset binlogEnd(Connection c) throws SQLException {
            BinlogOffset end = BinlogReader.binlogEnd(c, false);
            if (end == null) throw new SQLException("the source reports no binary log");
            return end;
        }

        /** The first statement after {@code from} up to {@code to} that can change a schema, or null. */
        private String laterSchemaChange(Connection c, BinlogOffset from, BinlogOffset to) throws SQLException {
            List<String> files = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    String f = rs.getString(1);
                    BinlogOffset start = new BinlogOffset(f, 0, "");
                    if (start.compareTo(new BinlogOffset(from.file(), 0, "")) >= 0
                            && start.compareTo(new BinlogOffset(to.file(), 0, "")) <= 0) files.add(f);
                }
            }
            if (files.isEmpty() || !files.get(0).equals(from.file())) return "binlog file " + from.file() + " is gone";
            for (String f : files) {
                String sql = f.equals(from.file()) ? "SHOW BINLOG EVENTS IN '" + f + "' FROM " + from.position()
                        : "SHOW BINLOG EVENTS IN '" + f + "'";
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        long pos = rs.getLong("Pos");
                        if (f.equals(to.file()) && pos >= to.position()) break;
                        if (!"Query".equalsIgnoreCase(rs.getString("Event_type"))) continue;
                        String info = rs.getString("Info");
                        if (info == null) continue;
                        String q = info.replaceFirst("(?s)^use `(?:[^`]|``)*`; ", "");
                        if (SchemaHistory.changesSchema(q)) return f + ":" + pos + " " + (q.length() > 200 ? q.substring(0, 200) + "..." : q);
                    }
                }
            }
            return null;
        }
    }
}
