package io.sluice.it;

import io.sluice.it.support.ConnectCluster;
import io.sluice.it.support.ConnectCluster.Worker;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceConnectors;
import io.sluice.it.support.Exclusive;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * N→1 on a real Connect cluster: one connector per MySQL server (mysql57 and mysql80, each with its
 * own source.name) into one topic, the second created when the topic already holds the first one's
 * records; the worker running the mysql57 connector's task is SIGKILLed once while both servers are
 * written. Per source (tags.source), every change arrives exactly once, in commit order, with strictly
 * increasing ids.
 */
@Exclusive("connect-cluster") // kills workers
class ConnectTopologyIT {

    @Test
    void twoConnectorsOnTwoServersIntoOneTopicStayApartAndExactlyOnce() throws Exception {
        ConnectCluster cluster = ConnectCluster.ensure();
        MySqlServer a = Flavor.MYSQL57.start();
        MySqlServer b = Flavor.MYSQL80.start();
        String db = "it_connect_n1";
        for (MySqlServer s : List.of(a, b)) {
            s.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".m (id INT PRIMARY KEY, v INT)",
                    "CREATE TABLE " + db + ".probe (id INT PRIMARY KEY)");
        }
        long nano = System.nanoTime();
        String topic = "it-connect-n1-" + nano;
        String nameA = "it-connect-n1-a-" + nano, nameB = "it-connect-n1-b-" + nano;
        Map<String, String> configA = SluiceConnectors.config(a, topic, db + ".*", 7641);
        Map<String, String> configB = SluiceConnectors.config(b, topic, db + ".*", 7642);
        for (Map<String, String> c : List.of(configA, configB)) c.put("initialization.fullData", "false");
        TopologyIT.Writer writer = new TopologyIT.Writer(a, b, db);
        Thread load = new Thread(writer, "connect-n1-writer");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            cluster.create(nameA, configA);
            cluster.awaitTaskRunning(nameA, null, Duration.ofSeconds(90));
            SluiceConnectors.awaitStreaming(a, db + ".probe", out, Duration.ofSeconds(90));
            cluster.create(nameB, configB); // the topic holds connector A's records already: not B's
            cluster.awaitTaskRunning(nameB, null, Duration.ofSeconds(90));
            SluiceConnectors.awaitStreaming(b, db + ".probe", out, Duration.ofSeconds(90));
            load.start();
            Thread.sleep(1500);
            Worker victim = cluster.awaitTaskRunning(nameA, null, Duration.ofSeconds(30));
            cluster.kill(victim);
            cluster.awaitTaskRunning(nameA, victim.other(), Duration.ofSeconds(120));
            cluster.awaitTaskRunning(nameB, victim.other(), Duration.ofSeconds(120));
            Thread.sleep(1000);
            cluster.start(victim);
            Thread.sleep(1000);
            writer.stop.set(true);
            load.join(30_000);
            assertNull(writer.failure.get(), "writer failed");
            assertTrue(writer.rounds > 0, "nothing written");

            List<String> expectedA = new ArrayList<>(), expectedB = new ArrayList<>();
            for (int i = 1; i <= writer.rounds; i++) {
                expectedA.addAll(List.of(db + ".t " + i, db + ".m " + i));
                expectedB.addAll(List.of(db + ".t " + i, db + ".m " + i));
            }
            out.await(Integer.MAX_VALUE, Duration.ofSeconds(1));
            List<GenericRecord> records = awaitPerSource(out, db, expectedA.size() + expectedB.size());
            assertEquals(expectedA, TopologyIT.perSource(records, "mysql57"), "the mysql57 connector's records");
            assertEquals(expectedB, TopologyIT.perSource(records, "mysql80"), "the mysql80 connector's records");
            assertEquals(expectedA.size() + expectedB.size(), records.size(), "no record without a known source");
            for (String source : List.of("mysql57", "mysql80")) {
                long last = 0;
                for (GenericRecord r : records) {
                    if (!source.equals(TopologyIT.tag(r, "source"))) continue;
                    long id = (Long) r.get("id");
                    assertTrue(id > last, source + ": id " + id + " after " + last);
                    last = id;
                }
            }
        } finally {
            writer.stop.set(true);
            load.join(30_000);
            cluster.deleteCreated();
            cluster.start(Worker.CONNECT1);
            cluster.start(Worker.CONNECT2);
            a.exec("DROP DATABASE IF EXISTS " + db);
            b.exec("DROP DATABASE IF EXISTS " + db);
        }
    }

    /** The non-probe records once {@code count} of them arrived (or after 120 s), after a quiet period. */
    private static List<GenericRecord> awaitPerSource(DtsTopic out, String db, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<GenericRecord> records;
        do {
            records = out.await(Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                    .filter(r -> !SluiceConnectors.isProbe(r, db + ".probe")).toList();
        } while (records.size() < count && System.nanoTime() < deadline);
        return out.drain(Duration.ofSeconds(3)).stream().filter(r -> !SluiceConnectors.isProbe(r, db + ".probe")).toList();
    }
}
