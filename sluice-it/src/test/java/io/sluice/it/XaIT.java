package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * XA transactions: a prepared branch's rows become records at its XA COMMIT (two-phase or one
 * phase), never at XA ROLLBACK, in the order of the commits, interleaved with plain transactions;
 * none is repeated by a restart, and none is lost when the process is SIGKILLed between PREPARE
 * and COMMIT. MySQL with GTIDs resumes by GTID set; MariaDB resumes by position (its GTID position
 * cannot leave a prepared transaction out), which is also how a source without GTIDs resumes.
 */
@Timeout(300)
class XaIT {

    /** Unique per run: a prepared branch outlives its connection, so a failed run must not collide with the next. */
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private static void xa(Statement s, String xid, String... statements) throws Exception {
        s.execute("XA START '" + xid + RUN + "'");
        for (String q : statements) s.execute(q);
        s.execute("XA END '" + xid + RUN + "'");
    }

    /** XA PREPARE/COMMIT/ROLLBACK of a branch of this run: {@code end(s, "XA COMMIT", "a")}. */
    private static void end(Statement s, String verb, String xid, String... suffix) throws Exception {
        s.execute(verb + " '" + xid + RUN + "'" + (suffix.length > 0 ? " " + suffix[0] : ""));
    }

    /** Rolls back branches of this run a failed test left prepared. */
    private static void rollbackLeftovers(MySqlServer server) throws Exception {
        try (Connection c = server.root(); Statement s = c.createStatement(); var rs = s.executeQuery("XA RECOVER")) {
            List<String> mine = new java.util.ArrayList<>();
            while (rs.next()) if (rs.getString("data").endsWith(RUN)) mine.add(rs.getString("data"));
            for (String xid : mine) s.execute("XA ROLLBACK '" + xid + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void rowsFollowXaCommitNotPrepareNorRollback(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_xa_" + flavor.server;
        String t = db + ".t";
        server.freshDatabase(db, "CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
        String topic = "it-xa-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of("xa-" + flavor.server + "-" + System.nanoTime(), server, topic, dir.resolve("state"), t,
                8681 + flavor.ordinal());
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml);
                 Connection a = server.root(); Statement sa = a.createStatement();
                 Connection b = server.root(); Statement sb = b.createStatement()) {
                xa(sa, "a", "INSERT INTO " + t + " VALUES (1, 1)");
                end(sa, "XA PREPARE", "a");
                sb.execute("INSERT INTO " + t + " VALUES (100, 0)");     // committed while 'a' is prepared
                xa(sb, "b", "INSERT INTO " + t + " VALUES (2, 2)", "UPDATE " + t + " SET v = 7 WHERE id = 100");
                end(sb, "XA PREPARE", "b");
                end(sa, "XA COMMIT", "a");
                end(sb, "XA ROLLBACK", "b");                           // none of its rows may appear
                xa(sa, "c", "INSERT INTO " + t + " VALUES (3, 3)");
                end(sa, "XA COMMIT", "c", "ONE PHASE");
                sb.execute("INSERT INTO " + t + " VALUES (101, 0)");
                List<String> expected = List.of("INSERT 100", "INSERT 1", "INSERT 3", "INSERT 101");
                assertEquals(expected, StatementDmlIT.rows(out.await(4, Duration.ofSeconds(60))));
                job.close(); // INSERT 101 was the last change: the stop commits the last checkpoint
                assertEquals(expected, StatementDmlIT.rows(out.readToEnd()), "nothing else, up to the stop");
                String gtids = job.job().position().gtidSet();
                if (flavor != Flavor.MARIADB) { // every GTID passed is in the set: one interval per server
                    assertFalse(gtids.matches("(?s).*:\\d+(-\\d+)?:\\d+.*"), "a hole in the checkpoint's GTID set: " + gtids);
                }
            }
            // a restart is not sent the XA transactions again
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + t + " VALUES (102, 0)");
                out.await(5, Duration.ofSeconds(60));
                job.close();
                assertEquals(List.of("INSERT 100", "INSERT 1", "INSERT 3", "INSERT 101", "INSERT 102"),
                        StatementDmlIT.rows(out.readToEnd()));
            }
        } finally {
            rollbackLeftovers(server);
            server.exec("DROP DATABASE IF EXISTS " + db); // shared servers: keep their catalogue small
        }
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void sigkillBetweenPrepareAndCommitLosesAndRepeatsNothing(Flavor flavor, @TempDir Path dir) throws Exception {
        sigkillBetweenPrepareAndCommit(flavor.start(), flavor.server, 8691 + flavor.ordinal(), dir);
    }

    /** The same without GTIDs (resume by position), on the suite's MySQL 5.7 with gtid_mode=OFF. */
    @org.junit.jupiter.api.Test
    void sigkillBetweenPrepareAndCommitWithoutGtids(@TempDir Path dir) throws Exception {
        MySqlServer server = Servers.mysql57NoGtid();
        try (Connection c = server.root(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT @@gtid_mode")) {
            rs.next();
            assertEquals("OFF", rs.getString(1));
        }
        sigkillBetweenPrepareAndCommit(server, "nogtid", 8698, dir);
    }

    private void sigkillBetweenPrepareAndCommit(MySqlServer server, String tag, int serverId, Path dir) throws Exception {
        String db = "it_xakill_" + tag;
        String t = db + ".t";
        server.freshDatabase(db, "CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
        String topic = "it-xakill-" + tag + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("xakill-" + tag + "-" + System.nanoTime(), server, topic,
                dir.resolve("state"), t, serverId)
                + "initialization:\n  fullData: false\n"); // the table starts empty: only the stream matters here
        Path log = dir.resolve("sluice.log");
        SluiceProcess sluice = SluiceProcess.start(job, log);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             Connection a = server.root(); Statement sa = a.createStatement();
             Connection b = server.root(); Statement sb = b.createStatement()) {
            CrashIT.waitForStreaming(log, 1);
            xa(sa, "k1", "INSERT INTO " + t + " VALUES (1, 1)", "INSERT INTO " + t + " VALUES (2, 2)");
            end(sa, "XA PREPARE", "k1");
            xa(sb, "k2", "INSERT INTO " + t + " VALUES (3, 3)");
            end(sb, "XA PREPARE", "k2");
            server.exec("INSERT INTO " + t + " VALUES (100, 0)");
            // exactly-once: INSERT 100's record commits with the checkpoint past it, so once it is read,
            // the checkpoint passes both prepare groups
            out.await(1, Duration.ofSeconds(60));
            sluice.kill();

            end(sa, "XA COMMIT", "k1");                   // while Sluice is down
            server.exec("INSERT INTO " + t + " VALUES (101, 0)");
            sluice = SluiceProcess.start(job, log);
            CrashIT.waitForStreaming(log, 2);
            out.await(4, Duration.ofSeconds(60));          // with them, the checkpoint past INSERT 101
            sluice.kill();                                  // k2 still prepared

            sluice = SluiceProcess.start(job, log);
            CrashIT.waitForStreaming(log, 3);
            end(sb, "XA COMMIT", "k2");                   // after the restart
            server.exec("INSERT INTO " + t + " VALUES (102, 0)");
            out.await(6, Duration.ofSeconds(60));
            sluice.terminate();                             // INSERT 102 was the last change
            assertEquals(List.of("INSERT 100", "INSERT 1", "INSERT 2", "INSERT 101", "INSERT 3", "INSERT 102"),
                    StatementDmlIT.rows(out.readToEnd()));
        } finally {
            if (sluice.isAlive()) sluice.kill();
            rollbackLeftovers(server);
            server.exec("DROP DATABASE IF EXISTS " + db);
        }
    }
}
