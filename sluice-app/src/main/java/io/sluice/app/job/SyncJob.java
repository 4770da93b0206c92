package io.sluice.app.job;

import io.sluice.app.state.JobState;
import io.sluice.app.state.LocalStateStore;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Router;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.format.dts.DtsRecordIds;
import io.sluice.sink.kafka.KafkaSink;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicTail;
import io.sluice.source.mysql.BinlogReader;
import io.sluice.source.mysql.Catalog;
import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sync job: checks source and target, then streams the binlog into Kafka until stopped.
 * Checkpoints (binlog offset + next id) are saved once their records are acknowledged.
 */
public final class SyncJob {

    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
    private static final long CHECKPOINT_INTERVAL_MS = 1000;

    private final JobConfig config;
    private final JobMetrics metrics = new JobMetrics();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String phase = "starting";

    public SyncJob(JobConfig config) {
        this.config = config;
    }

    public JobMetrics metrics() { return metrics; }

    public String phase() { return phase; }

    /** Asks a running job to stop: in-flight records are written and checkpointed first. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Waits for {@link #run()} to return after {@link #requestStop()}. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Runs until {@link #requestStop()} or a failure (thrown, typically a {@link SluiceException}). */
    public void run() throws InterruptedException {
        try {
            runJob();
        } finally {
            phase = "stopped";
            stopped.countDown();
        }
    }

    private void runJob() throws InterruptedException {
        JobConfig.Source src = config.source;
        String where = src.host + ":" + src.port;
        SourceConnection source = new SourceConnection(src);
        Router router = new Router(config.objects, config.target);
        Catalog catalog = new Catalog(source);
        SchemaCache schemas = new SchemaCache(catalog);
        ServerInfo server;
        BinlogOffset current;
        try (Connection c = source.open()) {
            server = ServerInfo.read(c);
            server.requireRowBinlog(where);
            current = BinlogReader.currentOffset(c);
        } catch (SQLException e) {
            throw source.translate(e);
        }
        List<TableId> tables = catalog.tables(router::selects);
        for (TableId literal : router.literalIncludes()) {
            if (!tables.contains(literal) && router.selects(literal)) {
                throw new SluiceException("table " + literal + " in objects.include does not exist on the source " + where,
                        "create the table, correct its name, or remove it from objects.include");
            }
        }
        for (TableId t : tables) {
            TableSchema schema = catalog.load(t);
            if (schema != null) {
                schemas.put(schema);
                if (schema.primaryKey().isEmpty()) {
                    log.warn("table {} has no primary key: consumers cannot deduplicate its rows by key", t);
                }
            }
        }
        log.info("source {} is {} ({}); {} table(s) selected: {}", src.name, where, server.version(), tables.size(), tables);

        KafkaTarget target = new KafkaTarget(config.target);
        int partitions = target.ensureTopic();
        LocalStateStore store = new LocalStateStore(Path.of(config.state.dir), config.name);
        JobState state = store.load();
        BinlogOffset start = state != null ? state.offset() : current;
        long topicMax = TopicTail.maxId(target, DtsRecordIds::id);
        long nextId = Math.max(Math.max(state != null ? state.nextId() : 1, topicMax + 1), 1);
        log.info("job {}: {} at {}, next record id {}, topic {} ({} partition(s)); delivery is at-least-once",
                config.name, state != null ? "resuming" : "starting (no checkpoint yet)", start, nextId,
                config.target.topic, partitions);
        if (state == null) store.save(JobState.of(start, nextId));

        try (KafkaSink sink = new KafkaSink(target)) {
            Dispatcher dispatcher = new Dispatcher(router, new DtsAvroEncoder(src.name, server.version()), sink,
                    partitions, nextId, start, metrics);
            Thread dispatchThread = new Thread(dispatcher, "sluice-dispatch");
            dispatchThread.start();
            BinlogReader reader = new BinlogReader(src, router::selects, schemas, dispatcher);
            try {
                reader.start(start);
                phase = "streaming";
                Throwable failure = streamUntilStopped(reader, dispatcher, sink, store);
                if (failure != null) throw failure;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                phase = "stopping";
                reader.stop();
                dispatcher.finish();
                dispatchThread.join(30_000);
                if (dispatcher.failure() == null && reader.failure() == null) {
                    checkpoint(dispatcher, sink, store);
                }
            }
        }
        log.info("job {} stopped after {} record(s)", config.name, metrics.records());
    }

    /** Checkpoints every second until asked to stop; returns the failure that ended streaming, if any. */
    private Throwable streamUntilStopped(BinlogReader reader, Dispatcher dispatcher, KafkaSink sink,
                                         LocalStateStore store) throws InterruptedException {
        long lastStatus = System.currentTimeMillis();
        while (!stopRequested.await(CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
            if (reader.failure() != null) return reader.failure();
            if (dispatcher.failure() != null) return dispatcher.failure();
            checkpoint(dispatcher, sink, store);
            if (System.currentTimeMillis() - lastStatus >= 30_000) {
                lastStatus = System.currentTimeMillis();
                log.info("status: {} records, {} transactions, lag {} s, at {}", metrics.records(),
                        metrics.transactions(), metrics.lagSeconds(), dispatcher.committed().offset());
            }
        }
        return null;
    }

    private JobState lastSaved;

    private void checkpoint(Dispatcher dispatcher, KafkaSink sink, LocalStateStore store) {
        Dispatcher.Committed c = dispatcher.committed();
        sink.flush(); // every record of c was sent before c was published: they are acknowledged now
        JobState s = JobState.of(c.offset(), c.nextId());
        if (!s.equals(lastSaved)) {
            store.save(s);
            lastSaved = s;
        }
    }
}
