package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job's account changed under a running job: its password is changed and its connections killed.
 * The job does not retry for ever with credentials that cannot work again: after a few refused attempts
 * it stops with the fix; started again with the new password it resumes from its checkpoint, and the
 * row written while it was down arrives.
 */
@Timeout(180)
class SourceAccountIT {

    @Test
    void aChangedPasswordStopsTheJobWithTheFixAndNothingIsLost(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_acct";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        server.exec("DROP USER IF EXISTS 'it_acct'@'%'", "CREATE USER 'it_acct'@'%' IDENTIFIED BY 'pw1'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'it_acct'@'%'");
        String topic = "it-acct-" + System.nanoTime();
        String yaml = JobYaml.of("acct-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 7832)
                .replace("user: " + MySqlServer.SLUICE_USER, "user: it_acct").replace("password: " + MySqlServer.SLUICE_PASSWORD, "password: pw1");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            RunningJob job = RunningJob.start(yaml);
            server.exec("INSERT INTO " + db + ".t VALUES (1)");
            out.await(1, Duration.ofSeconds(60));
            server.exec("ALTER USER 'it_acct'@'%' IDENTIFIED BY 'pw2'");
            killConnectionsOf(server, "it_acct");
            server.exec("INSERT INTO " + db + ".t VALUES (2)");
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (job.failure() == null && System.nanoTime() < deadline) Thread.sleep(200);
            Throwable failure = job.failure();
            assertNotNull(failure, "the job stopped");
            assertTrue(failure.getMessage().contains("refuses the job's account 'it_acct' since the connection was lost")
                    && failure.toString().contains("its password was changed"), failure.toString());
            assertThrows(IllegalStateException.class, job::close); // it ended with that failure

            try (RunningJob again = RunningJob.start(yaml.replace("password: pw1", "password: pw2"))) {
                server.exec("INSERT INTO " + db + ".t VALUES (3)");
                assertEquals(List.of("INSERT 1", "INSERT 2", "INSERT 3"), StatementDmlIT.rows(out.await(3, Duration.ofSeconds(60))));
            }
        } finally {
            server.exec("DROP USER IF EXISTS 'it_acct'@'%'", "DROP DATABASE IF EXISTS " + db);
        }
    }

    private static void killConnectionsOf(MySqlServer server, String user) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = server.root(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + user + "'")) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        assertTrue(!ids.isEmpty(), "the job is connected");
        for (long id : ids) {
            try {
                server.exec("KILL " + id);
            } catch (java.sql.SQLException gone) { // ended meanwhile
            }
        }
    }
}
