package io.sluice.engine.init;

import io.sluice.engine.state.InitProgress;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import io.sluice.source.mysql.snapshot.ChunkKey;
import io.sluice.source.mysql.snapshot.SnapshotConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Full-data initialization alongside streaming: {@code parallelism} reader threads take key-range
 * chunks from a {@link ChunkPlanner} (several chunks of one table at once), each read between two
 * binlog watermarks ({@code SHOW MASTER STATUS}), and hand them to the dispatcher, which reconciles
 * them with the stream and writes them in key order ({@link PendingChunk}). At most
 * {@code parallelism} chunks are read and not yet written: a reader waits when the dispatcher is
 * behind, so memory stays bounded. Readers also encode their chunks' INIT records
 * ({@link InitRecordEncoder}), leaving the dispatcher only their ids to set.
 *
 * <p>A table without a usable key is read in one streamed pass, handed over in chunkSize parts
 * written as they come (no reconciliation, no resume point inside the table): rows changed while it
 * is read may appear twice, and a crash during the pass writes the table again.
 *
 * <p>A lost connection (network, server restart, {@code KILL}) does not stop initialization: the
 * reader reconnects with backoff and reads its chunk again; after {@link #MAX_ATTEMPTS} failures
 * in a row the session restarts from the last checkpoint, like the stream does.
 *
 * <p>Progress ({@link ProgressMeter}) is logged every {@link #LOG_INTERVAL_MS} ms, and drawn as a
 * bar when the job runs on an interactive terminal.
 */
public final class Initializer {

    private static final Logger log = LoggerFactory.getLogger(Initializer.class);
    static final long LOG_INTERVAL_MS = 5_000;
    private static final long BAR_INTERVAL_MS = 500;
    private static final long TTY_LOG_INTERVAL_MS = 30_000;
    static final int MAX_ATTEMPTS = 6;

    private final SourceConnection source;
    private final ServerInfo server;
    private final SchemaCache schemas;
    private final JobConfig.Initialization config;
    private final Consumer<PendingChunk> opener;
    private final Supplier<InitRecordEncoder> encoders;
    /** Where the stream has handled every event before ({@link ChunkReconciler#streamPosition}, the dispatcher's). */
    private final Supplier<BinlogOffset> streamPosition;
    private final ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>();
    private final int tablesDone;
    private final ChunkPlanner planner;
    private final ProgressMeter meter;
    private final Semaphore inFlight;
    private final List<Thread> threads = new ArrayList<>();
    private final List<SnapshotConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger readersLeft = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Thread progressThread;

    public Initializer(SourceConnection source, ServerInfo server, SchemaCache schemas, JobConfig.Initialization config,
                       InitProgress progress, Consumer<PendingChunk> opener, Supplier<InitRecordEncoder> encoders,
                       Supplier<BinlogOffset> streamPosition) {
        this.source = source;
        this.server = server;
        this.schemas = schemas;
        this.config = config;
        this.opener = opener;
        this.encoders = encoders;
        this.streamPosition = streamPosition;
        this.inFlight = new Semaphore(config.parallelism);
        progress.tables().forEach((table, init) -> { if (!init.done()) todo.add(table); });
        this.tablesDone = progress.tables().size() - todo.size();
        this.meter = new ProgressMeter(progress.tables(), System::currentTimeMillis);
        this.planner = new ChunkPlanner(schemas, todo, progress.tables(), config.chunkSize, streamPosition, cursor -> {
            PendingChunk chunk = new PendingChunk(cursor.table, cursor.keyNames, chunkWritten(cursor.table));
            opener.accept(chunk);
            return chunk;
        });
    }

    public void start() {
        int n = config.parallelism;
        readersLeft.set(n);
        log.info("initialization: {} table(s) to read ({} done), {} reader(s), chunks of {} rows",
                todo.size(), tablesDone, n, config.chunkSize);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::readChunks, "sluice-init-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        progressThread = new Thread(this::reportProgress, "sluice-init-progress");
        progressThread.setDaemon(true);
        progressThread.start();
    }

    /** One table's initialization now: rows written and estimated, rows/s in this run, seconds left (-1: unknown). */
    public record TableProgress(String table, long rows, long estimatedRows, long rowsPerSecond, long etaSeconds) {}

    /** Progress of every table of this initialization (the status page's bars). */
    public List<TableProgress> progress() {
        return meter.tables();
    }

    /** Why a reader stopped, or null. */
    public Throwable failure() { return failure; }

    /** Stops reading (chunks not yet written are read again by the next run, from the checkpoint). */
    public void stop() throws InterruptedException {
        stopping = true;
        for (SnapshotConnection c : connections) c.abort();
        for (Thread t : threads) t.interrupt();
        if (progressThread != null) progressThread.interrupt();
        for (Thread t : threads) t.join(10_000);
    }

    private void readChunks() {
        Reader reader = new Reader();
        try {
            while (!stopping) {
                inFlight.acquire();
                ChunkPlanner.Task task;
                try {
                    task = reader.retrying("choosing the next chunk", planner::next);
                } catch (Throwable t) {
                    inFlight.release();
                    throw t;
                }
                if (task == null) {
                    inFlight.release();
                    return;
                }
                String table = task.table().toString();
                if (task.first()) meter.estimate(table, reader.retrying("estimating " + table, c -> c.estimatedRows(task.table())));
                if (task instanceof ChunkPlanner.RangeTask range) {
                    reader.retrying("reading a chunk of " + table, c -> readRange(c, range, reader.encoder));
                } else if (task instanceof ChunkPlanner.OnePassTask onePass) {
                    reader.retrying("reading " + table + " in one pass", c -> readInOnePass(c, onePass));
                } else {
                    log.warn("initialization: table {} no longer exists; nothing more to read", table);
                    handOver(task.table(), new PendingChunk.Rows(null, List.of(), null, null, nowSec(), true));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
                log.error("initialization failed: {}", t.getMessage());
            }
        } finally {
            reader.close();
            readersLeft.decrementAndGet();
        }
    }

    /** A chunk's rows as read, with the definition and key they were read for. */
    private record ChunkRead(TableSchema schema, ChunkKey key, List<byte[][]> rows) {}

    private Void readRange(SnapshotConnection c, ChunkPlanner.RangeTask task, InitRecordEncoder encoder) throws InterruptedException {
        // the dispatcher also drops a chunk read for other columns than the stream's at its position
        ChunkRead read = staleColumnsRetry(c).run(task.table(), "the chunk", () -> {
            TableSchema schema = schemas.get(task.table());
            if (schema == null) return null; // dropped: the planner notices at the next chunk
            ChunkKey key = ChunkPlanner.keyIn(schema, task.table(), task.key(), task.keyNames()); // by name: a DDL may have moved it
            c.watermark(); // low: the chunk was opened with the dispatcher before this
            return new ChunkRead(schema, key, c.chunk(schema, key, task.lower(), task.upper()));
        });
        if (read == null) {
            task.chunk().arrive(new PendingChunk.Rows(null, List.of(), task.upper(), null, nowSec(), task.last()));
            return null;
        }
        BinlogOffset high = c.watermark();
        long readSec = nowSec();
        PendingChunk.Encoded encoded = encoder.encodeCells(read.schema(), read.rows(), new SourcePosition(high.file(), high.position(),
                high.position(), "", readSec), read.key().columns());
        task.chunk().arrive(new PendingChunk.Rows(read.schema(), null, task.upper(), high, readSec, task.last(), encoded));
        return null;
    }

    /** Reads on {@code c} again while MySQL says a column the definition names is unknown (see {@link StaleColumnsRetry}). */
    private StaleColumnsRetry staleColumnsRetry(SnapshotConnection c) {
        return new StaleColumnsRetry(streamPosition, c::watermark, Thread::sleep);
    }

    /** Holds one permit on entry and on every exit (the last part's). */
    private Void readInOnePass(SnapshotConnection c, ChunkPlanner.OnePassTask task) throws InterruptedException {
        TableId id = task.table();
        log.warn("initialization: table {} has no primary key and no unique NOT NULL key usable for chunks: it is read in "
                + "one pass; rows changed while it is read may be written twice (INIT and the change), and a crash during "
                + "the pass writes the whole table again", id);
        // the definition is read again on each attempt: "Unknown column" comes before any row, so no part was handed over
        TableSchema schema = staleColumnsRetry(c).run(id, "the table", () -> {
            TableSchema now = schemas.get(id);
            if (now == null) return null;
            List<List<Value[]>> part = new ArrayList<>(List.of(new ArrayList<>()));
            int[] parts = {0}; // the parts ramp up in size as range chunks do
            c.all(now, row -> {
                part.get(0).add(row);
                if (part.get(0).size() >= ChunkPlanner.chunkRows(config.chunkSize, parts[0])) {
                    handOver(id, new PendingChunk.Rows(now, part.get(0), null, null, nowSec(), false));
                    part.set(0, new ArrayList<>());
                    parts[0]++;
                    inFlight.acquire();
                }
            });
            handOver(id, new PendingChunk.Rows(now, part.get(0), null, null, nowSec(), true));
            return now;
        });
        if (schema == null) { // dropped since it was planned
            log.warn("initialization: table {} no longer exists; nothing more to read", id);
            handOver(id, new PendingChunk.Rows(null, List.of(), null, null, nowSec(), true));
        }
        return null;
    }

    /** A part that needs no reconciliation: written at the dispatcher's next transaction boundary. */
    private void handOver(TableId id, PendingChunk.Rows rows) {
        PendingChunk chunk = new PendingChunk(id, List.of(), chunkWritten(id));
        chunk.arrive(rows);
        opener.accept(chunk);
    }

    private IntConsumer chunkWritten(TableId table) {
        String name = table.toString();
        return rows -> {
            meter.written(name, rows);
            inFlight.release();
        };
    }

    private static long nowSec() {
        return System.currentTimeMillis() / 1000;
    }

    /** One reader's connection, opened again after a connection loss. */
    private final class Reader {
        final InitRecordEncoder encoder = encoders.get();
        private SnapshotConnection connection;
        private int attempt;

        interface Work<T> {
            T run(SnapshotConnection c) throws InterruptedException;
        }

        <T> T retrying(String what, Work<T> work) throws InterruptedException {
            long backoffMs = 1000;
            while (true) {
                try {
                    if (connection == null) {
                        connection = new SnapshotConnection(source, server);
                        connections.add(connection);
                    }
                    T result = work.run(connection);
                    attempt = 0;
                    return result;
                } catch (RuntimeException e) {
                    if (stopping || !SnapshotConnection.isConnectionLoss(e)) throw e;
                    close();
                    if (++attempt >= MAX_ATTEMPTS) {
                        throw new TransientException("initialization lost its MySQL connection " + attempt + " times in a row while "
                                + what + ": " + e.getMessage(), "none needed: the job resumes from its last checkpoint", e);
                    }
                    log.warn("initialization: connection lost while {} ({}); reconnecting in {} ms", what, e.getMessage(), backoffMs);
                    Thread.sleep(backoffMs);
                    backoffMs *= 2;
                }
            }
        }

        void close() {
            if (connection == null) return;
            connections.remove(connection);
            connection.close();
            connection = null;
        }
    }

    private void reportProgress() {
        Console console = System.console();
        long logEvery = console != null ? TTY_LOG_INTERVAL_MS : LOG_INTERVAL_MS;
        long tick = console != null ? BAR_INTERVAL_MS : LOG_INTERVAL_MS;
        long sinceLog = 0;
        try {
            while (!stopping) {
                Thread.sleep(tick);
                sinceLog += tick;
                boolean finished = readersLeft.get() == 0 && inFlight.availablePermits() == config.parallelism;
                if (finished) meter.finish();
                if (console != null) { // redrawn in place; "\r" last, so a log line overwrites it rather than trailing it
                    console.writer().print("\r\033[K" + meter.bar(30) + (finished ? "\n" : "\r"));
                    console.writer().flush();
                }
                if (finished) {
                    log.info("initialization: all tables read; {}", meter.line());
                    return;
                }
                if (sinceLog >= logEvery) {
                    log.info(meter.line());
                    sinceLog = 0;
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }
}
