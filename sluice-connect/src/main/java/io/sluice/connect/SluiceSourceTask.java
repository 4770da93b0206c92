package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.job.SyncJob;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Sluice engine ({@link SyncJob}, as {@code sluice run} does) for one connector, on its
 * own thread; its Kafka transactions come out of {@link #poll()} as whole groups of records, each
 * closed by its checkpoint marker (see {@link ConnectDelivery}). A problem the user must fix fails
 * the task with the engine's one line: the problem and its fix.
 */
public final class SluiceSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(SluiceSourceTask.class);
    /** How long poll() waits for a released group before returning null (the worker polls again). */
    private static final long POLL_WAIT_MS = 500;
    /** How long stop() waits for the engine to stop (it drops, never half-writes, what it could not hand out). */
    private static final long STOP_WAIT_MS = 20_000;

    private String job;
    private SyncJob engine;
    private Thread engineThread;
    private ReleasedGroups groups;
    private JobConfig config;
    private long offsetLimit;
    private TransactionContext transactions;
    private ReinitializeToken token;
    private Map<String, String> internalTopics;
    private volatile Throwable failure;
    private volatile boolean engineEnded;
    private volatile boolean stopping;

    /** The job name: the connector's name (Connect passes it as {@code name}). */
    static String jobName(Map<String, String> props) {
        String name = props.get("name");
        return name == null || name.isBlank() ? "sluice" : name;
    }

    @Override public String version() { return Version.get(); }

    @Override
    public void start(Map<String, String> props) {
        job = jobName(props);
        MySqlDriver.register();
        JobConfig config;
        try {
            config = DottedJobConfig.parse(job, props);
        } catch (SluiceException e) {
            throw new ConnectException(e.oneLine());
        }
        transactions = context.transactionContext();
        if (transactions == null) {
            log.warn("connector {}: delivery is AT-LEAST-ONCE: the worker runs without exactly.once.source.support=enabled"
                    + " (or the connector without transaction.boundary=connector), so after a worker failure records may be written"
                    + " again (consumers drop repeats by record id); see docs/connect.md for the exactly-once settings", job);
        } else {
            log.info("connector {}: delivery is exactly-once: one Kafka transaction per Sluice commit (whole source transactions),"
                    + " with its checkpoint in the connector's offsets", job);
        }
        internalTopics = ConnectInternalTopics.of(props);
        Start start = startingPoint(config, props);
        groups = new ReleasedGroups(start.checkpoint(), start.offset());
        this.config = config;
        offsetLimit = OffsetSize.limit(props);
        // the connector's previous task (another worker's, stopped or fenced by now) may still be registered under its name
        engine = new SyncJob(config).deliveredBy(new Deliveries()).sameNameIsThisJob(true).reinitialize(token.reinitialize());
        // Connect's log context ([connector|task-0]) for the engine's lines too (log4j's MDC is inherited by the threads it starts)
        Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap();
        engineThread = new Thread(() -> {
            if (logContext != null) org.slf4j.MDC.setContextMap(logContext);
            runEngine();
        }, "sluice-" + job);
        engineThread.setDaemon(true);
        engineThread.start();
    }

    private record Start(Checkpoint checkpoint, Map<String, Object> offset) {}

    /**
     * The checkpoint in the connector's Connect offsets (the worker read them to the end, after
     * fencing out the task's previous generation). Without any, on an exactly-once worker, the last
     * checkpoint of this job in the checkpoint topic: written by {@code sluice run} under the same job
     * name, or by this connector before its offsets were lost (the markers are written in the same
     * transactions as the offsets, so they are the same checkpoints).
     */
    private Start startingPoint(JobConfig config, Map<String, String> props) {
        Map<String, Object> cpPartition = ConnectOffsets.checkpointPartition(job);
        Map<String, Object> historyPartition = ConnectOffsets.historyPartition(job);
        Map<Map<String, Object>, Map<String, Object>> stored = context.offsetStorageReader().offsets(List.of(cpPartition, historyPartition));
        Map<String, Object> cpOffset = stored.get(cpPartition);
        token = ReinitializeToken.decide(props, cpOffset);
        if (token.reinitialize()) {
            log.warn("connector {}: {}={} differs from the token in its offsets ({}): starting over as `sluice run --reinitialize` does;"
                    + " the new token is committed with the first records", job, ReinitializeToken.KEY, token.recorded(),
                    cpOffset.get(ConnectOffsets.TOKEN_FIELD) == null ? "none" : cpOffset.get(ConnectOffsets.TOKEN_FIELD));
        }
        Checkpoint cp;
        try {
            cp = ConnectOffsets.checkpoint(job, cpOffset, stored.get(historyPartition));
        } catch (SluiceException e) {
            throw new ConnectException(e.oneLine());
        }
        if (cp != null || transactions == null) return new Start(cp, cpOffset);
        String topic = config.state.checkpointTopic != null ? config.state.checkpointTopic : config.target.topic + "-sluice-checkpoints";
        Map<String, byte[]> last;
        try {
            last = new CheckpointTopic(new KafkaTarget(config.target), topic).readLast(job, job + "/schema-history");
        } catch (RuntimeException e) { // not "no checkpoint": starting without one could write a second snapshot
            throw new ConnectException("connector " + job + " has no Connect offsets yet, and its checkpoint topic " + topic
                    + " cannot be read to look for a checkpoint of job " + job + ": "
                    + (e instanceof SluiceException se ? se.oneLine() : e.toString())
                    + " Fix: check Kafka at " + config.target.bootstrapServers + ", then restart the task");
        }
        if (last.get(job) == null) return new Start(null, null);
        Map<String, Object> offset = ConnectOffsets.checkpointOffset(last.get(job));
        byte[] history = last.get(job + "/schema-history");
        cp = ConnectOffsets.checkpoint(job, offset,
                history == null ? null : ConnectOffsets.historyOffset(new String(history, StandardCharsets.UTF_8)));
        log.warn("connector {}: no Connect offsets yet; resuming from job {}'s last checkpoint in topic {} ({}), written by `sluice run`"
                + " or by this connector", job, job, topic, cp.offset());
        return new Start(cp, offset);
    }

    private void runEngine() {
        try {
            engine.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            engineEnded = true;
        }
    }

    /** The released groups in order, each ending with its checkpoint marker, or null after a short wait. */
    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<List<SourceRecord>> released = groups.take(POLL_WAIT_MS);
        if (released.isEmpty()) {
            if (engineEnded && !stopping) throw failed();
            return null;
        }
        List<SourceRecord> out = new ArrayList<>();
        for (List<SourceRecord> g : released) {
            out.addAll(g);
            // the worker commits its transaction when it has sent this record: the group and its checkpoint, nothing else
            if (transactions != null) transactions.commitTransaction(g.get(g.size() - 1));
        }
        return out;
    }

    private ConnectException failed() {
        Throwable t = failure;
        if (t == null) return new ConnectException("the Sluice engine of connector " + job + " stopped without a failure");
        if (t instanceof SluiceException se) return new ConnectException(se.oneLine());
        return new ConnectException("the Sluice engine of connector " + job + " failed: " + t, t);
    }

    @Override
    public void stop() {
        stopping = true;
        if (groups != null) groups.stop();
        if (engine == null) return;
        engine.requestStop();
        try {
            if (!engine.awaitStopped(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.warn("connector {}: the engine did not stop within {} ms; the next task resumes from the committed offsets", job, STOP_WAIT_MS);
                engineThread.interrupt();
            } else {
                Checkpoint last = groups.lastCommitted();
                log.info("connector {}: stopped; the last checkpoint handed to the worker is at {}", job, last == null ? "none" : last.offset());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the engine this task's delivery for each of its sessions. */
    private final class Deliveries implements DeliveryFactory {
        private boolean checkpointTopicChecked;

        @Override
        public Delivery open(Setup setup) {
            if (!checkpointTopicChecked) { // the markers go there, also on an at-least-once worker
                setup.checkpointTopic().ensureExists();
                checkpointTopicChecked = true;
            }
            return new ConnectDelivery(job, transactions != null, config.target.commitIntervalMs, groups, setup,
                    new OffsetSize(job, offsetLimit, setup.checkpointTopic().name())).recordingToken(token.recorded());
        }

        @Override
        public String checkpointPlace() {
            return "the Connect offsets of connector " + job;
        }

        @Override
        public Map<String, String> notRecordTopics() {
            return internalTopics;
        }

        /**
         * docs/connect.md (Starting over): a new reinitialize token where the offsets hold a checkpoint
         * (a position on another server); without one (a lost checkpoint) the token does not act.
         */
        @Override
        public String startOver() {
            return "a new connector name into a new target.topic"
                    + (transactions == null ? "" : ", or by running `sluice run --reinitialize` once as job " + job
                    + " (same topics) until it streams, then DELETE /connectors/" + job + "/offsets while the connector is STOPPED and resume it")
                    + "; while its offsets hold a checkpoint, by a new value of " + ReinitializeToken.KEY
                    + " (PUT /connectors/" + job + "/config) (docs/connect.md, Starting over)";
        }
    }
}
