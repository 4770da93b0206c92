package io.sluice.app.cli;

import io.sluice.format.dts.DtsAvroEncoder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code sluice tail}: prints a topic's DTS Avro records, decoded with the published schema, one per line. */
@Command(name = "tail", description = "Print the DTS Avro records of a topic, decoded and readable.")
final class TailCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true) String bootstrap;
    @Option(names = "--topic", required = true) String topic;
    @Option(names = "--max", description = "Stop after this many records (default: no limit).") long max = Long.MAX_VALUE;
    @Option(names = "--idle-seconds", description = "Stop after this long without records (default: never).") long idleSeconds = 0;
    @Spec CommandSpec spec;

    private long seen;

    @Override
    public Integer call() throws Exception {
        Schema union = new Schema.Parser().parse(DtsAvroEncoder.schemaText());
        Schema record = union.getTypes().stream().filter(s -> s.getName().equals("Record")).findFirst().orElseThrow();
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(record);
        try {
            read(reader, "read_committed");
        } catch (UnsupportedVersionException e) {
            // brokers older than 0.11 cannot filter by isolation level, nor have transactions to filter
            if (seen > 0) throw e;
            read(reader, "read_uncommitted");
        }
        return 0;
    }

    private void read(GenericDatumReader<GenericRecord> reader, String isolation) throws java.io.IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long lastRecord = System.currentTimeMillis();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (seen < max) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord rec = reader.read(null, DecoderFactory.get().binaryDecoder(r.value(), null));
                    spec.commandLine().getOut().println(RecordText.of(rec));
                    lastRecord = System.currentTimeMillis();
                    if (++seen >= max) break;
                }
                spec.commandLine().getOut().flush();
                if (idleSeconds > 0 && System.currentTimeMillis() - lastRecord > idleSeconds * 1000) break;
            }
        }
    }
}
