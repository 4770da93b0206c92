package io.sluice.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The source-side limit: the binlog read as a replica and every row event deserialized by the
 * binlog client Sluice uses (io.debezium:mysql-binlog-connector-java, same version), rows only
 * counted, nothing converted, encoded or sent. Times each table's rows (one table per workload).
 */
final class BinlogLimit {

    /** Per table: rows and the wall clock (epoch ms) of its first and last row event. */
    static final class Seg {
        long rows, firstMs, lastMs;
    }

    static Map<String, Seg> read(int port, String file, long position, long expectedRows, List<String> tables,
                                 long timeoutSeconds) throws Exception {
        // the client logs every connect at INFO through java.util.logging: keep the harness's output to its own lines
        java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog").setLevel(java.util.logging.Level.WARNING);
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, "sluice", "sluice");
        client.setServerId(6403);
        client.setBinlogFilename(file);
        client.setBinlogPosition(position);
        client.setKeepAlive(false);
        client.setSSLMode(com.github.shyiko.mysql.binlog.network.SSLMode.DISABLED);
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
            if (total[0] >= expectedRows) done.countDown();
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
