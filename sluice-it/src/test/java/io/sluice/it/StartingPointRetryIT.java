package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.engine.delivery.AtLeastOnceDelivery;
import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.job.SyncJob;
import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.LocalStateStore;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.sink.kafka.KafkaSink;
import io.sluice.sink.kafka.RecordOrigin;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new job commits its starting point before it reads; a transient Kafka failure of that commit
 * (a request timing out) is retried like one while streaming, not a reason to stop the job. The
 * failure is made deterministic at the delivery: real Kafka and MySQL, the first commit's answer
 * replaced by the TimeoutException the producer throws when a broker does not answer in time.
 */
@Timeout(180)
class StartingPointRetryIT {

    @TempDir Path dir;

    /** At-least-once delivery into real Kafka whose first commit (the starting point's) times out. */
    private static final class FirstCommitTimesOut implements DeliveryFactory {
        final Path stateDir;
        final String jobName;
        final AtomicBoolean failed = new AtomicBoolean();

        FirstCommitTimesOut(Path stateDir, String jobName) {
            this.stateDir = stateDir;
            this.jobName = jobName;
        }

        @Override
        public Delivery open(Setup setup) {
            Delivery real = new AtLeastOnceDelivery(new KafkaSink(setup.target()), new LocalStateStore(stateDir, jobName),
                    setup.topics(), setup.sourceServer());
            return new Delivery() {
                @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
                    real.send(topic, partition, key, value, origin);
                }

                @Override public void commit(Checkpoint checkpoint) {
                    if (failed.compareAndSet(false, true)) throw new TimeoutException("injected: the commit was not answered in time");
                    real.commit(checkpoint);
                }

                @Override public void abort() { real.abort(); }
                @Override public Checkpoint lastCommitted() { return real.lastCommitted(); }
                @Override public boolean exactlyOnce() { return false; }
                @Override public int commitIntervalMs() { return real.commitIntervalMs(); }
                @Override public void close() { real.close(); }
            };
        }

        @Override public String checkpointPlace() { return "state file in " + stateDir; }
    }

    @Test
    void aTransientKafkaFailureOfTheStartingPointCommitIsRetried() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_startretry", "CREATE TABLE it_startretry.t (id INT PRIMARY KEY)");
        String topic = "it-startretry-" + System.nanoTime();
        String name = "startretry-" + System.nanoTime();
        JobConfig config = new JobConfigLoader(k -> null).parse(
                JobYaml.of(name, server, topic, dir.resolve("state"), "it_startretry.t", 8104), "test job");
        FirstCommitTimesOut deliveries = new FirstCommitTimesOut(dir.resolve("state"), name);
        SyncJob job = new SyncJob(config).deliveredBy(deliveries);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                job.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-job-" + name);
        running.start();
        try {
            while (!"streaming".equals(job.phase()) && running.isAlive()) Thread.sleep(50);
            assertNull(failure.get(), () -> "the job stopped on a transient failure of its first commit: " + failure.get());
            assertTrue(deliveries.failed.get(), "the starting point's commit failed once");
            assertEquals(1, job.metrics().restarts());
            assertTrue(job.metrics().lastError().contains("injected"), job.metrics().lastError());

            server.exec("INSERT INTO it_startretry.t VALUES (1)");
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                assertEquals(1, out.await(1, Duration.ofSeconds(60)).size(), "the job streams after the retry");
            }
        } finally {
            job.requestStop();
            job.awaitStopped(60, TimeUnit.SECONDS);
            running.join(10_000);
        }
        assertNull(failure.get());
    }
}
