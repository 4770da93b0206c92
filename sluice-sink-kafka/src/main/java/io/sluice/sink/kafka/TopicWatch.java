package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.admin.Admin;

import java.util.Map;

/**
 * Notices, before a commit, that a record topic was deleted while the job ran (and maybe created
 * again by the broker's auto-creation, with a new topic id): writing on would continue the stream in
 * the middle of an empty topic. Asks the brokers at most once a second; where they have no topic
 * ids (before Kafka 2.8) it checks nothing.
 */
public final class TopicWatch implements AutoCloseable {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final KafkaTarget target;
    /** Grows while the job runs: a topic first written then (target.topics, a new table) is watched from then on. */
    private final Map<String, String> expected;
    private Admin admin;
    private long lastCheck = System.nanoTime();

    /** @param expected topic ids as the job found them at start (topics without an id are not watched) */
    public TopicWatch(KafkaTarget target, Map<String, String> expected) {
        this.target = target;
        this.expected = new java.util.TreeMap<>(expected);
    }

    /** The topic ids the job writes to, recorded in each checkpoint. */
    public synchronized Map<String, String> ids() { return Map.copyOf(expected); }

    /** Watches more topics from now on (those with an id; an id already watched is kept). */
    public synchronized void add(Map<String, String> ids) {
        ids.forEach(expected::putIfAbsent);
    }

    /** Throws when a watched topic is gone or has another id; other failures to ask are left to the producer. */
    public synchronized void verify() {
        if (expected.isEmpty() || System.nanoTime() - lastCheck < INTERVAL_NANOS) return;
        lastCheck = System.nanoTime();
        Map<String, String> now;
        try {
            if (admin == null) admin = target.admin(); // the target's shared client where it has one
            now = KafkaTarget.topicIds(admin, expected.keySet(), target.config().connectTimeoutSeconds);
        } catch (SluiceException | org.apache.kafka.common.KafkaException unavailable) {
            return; // Kafka unreachable: the producer reports that itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Map.copyOf(expected).forEach((topic, id) -> {
            String current = now.get(topic);
            if (!id.equals(current)) throw changed(topic, id, current);
        });
    }

    public static SluiceException changed(String topic, String before, String now) {
        return new SluiceException("topic " + topic + (now == null ? " was deleted" : " was deleted and created again (topic id "
                + before + " before, " + now + " now)") + ": the records written before are gone from it, so the"
                + " stream would go on from the middle", "restore the topic, or start over explicitly with `sluice run --reinitialize`"
                + " (a new snapshot into the topic: consumers see INIT records again)");
    }

    @Override
    public synchronized void close() {
        if (admin != null) target.release(admin); // a shared client stays open until the target closes
    }
}
