package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.Workload;
import io.sluice.it.support.Workload.Change;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once under crashes: a continuous mixed workload runs against MySQL 5.7 (and MySQL 8.0.31
 * with compressed transactions, and MySQL 5.6) while the sluice process is SIGKILLed at random moments and restarted. A read_committed consumer must then see
 * every committed change exactly once, in commit order, with transaction boundaries intact, and
 * nothing else (no rolled-back change, no repeat).
 */
class CrashIT {

    private static final int KILLS = 20;

    /**
     * MYSQL831: every transaction is one compressed TRANSACTION_PAYLOAD (no checkpoint inside it).
     * MYSQL56: 5.6's GTID events and checksums, resumed by GTID set.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL831", "MYSQL56"})
    void sigkillAtRandomMomentsLosesAndRepeatsNothing(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        // names of this run only: several worktrees run this test against the same shared servers at once
        long pid = ProcessHandle.current().pid();
        String db = "it_crash_" + pid;
        server.freshDatabase(db, "CREATE TABLE " + db + ".acct (id INT PRIMARY KEY, v INT NOT NULL)");
        String topic = "it-crash-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("crash-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".acct", 9100 + (int) (pid % 700)) // 9100-9799: no other test's serverId
                .replace("  topic: " + topic, "  topic: " + topic + "\n  transactionMaxRecords: 3000"));
        Path log = dir.resolve("sluice.log");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Workload workload = new Workload(server, db + ".acct", seed, 20_000, 2_000);

        SluiceProcess first = SluiceProcess.start(job, log);
        waitForStreaming(log, 1);
        // the (empty) table's initialization committed before the workload: else, on a loaded machine, the kills
        // could all come before it, and the run that finally completes it reads the rows written meanwhile as
        // INIT records (documented for an unfinished initialization, but not the exactly-once this test counts)
        waitForLine(log, "initialization committed", 1);
        Thread load = new Thread(workload, "workload");
        load.start();
        SluiceProcess current = first;
        int streamingBefore = 0; // "streaming binlog" lines logged before the current process started
        for (int kill = 1; kill <= KILLS; kill++) {
            if (kill == KILLS / 2) workload.requestLargeTransaction();
            // every fifth kill lands during start-up; the others while streaming, at a random moment
            if (kill % 5 != 0) waitForStreaming(log, streamingBefore + 1);
            // around the large transaction, kill sooner: likely while it is half written
            boolean nearLarge = kill > KILLS / 2 && kill <= KILLS / 2 + 3;
            Thread.sleep(nearLarge ? 100 + random.nextInt(600) : 200 + random.nextInt(2500));
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
        List<GenericRecord> records;
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            out.await(expected.size(), Duration.ofSeconds(240));
            // the workload has stopped: once the last run stopped, the topic holds everything it will
            assertEquals(0, current.terminate(), "SIGTERM ends the last run with exit code 0");
            records = out.readToEnd();
        }

        List<Change> actual = records.stream().map(CrashIT::change).toList();
        int duplicates = actual.size() - (int) actual.stream().distinct().count();
        System.out.printf("crash test (seed %d): %d kills, %d source transactions, %d changes expected, %d records read, "
                        + "%d duplicates; %d resumes, %d of them inside a split transaction%n",
                seed, KILLS, committed.size(), expected.size(), actual.size(), duplicates,
                count(log, "resuming at"), count(log, "row(s) already written"));
        assertEquals(expected.size(), actual.size(), "record count (lost or repeated changes)");
        assertEquals(expected, actual, "every committed change exactly once, in commit order");

        // transaction boundaries: consecutive records of one source transaction share its GTID
        List<Integer> groupSizes = new ArrayList<>();
        String previous = null;
        for (GenericRecord r : records) {
            String txid = r.get("sourceTxid").toString();
            if (txid.equals(previous)) groupSizes.set(groupSizes.size() - 1, groupSizes.get(groupSizes.size() - 1) + 1);
            else groupSizes.add(1);
            previous = txid;
        }
        assertEquals(committed.stream().map(List::size).toList(), groupSizes, "one sourceTxid per source transaction");
        long lastId = 0;
        for (GenericRecord r : records) {
            assertTrue((Long) r.get("id") > lastId, "record ids strictly increase");
            lastId = (Long) r.get("id");
        }
        // replaying the topic gives the table as it is
        Map<Integer, Integer> replay = new HashMap<>();
        for (Change c : actual) {
            if (c.after() == null) replay.remove(c.id());
            else replay.put(c.id(), c.after());
        }
        assertEquals(workload.expectedRows(), replay);
    }

    static Change change(GenericRecord r) {
        List<Value> before = Images.of(r, "beforeImages");
        List<Value> after = Images.of(r, "afterImages");
        List<Value> any = after != null ? after : before;
        int id = Integer.parseInt(((Value.IntegerValue) any.get(0)).value());
        return new Change(r.get("operation").toString(), id, v(before), v(after));
    }

    private static Integer v(List<Value> image) {
        return image == null ? null : Integer.valueOf(((Value.IntegerValue) image.get(1)).value());
    }

    private static int count(Path log, String text) throws java.io.IOException {
        return Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    static void waitForStreaming(Path log, int times) throws Exception {
        waitForLine(log, "streaming binlog", times);
    }

    private static void waitForLine(Path log, String line, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && count(log, line) >= times) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("sluice did not log '" + line + "' " + times + " time(s):\n" + Files.readString(log));
    }
}
