package io.sluice.app.cli;

import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.error.SluiceException;
import io.sluice.source.mysql.SourceConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sluice train-class-data --config job.yaml} (hidden): the build's training run for the
 * class-data-sharing archive (-XX:ArchiveClassesAtExit, see bin/sluice). It goes through what every
 * start-up loads (the job file, logback, Connector/J, the Kafka producer and Admin clients) against
 * port 1 of the loopback address, so it needs no server and ends in about a second: nothing is
 * refused more slowly than a closed local port, and the Kafka clients are closed before they wait.
 */
@Command(name = "train-class-data", hidden = true, description = "Build step: load the start-up classes without servers, then exit.")
final class TrainClassDataCommand implements Callable<Integer> {

    private static final String NOWHERE = "127.0.0.1";

    @Option(names = {"-c", "--config"}, required = true, description = "A job file (conf/job.example.yaml).")
    Path config;

    @Override
    public Integer call() {
        // ${VAR} without a default would stop the load: every variable reads as "training"
        JobConfig job = new JobConfigLoader(name -> System.getenv().getOrDefault(name, "training")).load(config);
        LoggerFactory.getLogger(TrainClassDataCommand.class).debug("training run for {}", job.name);
        job.source.host = NOWHERE;
        job.source.port = 1;
        try {
            new SourceConnection(job.source).open().close();
        } catch (SluiceException | java.sql.SQLException expected) {
            // connection refused: the driver's classes are loaded
        }
        Map<String, Object> kafka = new HashMap<>();
        job.target.producer.forEach((k, v) -> kafka.put(String.valueOf(k), v));
        kafka.put("bootstrap.servers", NOWHERE + ":1");
        try (Admin admin = Admin.create(kafka)) {
            admin.close(Duration.ZERO);
        }
        kafka.put("enable.idempotence", "true");
        kafka.put("compression.type", "lz4");
        try (var producer = new KafkaProducer<>(kafka, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.close(Duration.ZERO);
        }
        // and every class a real run's start-up loads (the list ClassPreloader reads): the archive then holds the
        // Kafka requests, the consumer, the binlog client and the engine's classes too, which the lines above
        // never reach without servers
        new ClassPreloader(ClassPreloader.RUN_CLASSES, true).run();
        return 0;
    }
}
