package io.sluice.core.route;

import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** target.topics: which topic each table's records go to. */
class TopicRoutesTest {

    private static TableId t(String db, String table) { return new TableId(db, table); }

    private static Router router(Map<String, String> topics, JobConfig.Mapping mapping) {
        JobConfig.Objects o = new JobConfig.Objects();
        o.include.add("*.*");
        if (mapping != null) o.mapping = mapping;
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "rest";
        target.topics = topics;
        return new Router(o, target);
    }

    private static Map<String, String> ordered(String... patternTopic) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < patternTopic.length; i += 2) m.put(patternTopic[i], patternTopic[i + 1]);
        return m;
    }

    @Test
    void aTablesRouteCarriesItsEntrysFormatElseTargetFormat() {
        JobConfig.Objects o = new JobConfig.Objects();
        o.include.add("*.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "rest";
        target.format = JobConfig.Format.CANAL_JSON;
        target.setTopics(Map.of("shop.orders", Map.of("topic", "orders", "format", "debeziumJson")));
        Router r = new Router(o, target);
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, r.formatOf(t("shop", "orders")));
        assertEquals(JobConfig.Format.CANAL_JSON, r.formatOf(t("crm", "x")), "target.topic: target.format");
        io.sluice.core.route.Route route = r.route(new io.sluice.core.model.TableSchema(t("shop", "orders"), List.of(), Map.of()));
        assertEquals("orders", route.topic());
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, route.format());
    }

    @Test
    void theFirstMatchingEntryWinsAndUnmatchedTablesGoToTheDefault() {
        Router r = router(ordered("shop.orders", "orders", "shop.*", "shop-rest", "shop.orders_archive", "never"), null);
        assertEquals("orders", r.topicOf(t("shop", "orders")));
        assertEquals("shop-rest", r.topicOf(t("shop", "customers")));
        assertEquals("shop-rest", r.topicOf(t("shop", "orders_archive")), "an entry after a wider one never wins");
        assertEquals("rest", r.topicOf(t("crm", "orders")), "target.topic takes the rest");
        assertEquals("rest", r.defaultTopic());
        assertEquals("orders", r.route(new io.sluice.core.model.TableSchema(t("shop", "orders"), List.of(), Map.of())).topic(),
                "a table's route carries its topic");
    }

    @Test
    void withoutTopicsEveryTableGoesToTheDefault() {
        Router r = router(new LinkedHashMap<>(), null);
        assertEquals("rest", r.topicOf(t("shop", "orders")));
        assertEquals(Set.of("rest"), r.recordTopics(List.of(t("shop", "orders"), t("a", "b"))));
    }

    @Test
    void patternsMatchSourceNamesWhilePlaceholdersTakeMappedNames() {
        JobConfig.Mapping m = new JobConfig.Mapping();
        m.databases.put("shop", "shop_prod");
        m.tables.put("shop.orders", "sales.orders_v2");
        Router r = router(ordered("shop_prod.*", "never", "shop.*", "cdc.{database}.{table}"), m);
        assertEquals("cdc.sales.orders_v2", r.topicOf(t("shop", "orders")), "the explicit table mapping");
        assertEquals("cdc.shop_prod.customers", r.topicOf(t("shop", "customers")), "the database mapping");
    }

    /** Whoever may create a table must not steer rows into a checkpoint, DDL or internal topic through a template. */
    @Test
    void aTemplateNeverExpandsToACheckpointDdlOrInternalTopic() {
        Router r = router(ordered("app.*", "app_{table}", "sys.*", "{table}"), null);
        r.topicRoutes().reserve("app_ckpt");
        assertEquals("app_orders", r.topicOf(t("app", "orders")));
        for (TableId bad : List.of(t("app", "ckpt"), t("sys", "__consumer_offsets"), t("sys", "rest-sluice-checkpoints"))) {
            SluiceException e = assertThrows(SluiceException.class, () -> r.topicOf(bad), bad.toString());
            assertTrue(e.problem().contains("not a topic for records") && e.fix().contains("before '"), e.problem() + " / " + e.fix());
        }
    }

    @Test
    void backtickedPatternsAndNamesKafkaDoesNotAllowInATopic() {
        Router r = router(ordered("`db.x`.`t.y`", "odd", "`my db`.*", "cdc.{database}.{table}"), null);
        assertEquals("odd", r.topicOf(t("db.x", "t.y")));
        assertEquals("cdc.my_db.caf_", r.topicOf(t("my db", "café")), "a space and a non-ASCII letter become '_'");
    }

    @Test
    void everyTopicTheTablesGoToWithTheDefault() {
        Router r = router(ordered("shop.orders", "orders", "shop.*", "shop-{table}"), null);
        assertEquals(List.of("rest", "orders", "shop-customers"),
                List.copyOf(r.recordTopics(List.of(t("shop", "orders"), t("shop", "customers"), t("crm", "x")))));
    }

    @Test
    void entriesRoutingNoSelectedTableAreFound() {
        Router r = router(ordered("shop.orders", "orders", "shop.order*", "shadowed", "crm.*", "crm", "shop.*", "shop"), null);
        List<String> unused = r.topicRoutes().entriesRoutingNothing(List.of(t("shop", "orders"), t("shop", "customers")))
                .stream().map(e -> e.pattern().text()).toList();
        assertEquals(List.of("shop.order*", "crm.*"), unused, "one matching nothing, one whose tables an earlier entry takes");
    }

    @Test
    void aTemplateGivingATooLongTopicStopsWithTheFix() {
        Router r = router(ordered("*.*", "cdc.{database}.{table}"), null);
        SluiceException e = assertThrows(SluiceException.class, () -> r.topicOf(t("db", "x".repeat(250))));
        assertTrue(e.problem().contains("249"), e.problem());
        assertTrue(e.fix().contains("shorter topic"), e.fix());
    }

    @Test
    void theFlatTextFormRoutesAsTheMapping() {
        JobConfig c = new JobConfigLoader(k -> null).parse("""
                name: j
                source: {name: s, host: h, user: u, serverId: 1}
                target:
                  bootstrapServers: k:9092
                  topic: rest
                  topics: 'shop.orders:orders, shop.*:shop-rest,`a,b`.`c:d`:odd'
                objects: {include: ['*.*']}
                """, "job.yaml");
        Router r = new Router(c.objects, c.target);
        assertEquals("orders", r.topicOf(t("shop", "orders")));
        assertEquals("shop-rest", r.topicOf(t("shop", "x")));
        assertEquals("odd", r.topicOf(t("a,b", "c:d")), "commas and colons inside backticks belong to the pattern");
        assertEquals("rest", r.topicOf(t("crm", "x")));
    }
}
