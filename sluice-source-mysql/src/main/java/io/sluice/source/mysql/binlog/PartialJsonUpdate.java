package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

/**
 * A PARTIAL_UPDATE_ROWS event (MySQL 8.0.3+ with binlog_row_value_options=PARTIAL_JSON, set globally or
 * by a session): an UPDATE whose after image holds, for JSON columns changed by JSON_SET, JSON_REPLACE or
 * JSON_REMOVE, only the changed paths. The binlog client has no deserializer for it (it would pass the
 * event as empty: the update lost in silence); this one reads only which table it changes, so the
 * reader can refuse it for a selected table.
 */
record PartialJsonUpdate(long tableId) implements EventData {

    static final class Deserializer implements EventDataDeserializer<PartialJsonUpdate> {
        @Override
        public PartialJsonUpdate deserialize(ByteArrayInputStream in) throws IOException {
            return new PartialJsonUpdate(in.readLong(6)); // the rest of the event is skipped with its block
        }
    }
}
