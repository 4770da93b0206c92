package io.sluice.source.mysql.binlog;

import io.sluice.source.mysql.value.OldTemporalColumns;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.*;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The binlog client's event deserializer with Sluice's row deserializers. The client keeps the
 * table-map cache private, so the full registration is rebuilt here around a shared cache.
 */
final class BinlogEventDeserializers {

    private BinlogEventDeserializers() {}

    static EventDeserializer create(OldTemporalColumns oldTemporals) {
        return create(oldTemporals, new java.util.HashMap<>());
    }

    /** With the given table-map cache (a test counts the rows deserializers' look-ups in it). */
    static EventDeserializer create(OldTemporalColumns oldTemporals, Map<Long, TableMapEventData> tableMaps) {
        // The events inside a compressed transaction, read with the same deserializers and table maps.
        LenientTableMapDeserializer innerTableMaps = new LenientTableMapDeserializer();
        EventDeserializer inner = create(tableMaps, registrations(tableMaps, oldTemporals, innerTableMaps), oldTemporals, innerTableMaps);
        LenientTableMapDeserializer outerTableMaps = new LenientTableMapDeserializer();
        Map<EventType, EventDataDeserializer> d = registrations(tableMaps, oldTemporals, outerTableMaps);
        d.put(EventType.TRANSACTION_PAYLOAD, new SluiceTransactionPayloadDeserializer(inner));
        return create(tableMaps, d, oldTemporals, outerTableMaps);
    }

    private static Map<EventType, EventDataDeserializer> registrations(Map<Long, TableMapEventData> tableMaps,
                                                                     OldTemporalColumns oldTemporals,
                                                                     LenientTableMapDeserializer tableMapReader) {
        Map<EventType, EventDataDeserializer> d = new IdentityHashMap<>();
        d.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
        d.put(EventType.ROTATE, new RotateEventDataDeserializer());
        d.put(EventType.QUERY, new QueryEventDataDeserializer());
        d.put(EventType.EXECUTE_LOAD_QUERY, new ExecuteLoadQueryDeserializer());
        // registered for the client's bookkeeping; WholeEventDeserializer calls it directly (no copy of the event)
        d.put(EventType.TABLE_MAP, tableMapReader.registration());
        d.put(EventType.XID, new XidEventDataDeserializer());
        d.put(EventType.WRITE_ROWS, new SluiceWriteRowsDeserializer(tableMaps, oldTemporals));
        d.put(EventType.UPDATE_ROWS, new SluiceUpdateRowsDeserializer(tableMaps, oldTemporals));
        d.put(EventType.DELETE_ROWS, new SluiceDeleteRowsDeserializer(tableMaps, oldTemporals));
        d.put(EventType.EXT_WRITE_ROWS, new SluiceWriteRowsDeserializer(tableMaps, oldTemporals).setMayContainExtraInformation(true));
        d.put(EventType.EXT_UPDATE_ROWS, new SluiceUpdateRowsDeserializer(tableMaps, oldTemporals).setMayContainExtraInformation(true));
        d.put(EventType.EXT_DELETE_ROWS, new SluiceDeleteRowsDeserializer(tableMaps, oldTemporals).setMayContainExtraInformation(true));
        d.put(EventType.PARTIAL_UPDATE_ROWS_EVENT, new PartialJsonUpdate.Deserializer());
        d.put(EventType.GTID, new GtidEventDataDeserializer());
        d.put(EventType.PREVIOUS_GTIDS, new PreviousGtidSetDeserializer());
        d.put(EventType.XA_PREPARE, new XAPrepareEventDataDeserializer());
        d.put(EventType.MARIADB_GTID, new MariaDbGtid.Deserializer()); // with the two-phase ALTER flags
        d.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
        d.put(EventType.BINLOG_CHECKPOINT, new BinlogCheckpointEventDataDeserializer());
        return d;
    }

    private static EventDeserializer create(Map<Long, TableMapEventData> tableMaps, Map<EventType, EventDataDeserializer> d,
                                            OldTemporalColumns oldTemporals, LenientTableMapDeserializer tableMapReader) {
        EventDeserializer deserializer = new WholeEventDeserializer(d, tableMaps, oldTemporals, tableMapReader);
        // CHAR/VARCHAR as raw bytes: the binlog has no charset, the catalogue says how to read them.
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return deserializer;
    }
}
