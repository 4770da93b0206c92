package io.sluice.source.mysql.schema;

import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggedStatementTest {

    private static List<TableId> changed(String sql) {
        LoggedStatement.Dml dml = LoggedStatement.dml(sql, "shop");
        assertFalse(dml.unsure(), sql);
        return dml.tables();
    }

    private static TableId t(String db, String table) {
        return new TableId(db, table);
    }

    @Test
    void namesTheTablesADataChangingStatementWrites() {
        assertEquals(List.of(t("shop", "orders")), changed("INSERT INTO orders VALUES (1)"));
        assertEquals(List.of(t("shop", "orders")), changed("/* app */ insert into `orders` (id) values (1) on duplicate key update id = 2"));
        assertEquals(List.of(t("a", "b")), changed("UPDATE `a`.`b` SET v = 1 WHERE id = 2"));
        assertEquals(List.of(t("shop", "orders")), changed("DELETE FROM orders WHERE id IN (SELECT id FROM shop.gone)"));
        assertEquals(List.of(t("x", "t")), changed("INSERT INTO x.t SELECT * FROM y.u"));
        assertEquals(List.of(t("shop", "t")), changed("LOAD DATA INFILE '/tmp/SQL_LOAD-1-2-3.data' INTO TABLE `t` FIELDS TERMINATED BY ','"));
        assertEquals(List.of(t("shop", "t")), changed("WITH c AS (SELECT 1 AS id) UPDATE t JOIN c USING (id) SET v = 2"));
    }

    @Test
    void ptTableChecksumWritesOnlyItsOwnTable() {
        assertEquals(List.of(t("percona", "checksums")), changed("REPLACE INTO `percona`.`checksums` (db, tbl, chunk, this_crc)"
                + " SELECT 'shop', 'orders', '1', COUNT(*) FROM `shop`.`orders` FORCE INDEX(`PRIMARY`) WHERE ((`id` >= '1'))"));
    }

    @Test
    void multiTableFormsCountEveryTableThatMayChange() {
        assertTrue(changed("UPDATE a.t1 JOIN b.t2 ON t1.id = t2.id SET t1.v = t2.v").containsAll(List.of(t("a", "t1"), t("b", "t2"))));
        assertTrue(changed("DELETE t1, t2 FROM t1 INNER JOIN t2 INNER JOIN t3 WHERE t1.id = t2.id AND t2.id = t3.id")
                .containsAll(List.of(t("shop", "t1"), t("shop", "t2"))));
    }

    @Test
    void anUnparseableStatementNamesEverythingItMentions() {
        LoggedStatement.Dml dml = LoggedStatement.dml("INSERT INTO orders VALUES (1) ((( nonsense", "shop");
        assertTrue(dml.unsure());
        assertTrue(dml.tables().contains(t("shop", "orders")), dml.toString());
    }

    @Test
    void transactionControlAndDdlAreNotDml() {
        for (String sql : List.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT `s`", "ROLLBACK TO `s`", "XA START X'78',X'',1",
                "XA COMMIT X'78',X'',1", "# Dummy event replacing event type 160 that slave cannot handle.", "",
                "CREATE TABLE t (id INT)", "ALTER TABLE t ADD COLUMN v INT", "TRUNCATE t", "DROP TABLE t")) {
            assertNull(LoggedStatement.dml(sql, "shop"), sql);
        }
    }

    @Test
    void createTableSelectNamesTheTableItFills() {
        assertEquals(t("shop", "c"), LoggedStatement.createdWithSelect("CREATE TABLE c SELECT * FROM shop.a", "shop"));
        assertEquals(t("x", "c"), LoggedStatement.createdWithSelect("create table `x`.`c` (id INT) AS SELECT id FROM a", "shop"));
        assertNull(LoggedStatement.createdWithSelect("CREATE TABLE `x`.`c` (`id` int(11) NOT NULL)", "shop"));
    }

    @Test
    void truncateNamesItsTable() {
        assertEquals(t("shop", "orders"), LoggedStatement.truncated("TRUNCATE orders", "shop"));
        assertEquals(t("a", "b"), LoggedStatement.truncated("truncate table `a`.`b`", "shop"));
        assertNull(LoggedStatement.truncated("DROP TABLE orders", "shop"));
        assertNull(LoggedStatement.truncated("INSERT INTO orders VALUES (1)", "shop"));
    }
}
