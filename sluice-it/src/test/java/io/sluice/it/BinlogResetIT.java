package io.sluice.it;

import io.sluice.engine.state.Checkpoint;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.PrivateMySql;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RESET MASTER while the job is down numbers binlog files and GTIDs again from the start: resuming
 * by the checkpoint's GTID set would skip, in silence, every new transaction up to its number. The
 * job stops at start with the fix instead. On a private server: RESET MASTER on a shared one would
 * break the other tests.
 */
@Timeout(300)
class BinlogResetIT {

    @TempDir Path dir;

    @Test
    void binlogResetWhileStoppedStopsWithTheFix() throws Exception {
        try (PrivateMySql mysql = gtidServer("mysql", "id INT PRIMARY KEY")) {
            MySqlServer server = mysql.server(Flavor.MYSQL57);
            String topic = "it-reset-" + System.nanoTime();
            String yaml = JobYaml.of("reset-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_reset.t", 8291);
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                try (RunningJob job = RunningJob.start(yaml)) {
                    mysql.exec("FLUSH BINARY LOGS", "INSERT INTO it_reset.t VALUES (1)");
                    out.await(1, Duration.ofSeconds(60));
                }
                mysql.exec("RESET MASTER");
                // more transactions than before the reset: their GTIDs pass the checkpoint's numbers
                for (int id = 2; id <= 20; id++) mysql.exec("INSERT INTO it_reset.t VALUES (" + id + ")");

                RunningJob again = RunningJob.launch(yaml);
                List<?> written = List.of();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (again.failure() == null && written.isEmpty() && System.nanoTime() < deadline) {
                    written = out.pollOnce(Duration.ofMillis(200));
                }
                again.job().requestStop();
                again.job().awaitStopped(60, TimeUnit.SECONDS);
                assertEquals(List.of(), written, "nothing is written after a binlog reset");
                assertNotNull(again.failure(), "the job stops");
                String text = again.failure().getMessage();
                assertTrue(text.contains("is past the binlog end of the source") && text.contains("RESET MASTER"), text);
            }
        }
    }

    /**
     * RESET MASTER while the job streams: the file it reads is gone and the GTIDs start again at 1. The job
     * stops with the fix, writes none of the transactions numbered again, and a restart stops too.
     */
    @Test
    void binlogResetWhileRunningStopsWithTheFix() throws Exception {
        try (PrivateMySql mysql = gtidServer("mysql2", "id INT PRIMARY KEY")) {
            MySqlServer server = mysql.server(Flavor.MYSQL57);
            String topic = "it-reset2-" + System.nanoTime();
            String yaml = JobYaml.of("reset2-" + System.nanoTime(), server, topic, dir.resolve("state2"), "it_reset.t", 8292);
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                RunningJob job = RunningJob.start(yaml);
                mysql.exec("INSERT INTO it_reset.t VALUES (1)");
                out.await(1, Duration.ofSeconds(60));
                mysql.exec("RESET MASTER");
                for (int id = 2; id <= 20; id++) mysql.exec("INSERT INTO it_reset.t VALUES (" + id + ")");
                String text = text(failureOf(job));
                assertTrue(text.contains("lost the binlog file the job was streaming") && text.contains("RESET MASTER")
                        && text.contains("--reinitialize"), text);

                Throwable again = failureOf(RunningJob.launch(yaml));
                assertTrue(again.getMessage().contains("RESET MASTER"), again.getMessage());
                assertEquals(1, out.readToEnd().size(), "nothing after the reset was written");
            }
        }
    }

    /**
     * RESET MASTER while the job is down, and the new binlog written past the checkpoint's file and
     * position: the position check at start passes, and resuming would skip the transactions numbered
     * again in silence. The checkpoint's position is checked against the binlog there: the job stops.
     */
    @Test
    void binlogResetAndWrittenPastTheCheckpointStopsWithTheFix() throws Exception {
        try (PrivateMySql mysql = gtidServer("mysql3", "id INT PRIMARY KEY, v VARCHAR(40)")) {
            MySqlServer server = mysql.server(Flavor.MYSQL57);
            String topic = "it-reset3-" + System.nanoTime();
            String yaml = JobYaml.of("reset3-" + System.nanoTime(), server, topic, dir.resolve("state3"), "it_reset.t", 8293);
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                try (RunningJob job = RunningJob.start(yaml)) {
                    mysql.exec("FLUSH BINARY LOGS", "INSERT INTO it_reset.t VALUES (1, 'before')");
                    out.await(1, Duration.ofSeconds(60));
                }
                String checkpointFile = currentFile(mysql);
                mysql.exec("RESET MASTER");
                while (!currentFile(mysql).equals(checkpointFile)) mysql.exec("FLUSH BINARY LOGS"); // the new binlog reaches its name
                for (int id = 2; id <= 40; id++) mysql.exec("INSERT INTO it_reset.t VALUES (" + id + ", 'after the reset')");

                String text = failureOf(RunningJob.launch(yaml)).getMessage();
                assertTrue(text.contains("is not in the binlog the source at") && text.contains("RESET MASTER"), text);
                assertEquals(1, out.readToEnd().size(), "nothing after the reset was written");
            }
        }
    }

    /**
     * Without GTIDs (MySQL 5.7's default), RESET MASTER while the job is down, then a workload of transactions of the
     * same sizes as before: the new file of the checkpoint's name has an event boundary at the checkpoint's position,
     * so the position check at start passes and nothing else told the binlogs apart; resuming skipped the new
     * transactions up to there in silence. The checkpoint names its file's creation time: the job stops.
     */
    @Test
    void binlogResetWithSameSizeTransactionsWithoutGtidsStopsWithTheFix() throws Exception {
        try (PrivateMySql mysql = PrivateMySql.start("mysql57", dir.resolve("mysql4"))) {
            sameSizeTransactionsAfterAResetStop(mysql, Flavor.MYSQL57, "reset4", 8294,
                    () -> mysql.exec("FLUSH BINARY LOGS"), // the file of the checkpoint holds these transactions only
                    checkpointFile -> {
                        mysql.exec("RESET MASTER");
                        while (!currentFile(mysql).equals(checkpointFile)) mysql.exec("FLUSH BINARY LOGS");
                    }, "Anonymous_Gtid");
        }
    }

    /**
     * The same on MariaDB (resumed by position), whose new first binlog file has the layout of the old one when
     * both follow a RESET MASTER: the position is an event boundary again, only the file's creation time tells.
     * (No rotations: after one, MariaDB writes its Binlog_checkpoint events in the background, so the layout of
     * a later file depends on timing.)
     */
    @Test
    void mariaDbBinlogResetWithSameSizeTransactionsStopsWithTheFix() throws Exception {
        try (PrivateMySql mariadb = PrivateMySql.start("mariadb", dir.resolve("mariadb"))) {
            sameSizeTransactionsAfterAResetStop(mariadb, Flavor.MARIADB, "reset5", 8295,
                    () -> resetToFirstFile(mariadb), checkpointFile -> resetToFirstFile(mariadb), "Gtid");
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private interface Reset {
        /** Resets the binlog and writes on until {@code checkpointFile} is the current file again. */
        void reset(String checkpointFile) throws Exception;
    }

    /**
     * Three single-row transactions in two runs (the second a plain restart in the same file, which passes the
     * check), a reset after which four transactions of the same size put a transaction start ({@code
     * transactionStart}, the event that begins one) at the checkpoint's position again: the restart stops with
     * the fix, nothing more written.
     */
    private void sameSizeTransactionsAfterAResetStop(PrivateMySql source, Flavor flavor, String name, int serverId,
                                                    Step beforeFirstRun, Reset reset, String transactionStart) throws Exception {
        source.exec("CREATE USER 'sluice'@'%' IDENTIFIED BY 'sluice'", "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'sluice'@'%'",
                "CREATE DATABASE it_reset", "CREATE TABLE it_reset.t (id INT PRIMARY KEY)");
        String topic = "it-" + name + "-" + System.nanoTime();
        String yaml = JobYaml.of(name + "-" + System.nanoTime(), source.server(flavor), topic, dir.resolve("state-" + name), "it_reset.t", serverId);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            beforeFirstRun.run();
            try (RunningJob job = RunningJob.start(yaml)) {
                source.exec("INSERT INTO it_reset.t VALUES (1)");
                out.await(1, Duration.ofSeconds(60));
            }
            Checkpoint stamped;
            try (RunningJob job = RunningJob.start(yaml)) { // a plain restart in the same file passes the check
                source.exec("INSERT INTO it_reset.t VALUES (2)", "INSERT INTO it_reset.t VALUES (3)");
                out.await(3, Duration.ofSeconds(60));
                stamped = checkpointAtEnd(job, source);
            }
            assertNotNull(stamped.binlogFileStamp(), "the checkpoint names its file's creation time: " + stamped);
            Thread.sleep(1_100); // creation times are in seconds: the new file's is another
            reset.reset(stamped.binlogFile());
            // the same transactions' sizes again, then one more: the checkpoint's position is an event boundary again
            source.exec("INSERT INTO it_reset.t VALUES (4)", "INSERT INTO it_reset.t VALUES (5)", "INSERT INTO it_reset.t VALUES (6)",
                    "INSERT INTO it_reset.t VALUES (7)");
            StringBuilder events = new StringBuilder(" ");
            try (var c = source.rootOverSocketlessTcp();
                 var rs = c.createStatement().executeQuery("SHOW BINLOG EVENTS IN '" + stamped.binlogFile() + "'")) {
                while (rs.next()) events.append(rs.getLong("Pos")).append(' ').append(rs.getString("Event_type")).append("; ");
            }
            assertTrue(events.toString().contains(" " + stamped.binlogPosition() + " " + transactionStart + ";"),
                    "the new binlog has a transaction starting at the checkpoint's position " + stamped.binlogPosition() + ", as the old one had: " + events);

            String text = text(failureOf(RunningJob.launch(yaml)));
            assertTrue(text.contains("is not in the binlog the source at") && text.contains("was created at")
                    && text.contains("RESET MASTER") && text.contains("--reinitialize"), text);
            assertEquals(3, out.readToEnd().size(), "nothing after the reset was written");
        }
    }

    /** RESET MASTER, then waits for the new first file's Binlog_checkpoint event (its header is then complete). */
    private static void resetToFirstFile(PrivateMySql mariadb) throws Exception {
        mariadb.exec("RESET MASTER");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (var c = mariadb.rootOverSocketlessTcp();
                 var rs = c.createStatement().executeQuery("SHOW BINLOG EVENTS IN '" + currentFile(mariadb) + "'")) {
                while (rs.next()) if (rs.getString("Event_type").equals("Binlog_checkpoint")) return;
            }
            Thread.sleep(100);
        }
    }

    /** The job's checkpoint once it is past the last transaction (the server's binlog end). */
    private static Checkpoint checkpointAtEnd(RunningJob job, PrivateMySql server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Checkpoint c = job.job().position();
            if (c.binlogFile().equals(currentFile(server)) && c.binlogPosition() == currentPosition(server)) return c;
            Thread.sleep(100);
        }
        return job.job().position();
    }

    /** Waits up to 60 s for the job to fail, stops it, and returns its failure (asserted to be there). */
    private static Throwable failureOf(RunningJob job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.failure() == null && System.nanoTime() < deadline) Thread.sleep(100);
        job.job().requestStop();
        job.job().awaitStopped(60, TimeUnit.SECONDS);
        assertNotNull(job.failure(), "the job stops");
        return job.failure();
    }

    /** The problem and its fix, as the command line prints them. */
    private static String text(Throwable failure) {
        return failure instanceof io.sluice.core.error.SluiceException se ? se.problem() + " Fix: " + se.fix() : failure.toString();
    }

    private static long currentPosition(PrivateMySql mysql) throws Exception {
        try (var c = mysql.rootOverSocketlessTcp(); var rs = c.createStatement().executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private static String currentFile(PrivateMySql mysql) throws Exception {
        try (var c = mysql.rootOverSocketlessTcp(); var rs = c.createStatement().executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A private MySQL 5.7 with GTIDs, the job's account and it_reset.t with {@code columns}. */
    private PrivateMySql gtidServer(String name, String columns) throws Exception {
        PrivateMySql mysql = PrivateMySql.start("mysql57", dir.resolve(name), "gtid_mode=ON", "enforce_gtid_consistency=ON");
        try {
            mysql.exec("CREATE USER 'sluice'@'%' IDENTIFIED BY 'sluice'", "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'sluice'@'%'",
                    "CREATE DATABASE it_reset", "CREATE TABLE it_reset.t (" + columns + ")");
            return mysql;
        } catch (Exception e) {
            mysql.close();
            throw e;
        }
    }
}
