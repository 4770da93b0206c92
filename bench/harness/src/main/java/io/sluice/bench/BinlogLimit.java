package io.sluice.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The source-side limit: the binlog read as a replica and every row event deserialized by the
 * binlog client Sluice uses (io.debezium:mysql-binlog-connector-java, same version), rows only
 * counted, nothing converted, encoded or sent (or, for the floor, no row deserialized at all).
 * Times each table's rows (one table per workload).
 */
final class BinlogLimit {

    /**
     * Per table: rows and the wall clock (epoch ms) of its first and last row event; and the CPU ns
     * the client's reading thread had used when the last expected row arrived (the same for every table).
     */
    static final class Seg {
        long rows, firstMs, lastMs, readerCpuNs;
    }

    /** A rows event read as bytes only: its table id, nothing decoded (each counts as one row). */
    static final class SkippedRows implements EventData {
        long tableId;
    }

    private static final class SkippingRowsDeserializer implements EventDataDeserializer<SkippedRows> {
        private byte[] rest = new byte[8192];

        @Override
        public SkippedRows deserialize(ByteArrayInputStream in) throws java.io.IOException {
            SkippedRows d = new SkippedRows();
            d.tableId = in.readLong(6);
            int n = in.available(); // the rest of the event's body (the stream is limited to it)
            if (n > rest.length) rest = new byte[Math.max(n, 2 * rest.length)];
            in.fill(rest, 0, n);
            return d;
        }
    }

    static Map<String, Seg> read(int port, String file, long position, long expectedRows, List<String> tables,
                                 long timeoutSeconds) throws Exception {
        return read(port, file, position, expectedRows, tables, timeoutSeconds, false);
    }

    /**
     * With {@code rowsSkipped} no row is decoded (the client reads each rows event's bytes in bulk and
     * keeps its table id): the least a binlog reader must do, for workloads of single-row statements.
     */
    static Map<String, Seg> read(int port, String file, long position, long expectedRows, List<String> tables,
                                 long timeoutSeconds, boolean rowsSkipped) throws Exception {
        // the client logs every connect at INFO through java.util.logging: keep the harness's output to its own lines
        java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog").setLevel(java.util.logging.Level.WARNING);
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, "sluice", "sluice");
        client.setServerId(6403);
        client.setBinlogFilename(file);
        client.setBinlogPosition(position);
        client.setKeepAlive(false);
        client.setSSLMode(com.github.shyiko.mysql.binlog.network.SSLMode.DISABLED);
        if (rowsSkipped) {
            EventDeserializer ed = new EventDeserializer();
            SkippingRowsDeserializer skip = new SkippingRowsDeserializer();
            for (EventType t : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS,
                    EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
                ed.setEventDataDeserializer(t, skip);
            }
            client.setEventDeserializer(ed);
        }
        Map<Long, String> tableById = new HashMap<>();
        Map<String, Seg> segs = new HashMap<>();
        for (String t : tables) segs.put(t, new Seg());
        CountDownLatch done = new CountDownLatch(1);
        long[] total = {0};
        client.registerEventListener((Event e) -> {
            EventData d = e.getData();
            long tableId;
            int rows;
            if (d instanceof TableMapEventData tm) {
                tableById.put(tm.getTableId(), tm.getTable());
                return;
            } else if (d instanceof WriteRowsEventData w) {
                tableId = w.getTableId(); rows = w.getRows().size();
            } else if (d instanceof UpdateRowsEventData u) {
                tableId = u.getTableId(); rows = u.getRows().size();
            } else if (d instanceof DeleteRowsEventData x) {
                tableId = x.getTableId(); rows = x.getRows().size();
            } else if (d instanceof SkippedRows x) {
                tableId = x.tableId; rows = 1;
            } else {
                return;
            }
            Seg s = segs.get(tableById.get(tableId));
            if (s == null) return;
            long now = System.currentTimeMillis();
            if (s.rows == 0) s.firstMs = now;
            s.rows += rows;
            s.lastMs = now;
            total[0] += rows;
            if (total[0] >= expectedRows && done.getCount() > 0) {
                long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                segs.values().forEach(x -> x.readerCpuNs = cpu);
                done.countDown();
            }
        });
        client.connect(30_000);
        try {
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("binlog limit: read " + total[0] + " of " + expectedRows + " rows in " + timeoutSeconds + " s");
            }
        } finally {
            client.disconnect();
        }
        return segs;
    }
}
