package io.sluice.core.route;

import io.sluice.core.error.SluiceException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topic names that Kafka's metric names cannot tell apart: a metric name writes '.' as '_', so
 * {@code db.t_1} and {@code db_t.1} are one metric. Kafka refuses to create a topic colliding with
 * an existing one, and warns about it otherwise; a job writing both would fail at its first record
 * of the second, or mix their metrics. Such a pair among the topics a job writes is refused.
 */
public final class TopicCollisions {

    private TopicCollisions() {}

    /** The name Kafka's metrics give a topic. */
    public static String metricName(String topic) {
        return topic.replace('.', '_');
    }

    /** The first two of {@code topics} whose metric names are the same, or null. */
    public static List<String> firstCollision(Collection<String> topics) {
        Map<String, String> seen = new HashMap<>();
        for (String t : topics) {
            String other = seen.putIfAbsent(metricName(t), t);
            if (other != null && !other.equals(t)) return List.of(other, t);
        }
        return null;
    }

    public static SluiceException error(String first, String second) {
        return new SluiceException("the job writes topics " + first + " and " + second + ", which differ only in '.' versus '_':"
                + " Kafka's metric names cannot tell them apart (Kafka refuses to create the one, or warns about the pair)",
                "give one of them another name: a target.topics entry naming another topic for its tables before the one that gives it,"
                        + " or another target.topic, target.ddl.topic or state.checkpointTopic");
    }

    /** A topic the job would create whose metric name is that of {@code existing}, a topic not the job's (Kafka refuses the creation). */
    public static SluiceException withExisting(String topic, String existing, Throwable cause) {
        return new SluiceException("topic " + topic + " cannot be created: the existing topic " + existing
                + " differs from it only in '.' versus '_', which Kafka's metric names cannot tell apart (Kafka refuses to create it)",
                "give the job's topic another name (target.topic, a target.topics entry, target.ddl.topic or state.checkpointTopic,"
                        + " whichever gives " + topic + "); or, if nothing uses " + existing + ", delete it", cause);
    }
}
