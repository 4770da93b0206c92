package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InJvmConnectWorker;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PUT of a changed config (objects.include widened, tasks.max raised) on a running connector: its
 * one task restarts from the committed offsets with the new selection, and the newly selected table
 * is initialized (initialization.fullData), as `sluice run` does with a widened job file.
 */
class ConnectReconfigureIT {

    @Test
    void aWidenedSelectionResumesAndInitializesTheNewTableOnly() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_reconf";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".a VALUES (1), (2)", "INSERT INTO " + db + ".b VALUES (10), (20), (30)");
        long n = System.nanoTime();
        String topic = "it-connect-reconf-" + n;
        String connector = "it-connect-reconf-" + n;
        long serverId = 3_100_000 + (n / 1000) % 100_000;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic, "read_committed")) {
            Map<String, String> config = ConnectInJvmIT.connectorConfig(connector, server, topic, db + ".a", serverId);
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            out.await(2, Duration.ofSeconds(60)); // a's INIT records: its snapshot is done before the changes
            server.exec("INSERT INTO " + db + ".a VALUES (3)", "INSERT INTO " + db + ".b VALUES (40)");
            out.await(3, Duration.ofSeconds(60));

            config.put("objects.include", db + ".a," + db + ".b");
            config.put("tasks.max", "3");
            worker.putConnector(connector, config);
            server.exec("INSERT INTO " + db + ".a VALUES (4)");
            out.await(8, Duration.ofSeconds(90));
            List<GenericRecord> all = out.drain(Duration.ofSeconds(5));
            List<String> seen = all.stream().map(r -> r.get("objectName") + " " + r.get("operation")).toList();
            assertEquals(4, seen.stream().filter(s -> s.endsWith(".b INIT")).count(), "b's rows, 40 included, once: " + seen);
            assertEquals(2, seen.stream().filter(s -> s.endsWith(".a INIT")).count(), "a is not initialized again: " + seen);
            assertEquals(2, seen.stream().filter(s -> s.endsWith(".a INSERT")).count(), "a's changes once each: " + seen);
            assertEquals(8, all.size(), String.valueOf(seen));
            assertEquals(1, worker.herder().connectorStatus(connector).tasks().size(), "one task, whatever tasks.max");
            worker.deleteConnector(connector);
        }
    }
}
