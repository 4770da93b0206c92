package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job, a topic per table ({@code target.topics}, docs/topologies.md): each table's records in
 * its topic, the rest in target.topic, every topic created and checked like target.topic, and all
 * of them exactly-once in the job's one Kafka transaction, with record ids increasing across them.
 */
@Timeout(300)
class TopicPerTableIT {

    /** A record as read back: its topic and partition, and what it says. */
    private record Read(String topic, int partition, long id, String text) {}

    /**
     * orders to its own (existing, 3-partition) topic, customers* by a {@code {database}.{table}}
     * template of mapped names (created with target.partitions 2), the rest to target.topic; INIT
     * rows, a transaction over all three tables, a DDL record, and a table created while the job runs.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void eachTableGoesToItsTopicAndTheDefaultTakesTheRest(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_tpt_" + flavor.server;
        List<String> setup = new ArrayList<>(List.of(
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".customers (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".notes (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + db + ".customers VALUES (1, 10)", "INSERT INTO " + db + ".notes VALUES (1, 100)"));
        for (int i = 1; i <= 20; i++) setup.add("INSERT INTO " + db + ".orders VALUES (" + i + ", " + i + ")");
        server.freshDatabase(db, setup.toArray(String[]::new));
        String p = "it-tpt-" + flavor.server + "-" + System.nanoTime();
        String orders = p + "-orders", rest = p + "-rest", customers = p + "-" + db + "_out.customers",
                newTable = p + "-" + db + "_out.customers_new";
        createTopic(orders, 3);
        String yaml = JobYaml.of("tpt-" + flavor.server + "-" + System.nanoTime(), server, rest, dir.resolve("state"), db + ".*",
                        6601 + flavor.ordinal())
                .replace("  topic: " + rest + "\n", "  topic: " + rest + "\n  partitions: 2\n  partitionBy: primaryKey\n  ddl: {enabled: true}\n"
                        + "  topics:\n    " + db + ".orders: " + orders + "\n    '" + db + ".customers*': '" + p + "-{database}.{table}'\n"
                        + "    '" + db + ".nothing_*': " + p + "-never\n")
                .replace("  include: [" + db + ".*]\n", "  include: [" + db + ".*]\n  mapping: {databases: {" + db + ": " + db + "_out}}\n");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);

        // sluice check: one item per topic, the existing one with its own partition count, the unused entry warned about
        String check = check(job);
        assertTrue(line(check, "Kafka topic", rest).startsWith("PASS") && line(check, "Kafka topic", rest).contains("will be created"), check);
        assertTrue(line(check, "Kafka topic", customers).startsWith("PASS") && line(check, "Kafka topic", customers).contains("will be created"), check);
        assertTrue(line(check, "Kafka topic", orders).startsWith("WARN")
                && line(check, "Kafka topic", orders).contains("exists with 3 partition(s), target.partitions is 2"), check);
        assertTrue(line(check, "topic route", db + ".nothing_*").startsWith("WARN"), check);

        try (RunningJob running = RunningJob.start(yaml)) {
            server.exec("INSERT INTO " + db + ".orders VALUES (21, 21)", "INSERT INTO " + db + ".customers VALUES (2, 20)",
                    "INSERT INTO " + db + ".notes VALUES (2, 200)");
            try (Connection c = server.root(); Statement s = c.createStatement()) { // one source transaction over three topics
                c.setAutoCommit(false);
                s.executeUpdate("INSERT INTO " + db + ".orders VALUES (22, 22)");
                s.executeUpdate("INSERT INTO " + db + ".customers VALUES (3, 30)");
                s.executeUpdate("INSERT INTO " + db + ".notes VALUES (3, 300)");
                c.commit();
            }
            server.exec("ALTER TABLE " + db + ".orders ADD COLUMN c INT",
                    "CREATE TABLE " + db + ".customers_new (id INT PRIMARY KEY, v INT)",
                    "INSERT INTO " + db + ".customers_new VALUES (1, 7)");
            List<Read> all = readAll(List.of(orders, rest, customers, newTable), 23 + 3 + 3 + 2, Duration.ofSeconds(90));
            assertNull(running.failure());

            Map<String, List<String>> byTopic = new HashMap<>();
            for (Read r : all.stream().sorted(Comparator.comparingLong(Read::id)).toList()) { // partitions are read in any order
                byTopic.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r.text());
            }
            String o = db + "_out.orders ";
            List<String> expectedOrders = new ArrayList<>();
            for (int i = 1; i <= 20; i++) expectedOrders.add(o + "INIT " + i + " " + i);
            expectedOrders.addAll(List.of(o + "INSERT 21 21", o + "INSERT 22 22", o + "DDL"));
            assertEquals(sorted(expectedOrders), sorted(byTopic.get(orders)), "orders: its own topic");
            String cu = db + "_out.customers ";
            assertEquals(List.of(cu + "INIT 1 10", cu + "INSERT 2 20", cu + "INSERT 3 30"), byTopic.get(customers), "customers: the template's topic");
            String n = db + "_out.notes ";
            assertEquals(List.of(n + "INIT 1 100", n + "INSERT 2 200", n + "INSERT 3 300"), byTopic.get(rest), "notes: target.topic");
            String cn = db + "_out.customers_new ";
            assertEquals(List.of(cn + "DDL", cn + "INSERT 1 7"), byTopic.get(newTable), "a table created while running gets its topic first");
            assertEquals(4, byTopic.size(), byTopic.keySet().toString());

            // partitions: orders spread over the 3 its topic has (target.partitions is 2), the created topics have 2
            assertTrue(all.stream().anyMatch(r -> r.topic().equals(orders) && r.partition() == 2), "partitionBy uses the topic's own count");
            try (Admin admin = admin()) {
                assertEquals(2, admin.describeTopics(List.of(customers, newTable, rest)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .values().stream().mapToInt(d -> d.partitions().size()).max().orElse(0));
                assertEquals(2, admin.describeTopics(List.of(customers)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(customers).partitions().size());
            }
            assertIdsIncreaseAcrossTopics(all);
            // the transaction over three tables: consecutive ids, in statement order, in three topics
            long id22 = find(all, o + "INSERT 22 22").id();
            assertEquals(id22 + 1, find(all, cu + "INSERT 3 30").id());
            assertEquals(id22 + 2, find(all, n + "INSERT 3 300").id());
        }

        // the lost-checkpoint guard looks into every topic of the job (here: another, empty checkpoint topic)
        Path lost = dir.resolve("lost.yaml");
        Files.writeString(lost, yaml.replace("state:\n", "state:\n  checkpointTopic: " + p + "-other-checkpoints\n"));
        String line = InProcessRun.failsWithOneLine(lost);
        assertTrue(line.contains("has no checkpoint") && line.contains("its topics") && line.contains(orders), line);
        server.exec("DROP DATABASE " + db);
    }

    /**
     * initialization.structure off: a table created while the job runs whose topic does not exist
     * stops the job with the topic and the fix, before its checkpoint passes the table's first row;
     * once the topic exists, the next run writes that row, once.
     */
    @Test
    void aNewTablesMissingTopicStopsTheJobWithTheFixWhenStructureIsOff(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tpt_nostructure";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t1 (id INT PRIMARY KEY, v INT)");
        String p = "it-tpt-ns-" + System.nanoTime();
        createTopic(p + "-rest", 1);
        createTopic(p + "-" + db + ".t1", 1);
        String yaml = JobYaml.of("tpt-ns-" + System.nanoTime(), server, p + "-rest", dir.resolve("state"), db + ".*", 6613)
                .replace("  topic: " + p + "-rest\n", "  topic: " + p + "-rest\n  topics: {'" + db + ".*': '" + p + "-{database}.{table}'}\n")
                + "initialization: {structure: false}\n";
        String t2 = p + "-" + db + ".t2";
        RunningJob first = RunningJob.start(yaml);
        server.exec("INSERT INTO " + db + ".t1 VALUES (1, 1)", "CREATE TABLE " + db + ".t2 (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + db + ".t2 VALUES (1, 2)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (first.failure() == null && System.nanoTime() < deadline) Thread.sleep(100);
        Throwable failure = first.failure();
        assertTrue(failure instanceof io.sluice.core.error.SluiceException, String.valueOf(failure));
        io.sluice.core.error.SluiceException e = (io.sluice.core.error.SluiceException) failure;
        assertTrue(e.problem().contains("topic " + t2 + " does not exist and initialization.structure is false"), e.problem());
        assertTrue(e.fix().contains("create the topic"), e.fix());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, first::close, "the job failed");

        createTopic(t2, 1);
        try (RunningJob second = RunningJob.start(yaml)) {
            List<Read> all = readAll(List.of(p + "-" + db + ".t1", t2), 2, Duration.ofSeconds(60));
            assertEquals(List.of(db + ".t1 INSERT 1 1", db + ".t2 INSERT 1 2"),
                    all.stream().sorted(Comparator.comparingLong(Read::id)).map(Read::text).toList());
        }
        server.exec("DROP DATABASE " + db);
    }

    /**
     * delivery: atLeastOnce (idempotent producer, local checkpoint file): the flush before each
     * checkpoint covers every topic, and a restart goes on with ids above all of them.
     */
    @Test
    void atLeastOnceWritesEveryTopicAndResumesAboveThem(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tpt_alo";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)");
        String p = "it-tpt-alo-" + System.nanoTime();
        String yaml = JobYaml.of("tpt-alo-" + System.nanoTime(), server, p + "-rest", dir.resolve("state"), db + ".*", 6614)
                .replace("  topic: " + p + "-rest\n", "  topic: " + p + "-rest\n  delivery: atLeastOnce\n  topics: {" + db + ".a: " + p + "-a}\n");
        try (RunningJob job = RunningJob.start(yaml)) {
            server.exec("INSERT INTO " + db + ".a VALUES (1, 1)", "INSERT INTO " + db + ".b VALUES (1, 1)");
            readAll(List.of(p + "-a", p + "-rest"), 2, Duration.ofSeconds(60));
        }
        try (RunningJob job = RunningJob.start(yaml)) {
            server.exec("INSERT INTO " + db + ".b VALUES (2, 2)", "INSERT INTO " + db + ".a VALUES (2, 2)");
            List<Read> all = readAll(List.of(p + "-a", p + "-rest"), 4, Duration.ofSeconds(60));
            assertEquals(List.of(db + ".a INSERT 1 1", db + ".b INSERT 1 1", db + ".b INSERT 2 2", db + ".a INSERT 2 2"),
                    all.stream().sorted(Comparator.comparingLong(Read::id)).map(Read::text).toList());
            assertEquals(List.of(p + "-a", p + "-rest", p + "-rest", p + "-a"),
                    all.stream().sorted(Comparator.comparingLong(Read::id)).map(Read::topic).toList());
            assertIdsIncreaseAcrossTopics(all);
        }
        server.exec("DROP DATABASE " + db);
    }

    /** Mistakes in target.topics stop the job at start with one line and the fix. */
    @Test
    void anEmptyTopicNameStopsTheJobWithTheFix(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("tpt-empty", server, "it-tpt-empty", dir.resolve("state"), "mysql.user", 6611)
                .replace("  topic: it-tpt-empty\n", "  topic: it-tpt-empty\n  topics: {mysql.user: ''}\n"));
        String line = InProcessRun.failsWithOneLine(job);
        assertTrue(line.contains("key 'target.topics.mysql.user' has an empty topic name") && line.contains("remove the entry"), line);
    }

    /**
     * SIGKILLs while transactions over three tables (two routed topics and the default) are written,
     * small and one split into several Kafka transactions: read_committed, every committed change
     * is in its table's topic exactly once, and ordered by record id all topics together give the
     * source's commit order.
     */
    @Test
    void sigkillMidWorkloadLeavesEveryTopicExactlyOnce(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tpt_crash";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".c (id INT PRIMARY KEY, v INT)");
        String p = "it-tpt-crash-" + System.nanoTime();
        String yaml = JobYaml.of("tpt-crash-" + System.nanoTime(), server, p + "-rest", dir.resolve("state"), db + ".*", 6612)
                .replace("  topic: " + p + "-rest\n", "  topic: " + p + "-rest\n  transactionMaxRecords: 40\n  topics: '"
                        + db + ".a:" + p + "-a," + db + ".b:" + p + "-b'\n"); // the flat text form, as Kafka Connect gives it
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        Path log = dir.resolve("sluice.log");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ThreeTableWorkload workload = new ThreeTableWorkload(server, db, seed);
        SluiceProcess current = SluiceProcess.start(job, log);
        Thread load = new Thread(workload, "workload");
        try {
            CrashIT.waitForStreaming(log, 1);
            load.start();
            int streamingBefore = 0; // "streaming binlog" lines logged before the current process started
            for (int kill = 1; kill <= 6; kill++) {
                if (kill == 3) workload.large.set(true);
                if (kill % 3 != 0) CrashIT.waitForStreaming(log, streamingBefore + 1); // else during start-up
                Thread.sleep(kill == 3 ? 300 + random.nextInt(300) : 500 + random.nextInt(2000));
                current.kill();
                streamingBefore = count(log, "streaming binlog");
                current = SluiceProcess.start(job, log);
            }
            Thread.sleep(1000);
            workload.stop.set(true);
            load.join(60_000);
            assertNull(workload.failure, "workload failed");
            List<String> expected = workload.committed();
            List<Read> all = readAll(List.of(p + "-a", p + "-b", p + "-rest"), expected.size(), Duration.ofSeconds(240));
            assertEquals(0, current.terminate(), "SIGTERM ends the last run with exit code 0");
            System.out.printf("topic-per-table crash test (seed %d): %d changes expected, %d records read, %d resumes inside a split transaction%n",
                    seed, expected.size(), all.size(), count(log, "row(s) already written"));
            for (String t : List.of("a", "b", "c")) {
                String topic = t.equals("c") ? p + "-rest" : p + "-" + t;
                String prefix = db + "." + t + " ";
                assertEquals(expected.stream().filter(e -> e.startsWith(prefix)).toList(),
                        all.stream().filter(r -> r.topic().equals(topic)).sorted(Comparator.comparingLong(Read::id)).map(Read::text).toList(),
                        "table " + t + " in topic " + topic + ": every committed change once, in commit order (seed " + seed + ")");
            }
            assertIdsIncreaseAcrossTopics(all);
            assertEquals(expected, all.stream().sorted(Comparator.comparingLong(Read::id)).map(Read::text).toList(),
                    "by record id, all topics together: the source's commit order");
        } finally {
            workload.stop.set(true);
            current.close();
            load.join(10_000);
        }
        server.exec("DROP DATABASE " + db);
    }

    /** Single-connection transactions over a, b and c (so binlog order is known), some rolled back, one large. */
    private static final class ThreeTableWorkload implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean large = new AtomicBoolean();
        volatile Throwable failure;
        private final MySqlServer server;
        private final String db;
        private final Random random;
        private final List<String> committed = new ArrayList<>();
        private final Map<String, Integer> live = new HashMap<>(); // "t id" -> v
        private int nextId = 1;

        ThreeTableWorkload(MySqlServer server, String db, long seed) {
            this.server = server;
            this.db = db;
            this.random = new Random(seed);
        }

        synchronized List<String> committed() { return List.copyOf(committed); }

        @Override
        public void run() {
            String[] tables = {"a", "b", "c"};
            try (Connection c = server.root(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    List<String> tx = new ArrayList<>();
                    Map<String, Integer> overlay = new HashMap<>(live);
                    int statements = large.getAndSet(false) ? 150 : 1 + random.nextInt(5);
                    for (int k = 0; k < statements; k++) {
                        String t = tables[statements > 100 ? k % 3 : random.nextInt(3)];
                        String table = db + "." + t;
                        List<String> ids = overlay.keySet().stream().filter(key -> key.startsWith(t + " ")).sorted().toList();
                        int op = statements > 100 || ids.isEmpty() ? 0 : random.nextInt(3);
                        if (op == 0) {
                            int id = nextId++;
                            s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ", 1)");
                            tx.add(table + " INSERT " + id + " 1");
                            overlay.put(t + " " + id, 1);
                        } else {
                            String key = ids.get(random.nextInt(ids.size()));
                            int id = Integer.parseInt(key.substring(2));
                            int v = overlay.get(key);
                            if (op == 1) {
                                s.executeUpdate("UPDATE " + table + " SET v = " + (v + 1) + " WHERE id = " + id);
                                tx.add(table + " UPDATE " + id + " " + (v + 1));
                                overlay.put(key, v + 1);
                            } else {
                                s.executeUpdate("DELETE FROM " + table + " WHERE id = " + id);
                                tx.add(table + " DELETE " + id + " " + v);
                                overlay.remove(key);
                            }
                        }
                    }
                    if (statements < 100 && random.nextInt(10) == 0) {
                        c.rollback();
                    } else {
                        c.commit();
                        synchronized (this) {
                            committed.addAll(tx);
                        }
                        live.clear();
                        live.putAll(overlay);
                    }
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    private static Read find(List<Read> all, String text) {
        return all.stream().filter(r -> r.text().equals(text)).findFirst().orElseThrow(() -> new AssertionError("no record " + text));
    }

    /** Ids are unique across all topics and increase within each partition in the order read. */
    private static void assertIdsIncreaseAcrossTopics(List<Read> all) {
        Set<Long> ids = new HashSet<>();
        for (Read r : all) assertTrue(ids.add(r.id()), "id " + r.id() + " once across all topics");
        Map<String, Long> last = new HashMap<>();
        for (Read r : all) {
            Long before = last.put(r.topic() + "/" + r.partition(), r.id());
            assertTrue(before == null || r.id() > before, "ids increase in " + r.topic() + "/" + r.partition());
        }
    }

    private static List<String> sorted(List<String> list) {
        return list == null ? null : list.stream().sorted().toList();
    }

    /** Every partition of the topics, read_committed, until {@code count} records and then a quiet period. */
    private static List<Read> readAll(List<String> topics, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Read> out = new ArrayList<>();
        Set<TopicPartition> assigned = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                // topics appear while the job runs: assign each partition once it exists
                for (String topic : topics) {
                    var infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
                    if (infos == null) continue;
                    for (var info : infos) {
                        TopicPartition tp = new TopicPartition(topic, info.partition());
                        if (assigned.add(tp)) {
                            consumer.assign(assigned);
                            consumer.seekToBeginning(List.of(tp));
                        }
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    GenericRecord g = DtsTopic.decode(r.value());
                    out.add(new Read(r.topic(), r.partition(), (Long) g.get("id"), text(g)));
                    if (out.size() >= count) quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        assertTrue(out.size() >= count, "expected " + count + " records, read " + out.size() + ": " + out);
        return out;
    }

    private static String text(GenericRecord r) {
        String op = r.get("operation").toString();
        if (op.equals("DDL")) return r.get("objectName") + " DDL";
        List<Value> image = Images.of(r, op.equals("DELETE") ? "beforeImages" : "afterImages");
        return r.get("objectName") + " " + op + " " + ((Value.IntegerValue) image.get(0)).value() + " "
                + ((Value.IntegerValue) image.get(1)).value();
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()));
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String check(Path job) {
        StringWriter out = new StringWriter();
        int code = SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    /** The check line of {@code item} that mentions {@code text}. */
    private static String line(String check, String item, String text) {
        return check.lines().filter(l -> l.substring(Math.min(6, l.length())).startsWith(item) && l.contains(text)).findFirst()
                .orElse("(no '" + item + "' line naming " + text + ")");
    }

    private static int count(Path log, String text) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1 : 0;
    }
}
