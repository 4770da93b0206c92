package io.sluice.core.format;

import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Route;

import java.util.List;

/**
 * Turns row changes and DDL statements into the bytes of one Kafka record each, in one record
 * format (DTS Avro, Canal JSON, Debezium JSON). Every record carries its Sluice record id, so a
 * restarted job finds the highest id written ({@link RecordFormat#id}). Not thread-safe: one per thread.
 */
public interface RecordEncoder {

    byte[] encode(long id, RowChange change, Route route);

    /**
     * {@link #encode} for a caller that hands the record to the Kafka producer at once and never reads
     * it afterwards: the result may be an array that a later call of this method returns again,
     * overwritten (DTS Avro keeps one array per record size for this; the others make a new one). The
     * producer copies a record's bytes into its batch during the send, so there a record needs no array
     * of its own (the dispatcher's streamed rows, where the delivery says so: {@code Delivery.releasesValueOnSend}).
     */
    default byte[] encodeForSend(long id, RowChange change, Route route) {
        return encode(id, change, route);
    }

    /**
     * A DDL record.
     *
     * @param objectName the table's target {@code db.table} (dots inside names escaped as {@code \u002E}),
     *                   or the target database name for a database statement
     * @param after      the table's definition after the statement, or null
     * @param route      the route of {@code after}, null when {@code after} is
     */
    byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route);

    /** The Kafka record key of a row change, or null (no key): DTS Avro and Canal JSON have none. */
    default byte[] key(RowChange change, Route route) {
        return null;
    }

    /**
     * Whether an UPDATE that changes the primary key is written as two records, a delete keyed by
     * the old key then an insert keyed by the new one (Debezium's way), instead of one update record.
     * Only a format with a record {@link #key} can: the dispatcher compares the two keys.
     */
    default boolean splitsKeyChanges() {
        return false;
    }

    /**
     * Most row changes one record of {@code route} may hold: 1 (one record per row), or with Canal
     * JSON's {@code target.canal.batch: event} the rows of one binlog rows event ({@link #encodeRows}).
     */
    default int maxRowsPerRecord(Route route) {
        return 1;
    }

    /**
     * One record holding several row changes of ONE binlog rows event (one table definition, one
     * operation, in binlog order), all bound for one partition; only when {@link #maxRowsPerRecord} > 1.
     */
    default byte[] encodeRows(long id, List<RowChange> changes, Route route) {
        if (changes.size() == 1) return encode(id, changes.get(0), route);
        throw new UnsupportedOperationException("this format writes one record per row");
    }

    /**
     * The record {@link #encode} made with another id, with {@code id} instead: byte for byte what
     * encoding it with {@code id} gives. INIT records are encoded on the readers' threads before
     * their id is known; the dispatcher sets it with this.
     */
    byte[] withId(long id, byte[] encoded);

    /**
     * The encoder of the records going to {@code topic}: this one, or where a job writes topics of
     * several formats (target.topics entries naming their own), that topic's format's. DDL records
     * are encoded with it: they go to their table's topic or the DDL topic, whatever the route.
     */
    default RecordEncoder forTopic(String topic) {
        return this;
    }

    /**
     * The encoder of a table's DDL record going to the table's own topic: {@link #forTopic}, or where
     * a job writes several formats, that of the table's route ({@code format}), which {@code topic}
     * holds from then on (a table created or renamed into a topic no row was written to yet).
     *
     * @param format     the table's route's format ({@link io.sluice.core.route.Router#formatOf})
     * @param objectName the table's target name, for the error when {@code topic} already holds another format
     */
    default RecordEncoder forTable(String topic, io.sluice.core.config.JobConfig.Format format, String objectName) {
        return forTopic(topic);
    }

    /** {@link #withId} of a record of {@code route} (an encoder writing several formats picks the route's). */
    default byte[] withId(long id, byte[] encoded, Route route) {
        return withId(id, encoded);
    }

    /**
     * {@link #withId(long, byte[], Route)} for a caller that gives {@code encoded} up: the result may
     * be {@code encoded} itself with its id overwritten (the formats do when both ids take as many bytes),
     * so nothing else may read {@code encoded} afterwards. The dispatcher's INIT records: each is
     * written once, and the producer copies it into its batch during the send.
     */
    default byte[] withIdInPlace(long id, byte[] encoded, Route route) {
        return withId(id, encoded, route);
    }
}
