package io.sluice.bench.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Debezium's MySQL connector in the embedded engine, writing every change event (Debezium's JSON
 * format, its default converter settings) to one Kafka topic with a plain {@link KafkaProducer}:
 * what a user who embeds Debezium instead of running Kafka Connect writes.
 *
 * <p>The batch handler does what Debezium Server's Kafka sink does: send the batch, wait until
 * Kafka acknowledged every record, then mark them processed so the engine may commit their
 * offsets (at-least-once, like Sluice today). The producer has Sluice's settings (idempotent,
 * acks=all, lz4, linger 5 ms, 256 KiB batches) so that only the pipelines differ.
 *
 * <p>Usage: {@code DebeziumRunner engine.properties}. Keys {@code bench.topic} and
 * {@code bench.bootstrap} are this runner's; every other key goes to the engine unchanged.
 * Stops on SIGTERM/SIGINT (engine closed, offsets committed, producer closed).
 */
public final class DebeziumRunner {

    public static void main(String[] args) throws Exception {
        Properties all = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            all.load(in);
        }
        String topic = (String) all.remove("bench.topic");
        String bootstrap = (String) all.remove("bench.bootstrap");

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-debezium");
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());

        AtomicReference<Throwable> failure = new AtomicReference<>();
        DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> consumer = (records, committer) ->
                handleBatch(records, committer, producer, topic, failure);
        CountDownLatch done = new CountDownLatch(1);
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(all)
                .notifying(consumer)
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("debezium engine stopped with an error: " + message);
                        if (error != null) error.printStackTrace();
                        failure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                    done.countDown();
                })
                .build();

        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
        }
        // Wait for a stop signal, or for the engine to end on its own (a failure).
        while (!stop.await(200, TimeUnit.MILLISECONDS) && done.getCount() > 0) { }
        engine.close();
        done.await(60, TimeUnit.SECONDS);
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        producer.close();
        System.err.println("debezium runner stopped");
        System.exit(failure.get() == null ? 0 : 1);
    }

    private static void handleBatch(List<ChangeEvent<String, String>> records,
                                    DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer,
                                    KafkaProducer<String, String> producer, String topic,
                                    AtomicReference<Throwable> failure) throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(records.size());
        for (ChangeEvent<String, String> r : records) {
            producer.send(new ProducerRecord<>(topic, 0, r.key(), r.value()), (md, e) -> {
                if (e != null) failure.compareAndSet(null, e);
                acked.countDown();
            });
        }
        acked.await();
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka rejected a record", failure.get());
        }
        for (ChangeEvent<String, String> r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
    }
}
