package io.sluice.engine.job;

import io.sluice.engine.delivery.AtLeastOnceDelivery;
import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.delivery.ExactlyOnceDelivery;
import io.sluice.engine.init.InitRecordEncoder;
import io.sluice.engine.init.Initializer;
import io.sluice.engine.precheck.EmptyIncludes;
import io.sluice.engine.state.InitProgress;
import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.JobLock;
import io.sluice.engine.state.LocalStateStore;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Router;
import io.sluice.core.format.RecordFormat;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.JobTakenOverException;
import io.sluice.sink.kafka.KafkaSink;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicTail;
import io.sluice.sink.kafka.TopicWatch;
import io.sluice.sink.kafka.TransactionalKafkaSink;
import io.sluice.source.mysql.binlog.BinlogContinuity;
import io.sluice.source.mysql.binlog.BinlogFileReplaced;
import io.sluice.source.mysql.binlog.BinlogReader;
import io.sluice.source.mysql.binlog.FailedEvents;
import io.sluice.source.mysql.Catalog;
import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.Privileges;
import io.sluice.source.mysql.ServerIdUsers;
import io.sluice.source.mysql.BinlogFilters;
import io.sluice.source.mysql.ForeignKeyCascades;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sync job: checks source and target, then streams the binlog into Kafka until stopped.
 *
 * <p>Streaming runs in sessions (a binlog connection, a dispatcher, a producer). A session that
 * fails transiently (source or network down, a Kafka transaction lost) is torn down, its open Kafka
 * transaction aborted, and a new one resumes from the last committed checkpoint after a backoff:
 * nothing is skipped and, with transactions, nothing is repeated. Problems the user must fix stop
 * the job with a {@link SluiceException}.
 */
public final class SyncJob {

    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
    private static final long MONITOR_MS = 200;
    /** Without events or heartbeats for this long, the binlog connection is taken as dead. */
    private static final long SOURCE_SILENCE_MS = 10 * BinlogReader.HEARTBEAT_MS;
    private static final long MAX_BACKOFF_MS = 30_000;
    /** A session that kept committing this long was healthy: the next failure waits the shortest backoff again. */
    private static final long HEALTHY_SESSION_MS = 60_000;
    /** On a stop request, how long the last records may take to commit before the session is dropped instead. */
    private static final long FINISH_MS = 3_000;

    private final JobConfig config;
    private final JobMetrics metrics = new JobMetrics();
    /** The format of each record topic (target.topics entries may name their own); set at start, once the selected tables are known. */
    private volatile TopicFormats topicFormats;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String phase = "starting";
    private volatile Checkpoint position;
    private volatile boolean exactlyOnce;
    /** At-least-once only: the lock that keeps a second copy of this job from running beside this one. */
    private JobLock lock;
    /** The record topics' ids, checked before commits and recorded in checkpoints. */
    private TopicWatch topics;
    /** Reports calls to Kafka that go unanswered (the CLI's own delivery); closed when the job ends. */
    private KafkaWaits kafkaWaits;
    /** The job's Kafka checks (start-up and TopicWatch's) share its one Admin client; closed when the job ends. */
    private KafkaTarget kafkaTarget;
    /** sluice run --reinitialize: ignore the checkpoint and start over. */
    private boolean reinitialize;
    /** Another shell's delivery (Kafka Connect), or null for the CLI's own: transactions, else the idempotent producer and a state file. */
    private DeliveryFactory deliveries;
    private boolean sameNameIsThisJob;
    /** Where DDL records go, or null when target.ddl is off. */
    private DdlOutput ddl;
    /** Binlog events this job failed to read once: kept across its sessions, so the same event failing again stops it. */
    private final FailedEvents failedEvents = new FailedEvents();

    /** @param topic a separate DDL topic, or null for target.topic; @param partitions its partition count */
    private record DdlOutput(String topic, int partitions) {}

    public SyncJob(JobConfig config) {
        this.config = config;
    }

    /** {@code sluice run --reinitialize}: start over from the current binlog end (a new snapshot), whatever the checkpoint. */
    public SyncJob reinitialize(boolean on) {
        this.reinitialize = on;
        return this;
    }

    /**
     * Counts a binlog registration under this job's name from any host as this job's own, not as a
     * second copy (the Kafka Connect shell: a connector's previous task on another worker, already
     * stopped or fenced; see {@link ServerIdUsers#other(java.sql.Connection, long, String, boolean)}).
     */
    public SyncJob sameNameIsThisJob(boolean on) {
        this.sameNameIsThisJob = on;
        return this;
    }

    /** Delivery by another shell (the Kafka Connect task) instead of the CLI's producer and checkpoint store. */
    public SyncJob deliveredBy(DeliveryFactory factory) {
        this.deliveries = factory;
        return this;
    }

    public JobMetrics metrics() { return metrics; }

    public String phase() { return phase; }

    /** The last committed checkpoint (null before the job has one). */
    public Checkpoint position() { return position; }

    public boolean exactlyOnce() { return exactlyOnce; }

    private volatile SourceEndPoller sourceEnd;
    private volatile Initializer initializer;
    private volatile boolean initializationCompleted;

    /** The job's configuration (the status shows its source and target). */
    public JobConfig config() { return config; }

    /** The source's binlog end as last polled (SHOW MASTER STATUS every few seconds), or null before the first poll. */
    public BinlogOffset sourceEnd() {
        SourceEndPoller p = sourceEnd;
        SourceEndPoller.SourceEnd e = p == null ? null : p.last();
        return e == null ? null : e.offset();
    }

    /** The initialization of this run, per table (also once finished), or an empty list when there is none. */
    public List<Initializer.TableProgress> initializationProgress() {
        Initializer i = initializer;
        if (i == null) return List.of();
        if (!initializationCompleted) return i.progress();
        // committed: the rows written are all there were (estimates give way before the meter's next round)
        return i.progress().stream().map(t -> new Initializer.TableProgress(t.table(), t.rows(), t.rows(), t.rowsPerSecond(), -1)).toList();
    }

    /** Whether an initialization ran in this run and all its rows are committed. */
    public boolean initializationCompleted() { return initializationCompleted; }

    /** Asks a running job to stop: in-flight records are written and checkpointed first. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Waits for {@link #run()} to return after {@link #requestStop()}. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Runs until {@link #requestStop()} or a failure the user must fix (thrown). */
    public void run() throws InterruptedException {
        try {
            runJob();
        } finally {
            if (lock != null) lock.close();
            if (topics != null) topics.close();
            if (kafkaTarget != null) {
                if (kafkaChecked) kafkaTarget.close();
                else kafkaTarget.abandon(); // stopped before the Kafka checks: only the warm-up can be waiting on it
            }
            if (kafkaWaits != null) kafkaWaits.close();
            phase = "stopped";
            stopped.countDown();
        }
    }

    /**
     * The server the source address leads to now, read again before each new session (a VIP or DNS
     * name may have moved to another server); null while it cannot be reached (retried).
     */
    private ServerInfo serverAfterReconnect(SourceConnection source, String where) {
        try (Connection c = source.open()) {
            ServerInfo info = ServerInfo.read(c);
            accountRefusals = 0;
            return info;
        } catch (SQLException | SluiceException e) {
            String why = e instanceof SluiceException se ? se.problem() : e.getMessage();
            metrics.lastError(why);
            log.warn("cannot reach the source at {} to resume: {}", where, why);
            countAccountRefusal(e, where, why);
            return null;
        }
    }

    /**
     * A failed attempt to reach the source again: a refusal of the job's account counts towards
     * {@link AccountRefusal#ATTEMPTS} in a row, after which the job stops with the fix (thrown);
     * any other failure starts the count again.
     */
    private void countAccountRefusal(Throwable e, String where, String why) {
        int code = AccountRefusal.code(e);
        if (code != 0 && ++accountRefusals >= AccountRefusal.ATTEMPTS) throw AccountRefusal.failure(config.source.user, where, code, why);
        if (code == 0) accountRefusals = 0;
    }

    /** Consecutive reconnect attempts the source refused the account on (see {@link AccountRefusal}). */
    private int accountRefusals;

    /** The source account when SELECT is not granted ON *.* (tables it may not read are hidden from it), else null. */
    private String hiddenFrom;

    /** Names every missing privilege at once (the binlog calls would each fail on one, one run at a time). */
    private void requirePrivileges(Connection c, String where) throws SQLException {
        Privileges p = Privileges.of(c);
        if (!p.missing().isEmpty() && !p.viaRoles()) {
            throw new SluiceException("the account " + p.account() + " on MySQL at " + where + " lacks "
                    + String.join(", ", p.missing()) + " (needed: " + String.join(", ", Privileges.NEEDED) + ")", p.grant());
        }
        hiddenFrom = p.viaRoles() ? null : p.limitedAccount();
        if (hiddenFrom != null) { // after the missing privileges: a job that cannot start says only why
            log.warn("the account {} has SELECT on some databases or tables only, not ON *.*: the source hides the others from it,"
                    + " so objects.include patterns select only the tables it may read", hiddenFrom);
        }
    }

    private void runJob() throws InterruptedException {
        if (!java.nio.charset.Charset.defaultCharset().equals(java.nio.charset.StandardCharsets.UTF_8)) {
            // the binlog client decodes table names and statements with the default charset
            log.warn("the JVM's default charset is {}, not UTF-8: non-ASCII table names and DDL text in the binlog would be misread;"
                    + " start Java with -Dfile.encoding=UTF-8 (bin/sluice does)", java.nio.charset.Charset.defaultCharset());
        }
        JobConfig.Source src = config.source;
        String where = src.host + ":" + src.port;
        SourceConnection source = new SourceConnection(src);
        Router router = new Router(config.objects, config.target);
        Catalog catalog = new Catalog(source);
        ServerInfo server;
        BinlogOffset current;
        kafkaTarget = KafkaTarget.sharingAdmin(config.target);
        warmUp(kafkaTarget);
        try (Connection c = source.open()) {
            server = ServerInfo.read(c);
            sourceServer = server.identity();
            requirePrivileges(c, where);
            server.requireRowBinlog(where);
            ServerIdUsers.requireUnused(c, server, src, config.name, sameNameIsThisJob);
            current = BinlogReader.currentOffset(c, server);
        } catch (SQLException e) {
            throw source.translate(e);
        }
        try (SourceEndPoller poller = new SourceEndPoller(source, server)) {
            sourceEnd = poller;
            sync(src, where, source, server, current, router, catalog);
        } finally {
            sourceEnd = null;
        }
    }

    /** Whether the start-up went on to the Kafka checks (the target is closed normally then; before, abandoned). */
    private volatile boolean kafkaChecked;

    /**
     * Starts the Kafka client and asks for the topic's metadata on a daemon thread while the main thread checks
     * MySQL: both mostly wait for a server or run cold code at start-up. Read-only (DescribeCluster, Metadata),
     * and its outcome is not used: the checks after the MySQL ones ask again, on a warm client, and report any
     * problem there, so an unreachable Kafka is still named after an unreachable MySQL.
     */
    private void warmUp(KafkaTarget target) {
        Thread t = new Thread(() -> {
            try {
                target.partitionsIfExists(config.target.topic);
            } catch (RuntimeException e) { // reported by the checks on the main thread
            }
        }, "sluice-kafka-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * What the binlog will not show of the selected tables: binlog-do-db / binlog-ignore-db dropping their
     * database stops the start; any filter, and foreign keys cascading into them, are warned of.
     */
    private static void binlogBlindSpots(SourceConnection source, boolean mariaDb, List<TableId> selected, String where) {
        try (Connection c = source.open()) {
            BinlogFilters filters = BinlogFilters.read(c);
            filters.requireLogged(selected, where);
            if (filters.any()) log.warn("binlog filters on the source ({}): {}; {}", filters.describe(), BinlogFilters.DDL_WARNING, BinlogFilters.DDL_FIX);
            for (ForeignKeyCascades fk : ForeignKeyCascades.of(c, mariaDb, selected)) {
                log.warn("{}; fix: {}", fk.problem(), ForeignKeyCascades.FIX);
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /** What shows the checkpoint's position is in another binlog than the one it was taken in, or null ({@link BinlogContinuity}). */
    private static String binlogDiscontinuity(SourceConnection source, ServerInfo server, Checkpoint saved) {
        try (Connection c = source.open()) {
            return BinlogContinuity.problem(c, server.mariaDb(), saved.binlogFile(), saved.binlogPosition(), saved.gtidSet());
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /** Read after the checkpoint: a checkpoint is never past it unless the binlog was reset since. */
    private static BinlogOffset binlogEndNow(SourceConnection source, ServerInfo server) {
        try (Connection c = source.open()) {
            return BinlogReader.currentOffset(c, server);
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    /** How the user starts over on purpose in this shell, for fix texts. */
    private String startOver() {
        String s = deliveries != null ? deliveries.startOver() : null;
        return s != null ? s : StartGuard.CLI_START_OVER;
    }

    /** Checks the target, then initializes and streams from the checkpoint (or {@code current}) until stopped. */
    private void sync(JobConfig.Source src, String where, SourceConnection source, ServerInfo server, BinlogOffset current,
                      Router router, Catalog catalog) throws InterruptedException {
        // before anything is created in Kafka: an include entry that selects nothing is a mistake to fix
        List<TableId> onSource = catalog.tables(t -> true);
        EmptyIncludes.require(router, onSource, hiddenFrom, where);
        binlogBlindSpots(source, server.mariaDb(), onSource.stream().filter(router::selects).toList(), where);
        KafkaTarget target = kafkaTarget;
        kafkaChecked = true;
        String checkpointTopicName = config.state.checkpointTopic != null ? config.state.checkpointTopic
                : config.target.topic + "-sluice-checkpoints";
        router.topicRoutes().reserve(checkpointTopicName);
        router.topicRoutes().reserve(config.target.ddl.enabled ? config.target.ddl.topic : null);
        // initialization.structure: create the topics if missing (and check them); off, they must exist
        RecordTopics recordTopics = new RecordTopics(target, config.initialization.structure);
        if (deliveries != null) recordTopics.refuse(deliveries.notRecordTopics());
        recordTopics.alsoWrites(checkpointTopicName);
        int partitions = recordTopics.ensure(config.target.topic);
        List<TableId> selected = catalog.tables(router::selects);
        topicFormats = TopicFormats.of(config, router, selected); // before any topic is created: two formats in one topic stop here
        recordTopics.ensureAll(router.recordTopics(selected));
        logTopicRoutes(router, selected, recordTopics, TopicFormats.single(config) ? null : topicFormats);
        CheckpointTopic checkpointTopic = new CheckpointTopic(target, checkpointTopicName);
        ddl = ddlOutput(recordTopics);
        topics = new TopicWatch(target, target.topicIds(recordTopics.names()));
        recordTopics.watchWith(topics);

        Delivery delivery = openDelivery(target, checkpointTopic);
        Checkpoint saved;
        SchemaCache schemas;
        List<TableId> added = new ArrayList<>();
        long topicMax;
        StartGuard guard = new StartGuard(config, reinitialize, startOver());
        try {
            // only exactly-once keeps its checkpoints there: none is left behind on brokers older than 0.11
            if (delivery.exactlyOnce()) checkpointTopic.ensureExists();
            Checkpoint last = reinitialize ? null : delivery.lastCommitted();
            // every topic this job writes, and those its checkpoint says it wrote (a table dropped since): ids go on above them all,
            // each read in its format: as routed now, else as the checkpoint recorded it, else told from the records
            WrittenTopics writtenTopics = new WrittenTopics(config, topicFormats, last == null ? null : last.topicFormats(), startOver(),
                    f -> StartGuard.ownRecords(config, RecordFormats.of(config.target, f), router, selected));
            java.util.Set<String> written = new java.util.TreeSet<>(recordTopics.names());
            if (last != null && last.topicIds() != null) {
                for (String t : last.topicIds().keySet()) if (!written.contains(t) && target.partitionsIfExists(t) != null) written.add(t);
            }
            TopicTail.Summary tail = TopicTail.summaryByTopic(target, written, writtenTopics::idOf, writtenTopics::own,
                    delivery.exactlyOnce());
            topicMax = tail.maxId();
            saved = guard.check(last, deliveries != null ? deliveries.checkpointPlace()
                    : delivery.exactlyOnce() ? "checkpoint topic " + checkpointTopicName : "state file " + stateStore().file(), tail, topics.ids(), written);
            guard.requireSameServer(saved, server, where);
            if (saved != null) {
                guard.requireBinlogNotReset(saved, server, binlogEndNow(source, server), where);
                guard.requireCheckpointInBinlog(saved, server, binlogDiscontinuity(source, server, saved), where);
            }
            schemas = schemaHistory(catalog, router, saved, where, added);
        } catch (RuntimeException e) {
            delivery.close();
            throw e;
        }
        Checkpoint start = saved != null
                ? resumed(saved.withNextId(Math.max(saved.nextId(), topicMax + 1)).withSchemaHistory(null), router, added)
                : Checkpoint.at(current, 0, Math.max(1, topicMax + 1)).withInitialization(config.initialization.fullData
                        ? InitProgress.pending(catalog.tables(router::selects).stream().map(TableId::toString).toList()) : null);
        if (start.initialization() != null && start.initialization().tables().isEmpty()) start = start.withInitialization(null);
        position = start;
        if (start.initialization() != null) {
            log.info("full-data initialization: {} {} table(s) while streaming from {}", saved != null ? "resuming," : "starting,",
                    start.initialization().tables().values().stream().filter(t -> !t.done()).count(), start.offset());
        }
        log.info("job {}: {} at {}{}, next record id {}, topic {} ({} partition(s)); delivery is {}", config.name,
                saved != null ? "resuming" : "starting (no checkpoint yet)", start.offset(),
                start.skipRows() > 0 ? " skipping " + start.skipRows() + " row(s) already written" : "", start.nextId(),
                config.target.topic, partitions, delivery.exactlyOnce()
                        ? "exactly-once (Kafka transactions; checkpoints in " + (deliveries != null ? deliveries.checkpointPlace() : checkpointTopicName) + ")"
                        : "at-least-once (" + (deliveries != null ? deliveries.checkpointPlace() : "checkpoint file " + stateStore().file())
                          + "; consumers drop repeats by record id)");

        ReconnectBackoff backoff = new ReconnectBackoff(1000, MAX_BACKOFF_MS, HEALTHY_SESSION_MS);
        // no checkpoint yet (a new job, --reinitialize): the starting point (with any pending initialization) is
        // committed before reading, else a crash before the first records would restart at a later binlog end and
        // skip the changes in between, and a --reinitialize killed that early would resume the old checkpoint
        boolean commitStartingPoint = saved == null;
        boolean everStreamed = false;
        String streamedFrom = server.identity();
        boolean reconnecting = false;
        while (true) {
            if (reconnecting) {
                ServerInfo now = serverAfterReconnect(source, where);
                if (now == null) { // source still unreachable: wait and try again, like a failed session
                    if (stopRequested.await(backoff.afterFailedAttempt(), TimeUnit.MILLISECONDS)) {
                        delivery.close();
                        return;
                    }
                    continue;
                }
                guard.requireSameServerAfterReconnect(start, streamedFrom, now, where);
                server = now;
                streamedFrom = now.identity();
                sourceServer = streamedFrom;
            }
            reconnecting = true;
            Session session = new Session(router, schemas, server, delivery, recordTopics, start, source);
            long sessionStartMs = System.currentTimeMillis();
            // a transient Kafka failure of the starting point's commit is retried like one while streaming:
            // the checks before it have passed, and nothing is read until it is committed
            boolean failedAtStartingPoint = false;
            try {
                if (commitStartingPoint) {
                    failedAtStartingPoint = true;
                    session.dispatcher.commitStartingPoint();
                    failedAtStartingPoint = false;
                    commitStartingPoint = false;
                }
                session.start();
                metrics.connection(session.reader::connected);
                metrics.queue(Dispatcher.QUEUE_CAPACITY, session.dispatcher::queueRemainingCapacity);
                if (session.initializer != null) initializer = session.initializer;
                everStreamed = true;
                // "initializing" until the initialization's last INIT records are committed, then "streaming"
                phase = session.initializer != null ? "initializing" : "streaming";
                Throwable failure = session.monitor();
                if (failure == null) { // stop requested
                    session.finish();
                    position = session.dispatcher.committed();
                    break;
                }
                throw failure;
            } catch (Throwable failed) {
                // the checkpoint's file read again with another creation time: the binlog was reset, never retried
                Throwable t = failed instanceof BinlogFileReplaced r ? guard.checkpointNotInBinlog(r, where) : failed;
                metrics.connection(() -> false);
                session.abandon();
                start = session.dispatcher.committed().withNextId(session.dispatcher.nextId()).withSchemaHistory(null);
                position = start;
                schemas.rewind(start.offset()); // DDL after the checkpoint is met again
                if (!(everStreamed || failedAtStartingPoint) || !isTransient(t)) {
                    delivery.close();
                    throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
                }
                phase = "recovering";
                String why = message(t);
                metrics.restarted(why);
                long backoffMs = backoff.afterFailure(Math.max(0, session.dispatcher.lastCommitMs() - sessionStartMs));
                log.warn("{}: {}; resuming from {} in {} ms", failedAtStartingPoint ? "cannot commit the starting point yet"
                        : "streaming interrupted", why, start.offset(), backoffMs);
                delivery.close();
                if (stopRequested.await(backoffMs, TimeUnit.MILLISECONDS) || (delivery = reopenDelivery(target, checkpointTopic, backoff)) == null) {
                    log.info("job {} stopped while recovering, after {} record(s); the next run resumes from {}", config.name,
                            metrics.records(), position.offset());
                    return;
                }
                Resume resume;
                try {
                    resume = resumeFromCommitted(delivery, start, schemas, catalog, router, where);
                } catch (RuntimeException stop) { // the account refused, or a failure the user must fix
                    delivery.close();
                    throw stop;
                }
                if (resume == null) {
                    delivery.close();
                    log.info("job {} stopped while recovering, after {} record(s); the next run resumes from its last checkpoint",
                            config.name, metrics.records());
                    return;
                }
                start = resume.start();
                schemas = resume.schemas();
                position = start;
            }
        }
        delivery.close();
        log.info("job {} stopped after {} record(s) at {}", config.name, metrics.records(), position.offset());
    }

    /**
     * A saved checkpoint adjusted to the selection now: tables added to the selection since (absent
     * from the saved schema history) are initialized if {@code initialization.fullData} is on, and
     * tables no longer selected leave any unfinished initialization.
     */
    private Checkpoint resumed(Checkpoint saved, Router router, List<TableId> added) {
        InitProgress progress = saved.initialization();
        if (progress != null) progress = progress.retain(t -> router.selects(TableId.fromCheckpointKey(t)));
        if (config.initialization.fullData && !added.isEmpty()) {
            log.info("table(s) new in the selection since the last run: {}; their existing rows are initialized as INIT records", added);
            progress = (progress == null ? InitProgress.pending(List.of()) : progress).plus(added.stream().map(TableId::toString).toList());
        } else if (!added.isEmpty()) {
            log.info("table(s) new in the selection since the last run: {}; streamed from now on (initialization.fullData is off)", added);
        }
        return saved.withInitialization(progress == null || progress.tables().isEmpty() ? null : progress);
    }

    /**
     * The table definitions at the start position: the saved history when resuming (the catalogue may
     * be ahead by then), else the catalogue now. Selected tables the saved history does not know
     * (added to the selection since) go into {@code added}.
     */
    private SchemaCache schemaHistory(Catalog catalog, Router router, Checkpoint saved, String where, List<TableId> added) {
        SchemaCache schemas = saved != null && saved.schemaHistory() != null
                ? SchemaCache.fromJson(saved.schemaHistory(), catalog) : new SchemaCache(catalog);
        List<TableId> tables = catalog.tables(router::selects);
        for (TableId t : tables) {
            TableSchema schema = schemas.get(t) != null ? schemas.get(t) : catalog.load(t);
            if (schema != null) {
                if (schemas.get(t) == null) { // new in the selection, or no saved history
                    schemas.put(schema);
                    if (saved != null && saved.schemaHistory() != null) added.add(t);
                }
                if (schema.primaryKey().isEmpty()) {
                    log.warn("table {} has no primary key: consumers cannot deduplicate its rows by key", t);
                }
            }
        }
        log.info("source {} at {}: {} table(s) selected: {}", config.source.name, where, tables.size(), tables);

        return schemas;
    }

    /** target.ddl: null when off; a separate DDL topic is checked (and created) like target.topic. */
    private DdlOutput ddlOutput(RecordTopics recordTopics) {
        JobConfig.Ddl c = config.target.ddl;
        if (!c.enabled) return null;
        String topic = c.topic == null || c.topic.equals(config.target.topic) ? null : c.topic;
        int partitions = topic == null ? 0 : recordTopics.ensure(topic);
        log.info("DDL statements of the selected tables are written as DDL records to topic {}", topic != null ? topic
                : config.target.topics.isEmpty() ? config.target.topic : "of their table (database statements: " + config.target.topic + ")");
        return new DdlOutput(topic, partitions);
    }

    /** target.topics: where the selected tables go, and the entries that route none of them (a typo, like an include selecting nothing). */
    /** @param formats each topic's format where the job writes several, else null */
    private static void logTopicRoutes(Router router, List<TableId> selected, RecordTopics recordTopics, TopicFormats formats) {
        if (router.topicRoutes().entries().isEmpty()) return;
        java.util.Map<String, List<TableId>> byTopic = new java.util.TreeMap<>();
        for (TableId t : selected) byTopic.computeIfAbsent(router.topicOf(t), k -> new ArrayList<>()).add(t);
        byTopic.forEach((topic, tables) -> log.info("topic {} ({} partition(s){}): {}", topic, recordTopics.applyAsInt(topic),
                formats == null ? "" : ", " + JobConfig.Format.name(formats.of(topic)) + " records", tables));
        for (var e : router.topicRoutes().entriesRoutingNothing(selected)) {
            log.warn("target.topics entry '{}' routes no selected table (none matches it, or earlier entries take them all):"
                    + " its topic {} gets records only from tables created later; correct or remove the entry", e.pattern().text(), e.topic());
        }
    }

    private record Resume(Checkpoint start, SchemaCache schemas) {}

    /**
     * After a failure, the session resumes from the checkpoint the delivery has committed, re-read
     * (from the checkpoint topic, or the state file): never from memory. A producer that failed may
     * have committed more than it knows (a commit whose answer was lost), and after another
     * instance wrote, memory is simply wrong; ids stay above every id this process used. Null when a
     * stop was requested meanwhile.
     */
    private Resume resumeFromCommitted(Delivery delivery, Checkpoint inMemory, SchemaCache schemas, Catalog catalog, Router router,
                                       String where) throws InterruptedException {
        for (long backoffMs = 1000; ; backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS)) {
            try {
                Checkpoint committed = delivery.lastCommitted();
                if (committed == null || samePosition(committed, inMemory)) {
                    return new Resume(inMemory.withNextId(Math.max(inMemory.nextId(), committed == null ? 0 : committed.nextId())), schemas);
                }
                log.warn("the last committed checkpoint ({}, next id {}) is not the one this process committed last ({}, next id {}):"
                        + " resuming from the committed one", committed.offset(), committed.nextId(), inMemory.offset(), inMemory.nextId());
                List<TableId> added = new ArrayList<>();
                SchemaCache history = schemaHistory(catalog, router, committed, where, added); // as a restart would
                return new Resume(resumed(committed.withNextId(Math.max(inMemory.nextId(), committed.nextId())).withSchemaHistory(null),
                        router, added), history);
            } catch (KafkaException | TransientException e) {
                retryResume(e.getMessage(), backoffMs);
            } catch (SluiceException e) {
                if (!(e.getCause() instanceof SQLException)) throw e; // the source away: it comes back like in a session
                // its account refused (a changed password): the job stops after a few attempts, as when reconnecting
                countAccountRefusal(e, where, e.problem());
                retryResume(e.problem(), backoffMs);
            }
            if (stopRequested.await(backoffMs, TimeUnit.MILLISECONDS)) return null;
        }
    }

    private void retryResume(String why, long backoffMs) {
        metrics.lastError(why);
        log.warn("cannot resume from the committed checkpoint yet: {}; retrying in {} ms", why, backoffMs);
    }

    private static boolean samePosition(Checkpoint a, Checkpoint b) {
        return a.withSchemaHistory(null).withTopicIds(null).withTopicFormats(null).withSourceServer(null).withBinlogFileStamp(null).withNextId(0)
                .equals(b.withSchemaHistory(null).withTopicIds(null).withTopicFormats(null).withSourceServer(null).withBinlogFileStamp(null).withNextId(0));
    }

    /** A new producer for the next session, retried while Kafka is unreachable; null when a stop was requested meanwhile. */
    private Delivery reopenDelivery(KafkaTarget target, CheckpointTopic checkpointTopic, ReconnectBackoff backoff)
            throws InterruptedException {
        while (true) {
            try {
                return openDelivery(target, checkpointTopic);
            } catch (KafkaException e) {
                String why = kafkaProblem(e);
                long backoffMs = backoff.afterFailedAttempt();
                metrics.lastError(why);
                log.warn("cannot reopen the Kafka producer: {}; retrying in {} ms", why, backoffMs);
                if (stopRequested.await(backoffMs, TimeUnit.MILLISECONDS)) return null;
            }
        }
    }

    /**
     * The CLI's own delivery is watched by {@link KafkaWaits} (its producer waits for an unreachable
     * Kafka without a word); another shell's waits for that shell's worker, which reports its own.
     */
    private Delivery openDelivery(KafkaTarget target, CheckpointTopic checkpointTopic) {
        if (deliveries != null) return newDelivery(target, checkpointTopic);
        if (kafkaWaits == null) {
            kafkaWaits = new KafkaWaits(config.target.bootstrapServers, metrics, () -> position == null ? "none yet" : position.offset());
        }
        return new WatchedDelivery(kafkaWaits.call("opening the Kafka producer", () -> newDelivery(target, checkpointTopic)), kafkaWaits);
    }

    private Delivery newDelivery(KafkaTarget target, CheckpointTopic checkpointTopic) {
        if (deliveries != null) {
            Delivery d = deliveries.open(new DeliveryFactory.Setup(target, checkpointTopic, topics, sourceServer));
            exactlyOnce = d.exactlyOnce();
            return d;
        }
        if (config.target.delivery != JobConfig.Delivery.AT_LEAST_ONCE) {
            TransactionalKafkaSink sink = TransactionalKafkaSink.open(target, checkpointTopic.name(), config.name);
            if (sink != null) {
                exactlyOnce = true;
                return new ExactlyOnceDelivery(sink, checkpointTopic, config.name, config.target.commitIntervalMs, topics, sourceServer);
            }
            if (config.target.delivery == JobConfig.Delivery.EXACTLY_ONCE) {
                throw new SluiceException("the Kafka brokers at " + config.target.bootstrapServers + " do not support transactions",
                        "upgrade the brokers to 0.11 or later, or set target.delivery: atLeastOnce");
            }
            log.warn("the Kafka brokers do not support transactions (0.11+ needed): delivery falls back to at-least-once");
        }
        exactlyOnce = false;
        LocalStateStore store = stateStore();
        if (lock == null) lock = JobLock.acquire(store.lockFile(), config.name);
        return new AtLeastOnceDelivery(new KafkaSink(target), store, topics, sourceServer);
    }

    /** The source server's identity ({@link ServerInfo#identity()}), stamped on every checkpoint. */
    private volatile String sourceServer;

    private LocalStateStore stateStore() {
        return new LocalStateStore(Path.of(config.state.dir), config.name);
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof TransientException) return true;
        if (t instanceof SluiceException) return false;
        return t instanceof KafkaException && !JobTakenOverException.isFence(t);
    }

    private String message(Throwable t) {
        if (t instanceof SluiceException se) return se.problem();
        return t instanceof KafkaException ? kafkaProblem(t) : t.toString();
    }

    /** A Kafka client failure, blamed on Kafka: "Kafka at host:port: TimeoutException: ...". */
    private String kafkaProblem(Throwable t) {
        return "Kafka at " + config.target.bootstrapServers + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** One binlog connection feeding one dispatcher thread. */
    private final class Session {
        final BinlogReader reader;
        final Dispatcher dispatcher;
        final Thread thread;
        /** Full-data initialization alongside streaming, or null. */
        final Initializer initializer;

        Session(Router router, SchemaCache schemas, ServerInfo server, Delivery delivery, RecordTopics partitions, Checkpoint start,
                SourceConnection source) {
            dispatcher = new Dispatcher(router, RecordFormats.encoder(config, topicFormats, server.version(), router), delivery,
                    partitions, config.target.transactionMaxRecords, start, metrics, schemas);
            TopicFormats formats = topicFormats;
            TopicWatch watched = topics;
            dispatcher.recordTopicFormats(() -> formats.names(watched.ids().keySet())); // the topics whose ids the checkpoint names
            reader = new BinlogReader(config.source, server, router::selects, schemas, dispatcher, failedEvents);
            reader.onSchemaMismatchWarning(metrics::schemaMismatch);
            dispatcher.sourceClock(reader::sourceTimeMillis);
            dispatcher.readFrom(server.identity(), reader::stampOf);
            reader.onNotices(metrics);
            reader.registerAs(config.name);
            thread = new Thread(dispatcher, "sluice-dispatch");
            if (ddl != null) {
                dispatcher.writeDdl(ddl.topic(), ddl.partitions());
                reader.emitDdl(router::selectsDatabase);
            }
            initializer = start.initialization() == null ? null
                    : new Initializer(source, server, schemas, config.initialization, start.initialization(), dispatcher::openChunk,
                            () -> new InitRecordEncoder(router, RecordFormats.encoder(config, topicFormats, server.version(), router), partitions,
                                    dispatcher::idHint),
                            dispatcher::streamPosition);
        }

        void start() {
            thread.start();
            reader.expectFile(dispatcher.committed().offset(), dispatcher.committed().binlogFileStamp());
            reader.start(dispatcher.committed().offset(), dispatcher.committed().preparedXa());
            if (initializer != null) initializer.start();
        }

        void stopInitializer() throws InterruptedException {
            if (initializer != null) initializer.stop();
        }

        /** Returns null when a stop was requested, else the failure that ended the session. */
        Throwable monitor() throws InterruptedException {
            long lastStatus = System.currentTimeMillis();
            while (!stopRequested.await(MONITOR_MS, TimeUnit.MILLISECONDS)) {
                // the dispatcher first: a reader it stopped fails too, with the dispatcher's failure or none of its own
                if (dispatcher.failure() != null) return dispatcher.failure();
                if (reader.failure() != null) return reader.failure();
                if (initializer != null && initializer.failure() != null) return initializer.failure();
                if (!thread.isAlive()) return new IllegalStateException("the dispatcher stopped");
                if (reader.idleMillis() > SOURCE_SILENCE_MS) {
                    reader.abandon("no binlog events or heartbeats for " + reader.idleMillis() + " ms");
                }
                position = dispatcher.committed();
                if (initializer != null && position.initialization() == null && !initializationCompleted) {
                    initializationCompleted = true;
                    phase = "streaming";
                    log.info("initialization committed: a restart from now on resumes the stream, no table is read again");
                }
                if (System.currentTimeMillis() - lastStatus >= 30_000) {
                    lastStatus = System.currentTimeMillis();
                    log.info("status: {} records, {} transactions, {} ms behind the source, at {}", metrics.records(),
                            metrics.transactions(), metrics.lagMillis(), position.offset());
                }
            }
            return null;
        }

        /**
         * Stop requested: stop reading, write and commit what was read up to a transaction boundary.
         * A Kafka that cannot take it within {@link #FINISH_MS} (down, stalled) does not hold the stop
         * up: the session is dropped, and the next run resumes from the last committed checkpoint.
         */
        void finish() throws InterruptedException {
            dispatcher.finish(); // first: a reader waiting for room in the queue gives up
            stopInitializer();
            reader.stop();
            thread.join(FINISH_MS);
            if (thread.isAlive()) {
                log.warn("Kafka did not take the last records within {} ms; stopping without them (the next run resumes from {})",
                        FINISH_MS, dispatcher.committed().offset());
                thread.interrupt();
                thread.join(1_000);
                return;
            }
            if (dispatcher.failure() != null) {
                throw dispatcher.failure() instanceof RuntimeException r ? r : new IllegalStateException(dispatcher.failure());
            }
        }

        /** After a failure: stop everything; the open Kafka transaction is aborted when its producer closes. */
        void abandon() throws InterruptedException {
            dispatcher.closeInput(); // first: a reader waiting for room in the queue gives up, so its disconnect can finish
            stopInitializer();
            reader.stop();
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
