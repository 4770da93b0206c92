package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * MariaDB's two-phase ALTER (binlog_alter_two_phase, a session may set it): the binlog holds the ALTER
 * twice, at START ALTER and at COMMIT ALTER, or at START and ROLLBACK ALTER when it failed. The schema
 * history applies it once, at its commit (it stopped the job: "already has a column"); a rolled back one
 * not at all. Every record carries its moment's columns.
 */
@Timeout(180)
class MariaDbTwoPhaseAlterIT {

    @Test
    void anAlterTakesEffectAtItsCommitOnce(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MARIADB.start();
        String db = "it_alter2";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)");
        String topic = "it-alter2-" + System.nanoTime();
        String yaml = JobYaml.of("alter2-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 7824);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic); RunningJob job = RunningJob.start(yaml);
             Connection c = server.root(); Statement s = c.createStatement()) {
            s.execute("SET SESSION binlog_alter_two_phase=ON");
            s.execute("INSERT INTO " + db + ".t VALUES (1, 5)");
            s.execute("ALTER TABLE " + db + ".t ADD COLUMN w INT");
            s.execute("INSERT INTO " + db + ".t VALUES (2, 5, 7)");
            s.execute("ALTER TABLE " + db + ".t MODIFY COLUMN v BIGINT");
            s.execute("INSERT INTO " + db + ".t VALUES (3, 4000000000, 7)");
            assertThrows(SQLException.class, () -> s.execute("ALTER TABLE " + db + ".t ADD UNIQUE KEY uw (w)")); // ROLLBACK ALTER
            s.execute("INSERT INTO " + db + ".t VALUES (4, 6, 7)");
            List<GenericRecord> records = out.await(4, Duration.ofSeconds(60));
            assertEquals(List.of("[1, 5]", "[2, 5, 7]", "[3, 4000000000, 7]", "[4, 6, 7]"),
                    records.stream().map(r -> Images.of(r, "afterImages").stream()
                            .map(v -> ((Value.IntegerValue) v).value()).toList().toString()).toList());
            assertEquals(List.of("id", "v", "w"), Images.fieldNames(records.get(3)));
            assertEquals(List.of(3, 3, 3), Images.fieldTypes(records.get(1)), "INT until the MODIFY commits");
            assertEquals(List.of(3, 8, 3), Images.fieldTypes(records.get(2)), "BIGINT after it");
            assertNull(job.failure());
        }
        server.exec("DROP DATABASE IF EXISTS " + db);
    }
}
