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
 * {@code canalJson-event} ({@code target.canal.batch: event}, batchMaxRows 100) writes the large
 * transaction's multi-row INSERT as messages of up to 100 rows and splits it every 50 messages, so
 * restarts resume inside it by rows written, between whole messages.
 */
class FormatCrashIT {

    private static final int KILLS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decoded record: the change, its transaction's GTID and its Sluice record id. */
    private record Decoded(Change change, String gtid, long id) {}

    @ParameterizedTest
    @ValueSource(strings = {"canalJson", "debeziumJson", "canalJson-event"})
    void sigkillLosesAndRepeatsNothing(String variant, @TempDir Path dir) throws Exception {
        // -Dsluice.it.formatCrash=<variant>[,<variant>] runs those variants only
        org.junit.jupiter.api.Assumptions.assumeTrue(List.of(System.getProperty("sluice.it.formatCrash", variant).split(",")).contains(variant));
        boolean batched = variant.endsWith("-event");
        String format = batched ? "canalJson" : variant;
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_fmtcrash_" + variant.toLowerCase().replace('-', '_');
        server.freshDatabase(db, "CREATE TABLE " + db + ".acct (id INT PRIMARY KEY, v INT NOT NULL)");
        String topic = "it-fmtcrash-" + variant + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("fmtcrash-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".acct",
                        batched ? 6514 : format.equals("canalJson") ? 6511 : 6512)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  format: " + format
                        + (batched ? "\n  canal: {batch: event, batchMaxRows: 100}\n  transactionMaxRecords: 50" : "\n  transactionMaxRecords: 3000"))
                // no snapshot: on a loaded machine it could still be reading the table once the workload has filled it (INIT records)
                + "initialization:\n  fullData: false\n");
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
            // a batched message holds several changes: wait for the changes, not for as many messages
            out.awaitRows(r -> batched ? rowsIn(r.value()) : 1, expected.size(), Duration.ofSeconds(240));
            records = out.drain(Duration.ofSeconds(3));
        }
        assertEquals(0, current.terminate(), "SIGTERM ends the last run with exit code 0");

        List<Decoded> decoded = new ArrayList<>();
        int largestMessage = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode value = JSON.readTree(r.value());
            if (format.equals("canalJson")) {
                List<Decoded> rows = canal(value);
                assertTrue(rows.size() <= (batched ? 100 : 1), "rows in one message: " + rows.size());
                largestMessage = Math.max(largestMessage, rows.size());
                decoded.addAll(rows);
            } else {
                decoded.add(debezium(value));
            }
        }
        if (batched) assertTrue(largestMessage > 1, "the large INSERT's rows events in messages of several rows");
        List<Change> actual = decoded.stream().map(Decoded::change).toList();
        System.out.printf("%s crash test (seed %d): %d kills, %d source transactions, %d changes expected, %d records read%n",
                variant, seed, KILLS, committed.size(), expected.size(), actual.size());
        int same = 0;
        while (same < Math.min(expected.size(), actual.size()) && expected.get(same).equals(actual.get(same))) same++;
        String firstDifference = same < Math.min(expected.size(), actual.size())
                ? "; the first difference: expected " + expected.get(same) + ", read " + actual.get(same) : "";
        assertEquals(expected.size(), actual.size(), "record count (lost or repeated changes; the first " + same
                + " records are the committed changes in order" + (same == actual.size() ? ": the job was behind" : "")
                + firstDifference + ")");
        assertEquals(expected, actual, "every committed change exactly once, in commit order");
        List<Integer> groupSizes = new ArrayList<>();
        String previous = null;
        long lastId = 0;
        for (Decoded d : decoded) {
            if (d.gtid.equals(previous)) groupSizes.set(groupSizes.size() - 1, groupSizes.get(groupSizes.size() - 1) + 1);
            else groupSizes.add(1);
            previous = d.gtid;
            assertTrue(d.id > lastId || (batched && d.id == lastId), "record ids strictly increase (rows of one message share its id)");
            lastId = d.id;
        }
        assertEquals(committed.stream().map(List::size).toList(), groupSizes, "one GTID per source transaction");
    }

    private static int rowsIn(byte[] flatMessage) {
        try {
            return JSON.readTree(flatMessage).get("data").size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every row of a flat message, in order. */
    private static List<Decoded> canal(JsonNode m) {
        List<Decoded> rows = new ArrayList<>();
        for (int k = 0; k < m.get("data").size(); k++) {
            JsonNode data = m.get("data").get(k);
            int id = data.get("id").asInt();
            int v = data.get("v").asInt();
            String type = m.get("type").asText();
            Change c = switch (type) {
                case "INSERT" -> new Change("INSERT", id, null, v);
                case "DELETE" -> new Change("DELETE", id, v, null);
                case "UPDATE" -> new Change("UPDATE", id, m.get("old").get(k).has("v") ? m.get("old").get(k).get("v").asInt() : v, v);
                default -> throw new AssertionError(m.toString());
            };
            rows.add(new Decoded(c, m.get("gtid").asText(), m.get("id").asLong()));
        }
        return rows;
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
