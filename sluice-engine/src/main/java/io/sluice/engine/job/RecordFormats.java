package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.format.RecordFormat;
import io.sluice.format.dts.DtsAvroFormat;
import io.sluice.format.json.CanalJsonFormat;
import io.sluice.format.json.DebeziumJsonFormat;

/** The record format a job's {@code target.format} names. */
public final class RecordFormats {

    private RecordFormats() {}

    /** The format as the job file spells it. */
    public static String name(JobConfig.Format format) {
        return switch (format) {
            case DTS_AVRO -> "dtsAvro";
            case CANAL_JSON -> "canalJson";
            case DEBEZIUM_JSON -> "debeziumJson";
        };
    }

    public static RecordFormat of(JobConfig.Target target) {
        return switch (target.format) {
            case DTS_AVRO -> new DtsAvroFormat();
            case CANAL_JSON -> new CanalJsonFormat(target.canal.batch == JobConfig.CanalBatch.EVENT ? target.canal.batchMaxRows : 1);
            case DEBEZIUM_JSON -> new DebeziumJsonFormat(target.debezium.schemas);
        };
    }
}
