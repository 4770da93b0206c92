package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.TableId;
import io.sluice.core.model.Value;
import io.sluice.core.source.ChangeHandler;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.source.mysql.binlog.BinlogReader;
import io.sluice.source.mysql.binlog.FailedEvents;
import io.sluice.source.mysql.Catalog;
import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import io.sluice.source.mysql.schema.SchemaHistory;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schema history on MySQL 5.7, 8.0 and MariaDB: DML interleaved with DDL, checked record by record
 * (field names and values) from the decoded topic; a restart between a DDL and the next DML; a
 * statement the parser cannot handle, on an unrelated table and on a selected one.
 */
class SchemaHistoryIT {

    /** "field=value" for each field of the after image; character values carry their charset. */
    private static String row(GenericRecord r) {
        List<String> names = Images.fieldNames(r);
        List<Value> values = Images.of(r, "afterImages");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(names.get(i) + "=" + text(values.get(i)));
        return r.get("objectName") + " " + String.join(" ", out);
    }

    private static String text(Value v) {
        if (v == null) return "null";
        if (v instanceof Value.IntegerValue i) return i.value();
        if (v instanceof Value.CharacterValue c) return c.charset() + ":" + new String(c.value(), StandardCharsets.UTF_8);
        return v.toString();
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB", "MYSQL56", "MARIADB102"})
    void rowsBetweenDdlStatementsCarryTheColumnsOfTheirPosition(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_sh_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " DEFAULT CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".u (id INT PRIMARY KEY)");
        String topic = "it-sh-" + flavor.server + "-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("sh", server, topic, state, db + ".t", 7361 + flavor.ordinal() /* not 7301: CrashIT's */));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            String t = db + ".t";
            server.exec(
                    "INSERT INTO " + t + " VALUES (1,'a')",
                    "ALTER TABLE " + t + " ADD COLUMN n INT AFTER id",
                    "INSERT INTO " + t + " VALUES (2,20,'b')",
                    "/* several clauses */ ALTER TABLE `" + db + "`.`t` CHANGE v w VARCHAR(30) CHARACTER SET latin1 NOT NULL DEFAULT '', "
                            + "MODIFY n BIGINT UNSIGNED FIRST",
                    "INSERT INTO " + t + " VALUES (30,3,'c')",
                    // the parser cannot handle LONG VARCHAR; the table is not selected: logged and skipped
                    "ALTER TABLE " + db + ".u ADD COLUMN lv LONG VARCHAR",
                    "ALTER TABLE " + t + " DROP COLUMN n, DEFAULT CHARSET=latin1",
                    "INSERT INTO " + t + " VALUES (4,'d')",
                    "RENAME TABLE " + t + " TO " + db + ".t_out",
                    "INSERT INTO " + db + ".t_out VALUES (5,'e')",
                    "TRUNCATE TABLE " + db + ".t_out",
                    "RENAME TABLE " + db + ".t_out TO " + t,
                    "INSERT INTO " + t + " VALUES (6,'f')");
            List<String> expected = List.of(
                    t + " id=1 v=utf8mb4:a",
                    t + " id=2 n=20 v=utf8mb4:b",
                    t + " n=30 id=3 w=latin1:c",
                    t + " id=4 w=latin1:d",
                    t + " id=6 w=latin1:f");
            List<String> got = out.await(expected.size(), Duration.ofSeconds(60)).stream().map(SchemaHistoryIT::row).toList();
            assertEquals(expected, got);
            // the parser cannot handle this one either, and it is about the selected table: the job is
            // caught up, so re-reading the table from the server is provably right
            server.exec("ALTER TABLE " + t + " ADD COLUMN lv LONG VARCHAR, ADD COLUMN x VARCHAR(3)",
                    "INSERT INTO " + t + " VALUES (7,'g','long','x')");
            got = out.await(expected.size() + 1, Duration.ofSeconds(60)).stream().map(SchemaHistoryIT::row).toList();
            assertEquals(t + " id=7 w=latin1:g lv=latin1:long x=latin1:x", got.get(got.size() - 1));
            assertNull(job.failure());
            job.close(); // the INSERT of row 7 was the last statement
            assertEquals(expected.size() + 1, out.readToEnd().size(), "nothing of t_out");
        }
    }

    /** Rows and commits from a reader, for the restart test. */
    private static final class Collector implements ChangeHandler {
        final List<RowChange> rows = Collections.synchronizedList(new ArrayList<>());
        final List<BinlogOffset> commits = Collections.synchronizedList(new ArrayList<>());
        @Override public void onRow(RowChange change) { rows.add(change); }
        @Override public void onCommit(BinlogOffset next, String txId) { commits.add(next); }

        void await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rows.size() < count && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(count, rows.size(), "rows: " + rows);
        }
    }

    private static String columns(RowChange r) {
        return r.table().columns().stream().map(c -> c.name() + ":" + c.type() + (c.charset() == null ? "" : "/" + c.charset())).toList().toString();
    }

    /**
     * A restart between a DDL statement and the next rows, while the catalogue is already ahead
     * (more DDL ran while the reader was down): the history saved at the checkpoint gives the rows
     * the columns of their position, the same as an uninterrupted reader gave them.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void restartFromASavedHistoryGivesTheColumnsOfAnUninterruptedRun(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_shr_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".r (id INT PRIMARY KEY, v VARCHAR(10))");
        JobConfig config = new JobConfigLoader(k -> null).parse(
                JobYaml.of("shr", server, "unused", state, db + ".r", 7311 + flavor.ordinal()), "test job");
        TableId r = new TableId(db, "r");
        Catalog catalog = new Catalog(new SourceConnection(config.source));
        ServerInfo info;
        BinlogOffset start;
        try (Connection c = new SourceConnection(config.source).open()) {
            info = ServerInfo.read(c);
            start = BinlogReader.currentOffset(c, info);
        }
        start = new BinlogOffset(start.file(), start.position(), ""); // resume by position

        // uninterrupted run
        SchemaCache history = new SchemaCache(catalog);
        history.put(catalog.load(r));
        Collector first = new Collector();
        BinlogReader reader = new BinlogReader(config.source, info, r::equals, history, first, new FailedEvents());
        reader.start(start);
        BinlogOffset checkpoint;
        String saved;
        try {
            server.exec("INSERT INTO " + db + ".r VALUES (1,'a')");
            first.await(1);
            Thread.sleep(300);
            checkpoint = first.commits.get(first.commits.size() - 1);
            server.exec("ALTER TABLE " + db + ".r ADD COLUMN x INT, MODIFY v VARCHAR(10) CHARACTER SET latin1",
                    "INSERT INTO " + db + ".r VALUES (2,'b',7)");
            first.await(2);
            saved = history.toJson(checkpoint); // what the job stores with the checkpoint after row 1
        } finally {
            reader.stop();
        }
        assertNull(reader.failure());
        // while down: the catalogue moves further ahead
        server.exec("ALTER TABLE " + db + ".r DROP COLUMN v", "INSERT INTO " + db + ".r VALUES (3,8)");

        SchemaCache restored = SchemaCache.fromJson(saved, catalog);
        Collector second = new Collector();
        BinlogReader again = new BinlogReader(config.source, info, r::equals, restored, second, new FailedEvents());
        again.start(checkpoint);
        try {
            second.await(2);
        } finally {
            again.stop();
        }
        assertNull(again.failure());
        assertEquals(columns(first.rows.get(1)), columns(second.rows.get(0)), "row 2 as in the uninterrupted run");
        assertEquals("[id:INT, v:VARCHAR/latin1, x:INT]", columns(second.rows.get(0)));
        assertEquals("[id:INT, x:INT]", columns(second.rows.get(1)));
        assertEquals(List.of("2", "b", "7"), second.rows.get(0).after() == null ? null : values(second.rows.get(0)));
        assertEquals(List.of("3", "8"), values(second.rows.get(1)));
        // only the selected table is saved (its size must not depend on what else the server holds:
        // the databases' charsets are saved too, and the shared servers hold other tests' databases)
        var tables = new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved).get("tables");
        assertEquals(1, tables.size(), saved);
        assertEquals(db + ".r", tables.get(0).get("db").asText() + "." + tables.get(0).get("name").asText(), saved);
    }

    /**
     * A history wrong about nullability both ways (ts NOT NULL as DDL applied under another
     * explicit_defaults_for_timestamp would make it; v nullable as a history saved before Sluice kept
     * nullability has it): the TABLE_MAP event's null bits correct it before the row is decoded, and
     * the history saved at the next checkpoint holds the server's nullability.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57"})
    void streamedRowsTakeTheTableMapsNullability(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_shn_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".r (id INT PRIMARY KEY, ts TIMESTAMP NULL DEFAULT NULL, v INT NOT NULL)");
        JobConfig config = new JobConfigLoader(k -> null).parse(
                JobYaml.of("shn", server, "unused", state, db + ".r", 7331 + flavor.ordinal()), "test job");
        TableId r = new TableId(db, "r");
        Catalog catalog = new Catalog(new SourceConnection(config.source));
        ServerInfo info;
        BinlogOffset start;
        try (Connection c = new SourceConnection(config.source).open()) {
            info = ServerInfo.read(c);
            start = BinlogReader.currentOffset(c, info);
        }
        start = new BinlogOffset(start.file(), start.position(), "");
        SchemaCache fromCatalogue = new SchemaCache(catalog);
        fromCatalogue.put(catalog.load(r));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fromCatalogue.toJson(null));
        for (var t : doc.get("tables")) {
            if (!t.get("name").asText().equals("r")) continue;
            for (var c : t.get("columns")) {
                var col = (com.fasterxml.jackson.databind.node.ObjectNode) c;
                if (col.get("n").asText().equals("ts")) col.put("nn", true);
                if (col.get("n").asText().equals("v")) col.remove("nn");
            }
        }
        SchemaCache wrong = SchemaCache.fromJson(json.writeValueAsString(doc), catalog);
        assertEquals("[id:false, ts:false, v:true]", nullability(wrong.get(r).columns()));

        Collector rows = new Collector();
        BinlogReader reader = new BinlogReader(config.source, info, r::equals, wrong, rows, new FailedEvents());
        reader.start(start);
        BinlogOffset checkpoint;
        try {
            server.exec("INSERT INTO " + db + ".r VALUES (1, NULL, 5)");
            rows.await(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rows.commits.isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            checkpoint = rows.commits.get(rows.commits.size() - 1);
        } finally {
            reader.stop();
        }
        assertNull(reader.failure());
        assertEquals("[id:false, ts:true, v:false]", nullability(rows.rows.get(0).table().columns()), "the binlog's, for the row");
        assertNull(rows.rows.get(0).after()[1]);
        SchemaCache saved = SchemaCache.fromJson(wrong.toJson(checkpoint), catalog);
        assertEquals("[id:false, ts:true, v:false]", nullability(saved.get(r).columns()), "and in the history saved after it");
    }

    private static String nullability(List<io.sluice.core.model.Column> columns) {
        return columns.stream().map(c -> c.name() + ":" + c.nullable()).toList().toString();
    }

    /**
     * The history's columns equal the catalogue's, statement by statement, for every type family,
     * charset inheritance and keys: the same DDL runs on the server and through the history.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void historyColumnsEqualTheCatalogue(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_shp_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " DEFAULT CHARACTER SET latin1");
        JobConfig config = new JobConfigLoader(k -> null).parse(
                JobYaml.of("shp", server, "unused", state, db + ".p", 7321), "test job");
        Catalog catalog = new Catalog(new SourceConnection(config.source));
        SchemaHistory history = new SchemaHistory(new SchemaCache(catalog).history().dialect(), new SchemaHistory.Server() {
            @Override public String databaseCharset(String database) { return "latin1"; }
            @Override public SchemaHistory.Reload reload(TableId id, BinlogOffset end) { return SchemaHistory.Reload.unsafe("not in this test"); }
        });
        TableId p = new TableId(db, "p");
        List<String> ddl = new ArrayList<>(List.of(
                "CREATE TABLE p (id INT UNSIGNED NOT NULL AUTO_INCREMENT, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, "
                        + "su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, bi BIGINT, bu BIGINT UNSIGNED, "
                        + "bz INT(5) ZEROFILL, bo BOOL, d DECIMAL(7,2) UNSIGNED, d0 DECIMAL, nu NUMERIC(4,1), f FLOAT, f2 FLOAT(7,3), "
                        + "fd FLOAT(30), db DOUBLE, db2 DOUBLE(10,2), r REAL, b1 BIT, b9 BIT(9), y YEAR, dt DATE, tm TIME(2), "
                        + "dtm DATETIME(3), ts TIMESTAMP(6) NULL, c CHAR(3), cu CHAR(2) CHARACTER SET utf8, v VARCHAR(10) COLLATE utf8mb4_bin, "
                        + "tt TINYTEXT, tx TEXT CHARACTER SET utf8mb4, mt MEDIUMTEXT, lt LONGTEXT, bn BINARY(4), b0 BINARY, "
                        + "vb VARBINARY(8), cb CHAR(2) CHARACTER SET binary, tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB, "
                        + "e ENUM('a','it''s'), s SET('x','y'), g GEOMETRY, pt POINT, ls LINESTRING, pg POLYGON, "
                        + "nc NATIONAL CHAR(2), PRIMARY KEY (id), UNIQUE KEY uk (c, v), KEY k (i), UNIQUE (bi)) ENGINE=InnoDB",
                "ALTER TABLE p ADD COLUMN a1 VARCHAR(3) AFTER id, ADD a2 INT FIRST, DROP COLUMN ti, "
                        + "MODIFY c CHAR(5) CHARACTER SET utf8mb4 NOT NULL DEFAULT '', CHANGE si si2 BIGINT UNSIGNED AFTER a2, "
                        + "DEFAULT CHARSET=utf8mb4, ADD a3 TEXT, DROP INDEX uk, ADD UNIQUE INDEX u2 (a1, a2)",
                "ALTER TABLE p CONVERT TO CHARACTER SET latin1, DROP PRIMARY KEY, ADD PRIMARY KEY (id, a2)"));
        // nullability (Debezium JSON's optional): NOT NULL set and dropped by MODIFY, a TIMESTAMP by explicit_defaults_for_timestamp
        ddl.add("ALTER TABLE p MODIFY i INT NOT NULL, MODIFY c CHAR(5) CHARACTER SET utf8mb4 NULL, ADD tsi TIMESTAMP, ADD tsn TIMESTAMP NULL");
        if (flavor != Flavor.MARIADB) ddl.add("ALTER TABLE p ADD j JSON");
        // the server changes types to keep each column's length in characters: TEXT -> MEDIUMTEXT, a
        // VARCHAR over 65,535 bytes -> MEDIUMTEXT (sql_mode='' here; strict mode refuses the statement)
        ddl.add("ALTER TABLE p ADD vl VARCHAR(20000), ADD t100 TEXT(100)");
        ddl.add("ALTER TABLE p CONVERT TO CHARACTER SET utf8mb4");
        ddl.add("ALTER TABLE p CONVERT TO CHARACTER SET binary");
        for (String sql : ddl) {
            server.exec("USE " + db, sql);
            history.apply(db, sql, new BinlogOffset("mysql-bin.000001", 4, ""), p::equals);
            assertTrue(history.get(p) != null && history.get(p).columns().size() > 40, "after " + sql);
            assertEquals(catalog.load(p), history.get(p), "after " + sql);
        }
        // ALTER DATABASE without a name is about the default database: later tables take its charset
        TableId q = new TableId(db, "q");
        for (String sql : List.of("ALTER DATABASE COLLATE utf8_bin", "CREATE TABLE q (c CHAR(2), t TEXT, v VARCHAR(3))")) {
            server.exec("USE " + db, sql);
            history.apply(db, sql, new BinlogOffset("mysql-bin.000001", 4, ""), q::equals);
        }
        assertEquals(catalog.load(q), history.get(q));
        assertEquals(flavor == Flavor.MARIADB ? "utf8mb3" : "utf8", history.get(q).columns().get(0).charset());
    }

    private static List<String> values(RowChange r) {
        List<String> out = new ArrayList<>();
        for (Value v : r.after()) {
            String s = text(v);
            out.add(s.contains(":") ? s.substring(s.indexOf(':') + 1) : s);
        }
        return out;
    }
}
