package io.sluice.engine.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.model.BinlogFileStamp;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.PreparedXa;

import java.io.IOException;
import java.util.List;

/**
 * Where a restarted job resumes: read the binlog from {@code offset} (by GTID set when it has one),
 * skip the first {@code skipRows} rows (already written: a large source transaction split over
 * several Kafka transactions), and number records from {@code nextId}. {@code schemaHistory} is the
 * table definitions at that point (JSON of the source's schema history), or null where unchanged
 * since the previous checkpoint. {@code initialization} is the full-data initialization still to
 * do (null: none, or finished), committed with the INIT records it covers. {@code preparedXa} are the
 * XA branches prepared before {@code offset} and not yet committed or rolled back (absent: none):
 * their rows are written at their XA COMMIT, so a resume reads their prepare groups again.
 * {@code topicIds} are the Kafka topic ids of the record topics the checkpoint's records went to
 * (null: unknown, brokers before 2.8): a topic deleted and created since has another id, and the
 * job refuses to go on. {@code sourceServer} is the identity of the source server the checkpoint
 * was taken on ({@link io.sluice.source.mysql.ServerInfo#identity()}; null: unknown, written by an
 * older Sluice): a binlog file/position means nothing on another server, so a job resuming by
 * position on another one refuses to start. {@code topicFormats} is the record format of each topic
 * in {@code topicIds} (as a job file spells it, "debeziumJson"; null: unknown, written by an older
 * Sluice): at start the job reads the last records of every topic in {@code topicIds}, also one no
 * selected table routes to any more (a table dropped since), in that topic's format.
 * {@code binlogFileStamp} is the server and the creation time of {@code binlogFile} as the reader saw it (null:
 * unknown, the file not read yet in that session, or written by an older Sluice): a binlog reset (RESET MASTER)
 * whose new file of the same name has an event boundary at the checkpoint's position, as a workload of same-size
 * transactions without GTIDs gives, is told by the file's other creation time. An older
 * Sluice ignores the new fields (unknown fields are skipped).
 */
public record Checkpoint(String binlogFile, long binlogPosition, String gtidSet, long skipRows, long nextId,
                         String schemaHistory,
                         @JsonInclude(JsonInclude.Include.NON_NULL) InitProgress initialization,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PreparedXa> preparedXa,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.Map<String, String> topicIds,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String sourceServer,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.Map<String, String> topicFormats,
                         @JsonInclude(JsonInclude.Include.NON_NULL) BinlogFileStamp binlogFileStamp) {

    public Checkpoint {
        preparedXa = preparedXa == null ? List.of() : preparedXa;
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Checkpoint at(BinlogOffset offset, long skipRows, long nextId) {
        return new Checkpoint(offset.file(), offset.position(), offset.gtidSet(), skipRows, nextId, null, null, List.of(), null, null, null, null);
    }

    public Checkpoint withSchemaHistory(String history) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, history, initialization, preparedXa, topicIds, sourceServer, topicFormats, binlogFileStamp);
    }

    public Checkpoint withNextId(long id) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, id, schemaHistory, initialization, preparedXa, topicIds, sourceServer, topicFormats, binlogFileStamp);
    }

    public Checkpoint withInitialization(InitProgress progress) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, progress, preparedXa, topicIds, sourceServer, topicFormats, binlogFileStamp);
    }

    public Checkpoint withPreparedXa(List<PreparedXa> prepared) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, initialization, prepared, topicIds, sourceServer, topicFormats, binlogFileStamp);
    }

    public Checkpoint withTopicIds(java.util.Map<String, String> ids) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, initialization, preparedXa,
                ids == null || ids.isEmpty() ? null : ids, sourceServer, topicFormats, binlogFileStamp);
    }

    public Checkpoint withSourceServer(String identity) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, initialization, preparedXa, topicIds,
                identity, topicFormats, binlogFileStamp);
    }

    /** This checkpoint if it names its source server (the session that read it stamped it), else with {@code identity}. */
    public Checkpoint withSourceServerIfNone(String identity) {
        return sourceServer != null ? this : withSourceServer(identity);
    }

    /** @param formats each record topic's format as a job file spells it (null or empty: none recorded) */
    public Checkpoint withTopicFormats(java.util.Map<String, String> formats) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, initialization, preparedXa, topicIds,
                sourceServer, formats == null || formats.isEmpty() ? null : formats, binlogFileStamp);
    }

    /** @param stamp the server and creation time of {@code binlogFile} (null: unknown) */
    public Checkpoint withBinlogFileStamp(BinlogFileStamp stamp) {
        return new Checkpoint(binlogFile, binlogPosition, gtidSet, skipRows, nextId, schemaHistory, initialization, preparedXa, topicIds,
                sourceServer, topicFormats, stamp);
    }

    public BinlogOffset offset() {
        return new BinlogOffset(binlogFile, binlogPosition, gtidSet == null ? "" : gtidSet);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates; throws IOException naming what is wrong. */
    public static Checkpoint fromJson(byte[] json) throws IOException {
        Checkpoint c = JSON.readValue(json, Checkpoint.class);
        if (c.binlogFile() == null || c.binlogFile().isEmpty() || c.binlogPosition() < 4 || c.nextId() < 0 || c.skipRows() < 0) {
            throw new IOException("binlogFile, binlogPosition (>= 4), skipRows and nextId (>= 0) are required");
        }
        return c;
    }
}
