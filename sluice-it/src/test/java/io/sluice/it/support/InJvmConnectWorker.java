package io.sluice.it.support;

import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.FutureCallback;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A distributed Kafka Connect worker in the test's JVM (connect-runtime's {@link ConnectDistributed},
 * the classes the real workers run) on the suite's Kafka, with its own group and internal topics,
 * so tests do not share Connect state. The connector comes from the test classpath, not a plugin
 * folder: fast feedback on the connector itself; the two-process cluster of scripts/servers.sh proves the packaging.
 */
public final class InJvmConnectWorker implements AutoCloseable {

    private final Connect<DistributedHerder> connect;

    /** @param exactlyOnce exactly.once.source.support=enabled, else the at-least-once worker of Connect's defaults */
    public InJvmConnectWorker(String bootstrap, boolean exactlyOnce) {
        String id = "sluice-it-connect-" + System.nanoTime();
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", id);
        p.put("config.storage.topic", id + "-configs");
        p.put("offset.storage.topic", id + "-offsets");
        p.put("status.storage.topic", id + "-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "1");
        p.put("status.storage.partitions", "1");
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("offset.flush.interval.ms", "1000");
        p.put("listeners", "http://127.0.0.1:0");
        p.put("exactly.once.source.support", exactlyOnce ? "enabled" : "disabled");
        connect = new ConnectDistributed().startConnect(p);
    }

    public DistributedHerder herder() { return connect.herder(); }

    /** Creates (or replaces) a connector and waits until the worker has its config. */
    public void putConnector(String name, Map<String, String> config) throws Exception {
        FutureCallback<Object> done = new FutureCallback<>();
        herder().putConnectorConfig(name, config, true, (error, result) -> done.onCompletion(error, result));
        done.get(60, TimeUnit.SECONDS);
    }

    public void deleteConnector(String name) throws Exception {
        FutureCallback<Object> done = new FutureCallback<>();
        herder().deleteConnectorConfig(name, (error, result) -> done.onCompletion(error, result));
        done.get(60, TimeUnit.SECONDS);
    }

    /** Restarts the connector's task 0 (a new task instance: it reads its offsets again). */
    public void restartTask(String name) throws Exception {
        FutureCallback<Void> done = new FutureCallback<>();
        herder().restartTask(new org.apache.kafka.connect.util.ConnectorTaskId(name, 0), done);
        done.get(60, TimeUnit.SECONDS);
    }

    /** Task 0's state (RUNNING, FAILED ...), or null before it has one; {@link #taskTrace} says why it failed. */
    public String taskState(String name) {
        try {
            ConnectorStateInfo s = herder().connectorStatus(name);
            return s.tasks().isEmpty() ? null : s.tasks().get(0).state();
        } catch (RuntimeException notYet) {
            return null;
        }
    }

    public String taskTrace(String name) {
        ConnectorStateInfo s = herder().connectorStatus(name);
        return s.tasks().isEmpty() ? null : s.tasks().get(0).trace();
    }

    /** Waits for task 0 to reach {@code state}; fails early, with its trace, when it failed instead. */
    public void awaitTask(String name, String state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!state.equals(taskState(name))) {
            if ("FAILED".equals(taskState(name))) throw new IllegalStateException("task failed: " + taskTrace(name));
            if (System.nanoTime() > deadline) throw new IllegalStateException("task of " + name + " is " + taskState(name) + ", not " + state);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        connect.stop();
    }
}
