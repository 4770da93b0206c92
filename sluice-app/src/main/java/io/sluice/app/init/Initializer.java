package io.sluice.app.init;

import io.sluice.app.state.InitProgress;
import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Full-data initialization alongside streaming: {@code parallelism} reader threads take the
 * unfinished tables one at a time and read each in primary-key (or unique NOT NULL key) order,
 * {@code chunkSize} rows per keyset SELECT, each between two binlog watermarks
 * ({@code SHOW MASTER STATUS}), then hand the chunk to the dispatcher, which reconciles and writes
 * it ({@link PendingChunk}). At most {@code parallelism} chunks are read and not yet written: a
 * reader waits when the dispatcher is behind, so memory stays bounded.
 *
 * <p>A table without a usable key is read in one streamed pass, handed over in chunkSize parts
 * written as they come (no reconciliation, no resume point inside the table): rows changed while it
 * is read may appear twice, and a crash during the pass writes the table again.
 *
 * <p>Progress: rows written / estimated rows (information_schema.TABLES.TABLE_ROWS) per table and
 * overall, with an ETA, logged every {@link #LOG_INTERVAL_MS} ms.
 */
public final class Initializer {

    private static final Logger log = LoggerFactory.getLogger(Initializer.class);
    static final long LOG_INTERVAL_MS = 5_000;

    private final SourceConnection source;
    private final ServerInfo server;
    private final SchemaCache schemas;
    private final JobConfig.Initialization config;
    private final Consumer<PendingChunk> opener;
    private final ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>();
    private final Map<String, InitProgress.TableInit> startProgress;
    private final Semaphore inFlight;
    private final List<Thread> threads = new ArrayList<>();
    private final List<SnapshotConnection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    private final Map<String, Long> estimated = new ConcurrentHashMap<>();
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicInteger readersLeft = new AtomicInteger();
    private final long startedMs = System.currentTimeMillis();
    private final long rowsAtStart;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Thread progressThread;

    public Initializer(SourceConnection source, ServerInfo server, SchemaCache schemas, JobConfig.Initialization config,
                       InitProgress progress, Consumer<PendingChunk> opener) {
        this.source = source;
        this.server = server;
        this.schemas = schemas;
        this.config = config;
        this.opener = opener;
        this.inFlight = new Semaphore(config.parallelism);
        this.startProgress = progress.tables();
        long done = 0;
        for (Map.Entry<String, InitProgress.TableInit> e : progress.tables().entrySet()) {
            written.put(e.getKey(), new AtomicLong(e.getValue().rows()));
            done += e.getValue().rows();
            if (!e.getValue().done()) todo.add(e.getKey());
        }
        this.rowsAtStart = done;
    }

    public void start() {
        int n = Math.min(config.parallelism, todo.size());
        readersLeft.set(n);
        log.info("initialization: {} table(s) to read ({} done), {} reader(s), chunks of {} rows",
                todo.size(), startProgress.size() - todo.size(), n, config.chunkSize);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::readTables, "sluice-init-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        progressThread = new Thread(this::logProgress, "sluice-init-progress");
        progressThread.setDaemon(true);
        progressThread.start();
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

    private void readTables() {
        try (SnapshotConnection c = new SnapshotConnection(source, server)) {
            connections.add(c);
            String table;
            while (!stopping && (table = todo.poll()) != null) {
                readTable(c, TableId.parse(table));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
                log.error("initialization failed: {}", t.getMessage());
            }
        } finally {
            readersLeft.decrementAndGet();
        }
    }

    private void readTable(SnapshotConnection c, TableId id) throws InterruptedException {
        String name = id.toString();
        TableSchema schema = schemas.get(id);
        if (schema == null) { // dropped since the job started
            log.warn("initialization: table {} no longer exists; nothing to read", id);
            opener.accept(finished(id, List.of()));
            return;
        }
        estimated.put(name, Math.max(c.estimatedRows(id), written.get(name).get()));
        ChunkKey key = c.chooseKey(schema);
        if (key.isNone()) {
            log.warn("initialization: table {} has no primary key and no unique NOT NULL key usable for chunks: it is read in "
                    + "one pass; rows changed while it is read may be written twice (INIT and the change), and a crash during "
                    + "the pass writes the whole table again", id);
            readInOnePass(c, id, schema);
            return;
        }
        List<String> keyNames = key.columns().stream().map(i -> schema.columns().get(i).name()).toList();
        InitProgress.TableInit saved = startProgress.get(name);
        List<byte[]> after = saved == null ? null : saved.afterBytes();
        log.info("initialization: reading {} by key {} {}{}", id, key.name(), keyNames,
                after == null ? "" : " from after the last written chunk");
        while (!stopping) {
            inFlight.acquire();
            TableSchema current = schemas.get(id);
            PendingChunk chunk = new PendingChunk(id, keyNames, chunkWritten(name));
            opener.accept(chunk); // the window opens before the low watermark
            c.watermark();
            SnapshotConnection.Rows rows = c.chunk(current, key, after, config.chunkSize);
            BinlogOffset high = c.watermark();
            boolean last = rows.rows().size() < config.chunkSize;
            chunk.arrive(new PendingChunk.Rows(current, rows.rows(), rows.lastKey(), high,
                    System.currentTimeMillis() / 1000, last));
            if (last) return;
            after = rows.lastKey();
        }
    }

    private void readInOnePass(SnapshotConnection c, TableId id, TableSchema schema) throws InterruptedException {
        String name = id.toString();
        @SuppressWarnings("unchecked") List<Value[]>[] part = new List[] {new ArrayList<>()};
        inFlight.acquire();
        c.all(schema, row -> {
            part[0].add(row);
            if (part[0].size() >= config.chunkSize) {
                PendingChunk chunk = new PendingChunk(id, List.of(), chunkWritten(name));
                chunk.arrive(new PendingChunk.Rows(schema, part[0], null, null, System.currentTimeMillis() / 1000, false));
                opener.accept(chunk);
                part[0] = new ArrayList<>();
                inFlight.acquire();
            }
        });
        PendingChunk chunk = new PendingChunk(id, List.of(), chunkWritten(name));
        chunk.arrive(new PendingChunk.Rows(schema, part[0], null, null, System.currentTimeMillis() / 1000, true));
        opener.accept(chunk);
    }

    private PendingChunk finished(TableId id, List<Value[]> rows) throws InterruptedException {
        inFlight.acquire();
        PendingChunk chunk = new PendingChunk(id, List.of(), chunkWritten(id.toString()));
        chunk.arrive(new PendingChunk.Rows(schemas.get(id), rows, null, null, System.currentTimeMillis() / 1000, true));
        return chunk;
    }

    private java.util.function.IntConsumer chunkWritten(String table) {
        return rows -> {
            written.computeIfAbsent(table, k -> new AtomicLong()).addAndGet(rows);
            inFlight.release();
        };
    }

    private void logProgress() {
        try {
            while (!stopping) {
                Thread.sleep(LOG_INTERVAL_MS);
                log.info(progressLine());
                if (readersLeft.get() == 0 && inFlight.availablePermits() == config.parallelism) {
                    log.info("initialization: all tables read; {}", progressLine());
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** {@code initialization: 120000/200000 rows (60%), 40000 rows/s, ETA 2 s; db.t 120000/200000 (60%), ...}. */
    String progressLine() {
        long done = 0;
        long total = 0;
        StringBuilder tables = new StringBuilder();
        for (String t : startProgress.keySet()) {
            long w = written.getOrDefault(t, new AtomicLong()).get();
            boolean finished = startProgress.get(t).done();
            long est = Math.max(estimated.getOrDefault(t, finished ? w : 0L), w);
            done += w;
            total += est;
            if (!finished) tables.append("; ").append(t).append(' ').append(w).append('/').append(est).append(percent(w, est));
        }
        double seconds = Math.max(0.001, (System.currentTimeMillis() - startedMs) / 1000.0);
        long rate = (long) ((done - rowsAtStart) / seconds);
        String eta = rate > 0 && total > done ? ", ETA " + Math.max(1, (total - done) / rate) + " s" : "";
        return "initialization: " + done + "/" + total + " rows" + percent(done, total) + ", " + rate + " rows/s" + eta + tables;
    }

    private static String percent(long done, long total) {
        return total <= 0 ? "" : " (" + Math.min(100, done * 100 / total) + "%)";
    }
}
