package io.sluice.source.mysql.binlog;

import io.sluice.source.mysql.value.OldTemporalColumns;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.EventDataWrapper;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads TABLE_MAP events, tolerating optional column metadata the client cannot parse (early MySQL
 * 8.0 releases write a signedness list it miscounts). The mandatory part is all row decoding needs,
 * so on such a failure the event is read again without the optional tail. Otherwise the optional
 * metadata is kept: with binlog_row_metadata=FULL it names the columns for {@link ColumnMetadataCheck}.
 *
 * <p>{@link WholeEventDeserializer} calls it directly with the event's {@link EventByteStream}, where a
 * repeat is compared in place. It is also registered inside the client's {@link EventDataWrapper.Deserializer}
 * (a TABLE_MAP deserializer of another class would otherwise be wrapped around the client's strict one,
 * which fails first), which hands it a copy of the bytes.
 */
final class LenientTableMapDeserializer implements EventDataDeserializer<TableMapEventData> {

    private static final Logger log = LoggerFactory.getLogger(LenientTableMapDeserializer.class);
    private final TableMapEventDataDeserializer delegate = new TableMapEventDataDeserializer();
    private boolean warned;

    private TableMapEventData last;
    private long repeatsInPlace;
    /**
     * The last event parsed under each table id (its first 6 bytes), with its bytes: a table's
     * TABLE_MAP precedes every rows event and repeats byte for byte until the table changes, so a
     * byte-equal event gets the same (never modified) result instead of a new parse.
     */
    private final Map<Long, Parsed> parsed = new HashMap<>();
    private static final int MAX_PARSED = 4096;

    private record Parsed(byte[] event, TableMapEventData data) {}

    /** The entry of the last repeat (a statement's table maps mostly repeat one table): no boxed id, no hash look-up. */
    private long lastId;
    private Parsed lastParsed;

    /** Internal and external deserializers of the wrapper; the external one hands listeners the same result. */
    EventDataWrapper.Deserializer registration() {
        return new EventDataWrapper.Deserializer(this, in -> last);
    }

    @Override
    public TableMapEventData deserialize(ByteArrayInputStream in) throws IOException {
        if (in instanceof EventByteStream bytes && in.available() >= 6) { // the repeat is compared in place, not copied first
            long id = bytes.peekLong(6);
            Parsed p = lastParsed != null && lastId == id ? lastParsed : parsed.get(id);
            if (p != null && in.available() == p.event.length && bytes.remainingEquals(p.event)) {
                in.skip(p.event.length);
                repeatsInPlace++;
                lastId = id;
                lastParsed = p;
                return last = p.data;
            }
        }
        byte[] event = in.read(in.available());
        long key = event.length >= 6 ? tableIdBytes(event) : -1;
        Parsed p = parsed.get(key);
        if (p == null || !Arrays.equals(p.event, event)) {
            last = parse(event);
            if (!reusable(last)) return last;
            if (parsed.size() >= MAX_PARSED) parsed.clear();
            parsed.put(key, p = new Parsed(event, last));
        }
        lastId = key; // always the map's entry for lastId
        lastParsed = p;
        return last = p.data;
    }

    /** Repeats recognised in the event's own array, without a copy (a test checks the path runs). */
    long repeatsInPlace() {
        return repeatsInPlace;
    }

    private static long tableIdBytes(byte[] e) {
        long id = 0;
        for (int i = 5; i >= 0; i--) id = (id << 8) | (e[i] & 0xFF);
        return id;
    }

    /**
     * Not events with pre-5.6 TIMESTAMP/TIME/DATETIME columns: {@link OldTemporalColumns} writes
     * their fractional digits into the column metadata from the schema history, which can change
     * while the event stays the same.
     */
    private static boolean reusable(TableMapEventData data) {
        for (byte type : data.getColumnTypes()) {
            int t = type & 0xFF;
            if (t == 7 || t == 11 || t == 12) return false;
        }
        return true;
    }

    private TableMapEventData parse(byte[] event) throws IOException {
        try {
            return delegate.deserialize(new ByteArrayInputStream(event));
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("ignoring unreadable optional column metadata in TABLE_MAP events ({}); such events are not "
                        + "cross-checked with the schema history", e.toString());
            }
            return delegate.deserialize(new ByteArrayInputStream(Arrays.copyOf(event, mandatoryLength(event))));
        }
    }

    /** Length of the TABLE_MAP body up to and including the null bitmap (MySQL's Table_map_log_event layout). */
    static int mandatoryLength(byte[] e) {
        int pos = 6 + 2; // table id, flags
        pos += 1 + (e[pos] & 0xFF) + 1; // database name length, name, NUL
        pos += 1 + (e[pos] & 0xFF) + 1; // table name length, name, NUL
        long columns = packedInt(e, pos);
        pos += packedIntSize(e[pos]);
        pos += (int) columns; // column types
        long metadata = packedInt(e, pos);
        pos += packedIntSize(e[pos]) + (int) metadata;
        return pos + (int) ((columns + 7) / 8);
    }

    private static int packedIntSize(byte first) {
        int b = first & 0xFF;
        return b < 251 ? 1 : b == 252 ? 3 : b == 253 ? 4 : 9;
    }

    private static long packedInt(byte[] e, int pos) {
        int b = e[pos] & 0xFF;
        int size = packedIntSize(e[pos]) - 1;
        if (size == 0) return b;
        long v = 0;
        for (int i = 0; i < size; i++) v |= (long) (e[pos + 1 + i] & 0xFF) << (8 * i);
        return v;
    }
}
