package io.sluice.it.support;

import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker of this test's own, from the project's Kafka jars (as scripts/lib/kafka.sh
 * starts the shared one), whose client listener is TLS only: its key store is made here with the
 * JDK's keytool (a self-signed certificate for 127.0.0.1). {@link #close()} stops it, also after a failed test.
 */
public final class PrivateKafka implements AutoCloseable {

    public static final String PASSWORD = "sluice-test";

    private final Path dir;
    private final int sslPort;
    private final Process process;

    private PrivateKafka(Path dir, int sslPort, Process process) {
        this.dir = dir;
        this.sslPort = sslPort;
        this.process = process;
    }

    public static PrivateKafka startWithSslListener(Path dir) throws IOException, InterruptedException {
        Servers.ensure("kafka"); // installs the jars if missing (the shared broker is already up)
        Path libs = PrivateMySql.serversDir().resolve("dist/kafka-libs");
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", "broker.p12", "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool(dir, "-exportcert", "-alias", "broker", "-keystore", "broker.p12", "-storepass", PASSWORD, "-rfc", "-file", "broker.pem");
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", "broker.pem",
                "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        int ssl = freePort(), internal = freePort(), controller = freePort();
        String props = String.join("\n", List.of(
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=SSL://127.0.0.1:" + ssl + ",INTERNAL://127.0.0.1:" + internal + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=SSL://127.0.0.1:" + ssl + ",INTERNAL://127.0.0.1:" + internal,
                "inter.broker.listener.name=INTERNAL", "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SSL:SSL",
                "ssl.keystore.location=" + dir.resolve("broker.p12"), "ssl.keystore.type=PKCS12",
                "ssl.keystore.password=" + PASSWORD, "ssl.key.password=" + PASSWORD,
                "log.dirs=" + dir.resolve("data"), "num.partitions=1", "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "offsets.topic.num.partitions=1", "transaction.state.log.num.partitions=1")) + "\n";
        Path propsFile = dir.resolve("server.properties");
        Files.writeString(propsFile, props);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String log4j = "-Dlog4j.configuration=file:" + Servers.root().resolve("scripts/kafka/tools-log4j.properties");
        Process format = new ProcessBuilder(java, log4j, "-cp", libs + "/*", "kafka.tools.StorageTool", "format",
                "-t", "c2x1aWNlLXRscy10ZXN0aQ", "-c", propsFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/format.out").toFile()).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("logs/format.out")));
        }
        Process p = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-Djava.awt.headless=true",
                "-Dkafka.logs.dir=" + dir.resolve("logs"),
                "-Dlog4j.configuration=file:" + Servers.root().resolve("scripts/kafka/log4j.properties"),
                "-cp", libs + "/*", "kafka.Kafka", propsFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/kafka.out").toFile()).start();
        PrivateKafka kafka = new PrivateKafka(dir, ssl, p);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Properties admin = kafka.clientProperties();
        admin.put("request.timeout.ms", "5000");
        admin.put("default.api.timeout.ms", "5000");
        while (true) {
            try (Admin a = Admin.create(admin)) {
                a.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return kafka;
            } catch (Exception notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    kafka.close();
                    throw new IllegalStateException("private Kafka did not start: " + tail(dir.resolve("logs/kafka.out")), notYet);
                }
                Thread.sleep(500);
            }
        }
    }

    public String bootstrap() { return "127.0.0.1:" + sslPort; }

    public Path truststore() { return dir.resolve("truststore.p12"); }

    /** What a client needs for the TLS listener: as a job's target.producer. */
    public Map<String, String> securityProperties() {
        return Map.of("security.protocol", "SSL", "ssl.truststore.location", truststore().toString(),
                "ssl.truststore.type", "PKCS12", "ssl.truststore.password", PASSWORD);
    }

    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(securityProperties());
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "(no output)";
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops this broker only (SIGTERM, then SIGKILL). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
