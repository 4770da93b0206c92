package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Router;
import io.sluice.engine.init.PendingChunk;
import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.InitProgress;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.source.mysql.SchemaCache;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An initialization chunk arriving while the stream is idle is written when it arrives: the
 * dispatcher does not sleep through its poll interval (the commit interval) with the chunk ready.
 * That wait used to delay the first INIT record and every chunk of an idle source.
 */
class DispatcherChunkArrivalTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    /** Far longer than the test waits: without the wake-up the chunk would wait this long. */
    private static final int COMMIT_INTERVAL_MS = 600_000;

    private static class IdleDelivery extends TestDelivery {
        @Override public int commitIntervalMs() { return COMMIT_INTERVAL_MS; }
    }

    @Test
    void aChunkArrivingWhileTheStreamIsIdleIsWrittenAtOnce() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        IdleDelivery delivery = new IdleDelivery();
        BinlogOffset at = new BinlogOffset(FILE, 100, "");
        Checkpoint start = Checkpoint.at(at, 0, 1).withInitialization(InitProgress.pending(List.of(T.id().toString())));
        SchemaCache schemas = TestSchemaCaches.empty();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                100, start, new JobMetrics(), schemas);
        Thread thread = new Thread(d);
        thread.start();
        try {
            CountDownLatch written = new CountDownLatch(1);
            PendingChunk chunk = new PendingChunk(T.id(), List.of("id"), n -> written.countDown());
            d.openChunk(chunk);
            Thread.sleep(200); // the loop takes the chunk in and goes back to waiting for stream items
            // the table's last chunk, empty (writing rows needs the table in the schema history; the wake-up is the same),
            // read at the stream's position: ready as soon as it arrives
            chunk.arrive(new PendingChunk.Rows(T, List.of(), null, at, 0, true));
            assertTrue(written.await(60, TimeUnit.SECONDS), "the chunk was written while the stream was idle");
        } finally {
            d.finish();
            thread.join(10_000);
        }
        assertNull(d.failure());
    }

    /**
     * A chunk read while the history said `v` was nullable, written after a TABLE_MAP event made it
     * NOT NULL (SchemaHistory.nullability): the rows are as right as before, so they are written
     * (with the current definition) instead of failing the job as a table changed mid-initialization.
     */
    @Test
    void aChunkReadBeforeATableMapCorrectedNullabilityIsWritten() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        IdleDelivery delivery = new IdleDelivery() {
            @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) { sent.incrementAndGet(); }
        };
        BinlogOffset at = new BinlogOffset(FILE, 100, "");
        Checkpoint start = Checkpoint.at(at, 0, 1).withInitialization(InitProgress.pending(List.of(T.id().toString())));
        SchemaCache schemas = SchemaCache.fromJson("{\"v\":2,\"serverCharset\":\"utf8mb4\",\"utf8\":\"utf8\",\"mariadb\":false,"
                + "\"databases\":{},\"tables\":[{\"db\":\"shop\",\"name\":\"t\",\"columns\":[{\"n\":\"id\",\"t\":\"INT\",\"nn\":true},"
                + "{\"n\":\"v\",\"t\":\"INT\",\"nn\":true}],\"keys\":{\"PRIMARY\":[\"id\"]}}]}", null);
        TableSchema asRead = new TableSchema(T.id(), List.of(Column.of("id", ColumnType.INT).withNullable(false), Column.of("v", ColumnType.INT)),
                Map.of("PRIMARY", List.of("id")));
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                100, start, new JobMetrics(), schemas);
        Thread thread = new Thread(d);
        thread.start();
        try {
            CountDownLatch written = new CountDownLatch(1);
            PendingChunk chunk = new PendingChunk(T.id(), List.of("id"), n -> written.countDown());
            d.openChunk(chunk);
            Thread.sleep(200);
            chunk.arrive(new PendingChunk.Rows(asRead, List.<io.sluice.core.model.Value[]>of(new io.sluice.core.model.Value[] {
                    new io.sluice.core.model.Value.IntegerValue(11, "1"), new io.sluice.core.model.Value.IntegerValue(11, "7")}),
                    null, at, 0, true));
            assertTrue(written.await(60, TimeUnit.SECONDS), "the chunk was written");
        } finally {
            d.finish();
            thread.join(10_000);
        }
        assertNull(d.failure());
        assertTrue(sent.get() >= 1, "its row was sent");
        assertTrue(!Dispatcher.sameColumnsButNullability(asRead, new TableSchema(T.id(),
                List.of(Column.of("id", ColumnType.BIGINT), Column.of("v", ColumnType.INT)), Map.of())), "a type change still counts");
    }
}
