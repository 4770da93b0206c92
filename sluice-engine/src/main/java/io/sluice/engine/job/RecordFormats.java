package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.route.Router;
import io.sluice.format.dts.DtsAvroFormat;
import io.sluice.format.json.CanalJsonFormat;
import io.sluice.format.json.DebeziumJsonFormat;

/** The record formats a job's {@code target.format} and target.topics entries name. */
public final class RecordFormats {

    private RecordFormats() {}

    /** The format as the job file spells it. */
    public static String name(JobConfig.Format format) {
        return JobConfig.Format.name(format);
    }

    /** The job's format (target.format). */
    public static RecordFormat of(JobConfig.Target target) {
        return of(target, target.format);
    }

    /** {@code format} with the job's options of it (target.debezium, target.canal). */
    public static RecordFormat of(JobConfig.Target target, JobConfig.Format format) {
        return switch (format) {
            case DTS_AVRO -> new DtsAvroFormat();
            case CANAL_JSON -> new CanalJsonFormat(target.canal.batch == JobConfig.CanalBatch.EVENT ? target.canal.batchMaxRows : 1);
            case DEBEZIUM_JSON -> new DebeziumJsonFormat(target.debezium.schemas);
        };
    }

    /**
     * The format of a record Sluice wrote, told from its first bytes: Canal JSON opens with its
     * {@code {"id":}, Debezium JSON with any other field of a JSON object ({@code schema}, {@code before},
     * a DDL record's {@code source}), DTS Avro never with {@code {"} (its first field is a small int).
     * For a topic whose format no job file or checkpoint says (a checkpoint of an older Sluice).
     */
    public static JobConfig.Format ofRecord(byte[] value) {
        if (value == null || value.length < 2 || value[0] != '{' || value[1] != '"') return JobConfig.Format.DTS_AVRO;
        return startsWith(value, "{\"id\":") ? JobConfig.Format.CANAL_JSON : JobConfig.Format.DEBEZIUM_JSON;
    }

    private static boolean startsWith(byte[] value, String prefix) {
        if (value.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (value[i] != prefix.charAt(i)) return false;
        return true;
    }

    /**
     * The job's encoder (one per thread): its format's, or where target.topics entries name their
     * own formats, one writing each topic's.
     */
    public static RecordEncoder encoder(JobConfig config, TopicFormats topics, String sourceVersion, Router router) {
        if (TopicFormats.single(config)) return of(config.target).encoder(config.source.name, sourceVersion, router);
        return new RoutedEncoder(topics, f -> of(config.target, f).encoder(config.source.name, sourceVersion, router));
    }
}
