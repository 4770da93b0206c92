package io.sluice.app.status;

import io.sluice.engine.init.Initializer;
import io.sluice.engine.job.JobMetrics;
import io.sluice.engine.job.SyncJob;
import io.sluice.engine.state.Checkpoint;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registers a job's {@link StreamingMetricsMXBean} and {@link SnapshotMetricsMXBean} with the platform MBean server. */
public final class JobMBeans implements AutoCloseable {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName streaming;
    private final ObjectName snapshot;

    private JobMBeans(String jobName, SyncJob job) throws JMException {
        streaming = name("streaming", jobName);
        snapshot = name("snapshot", jobName);
        unregister(); // a job of the same name earlier in this JVM (tests)
        server.registerMBean(new Streaming(job), streaming);
        server.registerMBean(new Snapshot(job), snapshot);
    }

    /**
     * Starts the platform MBean server on a daemon thread: its first use takes 0.15-0.2 s, which {@link #register}
     * would otherwise spend on the start-up's path (it waits for this one if it is not done yet).
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer();
            } catch (Throwable e) { // register() meets it again on the main thread and says so there
            }
        }, "sluice-jmx-start");
        t.setDaemon(true);
        t.start();
    }

    public static JobMBeans register(String jobName, SyncJob job) {
        try {
            return new JobMBeans(jobName, job);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the JMX metrics of job " + jobName, e);
        }
    }

    public static ObjectName name(String context, String jobName) {
        try {
            return new ObjectName("io.sluice:type=sluice-metrics,context=" + context + ",job=" + ObjectName.quote(jobName));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void unregister() throws JMException {
        for (ObjectName n : List.of(streaming, snapshot)) {
            if (server.isRegistered(n)) server.unregisterMBean(n);
        }
    }

    @Override
    public void close() {
        try {
            unregister();
        } catch (JMException ignored) {
            // the JVM is going away anyway
        }
    }

    /** Rows written per table by this run's initialization. */
    static Map<String, Long> rowsScanned(SyncJob job) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Initializer.TableProgress t : job.initializationProgress()) rows.put(t.table(), t.rows());
        return rows;
    }

    /** Tables of the checkpoint's unfinished initialization (0 when there is none). */
    static int remainingTables(SyncJob job) {
        Checkpoint p = job.position();
        return p == null || p.initialization() == null ? 0
                : (int) p.initialization().tables().values().stream().filter(t -> !t.done()).count();
    }

    private record Streaming(SyncJob job) implements StreamingMetricsMXBean {
        private JobMetrics m() { return job.metrics(); }
        @Override public long getMilliSecondsBehindSource() { return m().lagMillis(); }
        @Override public long getTotalNumberOfEventsSeen() { return m().eventsSeen(); }
        @Override public long getNumberOfCommittedTransactions() { return m().transactions(); }
        @Override public boolean isConnected() { return m().connected(); }
        @Override public String getBinlogFilename() { return job.position() == null ? null : job.position().binlogFile(); }
        @Override public long getBinlogPosition() { return job.position() == null ? 0 : job.position().binlogPosition(); }
        @Override public String getGtidSet() {
            return job.position() == null || job.position().gtidSet() == null ? "" : job.position().gtidSet();
        }
        @Override public int getQueueTotalCapacity() { return m().queueCapacity(); }
        @Override public int getQueueRemainingCapacity() { return m().queueRemainingCapacity(); }
        @Override public long getTotalNumberOfRecordsWritten() { return m().records(); }
    }

    private record Snapshot(SyncJob job) implements SnapshotMetricsMXBean {
        @Override public boolean isSnapshotRunning() { return "initializing".equals(job.phase()); }
        @Override public boolean isSnapshotCompleted() { return job.initializationCompleted(); }
        @Override public Map<String, Long> getRowsScanned() { return rowsScanned(job); }
        @Override public int getRemainingTableCount() { return remainingTables(job); }
        @Override public int getTotalTableCount() { return job.initializationProgress().size(); }
    }
}
