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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Rebalances on a real Connect cluster: under a mixed workload, the worker running Sluice's task
 * leaves the group (SIGTERM), comes back, then the other one does the same; each time the group
 * rebalances and the task is stopped and started elsewhere. Nothing is lost or repeated.
 */
@Exclusive("connect-cluster") // stops a worker
class ConnectRebalanceIT {

    private static final int MAX_RECORDS = 20;

    @Test
    void addingAndRemovingWorkersLosesAndRepeatsNothing() throws Exception {
        ConnectCluster cluster = ConnectCluster.ensure();
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_rebalance";
        server.freshDatabase(db, "CREATE TABLE " + db + ".acct (id INT PRIMARY KEY, v INT NOT NULL)",
                "CREATE TABLE " + db + ".probe (id INT PRIMARY KEY)");
        String name = "it-connect-rebalance-" + System.nanoTime();
        Map<String, String> config = SluiceConnectors.config(server, name, db + ".*", 7611);
        config.put("initialization.fullData", "false");
        config.put("target.transactionMaxRecords", String.valueOf(MAX_RECORDS));
        Workload workload = new Workload(server, db + ".acct", System.nanoTime(), 100, 30_000);
        Thread load = new Thread(workload, "connect-rebalance-workload");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), name)) {
            cluster.create(name, config);
            cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
            SluiceConnectors.awaitStreaming(server, db + ".probe", out, Duration.ofSeconds(90));
            load.start();
            List<String> moves = new ArrayList<>();
            for (int round = 0; round < 1; round++) {
                Worker leaving = cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
                Thread.sleep(1500);
                cluster.stop(leaving);
                cluster.awaitTaskRunning(name, leaving.other(), Duration.ofSeconds(90));
                moves.add(leaving.name + " left, task on " + leaving.other().name);
                Thread.sleep(1500);
                cluster.start(leaving);
                Worker now = cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
                moves.add(leaving.name + " joined, task on " + now.name);
            }
            Thread.sleep(1500);
            workload.stop();
            load.join(60_000);
            assertNull(workload.failure(), "workload failed");
            System.out.println("rebalances: " + moves);

            int expected = workload.committed().stream().mapToInt(List::size).sum();
            out.await(expected, Duration.ofSeconds(120));
            List<GenericRecord> all = out.drain(Duration.ofSeconds(3));
            List<Long> allOffsets = out.offsets();
            List<GenericRecord> records = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (SluiceConnectors.isProbe(all.get(i), db + ".probe")) continue;
                records.add(all.get(i));
                offsets.add(allOffsets.get(i));
            }
            ConnectAssertions.exactlyOnceAndAtomic(workload, records, offsets, MAX_RECORDS);
        } finally {
            workload.stop();
            load.join(60_000);
            cluster.deleteCreated();
            cluster.start(Worker.CONNECT1);
            cluster.start(Worker.CONNECT2);
        }
    }
}
