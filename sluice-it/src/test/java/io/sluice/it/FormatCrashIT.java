package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RawTopic;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.Workload;
import io.sluice.it.support.Workload.Change;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once in the JSON formats (CrashIT's check, fewer kills): a mixed workload on MySQL 5.7
 * while the sluice process is SIGKILLed and restarted; a read_committed consumer sees every
 * committed change once, in commit order, one GTID per source transaction, ids increasing.
 */
class FormatCrashIT {

    private static final int KILLS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded record: the change, its transaction's GTID and its Sluice record id. */
    private record Decoded(Change change, String gtid, long id) {}

    @ParameterizedTest
    @ValueSource(strings = {"canalJson", "debeziumJson"})
    void sigkillLosesAndRepeatsNothing(String format, @TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_fmtcrash_" + format.toLowerCase();
        server.freshDatabase(db, "CREATE TABLE " + db + ".acct (id INT PRIMARY KEY, v INT NOT NULL)");
        String topic = "it-fmtcrash-" + format + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("fmtcrash-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".acct",
                        format.equals("canalJson") ? 7511 : 7512)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  format: " + format + "\n  transactionMaxRecords: 3000"));
        Path log = dir.resolve("sluice.log");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Workload workload = new Workload(server, db + ".acct", seed, 20_000, 2_000);

        SluiceProcess current = SluiceProcess.start(job, log);
        CrashIT.waitForStreaming(log, 1);
        Thread load = new Thread(workload, "workload");
        load.start();
        int streamingBefore = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            if (kill == KILLS / 2) workload.requestLargeTransaction();
            if (kill % 4 != 0) CrashIT.waitForStreaming(log, streamingBefore + 1);
            Thread.sleep(200 + random.nextInt(2000));
            current.kill();
            streamingBefore = count(log, "streaming binlog");
            current = SluiceProcess.start(job, log);
        }
        Thread.sleep(1000);
        workload.stop();
        load.join(60_000);
        assertNull(workload.failure(), "workload failed");

        List<List<Change>> committed = workload.committed();
        List<Change> expected = committed.stream().flatMap(List::stream).toList();
        List<ConsumerRecord<byte[], byte[]>> records;
        try (RawTopic out = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            out.await(expected.size(), Duration.ofSeconds(240));
            records = out.drain(Duration.ofSeconds(3));
        }
        assertEquals(0, current.terminate(), "SIGTERM ends the last run with exit code 0");

        List<Decoded> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            decoded.add(format.equals("canalJson") ? canal(JSON.readTree(r.value())) : debezium(JSON.readTree(r.value())));
        }
        List<Change> actual = decoded.stream().map(Decoded::change).toList();
        System.out.printf("%s crash test (seed %d): %d kills, %d source transactions, %d changes expected, %d records read%n",
                format, seed, KILLS, committed.size(), expected.size(), actual.size());
        assertEquals(expected.size(), actual.size(), "record count (lost or repeated changes)");
        assertEquals(expected, actual, "every committed change exactly once, in commit order");
        List<Integer> groupSizes = new ArrayList<>();
        String previous = null;
        long lastId = 0;
        for (Decoded d : decoded) {
            if (d.gtid.equals(previous)) groupSizes.set(groupSizes.size() - 1, groupSizes.get(groupSizes.size() - 1) + 1);
            else groupSizes.add(1);
            previous = d.gtid;
            assertTrue(d.id > lastId, "record ids strictly increase");
            lastId = d.id;
        }
        assertEquals(committed.stream().map(List::size).toList(), groupSizes, "one GTID per source transaction");
    }

    private static Decoded canal(JsonNode m) {
        JsonNode data = m.get("data").get(0);
        int id = data.get("id").asInt();
        int v = data.get("v").asInt();
        String type = m.get("type").asText();
        Change c = switch (type) {
            case "INSERT" -> new Change("INSERT", id, null, v);
            case "DELETE" -> new Change("DELETE", id, v, null);
            case "UPDATE" -> new Change("UPDATE", id, m.get("old").get(0).has("v") ? m.get("old").get(0).get("v").asInt() : v, v);
            default -> throw new AssertionError(m.toString());
        };
        return new Decoded(c, m.get("gtid").asText(), m.get("id").asLong());
    }

    private static Decoded debezium(JsonNode e) {
        JsonNode p = e.has("payload") ? e.get("payload") : e;
        JsonNode before = p.get("before"), after = p.get("after");
        int id = (after.isNull() ? before : after).get("id").asInt();
        Integer b = before.isNull() ? null : before.get("v").asInt();
        Integer a = after.isNull() ? null : after.get("v").asInt();
        String op = switch (p.get("op").asText()) {
            case "c" -> "INSERT";
            case "u" -> "UPDATE";
            case "d" -> "DELETE";
            default -> throw new AssertionError(p.toString());
        };
        return new Decoded(new Change(op, id, b, a), p.get("source").get("gtid").asText(), Long.parseLong(p.get("source").get("sequence").asText()));
    }

    private static int count(Path log, String text) throws java.io.IOException {
        return Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
