package io.sluice.source.mysql.schema;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saved history's format version: 2 when it holds nullability ({@code nn}, {@code tsNotNull}),
 * else 1; both are read, and a newer one is reported as such, not as corrupt.
 */
class HistoryJsonTest {

    private static final TableId T = new TableId("shop", "t");
    private final SchemaHistoryTest.FakeServer server = new SchemaHistoryTest.FakeServer();

    private SchemaHistory history(Dialect dialect, String ddl) {
        SchemaHistory h = new SchemaHistory(dialect, server);
        h.putDatabase("shop", "utf8mb4");
        if (ddl != null) h.apply("shop", ddl, new BinlogOffset("mysql-bin.000001", 100, ""), T::equals);
        return h;
    }

    @Test
    void nullabilityIsWrittenAsFormat2AndOnlyThen() {
        assertTrue(history(Dialect.MYSQL57, "CREATE TABLE t (id INT, v INT NULL)").toJson().startsWith("{\"v\":1,"),
                "nothing a format-1 reader does not know: still format 1");
        String notNull = history(Dialect.MYSQL57, "CREATE TABLE t (id INT PRIMARY KEY, v INT)").toJson();
        assertTrue(notNull.startsWith("{\"v\":2,") && notNull.contains("\"nn\":true"), notNull);
        String tsNotNull = history(new Dialect("utf8mb4", "utf8", false, true), null).toJson();
        assertTrue(tsNotNull.startsWith("{\"v\":2,") && tsNotNull.contains("\"tsNotNull\":true"), tsNotNull);
    }

    @Test
    void readsFormats1And2() {
        String v1 = "{\"v\":1,\"serverCharset\":\"utf8mb4\",\"utf8\":\"utf8\",\"mariadb\":false,\"databases\":{\"shop\":\"utf8mb4\"},"
                + "\"tables\":[{\"db\":\"shop\",\"name\":\"t\",\"columns\":[{\"n\":\"id\",\"t\":\"INT\",\"p\":10,\"s\":0}],"
                + "\"keys\":{\"PRIMARY\":[\"id\"]}}]}";
        assertTrue(SchemaHistory.fromJson(v1, server).get(T).columns().get(0).nullable(), "saved before nullability was kept");
        // format 1 with nn: written by the first Sluice that kept nullability
        String v1nn = v1.replace("\"s\":0}", "\"s\":0,\"nn\":true}");
        assertFalse(SchemaHistory.fromJson(v1nn, server).get(T).columns().get(0).nullable());
        SchemaHistory v2 = SchemaHistory.fromJson(v1nn.replace("{\"v\":1,", "{\"v\":2,\"tsNotNull\":true,"), server);
        assertFalse(v2.get(T).columns().get(0).nullable());
        assertTrue(v2.dialect().implicitNotNullTimestamp());
        SchemaHistory h = history(Dialect.MYSQL57, "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL, w INT)");
        List<Column> columns = h.get(T).columns();
        assertEquals(columns, SchemaHistory.fromJson(h.toJson(), server).get(T).columns());
    }

    /** The version is checked before the fields: a newer format's unknown fields say which Sluice to run. */
    @Test
    void aNewerFormatIsNamedNotCalledCorrupt() {
        SluiceException e = assertThrows(SluiceException.class, () -> SchemaHistory.fromJson(
                "{\"v\":3,\"serverCharset\":\"utf8mb4\",\"somethingNew\":1,\"tables\":[{\"db\":\"shop\",\"name\":\"t\",\"columns\":[],\"x\":2}]}",
                server));
        assertTrue(e.getMessage().contains("has format 3, this Sluice reads formats 1 to 2"), e.getMessage());
        assertTrue(e.fix().contains("run the Sluice version that wrote it"), e.fix());
        SluiceException corrupt = assertThrows(SluiceException.class, () -> SchemaHistory.fromJson(
                "{\"v\":2,\"somethingNew\":1}", server));
        assertTrue(corrupt.getMessage().contains("schema history is corrupt"), corrupt.getMessage());
    }
}
