package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At start, the last records of a topic the job wrote but no selected table routes to any more (a
 * table dropped since) are read in the format the checkpoint recorded for it, or where an older
 * Sluice recorded none, in the format the records show: not in target.format.
 */
class WrittenTopicsTest {

    private static final TableSchema TMP = new TableSchema(new TableId("shop", "tmp"), List.of(Column.of("id", ColumnType.INT)),
            Map.of("PRIMARY", List.of("id")));

    /** target.format dtsAvro, 'shop.*' to cdc.{table} in Debezium JSON (or {@code format}). */
    private static JobConfig config(String format) {
        JobConfig c = new JobConfig();
        c.name = "j";
        c.source = new JobConfig.Source();
        c.source.name = "src";
        c.objects = new JobConfig.Objects();
        c.objects.include.add("shop.*");
        c.target = new JobConfig.Target();
        c.target.topic = "all";
        Map<String, Object> topics = new LinkedHashMap<>();
        topics.put("shop.*", Map.of("topic", "cdc.{table}", "format", format));
        c.target.setTopics(topics);
        return c;
    }

    private static byte[] record(JobConfig config, JobConfig.Format format, long id) {
        Router router = new Router(config.objects, config.target);
        RowChange row = new RowChange(TMP, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, "1")},
                new SourcePosition("mysql-bin.000001", 200, 100, "", 0));
        return RecordFormats.of(config.target, format).encoder("src", "5.7.22", router).encode(id, row, router.route(TMP));
    }

    /** The job after DROP TABLE shop.tmp: no selected table routes to cdc.tmp. */
    private static WrittenTopics afterDrop(JobConfig config, Map<String, String> recorded) {
        Router router = new Router(config.objects, config.target);
        TopicFormats formats = TopicFormats.of(config, router, List.of());
        return new WrittenTopics(config, formats, recorded, "`sluice run --reinitialize`",
                f -> StartGuard.ownRecords(config, RecordFormats.of(config.target, f), router, List.of(TMP.id())));
    }

    @Test
    void aTopicNoTableRoutesToIsReadInTheFormatTheCheckpointRecorded() {
        JobConfig config = config("debeziumJson");
        WrittenTopics topics = afterDrop(config, Map.of("cdc.tmp", "debeziumJson", "all", "dtsAvro"));
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, topics.formatOf("cdc.tmp"));
        byte[] debezium = record(config, JobConfig.Format.DEBEZIUM_JSON, 42);
        assertEquals(42, topics.idOf("cdc.tmp").applyAsLong(debezium));
        assertTrue(topics.own("cdc.tmp").test(debezium));
        // a topic routed now keeps the format the job file gives it, and a record of another format there stops the job as before
        SluiceException e = assertThrows(SluiceException.class, () -> topics.idOf("all").applyAsLong(debezium));
        assertTrue(e.problem().contains("topic all holds records that are not dtsAvro records (target.format was changed"), e.problem());
    }

    @Test
    void anOlderSluicesCheckpointHasTheFormatToldFromTheRecords() {
        for (String format : List.of("debeziumJson", "canalJson", "dtsAvro")) {
            JobConfig config = config(format);
            JobConfig.Format f = JobConfig.Format.parse(format);
            byte[] value = record(config, f, 7);
            assertEquals(f, RecordFormats.ofRecord(value), format);
            WrittenTopics topics = afterDrop(config, null);
            assertNull(topics.formatOf("cdc.tmp"));
            assertEquals(7, topics.idOf("cdc.tmp").applyAsLong(value), format);
            assertTrue(topics.own("cdc.tmp").test(value), format);
        }
        // Debezium JSON without its schema part
        JobConfig config = config("debeziumJson");
        config.target.debezium.schemas = false;
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, RecordFormats.ofRecord(record(config, JobConfig.Format.DEBEZIUM_JSON, 3)));
    }

    @Test
    void aRecordNotOfTheRecordedFormatNamesTheTopicTheJobNoLongerWrites() {
        JobConfig config = config("debeziumJson");
        WrittenTopics topics = afterDrop(config, Map.of("cdc.tmp", "canalJson"));
        SluiceException e = assertThrows(SluiceException.class,
                () -> topics.idOf("cdc.tmp").applyAsLong(record(config, JobConfig.Format.DEBEZIUM_JSON, 5)));
        assertTrue(e.problem().contains("topic cdc.tmp, which the job wrote before") && e.problem().contains("not canalJson records"), e.problem());
        assertTrue(e.fix().startsWith("delete topic cdc.tmp"), e.fix());
        // a format a newer Sluice recorded: told from the records
        assertNull(afterDrop(config, Map.of("cdc.tmp", "someFormat")).formatOf("cdc.tmp"));
    }
}
