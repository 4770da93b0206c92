package io.sluice.app.status;

/**
 * A job's streaming metrics over JMX, under {@code io.sluice:type=sluice-metrics,context=streaming,job=<name>}:
 * the attribute names of Debezium's MySQL connector ({@code debezium.mysql:type=connector-metrics,context=streaming}),
 * with the same meaning, so its dashboards and alerts carry over with a rename (docs/monitoring.md).
 */
public interface StreamingMetricsMXBean {

    /** Now minus the source time of the last binlog event handled; 0 once read to the binlog end. */
    long getMilliSecondsBehindSource();

    /** Binlog events handled: rows, commits, DDL. */
    long getTotalNumberOfEventsSeen();

    /** Source transactions handled. */
    long getNumberOfCommittedTransactions();

    /** Whether the binlog connection is up. */
    boolean isConnected();

    /** Binlog file of the last committed checkpoint. */
    String getBinlogFilename();

    /** Binlog position of the last committed checkpoint. */
    long getBinlogPosition();

    /** GTID set of the last committed checkpoint ("" without GTIDs). */
    String getGtidSet();

    /** Capacity of the queue between the binlog reader and the Kafka writer. */
    int getQueueTotalCapacity();

    /** Free room in that queue (0: the reader waits for Kafka). */
    int getQueueRemainingCapacity();

    /** Records handed to Kafka (no Debezium counterpart). */
    long getTotalNumberOfRecordsWritten();
}
