package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release as a user installs it: sluice-dist's tarball unpacked into an empty folder, its
 * bin/sluice started from another working directory, a job streaming MySQL 5.7 into Kafka, logs as
 * JSON lines, SIGTERM ends it with exit code 0; the consumer example of docs/consumers.md reads the
 * records; and the shipped example job loads.
 */
@Timeout(300)
class DistributionIT {

    /** The unpacked release: bin/, lib/, conf/ (one per test class). */
    private static Path home;

    @BeforeAll
    static void unpack(@TempDir Path install) throws Exception {
        Path tarball = Path.of(System.getProperty("sluice.tarball", "sluice-dist/target/sluice.tar.gz"));
        assertTrue(Files.isRegularFile(tarball), "build the release first (mvn package): " + tarball + " is missing");
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", install.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        try (Stream<Path> top = Files.list(install)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "one top folder sluice-VERSION: " + dirs);
            home = dirs.get(0);
        }
        assertTrue(home.getFileName().toString().matches("sluice-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), home.toString());
    }

    private static String bin() {
        return home.resolve("bin/sluice").toString();
    }

    @Test
    void layoutIsBinLibConf() throws IOException {
        assertTrue(Files.isExecutable(home.resolve("bin/sluice")));
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("sluice-app-")), jars.toString());
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("kafka-clients-")), jars.toString());
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("logback-classic-")), jars.toString());
        }
        assertTrue(Files.isRegularFile(home.resolve("conf/logback.xml")));
        assertTrue(Files.isRegularFile(home.resolve("docs/format/Record.avsc")));
        String unit = Files.readString(home.resolve("conf/sluice@.service"));
        for (String line : List.of("ExecStart=/opt/sluice/bin/sluice run --config /etc/sluice/%i.yaml", "Restart=on-failure",
                "RestartPreventExitStatus=2", "KillSignal=SIGTERM")) {
            assertTrue(unit.lines().anyMatch(line::equals), "unit has " + line + ":\n" + unit);
        }
    }

    /** conf/job.example.yaml is complete and valid for the real loader (every section, no unknown key). */
    @Test
    void exampleJobLoads() {
        JobConfig c = new JobConfigLoader(name -> name.equals("SLUICE_MYSQL_PASSWORD") ? "secret" : null)
                .load(home.resolve("conf/job.example.yaml"));
        assertEquals("shop-sync", c.name);
        assertEquals("secret", c.source.password);
        assertEquals(5401L, c.source.serverId);
        assertEquals("shop-sync", c.target.topic);
        assertEquals(JobConfig.Delivery.AUTO, c.target.delivery);
        assertEquals(List.of("shop.orders", "shop.customers"), c.objects.include);
        assertEquals(8080, c.status.httpPort);
        assertEquals("shop-sync-sluice-checkpoints", c.state.checkpointTopic);
        assertEquals(8192, c.initialization.chunkSize);
        assertEquals(JobConfig.Format.DTS_AVRO, c.target.format);
    }

    /** Runs from any working directory; JAVA_HOME wins over PATH; SLUICE_JAVA_OPTS reaches the JVM; UTF-8; the build's commit. */
    @Test
    void versionFromAnyDirectoryWithJavaHome(@TempDir Path elsewhere) throws Exception {
        String javaHome = System.getProperty("java.home");
        // LC_ALL=C: the JVM's default charset would be ASCII, but the binlog client needs UTF-8
        SluiceProcess.Result r = SluiceProcess.execIn(elsewhere,
                Map.of("JAVA_HOME", javaHome, "SLUICE_JAVA_OPTS", "-Xmx123m -XshowSettings:all", "LC_ALL", "C"), 60, bin(), "--version");
        assertEquals(0, r.exitCode(), r.all());
        String commit = Files.readString(home.resolve("COMMIT")).trim();
        String version = home.getFileName().toString().substring("sluice-".length());
        assertEquals("sluice " + version + (commit.isEmpty() ? "" : " (commit " + commit + ")"), r.stdout().trim(), r.all());
        assertTrue(r.stderr().contains("Max. Heap Size: 123.00M"), "SLUICE_JAVA_OPTS applied:\n" + r.all());
        assertTrue(r.stderr().contains("file.encoding = UTF-8"), r.all());

        SluiceProcess.Result badFormat = SluiceProcess.execIn(elsewhere, Map.of("SLUICE_LOG_FORMAT", "xml"), 60, bin(), "--version");
        assertEquals(2, badFormat.exitCode(), badFormat.all());
        assertEquals("sluice: SLUICE_LOG_FORMAT=xml is not a log format. Fix: set it to text or json (or unset it for text)",
                badFormat.all().trim());

        SluiceProcess.Result noJava = SluiceProcess.execIn(elsewhere, Map.of("JAVA_HOME", elsewhere.toString()), 60, bin(), "--version");
        assertEquals(2, noJava.exitCode(), noJava.all());
        assertEquals("sluice: JAVA_HOME=" + elsewhere + " has no bin/java. Fix: point JAVA_HOME at a Java 17+ installation, "
                + "or unset it to use java on PATH", noJava.stderr().trim());
    }

    /** docs/examples/DtsConsumer.java as docs/consumers.md runs it from the release: prints every record of the topic. */
    private static void consumerExampleReads(String topic, int count, String table) throws Exception {
        Path out = Files.createTempFile("dts-consumer", ".txt");
        try (SluiceProcess consumer = SluiceProcess.startIn(home, Map.of(), out, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=conf/logback.xml", "-cp", "lib/*", "docs/examples/DtsConsumer.java",
                Servers.kafkaBootstrap(), topic, "docs/format/Record.avsc", "it-dist-" + System.nanoTime())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<String> printed = List.of();
            while (printed.size() < count && consumer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                printed = Files.readAllLines(out).stream().filter(l -> l.startsWith("#")).toList();
            }
            assertEquals(count, printed.size(), Files.readString(out));
            for (String line : printed) {
                assertTrue(line.matches("#\\d+ (INIT|INSERT) " + table.replace(".", "\\.") + " after=\\{id=(\\d), v=row \\2\\}"), line);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void runsAJobFromTheReleaseWithJsonLogsAndStopsOnSigterm(@TempDir Path jobDir, @TempDir Path elsewhere) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_dist";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-dist-" + System.nanoTime();
        Path job = jobDir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("dist-" + System.nanoTime(), server, topic, jobDir.resolve("state"), db + ".t", 7961));
        Path log = jobDir.resolve("sluice.log");

        try (SluiceProcess sluice = SluiceProcess.startIn(elsewhere,
                Map.of("SLUICE_LOG_FORMAT", "json", "SLUICE_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"),
                log, bin(), "run", "--config", job.toString());
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            // rows written before the stream starts arrive as INIT records, later ones as INSERTs: 5 either way
            for (int i = 1; i <= 5; i++) server.exec("INSERT INTO " + db + ".t VALUES (" + i + ", 'row " + i + "')");
            List<GenericRecord> records = out.await(5, Duration.ofSeconds(120));
            Set<String> rows = new TreeSet<>();
            for (GenericRecord r : records) rows.add(r.get("objectName") + " " + r.get("operation"));
            assertEquals(5, records.size(), "records: " + records + "\nlog:\n" + Files.readString(log));
            assertTrue(rows.stream().allMatch(r -> r.matches(db + "\\.t (INSERT|INIT)")), rows.toString());
            assertTrue(sluice.isAlive());
            assertEquals(0, sluice.terminate(), Files.readString(log));
        }
        consumerExampleReads(topic, 5, db + ".t");

        // every line, Sluice's and its libraries', is one JSON object
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "the job logs at INFO");
        ObjectMapper json = new ObjectMapper();
        List<String> loggers = new ArrayList<>();
        for (String line : lines) {
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertTrue(node.isObject() && node.hasNonNull("level") && node.hasNonNull("formattedMessage")
                    && node.hasNonNull("timestamp") && node.hasNonNull("loggerName"), line);
            loggers.add(node.get("loggerName").asText());
        }
        assertTrue(loggers.stream().anyMatch(l -> l.startsWith("io.sluice.")), loggers.toString());
        // the job's state went where the job file says, not into the working directory
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(List.of(), files.toList(), "nothing written into the working directory");
        }
    }
}
