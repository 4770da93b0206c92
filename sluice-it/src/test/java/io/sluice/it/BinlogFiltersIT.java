package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.PrivateMySql;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source whose my.cnf drops databases from its binlog (binlog-ignore-db): the changes of a selected
 * table there never reach the binlog, so precheck FAILs and the job refuses to start, naming the
 * database and the fix, before it creates anything; a job whose tables are all logged starts, with a
 * WARN that DDL run from a dropped database is not logged.
 */
@Timeout(240)
class BinlogFiltersIT {

    @Test
    void aSelectedDatabaseTheBinlogDropsStopsTheStart(@TempDir Path dir) throws Exception {
        try (PrivateMySql mysql = PrivateMySql.start("mysql57", dir.resolve("mysql"), "binlog-ignore-db=it_quiet")) {
            mysql.exec("CREATE USER 'sluice'@'%' IDENTIFIED BY 'sluice'",
                    "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'sluice'@'%'",
                    "CREATE DATABASE it_quiet", "CREATE TABLE it_quiet.t (id INT PRIMARY KEY)",
                    "CREATE DATABASE it_loud", "CREATE TABLE it_loud.t (id INT PRIMARY KEY)");
            MySqlServer server = mysql.server(Flavor.MYSQL57);
            String topic = "it-filters-" + System.nanoTime();
            Path both = dir.resolve("both.yaml");
            Files.writeString(both, JobYaml.of("filters-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_quiet.t, it_loud.t", 8295));

            StringWriter check = new StringWriter();
            int code = SluiceCli.execute(new String[] {"check", "--config", both.toString()}, new PrintWriter(check, true),
                    new PrintWriter(new StringWriter(), true));
            String text = check.toString();
            assertEquals(SluiceCli.EXIT_USER_ERROR, code, text);
            assertTrue(text.contains("FAIL  binlog filters") && text.contains("database(s) it_quiet to its binlog (binlog-ignore-db=it_quiet)")
                    && text.contains("fix: remove those databases from binlog-ignore-db"), text);

            String line = InProcessRun.failsWithOneLine(both);
            assertTrue(line.contains("does not write changes of database(s) it_quiet") && line.contains("deselect their tables"), line);
            try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
                assertTrue(!admin.listTopics().names().get().contains(topic), "nothing was created");
            }

            Path loud = dir.resolve("loud.yaml");
            Files.writeString(loud, JobYaml.of("filters-loud-" + System.nanoTime(), server, topic, dir.resolve("state2"), "it_loud.t", 8296));
            String passed = InProcessRun.checkPasses(loud);
            assertTrue(passed.contains("WARN  binlog filters") && passed.contains("USE db"), passed);
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic); RunningJob job = RunningJob.start(Files.readString(loud))) {
                mysql.exec("INSERT INTO it_loud.t VALUES (1)");
                assertEquals(List.of("INSERT 1"), StatementDmlIT.rows(out.await(1, Duration.ofSeconds(60))));
            }
        }
    }
}
