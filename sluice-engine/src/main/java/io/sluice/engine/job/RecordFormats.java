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
     * The job's encoder (one per thread): its format's, or where target.topics entries name their
     * own formats, one writing each topic's.
     */
    public static RecordEncoder encoder(JobConfig config, TopicFormats topics, String sourceVersion, Router router) {
        if (TopicFormats.single(config)) return of(config.target).encoder(config.source.name, sourceVersion, router);
        return new RoutedEncoder(topics, f -> of(config.target, f).encoder(config.source.name, sourceVersion, router));
    }
}
