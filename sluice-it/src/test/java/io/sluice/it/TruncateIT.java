package io.sluice.it;

import io.sluice.app.status.StatusServer;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TRUNCATE of a selected table has no rows in the binlog: it is never passed in silence. With
 * source.onTruncate: warn (default) it is logged and counted; with stop the job ends with exit 2
 * before its checkpoint passes the statement, and again after a restart.
 */
@Timeout(240)
class TruncateIT {

    private static String get(int port, String path) throws Exception {
        try (var in = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void truncateIsCountedOrStopsTheJob(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_trunc_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".other (id INT PRIMARY KEY)");
        String topic = "it-trunc-" + flavor.server + "-" + System.nanoTime();
        String name = "trunc-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of(name, server, topic, dir.resolve("state"), db + ".t", 8701 + flavor.ordinal());
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml); StatusServer status = new StatusServer(0, name, job.job())) {
                server.exec("INSERT INTO " + db + ".t VALUES (1)", "TRUNCATE " + db + ".other", "TRUNCATE TABLE " + db + ".t",
                        "INSERT INTO " + db + ".t VALUES (2)");
                assertEquals(List.of("INSERT 1", "INSERT 2"), StatementDmlIT.rows(out.await(2, Duration.ofSeconds(60))));
                assertEquals(1, job.job().metrics().truncates(), "only the selected table's TRUNCATE counts");
                assertTrue(get(status.port(), "/status").contains("\"truncates\":1"));
                assertTrue(get(status.port(), "/metrics").contains("sluice_truncates_total{job=\"" + name + "\"} 1.0"));
                // the checkpoint past INSERT 2 was committed with its record (exactly-once), the last one at the stop
            }
            Path job = dir.resolve("job.yaml");
            Files.writeString(job, yaml.replace("  serverId:", "  onTruncate: stop\n  serverId:"));
            server.exec("TRUNCATE " + db + ".t", "INSERT INTO " + db + ".t VALUES (3)");
            String first = runFails(job);
            assertTrue(first.contains("TRUNCATE of selected table " + db + ".t at mysql-bin.") && first.contains("re-initialize")
                    && first.contains("onTruncate: warn"), first);
            assertEquals(first, runFails(job)); // the checkpoint did not pass it
            assertEquals(2, out.readToEnd().size()); // the failed runs wrote nothing
        }
        server.exec("DROP DATABASE IF EXISTS " + db); // shared servers: keep their catalogue small
    }

    private static String runFails(Path job) {
        return InProcessRun.failsWithOneLine(job);
    }
}
