package io.sluice.it;

import io.sluice.it.support.ConnectCluster;
import io.sluice.it.support.ConnectCluster.Worker;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceConnectors;
import io.sluice.it.support.Workload;
import io.sluice.it.support.Exclusive;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once on a real Connect cluster: while a mixed workload (single-row autocommits,
 * multi-statement transactions, rollbacks, one large transaction split into many Kafka transactions)
 * runs against MySQL 5.7, the worker running Sluice's task is SIGKILLed ten times; each time the task
 * must move to the other worker, and the killed worker is started again before the next kill (so the
 * kills alternate between the two workers). A read_committed consumer must see every committed
 * change exactly once, in commit order, each source transaction atomic.
 */
@Exclusive("connect-cluster") // kills workers
class ConnectCrashIT {

    private static final int KILLS = 10;
    /** Small, so that ordinary multi-statement transactions and the large one are split. */
    private static final int MAX_RECORDS = 10;

    @Test
    void sigkillOfTheTasksWorkerMovesTheTaskAndLosesAndRepeatsNothing() throws Exception {
        ConnectCluster cluster = ConnectCluster.ensure();
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_crash";
        server.freshDatabase(db, "CREATE TABLE " + db + ".acct (id INT PRIMARY KEY, v INT NOT NULL)",
                "CREATE TABLE " + db + ".probe (id INT PRIMARY KEY)");
        String name = "it-connect-crash-" + System.nanoTime();
        String topic = name;
        Map<String, String> config = SluiceConnectors.config(server, topic, db + ".*", 7601);
        config.put("initialization.fullData", "false");
        config.put("target.transactionMaxRecords", String.valueOf(MAX_RECORDS));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Workload workload = new Workload(server, db + ".acct", seed, 200, 40_000);
        Thread load = new Thread(workload, "connect-crash-workload");
        List<Worker> killed = new ArrayList<>();
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            cluster.create(name, config);
            cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
            SluiceConnectors.awaitStreaming(server, db + ".probe", out, Duration.ofSeconds(90));
            load.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                Worker victim = cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
                if (kill == KILLS / 2) workload.requestLargeTransaction();
                // around the large transaction, kill sooner: likely while its pieces are being written
                boolean nearLarge = kill >= KILLS / 2 && kill <= KILLS / 2 + 1;
                Thread.sleep(nearLarge ? 50 + random.nextInt(400) : 500 + random.nextInt(2500));
                cluster.kill(victim);
                killed.add(victim);
                long t0 = System.nanoTime();
                cluster.awaitTaskRunning(name, victim.other(), Duration.ofSeconds(120));
                System.out.printf("kill %d: %s SIGKILLed, task RUNNING on %s after %d ms%n", kill, victim.name,
                        victim.other().name, (System.nanoTime() - t0) / 1_000_000);
                cluster.start(victim);
            }
            Thread.sleep(1000);
            workload.stop();
            load.join(60_000);
            assertNull(workload.failure(), "workload failed");

            int expected = workload.committed().stream().mapToInt(List::size).sum();
            List<GenericRecord> all = out.await(expected, Duration.ofSeconds(180));
            all = out.drain(Duration.ofSeconds(3));
            List<Long> allOffsets = out.offsets();
            List<GenericRecord> records = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (SluiceConnectors.isProbe(all.get(i), db + ".probe")) continue;
                records.add(all.get(i));
                offsets.add(allOffsets.get(i));
            }
            System.out.printf("connect crash test (seed %d): kills %s%n", seed, killed);
            for (int k = 1; k < killed.size(); k++) {
                assertEquals(killed.get(k - 1).other(), killed.get(k), "the kills alternate: the task moved to the survivor each time");
            }
            int split = ConnectAssertions.exactlyOnceAndAtomic(workload, records, offsets, MAX_RECORDS);
            assertTrue(split > 0, "the large transaction was split");
        } finally {
            workload.stop();
            load.join(60_000);
            cluster.deleteCreated();
            cluster.start(Worker.CONNECT1);
            cluster.start(Worker.CONNECT2);
        }
    }
}
