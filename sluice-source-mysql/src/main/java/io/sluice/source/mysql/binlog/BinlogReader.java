package io.sluice.source.mysql.binlog;

import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.schema.SchemaHistory;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.ValueConverter;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import io.sluice.core.model.BinlogFileStamp;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.DdlChange;
import io.sluice.core.model.Operation;
import io.sluice.core.model.PreparedXa;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.source.ChangeHandler;
import io.sluice.source.mysql.schema.DatabaseStatement;
import io.sluice.source.mysql.schema.LoggedStatement;
import io.sluice.source.mysql.tls.SourceTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Reads the binlog as a replica and hands each selected row change, then each commit, to a
 * {@link ChangeHandler}, in binlog order. Runs on the binlog client's own thread.
 */
public final class BinlogReader {

    private static final Logger log = LoggerFactory.getLogger(BinlogReader.class);
    public static final long HEARTBEAT_MS = 2_000;

    private final JobConfig.Source config;
    private final Predicate<TableId> selected;
    private final SchemaCache schemas;
    private final ChangeHandler handler;
    private final RegisteringBinlogClient client;
    private final SourceTls tls;
    private final Map<Long, TableId> tablesById = new HashMap<>();
    /**
     * The last TABLE_MAP handled (no other since), checked against {@link #checkedSchema}. The binlog
     * deserializer hands a byte-equal repeat as the same instance ({@code LenientTableMapDeserializer}),
     * which MySQL writes before every rows event: with the history's definition still that instance,
     * the metadata cross-check and the nullability update would find nothing (both depend on the event
     * and the definition only, and the first pass already applied any nullability change), so they,
     * the {@code TableId} and the table-id registration are skipped.
     */
    private TableMapEventData checkedMap;
    private TableId checkedId;
    private TableSchema checkedSchema;
    /** The schema history's {@link SchemaCache#revision()} when {@link #checkedSchema} was read. */
    private Object checkedRevision;
    /** See {@link #mapped}. */
    private long mappedTableId = -1;
    private TableSchema mappedSchema;
    private Object mappedRevision;
    private final OldTemporalColumns oldTemporals = new OldTemporalColumns();
    private final ColumnMetadataCheck metadataCheck;
    /** The source is MySQL 5.7: see {@link ValueConverter#convert(io.sluice.core.model.Column, Serializable, boolean)}. */
    private final boolean integralJsonDoublesAsIntegers;
    private volatile java.util.function.Consumer<String> schemaMismatchWarnings = why -> { };
    private final boolean gtidMode;
    private volatile Throwable failure;
    /** Databases whose CREATE/DROP become DDL records; null: no DDL records at all. */
    private volatile Predicate<String> ddlDatabases;
    private volatile boolean stopping;
    private volatile long lastEventMs = System.currentTimeMillis();
    /** Source time (epoch ms, second resolution) of the last event read, of any table. */
    private volatile long lastEventTimestampMs;
    /** An event is being handed to the handler (which blocks while the pipeline is full). */
    private volatile boolean handing;
    /** GTIDs of every transaction up to the last commit (empty when GTIDs are off). */
    private ExecutedGtids executed;

    /**
     * Creation time (epoch seconds: its FORMAT_DESCRIPTION's header time) of the last binlog files read, by name:
     * checkpoints name the file they are in, and lag the reader by the bounded queue only.
     */
    private final Map<String, Long> fileCreated = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) { return size() > 8; }
    });
    /** The checkpoint's file and its creation time on {@link #serverIdentity}'s binlog, checked when read; null: nothing to check. */
    private BinlogOffset expectedFrom;
    private long expectedCreated;
    private final String serverIdentity;

    private String file;
    private long txStart;
    private String gtid = "";
    private boolean inTransaction;
    /** A BEGIN or XA START opened the current group: statements inside it do not end it. */
    private boolean explicitTransaction;
    /** Rows of the current XA group (held until its XA COMMIT), or null outside one. */
    private List<RowChange> xaRows;
    /** The GTID set before the current XA group ("" when unknown or GTIDs are off). */
    private String xaGtidSetBefore = "";
    private XaBranches xa = new XaBranches(List.of());
    /**
     * Resuming by position with XA branches prepared before the checkpoint: until this offset (the
     * checkpoint) only those branches' prepare groups are read; everything else was written already.
     */
    private BinlogOffset replayUntil;
    private final Set<TableId> statementDmlWarned = new HashSet<>();
    private static final TableId UNREADABLE = new TableId("", "");
    private volatile Notices notices = new Notices() { };
    /** The job's memory of events that failed to read once (shared by its sessions' readers, not with other jobs). */
    private final FailedEvents failedEvents;
    /** Where a server-generated event failed its checksum in a row (earlier sessions), until this session reads past it; else null. */
    private FailedEvents.GeneratedFailure generatedFailure;

    /** Things the job passes with a warning, for its counters. */
    public interface Notices {
        /** A statement-logged change of no selected table (its first table, or null), once per statement. */
        default void statementDmlSkipped(TableId table) { }

        /** A TRUNCATE of a selected table passed with {@code source.onTruncate: warn}. */
        default void truncated(TableId table) { }

        /** A table renamed into the selection (not a schema change tool's cut-over): its existing rows were not written. */
        default void renamedIn(TableId table) { }

        /** A DROP TABLE of a selected table: consumers keep its rows. */
        default void dropped(TableId table) { }
    }

    /**
     * @param failedEvents the job's events that failed to read once: the job keeps one for its life and passes it to
     *                     the reader of each session, so an event failing again after a reconnect stops the job
     */
    public BinlogReader(JobConfig.Source config, ServerInfo server, Predicate<TableId> selected, SchemaCache schemas,
                        ChangeHandler handler, FailedEvents failedEvents) {
        this.config = config;
        this.failedEvents = failedEvents;
        this.generatedFailure = failedEvents.generatedFailure();
        this.gtidMode = server.gtidMode();
        this.serverIdentity = server.identity();
        this.selected = selected;
        this.schemas = schemas;
        this.handler = handler;
        this.metadataCheck = new ColumnMetadataCheck(schemas::charsetOfCollation, server.mariaDb());
        // 5.7 prints a JSON double without a fractional part as an integer; an initialization reads that text
        this.integralJsonDoublesAsIntegers = !server.mariaDb() && server.version().startsWith("5.");
        this.client = new RegisteringBinlogClient(config.host, config.port, config.user, config.password);
        this.tls = SourceTls.of(config);
        client.setServerId(config.serverId);
        client.setSocketFactory(new OldServerGreetingSocketFactory()); // MySQL 5.5.9's short greeting
        client.setEventDeserializer(BinlogEventDeserializers.create(oldTemporals));
        // The job, not the client, reconnects: always from its last checkpoint, so a reconnect can
        // neither skip nor repeat part of a transaction. Heartbeats let idleMillis() spot a dead link.
        client.setKeepAlive(false);
        client.setHeartbeatInterval(HEARTBEAT_MS);
        client.setConnectTimeout(config.connectTimeoutSeconds * 1000L);
        tls.configure(client);
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override public void onCommunicationFailure(BinaryLogClient c, Exception ex) { fail(translate(ex)); }
            @Override public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                fail(unreadable(ex));
            }
            @Override public void onDisconnect(BinaryLogClient c) {
                if (!stopping) fail(new TransientException("lost the binlog connection to " + config.host + ":" + config.port,
                        "none needed: Sluice reconnects and resumes from its last checkpoint", null));
            }
        });
    }

    /**
     * Connects and starts streaming at {@code from} on the client's thread; returns once connected.
     * With GTIDs on and a GTID set in {@code from}, the server is asked for every transaction not in
     * the set (which also works after a failover to another server of the replication group).
     */
    public void start(BinlogOffset from) {
        start(from, List.of());
    }

    /**
     * {@link #start(BinlogOffset)} with the XA branches the checkpoint lists as prepared and not
     * yet resolved. Resuming by a MySQL GTID set, the server sends their prepare groups again by
     * itself (their GTIDs are not in the set); resuming by position (GTIDs off, MariaDB), reading
     * starts at the oldest prepare group and, up to {@code from}, keeps only those branches' rows.
     */
    public void start(BinlogOffset from, List<PreparedXa> prepared) {
        xa = new XaBranches(prepared == null ? List.of() : prepared);
        BinlogOffset readFrom = from;
        boolean byMySqlGtidSet = gtidMode && from.gtidSet() != null && !from.gtidSet().isEmpty()
                && !MariadbGtidSet.isMariaGtidSet(from.gtidSet());
        if (!xa.isEmpty() && !byMySqlGtidSet) {
            readFrom = xa.list().get(0).start();
            replayUntil = from;
            log.info("re-reading the prepare groups of {} unresolved XA branch(es) from {} up to the checkpoint {}",
                    xa.list().size(), readFrom, from);
        }
        file = readFrom.file();
        client.setBinlogFilename(readFrom.file());
        client.setBinlogPosition(readFrom.position());
        if (gtidMode && from.gtidSet() != null && !from.gtidSet().isEmpty()) {
            executed = new ExecutedGtids(from.gtidSet());
            if (readFrom == from || !readFrom.gtidSet().isEmpty()) client.setGtidSet(readFrom.gtidSet());
        } else if (gtidMode) {
            executed = null; // unknown: resume by position only
        }
        try {
            client.connect(config.connectTimeoutSeconds * 1000L + 5_000L);
        } catch (IOException | TimeoutException e) {
            throw translate(e);
        }
        log.info("streaming binlog of {}:{} from {}", config.host, config.port, from);
    }

    /**
     * Before {@link #start}: the checkpoint at {@code from} was taken in the file {@code stamp} describes. Reading that
     * file on the stamp's server, a FORMAT_DESCRIPTION of another creation time shows another file of the same name
     * (the binlog reset since): the reader then stops with {@link BinlogFileReplaced} before any event of it is
     * handled. Nothing is checked without a stamp, or when another server is read (a failover by GTID set).
     */
    public void expectFile(BinlogOffset from, BinlogFileStamp stamp) {
        boolean checkable = stamp != null && from != null && serverIdentity.equals(stamp.server());
        expectedFrom = checkable ? from : null;
        expectedCreated = checkable ? stamp.created() : 0;
    }

    /** {@code file} as this reader read it lately (its server and creation time), or null when it did not. */
    public BinlogFileStamp stampOf(String file) {
        Long created = fileCreated.get(file);
        return created == null ? null : new BinlogFileStamp(serverIdentity, created);
    }

    private void onFormatDescription(EventHeaderV4 header) {
        if (file == null || header.getTimestamp() <= 0) return;
        long created = header.getTimestamp() / 1000;
        fileCreated.put(file, created);
        BinlogOffset expected = expectedFrom;
        if (expected != null && file.equals(expected.file())) {
            expectedFrom = null; // the file's first FORMAT_DESCRIPTION in this session is the one to compare
            if (created != expectedCreated) throw new BinlogFileReplaced(expected, expectedCreated, created);
        }
    }

    /** Registers as a replica under this job's name (see {@link io.sluice.source.mysql.ServerIdUsers}); before {@link #start}. */
    public void registerAs(String jobName) {
        client.registerAs(jobName);
    }

    public void stop() {
        stopping = true;
        try {
            client.disconnect();
        } catch (IOException e) {
            log.debug("disconnect", e);
        }
    }

    /** With {@code source.schemaMismatch: warn}, receives each disagreement the job continues after. */
    public void onSchemaMismatchWarning(java.util.function.Consumer<String> listener) {
        schemaMismatchWarnings = listener;
    }

    /** When the source wrote the event read last (epoch ms; 0 before any): the time of a commit while it is handed over. */
    public long sourceTimeMillis() { return lastEventTimestampMs; }

    /** Receives what the job passes with a warning (statement-logged changes of other tables, TRUNCATE). */
    public void onNotices(Notices listener) {
        notices = listener;
    }

    /** Whether the binlog connection is up (and has not failed). */
    public boolean connected() { return client.isConnected() && failure == null && !stopping; }

    /** Why streaming stopped on its own, or null. */
    public Throwable failure() { return failure; }

    /**
     * Milliseconds since the server last sent anything (events or heartbeats); 0 while an event is
     * being handed over (the handler may be waiting for room: backpressure, not a silent source).
     */
    public long idleMillis() { return handing ? 0 : System.currentTimeMillis() - lastEventMs; }

    /** Ends streaming with a transient failure (the job resumes from its checkpoint). */
    public void abandon(String why) {
        fail(new TransientException(why, "none needed: Sluice reconnects and resumes from its last checkpoint", null));
        new Thread(this::stop, "binlog-stop").start();
    }

    /** An event the client could not read (the client skips it: nothing after it is handled once this is the failure). */
    private SluiceException unreadable(Exception ex) {
        String where = config.host + ":" + config.port;
        if (ex instanceof BinlogChecksumMismatch m) return m.failure(where, file, client.getBinlogPosition(), failedEvents);
        log.debug("binlog event not decoded", ex); // the library's stack, for a report; the user gets one line
        return UnreadableBinlogEvent.failure(ex, where, file, client.getBinlogPosition(), failedEvents);
    }

    private void fail(Throwable t) {
        if (failure != null) { // a consequence of the first failure (the disconnect that follows it): not a second error
            log.debug("binlog streaming failed again: {}", t.getMessage());
            return;
        }
        failure = t;
        log.error("binlog streaming failed: {}", t.getMessage());
    }

    private void onEvent(Event event) {
        lastEventMs = System.currentTimeMillis();
        if (event.getHeader().getTimestamp() > 0) lastEventTimestampMs = event.getHeader().getTimestamp(); // 0: heartbeats
        if (failure != null) return; // also: what the client reads after a failed event proves nothing about it
        if (generatedFailure != null) watchGeneratedFailure(event.getHeader());
        handing = true;
        try {
            dispatch(event);
        } catch (ChangeHandler.Closed e) {
            // the handler failed or is being torn down: it reports its own cause; just stop reading
            if (failure == null) failure = e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new SluiceException("binlog streaming interrupted", null));
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            handing = false;
            lastEventMs = System.currentTimeMillis();
        }
        if (failure != null) {
            // Stop reading at once: nothing after a failed event may be delivered.
            new Thread(this::stop, "binlog-stop").start();
        }
    }

    /**
     * A server-generated event failed its checksum at {@link #generatedFailure} in an earlier session:
     * reading past that place (a file event ending after it), or such an event read intact there,
     * shows the failures were transient, and their count in a row starts over.
     */
    private void watchGeneratedFailure(EventHeaderV4 header) {
        FailedEvents.GeneratedFailure at = generatedFailure;
        boolean past = at.passedBy(file, header.getNextPosition(),
                header.getEventType() == com.github.shyiko.mysql.binlog.event.EventType.byEventNumber(at.eventType()), client.getBinlogPosition());
        if (past) {
            failedEvents.generatedReadPast(at);
            generatedFailure = null;
        }
    }

    private void dispatch(Event event) throws InterruptedException {
        EventHeaderV4 header = event.getHeader();
        boolean replaying = replaying(header);
        switch (header.getEventType()) {
            case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
            case FORMAT_DESCRIPTION -> onFormatDescription(header);
            case GTID -> beginTransaction(header, ((GtidEventData) event.getData()).getGtid());
            case MARIADB_GTID -> {
                MariadbGtidEventData g = event.getData();
                beginTransaction(header, g.getDomainId() + "-" + header.getServerId() + "-" + g.getSequence()); // the GTID's server id is the event's
                explicitTransaction = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0; // "BEGIN GTID": no BEGIN event
                alterPhase = g instanceof MariaDbGtid m ? m.alterPhase() : MariaDbGtid.AlterPhase.NONE;
                if ((g.getFlags() & MARIADB_FL_PREPARED_XA) != 0) beginXaGroup(header); // MariaDB has no XA START event
            }
            case QUERY, EXECUTE_LOAD_QUERY -> {
                if (replaying) replayQuery(header, event.getData());
                else onQuery(header, event.getData());
            }
            case TABLE_MAP -> onTableMap(event.getData(), header, replaying);
            case WRITE_ROWS, EXT_WRITE_ROWS -> {
                if (replaying && xaRows == null) return;
                WriteRowsEventData d = event.getData();
                TableSchema table = table(d.getTableId());
                if (table == null) return;
                checkImage(table, d.getIncludedColumns());
                SourcePosition pos = position(header);
                roomFor(d.getRows().size(), header);
                for (Serializable[] row : d.getRows()) {
                    emit(new RowChange(table, Operation.INSERT, null, values(table, row), pos));
                }
            }
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                if (replaying && xaRows == null) return;
                UpdateRowsEventData d = event.getData();
                TableSchema table = table(d.getTableId());
                if (table == null) return;
                checkImage(table, d.getIncludedColumnsBeforeUpdate());
                checkImage(table, d.getIncludedColumns());
                SourcePosition pos = position(header);
                roomFor(d.getRows().size(), header);
                for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
                    Value[] before = values(table, row.getKey());
                    emit(new RowChange(table, Operation.UPDATE, before, afterValues(table, row.getValue(), row.getKey(), before), pos));
                }
            }
            case DELETE_ROWS, EXT_DELETE_ROWS -> {
                if (replaying && xaRows == null) return;
                DeleteRowsEventData d = event.getData();
                TableSchema table = table(d.getTableId());
                if (table == null) return;
                checkImage(table, d.getIncludedColumns());
                SourcePosition pos = position(header);
                roomFor(d.getRows().size(), header);
                for (Serializable[] row : d.getRows()) {
                    emit(new RowChange(table, Operation.DELETE, values(table, row), null, pos));
                }
            }
            case PARTIAL_UPDATE_ROWS_EVENT -> {
                if (replaying && xaRows == null) return;
                TableSchema table = table(((PartialJsonUpdate) event.getData()).tableId());
                if (table != null) throw partialJson(table, header);
            }
            case INCIDENT -> log.warn("the source logged an incident at {}:{} (LOST_EVENTS: changes it could not write to its binlog,"
                    + " e.g. a failed write to a non-transactional table): a replica stops there; those changes are not in the binlog"
                    + " and cannot reach Kafka: compare the selected tables with their topics, or re-initialize the job", file, header.getPosition());
            case HEARTBEAT -> {
                // Sent only when the dump thread has sent everything: the stream is at the binlog end.
                if (!replaying && !inTransaction && file != null && header.getNextPosition() > 0) {
                    handler.onHeartbeat(new BinlogOffset(file, header.getNextPosition(), ""));
                }
            }
            case XID -> {
                if (replaying) endGroup();
                else commit(header, gtid.isEmpty() ? String.valueOf(((XidEventData) event.getData()).getXid()) : gtid);
            }
            case XA_PREPARE -> onXaPrepare(header, event.getData(), replaying);
            case TRANSACTION_PAYLOAD -> dispatchPayload(header, event.getData());
            default -> { }
        }
    }

    /**
     * binlog_transaction_compression: the transaction's events (BEGIN, TABLE_MAP, rows, XID) come
     * decompressed inside one event and have no binlog positions of their own. They take the payload
     * event's: no checkpoint can point inside it, the commit ends at its end, and a split transaction
     * resumes before it (at its GTID event) and skips the rows already written.
     */
    private void dispatchPayload(EventHeaderV4 payload, com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData data)
            throws InterruptedException {
        try {
            StreamedTransactionPayload.Events events = ((StreamedTransactionPayload) data).events();
            for (Event inner = events.next(); inner != null && failure == null; inner = events.next()) {
                EventHeaderV4 h = inner.getHeader();
                h.setEventLength(payload.getEventLength());
                h.setNextPosition(payload.getNextPosition());
                dispatch(inner);
            }
        } catch (IOException e) { // decompressed here, on the way: a damaged payload is an unreadable event
            fail(unreadable(e));
        }
    }

    private void onTableMap(TableMapEventData t, EventHeaderV4 header, boolean replaying) {
        Object revision = schemas.revision();
        if (!replaying && t == checkedMap && selected.test(checkedId)) {
            TableSchema schema = revision == checkedRevision ? checkedSchema : schemas.get(checkedId);
            if (schema == checkedSchema) { // the same checks with the same inputs: nothing to find, nothing to change
                oldTemporals.onTableMap(t, true, schema);
                checkedRevision = revision;
                mapped(t.getTableId(), schema, revision);
                return;
            }
        }
        checkedMap = null;
        TableId id = new TableId(t.getDatabase(), t.getTable());
        tablesById.put(t.getTableId(), id);
        if (!replaying && selected.test(id)) {
            crossCheck(id, t, header);
            nullability(id, t, header);
        }
        boolean selects = selected.test(id);
        revision = schemas.revision(); // after the nullability check, which may have changed the table
        TableSchema schema = selects ? schemas.get(id) : null;
        oldTemporals.onTableMap(t, selects, schema); // rows of a table not selected: not decoded
        if (!replaying && schema != null) {
            checkedMap = t;
            checkedId = id;
            checkedSchema = schema;
            checkedRevision = revision;
        }
        mapped(t.getTableId(), schema, revision);
    }

    /**
     * The last TABLE_MAP's table, resolved: its row events, which follow it in the same group, take
     * that definition while the history's revision is unchanged, without looking it up again.
     */
    private void mapped(long tableId, TableSchema schema, Object revision) {
        mappedTableId = tableId;
        mappedSchema = schema;
        mappedRevision = revision;
    }

    /** Which phase of a MariaDB two-phase ALTER the current group is (set by its GTID event). */
    private MariaDbGtid.AlterPhase alterPhase = MariaDbGtid.AlterPhase.NONE;

    /** MariaDB's Gtid_log_event flag FL_PREPARED_XA: the group ends with XA PREPARE. */
    private static final int MARIADB_FL_PREPARED_XA = 64;

    /** Whether this event is before {@link #replayUntil}; ends the replay at the first event that is not. */
    private boolean replaying(EventHeaderV4 header) {
        if (replayUntil == null || header.getEventType() == com.github.shyiko.mysql.binlog.event.EventType.ROTATE
                || header.getPosition() == 0) {
            return replayUntil != null;
        }
        if (compare(file, header.getPosition(), replayUntil.file(), replayUntil.position()) < 0) return true;
        log.info("re-read the prepare groups of the unresolved XA branches; streaming on from {}", replayUntil);
        replayUntil = null;
        endGroup();
        return false;
    }

    /** Binlog order of two positions (file names of one server share their stem; numbers grow, then widen). */
    static int compare(String fileA, long posA, String fileB, long posB) {
        int byFile = fileA.length() != fileB.length() ? Integer.compare(fileA.length(), fileB.length()) : fileA.compareTo(fileB);
        return byFile != 0 ? byFile : Long.compare(posA, posB);
    }

    private void emit(RowChange change) throws InterruptedException {
        if (xaRows != null) xaRows.add(change);
        else handler.onRow(change);
    }

    private void roomFor(int rows, EventHeaderV4 header) {
        if (xaRows != null) xa.checkRoom(xaRows.size() + rows, file + ":" + header.getPosition());
    }

    private void beginTransaction(EventHeaderV4 header, String id) {
        alterPhase = MariaDbGtid.AlterPhase.NONE;
        txStart = header.getPosition();
        gtid = id;
        inTransaction = true;
        explicitTransaction = false;
        xaRows = null;
    }

    private void beginXaGroup(EventHeaderV4 header) {
        if (!inTransaction) {
            txStart = header.getPosition();
            inTransaction = true;
        }
        explicitTransaction = true;
        xaRows = XaBranches.newGroup();
        xaGtidSetBefore = executed == null ? "" : executed.text();
    }

    /** Leaves a group without a commit (re-read while replaying, or ended by XA PREPARE). */
    private void endGroup() {
        inTransaction = false;
        explicitTransaction = false;
        xaRows = null;
        gtid = "";
    }

    /** While replaying: only the start of XA groups matters (their rows are collected). */
    private void replayQuery(EventHeaderV4 header, QueryEventData q) {
        String sql = q.getSql().trim();
        if (sql.regionMatches(true, 0, "XA START", 0, 8)) beginXaGroup(header);
        else if (sql.equalsIgnoreCase("BEGIN")) explicitTransaction = true;
        else if (!explicitTransaction) endGroup(); // DDL and other groups of one statement
    }

    /**
     * XA_PREPARE ends an XA group. One-phase (XA COMMIT ... ONE PHASE) it is the group's commit;
     * two-phase the branch waits, with its rows, for XA COMMIT or XA ROLLBACK. Its GTID is not in
     * the checkpoint's GTID set until then, so a job resuming by GTID set is sent the group again.
     */
    private void onXaPrepare(EventHeaderV4 header, XAPrepareEventData d, boolean replaying) throws InterruptedException {
        String xid = XaBranches.xid(d);
        List<RowChange> rows = xaRows == null ? List.of() : xaRows;
        if (replaying) {
            if (!d.isOnePhase() && xa.awaitsPrepareGroup(xid)) {
                PreparedXa old = xa.list().stream().filter(x -> x.xid().equals(xid)).findFirst().orElseThrow();
                xa.prepare(old, rows);
            }
            endGroup();
            return;
        }
        if (d.isOnePhase()) {
            xaRows = null;
            for (RowChange r : rows) handler.onRow(r);
            commit(header, gtid.isEmpty() ? xid : gtid);
            return;
        }
        xa.prepare(new PreparedXa(xid, gtid, file, txStart, xaGtidSetBefore), rows);
        xaRows = null;
        boolean mariaDb = executed != null && executed.mariaDb(); // a MariaDB position cannot leave a GTID out
        commit(header, gtid, mariaDb);
    }

    /** XA COMMIT (two-phase) writes the branch's rows as a transaction of its own; XA ROLLBACK drops them. */
    private void resolveXa(EventHeaderV4 header, String sql, boolean commit) throws InterruptedException {
        String xid = XaBranches.xid(sql, commit ? "XA COMMIT".length() : "XA ROLLBACK".length());
        if (!inTransaction) {
            txStart = header.getPosition();
            inTransaction = true;
        }
        XaBranches.Branch branch = xa.resolve(xid);
        if (branch == null) {
            log.warn("{} at {}:{} resolves XA branch {}, prepared before the job's start position: its changes, if any"
                    + " were of selected tables, are not in the stream (nor in the initialization, which reads committed rows only)",
                    commit ? "XA COMMIT" : "XA ROLLBACK", file, header.getPosition(), xid);
        } else {
            if (branch.rows() == null) {
                throw new SluiceException("XA " + (commit ? "COMMIT" : "ROLLBACK") + " at " + file + ":" + header.getPosition()
                        + " resolves branch " + xid + ", prepared at " + branch.id().start()
                        + ", but its prepare group was not read again after the restart",
                        "make sure the binlog since the prepare is still on the server, or re-initialize the job (`sluice run --reinitialize`)");
            }
            if (executed != null && !executed.mariaDb() && !branch.id().gtid().isEmpty()) {
                executed.add(branch.id().gtid());
            }
            if (commit) {
                // The rows count as this group's: a transaction split here resumes at its start.
                for (RowChange r : branch.rows()) {
                    SourcePosition p = r.position();
                    handler.onRow(new RowChange(r.table(), r.operation(), r.before(), r.after(),
                            new SourcePosition(file, header.getNextPosition(), txStart, p.txId(), p.timestampSec())));
                }
            }
        }
        commit(header, gtid.isEmpty() ? xid : gtid);
    }

    private void onQuery(EventHeaderV4 header, QueryEventData q) throws InterruptedException {
        String sql = q.getSql().trim();
        String upper = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN")) {
            if (!inTransaction) {
                txStart = header.getPosition();
                inTransaction = true;
            }
            explicitTransaction = true;
            return;
        }
        if (upper.startsWith("XA START")) {
            beginXaGroup(header);
            return;
        }
        if (upper.startsWith("XA END")) return;
        if (upper.startsWith("XA COMMIT")) {
            resolveXa(header, sql, true);
            return;
        }
        if (upper.startsWith("XA ROLLBACK")) {
            resolveXa(header, sql, false);
            return;
        }
        if (upper.equals("COMMIT")) {
            commit(header, gtid);
            return;
        }
        if (upper.equals("ROLLBACK")) { // a non-transactional table changed inside a rolled back transaction
            commit(header, gtid);
            return;
        }
        if (upper.startsWith("SAVEPOINT") || upper.startsWith("ROLLBACK TO")) {
            return; // always inside a transaction, never its end (its row events already say what stays)
        }
        LoggedStatement.Dml dml = LoggedStatement.dml(sql, q.getDatabase());
        if (dml != null) {
            onStatementDml(header, sql, dml);
            if (!inTransaction) txStart = header.getPosition();
            if (!explicitTransaction) commit(header, gtid);
            return;
        }
        TableId filled = LoggedStatement.createdWithSelect(sql, q.getDatabase());
        if (filled != null) onStatementDml(header, sql, new LoggedStatement.Dml(List.of(filled), false)); // then its DDL
        TableId truncated = LoggedStatement.truncated(sql, q.getDatabase());
        if (truncated != null && truncated.database() != null && selected.test(truncated)) onTruncate(header, truncated);
        if (alterPhase == MariaDbGtid.AlterPhase.START || alterPhase == MariaDbGtid.AlterPhase.ROLLBACK) {
            // a two-phase ALTER takes effect at its COMMIT ALTER (rows until then have the old layout), or never
            if (!inTransaction) txStart = header.getPosition();
            commit(header, gtid);
            return;
        }
        // DDL commits on its own; the schema history applies it at this position.
        SchemaHistory.Applied applied = schemas.applyDdl(q.getDatabase(), sql, new BinlogOffset(file, header.getNextPosition(), ""), selected);
        Set<TableId> changed = applied.touched();
        applied.renamedIn().forEach((to, from) -> onRenamedIn(header, from, to));
        applied.dropped().forEach(t -> onDropped(header, t));
        tablesById.clear();
        checkedMap = null;
        if (!inTransaction) txStart = header.getPosition();
        if (ddlDatabases != null) emitDdl(header, sql, changed);
        commit(header, gtid);
    }

    /**
     * Also hands each DDL statement that changes a selected table, or creates or drops a database
     * {@code databases} accepts, to {@link ChangeHandler#onDdl} (before the commit that ends it).
     */
    public void emitDdl(Predicate<String> databases) {
        this.ddlDatabases = databases;
    }

    private void emitDdl(EventHeaderV4 header, String sql, Set<TableId> changed) throws InterruptedException {
        TableId table = changed.stream().filter(selected).findFirst().orElse(null);
        String database = table == null ? DatabaseStatement.createdOrDropped(sql) : null;
        if (table == null && (database == null || !ddlDatabases.test(database))) return;
        SourcePosition pos = new SourcePosition(file, header.getNextPosition(), txStart, gtid, header.getTimestamp() / 1000);
        handler.onDdl(new DdlChange(sql, table, table == null ? null : schemas.get(table), database, pos));
    }

    /**
     * A change the binlog logged as a statement (binlog_format STATEMENT or MIXED) has no rows to
     * write: one of a selected table (or of a table the statement does not name plainly) stops the
     * job before any checkpoint passes it; one of another table is counted and warned about once.
     */
    private void onStatementDml(EventHeaderV4 header, String sql, LoggedStatement.Dml dml) {
        for (TableId t : dml.tables()) {
            if (t.database() == null || !selected.test(t)) continue;
            String start = sql.replaceAll("\\s+", " ");
            if (start.length() > 80) start = start.substring(0, 80) + "...";
            throw new SluiceException((dml.unsure() ? "a statement-logged change that may be of selected table " : "a statement-logged change of selected table ")
                    + t + " at " + file + ":" + header.getPosition() + " [" + start + "]: the binlog has no rows for it"
                    + " (binlog_format STATEMENT or MIXED in the session that ran it), so its changes cannot be written",
                    "set binlog_format=ROW globally, end the sessions that switched to STATEMENT or MIXED (pt-table-checksum"
                            + " does by default), then re-initialize the job (`sluice run --reinitialize`: a new snapshot of the selected tables)");
        }
        notices.statementDmlSkipped(dml.tables().isEmpty() ? null : dml.tables().get(0)); // once per statement
        if (dml.unsure()) { // its "tables" are every name it mentions: warn about the statement, once
            if (statementDmlWarned.add(UNREADABLE)) {
                log.warn("statement-logged changes the parser cannot read, naming no selected table, passed, first at {}:{} [{}]",
                        file, header.getPosition(), sql.length() > 80 ? sql.substring(0, 80) + "..." : sql);
            }
            return;
        }
        for (TableId t : dml.tables()) {
            if (t.database() != null && statementDmlWarned.add(t)) {
                log.warn("statement-logged changes of {} (not selected) passed, first at {}:{}; the binlog has no rows for them"
                        + " (binlog_format STATEMENT or MIXED in that session), nor for what its triggers or the statements' stored"
                        + " functions wrote: such writes to selected tables are lost; set binlog_format=ROW", t, file, header.getPosition());
            }
        }
    }

    /** TRUNCATE has no rows in the binlog: consumers keep the old rows unless told (source.onTruncate). */
    private void onTruncate(EventHeaderV4 header, TableId table) {
        String what = "TRUNCATE of selected table " + table + " at " + file + ":" + header.getPosition()
                + ": the binlog has no row deletions for it, so consumers keep every row it removed";
        if (config.onTruncate == JobConfig.OnTruncate.STOP) {
            throw new SluiceException(what, "re-initialize the job (`sluice run --reinitialize`: a new snapshot of the selected tables),"
                    + " or set source.onTruncate: warn to pass TRUNCATE with a warning");
        }
        log.warn("{} (source.onTruncate is warn; with target.ddl.enabled the statement is a DDL record)", what);
        notices.truncated(table);
    }

    /** The binlog has no rows for what a table renamed into the selection held before: consumers only get its changes from here on. */
    private void onRenamedIn(EventHeaderV4 header, TableId from, TableId to) {
        log.warn("{} was renamed to selected table {} at {}:{}: the rows it held before are not written (only its changes from now on),"
                + " so consumers miss them and may get updates or deletes of rows they never had; to write them, re-initialize"
                + " the job (`sluice run --reinitialize`: a new snapshot of every selected table); to avoid this, fill a new"
                + " selected table with INSERT ... SELECT (logged as rows) instead of renaming one in", from, to, file, header.getPosition());
        notices.renamedIn(to);
    }

    /** DROP TABLE has no row deletions in the binlog: consumers keep every row the table had. */
    private void onDropped(EventHeaderV4 header, TableId table) {
        log.warn("DROP TABLE of selected table {} at {}:{}: the binlog has no row deletions for it, so consumers keep every row"
                + " it had (with target.ddl.enabled the statement is a DDL record)", table, file, header.getPosition());
        notices.dropped(table);
    }

    private void commit(EventHeaderV4 header, String txId) throws InterruptedException {
        commit(header, txId, true);
    }

    /** Ends the group; {@code addGtid} false leaves its GTID out of the executed set (an unresolved XA prepare). */
    private void commit(EventHeaderV4 header, String txId, boolean addGtid) throws InterruptedException {
        if (addGtid && executed != null && !gtid.isEmpty()) executed.add(gtid);
        handler.onCommit(new BinlogOffset(file, header.getNextPosition(), executed == null ? "" : executed.text()), txId, xa.list());
        inTransaction = false;
        explicitTransaction = false;
        xaRows = null;
        gtid = "";
    }

    private TableSchema table(long tableId) {
        if (tableId == mappedTableId && mappedSchema != null && mappedRevision == schemas.revision()) return mappedSchema;
        TableId id = tablesById.get(tableId);
        if (id == null || !selected.test(id)) return null;
        TableSchema schema = schemas.get(id);
        if (schema == null) {
            throw new SluiceException("binlog has changes of " + id + " but the schema history has no definition of it"
                    + " at this position (it was neither in the start snapshot nor created by a statement since)",
                    "re-initialize the job (`sluice run --reinitialize`) so the snapshot includes the table");
        }
        return schema;
    }

    /**
     * With binlog_row_metadata=FULL the event names the table's columns: a history that disagrees
     * would put wrong names or types on records, so the job stops, or with source.schemaMismatch:
     * warn logs and reports it and goes on (docs/schema-history.md).
     */
    private void crossCheck(TableId id, TableMapEventData map, EventHeaderV4 header) {
        TableSchema schema = schemas.get(id);
        if (schema == null) return; // its rows stop the job with their own message
        String why = metadataCheck.mismatch(schema, map);
        if (why == null) return;
        List<String> binlog = map.getEventMetadata().getColumnNames();
        List<String> history = schema.columns().stream().map(io.sluice.core.model.Column::name).toList();
        String problem = "the schema history disagrees with the binlog's column metadata for " + id + " at " + file + ":"
                + header.getPosition() + ": " + why + " (history columns " + history + ", binlog columns " + binlog
                + "); the table changed without its DDL in the binlog (e.g. under sql_log_bin=0), or the saved history is wrong";
        if (config.schemaMismatch == JobConfig.SchemaMismatch.WARN) { // once per table definition: the check remembers it
            log.warn("{}; source.schemaMismatch is warn: records keep the history's columns", problem);
            schemaMismatchWarnings.accept(problem);
            return;
        }
        throw new SluiceException(problem, "re-initialize the job (`sluice run --reinitialize`) so the history starts from the catalogue again,"
                + " or set source.schemaMismatch: warn to continue with the history's columns");
    }

    /**
     * The TABLE_MAP event's null bits are the server's nullability of each column: where the
     * history says otherwise, the history takes the event's (and saves it with the next
     * checkpoint), so a Debezium schema never calls a column NOT NULL that holds NULL.
     */
    private void nullability(TableId id, TableMapEventData map, EventHeaderV4 header) {
        java.util.Map<String, Boolean> changed = schemas.nullability(id, map.getColumnNullability(), map.getColumnTypes().length,
                new BinlogOffset(file, header.getNextPosition(), ""));
        if (!changed.isEmpty() && log.isDebugEnabled()) {
            log.debug("{} at {}:{}: the binlog's column nullability differs from the schema history's, which takes it: {} (true: NULL)",
                    id, file, header.getPosition(), changed);
        }
    }

    private SourcePosition position(EventHeaderV4 header) {
        if (!inTransaction) { // rows without BEGIN (e.g. a non-transactional engine in autocommit)
            txStart = header.getPosition();
            inTransaction = true;
        }
        return new SourcePosition(file, header.getNextPosition(), txStart, gtid, header.getTimestamp() / 1000);
    }

    private SluiceException partialJson(TableSchema table, EventHeaderV4 header) {
        return new SluiceException("an UPDATE of " + table.id() + " at " + file + ":" + header.getPosition()
                + " is logged with binlog_row_value_options=PARTIAL_JSON: its after image holds only the changed parts of"
                + " JSON documents, so the updated row cannot be read from the binlog",
                "SET GLOBAL binlog_row_value_options='' and remove PARTIAL_JSON from my.cnf and from the sessions that set it,"
                        + " then re-initialize the job (`sluice run --reinitialize`): it reads the rows again in full");
    }

    private static void checkImage(TableSchema table, BitSet included) {
        if (included.cardinality() != table.columns().size()) {
            throw new SluiceException("a row event of " + table.id() + " has " + included.cardinality()
                    + " columns but the table has " + table.columns().size()
                    + " (binlog_row_image is not FULL, or the table changed after Sluice read its definition)",
                    "set binlog_row_image=FULL; if it is FULL, re-initialize the job (`sluice run --reinitialize`)");
        }
    }

    private Value[] values(TableSchema table, Serializable[] row) {
        List<io.sluice.core.model.Column> columns = table.columns();
        Value[] values = new Value[row.length];
        for (int i = 0; i < row.length; i++) {
            values[i] = ValueConverter.convert(columns.get(i), row[i], integralJsonDoublesAsIntegers);
        }
        return values;
    }

    /**
     * The after image's values: a cell that is the very cell of the before image (the deserializer
     * reads unchanged cells only once, see {@code RowImages.BeforeImage}) has the before image's value,
     * converted once (a JSON document is made text once, not twice).
     */
    private Value[] afterValues(TableSchema table, Serializable[] row, Serializable[] beforeRow, Value[] before) {
        if (beforeRow.length != row.length) return values(table, row);
        List<io.sluice.core.model.Column> columns = table.columns();
        Value[] values = new Value[row.length];
        for (int i = 0; i < row.length; i++) {
            Serializable cell = row[i];
            values[i] = cell != null && cell == beforeRow[i] ? before[i]
                    : ValueConverter.convert(columns.get(i), cell, integralJsonDoublesAsIntegers);
        }
        return values;
    }

    private RuntimeException translate(Exception e) {
        String where = config.host + ":" + config.port;
        SluiceException tlsProblem = tls.translate(e);
        if (tlsProblem != null) return tlsProblem;
        if (e instanceof AuthenticationException || String.valueOf(e.getMessage()).contains("Access denied")) {
            return new SluiceException("MySQL at " + where + " refused the binlog dump for '" + config.user + "': " + e.getMessage(),
                    "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO the user, and check source.password", e);
        }
        if (e instanceof ServerException se && (se.getErrorCode() == 1236 || BinlogErrors.sameServerId(se))) {
            return BinlogErrors.explain1236(se, config, client.getBinlogFilename(), client.getBinlogPosition());
        }
        if (e instanceof TimeoutException || e instanceof IOException) {
            return new TransientException("cannot stream the binlog from MySQL at " + where + ": " + SourceConnection.rootMessage(e),
                    "check source.host/source.port and that the server accepts replica connections", e);
        }
        return new TransientException("binlog streaming from " + where + " failed: " + e.getMessage(),
                "none needed if it recovers: Sluice resumes from its last checkpoint", e);
    }

    /**
     * The server's current binlog end, with the GTID set executed up to there (MySQL reports both in
     * one row; MariaDB maps the position with BINLOG_GTID_POS): where a job with no checkpoint starts.
     */
    public static BinlogOffset currentOffset(java.sql.Connection c, ServerInfo server) throws java.sql.SQLException {
        BinlogOffset end;
        try {
            end = binlogEnd(c, !server.mariaDb() && server.gtidMode());
        } catch (java.sql.SQLSyntaxErrorException e) {
            throw new SluiceException("cannot read the source's binlog position", "grant REPLICATION CLIENT to the user");
        }
        if (end == null) {
            throw new SluiceException("the source reports no binary log (SHOW MASTER STATUS is empty)",
                    "enable log_bin in my.cnf and restart the server");
        }
        if (!server.mariaDb()) return end;
        try (var ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, end.file());
            ps.setLong(2, end.position());
            try (var g = ps.executeQuery()) {
                return new BinlogOffset(end.file(), end.position(), g.next() && g.getString(1) != null ? g.getString(1) : "");
            }
        }
    }

    /**
     * The server's binlog end as {@code SHOW MASTER STATUS} (from MySQL 8.4 on {@code SHOW BINARY LOG
     * STATUS}) reports it, with MySQL's executed GTID set from the same row when {@code mysqlGtids}
     * (else none), or null when the server writes no binary log. A {@link java.sql.SQLSyntaxErrorException}
     * when neither statement is allowed (also what a user without REPLICATION CLIENT gets).
     */
    public static BinlogOffset binlogEnd(java.sql.Connection c, boolean mysqlGtids) throws java.sql.SQLException {
        java.sql.SQLSyntaxErrorException refused = null;
        for (String sql : new String[] {"SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"}) {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                if (!rs.next()) return null;
                String gtids = mysqlGtids && rs.getMetaData().getColumnCount() >= 5 && rs.getString(5) != null
                        ? rs.getString(5).replaceAll("\\s", "") : "";
                return new BinlogOffset(rs.getString(1), rs.getLong(2), gtids);
            } catch (java.sql.SQLSyntaxErrorException e) {
                refused = e; // MySQL 8.4 renamed the statement; try the next form
            }
        }
        throw refused;
    }
}
