package io.sluice.it;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.protocol.command.Command;
import com.github.shyiko.mysql.binlog.network.protocol.command.QueryCommand;
import io.sluice.connect.SluiceSourceConnector;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InJvmConnectWorker;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connector's task that moves to a worker on another host while the previous task's binlog
 * connection is still registered (the old worker is slow to stop, or gone without the server
 * noticing yet): the new task takes the server id over instead of failing as "another copy", and
 * validating a changed config while the task runs elsewhere does not report its own server id as in use.
 */
class ConnectServerIdIT {

    @Test
    void aTaskTakesItsServerIdOverFromItsPreviousTaskOnAnotherWorkerHost() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_sid";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".t VALUES (1)");
        long n = System.nanoTime();
        String connector = "it-connect-sid-" + n % 1_000_000;
        String topic = "it-connect-sid-" + n;
        long serverId = 3_100_000 + (n / 1000) % 100_000;
        Map<String, String> config = ConnectInJvmIT.connectorConfig(connector, server, topic, db + ".t", serverId);
        PreviousTask previous = new PreviousTask(server, serverId, "other-worker/sluice:" + connector,
                UUID.nameUUIDFromBytes(("sluice:" + connector + ":" + serverId).getBytes(StandardCharsets.UTF_8)));
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic, "read_committed")) {
            previous.connect(10_000);
            assertTrue(registered(server, serverId), "the previous task is registered");

            Config validated = new SluiceSourceConnector().validate(config);
            for (ConfigValue v : validated.configValues()) assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages());

            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(1, out.await(1, Duration.ofSeconds(90)).size(), "the INIT record: " + worker.taskState(connector)
                    + " " + worker.taskTrace(connector));
            assertEquals("RUNNING", worker.taskState(connector), String.valueOf(worker.taskTrace(connector)));
            server.exec("INSERT INTO " + db + ".t VALUES (2)");
            assertEquals(2, out.await(2, Duration.ofSeconds(60)).size());
            for (int i = 0; i < 100 && previous.isConnected(); i++) Thread.sleep(100);
            assertTrue(!previous.isConnected(), "the server dropped the previous task's connection");
            worker.deleteConnector(connector);
        } finally {
            previous.disconnect();
        }
    }

    private static boolean registered(MySqlServer server, long serverId) throws Exception {
        try (Connection c = server.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
            while (rs.next()) if (rs.getLong(1) == serverId) return true;
        }
        return false;
    }

    /** A binlog client registered as a task of the connector on another host registers (COM_REGISTER_SLAVE). */
    private static final class PreviousTask extends BinaryLogClient {
        private final String reportHost;
        private final UUID uuid;

        PreviousTask(MySqlServer server, long serverId, String reportHost, UUID uuid) {
            super(server.host(), server.port(), MySqlServer.SLUICE_USER, MySqlServer.SLUICE_PASSWORD);
            this.reportHost = reportHost;
            this.uuid = uuid;
            setServerId(serverId);
            setKeepAlive(false); // dropped by the server, it stays away
        }

        @Override
        protected void requestBinaryLogStream() throws IOException {
            channel.write(new QueryCommand("SET @slave_uuid = '" + uuid + "'"));
            checkError(channel.read());
            channel.write(register(getServerId(), reportHost));
            checkError(channel.read());
            super.requestBinaryLogStream();
        }

        private static Command register(long serverId, String host) {
            return () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(0x15);
                for (int i = 0; i < 4; i++) out.write((int) (serverId >>> (8 * i)) & 0xFF);
                byte[] h = host.getBytes(StandardCharsets.UTF_8);
                out.write(h.length);
                out.write(h, 0, h.length);
                out.write(0); // user
                out.write(0); // password
                out.write(0); // port
                out.write(0);
                for (int i = 0; i < 8; i++) out.write(0); // rank, master id
                return out.toByteArray();
            };
        }
    }
}
