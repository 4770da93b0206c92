package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

/**
 * EXECUTE_LOAD_QUERY (a LOAD DATA logged as a statement): a Query event with 13 more post-header
 * bytes (file id, start and end of the file name in the text, duplicate handling). Read as a
 * {@link QueryEventData} so the reader treats it like any statement-logged change.
 */
final class ExecuteLoadQueryDeserializer implements EventDataDeserializer<QueryEventData> {

    @Override
    public QueryEventData deserialize(ByteArrayInputStream in) throws IOException {
        QueryEventData q = new QueryEventData();
        q.setThreadId(in.readLong(4));
        q.setExecutionTime(in.readLong(4));
        in.skip(1); // database name length: the name is zero-terminated
        q.setErrorCode(in.readInteger(2));
        int statusVarsLength = in.readInteger(2);
        in.skip(4 + 4 + 4 + 1);
        in.skip(statusVarsLength);
        q.setDatabase(in.readZeroTerminatedString());
        q.setSql(in.readString(in.available()));
        return q;
    }
}
