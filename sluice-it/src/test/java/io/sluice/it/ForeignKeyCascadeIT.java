package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreign keys with ON DELETE CASCADE: the server deletes the child rows inside InnoDB and writes only
 * the parent's DELETE to the binlog. Precheck warns for every selected child table, naming the key, its
 * parent and the fix; the stream shows why (the parent's DELETE arrives, the children's never do).
 */
@Timeout(180)
class ForeignKeyCascadeIT {

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void cascadesAreWarnedOfBecauseTheBinlogLacksThem(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_fk_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".p (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE " + db + ".c (id INT PRIMARY KEY, pid INT, CONSTRAINT c_parent FOREIGN KEY (pid) REFERENCES "
                        + db + ".p (id) ON DELETE CASCADE) ENGINE=InnoDB",
                "CREATE TABLE " + db + ".plain (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES " + db + ".p (id)) ENGINE=InnoDB",
                "INSERT INTO " + db + ".p VALUES (1), (2)", "INSERT INTO " + db + ".c VALUES (10, 1), (11, 1)");
        String topic = "it-fk-" + flavor.server + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        String yaml = JobYaml.of("fk-" + flavor.server + "-" + System.nanoTime(), server, topic, dir.resolve("state"),
                db + ".p, " + db + ".c, " + db + ".plain", 8791 + flavor.ordinal());
        Files.writeString(job, yaml);
        String check = InProcessRun.checkPasses(job);
        assertTrue(check.contains("WARN  cascades " + db + ".c") && check.contains("foreign key c_parent (ON DELETE CASCADE) references "
                + db + ".p") && check.contains("fix: have the application change the child rows itself"), check);
        assertTrue(!check.contains("cascades " + db + ".plain") && !check.contains("cascades " + db + ".p "), "only keys that act: " + check);
        // the child alone selected: the lookup names the table (MySQL then opens only its definition)
        Path childOnly = dir.resolve("child-only.yaml");
        Files.writeString(childOnly, JobYaml.of("fk-child-" + flavor.server + "-" + System.nanoTime(), server, topic + "-child",
                dir.resolve("state-child"), db + ".c", 8791 + flavor.ordinal()));
        String childCheck = InProcessRun.checkPasses(childOnly);
        assertTrue(childCheck.contains("WARN  cascades " + db + ".c") && childCheck.contains("foreign key c_parent (ON DELETE CASCADE)"), childCheck);

        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic); RunningJob running = RunningJob.start(yaml)) {
            out.await(4, Duration.ofSeconds(60)); // the INIT records
            server.exec("DELETE FROM " + db + ".p WHERE id = 1", "INSERT INTO " + db + ".p VALUES (3)");
            List<GenericRecord> all = out.await(6, Duration.ofSeconds(60));
            List<GenericRecord> streamed = all.subList(4, all.size());
            assertEquals(List.of("DELETE " + db + ".p", "INSERT " + db + ".p"),
                    streamed.stream().map(r -> r.get("operation") + " " + r.get("objectName")).toList(),
                    "the child rows' deletes are not in the binlog");
        }
        server.exec("DROP DATABASE IF EXISTS " + db);
    }
}
