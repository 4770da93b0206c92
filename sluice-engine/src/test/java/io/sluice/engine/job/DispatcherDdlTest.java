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
import static org.junit.jupiter.api.Assertions.assertNull;

/** The dispatcher's DDL path against a recording delivery: ids, topics, and which checkpoint commits a DDL record. */
class DispatcherDdlTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    /** Each send as "topic:id", each commit as "commit@position/next id". */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> events = new ArrayList<>();

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            events.add((topic == null ? "main:" : topic + ":") + DtsRecordIds.id(value));
        }
        @Override public void commit(Checkpoint c) { events.add("commit@" + c.binlogPosition() + "/next " + c.nextId()); }
        @Override public void abort() { events.add("abort"); }
    }

    interface Feed { void into(Dispatcher d) throws InterruptedException; }

    private static RowChange row(int id, long end, long txStart) {
        return new RowChange(T, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(id))},
                new SourcePosition(FILE, end, txStart, "", 0));
    }

    private static DdlChange ddl(String sql, TableSchema after, long end, long txStart) {
        return new DdlChange(sql, T.id(), after, null, new SourcePosition(FILE, end, txStart, "", 0));
    }

    private static BinlogOffset at(long position) {
        return new BinlogOffset(FILE, position, "");
    }

    /** Runs a dispatcher over the events, then stops it; returns what reached the delivery. */
    private static List<String> dispatch(int maxRecordsPerTransaction, long skipRows, Feed feed) throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                maxRecordsPerTransaction, Checkpoint.at(at(100), skipRows, 1), new JobMetrics(),
                TestSchemaCaches.empty());
        d.writeDdl("ddl", 1);
        Thread thread = new Thread(d);
        thread.start();
        feed.into(d);
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        return delivery.events;
    }

    @Test
    void aDdlRecordIsCommittedOnlyWithTheCheckpointPastItsStatement() throws Exception {
        // Two records per Kafka transaction: the row and the DDL record fill one. The commit must wait
        // for the statement's own commit (400), never carry the checkpoint before it (200): a restart
        // from 200 would write the DDL record again.
        List<String> events = dispatch(2, 0, d -> {
            d.onRow(row(1, 180, 120));
            d.onCommit(at(200), "");
            d.onDdl(ddl("ALTER TABLE t ADD c INT", T, 400, 200));
            d.onCommit(at(400), "");
            d.onRow(row(2, 480, 420));
            d.onCommit(at(500), "");
        });
        assertEquals(List.of("main:1", "ddl:2", "commit@400/next 3", "main:3", "commit@500/next 4", "abort"), events);
    }

    @Test
    void aDdlRecordAlreadyWrittenIsSkippedLikeARowOfItsTransaction() throws Exception {
        // Resuming at a checkpoint that says one record of the event group starting at 100 is written.
        List<String> events = dispatch(1000, 1, d -> {
            d.onDdl(ddl("TRUNCATE t", T, 150, 100));
            d.onCommit(at(150), "");
            d.onDdl(ddl("DROP TABLE t", null, 250, 150));
            d.onCommit(at(250), "");
        });
        assertEquals(List.of("ddl:1", "commit@250/next 2", "abort"), events);
    }
}
