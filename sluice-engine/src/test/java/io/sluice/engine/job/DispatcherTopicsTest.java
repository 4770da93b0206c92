package io.sluice.engine.job;

import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.engine.state.Checkpoint;
import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.DdlChange;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.format.dts.DtsRecordIds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** target.topics in the dispatcher: each record to its table's topic, partitioned by that topic's count, one commit over all. */
class DispatcherTopicsTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema ORDERS = table("orders");
    private static final TableSchema ITEMS = table("items");
    private static final TableSchema NOTES = table("notes");
    /** Partition counts: orders' topic has 4, the others 1. */
    private static final Map<String, Integer> PARTITIONS = Map.of("orders", 4, "shop.items", 1, "rest", 1, "ddl", 1);

    private static TableSchema table(String name) {
        return new TableSchema(new TableId("shop", name), List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    }

    /** Each send as "topic/partition:id", each commit as "commit/next id". */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> events = new ArrayList<>();

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            events.add((topic == null ? "(default)/" + partition + ":" : topic + "/" + partition + ":") + DtsRecordIds.id(value));
        }
        @Override public void commit(Checkpoint c) { events.add("commit/next " + c.nextId()); }
    }

    private static RowChange row(TableSchema t, int id, long end) {
        return new RowChange(t, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(id))},
                new SourcePosition(FILE, end, 100, "", 0));
    }

    private static List<String> dispatch(String ddlTopic, Dispatch feed) throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "rest";
        target.topics.put("shop.orders", "orders");
        target.topics.put("shop.item*", "{database}.{table}");
        target.partitionBy = JobConfig.Partitioning.TABLE;
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, PARTITIONS::get, 20_000,
                Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        if (ddlTopic != null) d.writeDdl(ddlTopic, 1);
        Thread thread = new Thread(d);
        thread.start();
        feed.into(d);
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        return delivery.events;
    }

    interface Dispatch { void into(Dispatcher d) throws InterruptedException; }

    private static void oneTransactionOverThreeTables(Dispatcher d) throws InterruptedException {
        d.onRow(row(ORDERS, 1, 150));
        d.onRow(row(ITEMS, 1, 160));
        d.onRow(row(NOTES, 1, 170));
        d.onDdl(new DdlChange("ALTER TABLE orders ADD c INT", ORDERS.id(), ORDERS, null, new SourcePosition(FILE, 250, 200, "", 0)));
        d.onDdl(new DdlChange("CREATE DATABASE shop2", null, null, "shop2", new SourcePosition(FILE, 300, 250, "", 0)));
        d.onCommit(new BinlogOffset(FILE, 300, ""), "");
    }

    @Test
    void eachRecordGoesToItsTablesTopicOnThatTopicsPartitionsInOneCommit() throws Exception {
        int ordersPartition = Router.tablePartition(ORDERS.id(), 4);
        List<String> events = dispatch(null, DispatcherTopicsTest::oneTransactionOverThreeTables);
        assertEquals(List.of("orders/" + ordersPartition + ":1", "shop.items/0:2", "rest/0:3",
                "orders/" + ordersPartition + ":4", // a table's DDL record: its topic, its partition
                "rest/0:5", // a database statement: target.topic
                "commit/next 6"), events);
    }

    /** Rows alternating between topics of different partition counts: each takes its own topic's count. */
    @Test
    void alternatingTopicsEachKeepTheirPartitionCount() throws Exception {
        int ordersPartition = Router.tablePartition(ORDERS.id(), 4);
        assertNotEquals(0, ordersPartition, "precondition: a partition that one partition could not give");
        List<String> events = dispatch(null, d -> {
            d.onRow(row(ITEMS, 1, 150));
            d.onRow(row(ORDERS, 1, 160));
            d.onRow(row(ORDERS, 2, 170));
            d.onRow(row(NOTES, 1, 180));
            d.onRow(row(ORDERS, 3, 190));
            d.onCommit(new BinlogOffset(FILE, 200, ""), "");
        });
        assertEquals(List.of("shop.items/0:1", "orders/" + ordersPartition + ":2", "orders/" + ordersPartition + ":3",
                "rest/0:4", "orders/" + ordersPartition + ":5", "commit/next 6"), events);
    }

    @Test
    void aDdlTopicTakesEveryDdlRecord() throws Exception {
        List<String> events = dispatch("ddl", DispatcherTopicsTest::oneTransactionOverThreeTables);
        assertEquals(List.of("orders/" + Router.tablePartition(ORDERS.id(), 4) + ":1", "shop.items/0:2", "rest/0:3",
                "ddl/0:4", "ddl/0:5", "commit/next 6"), events);
    }
}
