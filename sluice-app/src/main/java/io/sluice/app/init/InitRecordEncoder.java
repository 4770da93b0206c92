package io.sluice.app.init;

import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import io.sluice.core.route.Router;
import io.sluice.format.dts.DtsAvroEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a chunk's rows as INIT records on the reader's thread, with id 0: the dispatcher only
 * sets each record's id ({@link io.sluice.format.dts.DtsRecordIds#withId}) as it writes them, so
 * encoding, the costly part, runs on as many threads as there are readers. One per reader (the
 * encoder reuses its buffers).
 */
public final class InitRecordEncoder {

    private final Router router;
    private final DtsAvroEncoder encoder;

    public InitRecordEncoder(Router router, DtsAvroEncoder encoder) {
        this.router = router;
        this.encoder = encoder;
    }

    public List<byte[]> encode(TableSchema schema, List<Value[]> rows, SourcePosition at) {
        Route route = router.route(schema);
        List<byte[]> records = new ArrayList<>(rows.size());
        for (Value[] row : rows) records.add(encoder.encode(0, new RowChange(schema, Operation.INIT, null, row, at), route));
        return records;
    }
}
