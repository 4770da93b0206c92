package io.sluice.engine.job;

import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.init.ChunkReconciler;
import io.sluice.engine.init.PendingChunk;
import io.sluice.engine.state.InitProgress;
import io.sluice.engine.state.Checkpoint;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogFileStamp;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.DdlChange;
import io.sluice.core.model.Operation;
import io.sluice.core.model.PreparedXa;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.route.Route;
import io.sluice.core.route.Router;
import io.sluice.core.source.ChangeHandler;
import io.sluice.core.format.RecordEncoder;
import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.source.mysql.SchemaCache;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The stage between the binlog reader and Kafka: a bounded queue (backpressure on the reader), then
 * routing, record ids, encoding, sending and commits, on one thread so ids follow binlog order.
 *
 * <p>Commits happen at source transaction boundaries: several small source transactions share one
 * Kafka transaction (committed after {@code commitIntervalMs}, or once it holds {@code transactionMaxRecords}
 * records), and only a source transaction larger than {@code transactionMaxRecords} is split (a smaller
 * one is never cut in two, whatever the open Kafka transaction holds already), its checkpoint pointing at the transaction's start with the
 * number of rows already written, so a restart skips exactly those.
 *
 * <p>Without GTIDs a record's transaction id is the XID, which the binlog gives only at commit, so
 * such a transaction's rows wait here until its commit, up to {@link #MAX_HELD_ROWS}; rows of a
 * larger one go out without it.
 *
 * <p>Full-data initialization: chunks read between two binlog watermarks are opened here before
 * their low watermark is read ({@link #openChunk}), reconciled with the stream rows handled since
 * ({@link ChunkReconciler}), and written as INIT records at the first transaction boundary after the
 * stream passed their high watermark. The checkpoint carries the initialization progress, so a
 * chunk's records and the progress that covers them commit in one Kafka transaction.
 *
 * <p>Hand-off: the reader's changes cross to this thread in batches (up to {@link #BATCH_MAX} items,
 * handed over at each source commit, heartbeat, or when full), not one by one: waking this thread
 * once per binlog event cost more CPU than dispatching it. A batch never holds a commit it does not
 * end with, so nothing committed at the source waits in the reader.
 *
 * <p>Commit timing (with a delivery that {@linkplain Delivery#commitsWhenCaughtUp commits when caught up}):
 * at a source transaction boundary with nothing more queued the open Kafka transaction is committed at
 * once (low latency), unless the last commit ended more recently than commits take (group commit: under load
 * the changes that arrive during a commit go into the next one); {@code commitIntervalMs} and
 * {@code transactionMaxRecords} still bound every Kafka transaction.
 */
final class Dispatcher implements ChangeHandler, Runnable {

    static final int MAX_HELD_ROWS = 10_000;
    /** With nothing to send, the position still advances in Kafka this often (no data, just a checkpoint). */
    static final long IDLE_CHECKPOINT_MS = 5_000;
    /** How often a reader waiting for room in the queue checks that the dispatcher is still there. */
    private static final long ENQUEUE_CHECK_MS = 100;
    private static final Object STOP = new Object();

    /** @param sourceTimeMs when the source wrote the commit (for the lag); @param prepared XA branches still unresolved */
    private record Commit(BinlogOffset next, String txId, long sourceTimeMs, List<PreparedXa> prepared) {}
    private record Heartbeat(BinlogOffset at) {}
    /** Queue item: an initialization chunk's rows arrived (nothing to handle; the loop then writes ready chunks). */
    private static final Object CHUNK_ARRIVED = new Object();

    /** Changes (rows, commits, DDL, heartbeats) queued at most: the reader waits for room beyond that. */
    static final int QUEUE_CAPACITY = 8192;
    /** Items handed over at once at most (QUEUE_CAPACITY is a multiple of it). */
    static final int BATCH_MAX = 64;
    /** Batches (Object[] of changes), STOP and chunk wake-ups; {@link #room} bounds the changes the batches hold. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 2);
    /** Room for changes in the queue: the reader takes a batch's worth before queueing it, the dispatcher gives it back. */
    private final Semaphore room = new Semaphore(QUEUE_CAPACITY);
    /** Reader thread only: the hand-off batch being filled. */
    private final Object[] handOff = new Object[BATCH_MAX];
    private int handOffSize;
    private final Router router;
    private final RecordEncoder encoder;
    private final Delivery delivery;
    /** Whether a streamed row's record may go out in an array the encoder writes again ({@link RecordEncoder#encodeForSend}). */
    private final boolean reusesRecordArrays;
    /** Partition count of each record topic (a topic new to the job is checked, or created, at its first record). */
    private final java.util.function.ToIntFunction<String> partitions;
    /** The last topic {@link #partitionCount} was asked about (by identity: routes keep their topic's String) and its count. */
    private String countedTopic;
    private int countedPartitions;
    private final int maxRecordsPerTransaction;
    private final JobMetrics metrics;
    private final List<RowChange> held = new ArrayList<>();
    private final SchemaCache schemas;
    /** The schema history version last made durable; the history is written again only when it changes. */
    private BinlogOffset historyWritten;
    private boolean historyEverWritten;

    private long nextId;
    /** {@link #nextId} as of the last chunk written, for the readers' threads: see {@link #idHint}. */
    private volatile long idHint;
    private long skipRows;
    /** XA branches prepared and unresolved at {@link #boundary}: every checkpoint carries them (see {@link Checkpoint}). */
    private List<PreparedXa> preparedXa;
    /** The last source transaction boundary seen: its offset carries the GTID set before the current one. */
    private BinlogOffset boundary;
    /** Rows of the current source transaction already in Kafka (committed or in the open transaction). */
    private long rowsWrittenInSourceTx;
    private long recordsInOpenTx;
    /**
     * Records of the current source transaction in the open Kafka transaction: only these decide a
     * split (one per row, two for a {@linkplain KeyChange key change}; DDL records do not count).
     */
    private long sourceTxRecordsInOpenTx;
    /** Events handled, records and bytes sent since the counts were last added to {@link #metrics}. */
    private long unreportedEvents, unreportedRecords, unreportedBytes;
    private long openedAtMs;
    private volatile long lastCommitMs = System.currentTimeMillis();
    /** System.nanoTime() at the end of the last commit, and how long the last two commits took (group commit). */
    private long lastCommitEndNs = System.nanoTime();
    private long lastCommitTookNs;
    private long commitTookBeforeNs;
    private final boolean commitsWhenCaughtUp;
    private Checkpoint pending;
    private volatile Checkpoint committed;
    private volatile Throwable failure;
    private java.util.function.LongSupplier sourceClock = () -> 0;
    private java.util.function.Function<String, BinlogFileStamp> fileStamps = file -> null;
    private String sourceServer;
    /** The checkpoint this session started from: a checkpoint still at its position was read where it was. */
    private final Checkpoint start;
    /** No more changes are taken (stop requested or the session abandoned). */
    private volatile boolean inputClosed;
    /** The loop has ended (finished, failed or interrupted). */
    private volatile boolean done;
    /** Initialization chunks: their windows, the stream position, which are ready to write. */
    private final ChunkReconciler chunks;
    /** Initialization still to do (null: none); goes into every checkpoint. */
    private InitProgress progress;
    /**
     * The pending checkpoint holds initialization progress no record carries (a chunk with nothing left
     * to write: an empty table, or every row superseded by the stream). It is committed as soon as
     * records would be, not after the idle interval: the table's initialization (and with the last one
     * the job's "streaming" phase) is then durable within {@code commitIntervalMs}.
     */
    private boolean progressWithoutRecords;
    /** Each record topic's format, stamped on every checkpoint (see {@link Checkpoint#topicFormats}); null: none. */
    private java.util.function.Supplier<java.util.Map<String, String>> topicFormats;
    /** Where DDL records go (null: main topic) and that topic's partition count; see {@link #writeDdl}. */
    private String ddlTopic;
    private int ddlPartitions;
    /** Rows of one binlog rows event becoming one record (Canal JSON, target.canal.batch: event). */
    private final RowsEventBatch batch = new RowsEventBatch();

    Dispatcher(Router router, RecordEncoder encoder, Delivery delivery, int partitions, int maxRecordsPerTransaction,
               Checkpoint start, JobMetrics metrics, SchemaCache schemas) {
        this(router, encoder, delivery, topic -> partitions, maxRecordsPerTransaction, start, metrics, schemas);
    }

    /** @param partitions each record topic's partition count (target.topics: every table's topic has its own) */
    Dispatcher(Router router, RecordEncoder encoder, Delivery delivery, java.util.function.ToIntFunction<String> partitions,
               int maxRecordsPerTransaction, Checkpoint start, JobMetrics metrics, SchemaCache schemas) {
        this.schemas = schemas;
        this.router = router;
        this.encoder = encoder;
        this.delivery = delivery;
        this.commitsWhenCaughtUp = delivery.commitsWhenCaughtUp();
        this.reusesRecordArrays = delivery.releasesValueOnSend();
        this.partitions = partitions;
        this.maxRecordsPerTransaction = maxRecordsPerTransaction;
        this.metrics = metrics;
        this.nextId = start.nextId();
        this.idHint = nextId;
        this.skipRows = start.skipRows();
        this.rowsWrittenInSourceTx = 0;
        this.boundary = start.offset();
        this.committed = start;
        this.start = start;
        this.progress = start.initialization();
        this.preparedXa = start.preparedXa();
        this.chunks = new ChunkReconciler(start.offset(), progress != null);
    }

    /**
     * Makes the starting point durable before anything is read (call before {@link #run}): a job
     * that never committed and stops before its first records then resumes from here, not from a
     * later binlog end that would skip the changes in between.
     */
    void commitStartingPoint() {
        commit(committed);
    }

    /** Stamps each checkpoint with the record topics' formats (before {@link #run}): a restart reads a topic no table routes to any more in its format. */
    void recordTopicFormats(java.util.function.Supplier<java.util.Map<String, String>> formats) {
        this.topicFormats = formats;
    }

    /**
     * The {@link io.sluice.engine.init.Initializer}'s threads (its chunk readers; not the binlog reader's thread):
     * starts a chunk's reconciliation window; call before reading its low watermark.
     */
    void openChunk(PendingChunk chunk) {
        chunks.open(chunk);
        // an idle loop waits up to commitIntervalMs for the next item: the arrival wakes it to write the chunk
        // (not put if the queue is full: the loop is busy then and looks at the chunks after each item)
        chunk.onArrival(() -> { if (queue.isEmpty()) queue.offer(CHUNK_ARRIVED); }); // only an idle loop needs waking
    }

    /**
     * Any thread (the {@link io.sluice.engine.init.Initializer}'s): the stream has handled every event before this
     * offset (a commit, or a heartbeat at the binlog end, so it moves on a quiet source too).
     */
    BinlogOffset streamPosition() {
        return chunks.streamPosition();
    }

    @Override
    public void onHeartbeat(BinlogOffset at) throws InterruptedException {
        add(new Heartbeat(at));
        handOver();
    }

    @Override
    public void onRow(RowChange change) throws InterruptedException {
        add(change);
    }

    @Override
    public void onCommit(BinlogOffset next, String txId) throws InterruptedException {
        onCommit(next, txId, List.of());
    }

    @Override
    public void onCommit(BinlogOffset next, String txId, List<PreparedXa> prepared) throws InterruptedException {
        add(new Commit(next, txId, sourceClock.getAsLong(), prepared));
        handOver(); // the source committed: the dispatcher may commit it now
    }

    @Override
    public void onDdl(DdlChange ddl) throws InterruptedException {
        add(ddl);
    }

    /** Reader thread: into the batch, handed over once full. */
    private void add(Object item) throws InterruptedException {
        handOff[handOffSize++] = item;
        if (handOffSize == BATCH_MAX) handOver();
    }

    /**
     * Reader thread: queues the batch, waiting for room (backpressure) while this dispatcher is alive
     * and open: once it failed or its input was closed nobody drains the queue, so the reader gets
     * {@link ChangeHandler.Closed} instead of blocking for ever (which would also block its disconnect).
     */
    private void handOver() throws InterruptedException {
        int n = handOffSize;
        if (n == 0) return;
        while (!room.tryAcquire(n, ENQUEUE_CHECK_MS, TimeUnit.MILLISECONDS)) {
            if (failure != null || inputClosed || done) throw new ChangeHandler.Closed(failure);
        }
        queue.put(Arrays.copyOf(handOff, n)); // room bounds the changes (each batch holds one at least): waits only for a slot a wake-up item holds
        Arrays.fill(handOff, 0, n, null);
        handOffSize = 0;
    }

    /** Room for changes left in the queue. */
    int queueRemainingCapacity() {
        return room.availablePermits();
    }

    /** Whether the reader is waiting for room in the queue (Kafka slower than the source, or stalled). */
    boolean backpressured() {
        return room.hasQueuedThreads() || room.availablePermits() == 0;
    }

    /**
     * Before {@link #run}: the session's reader. Each checkpoint names the server it reads (its identity; a delivery
     * opened before a reconnect found another server would name the previous one) and its binlog file's stamp
     * ({@code BinlogReader::stampOf}).
     */
    void readFrom(String serverIdentity, java.util.function.Function<String, BinlogFileStamp> stamps) {
        this.sourceServer = serverIdentity;
        this.fileStamps = stamps;
    }

    /** Before {@link #run}: the source time (epoch ms) of the event the reader is handing over, for the lag. */
    void sourceClock(java.util.function.LongSupplier clock) {
        this.sourceClock = clock;
    }

    /**
     * Before {@link #run}: DDL statements the reader emits go to {@code topic} as DDL records; null:
     * to their table's topic (target.topics, else target.topic), a database statement to target.topic.
     */
    void writeDdl(String topic, int partitions) {
        this.ddlTopic = topic;
        this.ddlPartitions = partitions;
    }

    /**
     * Takes no more changes, and ends the loop once everything queued so far is handled (a complete
     * transaction is committed). Never blocks: a reader waiting for room in the queue gets {@link ChangeHandler.Closed}.
     */
    void finish() {
        inputClosed = true;
        queue.offer(STOP); // wakes an idle loop; with the queue full, the loop finds it empty later instead
    }

    /** After a failure elsewhere: takes no more changes, so a reader waiting for room gives up at once. */
    void closeInput() {
        inputClosed = true;
    }

    /** The last checkpoint made durable with its records. */
    Checkpoint committed() { return committed; }

    /** The id the next record would get (beyond any aborted ones: ids are never reused). */
    long nextId() { return nextId; }

    /**
     * About the id the next INIT records will get (from any thread): the readers encode a chunk's
     * records with it, so that the ids set here take as many bytes and overwrite it in place.
     */
    long idHint() { return idHint; }

    Throwable failure() { return failure; }

    /** When the last checkpoint was committed (the dispatcher's creation time before its first commit). */
    long lastCommitMs() { return lastCommitMs; }

    @Override
    public void run() {
        try {
            while (true) {
                reportCounts(); // the last batch's, before waiting for the next
                Object taken = queue.poll(pollMs(), TimeUnit.MILLISECONDS);
                if (taken == STOP || (taken == null && inputClosed && queue.isEmpty())) { // finish(): everything taken is handled
                    chunks.takeOpened();
                    if (atBoundary()) commitPending();
                    delivery.abort();
                    return;
                }
                if (taken == null || taken == CHUNK_ARRIVED) {
                    chunks.takeOpened();
                    afterItem();
                    if (caughtUp()) commitPending();
                    continue;
                }
                Object[] items = (Object[]) taken;
                room.release(items.length);
                for (Object item : items) {
                    chunks.takeOpened(); // before the item: its rows are in the window
                    handle(item);
                    afterItem();
                }
                if (caughtUp()) commitPending();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        } finally {
            reportCounts();
            done = true;
            queue.clear(); // nobody handles these any more: free them, and the room a reader waits for
        }
    }

    private void handle(Object item) {
        if (item instanceof RowChange change) {
            sourceEventHandled(change.position().timestampSec() * 1000);
            onRowChange(change);
        } else if (item instanceof Commit c) {
            sourceEventHandled(c.sourceTimeMs());
            onSourceCommit(c);
        } else if (item instanceof DdlChange ddl) {
            sourceEventHandled(ddl.position().timestampSec() * 1000);
            onDdlChange(ddl);
        } else if (item instanceof Heartbeat h) {
            chunks.streamReached(h.at());
            metrics.caughtUp();
        }
    }

    private void afterItem() {
        if (chunks.hasOpen() && atBoundary() && skipRows == 0) {
            for (PendingChunk chunk : chunks.takeReady()) writeChunk(chunk);
        }
        if (atBoundary() && pending != null && dueForCommit()) commitPending();
    }

    /**
     * How long to wait for changes: at a boundary with records open, until they are due (the interval,
     * or the end of the group-commit pause when caught up); else the commit interval.
     */
    private long pollMs() {
        long interval = delivery.commitIntervalMs();
        if (pending == null || !atBoundary() || (recordsInOpenTx == 0 && !progressWithoutRecords)) return interval;
        long due = recordsInOpenTx == 0 ? interval : openedAtMs + interval - System.currentTimeMillis();
        if (commitsWhenCaughtUp) {
            due = Math.min(due, (lastCommitEndNs + groupCommitPauseNs() - System.nanoTime()) / 1_000_000 + 1);
        }
        return Math.max(1, Math.min(interval, due));
    }

    /**
     * At a source transaction boundary with nothing more queued: commit now rather than at the interval,
     * unless the last commit ended less than {@link #groupCommitPauseNs} ago, so that commits take at most
     * about half of this thread's time and changes arriving meanwhile share the next one.
     */
    private boolean caughtUp() {
        return commitsWhenCaughtUp && pending != null && atBoundary() && (recordsInOpenTx > 0 || progressWithoutRecords)
                && queue.isEmpty() && System.nanoTime() - lastCommitEndNs >= groupCommitPauseNs();
    }

    /**
     * How long commits take: the shorter of the last two. One slow commit (the producer's fixed 20 ms
     * retry of AddPartitionsToTxn while the broker still writes the previous transaction's markers, a GC
     * pause) then does not hold the next caught-up transaction back as long again: that echo doubled
     * such an outlier and made the latency tail (bench/analysis.md, Latency). Commits that are slow
     * one after another (sustained load) still pause as long as they take.
     */
    private long groupCommitPauseNs() {
        return Math.min(lastCommitTookNs, commitTookBeforeNs);
    }

    private boolean atBoundary() {
        return rowsWrittenInSourceTx == 0 && held.isEmpty();
    }

    private boolean dueForCommit() {
        long now = System.currentTimeMillis();
        if (recordsInOpenTx > 0) return now - openedAtMs >= delivery.commitIntervalMs() || recordsInOpenTx >= maxRecordsPerTransaction;
        if (progressWithoutRecords) return now - lastCommitMs >= delivery.commitIntervalMs();
        return now - lastCommitMs >= IDLE_CHECKPOINT_MS;
    }

    private void onRowChange(RowChange change) {
        chunks.onStreamRow(change);
        if (skipRows > 0) { // written by an earlier run, in a committed part of a split transaction
            skipRows--;
            rowsWrittenInSourceTx++;
            return;
        }
        boolean needsXid = change.position().txId().isEmpty();
        if (needsXid && held.size() < MAX_HELD_ROWS && rowsWrittenInSourceTx == 0) {
            held.add(change);
            return;
        }
        sendHeld("");
        send(change);
    }

    private void onSourceCommit(Commit c) {
        preparedXa = c.prepared();
        if (skipRows > 0) {
            // A group the server sends again before the split transaction being resumed (an unresolved
            // XA branch's prepare group, by GTID): until that transaction's written rows are skipped, the
            // start checkpoint stays the resume point; one past this group would resume without the skip.
            metrics.transactionCommitted();
            return;
        }
        sendHeld(c.txId());
        flushBatch();
        rowsWrittenInSourceTx = 0;
        sourceTxRecordsInOpenTx = 0;
        boundary = c.next();
        chunks.streamReached(c.next());
        pending = Checkpoint.at(c.next(), 0, nextId).withInitialization(progress).withPreparedXa(preparedXa);
        metrics.transactionCommitted();
    }

    /**
     * A DDL record, with the next id, in binlog order among the rows. It counts as a record of its
     * statement's source transaction, so no commit falls between it and the reader's commit that
     * passes the statement: the record and the checkpoint past it are committed together (a
     * restart before that re-reads the statement and writes it again, once).
     */
    private void onDdlChange(DdlChange ddl) {
        if (skipRows > 0) { // written by an earlier run (counted like a row of its transaction)
            skipRows--;
            rowsWrittenInSourceTx++;
            return;
        }
        sendHeld(""); // a DDL implicitly commits: nothing is held here, unless the binlog lacks the XID
        flushBatch();
        String objectName = ddl.table() != null ? router.objectName(ddl.table()) : router.databaseObjectName(ddl.database());
        String topic = ddlTopic != null ? ddlTopic : ddl.table() != null ? router.topicOf(ddl.table()) : router.defaultTopic();
        // in its table's topic, the record is in the table's route's format, also where it is the topic's first record
        RecordEncoder ddlEncoder = ddlTopic == null && ddl.table() != null
                ? encoder.forTable(topic, router.formatOf(ddl.table()), objectName) : encoder.forTopic(topic);
        byte[] value = ddlEncoder.encodeDdl(nextId++, ddl.position(), objectName, ddl.statement(), ddl.after(),
                ddl.after() == null ? null : router.route(ddl.after()));
        write(topic, router.ddlPartition(ddl.table(), ddlTopic == null ? partitions.applyAsInt(topic) : ddlPartitions), value,
                ddl.position().timestampSec(), origin("the DDL statement", ddl.table() != null ? ddl.table() : ddl.database(), ddl.position()));
        rowsWrittenInSourceTx++;
    }

    private void sendHeld(String txId) {
        for (RowChange change : held) {
            SourcePosition p = change.position();
            send(new RowChange(change.table(), change.operation(), change.before(), change.after(),
                    new SourcePosition(p.file(), p.endPosition(), p.txStart(), txId, p.timestampSec())));
        }
        held.clear();
    }

    /**
     * One binlog row: one record, or with a format that {@linkplain RecordEncoder#splitsKeyChanges splits
     * key changes} an UPDATE of the primary key as a delete of the old key and an insert of the new one.
     * Either way it counts as ONE row of its source transaction (skipRows counts binlog rows), and a
     * split commit is checked only after all of its records, so it never falls inside the pair.
     */
    private void send(RowChange change) {
        Route route = router.route(change.table());
        int maxRows = encoder.maxRowsPerRecord(route);
        if (maxRows > 1 || !batch.isEmpty()) { // rows counted as taken; the split check follows each written batch
            if (!batch.accepts(change)) flushBatch();
            if (maxRows > 1) {
                batch.add(change);
                rowsWrittenInSourceTx++;
                if (batch.size() >= maxRows) flushBatch();
                return;
            }
        }
        byte[] key = encoder.key(change, route);
        KeyChange keyChange = encoder.splitsKeyChanges() ? KeyChange.of(change, key, encoder, route) : null;
        if (keyChange != null) {
            writeRow(keyChange.delete(), keyChange.oldKey(), route);
            writeRow(keyChange.insert(), keyChange.newKey(), route);
            sourceTxRecordsInOpenTx += 2;
        } else {
            writeRow(change, key, route);
            sourceTxRecordsInOpenTx++;
        }
        rowsWrittenInSourceTx++;
        splitIfLarge(change.position());
    }

    /**
     * The held rows of one rows event as records: one per partition they go to (as Canal's
     * {@code messagePartition} splits a flat message by primary key hash), each with the next id.
     * They are all written before the split check, so the rows in Kafka are always a prefix of the
     * source transaction's and a restart skips exactly them.
     */
    private void flushBatch() {
        if (batch.isEmpty()) return;
        List<RowChange> rows = batch.take();
        RowChange first = rows.get(0);
        Route route = router.route(first.table());
        int partitionCount = partitionCount(route.topic());
        java.util.Map<Integer, List<RowChange>> byPartition = new java.util.LinkedHashMap<>();
        for (RowChange row : rows) byPartition.computeIfAbsent(router.partition(row, partitionCount), p -> new ArrayList<>()).add(row);
        SourcePosition p = first.position();
        for (java.util.Map.Entry<Integer, List<RowChange>> part : byPartition.entrySet()) {
            int n = part.getValue().size();
            write(route.topic(), part.getKey(), encoder.key(first, route), encoder.encodeRows(nextId++, part.getValue(), route),
                    p.timestampSec(), origin("a message of " + n + " rows (fewer: target.canal.batchMaxRows)", first.table().id(), p));
            sourceTxRecordsInOpenTx++;
        }
        splitIfLarge(p);
    }

    private void splitIfLarge(SourcePosition p) {
        // Counting only this transaction's records: a small transaction that follows others in the open Kafka
        // transaction is never cut in two (that Kafka transaction then holds up to 2 x the limit records).
        if (sourceTxRecordsInOpenTx >= maxRecordsPerTransaction) {
            // Split a large source transaction: resume at its start, skipping the rows written so far.
            commit(Checkpoint.at(new BinlogOffset(p.file(), p.txStart(), boundary.gtidSet()), rowsWrittenInSourceTx, nextId)
                    .withInitialization(progress).withPreparedXa(preparedXa));
        }
    }

    /**
     * {@link #partitions}' answer for a record topic, kept for the last topic asked: a topic's count is
     * fixed once the job knows it ({@link RecordTopics} learns each topic's once), and rows of one table
     * come in runs, so most rows skip the map lookup.
     */
    private int partitionCount(String topic) {
        if (topic != countedTopic) {
            countedPartitions = partitions.applyAsInt(topic);
            countedTopic = topic;
        }
        return countedPartitions;
    }

    private void writeRow(RowChange change, byte[] key, Route route) {
        long id = nextId++;
        byte[] value = reusesRecordArrays ? encoder.encodeForSend(id, change, route) : encoder.encode(id, change, route);
        write(route.topic(), router.partition(change, partitionCount(route.topic())), key, value,
                change.position().timestampSec(), origin("a row", change.table().id(), change.position()));
    }

    /**
     * The same columns, except perhaps for nullability: a TABLE_MAP event corrects only that in the
     * schema history (SchemaHistory.nullability), which does not change how a row was read.
     */
    static boolean sameColumnsButNullability(TableSchema a, TableSchema b) {
        if (a == b) return true;
        if (a.columns().size() != b.columns().size()) return false;
        for (int i = 0; i < a.columns().size(); i++) {
            if (!a.columns().get(i).withNullable(true).equals(b.columns().get(i).withNullable(true))) return false;
        }
        return true;
    }

    /** At a transaction boundary: a chunk the stream has passed, as INIT records with the next ids. */
    private void writeChunk(PendingChunk chunk) {
        PendingChunk.Rows rows = chunk.rows();
        TableSchema schema = schemas.get(chunk.table());
        int[] remaining = chunk.remainingIndexes();
        if (remaining.length > 0 && (schema == null || !sameColumnsButNullability(schema, rows.schema()))) {
            throw new TransientException("table " + chunk.table() + " changed while it was being initialized",
                    "none needed: Sluice resumes from its last checkpoint and reads the chunk again", null);
        }
        if (rows.encoded() != null) {
            // encoded by the reader for its table definition: the keys in pk_uk_info must still be right
            if (remaining.length > 0 && schema != rows.schema()
                    && !(sameColumnsButNullability(schema, rows.schema()) && schema.keys().equals(rows.schema().keys()))) {
                throw new TransientException("table " + chunk.table() + " changed while it was being initialized",
                        "none needed: Sluice resumes from its last checkpoint and reads the chunk again", null);
            }
            String topic = router.topicOf(chunk.table()); // the reader chose each record's partition among this topic's
            Route route = router.route(rows.schema());
            for (int i : remaining) {
                write(topic, rows.encoded().partitions()[i], rows.encoded().key(i), encoder.withIdInPlace(nextId++, rows.encoded().records().get(i), route),
                        rows.readTimeSec(), initOrigin(chunk.table()));
            }
        } else {
            BinlogOffset at = rows.high() != null ? rows.high() : chunks.streamPosition();
            SourcePosition pos = new SourcePosition(at.file(), at.position(), at.position(), "", rows.readTimeSec());
            for (int i : remaining) {
                RowChange change = new RowChange(schema, Operation.INIT, null, rows.rows().get(i), pos);
                Route route = router.route(schema);
                write(route.topic(), router.partition(change, partitionCount(route.topic())), encoder.key(change, route),
                        encoder.encode(nextId++, change, route), pos.timestampSec(), initOrigin(chunk.table()));
            }
        }
        idHint = nextId;
        progress = progress == null ? null : progress.afterChunk(chunk.table().toString(), chunk.keyColumns(), rows.lastKey(), remaining.length, rows.last());
        if (chunk.superseded() > 0) metrics.initRowsSuperseded(chunk.superseded());
        if (progress != null && progress.complete()) { // the checkpoint that commits this says: done
            progress = null;
            chunks.initializationComplete();
            org.slf4j.LoggerFactory.getLogger(Dispatcher.class).info(
                    "initialization complete: every selected table's rows are written (committed with the next checkpoint)");
        }
        pending = Checkpoint.at(boundary, 0, nextId).withInitialization(progress).withPreparedXa(preparedXa);
        progressWithoutRecords = true;
        chunk.written(remaining.length);
        if (recordsInOpenTx >= maxRecordsPerTransaction) commitPending();
    }

    /** One record into the open Kafka transaction, to {@code topic}: one transaction spans every record topic. */
    private void write(String topic, int partition, byte[] value, long timestampSec, RecordOrigin origin) {
        write(topic, partition, null, value, timestampSec, origin);
    }

    /** With a Kafka record key ({@link RecordEncoder#key}; null: none). */
    private void write(String topic, int partition, byte[] key, byte[] value, long timestampSec, RecordOrigin origin) {
        if (recordsInOpenTx == 0) openedAtMs = System.currentTimeMillis();
        delivery.send(topic, partition, key, value, origin);
        recordsInOpenTx++;
        unreportedRecords++;
        unreportedBytes += value.length;
    }

    private void sourceEventHandled(long sourceTimeMs) {
        unreportedEvents++;
        metrics.sourceEventHandled(sourceTimeMs);
    }

    /** Adds this thread's counts since the last call to the job's metrics: once per batch taken, not per event. */
    private void reportCounts() {
        if (unreportedEvents > 0) metrics.sourceEventsHandled(unreportedEvents);
        if (unreportedRecords > 0) metrics.recordsSent(unreportedRecords, unreportedBytes);
        unreportedEvents = 0;
        unreportedRecords = 0;
        unreportedBytes = 0;
    }

    /** Names a record in the error if Kafka refuses it for its size (holds only names, not the row's values). */
    private static RecordOrigin origin(String what, Object table, SourcePosition p) {
        return () -> what + " of " + table + " at binlog " + p.file() + ":" + p.endPosition()
                + " (its transaction starts at " + p.txStart() + ")";
    }

    private static RecordOrigin initOrigin(TableId table) {
        return () -> "an INIT row of " + table + " (full-data initialization)";
    }

    /** The initialization still to do as of the records handed to Kafka so far (null: none). */
    InitProgress progress() { return progress; }

    /**
     * {@code c} naming the server its position was read on and its file's stamp: a position this session's reader
     * reached is the session's server's (and the reader's stamp of the file); one still at the session's start is
     * where that was read (its server and stamp as the start names them), also after a reconnect to another server.
     */
    private Checkpoint withOrigin(Checkpoint c) {
        if (c.binlogFile().equals(start.binlogFile()) && c.binlogPosition() == start.binlogPosition()) {
            return c.withSourceServer(start.sourceServer()).withBinlogFileStamp(start.binlogFileStamp());
        }
        return c.withSourceServer(sourceServer).withBinlogFileStamp(fileStamps.apply(c.binlogFile()));
    }

    private void commitPending() {
        if (pending != null) commit(pending);
        pending = null;
    }

    private void commit(Checkpoint unstamped) {
        long startNs = System.nanoTime();
        Checkpoint checkpoint = withOrigin(unstamped);
        BinlogOffset version = schemas.versionAt(checkpoint.offset());
        boolean historyChanged = !historyEverWritten || !java.util.Objects.equals(version, historyWritten);
        Checkpoint stamped = topicFormats == null ? checkpoint : checkpoint.withTopicFormats(topicFormats.get());
        delivery.commit(historyChanged ? stamped.withSchemaHistory(schemas.toJson(checkpoint.offset())) : stamped);
        historyWritten = version;
        historyEverWritten = true;
        committed = checkpoint;
        recordsInOpenTx = 0;
        sourceTxRecordsInOpenTx = 0;
        progressWithoutRecords = false;
        lastCommitMs = System.currentTimeMillis();
        lastCommitEndNs = System.nanoTime();
        commitTookBeforeNs = lastCommitTookNs;
        lastCommitTookNs = lastCommitEndNs - startNs;
        metrics.committed();
    }
}
