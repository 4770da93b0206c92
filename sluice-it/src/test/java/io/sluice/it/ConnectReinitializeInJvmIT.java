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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect's {@code sluice run --reinitialize}: a new {@code initialization.reinitializeToken} in a
 * running connector's config starts it over once (a new snapshot, ids going on), on an exactly-once
 * worker in this JVM; a restart, or the same config submitted again, does not start over again.
 */
class ConnectReinitializeInJvmIT {

    @Test
    void aNewTokenStartsTheConnectorOverOnceAndTheSameTokenAgainDoesNothing() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_reinit";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES (1, 'a'), (2, 'b')");
        long n = System.nanoTime();
        String topic = "it-connect-reinit-" + n;
        String connector = "it-connect-reinit-" + n;
        long serverId = 4_000_000 + (n / 1000) % 1_000_000;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            Map<String, String> config = ConnectInJvmIT.connectorConfig(connector, server, topic, db + ".t", serverId);
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(2, out.await(2, Duration.ofSeconds(60)).size(), "INIT records");
            server.exec("INSERT INTO " + db + ".t VALUES (3, 'c')");
            assertEquals(3, out.await(3, Duration.ofSeconds(60)).size());

            // the operator's change: the task is restarted with the new config and starts over
            config.put("initialization.reinitializeToken", "1");
            worker.putConnector(connector, config);
            out.await(6, Duration.ofSeconds(90));
            server.exec("UPDATE " + db + ".t SET v = 'B' WHERE id = 2");
            out.await(7, Duration.ofSeconds(60));

            // the same token: a restarted task, and the same config submitted again, resume from the offsets
            worker.restartTask(connector);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            server.exec("DELETE FROM " + db + ".t WHERE id = 1");
            out.await(8, Duration.ofSeconds(60));
            List<GenericRecord> all = out.drain(Duration.ofSeconds(3));
            assertEquals(List.of("INIT", "INIT", "INSERT", "INIT", "INIT", "INIT", "UPDATE", "DELETE"),
                    all.stream().map(r -> r.get("operation").toString()).toList(), "one new snapshot, then streaming: " + all);
            long previous = 0;
            for (GenericRecord r : all) {
                assertTrue((Long) r.get("id") > previous, "ids go on increasing across the start-over: " + r.get("id"));
                previous = (Long) r.get("id");
            }
            worker.deleteConnector(connector);
        }
    }
}
