package io.sluice.it.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Debezium's MySQL connector in the embedded engine, appending every change event to a file, one
 * line each: {@code {"key":KEY,"value":VALUE}} where KEY and VALUE are exactly what Kafka Connect's
 * JsonConverter (the engine's {@link Json} format) wrote, {@code null} for a tombstone's value.
 * Each batch is flushed before its offsets are marked processed, so a reader sees whole lines.
 *
 * <p>Usage: {@code DebeziumToFile engine.properties events.jsonl}; every property goes to the
 * engine unchanged. Runs until killed (offsets and schema history are the caller's choice: the
 * parity test keeps both in memory) or until the engine stops on an error (exit 1).
 */
public final class DebeziumToFile {

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            props.load(in);
        }
        Writer out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        CountDownLatch done = new CountDownLatch(1);
        boolean[] failed = {false};
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(props)
                .notifying((List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) -> {
                    try {
                        for (ChangeEvent<String, String> r : records) write(out, r);
                        out.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    for (ChangeEvent<String, String> r : records) committer.markProcessed(r);
                    committer.markBatchFinished();
                })
                .using((success, message, error) -> {
                    if (!success) {
                        System.err.println("debezium engine stopped with an error: " + message);
                        if (error != null) error.printStackTrace();
                        failed[0] = true;
                    }
                    done.countDown();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                // exiting anyway (the engine may have stopped on its own already)
            }
        }));
        done.await();
        out.close();
        System.exit(failed[0] ? 1 : 0);
    }

    private static void write(Writer out, ChangeEvent<String, String> r) throws IOException {
        out.write("{\"key\":");
        out.write(r.key() == null ? "null" : r.key());
        out.write(",\"value\":");
        out.write(r.value() == null ? "null" : r.value());
        out.write("}\n");
    }
}
