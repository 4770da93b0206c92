package io.sluice.app.cli;

import io.sluice.core.error.SluiceException;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.sink.kafka.ListenerProbe;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sluice tail}: prints a topic's DTS Avro records, decoded with the published schema, one per
 * line with partition and offset (Canal JSON and Debezium JSON records as their JSON, since a job
 * may write each topic in its own format). Records of several partitions are merged by record id (the order
 * the job wrote them in) up to the topic's end at start, and per poll after that. It never creates
 * the topic: existence is checked with the admin client and the consumer may not auto-create.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the records of a topic, decoded and readable: one line per record, "
                + "'p<partition>@<offset> #<id> <operation> <table> ...' (Canal/Debezium JSON: '#<id> <format> <json>'), ordered by record id.")
final class TailCommand implements Callable<Integer> {

    /** Records held per partition while another partition is read up to them; more pauses the partition. */
    private static final int MAX_QUEUED = 10_000;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "The Kafka brokers (the job's target.bootstrapServers).")
    String bootstrap;
    @Option(names = "--topic", required = true, description = "The topic to read (one of the job's record topics: target.topic, a target.topics topic, target.ddl.topic).")
    String topic;
    @ArgGroup(exclusive = true)
    Start start = new Start();
    @Option(names = "--max", description = "Stop after this many records (default: no limit).")
    long max = Long.MAX_VALUE;
    @Option(names = "--idle-seconds", description = "Stop after this long without records (default: never).")
    long idleSeconds = 0;
    @Option(names = "--command-config", paramLabel = "FILE",
            description = "A properties file of Kafka client settings, e.g. security.protocol, ssl.* and sasl.* (the job's target.producer security settings).")
    Path commandConfig;
    @Option(names = "--timeout-seconds", description = "How long to wait for the brokers to answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 10;
    @Spec CommandSpec spec;

    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the first record of every partition (the default).")
        boolean beginning;
        @Option(names = "--from-end", description = "Start at the end: print only records written from now on.")
        boolean end;
        @Option(names = "--offset", paramLabel = "N", description = "Start at offset N of every partition (at its end if shorter).")
        Long offset;
    }

    private long printed;

    @Override
    public Integer call() throws Exception {
        int partitions = partitions();
        Schema union = new Schema.Parser().parse(DtsAvroEncoder.schemaText());
        Schema record = union.getTypes().stream().filter(s -> s.getName().equals("Record")).findFirst().orElseThrow();
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(record);
        try {
            read(reader, partitions, "read_committed");
        } catch (UnsupportedVersionException e) {
            // brokers older than 0.11 cannot filter by isolation level, nor have transactions to filter
            if (printed > 0) throw e;
            read(reader, partitions, "read_uncommitted");
        }
        return 0;
    }

    /**
     * The --command-config settings (security and the like), or none; client telemetry push off unless
     * they set it, as for Sluice's own clients ({@code KafkaTarget.clientProperties}).
     */
    Properties clientSettings() {
        Properties p = new Properties();
        if (commandConfig != null) {
            try (java.io.Reader in = java.nio.file.Files.newBufferedReader(commandConfig)) {
                p.load(in);
            } catch (java.io.IOException e) {
                throw new SluiceException("cannot read --command-config " + commandConfig + ": " + e.getMessage(),
                        "pass a readable properties file (key=value lines, e.g. security.protocol=SSL)", e);
            }
        }
        p.putIfAbsent(org.apache.kafka.clients.CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
        return p;
    }

    /** The topic's partition count; a missing topic or unreachable brokers stop with the fix. */
    private int partitions() throws InterruptedException {
        Properties p = clientSettings();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        try (Admin admin = Admin.create(p)) {
            try {
                admin.describeCluster().nodes().get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                String problem = "cannot reach Kafka at " + bootstrap + " within " + timeoutSeconds + " s";
                // the same probe as check and run: an HTTP port or a TLS listener is named, not "is it running"
                String[] other = ListenerProbe.explainBootstrap(bootstrap, 1000, ListenerProbe.Settings.TAIL);
                if (other != null) throw new SluiceException(problem + ": " + other[0], other[1], e);
                throw new SluiceException(problem, "check --bootstrap-servers and that the brokers are running and reachable", e);
            }
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS).get(topic);
                return d.partitions().size();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new SluiceException("topic " + topic + " does not exist at " + bootstrap,
                            "check --topic (the job's target.topic); kafka-topics.sh --bootstrap-server " + bootstrap + " --list lists them");
                }
                throw new SluiceException("cannot describe topic " + topic + ": " + e.getCause().getMessage(),
                        "grant DESCRIBE and READ on the topic to this client", e);
            } catch (TimeoutException e) {
                throw new SluiceException("Kafka at " + bootstrap + " did not describe topic " + topic + " within " + timeoutSeconds + " s",
                        "check the brokers' health", e);
            }
        }
    }

    private void read(GenericDatumReader<GenericRecord> reader, int partitionCount, String isolation) {
        Properties p = clientSettings();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // never create the topic, also not if it is deleted while we read; brokers older than 0.11 cannot
        // be told (their metadata request has no such field, and the client refuses to send it): there
        // only the existence check above stands between tail and a broker that auto-creates topics
        if (isolation.equals("read_committed")) p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, ArrayDeque<Line>> queues = new LinkedHashMap<>();
            for (int i = 0; i < partitionCount; i++) queues.put(new TopicPartition(topic, i), new ArrayDeque<>());
            List<TopicPartition> partitions = List.copyOf(queues.keySet());
            consumer.assign(partitions);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                long at = start.end ? end.get(tp) : start.offset != null
                        ? Math.max(first.get(tp), Math.min(start.offset, end.get(tp))) : first.get(tp);
                consumer.seek(tp, at);
            }
            // partitions not yet read up to their end at start: the next record in id order may still come from them
            Set<TopicPartition> behind = new HashSet<>(partitions);
            long lastRecord = System.currentTimeMillis();
            while (printed < max) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    queues.get(new TopicPartition(r.topic(), r.partition())).add(decode(reader, r));
                    lastRecord = System.currentTimeMillis();
                }
                behind.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                emit(queues, behind, out);
                for (TopicPartition tp : partitions) {
                    if (queues.get(tp).size() > MAX_QUEUED) consumer.pause(List.of(tp));
                    else consumer.resume(List.of(tp));
                }
                out.flush();
                if (idleSeconds > 0 && System.currentTimeMillis() - lastRecord > idleSeconds * 1000) break;
            }
            emit(queues, Set.of(), out); // what is held, in id order
            out.flush();
        }
    }

    /** Prints the held records in id order while no partition still being read up to its end could hold a smaller id. */
    private void emit(Map<TopicPartition, ArrayDeque<Line>> queues, Set<TopicPartition> behind, PrintWriter out) {
        while (printed < max) {
            if (behind.stream().anyMatch(tp -> queues.get(tp).isEmpty())) return;
            ArrayDeque<Line> next = queues.values().stream().filter(q -> !q.isEmpty())
                    .min(Comparator.comparingLong(q -> q.peek().id())).orElse(null);
            if (next == null) return;
            out.println(next.poll().text());
            printed++;
        }
    }

    private record Line(long id, String text) {}

    /** The record as a line, or a stop naming the record that is not a DTS Avro record. */
    private Line decode(GenericDatumReader<GenericRecord> reader, ConsumerRecord<byte[], byte[]> r) {
        String where = "p" + r.partition() + "@" + r.offset();
        Line json = jsonLine(where, r.value()); // a topic a job (or its target.topics entry) writes as JSON
        if (json != null) return json;
        String problem;
        try {
            if (r.value() == null) {
                problem = "it has no value (a tombstone)";
            } else {
                BinaryDecoder in = DecoderFactory.get().binaryDecoder(r.value(), null);
                GenericRecord rec = reader.read(null, in);
                if (in.isEnd() && rec.get("id") instanceof Long id && id >= 0) {
                    return new Line(id, where + " " + RecordText.of(rec));
                }
                problem = "its bytes do not decode as one Record of docs/format/Record.avsc";
            }
        } catch (Exception | OutOfMemoryError e) { // random bytes can ask Avro for any length, index or type
            problem = "it does not decode with docs/format/Record.avsc";
        }
        if (isJsonRecord(r.value())) {
            throw new SluiceException("the record at partition " + r.partition() + " offset " + r.offset() + " of topic " + topic
                    + " is JSON without a Sluice record id (not a Canal or Debezium record a Sluice job wrote)",
                    "read JSON records with any Kafka consumer, e.g. kafka-console-consumer.sh --bootstrap-server <servers> --topic " + topic
                            + " --isolation-level read_committed --from-beginning; to read past this record: --offset " + (r.offset() + 1));
        }
        throw new SluiceException("the record at partition " + r.partition() + " offset " + r.offset() + " of topic " + topic
                + " is not a DTS Avro record: " + problem,
                "tail a Sluice data topic (the job's target.topic, not its -sluice-checkpoints topic); to read past this record: --offset "
                        + (r.offset() + 1));
    }

    /** Created on first use: picocli builds every command's model at start-up, and a mapper there costs every command ~60 ms. */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }

    /**
     * A Canal JSON or Debezium JSON record (target.format, or a target.topics entry's format) as
     * {@code p<partition>@<offset> #<id> <format> <the record's JSON>}, its id read where the format
     * keeps it (Canal's {@code id}, Debezium's {@code source.sequence}); null: not such a record.
     */
    private static Line jsonLine(String where, byte[] value) {
        if (!isJsonRecord(value)) return null;
        try {
            com.fasterxml.jackson.databind.JsonNode n = Json.MAPPER.readTree(value);
            boolean canal = n.has("id") && n.has("isDdl");
            com.fasterxml.jackson.databind.JsonNode p = n.has("schema") && n.has("payload") ? n.get("payload") : n;
            com.fasterxml.jackson.databind.JsonNode id = canal ? n.get("id") : p.path("source").path("sequence");
            if (!id.canConvertToLong() && !(id.isTextual() && id.asText().matches("[0-9]{1,18}"))) return null;
            return new Line(id.asLong(), where + " #" + id.asLong() + " " + (canal ? "canalJson " : "debeziumJson ") + Json.MAPPER.writeValueAsString(p));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** How Sluice's JSON formats open a record: Canal's id, Debezium's envelope with or without its schema. */
    private static boolean isJsonRecord(byte[] value) {
        if (value == null) return false;
        String head = new String(value, 0, Math.min(value.length, 12), java.nio.charset.StandardCharsets.US_ASCII);
        return head.startsWith("{\"id\":") || head.startsWith("{\"schema\":") || head.startsWith("{\"before\":");
    }
}
