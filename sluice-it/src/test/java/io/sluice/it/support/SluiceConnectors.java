package io.sluice.it.support;

import org.apache.avro.generic.GenericRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sluice connector configs for tests (the dotted twins of {@link JobYaml}), and waiting for a connector to stream. */
public final class SluiceConnectors {

    private SluiceConnectors() {}

    /**
     * A connector reading {@code server} (source.name = the server's name, as {@link JobYaml} does) into
     * {@code topic} on the suite's broker, exactly-once with Sluice's own transaction boundaries.
     */
    public static Map<String, String> config(MySqlServer server, String topic, String include, long serverId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", ConnectCluster.CONNECTOR_CLASS);
        c.put("tasks.max", "1");
        c.put("exactly.once.support", "required");
        c.put("transaction.boundary", "connector");
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("source.name", server.flavor().server);
        c.put("source.host", server.host());
        c.put("source.port", String.valueOf(server.port()));
        c.put("source.user", MySqlServer.SLUICE_USER);
        c.put("source.password", MySqlServer.SLUICE_PASSWORD);
        c.put("source.serverId", String.valueOf(serverId));
        c.put("target.bootstrapServers", Servers.kafkaBootstrap());
        c.put("target.topic", topic);
        c.put("objects.include", include);
        return c;
    }

    /**
     * Inserts a row into {@code probeTable (id INT PRIMARY KEY)} every second until its INSERT record
     * arrives on {@code out}: from then on the connector streams, so later changes are not missed
     * (a connector without initialization starts at the binlog's end when its task first starts).
     * Returns the number of probe rows written.
     */
    public static int awaitStreaming(MySqlServer server, String probeTable, DtsTopic out, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int probes = 0;
        while (System.nanoTime() < deadline) {
            server.exec("INSERT INTO " + probeTable + " VALUES (" + (++probes) + ")");
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < until) {
                for (GenericRecord r : out.pollOnce(Duration.ofMillis(200))) {
                    if (probeTable.equals(String.valueOf(r.get("objectName"))) && "INSERT".equals(r.get("operation").toString())) {
                        return probes;
                    }
                }
            }
        }
        throw new IllegalStateException("no record of the probe table " + probeTable + " within " + timeout.toSeconds() + " s");
    }

    public static boolean isProbe(GenericRecord r, String probeTable) {
        return probeTable.equals(String.valueOf(r.get("objectName")));
    }
}
