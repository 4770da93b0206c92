package io.sluice.source.mysql.schema;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DDL application without a server: the server's answers are faked. */
class SchemaHistoryTest {

    static final TableId T = new TableId("shop", "t");
    static final Predicate<TableId> SHOP_T = id -> id.equals(T);

    /** A fake server: database charsets, and re-reads that are safe or not. */
    static final class FakeServer implements SchemaHistory.Server {
        final Map<String, String> databases = new HashMap<>(Map.of("shop", "utf8mb4", "latin", "latin1"));
        final Map<TableId, TableDef> catalogue = new HashMap<>();
        boolean safe = true;
        final List<TableId> reloads = new ArrayList<>();

        @Override public String databaseCharset(String database) { return databases.get(database); }

        @Override public SchemaHistory.Reload reload(TableId id, BinlogOffset end) {
            reloads.add(id);
            return safe ? SchemaHistory.Reload.safe(catalogue.get(id), "test says safe")
                    : SchemaHistory.Reload.unsafe("test says unsafe");
        }
    }

    FakeServer server;
    SchemaHistory h;
    long pos;

    @BeforeEach
    void setUp() {
        server = new FakeServer();
        h = new SchemaHistory(Dialect.MYSQL57, server);
        h.putDatabase("shop", "utf8mb4");
        pos = 1000;
    }

    BinlogOffset next() {
        pos += 100;
        return new BinlogOffset("mysql-bin.000001", pos, "");
    }

    void ddl(String db, String sql) { ddl(db, sql, SHOP_T); }

    void ddl(String db, String sql, Predicate<TableId> selected) { h.apply(db, sql, next(), selected); }

    List<String> names(TableId id) { return h.get(id).columns().stream().map(Column::name).toList(); }

    Column col(TableId id, String name) { return h.get(id).columns().get(h.get(id).indexOf(name)); }

    static Column chr(String name, ColumnType type, String cs) { return chr(name, type, cs, 0); }

    static Column chr(String name, ColumnType type, String cs, int octets) { return new Column(name, type, false, -1, -1, cs, octets, List.of(), null); }

    static Column integer(String name, ColumnType type, boolean unsigned, int p) { return new Column(name, type, unsigned, p, 0, null, 0, List.of(), null); }

    @Test
    void oneSchemaInstancePerVersionSoDownstreamCachesStayBounded() {
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY)");
        TableSchema first = h.get(T);
        assertSame(first, h.get(T), "routes and encoded headers are cached by schema identity");
        ddl("shop", "ALTER TABLE t ADD COLUMN v INT");
        assertNotSame(first, h.get(T));
        assertSame(h.get(T), h.get(T));
    }

    @Test
    void createTableWithEveryTypeFamily() {
        ddl("shop", "CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, b BIGINT, bu BIGINT(20) UNSIGNED ZEROFILL, "
                + "mu MEDIUMINT UNSIGNED, flag BOOL, d DECIMAL(7,2) UNSIGNED, d0 DECIMAL, f FLOAT, f2 FLOAT(7,3), fd FLOAT(30), "
                + "db DOUBLE(10,2), r REAL, bits BIT(9), bit1 BIT, y YEAR, dt DATETIME(3), ts TIMESTAMP(6) NULL, tm TIME(2), dd DATE, "
                + "c CHAR(3), v VARCHAR(10) CHARACTER SET latin1, v2 VARCHAR(5) COLLATE latin1_bin, tx MEDIUMTEXT, "
                + "bn BINARY(4), b1 BINARY, vb VARBINARY(8), cb CHAR(2) CHARACTER SET binary, bl LONGBLOB, "
                + "e ENUM('a','it''s') CHARACTER SET latin1, s SET('x','y'), j JSON, g POINT, gc GEOMCOLLECTION, nc NATIONAL CHAR(2), "
                + "PRIMARY KEY (id), UNIQUE KEY uk_b (b, c), KEY k (v), UNIQUE (d)) ENGINE=InnoDB");
        TableSchema s = h.get(T);
        List<Column> expected = List.of(
                integer("id", ColumnType.INT, true, 10).withNullable(false), integer("b", ColumnType.BIGINT, false, 19),
                integer("bu", ColumnType.BIGINT, true, 20), integer("mu", ColumnType.MEDIUMINT, true, 7),
                integer("flag", ColumnType.TINYINT, false, 3),
                new Column("d", ColumnType.DECIMAL, true, 7, 2, null, 0, List.of(), null),
                new Column("d0", ColumnType.DECIMAL, false, 10, 0, null, 0, List.of(), null),
                Column.of("f", ColumnType.FLOAT), new Column("f2", ColumnType.FLOAT, false, 7, 3, null, 0, List.of(), null),
                Column.of("fd", ColumnType.DOUBLE), new Column("db", ColumnType.DOUBLE, false, 10, 2, null, 0, List.of(), null),
                Column.of("r", ColumnType.DOUBLE),
                new Column("bits", ColumnType.BIT, false, 9, -1, null, 0, List.of(), null),
                new Column("bit1", ColumnType.BIT, false, 1, -1, null, 0, List.of(), null),
                Column.of("y", ColumnType.YEAR),
                // fractional digits as precision: MariaDB's old-format columns need them (OldTemporalColumns)
                new Column("dt", ColumnType.DATETIME, false, 3, -1, null, 0, List.of(), null),
                new Column("ts", ColumnType.TIMESTAMP, false, 6, -1, null, 0, List.of(), null),
                new Column("tm", ColumnType.TIME, false, 2, -1, null, 0, List.of(), null), Column.of("dd", ColumnType.DATE),
                chr("c", ColumnType.CHAR, "utf8mb4", 12), chr("v", ColumnType.VARCHAR, "latin1", 10), chr("v2", ColumnType.VARCHAR, "latin1", 5),
                chr("tx", ColumnType.TEXT, "utf8mb4", 16_777_215),
                new Column("bn", ColumnType.BINARY, false, -1, -1, "binary", 4, List.of(), null),
                new Column("b1", ColumnType.BINARY, false, -1, -1, "binary", 1, List.of(), null),
                chr("vb", ColumnType.VARBINARY, "binary", 8),
                new Column("cb", ColumnType.BINARY, false, -1, -1, "binary", 2, List.of(), null),
                Column.of("bl", ColumnType.LONGBLOB),
                new Column("e", ColumnType.ENUM, false, -1, -1, null, 0, List.of("a", "it's"), null),
                new Column("s", ColumnType.SET, false, -1, -1, null, 0, List.of("x", "y"), null),
                Column.of("j", ColumnType.JSON),
                new Column("g", ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), "POINT"),
                new Column("gc", ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), "GEOMETRYCOLLECTION"),
                chr("nc", ColumnType.CHAR, "utf8", 6));
        assertEquals(expected, s.columns());
        assertEquals(Map.of("PRIMARY", List.of("id"), "uk_b", List.of("b", "c"), "d", List.of("d")), s.keys());
        assertEquals(List.of("PRIMARY", "d", "uk_b"), List.copyOf(s.keys().keySet()));
    }

    /** NOT NULL (Debezium JSON declares such a column required) through CREATE, ALTER and the saved history. */
    @Test
    void notNullIsTrackedThroughCreateAlterAndTheSavedHistory() {
        ddl("shop", "CREATE TABLE t (id INT, a INT NOT NULL, b INT NULL DEFAULT 1, c INT, v VARCHAR(4) NOT NULL, "
                + "ts TIMESTAMP NULL, s SERIAL, PRIMARY KEY (id))");
        assertEquals(Map.of("id", false, "a", false, "b", true, "c", true, "v", false, "ts", true, "s", false), nullability(T));
        ddl("shop", "ALTER TABLE t MODIFY c INT NOT NULL, MODIFY a BIGINT, CHANGE b b2 INT NOT NULL DEFAULT 0, MODIFY id BIGINT");
        assertEquals(Map.of("id", false, "a", true, "b2", false, "c", false, "v", false, "ts", true, "s", false), nullability(T),
                "MODIFY/CHANGE set it; a primary key column stays NOT NULL");
        ddl("shop", "ALTER TABLE t RENAME COLUMN b2 TO b3, ADD d INT, CONVERT TO CHARACTER SET latin1");
        ddl("shop", "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, d)");
        assertEquals(Map.of("id", false, "a", false, "b3", false, "c", false, "v", false, "ts", true, "s", false, "d", false),
                nullability(T), "RENAME and CONVERT keep it; a new primary key makes its columns NOT NULL, the old one's stay so");
        ddl("shop", "ALTER TABLE t MODIFY v VARCHAR(4) NULL");
        assertTrue(col(T, "v").nullable());

        SchemaHistory restored = SchemaHistory.fromJson(h.toJson(), server);
        assertEquals(h.get(T), restored.get(T));
        assertEquals(nullability(T), restored.get(T).columns().stream().collect(java.util.stream.Collectors.toMap(Column::name, Column::nullable)));
    }

    @Test
    void aTimestampNotDeclaredNullIsNotNullWhereExplicitDefaultsForTimestampIsOff() {
        h = new SchemaHistory(new Dialect("utf8mb4", "utf8", false, true), server);
        ddl("shop", "CREATE TABLE t (ts TIMESTAMP, tn TIMESTAMP(3) NULL DEFAULT NULL, dt DATETIME)");
        assertEquals(Map.of("ts", false, "tn", true, "dt", true), nullability(T));
        SchemaHistory restored = SchemaHistory.fromJson(h.toJson(), server);
        assertEquals(h.dialect(), restored.dialect());
        restored.apply("shop", "ALTER TABLE t ADD t2 TIMESTAMP", next(), SHOP_T);
        assertFalse(restored.get(T).columns().get(3).nullable());
    }

    /** A reader may keep a table's definition while the revision is the same object: every change must give a new one. */
    @Test
    void theRevisionChangesWithEveryDefinitionInForceAndOnlyThen() {
        java.util.function.Supplier<Object> r = h::revision;
        Object start = r.get();
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP NULL, v INT)");
        Object created = r.get();
        assertNotSame(start, created, "a statement");
        BinlogOffset afterCreate = new BinlogOffset("mysql-bin.000001", pos, "");
        h.get(T);
        h.toJson();
        h.toJson(afterCreate);
        h.versionAt(afterCreate);
        assertSame(created, r.get(), "reads change nothing");
        ddl("shop", "INSERT INTO t VALUES (1, NULL, 1)");
        assertSame(created, r.get(), "a statement that changes no definition");

        java.util.BitSet notNullTs = new java.util.BitSet();
        notNullTs.set(2);
        h.nullability(T, notNullTs, 3, next());
        Object corrected = r.get();
        assertNotSame(created, corrected, "a nullability correction");
        h.nullability(T, notNullTs, 3, next());
        assertSame(corrected, r.get(), "an agreeing TABLE_MAP");

        ddl("shop", "ALTER TABLE t ADD COLUMN w INT");
        assertNotSame(corrected, r.get(), "an ALTER");
        h.rewind(afterCreate);
        assertSame(created, r.get(), "a rewind: the version in force again");
        assertEquals(List.of("id", "ts", "v"), names(T));

        h.put(h.table(T));
        assertNotSame(created, r.get(), "a snapshot table");
        Object put = r.get();
        h.putDatabase("other", "latin1");
        assertNotSame(put, r.get(), "a database default");
    }

    /**
     * The reviewer's case: the history applied DDL under explicit_defaults_for_timestamp=OFF (read
     * once at the job's start) but the server created the TIMESTAMP nullable (ON by then). The
     * TABLE_MAP event's null bits win, as a version of their own: saved with a checkpoint after the
     * event, not with one before it, and gone after a rewind to before it (the event comes again).
     */
    @Test
    void aTableMapsNullabilityOverridesTheHistorysAsAVersionAtTheEvent() {
        h = new SchemaHistory(new Dialect("utf8mb4", "utf8", false, true), server);
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP, v INT)");
        assertEquals(Map.of("id", false, "ts", false, "v", true), nullability(T));
        BinlogOffset beforeMap = new BinlogOffset("mysql-bin.000001", pos, "");
        TableSchema asCreated = h.get(T);
        String savedBefore = h.toJson(beforeMap);

        java.util.BitSet binlog = new java.util.BitSet(); // the server's: id NOT NULL, ts and v NULL
        binlog.set(1);
        binlog.set(2);
        BinlogOffset map = next();
        assertEquals(Map.of("ts", true), h.nullability(T, binlog, 3, map));
        assertEquals(Map.of("id", false, "ts", true, "v", true), nullability(T));
        assertNotSame(asCreated, h.get(T), "a new schema: downstream routes and Debezium schemas are rebuilt");
        assertEquals(map, h.versionAt(map), "the next checkpoint saves the history again");
        assertEquals(Map.of(), h.nullability(T, binlog, 3, next()), "agreeing: no new version");
        assertEquals(map, h.versionAt(next()));

        assertEquals(savedBefore, h.toJson(beforeMap), "a checkpoint before the event keeps the old nullability");
        assertTrue(SchemaHistory.fromJson(h.toJson(), server).get(T).columns().get(1).nullable(), "one after it saves the event's");
        h.rewind(beforeMap);
        assertFalse(col(T, "ts").nullable(), "rewound to before the event, which the reader meets again");

        assertEquals(Map.of(), h.nullability(T, binlog, 4, next()), "another column count is the metadata check's to report");
        assertEquals(Map.of(), h.nullability(new TableId("shop", "unknown"), binlog, 3, next()));
        assertFalse(col(T, "ts").nullable());
        // an upgraded job's history (saved before nullability was kept) learns NOT NULL the same way
        java.util.BitSet none = new java.util.BitSet();
        assertEquals(Map.of("v", false), h.nullability(T, none, 3, next()));
    }

    Map<String, Boolean> nullability(TableId id) {
        Map<String, Boolean> m = new java.util.HashMap<>();
        for (Column c : h.get(id).columns()) m.put(c.name(), c.nullable());
        return m;
    }

    @Test
    void mariadbDialect() {
        h = new SchemaHistory(Dialect.MARIADB, server);
        ddl("shop", "CREATE TABLE t (mu MEDIUMINT UNSIGNED, j JSON, c CHAR(1) CHARACTER SET utf8)");
        assertEquals(integer("mu", ColumnType.MEDIUMINT, true, 8), col(T, "mu"));
        assertEquals(chr("j", ColumnType.TEXT, "utf8mb4", Integer.MAX_VALUE), col(T, "j"));
        assertEquals(chr("c", ColumnType.CHAR, "utf8mb3", 3), col(T, "c"));
    }

    @Test
    void alterWithSeveralClausesAndPositions() {
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(3), c INT, UNIQUE KEY uc (c))");
        ddl("shop", "ALTER TABLE t ADD COLUMN x INT AFTER id, ADD y TEXT FIRST, DROP COLUMN a, "
                + "MODIFY b VARCHAR(20) NOT NULL DEFAULT '' AFTER c, CHANGE COLUMN c cc BIGINT UNSIGNED, ADD (p INT, q INT), "
                + "ALTER COLUMN x SET DEFAULT 5, ALGORITHM=INPLACE, LOCK=NONE");
        assertEquals(List.of("y", "id", "x", "cc", "b", "p", "q"), names(T));
        assertEquals(integer("cc", ColumnType.BIGINT, true, 20), col(T, "cc"));
        assertEquals(Map.of("PRIMARY", List.of("id"), "uc", List.of("cc")), h.get(T).keys());
        ddl("shop", "ALTER TABLE `shop`.`t` RENAME COLUMN x TO xx, DROP PRIMARY KEY, ADD PRIMARY KEY (id, xx), DROP INDEX uc, "
                + "ADD UNIQUE INDEX u2 (q), RENAME INDEX u2 TO u3");
        assertEquals(List.of("y", "id", "xx", "cc", "b", "p", "q"), names(T));
        assertEquals(Map.of("PRIMARY", List.of("id", "xx"), "u3", List.of("q")), h.get(T).keys());
        ddl("shop", "ALTER TABLE t DROP xx");
        assertEquals(Map.of("PRIMARY", List.of("id"), "u3", List.of("q")), h.get(T).keys());
        ddl("shop", "CREATE UNIQUE INDEX ub ON shop.t (b(3), p)");
        ddl("shop", "DROP INDEX u3 ON t");
        assertEquals(Map.of("PRIMARY", List.of("id"), "ub", List.of("b", "p")), h.get(T).keys());
    }

    @Test
    void charsetsAreInheritedWhenAColumnIsDefined() {
        server.databases.put("other", "latin1");
        ddl(null, "CREATE DATABASE d2 DEFAULT CHARACTER SET = utf8 COLLATE utf8_bin");
        ddl(null, "CREATE DATABASE d3");
        ddl("shop", "CREATE TABLE d2.a (c CHAR(1))", id -> true);
        ddl("shop", "CREATE TABLE d3.a (c CHAR(1))", id -> true);
        ddl("shop", "CREATE TABLE other.a (c CHAR(1))", id -> true);
        ddl("shop", "CREATE TABLE t (c CHAR(1), d CHAR(1)) DEFAULT CHARSET=latin1");
        assertEquals("utf8", col(new TableId("d2", "a"), "c").charset(), "database default");
        assertEquals("utf8mb4", col(new TableId("d3", "a"), "c").charset(), "server default");
        assertEquals("latin1", col(new TableId("other", "a"), "c").charset(), "database default read from the server");
        assertEquals("latin1", col(T, "c").charset(), "table default");
        ddl("shop", "ALTER TABLE t CHARSET=utf8mb4, ADD e VARCHAR(2), MODIFY d CHAR(2)");
        assertEquals("latin1", col(T, "c").charset(), "existing columns keep theirs");
        assertEquals("utf8mb4", col(T, "e").charset(), "new columns take the new default");
        assertEquals("utf8mb4", col(T, "d").charset(), "a redefined column takes the new default");
        ddl("shop", "ALTER TABLE t CONVERT TO CHARACTER SET latin1 COLLATE latin1_general_ci");
        assertEquals(List.of("latin1", "latin1", "latin1"), h.get(T).columns().stream().map(Column::charset).toList());
        ddl("shop", "ALTER TABLE t DEFAULT COLLATE utf8mb4_bin, ADD f TEXT");
        assertEquals("utf8mb4", col(T, "f").charset());
        ddl(null, "ALTER DATABASE d3 CHARACTER SET latin1");
        ddl("shop", "CREATE TABLE d3.b (c CHAR(1))", id -> true);
        assertEquals("latin1", col(new TableId("d3", "b"), "c").charset());
    }

    @Test
    void alterDatabaseWithoutANameChangesTheDefaultDatabase() {
        ddl(null, "CREATE DATABASE d4 CHARACTER SET utf8mb4");
        ddl("d4", "ALTER DATABASE CHARACTER SET latin1");
        ddl("d4", "CREATE TABLE a (c CHAR(1))", id -> true);
        assertEquals("latin1", col(new TableId("d4", "a"), "c").charset());
        ddl("d4", "ALTER SCHEMA DEFAULT COLLATE = utf8_bin");
        ddl("d4", "CREATE TABLE b (c CHAR(1))", id -> true);
        assertEquals("utf8", col(new TableId("d4", "b"), "c").charset());
        ddl("d4", "/*!40100 ALTER DATABASE DEFAULT CHARSET=gbk */");
        ddl("d4", "CREATE TABLE c (c CHAR(1))", id -> true);
        assertEquals("gbk", col(new TableId("d4", "c"), "c").charset());
        assertEquals("latin1", col(new TableId("d4", "a"), "c").charset(), "existing tables keep theirs");
        ddl("shop", "ALTER DATABASE `d4` DEFAULT CHARACTER SET = 'latin2' COLLATE latin2_bin");
        ddl("shop", "ALTER SCHEMA d4 READ ONLY = 0");
        ddl("shop", "ALTER DATABASE d4 UPGRADE DATA DIRECTORY NAME");
        ddl("shop", "CREATE TABLE d4.d (c CHAR(1))", id -> true);
        assertEquals("latin2", col(new TableId("d4", "d"), "c").charset(), "named, quoted; options without a charset change nothing");
        assertTrue(server.reloads.isEmpty());
    }

    @Test
    void convertToKeepsEachColumnsLengthInCharacters() {
        ddl("shop", "CREATE TABLE t (a TEXT, b VARCHAR(20000), c CHAR(10), d TINYTEXT, e VARCHAR(100), f TEXT(100), "
                + "g MEDIUMTEXT, h VARBINARY(5), i ENUM('x')) CHARSET latin1");
        assertEquals(List.of(chr("a", ColumnType.TEXT, "latin1", 65_535), chr("b", ColumnType.VARCHAR, "latin1", 20_000),
                chr("c", ColumnType.CHAR, "latin1", 10), chr("d", ColumnType.TEXT, "latin1", 255),
                chr("e", ColumnType.VARCHAR, "latin1", 100), chr("f", ColumnType.TEXT, "latin1", 255),
                chr("g", ColumnType.TEXT, "latin1", 16_777_215), chr("h", ColumnType.VARBINARY, "binary", 5)),
                h.get(T).columns().subList(0, 8));
        ddl("shop", "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4");
        assertEquals(List.of(chr("a", ColumnType.TEXT, "utf8mb4", 16_777_215), chr("b", ColumnType.TEXT, "utf8mb4", 16_777_215),
                chr("c", ColumnType.CHAR, "utf8mb4", 40), chr("d", ColumnType.TEXT, "utf8mb4", 65_535),
                chr("e", ColumnType.VARCHAR, "utf8mb4", 400), chr("f", ColumnType.TEXT, "utf8mb4", 65_535),
                chr("g", ColumnType.TEXT, "utf8mb4", Integer.MAX_VALUE), chr("h", ColumnType.VARBINARY, "binary", 5)),
                h.get(T).columns().subList(0, 8));
        ddl("shop", "ALTER TABLE t CONVERT TO CHARACTER SET binary");
        assertEquals(List.of(Column.of("a", ColumnType.MEDIUMBLOB), Column.of("b", ColumnType.MEDIUMBLOB),
                new Column("c", ColumnType.BINARY, false, -1, -1, "binary", 10, List.of(), null), Column.of("d", ColumnType.BLOB),
                chr("e", ColumnType.VARBINARY, "binary", 100), Column.of("f", ColumnType.BLOB), Column.of("g", ColumnType.LONGBLOB),
                chr("h", ColumnType.VARBINARY, "binary", 5)), h.get(T).columns().subList(0, 8));
        assertTrue(server.reloads.isEmpty());
    }

    @Test
    void convertToWithoutKnownLengthsReReadsTheTable() {
        h.put(new TableDef(T, "latin1", List.of(chr("v", ColumnType.VARCHAR, "latin1")), Map.of()));
        server.catalogue.put(T, new TableDef(T, "utf8mb4", List.of(chr("v", ColumnType.VARCHAR, "utf8mb4", 40)), Map.of()));
        ddl("shop", "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4");
        assertEquals(List.of(T), server.reloads);
        assertEquals(chr("v", ColumnType.VARCHAR, "utf8mb4", 40), col(T, "v"));
    }

    @Test
    void renameDropTruncateAndDatabases() {
        TableId a = new TableId("shop", "a"), b = new TableId("shop", "b"), x = new TableId("arch", "x");
        Predicate<TableId> sel = id -> id.database().equals("shop");
        ddl("shop", "CREATE TABLE a (id INT)", sel);
        ddl("shop", "RENAME TABLE a TO b", sel);
        assertNull(h.get(a));
        assertEquals(List.of("id"), names(b));
        ddl("shop", "TRUNCATE TABLE b", sel);
        assertEquals(List.of("id"), names(b));
        ddl("shop", "RENAME TABLE shop.b TO arch.x", sel);
        assertNull(h.get(b), "renamed out of the selection");
        ddl("shop", "ALTER TABLE arch.x ADD y INT", sel);
        ddl("shop", "RENAME TABLE `arch`.`x` TO `shop`.`a`", sel);
        assertEquals(List.of("id", "y"), names(a), "renamed into the selection with the changes it had outside");
        ddl("shop", "ALTER TABLE a RENAME TO c", sel);
        assertEquals(List.of("id", "y"), names(new TableId("shop", "c")));
        ddl("shop", "DROP TABLE IF EXISTS `c`, nothing /* generated by server */", sel);
        assertNull(h.get(new TableId("shop", "c")));
        ddl("shop", "CREATE TABLE arch.x (id INT)", sel);
        ddl(null, "DROP DATABASE arch", sel);
        assertNull(h.get(x));
        assertTrue(server.reloads.isEmpty());
    }

    @Test
    void createLikeUseContextCommentsAndNonDdl() {
        ddl("shop", "/* a comment */ CREATE TABLE `t` (`id` INT NOT NULL, -- trailing\n `v` VARCHAR(3), PRIMARY KEY (`id`)) # hash comment");
        ddl("other", "CREATE TABLE IF NOT EXISTS shop.t2 LIKE shop.t", id -> true);
        assertEquals(h.get(T).columns(), h.get(new TableId("shop", "t2")).columns());
        assertEquals(h.get(T).keys(), h.get(new TableId("shop", "t2")).keys());
        ddl("shop", "CREATE TABLE IF NOT EXISTS t (other INT)");
        assertEquals(List.of("id", "v"), names(T), "IF NOT EXISTS on an existing table is a no-op");
        for (String s : List.of("GRANT SELECT ON shop.t TO 'x'@'%'", "CREATE DEFINER=`root`@`%` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.v = 'x'",
                "CREATE PROCEDURE p() BEGIN ALTER TABLE t ADD z INT; END", "FLUSH PRIVILEGES", "ANALYZE TABLE t", "SAVEPOINT x")) {
            ddl("shop", s);
        }
        assertEquals(List.of("id", "v"), names(T));
        ddl("shop", "/*!40000 ALTER TABLE t ADD z INT */");
        assertEquals(List.of("id", "v", "z"), names(T), "executable comments execute");
    }

    @Test
    void mariadbExtensions() {
        h = new SchemaHistory(Dialect.MARIADB, server);
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, a INT)");
        ddl("shop", "ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT, ADD COLUMN IF NOT EXISTS b INT, DROP COLUMN IF EXISTS nope, "
                + "MODIFY COLUMN IF EXISTS a BIGINT");
        assertEquals(List.of("id", "a", "b"), names(T));
        assertEquals(ColumnType.BIGINT, col(T, "a").type());
        ddl("shop", "CREATE OR REPLACE TABLE t (id INT, c CHAR(1) CHARSET latin1)");
        assertEquals(List.of("id", "c"), names(T));
        assertEquals(Map.of(), h.get(T).keys());
        assertTrue(server.reloads.isEmpty());
    }

    @Test
    void unparseableStatements() {
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY)");
        // not about a selected table: skipped
        ddl("shop", "ALTER TABLE other_table ADD COLUMN x INT WITH SYSTEM VERSIONING FLUB");
        assertTrue(server.reloads.isEmpty());
        assertEquals(List.of("id"), names(T));
        // about a selected table, re-read safely
        server.catalogue.put(T, new TableDef(T, "utf8mb4", List.of(integer("id", ColumnType.INT, false, 10), Column.of("z", ColumnType.DATE)),
                Map.of("PRIMARY", List.of("id"))));
        ddl("shop", "ALTER TABLE t ADD COLUMN z DATE FLUB FLOB");
        assertEquals(List.of(T), server.reloads);
        assertEquals(List.of("id", "z"), names(T));
        // about a selected table, not safe: stops with the statement and position
        server.safe = false;
        SluiceException e = assertThrows(SluiceException.class, () -> h.apply("shop", "ALTER TABLE shop.t FLUB", 
                new BinlogOffset("mysql-bin.000001", 4242, ""), SHOP_T));
        assertTrue(e.getMessage().contains("mysql-bin.000001:4242") && e.getMessage().contains("ALTER TABLE shop.t FLUB")
                && e.getMessage().contains("shop.t"), e.getMessage());
        // CREATE ... SELECT of a selected table goes the same way
        server.safe = true;
        server.catalogue.put(new TableId("shop", "t9"), new TableDef(new TableId("shop", "t9"), "utf8mb4",
                List.of(integer("x", ColumnType.BIGINT, false, 19)), Map.of()));
        ddl("shop", "CREATE TABLE t9 AS SELECT 1 AS x", id -> id.database().equals("shop"));
        assertEquals(List.of("x"), names(new TableId("shop", "t9")));
    }

    @Test
    void ghostCutOverFollowsTheShadowTable() {
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(3))");
        ddl("shop", "create /* gh-ost */ table `shop`.`_t_gho` like `shop`.`t`");
        ddl("shop", "alter /* gh-ost */ table `shop`.`_t_gho` add column w int not null default 0");
        ddl("shop", "create /* gh-ost */ table `shop`.`_t_ghc` (id bigint auto_increment, hint varchar(64), primary key(id))");
        ddl("shop", "rename /* gh-ost */ table `shop`.`t` to `shop`.`_t_del`, `shop`.`_t_gho` to `shop`.`t`");
        ddl("shop", "drop /* gh-ost */ table if exists `shop`.`_t_del`");
        assertEquals(List.of("id", "v", "w"), names(T));
        // pt-online-schema-change
        ddl("shop", "CREATE TABLE `shop`.`_t_new` (`id` int NOT NULL, `v` varchar(3), `w` int NOT NULL DEFAULT 0, `n` int, PRIMARY KEY (`id`))");
        ddl("shop", "RENAME TABLE `shop`.`t` TO `shop`.`_t_old`, `shop`.`_t_new` TO `shop`.`t`");
        ddl("shop", "DROP TABLE IF EXISTS `shop`.`_t_old`");
        assertEquals(List.of("id", "v", "w", "n"), names(T));
        assertTrue(server.reloads.isEmpty());
    }

    SchemaHistory.Applied applied(String sql, Predicate<TableId> selected) { return h.applyStatement("shop", sql, next(), selected); }

    @Test
    void tellsTablesRenamedIntoTheSelectionAndSelectedTablesDroppedButNotToolCutOvers() {
        TableId c2 = new TableId("shop", "c2"), x2 = new TableId("shop", "x2");
        Predicate<TableId> sel = id -> id.table().startsWith("c") || id.equals(T);
        ddl("shop", "CREATE TABLE x2 (id INT PRIMARY KEY)", sel);
        assertEquals(Map.of(c2, x2), applied("RENAME TABLE x2 TO c2", sel).renamedIn(), "its rows were never read");
        assertEquals(Map.of(new TableId("shop", "c3"), new TableId("shop", "y3")),
                applied("ALTER TABLE y3 RENAME TO c3", sel).renamedIn(), "unknown to the history, never read either");
        assertEquals(Map.of(), applied("RENAME TABLE c2 TO c4", sel).renamedIn(), "already selected");
        ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY)", sel);
        ddl("shop", "CREATE TABLE _t_new LIKE t", sel);
        SchemaHistory.Applied cutOver = applied("RENAME TABLE t TO _t_old, _t_new TO t", sel);
        assertEquals(Map.of(), cutOver.renamedIn(), "a pt-osc shadow holds copies of rows already written");
        assertEquals(List.of(), applied("DROP TABLE _t_old", sel).dropped(), "the tool's old table is not selected");
        ddl("shop", "CREATE TABLE x5 (id INT PRIMARY KEY)", sel);
        assertEquals(List.of(new TableId("shop", "c4")), applied("DROP TABLE IF EXISTS c4, x5, nothing", sel).dropped());
    }

    @Test
    void renameFromAnUnknownTableIntoTheSelectionReReads() {
        server.catalogue.put(T, new TableDef(T, "utf8mb4", List.of(Column.of("d", ColumnType.DATE)), Map.of()));
        ddl("shop", "RENAME TABLE shop.pre_existing TO shop.t");
        assertEquals(List.of(T), server.reloads);
        assertEquals(List.of("d"), names(T));
    }

    @Test
    void jsonRoundTripAndCheckpointVersions() {
        h.put(new TableDef(T, "latin1", List.of(integer("id", ColumnType.INT, true, 10),
                new Column("e", ColumnType.ENUM, false, -1, -1, null, 0, List.of("a", "b"), null),
                new Column("bn", ColumnType.BINARY, false, -1, -1, "binary", 4, List.of(), null),
                new Column("g", ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), "POINT"),
                new Column("f", ColumnType.FLOAT, false, 7, 3, null, 0, List.of(), null)), Map.of("PRIMARY", List.of("id"))));
        BinlogOffset first = next();
        h.apply("shop", "ALTER TABLE t ADD c CHAR(1)", first, SHOP_T);
        BinlogOffset checkpoint = new BinlogOffset("mysql-bin.000001", first.position() + 50, "");
        h.apply("shop", "ALTER TABLE t DROP e", new BinlogOffset("mysql-bin.000002", 4, ""), SHOP_T);
        TableSchema current = h.get(T);

        SchemaHistory restoredNow = SchemaHistory.fromJson(h.toJson(), server);
        assertEquals(current, restoredNow.get(T));

        String atCheckpoint = h.toJson(checkpoint);
        SchemaHistory restored = SchemaHistory.fromJson(atCheckpoint, server);
        assertEquals(List.of("id", "e", "bn", "g", "f", "c"), restored.get(T).columns().stream().map(Column::name).toList());
        assertEquals("latin1", restored.get(T).columns().get(5).charset());
        assertEquals(h.dialect(), restored.dialect());
        // the restored history goes on exactly as the uninterrupted one
        restored.apply("shop", "ALTER TABLE t DROP e", new BinlogOffset("mysql-bin.000002", 4, ""), SHOP_T);
        assertEquals(current, restored.get(T));
        restored.apply("shop", "ALTER TABLE t ADD d CHAR(1)", next(), SHOP_T);
        assertEquals("latin1", restored.get(T).columns().get(5).charset(), "the table default survived the round trip");
        assertTrue(atCheckpoint.length() < 600, atCheckpoint);
        assertEquals(current, h.get(T), "serializing at a checkpoint leaves the current state alone");
    }

    @Test
    void rewindToACheckpointReplaysLaterStatements() {
        ddl("shop", "CREATE TABLE t (id INT)");
        BinlogOffset cp = new BinlogOffset("mysql-bin.000001", pos, "");
        ddl("shop", "ALTER TABLE t ADD v INT");
        h.rewind(cp);
        assertEquals(List.of("id"), names(T));
        ddl("shop", "ALTER TABLE t ADD v INT");
        assertEquals(List.of("id", "v"), names(T));
    }

    @Test
    void corruptJsonIsOneLine() {
        SluiceException e = assertThrows(SluiceException.class, () -> SchemaHistory.fromJson("{\"v\":1,\"tables\":[{]}", server));
        assertTrue(e.getMessage().contains("schema history is corrupt"), e.getMessage());
        assertNotNull(SchemaHistory.fromJson(new SchemaHistory(Dialect.MYSQL57, server).toJson(), server));
    }

    @Test
    void namesWithDotsBackticksSpacesAndNonAsciiLettersAreTrackedAndPersisted() {
        h.putDatabase("db.x", "utf8mb4");
        TableId dotted = new TableId("db.x", "t.y"), tick = new TableId("db.x", "a`b c"), cjk = new TableId("shop", "表");
        Predicate<TableId> sel = id -> id.equals(dotted) || id.equals(tick) || id.equals(cjk) || id.equals(new TableId("shop", "order"));
        ddl("shop", "CREATE TABLE `db.x`.`t.y` (id INT PRIMARY KEY, `v.w` INT, `select` INT)", sel);
        ddl("shop", "ALTER TABLE `db.x`.`t.y` ADD COLUMN `列` INT, ADD UNIQUE KEY `k.1` (`v.w`)", sel);
        ddl("db.x", "CREATE TABLE `a``b c` (`x``y` INT)", sel);
        ddl("shop", "CREATE TABLE 表 (id INT)", sel);
        ddl("shop", "CREATE TABLE `order` (id INT)", sel);
        ddl("shop", "RENAME TABLE `order` TO `db.x`.`or.der`", id -> true);
        assertEquals(List.of("id", "v.w", "select", "列"), names(dotted));
        assertEquals(Map.of("PRIMARY", List.of("id"), "k.1", List.of("v.w")), h.get(dotted).keys());
        assertEquals(List.of("x`y"), names(tick));
        assertEquals(List.of("id"), names(cjk));
        assertEquals(List.of("id"), names(new TableId("db.x", "or.der")));
        SchemaHistory restored = SchemaHistory.fromJson(h.toJson(), server);
        assertEquals(h.get(dotted).columns(), restored.get(dotted).columns());
        assertEquals(h.get(tick).columns(), restored.get(tick).columns());
    }
}
