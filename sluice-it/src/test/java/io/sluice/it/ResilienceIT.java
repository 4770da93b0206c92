package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.TcpProxy;
import io.sluice.it.support.RunsAlone;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source going away (restart, network cut) delays the stream but neither loses nor repeats a change. */
@RunsAlone // restarts mysql57 and cuts its connections
@Timeout(300)
class ResilienceIT {

    private static void insert(MySqlServer server, String table, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) server.exec("INSERT INTO " + table + " VALUES (" + i + ", 'v" + i + "')");
    }

    private static List<String> ids(List<GenericRecord> records) {
        return records.stream().map(r -> ((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value()).toList();
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(String::valueOf).toList();
    }

    @Test
    void mysqlRestartMidStream(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_restart_src",
                "CREATE TABLE it_restart_src.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-srcrestart-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("srcrestart", server, topic, state, "it_restart_src.t", 6401));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            insert(server, "it_restart_src.t", 1, 100);
            assertEquals(100, out.await(100, Duration.ofSeconds(60)).size());
            Servers.run("down", "mysql57");
            Servers.run("up", "mysql57");
            insert(server, "it_restart_src.t", 101, 200);
            List<GenericRecord> records = out.await(200, Duration.ofSeconds(120));
            assertEquals(range(1, 200), ids(out.drain(Duration.ofSeconds(2))));
            assertNull(job.failure(), "the job rides out the restart");
            assertTrue(job.job().metrics().restarts() >= 1, "it noticed and resumed");
            assertTrue(job.job().metrics().lastError() != null, "the status shows why");
            assertEquals(200, records.size());
        }
    }

    @Test
    void networkCutForThirtySeconds(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_cut",
                "CREATE TABLE it_cut.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-cut-" + System.nanoTime();
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            MySqlServer viaProxy = new MySqlServer(server.flavor(), server.host(), proxy.port());
            try (RunningJob job = RunningJob.start(JobYaml.of("cut", viaProxy, topic, state, "it_cut.t", 6402));
                 DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                insert(server, "it_cut.t", 1, 50);
                assertEquals(50, out.await(50, Duration.ofSeconds(60)).size());
                proxy.cut();
                insert(server, "it_cut.t", 51, 100);
                Thread.sleep(30_000);
                assertNull(job.failure(), "a network cut is not fatal");
                proxy.restore();
                insert(server, "it_cut.t", 101, 150);
                out.await(150, Duration.ofSeconds(120));
                assertEquals(range(1, 150), ids(out.drain(Duration.ofSeconds(2))));
                assertTrue(job.job().metrics().restarts() >= 1);
            }
        }
    }
}
