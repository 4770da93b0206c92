package io.sluice.it;

import io.sluice.connect.SluiceSourceConnector;
import io.sluice.connect.SluiceSourceTask;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.MySqlServer;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connector never writes records to Kafka Connect's own topics: its {@code offsets.storage.topic}
 * and the worker topics' default names are refused as record topics by validate() (on the key to
 * change) and at task start (the task fails with one line). Also the '.'/'_' guard in validate().
 */
@Timeout(180)
class ConnectTopicGuardsIT {

    private static long serverId() { return 5_000_000 + (System.nanoTime() / 1000) % 1_000_000; }

    private static List<String> errors(Config c, String key) {
        return c.configValues().stream().filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages).orElse(List.of());
    }

    @Test
    void validateRefusesConnectsOwnTopicsAndTopicsAlikeInMetricNames() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_guards";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".u (id INT PRIMARY KEY)");
        String p = "it-connect-guards-" + System.nanoTime();
        Map<String, String> good = ConnectInJvmIT.connectorConfig(p, server, p, db + ".*", serverId());
        for (ConfigValue v : new SluiceSourceConnector().validate(good).configValues()) {
            assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages());
        }

        Map<String, String> workerTopic = new HashMap<>(good);
        workerTopic.put("target.topic", "connect-offsets");
        List<String> e1 = errors(new SluiceSourceConnector().validate(workerTopic), "target.topic");
        assertTrue(e1.stream().anyMatch(m -> m.contains("connect-offsets is Kafka Connect's offsets topic") && m.contains("Fix:")), e1.toString());

        Map<String, String> ownOffsets = new HashMap<>(good);
        ownOffsets.put("offsets.storage.topic", p + "-offsets");
        ownOffsets.put("target.topics", db + ".t:" + p + "-offsets");
        List<String> e2 = errors(new SluiceSourceConnector().validate(ownOffsets), "target.topic");
        assertTrue(e2.stream().anyMatch(m -> m.contains(p + "-offsets is this connector's offsets topic (offsets.storage.topic)")), e2.toString());

        Map<String, String> alike = new HashMap<>(good);
        alike.put("target.topics", db + ".t:" + p + ".a_b," + db + ".u:" + p + "_a.b");
        List<String> e3 = errors(new SluiceSourceConnector().validate(alike), "target.topic");
        assertTrue(e3.stream().anyMatch(m -> m.contains(p + ".a_b") && m.contains(p + "_a.b") && m.contains("metric names")), e3.toString());
    }

    /** validate() is not the only door (a worker's config may skip it, a table created later): the task refuses too. */
    @Test
    void aTaskWritingToTheConnectorsOffsetsTopicFailsWithOneLine() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_guards_task";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String p = "it-connect-guards-task-" + System.nanoTime();
        Map<String, String> config = ConnectInJvmIT.connectorConfig(p, server, p + "-offsets", db + ".t", serverId());
        config.put("offsets.storage.topic", p + "-offsets");
        SluiceSourceTask task = new SluiceSourceTask();
        task.initialize(new NoOffsetsContext(config));
        task.start(config);
        try {
            ConnectException failure = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    task.poll(); // the worker's loop: null or records until the engine has failed
                } catch (ConnectException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null, "the task fails");
            String m = failure.getMessage();
            assertTrue(m.contains("topic " + p + "-offsets is this connector's offsets topic") && m.contains("Fix:"), m);
        } finally {
            task.stop();
        }
    }

    /** A worker's context with no offsets yet, at-least-once (no transaction context). */
    private record NoOffsetsContext(Map<String, String> configs) implements SourceTaskContext {
        @Override public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override public <T> Map<String, Object> offset(Map<String, T> partition) { return null; }
                @Override public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) { return Map.of(); }
            };
        }
    }
}
