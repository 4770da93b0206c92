package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/sluice} as a user runs it, as a process: help and version, and every mistake of the
 * first hour (a busy status port, a missing or foreign topic, missing privileges, unreachable Kafka)
 * answered with exit code 2 and one line with the fix, never a stack trace.
 */
@Timeout(180)
class CliIT {

    private static MySqlServer server;
    @TempDir Path dir;

    @BeforeAll
    static void servers() throws Exception {
        server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_cli", "CREATE TABLE IF NOT EXISTS it_cli.t (id INT PRIMARY KEY)");
    }

    private Path jobFile(String yaml) throws Exception {
        Path file = dir.resolve("job-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String job(String user) {
        return JobYaml.of("cli-" + System.nanoTime(), server, "it-cli-" + System.nanoTime(), dir.resolve("state"), "it_cli.t", 7801)
                .replace("user: " + MySqlServer.SLUICE_USER, "user: " + user);
    }

    /** Exit code 2, exactly one "sluice: ... Fix: ..." line, no stack trace and no Kafka client warnings; returns the line. */
    private static String failsWithOneLine(SluiceProcess.Result r) {
        return failsWithOneLine(r, SluiceCli.EXIT_USER_ERROR);
    }

    private static String failsWithOneLine(SluiceProcess.Result r, int exitCode) {
        String all = r.all();
        assertEquals(exitCode, r.exitCode(), all);
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("sluice: ")).toList();
        assertEquals(1, lines.size(), all);
        assertTrue(lines.get(0).contains(" Fix: "), all);
        assertFalse(all.contains("Exception") || all.contains("\tat ") || all.contains("at io.") || all.contains("at org."), all);
        assertFalse(all.lines().anyMatch(l -> l.contains(" WARN ")), "no warnings (the Kafka client's are off by default):\n" + all);
        return lines.get(0);
    }

    @Test
    void helpOfEveryCommandAndVersion() throws Exception {
        SluiceProcess.Result version = SluiceProcess.exec(60, "--version");
        assertEquals(0, version.exitCode(), version.all());
        assertTrue(version.stdout().trim().matches("sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]{7,}\\))?"), version.all());
        for (String command : new String[] {"run", "check", "status", "tail"}) {
            SluiceProcess.Result help = SluiceProcess.exec(60, command, "--help");
            assertEquals(0, help.exitCode(), command + " --help:\n" + help.all());
            assertTrue(help.stdout().startsWith("Usage: sluice " + command), help.all());
        }
        String line = failsWithOneLine(SluiceProcess.exec(60, "run"));
        assertTrue(line.contains("--config") && line.contains("see 'sluice run --help'"), line);
        line = failsWithOneLine(SluiceProcess.exec(60, "tail", "--bootstrap-servers", "127.0.0.1:1", "--topic", "x", "--from-end", "--offset", "3"));
        assertTrue(line.contains("mutually exclusive") && line.contains("see 'sluice tail --help'"), line);
        // every option of every command says what it is for
        CommandLine cli = SluiceCli.commandLine();
        assertTrue(cli.getSubcommands().keySet().containsAll(java.util.List.of("run", "check", "status", "tail", "help")),
                cli.getSubcommands().keySet().toString());
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
                assertTrue(o.description().length > 0 && !o.description()[0].isBlank(),
                        "sluice " + sub.getCommandName() + " " + o.longestName() + " has a description");
            }
        }
    }

    @Test
    void statusPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path job = jobFile(job(MySqlServer.SLUICE_USER) + "status:\n  httpPort: " + taken.getLocalPort() + "\n");
            String line = failsWithOneLine(SluiceProcess.exec(90, "run", "--config", job.toString()));
            assertTrue(line.contains("127.0.0.1:" + taken.getLocalPort()) && line.contains("status.httpPort"), line);
        }
    }

    /** Another address of this machine than loopback, or null if it has none. */
    private static InetAddress otherAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : Collections.list(n.getInetAddresses())) if (a instanceof Inet4Address) return a;
        }
        return null;
    }

    private static boolean answers(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void statusServesThisMachineOnlyUnlessBindAddressSaysOtherwise() throws Exception {
        InetAddress other = otherAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has only a loopback address");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (String bind : new String[] {null, "0.0.0.0"}) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String yaml = job(MySqlServer.SLUICE_USER) + "status:\n  httpPort: " + port + "\n" + (bind == null ? "" : "  bindAddress: " + bind + "\n");
            try (SluiceProcess sluice = SluiceProcess.start(jobFile(yaml), dir.resolve("run.log"))) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!answers(loopback, port)) {
                    assertTrue(sluice.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("run.log")));
                    Thread.sleep(200);
                }
                assertEquals(bind != null, answers(other, port), "status on " + other + " with bindAddress " + bind);
            }
        }
    }

    @Test
    void tailOfAMissingTopicNeitherFailsWithATraceNorCreatesIt() throws Exception {
        String topic = "it-cli-missing-" + System.nanoTime();
        String line = failsWithOneLine(SluiceProcess.exec(90, "tail", "--bootstrap-servers", Servers.kafkaBootstrap(), "--topic", topic));
        assertTrue(line.contains("topic " + topic + " does not exist"), line);
        Thread.sleep(1000);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            assertFalse(admin.listTopics().names().get().contains(topic), "the broker (auto.create.topics.enable) did not create it");
        }
    }

    @Test
    void tailOfATopicThatIsNotDtsNamesTheRecord() throws Exception {
        String topic = "it-cli-json-" + System.nanoTime();
        Properties p = new Properties();
        p.put("bootstrap.servers", Servers.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            // what a checkpoint topic holds
            producer.send(new ProducerRecord<>(topic, "job", "{\"binlogFile\": \"mysql-bin.000001\", \"binlogPosition\": 4}")).get();
        }
        String line = failsWithOneLine(SluiceProcess.exec(90, "tail", "--bootstrap-servers", Servers.kafkaBootstrap(), "--topic", topic,
                "--idle-seconds", "5"));
        assertTrue(line.contains("partition 0 offset 0 of topic " + topic + " is not a DTS Avro record") && line.contains("--offset 1"), line);

        // a Canal JSON and a Debezium JSON record (a job may write each topic in its own format): printed as their JSON, by id
        String canal = "it-cli-canal-" + System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(canal, null, "{\"id\":2,\"database\":\"shop\",\"table\":\"orders\",\"isDdl\":false}")).get();
            producer.send(new ProducerRecord<>(canal, null, "{\"before\":null,\"after\":{\"id\":1},\"source\":{\"sequence\":\"1\"},\"op\":\"c\"}")).get();
        }
        String badJson = "it-cli-badjson-" + System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(badJson, null, "{\"id\":\"x\"}")).get(); // JSON, but no record of a Sluice job
        }
        SluiceProcess.Result shown = SluiceProcess.exec(90, "tail", "--bootstrap-servers", Servers.kafkaBootstrap(), "--topic", canal,
                "--max", "2", "--idle-seconds", "5");
        assertEquals(0, shown.exitCode(), shown.all());
        assertTrue(shown.stdout().contains("p0@0 #2 canalJson {\"id\":2,\"database\":\"shop\"") && shown.stdout().contains("p0@1 #1 debeziumJson {"),
                shown.all());
        line = failsWithOneLine(SluiceProcess.exec(90, "tail", "--bootstrap-servers", Servers.kafkaBootstrap(), "--topic", badJson,
                "--idle-seconds", "5"));
        assertTrue(line.contains("is JSON without a Sluice record id") && line.contains("kafka-console-consumer"), line);
    }

    @Test
    void unreachableKafkaIsOneQuietLine() throws Exception {
        Path job = jobFile(job(MySqlServer.SLUICE_USER).replaceAll("bootstrapServers: .*", "bootstrapServers: 127.0.0.1:1\n  connectTimeoutSeconds: 5"));
        // nothing answers: exit 75, which the systemd unit retries (Kafka may come up after Sluice at a reboot)
        String line = failsWithOneLine(SluiceProcess.exec(90, "run", "--config", job.toString()), SluiceCli.EXIT_UNREACHABLE);
        assertTrue(line.contains("cannot reach Kafka at 127.0.0.1:1"), line);
        String tail = failsWithOneLine(SluiceProcess.exec(90, "tail", "--bootstrap-servers", "127.0.0.1:1", "--topic", "x", "--timeout-seconds", "5"));
        assertTrue(tail.contains("cannot reach Kafka at 127.0.0.1:1") && tail.contains("--bootstrap-servers"), tail);
    }

    /**
     * A bootstrap address that answers HTTP (a REST port): the Kafka client reads "HTTP" as a 1.2 GB frame
     * size and its thread runs out of heap. check, run and tail say the address answers HTTP, in one line each.
     */
    @Test
    void bootstrapAddressAnsweringHttpIsNamed() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                while (!http.isClosed()) {
                    try (Socket s = http.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        s.getInputStream().read(new byte[256]); // until the client gives up
                    } catch (Exception e) {
                        // closed by the client or by the test
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            String address = "127.0.0.1:" + http.getLocalPort();
            Path job = jobFile(job(MySqlServer.SLUICE_USER).replaceAll("bootstrapServers: .*", "bootstrapServers: " + address + "\n  connectTimeoutSeconds: 3"));
            String fix = "target.bootstrapServers must name a broker listener";
            SluiceProcess.Result check = SluiceProcess.exec(90, "check", "--config", job.toString());
            assertEquals(2, check.exitCode(), check.all());
            assertTrue(check.stdout().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains(address + " answers HTTP, not the Kafka protocol")
                    && l.contains(fix)), check.all());
            assertFalse(check.all().contains("OutOfMemoryError") || check.all().contains("at org.apache"), check.all());
            String line = failsWithOneLine(SluiceProcess.exec(90, "run", "--config", job.toString()));
            assertTrue(line.contains(address + " answers HTTP") && line.contains(fix), line);
            // tail uses the same probe; its fix names its own option
            String tail = failsWithOneLine(SluiceProcess.exec(90, "tail", "--bootstrap-servers", address, "--topic", "x", "--timeout-seconds", "3"));
            assertTrue(tail.contains("cannot reach Kafka at " + address) && tail.contains(address + " answers HTTP, not the Kafka protocol")
                    && tail.contains("--bootstrap-servers must name a broker listener"), tail);
        }
    }

    @Test
    void runNamesEveryMissingPrivilegeAtOnce() throws Exception {
        String user = "it_cli_" + System.nanoTime() % 1_000_000;
        server.exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'sluice'", "GRANT SELECT ON it_cli.* TO '" + user + "'@'%'");
        try {
            String line = failsWithOneLine(SluiceProcess.exec(90, "run", "--config", jobFile(job(user)).toString()));
            assertTrue(line.contains("lacks REPLICATION SLAVE, REPLICATION CLIENT ("), line);
            assertTrue(line.contains("Fix: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'%'"), line);
        } finally {
            server.exec("DROP USER '" + user + "'@'%'");
        }
    }

    private static final Pattern LINE = Pattern.compile("p(\\d+)@(\\d+) #(\\d+) (\\w+) .*");

    @Test
    void tailShowsPartitionOffsetAndReadableTimesInIdOrder() throws Exception {
        server.freshDatabase("it_cli_tail", "CREATE TABLE it_cli_tail.t (id INT PRIMARY KEY, d DATE, tm TIME(3), dt DATETIME(6), ts TIMESTAMP(3) NULL)");
        String topic = "it-cli-tail-" + System.nanoTime();
        String yaml = JobYaml.of("cli-tail-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_cli_tail.t", 7802)
                .replaceAll("  topic: (.*)", "  topic: $1\n  partitions: 3\n  partitionBy: primaryKey");
        int rows = 12;
        try (RunningJob ignored = RunningJob.start(yaml)) {
            server.exec("INSERT INTO it_cli_tail.t VALUES (0, '2024-02-29', '-12:34:56.789', '2024-02-29 01:02:03.000004', '2024-02-29 12:34:56.789')");
            for (int i = 1; i < rows; i++) server.exec("INSERT INTO it_cli_tail.t (id) VALUES (" + i + ")");
            String[] tail = {"tail", "--bootstrap-servers", Servers.kafkaBootstrap(), "--topic", topic, "--idle-seconds", "3"};
            List<String> lines = awaitLines(tail, rows);
            List<Long> ids = new ArrayList<>();
            Set<String> partitions = new java.util.HashSet<>();
            for (String l : lines) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.matches(), l);
                partitions.add(m.group(1));
                ids.add(Long.parseLong(m.group(3)));
            }
            assertTrue(partitions.size() > 1, "rows on several partitions: " + lines);
            List<Long> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            assertEquals(sorted, ids, "in id order across partitions:\n" + String.join("\n", lines));
            String first = lines.stream().filter(l -> l.contains("id=0,")).findFirst().orElseThrow();
            assertTrue(first.contains("d=2024-02-29, tm=-12:34:56.789, dt=2024-02-29 01:02:03.000004, ts=2024-02-29T12:34:56.789Z"), first);

            SluiceProcess.Result fromEnd = SluiceProcess.exec(60, append(tail, "--from-end"));
            assertEquals(0, fromEnd.exitCode(), fromEnd.all());
            assertEquals("", fromEnd.stdout(), "nothing written since");
            SluiceProcess.Result fromOne = SluiceProcess.exec(60, append(tail, "--offset", "1"));
            assertEquals(0, fromOne.exitCode(), fromOne.all());
            assertEquals(rows - partitions.size(), fromOne.stdout().lines().count(), "all but the first record of each partition");
            assertTrue(fromOne.stdout().lines().noneMatch(l -> l.matches("p\\d+@0 .*")), fromOne.stdout());
        }
    }

    /** Tails until all {@code count} records are committed (the job commits every 50 ms). */
    private static List<String> awaitLines(String[] tail, int count) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            SluiceProcess.Result r = SluiceProcess.exec(60, tail);
            assertEquals(0, r.exitCode(), r.all());
            List<String> lines = r.stdout().lines().toList();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                assertEquals(count, lines.size(), r.all());
                return lines;
            }
        }
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
