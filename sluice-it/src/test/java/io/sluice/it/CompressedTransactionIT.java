package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compressed transaction (MySQL 8.0.31, binlog_transaction_compression=ON) far larger uncompressed than the
 * job's heap: one TRANSACTION_PAYLOAD of a few MB holding ~120 MB of row events. Its events are decompressed and
 * decoded one at a time as they are dispatched, so the job streams it with a 96 MB heap (it used to decompress
 * the whole transaction into one array and decode every event before the first was handed on: out of memory).
 */
@Timeout(420)
class CompressedTransactionIT {

    private static final int ROWS = 100_000;

    @Test
    void aCompressedTransactionLargerThanTheHeapStreamsWhole(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL831.start();
        server.freshDatabase("it_bigzstd_d", "CREATE TABLE it_bigzstd_d.d (i INT PRIMARY KEY)",
                "INSERT INTO it_bigzstd_d.d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
        server.freshDatabase("it_bigzstd", "CREATE TABLE it_bigzstd.t (id INT PRIMARY KEY, v TEXT)");
        String topic = "it-bigzstd-" + System.nanoTime();
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, JobYaml.of("bigzstd-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_bigzstd.t", 7987));
        Path log = dir.resolve("sluice.log");
        SluiceProcess job = SluiceProcess.startIn(Servers.root(), Map.of("SLUICE_JAVA_OPTS", "-Xmx96m -XX:TieredStopAtLevel=1"), log,
                "bash", Servers.root().resolve("bin/sluice").toString(), "run", "--config", jobFile.toString());
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("streaming binlog of")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(log).contains("streaming binlog of"), "the job streams:\n" + Files.readString(log));
            String n = "a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 10000 * f.i";
            // one statement, one transaction: ~1.2 KB a row, ~120 MB of row events, compressible to a few MB
            server.exec("INSERT INTO it_bigzstd.t SELECT " + n + ", CONCAT(" + n + ", REPEAT('x', 1200)) FROM it_bigzstd_d.d a, "
                    + "it_bigzstd_d.d b, it_bigzstd_d.d c, it_bigzstd_d.d e, it_bigzstd_d.d f");

            List<GenericRecord> records = out.await(ROWS, Duration.ofSeconds(300));
            Set<String> ids = new HashSet<>();
            for (GenericRecord r : records) {
                assertEquals("INSERT", r.get("operation").toString());
                List<Value> after = Images.of(r, "afterImages");
                String id = ((Value.IntegerValue) after.get(0)).value();
                String v = new String(((Value.CharacterValue) after.get(1)).value(), StandardCharsets.UTF_8);
                assertTrue(v.equals(id + "x".repeat(1200)), "the row's own value: " + id + " " + v.substring(0, 20));
                ids.add(id);
            }
            assertEquals(ROWS, ids.size(), "every row once:\n" + tail(log));
            assertTrue(job.isAlive(), "the job still runs:\n" + tail(log));
        } finally {
            if (job.isAlive()) job.kill();
        }
    }

    private static String tail(Path log) throws Exception {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 6000));
    }
}
