package io.sluice.app.status;

import java.util.Map;

/**
 * A job's initialization (Debezium: snapshot) metrics over JMX, under
 * {@code io.sluice:type=sluice-metrics,context=snapshot,job=<name>}, with the attribute names of
 * Debezium's {@code context=snapshot} MBean.
 */
public interface SnapshotMetricsMXBean {

    /** Whether an initialization is running. */
    boolean isSnapshotRunning();

    /** Whether this run's initialization finished (all its rows committed). */
    boolean isSnapshotCompleted();

    /** Rows written per table ("db.table") by the initialization. */
    Map<String, Long> getRowsScanned();

    /** Tables of the initialization not finished yet. */
    int getRemainingTableCount();

    /** Tables of the initialization. */
    int getTotalTableCount();
}
