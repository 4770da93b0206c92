package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InJvmConnectWorker;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.entities.Message;
import org.apache.kafka.connect.util.FutureCallback;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector's Connect offsets on an at-least-once worker: what is stored, a resume across DDL, and reset offsets. */
class ConnectOffsetsIT {

    /** Server ids no other branch's test uses (3,100,000 up). */
    private static long freshServerId() {
        return 3_100_000 + (System.nanoTime() / 1000) % 100_000;
    }

    @Test
    void atLeastOnceCheckpointsCarryTheirHistoryAcrossDdlAndResetOffsetsAreRefusedWithConnectsWayToStartOver() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_offsets";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES (1, 'a')");
        long n = System.nanoTime();
        String topic = "it-connect-offsets-" + n;
        String connector = "it-connect-offsets-" + n;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), false);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic, "read_uncommitted")) {
            Map<String, String> config = ConnectInJvmIT.connectorConfig(connector, server, topic, db + ".t", freshServerId());
            config.remove("exactly.once.support");
            config.remove("transaction.boundary");
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(1, out.await(1, Duration.ofSeconds(60)).size(), "INIT record");
            server.exec("ALTER TABLE " + db + ".t ADD COLUMN w INT", "INSERT INTO " + db + ".t VALUES (2, 'b', 20)");
            out.await(2, Duration.ofSeconds(60));

            // the worker flushes offsets every second: the checkpoint offset carries the history with the new column
            Map<String, ?> stored = awaitOffsetWith(worker, connector, "\"w\"", Duration.ofSeconds(30));
            assertTrue(stored.containsKey("checkpoint"), String.valueOf(stored));

            // a new task instance resumes from that offset and decodes the new column's rows with it
            worker.restartTask(connector);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            server.exec("INSERT INTO " + db + ".t VALUES (3, 'c', 30)", "UPDATE " + db + ".t SET w = 21 WHERE id = 2");
            out.await(4, Duration.ofSeconds(60));
            List<GenericRecord> all = out.drain(Duration.ofSeconds(3));
            assertEquals(List.of("INIT", "INSERT", "INSERT", "UPDATE"), all.stream().map(r -> r.get("operation").toString()).toList());
            assertEquals("RUNNING", worker.taskState(connector), String.valueOf(worker.taskTrace(connector)));

            // DELETE /connectors/x/offsets on the stopped connector, then resume: no checkpoint, but the topic holds its records
            FutureCallback<Void> stopped = new FutureCallback<>();
            worker.herder().stopConnector(connector, stopped);
            stopped.get(60, TimeUnit.SECONDS);
            awaitStopped(worker, connector);
            FutureCallback<Message> reset = new FutureCallback<>();
            worker.herder().resetConnectorOffsets(connector, reset);
            reset.get(60, TimeUnit.SECONDS);
            worker.herder().resumeConnector(connector);
            worker.awaitTask(connector, "FAILED", Duration.ofSeconds(90));
            String trace = worker.taskTrace(connector);
            assertTrue(trace.contains("has no checkpoint (none in the Connect offsets of connector " + connector + ")")
                    && trace.contains("a new connector name into a new target.topic"), trace);
            assertFalse(trace.contains("--reinitialize"), "an at-least-once worker cannot start over with sluice run: " + trace);
            worker.deleteConnector(connector);
        }
    }

    private static Map<String, ?> awaitOffsetWith(InJvmConnectWorker worker, String connector, String historyPart, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "none";
        while (System.nanoTime() < deadline) {
            FutureCallback<ConnectorOffsets> cb = new FutureCallback<>();
            worker.herder().connectorOffsets(connector, cb);
            List<ConnectorOffset> offsets = cb.get(30, TimeUnit.SECONDS).offsets();
            seen = String.valueOf(offsets.stream().map(o -> o.partition() + "=" + o.offset()).toList());
            for (ConnectorOffset o : offsets) {
                assertFalse(o.partition().containsKey("part"), "no schema-history partition on an at-least-once worker: " + seen);
                Object history = o.offset().get("history");
                if (history != null && history.toString().contains(historyPart)) return o.offset();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no checkpoint offset with a history containing " + historyPart + ": " + seen);
    }

    private static void awaitStopped(InJvmConnectWorker worker, String connector) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var status = worker.herder().connectorStatus(connector);
            if ("STOPPED".equals(status.connector().state()) && status.tasks().isEmpty()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("connector " + connector + " did not stop");
    }
}
