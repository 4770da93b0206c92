package io.sluice.it;

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
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The schema history travels with the checkpoint: a job restarted after DDL the catalogue already
 * reflects still gives each record the columns of its own moment, as an uninterrupted run would.
 */
@Timeout(180)
class SchemaRestartIT {

    @Test
    void restartBetweenDdlAndDmlKeepsEachRecordsColumns(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_srestart", "CREATE TABLE it_srestart.t (id INT PRIMARY KEY, a VARCHAR(10))");
        String topic = "it-srestart-" + System.nanoTime();
        String yaml = JobYaml.of("srestart", server, topic, state, "it_srestart.t", 6801);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO it_srestart.t VALUES (1, 'one')");
                out.await(1, Duration.ofSeconds(30));
                server.exec("ALTER TABLE it_srestart.t ADD COLUMN b INT");
                Thread.sleep(1500); // the DDL is checkpointed before the stop
            }
            // while stopped: DML under the current columns, then more DDL, then DML again
            server.exec("INSERT INTO it_srestart.t VALUES (2, 'two', 20)",
                    "ALTER TABLE it_srestart.t DROP COLUMN a, ADD COLUMN c VARCHAR(5) FIRST",
                    "INSERT INTO it_srestart.t (c, id, b) VALUES ('x', 3, 30)");
            try (RunningJob job = RunningJob.start(yaml)) {
                List<GenericRecord> records = out.await(3, Duration.ofSeconds(60));
                assertEquals(List.of("id", "a"), Images.fieldNames(records.get(0)));
                assertEquals(List.of("id", "a", "b"), Images.fieldNames(records.get(1)));
                assertEquals(List.of("c", "id", "b"), Images.fieldNames(records.get(2)));
                job.close(); // its changes were all made before it started
                assertEquals(3, out.readToEnd().size());
            }
        }
    }
}
