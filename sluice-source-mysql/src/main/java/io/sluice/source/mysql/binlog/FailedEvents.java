package io.sluice.source.mysql.binlog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binlog events one job failed to read once (a checksum mismatch, an event that cannot be
 * decoded): the first failure at an event is taken for damage in transit and the job re-reads from
 * its checkpoint; a second one at the same event stops it. Owned by the job, not by a
 * {@link BinlogReader}: it outlives the job's sessions (each reconnect makes a new reader) and is
 * not shared with other jobs in the same JVM (the connectors of a Kafka Connect worker), whose own
 * first failure at the same event must not count against this one.
 */
public final class FailedEvents {

    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    /**
     * Whether this is the first failure at {@code location} ({@code server/file:position}) for this
     * job; always true for an event without a position ({@code null}): one the server generated
     * (heartbeat, made-up ROTATE) is never the same event twice, so it never stops the job.
     */
    boolean first(String location) {
        return location == null || failedOnce.add(location);
    }
}
