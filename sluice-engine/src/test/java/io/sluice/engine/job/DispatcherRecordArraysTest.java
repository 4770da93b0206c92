package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import io.sluice.engine.state.Checkpoint;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.format.dts.DtsRecordIds;
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed rows go out in arrays the encoder writes again only where the delivery is done with a
 * value when its send returns (the Kafka sinks without interceptors); a delivery that keeps what it
 * is sent (the Kafka Connect task's, until the worker polls) gets an array of its own per record.
 */
class DispatcherRecordArraysTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema ORDERS = new TableSchema(new TableId("shop", "orders"),
            List.of(Column.of("id", ColumnType.INT), Column.of("note", ColumnType.VARCHAR)), Map.of("PRIMARY", List.of("id")));
    private static final int ROWS = 200;

    /** Keeps every array it is sent and a copy of its bytes at the time of the send. */
    private static final class KeepingDelivery extends TestDelivery {
        final boolean releases;
        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> atSend = new ArrayList<>();

        KeepingDelivery(boolean releases) { this.releases = releases; }

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            sent.add(value);
            atSend.add(value.clone());
        }
        @Override public boolean releasesValueOnSend() { return releases; }
    }

    /** ROWS inserts in one transaction, their records of a few sizes (ids of 1 and 2 varint bytes, notes "row 0" to "row 199"). */
    private static KeepingDelivery stream(boolean releases) throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "rest";
        KeepingDelivery delivery = new KeepingDelivery(releases);
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, t -> 1, 20_000,
                Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        for (int i = 0; i < ROWS; i++) {
            Value[] row = {Value.IntegerValue.of(10, 1000 + i), new Value.CharacterValue("utf8mb4", ("row " + i).getBytes())};
            d.onRow(new RowChange(ORDERS, Operation.INSERT, null, row, new SourcePosition(FILE, 150 + i, 100, "", 0)));
        }
        d.onCommit(new BinlogOffset(FILE, 150 + ROWS, ""), "");
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        assertEquals(ROWS, delivery.sent.size());
        for (int i = 0; i < ROWS; i++) {
            assertEquals(i + 1, DtsRecordIds.id(delivery.atSend.get(i)), "record " + i + " as it was sent");
        }
        return delivery;
    }

    private static int distinctArrays(List<byte[]> arrays) {
        Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(arrays);
        return distinct.size();
    }

    @Test
    void aDeliveryThatKeepsRecordsGetsAnArrayPerRecordNeverWrittenAgain() throws Exception {
        KeepingDelivery delivery = stream(false);
        assertEquals(ROWS, distinctArrays(delivery.sent));
        for (int i = 0; i < ROWS; i++) assertArrayEquals(delivery.atSend.get(i), delivery.sent.get(i), "record " + i + " afterwards");
    }

    @Test
    void aDeliveryDoneWithEachValueGetsArraysReusedPerSize() throws Exception {
        KeepingDelivery delivery = stream(true);
        long sizes = delivery.sent.stream().mapToInt(a -> a.length).distinct().count();
        assertTrue(sizes > 1 && sizes < ROWS / 10, "precondition: a few record sizes, " + sizes);
        assertEquals(sizes, distinctArrays(delivery.sent), "one array per record size, not one per record");
    }
}
