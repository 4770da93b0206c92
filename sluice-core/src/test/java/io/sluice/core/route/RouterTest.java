package io.sluice.core.route;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {

    private static JobConfig.Objects objects(List<String> include, List<String> exclude) {
        JobConfig.Objects o = new JobConfig.Objects();
        o.include.addAll(include);
        o.exclude.addAll(exclude);
        return o;
    }

    private static JobConfig.Target target(JobConfig.Partitioning p) {
        JobConfig.Target t = new JobConfig.Target();
        t.topic = "shop-changes";
        t.partitionBy = p;
        return t;
    }

    private static Router router(List<String> include, List<String> exclude) {
        return new Router(objects(include, exclude), target(JobConfig.Partitioning.NONE));
    }

    private static TableId t(String db, String table) { return new TableId(db, table); }

    @Test
    void includeAndExcludeGlobs() {
        Router r = router(List.of("shop.*", "crm.customer_*", "logs.events"), List.of("shop.tmp_*", "*.secret"));
        assertTrue(r.selects(t("shop", "orders")));
        assertTrue(r.selects(t("shop", "")), "'*' matches an empty run too");
        assertTrue(r.selects(t("crm", "customer_eu")));
        assertTrue(r.selects(t("crm", "customer_")));
        assertFalse(r.selects(t("crm", "customers_eu")), "the literal part must match exactly");
        assertTrue(r.selects(t("logs", "events")));
        assertFalse(r.selects(t("logs", "events2")), "a literal matches the whole name only");
        assertFalse(r.selects(t("shop", "tmp_1")), "excluded");
        assertFalse(r.selects(t("shop", "secret")), "excluded by *.secret");
        assertFalse(r.selects(t("shopping", "orders")), "the database part is anchored");
        assertFalse(r.selects(t("Shop", "orders")), "matching is case-sensitive");
        assertFalse(r.selects(t("other", "orders")));
    }

    @Test
    void globCharactersOtherThanStarAreLiteral() {
        Router r = router(List.of("a+b.t(1)", "x.y?z", "d.a.b"), List.of());
        assertTrue(r.selects(t("a+b", "t(1)")));
        assertFalse(r.selects(t("aab", "t1")));
        assertTrue(r.selects(t("x", "y?z")));
        assertFalse(r.selects(t("x", "yaz")), "'?' is not a wildcard");
        // the first dot separates database and table
        assertTrue(r.selects(t("d", "a.b")));
    }

    @Test
    void starStaysWithinItsName() {
        Router r = router(List.of("*.orders"), List.of());
        assertTrue(r.selects(t("shop", "orders")));
        assertTrue(r.selects(t("eu", "orders")));
        assertFalse(r.selects(t("shop", "orders_old")));
    }

    @Test
    void literalIncludesAreTheEntriesWithoutWildcards() {
        Router r = router(List.of("shop.orders", "shop.cust*", "crm.leads", "*.x"), List.of("shop.orders"));
        assertEquals(List.of(t("shop", "orders"), t("crm", "leads")), r.literalIncludes());
    }

    private static TableSchema schema(String db, String table, List<String> pk, String... columns) {
        List<Column> cols = java.util.Arrays.stream(columns).map(c -> Column.of(c, ColumnType.INT)).toList();
        return new TableSchema(t(db, table), cols, pk.isEmpty() ? Map.of() : Map.of("PRIMARY", pk));
    }

    @Test
    void routeWithoutMappingKeepsNames() {
        Router r = router(List.of("shop.*"), List.of());
        Route route = r.route(schema("shop", "orders", List.of("id"), "id", "total"));
        assertEquals("shop-changes", route.topic());
        assertEquals("shop.orders", route.objectName());
        assertEquals(List.of("id", "total"), route.fieldNames());
    }

    @Test
    void databaseTableAndColumnMapping() {
        JobConfig.Objects o = objects(List.of("shop.*", "crm.*"), List.of());
        o.mapping.databases.put("shop", "shop_prod");
        o.mapping.tables.put("shop.customers", "people.clients");
        o.mapping.columns.put("shop.orders", Map.of("total", "amount", "ID", "never"));
        Router r = new Router(o, target(JobConfig.Partitioning.NONE));

        Route orders = r.route(schema("shop", "orders", List.of("id"), "id", "total", "note"));
        assertEquals("shop_prod.orders", orders.objectName(), "database mapping");
        assertEquals(List.of("id", "amount", "note"), orders.fieldNames(), "column mapping by exact source name");

        Route customers = r.route(schema("shop", "customers", List.of(), "id", "total"));
        assertEquals("people.clients", customers.objectName(), "table mapping wins over database mapping");
        assertEquals(List.of("id", "total"), customers.fieldNames(), "column mapping is per source table");

        assertEquals("crm.leads", r.route(schema("crm", "leads", List.of(), "id")).objectName());
        assertEquals(t("people", "clients"), r.mappedName(t("shop", "customers")));
        assertEquals(t("shop_prod", "x"), r.mappedName(t("shop", "x")));
    }

    @Test
    void dotsInsideNamesAreEscaped() {
        JobConfig.Objects o = objects(List.of("*.*"), List.of());
        o.mapping.databases.put("a", "tenant.a");
        Router r = new Router(o, target(JobConfig.Partitioning.NONE));
        // six characters: backslash, u, 0, 0, 2, E
        String escapedDot = "\\" + "u002E";
        assertEquals(6, escapedDot.length());
        assertEquals("my" + escapedDot + "db.t" + escapedDot + "1", r.route(schema("my.db", "t.1", List.of(), "c")).objectName());
        assertEquals("tenant" + escapedDot + "a.t", r.route(schema("a", "t", List.of(), "c")).objectName());
        assertEquals("plain.t", r.route(schema("plain", "t", List.of(), "c")).objectName());
        // exactly one unescaped dot separates database and table
        String name = r.route(schema("x.y.z", "p.q", List.of(), "c")).objectName();
        assertEquals(1, name.chars().filter(ch -> ch == '.').count(), name);
    }

    @Test
    void backtickedNamesSelectAndMapTablesWhoseNamesHoldDots() {
        JobConfig.Objects o = objects(List.of("`db.x`.`t.y`", "`库`.*", "shop.`order`"), List.of("`库`.`tmp.*`"));
        o.mapping.tables.put("`db.x`.`t.y`", "`out.db`.`t y`");
        o.mapping.databases.put("`库`", "`k.u`");
        o.mapping.columns.put("`db.x`.`t.y`", Map.of("`a.b`", "`a``b`", "select", "`sel`"));
        Router r = new Router(o, target(JobConfig.Partitioning.NONE));
        assertTrue(r.selects(t("db.x", "t.y")));
        assertFalse(r.selects(t("db", "x.t.y")), "not the same table");
        assertTrue(r.selects(t("库", "表")));
        assertFalse(r.selects(t("库", "tmp.1")));
        assertTrue(r.selects(t("shop", "order")));
        assertEquals(List.of(t("db.x", "t.y"), t("shop", "order")), r.literalIncludes());
        Route route = r.route(schema("db.x", "t.y", List.of(), "a.b", "select", "c"));
        String dot = "\\" + "u002E";
        assertEquals("out" + dot + "db.t y", route.objectName());
        assertEquals(List.of("a`b", "sel", "c"), route.fieldNames());
        assertEquals("k" + dot + "u.表", r.route(schema("库", "表", List.of(), "c")).objectName());
        assertTrue(r.selectsDatabase("库"));
        assertTrue(r.selectsDatabase("db.x"));
        assertFalse(r.selectsDatabase("db"));
    }

    @Test
    void thePartitionOfATableIsTheHashOfItsUnquotedNames() {
        // the key is db, '.', table as stored: the same bytes as before backticks were accepted
        assertEquals(Murmur2.partition("db.x.t.y".getBytes(StandardCharsets.UTF_8), 6), Router.tablePartition(t("db.x", "t.y"), 6));
        assertEquals(Murmur2.partition("库.表".getBytes(StandardCharsets.UTF_8), 6), Router.tablePartition(t("库", "表"), 6));
    }

    @Test
    void everyIncludeEntryThatSelectsNothingIsNamed() {
        Router r = router(List.of("shop.orders", "shop.gone", "crm.*", "logs.tmp_*", "`a.b`.c"), List.of("logs.tmp_*"));
        List<TableId> onSource = List.of(t("shop", "orders"), t("logs", "tmp_1"), t("a.b", "c"), t("other", "x"));
        List<TableId> selected = onSource.stream().filter(r::selects).toList();
        assertEquals(List.of("shop.gone", "crm.*", "logs.tmp_*"),
                r.includesSelectingNothing(selected).stream().map(TablePattern::text).toList(),
                "missing table, pattern matching nothing, pattern whose tables are all excluded");
    }

    @Test
    void routeIsCachedPerSchemaVersion() {
        JobConfig.Objects o = objects(List.of("shop.*"), List.of());
        o.mapping.columns.put("shop.orders", Map.of("b", "bee"));
        Router r = new Router(o, target(JobConfig.Partitioning.NONE));
        TableSchema v1 = schema("shop", "orders", List.of(), "a", "b");
        Route first = r.route(v1);
        assertSame(first, r.route(v1), "same schema instance, same route instance");
        TableSchema v2 = schema("shop", "orders", List.of(), "a", "b", "c");
        Route second = r.route(v2);
        assertNotSame(first, second);
        assertEquals(List.of("a", "bee", "c"), second.fieldNames());
    }

    // ------------------------------------------------------------------ partitions

    private static final SourcePosition POS = new SourcePosition("mysql-bin.000001", 400, 100, "", 1_700_000_000L);

    private static Value[] row(long id, String other) {
        return new Value[]{new Value.IntegerValue(10, Long.toString(id)),
                new Value.CharacterValue("utf8mb4", other.getBytes(StandardCharsets.UTF_8))};
    }

    private static Router partitioned(JobConfig.Partitioning p) {
        return new Router(objects(List.of("*.*"), List.of()), target(p));
    }

    private static final TableSchema ORDERS = schema("shop", "orders", List.of("id"), "id", "note");

    @Test
    void noneKeepsEverythingOnPartitionZero() {
        Router r = partitioned(JobConfig.Partitioning.NONE);
        for (int i = 0; i < 50; i++) {
            assertEquals(0, r.partition(new RowChange(ORDERS, Operation.INSERT, null, row(i, "x"), POS), 12));
        }
    }

    @Test
    void singlePartitionIsAlwaysZero() {
        for (JobConfig.Partitioning p : JobConfig.Partitioning.values()) {
            Router r = partitioned(p);
            for (int i = 0; i < 20; i++) {
                RowChange c = new RowChange(schema("db" + i, "t" + i, List.of("id"), "id", "note"),
                        Operation.INSERT, null, row(i, "x"), POS);
                assertEquals(0, r.partition(c, 1), p.name());
                assertEquals(0, r.partition(c, 0), p.name());
            }
        }
    }

    @Test
    void tableSpreadsTablesAndKeepsEachTableOnOnePartition() {
        Router r = partitioned(JobConfig.Partitioning.TABLE);
        int n = 8;
        Set<Integer> used = new HashSet<>();
        for (int tbl = 0; tbl < 40; tbl++) {
            TableSchema s = schema("shop", "t" + tbl, List.of("id"), "id", "note");
            int p = r.partition(new RowChange(s, Operation.INSERT, null, row(1, "a"), POS), n);
            assertTrue(p >= 0 && p < n, "partition in range: " + p);
            for (int i = 0; i < 10; i++) {
                assertEquals(p, r.partition(new RowChange(s, Operation.UPDATE, row(i, "a"), row(i + 1, "b"), POS), n));
            }
            used.add(p);
        }
        assertTrue(used.size() > 1, "40 tables should not all land on one of 8 partitions");
    }

    @Test
    void primaryKeyKeepsEachRowOnOnePartition() {
        Router r = partitioned(JobConfig.Partitioning.PRIMARY_KEY);
        int n = 16;
        Set<Integer> used = new HashSet<>();
        for (long id = 0; id < 100; id++) {
            int insert = r.partition(new RowChange(ORDERS, Operation.INSERT, null, row(id, "a"), POS), n);
            // same key, other non-key values, all operations: same partition
            int update = r.partition(new RowChange(ORDERS, Operation.UPDATE, row(id, "a"), row(id, "b"), POS), n);
            int delete = r.partition(new RowChange(ORDERS, Operation.DELETE, row(id, "b"), null, POS), n);
            // an equal value from another schema instance of the same table
            TableSchema reloaded = schema("shop", "orders", List.of("id"), "id", "note");
            int again = r.partition(new RowChange(reloaded, Operation.INIT, null, row(id, "zzz"), POS), n);
            assertTrue(insert >= 0 && insert < n);
            assertEquals(insert, update, "update of id " + id);
            assertEquals(insert, delete, "delete of id " + id);
            assertEquals(insert, again, "init of id " + id);
            used.add(insert);
        }
        assertTrue(used.size() > 4, "100 keys should spread over 16 partitions, got " + used);
    }

    @Test
    void primaryKeyLooksColumnsUpByNameInAnyPosition() {
        Router r = partitioned(JobConfig.Partitioning.PRIMARY_KEY);
        TableSchema keyLast = schema("shop", "lines", List.of("order_id", "line"), "note", "order_id", "line");
        Value[] a = {new Value.TextObjectValue("JSON", "1"), new Value.IntegerValue(10, "7"), new Value.IntegerValue(10, "1")};
        Value[] b = {new Value.TextObjectValue("JSON", "2"), new Value.IntegerValue(10, "7"), new Value.IntegerValue(10, "1")};
        assertEquals(r.partition(new RowChange(keyLast, Operation.INSERT, null, a, POS), 32),
                r.partition(new RowChange(keyLast, Operation.UPDATE, a, b, POS), 32));
    }

    @Test
    void tableWithoutPrimaryKeyHashesTheWholeRow() {
        Router r = partitioned(JobConfig.Partitioning.PRIMARY_KEY);
        TableSchema noPk = schema("shop", "log", List.of(), "id", "note");
        int p = r.partition(new RowChange(noPk, Operation.INSERT, null, row(5, "a"), POS), 7);
        assertTrue(p >= 0 && p < 7);
        // equal rows (byte arrays compared by content) land together
        assertEquals(p, r.partition(new RowChange(noPk, Operation.DELETE, row(5, "a"), null, POS), 7));
    }

    // ---------------------------------------------------------------- DDL records

    @Test
    void ddlObjectNamesFollowTheMapping() {
        JobConfig.Objects o = objects(List.of("shop.*"), List.of());
        o.mapping.databases.put("shop", "shop.prod");
        o.mapping.tables.put("shop.customers", "people.clients");
        Router r = new Router(o, target(JobConfig.Partitioning.NONE));
        assertEquals("shop\\u002Eprod.orders", r.objectName(t("shop", "orders")));
        assertEquals("people.clients", r.objectName(t("shop", "customers")));
        assertEquals(r.route(schema("shop", "orders", List.of(), "id")).objectName(), r.objectName(t("shop", "orders")),
                "a table's DDL records and rows carry the same objectName");
        assertEquals("shop\\u002Eprod", r.databaseObjectName("shop"));
        assertEquals("other", r.databaseObjectName("other"));
    }

    @Test
    void aDatabaseIsSelectedWhenAnIncludeCanMatchItsTables() {
        Router r = router(List.of("shop.orders", "crm_*.customers", "logs.*"), List.of("logs.*", "shop.tmp_*"));
        assertTrue(r.selectsDatabase("shop"), "a literal include");
        assertTrue(r.selectsDatabase("crm_eu"), "a pattern's database part");
        assertFalse(r.selectsDatabase("crm"));
        assertFalse(r.selectsDatabase("logs"), "db.* excluded takes every table");
        assertFalse(r.selectsDatabase("shopping"));
    }

    @Test
    void ddlRecordsGoToTheirTablesPartition() {
        TableSchema s = schema("shop", "orders", List.of("id"), "id", "note");
        Router byTable = partitioned(JobConfig.Partitioning.TABLE);
        int rows = byTable.partition(new RowChange(s, Operation.INSERT, null, row(1, "a"), POS), 8);
        assertEquals(rows, byTable.ddlPartition(s.id(), 8), "in order among the table's rows");
        assertEquals(rows, partitioned(JobConfig.Partitioning.PRIMARY_KEY).ddlPartition(s.id(), 8));
        assertEquals(0, partitioned(JobConfig.Partitioning.NONE).ddlPartition(s.id(), 8));
        assertEquals(0, byTable.ddlPartition(null, 8), "database statements");
        assertEquals(0, byTable.ddlPartition(s.id(), 1));
    }
}
