import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.BufferedSocketInputStream;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.schema.Dialect;
import io.sluice.source.mysql.schema.SchemaHistory;
import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.ValueConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The binlog thread's work per row change, single-threaded and without a server: a binlog recorded
 * from MySQL 5.7 (BinlogRecord.java: the mixed workload's transactions of 5 INSERT, 3 UPDATE, 2
 * DELETE on the 16-column table, each statement TABLE_MAP + rows, GTID + BEGIN + XID around them,
 * CRC32 checksums) is framed as the server's replication packets and read as BinaryLogClient reads
 * its socket: the same two stream layers (the client's ByteArrayInputStream over its
 * BufferedSocketInputStream), the same packet loop, Sluice's event deserializer
 * (BinlogEventDeserializers.create), the client's unwrapping for listeners; then BinlogReader's
 * handling up to the RowChange handed to the dispatcher (schema history for DDL, table ids,
 * ValueConverter per cell, the SourcePosition). Two paths: "read + deserialize" stops at the
 * client's events, "+ Sluice handling" goes on to the RowChanges. Figures: the thread's CPU ns and
 * bytes allocated per row change (10 per transaction; 2.3 binlog events per row change).
 * Usage: BinlogBench <recording.binlog.gz> [seconds per path]
 */
public final class BinlogBench {

    static final int MAX_PACKET = 0xFFFFFF;

    public static void main(String[] args) throws Exception {
        byte[] file;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(args[0])))) {
            file = in.readAllBytes();
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // events after the 4-byte magic; the setup (ROTATE, FORMAT_DESCRIPTION, CREATE TABLE, the initial
        // INSERT) ends at the first XID, the measured part is the mixed transactions after it
        List<byte[]> setup = new ArrayList<>(), steady = new ArrayList<>();
        boolean inSetup = true;
        for (int p = 4; p < file.length; ) {
            int length = le(file, p + 9);
            byte[] e = java.util.Arrays.copyOfRange(file, p, p + length);
            (inSetup ? setup : steady).add(e);
            if (inSetup && (e[4] & 0xFF) == 16) inSetup = false; // XID
            p += length;
        }
        byte[] setupPackets = packets(setup), steadyPackets = packets(steady);

        Reader reader = new Reader();
        reader.replay(setupPackets, true);
        reader.rows = 0;
        reader.replay(steadyPackets, true);
        long rowsPerPass = reader.rows;
        System.out.printf("recording: %d setup and %d measured events, %d row changes per pass, %d bytes of packets%n",
                setup.size(), steady.size(), rowsPerPass, steadyPackets.length);

        System.out.printf("%-44s %14s %16s%n", "path", "CPU ns/change", "bytes/change");
        for (int w = 0; w < 2; w++) { // warm-up for the JIT
            measure(reader, steadyPackets, rowsPerPass, false, Math.max(1, seconds / 2));
            measure(reader, steadyPackets, rowsPerPass, true, Math.max(1, seconds / 2));
        }
        report("read + deserialize (client events)", measure(reader, steadyPackets, rowsPerPass, false, seconds));
        report("+ Sluice handling (RowChange, Values)", measure(reader, steadyPackets, rowsPerPass, true, seconds));
    }

    /** The events as the server sends them: 3-byte length, sequence, OK marker 0x00, the event. */
    static byte[] packets(List<byte[]> events) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int seq = 1;
        for (byte[] e : events) {
            int length = e.length + 1;
            if (length >= MAX_PACKET) throw new IllegalStateException("no events of 16 MB in this recording");
            out.write(length & 0xFF);
            out.write(length >>> 8 & 0xFF);
            out.write(length >>> 16 & 0xFF);
            out.write(seq++ & 0xFF);
            out.write(0);
            out.write(e, 0, e.length);
        }
        return out.toByteArray();
    }

    /** BinaryLogClient's packet loop and BinlogReader's handling of what it hands over. */
    static final class Reader {
        final OldTemporalColumns oldTemporals = new OldTemporalColumns();
        final EventDeserializer deserializer = deserializer(oldTemporals);
        final SchemaHistory history = new SchemaHistory(Dialect.MYSQL57, new SchemaHistory.Server() {
            @Override public String databaseCharset(String database) { return "utf8mb4"; }
            @Override public SchemaHistory.Reload reload(TableId id, BinlogOffset end) { return SchemaHistory.Reload.unsafe("no server"); }
        });
        final Map<Long, TableSchema> tables = new HashMap<>();
        String file = "mysql-bin.000001", gtid = "";
        long txStart, rows, sink;

        Reader() {
            history.putDatabase("sluice_binlogbench_rec", "utf8mb4");
        }

        /** The "socket" of each recording part, wrapped once as PacketChannel wraps its socket (a 512 KB buffer per connection). */
        final Map<byte[], java.io.ByteArrayInputStream> sockets = new java.util.IdentityHashMap<>();
        final Map<byte[], ByteArrayInputStream> channels = new java.util.IdentityHashMap<>();

        void replay(byte[] packets, boolean handle) throws IOException {
            java.io.ByteArrayInputStream socket = sockets.computeIfAbsent(packets, java.io.ByteArrayInputStream::new);
            socket.reset(); // from the start again; the wrappers below are at the end of the previous pass
            ByteArrayInputStream in = channels.computeIfAbsent(packets, p -> new ByteArrayInputStream(new BufferedSocketInputStream(socket)));
            // as BinaryLogClient.listenForEventPackets reads it
            while (in.peek() != -1) {
                int packetLength = in.readInteger(3);
                in.skip(1);
                int marker = in.read();
                if (marker != 0) throw new IOException("marker " + marker);
                Event event = deserializer.nextEvent(in);
                if (event.getData() instanceof EventDeserializer.EventDataWrapper w) event = new Event(event.getHeader(), w.getExternal());
                if (handle) handle(event);
                else sink += event.getHeader().getEventType().ordinal();
            }
        }

        void handle(Event event) {
            EventHeaderV4 header = event.getHeader();
            switch (header.getEventType()) {
                case ROTATE -> file = ((com.github.shyiko.mysql.binlog.event.RotateEventData) event.getData()).getBinlogFilename();
                case GTID -> { txStart = header.getPosition(); gtid = ((GtidEventData) event.getData()).getGtid(); }
                case QUERY -> {
                    QueryEventData q = event.getData();
                    if (SchemaHistory.changesSchema(q.getSql())) {
                        history.apply(q.getDatabase(), q.getSql(), new BinlogOffset(file, header.getNextPosition(), ""), id -> true);
                    }
                }
                case TABLE_MAP -> {
                    TableMapEventData t = event.getData();
                    TableSchema schema = history.get(new TableId(t.getDatabase(), t.getTable()));
                    tables.put(t.getTableId(), schema);
                    oldTemporals.onTableMap(t, schema);
                }
                case WRITE_ROWS, EXT_WRITE_ROWS -> {
                    WriteRowsEventData d = event.getData();
                    TableSchema table = tables.get(d.getTableId());
                    SourcePosition pos = position(header);
                    for (Serializable[] row : d.getRows()) emit(new RowChange(table, Operation.INSERT, null, values(table, row), pos));
                }
                case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                    UpdateRowsEventData d = event.getData();
                    TableSchema table = tables.get(d.getTableId());
                    SourcePosition pos = position(header);
                    for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
                        emit(new RowChange(table, Operation.UPDATE, values(table, row.getKey()), values(table, row.getValue()), pos));
                    }
                }
                case DELETE_ROWS, EXT_DELETE_ROWS -> {
                    DeleteRowsEventData d = event.getData();
                    TableSchema table = tables.get(d.getTableId());
                    SourcePosition pos = position(header);
                    for (Serializable[] row : d.getRows()) emit(new RowChange(table, Operation.DELETE, values(table, row), null, pos));
                }
                case XID -> gtid = "";
                default -> { }
            }
        }

        SourcePosition position(EventHeaderV4 header) {
            return new SourcePosition(file, header.getNextPosition(), txStart, gtid, header.getTimestamp() / 1000);
        }

        void emit(RowChange change) {
            rows++;
            sink += change.operation().ordinal();
        }

        static Value[] values(TableSchema table, Serializable[] row) {
            List<Column> columns = table.columns();
            Value[] values = new Value[row.length];
            for (int i = 0; i < row.length; i++) values[i] = ValueConverter.convert(columns.get(i), row[i]);
            return values;
        }
    }

    /** Sluice's event deserializer (package-private in the reader's package). */
    static EventDeserializer deserializer(OldTemporalColumns oldTemporals) {
        try {
            var create = Class.forName("io.sluice.source.mysql.binlog.BinlogEventDeserializers")
                    .getDeclaredMethod("create", OldTemporalColumns.class);
            create.setAccessible(true);
            return (EventDeserializer) create.invoke(null, oldTemporals);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {CPU ns, bytes allocated} per row change over at least {@code seconds} of wall time (the thread's CPU time). */
    static double[] measure(Reader reader, byte[] packets, long rowsPerPass, boolean handle, int seconds) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long changes = 0, end = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu0 = threads.getCurrentThreadCpuTime(), a0 = threads.getThreadAllocatedBytes(tid);
        do {
            reader.replay(packets, handle);
            changes += rowsPerPass;
        } while (System.nanoTime() < end);
        return new double[]{(threads.getCurrentThreadCpuTime() - cpu0) / (double) changes,
                (threads.getThreadAllocatedBytes(tid) - a0) / (double) changes};
    }

    static void report(String what, double[] m) {
        System.out.printf("%-44s %14.0f %16.0f%n", what, m[0], m[1]);
    }

    static int le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
