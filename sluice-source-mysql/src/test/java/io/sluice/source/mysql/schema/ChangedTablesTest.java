package io.sluice.source.mysql.schema;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link SchemaHistory#apply} reports as changed: the tables a DDL record is about. */
class ChangedTablesTest {

    private static final Predicate<TableId> SHOP = id -> id.database().equals("shop") && !id.table().startsWith("x");
    private SchemaHistory h;
    private long pos = 1000;

    @BeforeEach
    void setUp() {
        h = new SchemaHistory(Dialect.MYSQL57, new SchemaHistoryTest.FakeServer());
        h.putDatabase("shop", "utf8mb4");
        h.putDatabase("other", "utf8mb4");
    }

    private List<TableId> apply(String sql) {
        pos += 100;
        Set<TableId> changed = h.apply("shop", sql, new BinlogOffset("mysql-bin.000001", pos, ""), SHOP);
        return List.copyOf(changed);
    }

    private static TableId t(String db, String table) { return new TableId(db, table); }

    @Test
    void tableStatementsReportTheirTablesInStatementOrder() {
        assertEquals(List.of(t("shop", "a")), apply("CREATE TABLE a (id INT PRIMARY KEY)"));
        assertEquals(List.of(t("shop", "a")), apply("ALTER TABLE a ADD c INT"));
        assertEquals(List.of(t("shop", "a")), apply("TRUNCATE TABLE a"));
        assertEquals(List.of(t("shop", "a"), t("shop", "b")), apply("RENAME TABLE a TO b"));
        assertEquals(List.of(t("shop", "b"), t("other", "b")), apply("ALTER TABLE b RENAME TO other.b"));
        assertEquals(List.of(t("other", "b"), t("shop", "a")), apply("RENAME TABLE other.b TO a"));
        assertEquals(List.of(t("shop", "a"), t("shop", "c")), apply("DROP TABLE a, c"));
    }

    @Test
    void theSourceOfCreateLikeIsReadNotChanged() {
        apply("CREATE TABLE a (id INT PRIMARY KEY)");
        assertEquals(List.of(t("shop", "_a_gho")), apply("CREATE TABLE _a_gho LIKE a"));
    }

    @Test
    void statementsThatChangeNoTableReportNone() {
        assertEquals(List.of(), apply("GRANT SELECT ON shop.* TO 'u'@'%'"));
        assertEquals(List.of(), apply("CREATE DATABASE more"));
        assertEquals(List.of(), apply("CREATE VIEW v AS SELECT 1"));
        // unparseable and touching no selected table: skipped
        assertEquals(List.of(), apply("ALTER TABLE xskip ADD COLUMN v LONG VARCHAR"));
    }

    @Test
    void anUnparseableStatementReportsTheSelectedTablesItReRead() {
        apply("CREATE TABLE a (id INT PRIMARY KEY)");
        assertEquals(List.of(t("shop", "a")), apply("ALTER TABLE a ADD COLUMN v LONG VARCHAR"));
    }
}
