package io.sluice.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Canal's flat message ({@code com.alibaba.otter.canal.protocol.FlatMessage}) as JSON, one message
 * per row change, or per binlog rows event ({@code target.canal.batch: event}, {@link #encodeRows}): values as the text Canal's binlog parser gives them (LogEventConvert /
 * RowsLogBuffer), {@code old} with the changed columns only. The record id is the message's
 * {@code id}, written first so that it can be read and set without parsing ({@link IdPatch}).
 * Deliberate differences from Canal: docs/formats.md.
 */
public final class CanalJsonEncoder implements RecordEncoder {

    static final byte[] ID_MARKER = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonBuffer buffer = new JsonBuffer();
    /** For {@code ts} (Canal: when the message was made). */
    private final java.time.Clock clock;

    /** Most rows in one message: 1 ({@code target.canal.batch: row}) or {@code target.canal.batchMaxRows}. */
    private final int maxRows;

    public CanalJsonEncoder() {
        this(java.time.Clock.systemUTC(), 1);
    }

    /** @param maxRows most rows of one binlog rows event in one message (1: a message per row) */
    public CanalJsonEncoder(int maxRows) {
        this(java.time.Clock.systemUTC(), maxRows);
    }

    CanalJsonEncoder(java.time.Clock clock) {
        this(clock, 1);
    }

    CanalJsonEncoder(java.time.Clock clock, int maxRows) {
        this.clock = clock;
        this.maxRows = maxRows;
    }
    /** Per route (one per table schema version): column names, sqlType and mysqlType maps. */
    private final Map<Route, TableText> tables = new java.util.IdentityHashMap<>();

    private record TableText(ObjectNames target, List<String> names, int[] sqlTypes, String[] mysqlTypes, List<String> pkNames) {}

    @Override
    public byte[] encode(long id, RowChange change, Route route) {
        return encodeRows(id, List.of(change), route);
    }

    @Override
    public int maxRowsPerRecord(Route route) {
        return maxRows;
    }

    /**
     * One flat message for rows of one binlog rows event, as Canal's MQ producer builds it
     * ({@code MQMessageUtils.messageConverter}: one FlatMessage per entry, {@code data} one row
     * each; {@code old} one map per row of an UPDATE, its changed columns).
     */
    @Override
    public byte[] encodeRows(long id, List<RowChange> changes, Route route) {
        RowChange first = changes.get(0);
        if (tables.size() >= 10_000) tables.clear();
        TableText t = tables.computeIfAbsent(route, r -> tableText(first.table(), r));
        ObjectNames names = t.target;
        SourcePosition pos = first.position();
        Operation op = first.operation();
        List<Column> columns = first.table().columns();
        return buffer.write(g -> {
            g.writeStartObject();
            g.writeNumberField("id", id);
            g.writeFieldName("data");
            g.writeStartArray();
            for (RowChange change : changes) {
                writeRow(g, t, columns, op == Operation.DELETE ? change.before() : change.after(), null);
            }
            g.writeEndArray();
            g.writeStringField("database", names.database());
            g.writeNumberField("es", pos.timestampSec() * 1000);
            g.writeStringField("gtid", gtid(pos));
            g.writeBooleanField("isDdl", false);
            g.writeFieldName("mysqlType");
            g.writeStartObject();
            for (int i = 0; i < t.names.size(); i++) g.writeStringField(t.names.get(i), t.mysqlTypes[i]);
            g.writeEndObject();
            g.writeFieldName("old");
            if (op == Operation.UPDATE) {
                g.writeStartArray();
                for (RowChange change : changes) writeRow(g, t, columns, change.before(), change.after());
                g.writeEndArray();
            } else {
                g.writeNull();
            }
            g.writeFieldName("pkNames");
            if (t.pkNames.isEmpty()) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (String pk : t.pkNames) g.writeString(pk);
                g.writeEndArray();
            }
            g.writeStringField("sql", "");
            g.writeFieldName("sqlType");
            g.writeStartObject();
            for (int i = 0; i < t.names.size(); i++) g.writeNumberField(t.names.get(i), t.sqlTypes[i]);
            g.writeEndObject();
            g.writeStringField("table", names.table());
            g.writeNumberField("ts", clock.millis());
            g.writeStringField("type", switch (op) {
                case INIT, INSERT -> "INSERT";
                case UPDATE -> "UPDATE";
                case DELETE -> "DELETE";
                default -> throw new IllegalArgumentException("not a row change: " + op);
            });
            g.writeEndObject();
        });
    }

    @Override
    public byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route) {
        ObjectNames names = ObjectNames.of(objectName);
        return buffer.write(g -> {
            g.writeStartObject();
            g.writeNumberField("id", id);
            g.writeNullField("data");
            g.writeStringField("database", names.database());
            g.writeNumberField("es", pos.timestampSec() * 1000);
            g.writeStringField("gtid", gtid(pos));
            g.writeBooleanField("isDdl", true);
            g.writeNullField("mysqlType");
            g.writeNullField("old");
            g.writeNullField("pkNames");
            g.writeStringField("sql", ddl);
            g.writeNullField("sqlType");
            g.writeStringField("table", names.table() == null ? "" : names.table());
            g.writeNumberField("ts", clock.millis());
            g.writeStringField("type", ddlType(ddl));
            g.writeEndObject();
        });
    }

    @Override
    public byte[] withId(long id, byte[] encoded) {
        return IdPatch.withId(encoded, IdPatch.digitsAt(encoded, ID_MARKER, false), id);
    }

    @Override
    public byte[] withIdInPlace(long id, byte[] encoded, Route route) {
        return IdPatch.withIdInPlace(encoded, IdPatch.digitsAt(encoded, ID_MARKER, false), id);
    }

    /** One row as {column: text}; with {@code changedIn}, only the columns whose value differs there (Canal's {@code old}). */
    private static void writeRow(JsonGenerator g, TableText t, List<Column> columns, Value[] row, Value[] changedIn) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Value v = i < row.length ? row[i] : null;
            if (changedIn != null && Objects.equals(v, i < changedIn.length ? changedIn[i] : null)) continue;
            String text = v == null ? null : text(columns.get(i), v);
            if (text == null) g.writeNullField(t.names.get(i));
            else g.writeStringField(t.names.get(i), text);
        }
        g.writeEndObject();
    }

    /** A value as Canal's parser writes it (RowsLogBuffer/LogEventConvert). */
    static String text(Column c, Value v) {
        if (v instanceof Value.IntegerValue i) return i.value();
        if (v instanceof Value.DecimalValue d) return new java.math.BigDecimal(d.value()).toPlainString();
        if (v instanceof Value.FloatValue f) {
            return c.type() == io.sluice.core.model.ColumnType.FLOAT ? Float.toString(MysqlText.asFloat(f)) : Double.toString(f.value());
        }
        if (v instanceof Value.TimestampValue ts) return MysqlText.timestamp(ts, MysqlText.fsp(c));
        if (v instanceof Value.DateTimeValue d) {
            return switch (c.type()) {
                case DATE -> MysqlText.date(d);
                case TIME -> MysqlText.time(d, MysqlText.fsp(c));
                case YEAR -> MysqlText.year(d);
                default -> MysqlText.dateTime(d, MysqlText.fsp(c));
            };
        }
        if (v instanceof Value.CharacterValue ch) return MysqlText.characters(ch);
        if (v instanceof Value.BinaryObjectValue b) return new String(b.value(), StandardCharsets.ISO_8859_1);
        if (v instanceof Value.BinaryGeometryValue geo) return new String(geo.value(), StandardCharsets.ISO_8859_1);
        if (v instanceof Value.TextObjectValue t) return t.value();
        throw new IllegalArgumentException("unknown value " + v);
    }

    private static TableText tableText(TableSchema table, Route route) {
        List<Column> columns = table.columns();
        int[] sqlTypes = new int[columns.size()];
        String[] mysqlTypes = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            sqlTypes[i] = sqlType(columns.get(i));
            mysqlTypes[i] = mysqlType(columns.get(i));
        }
        List<String> pk = table.primaryKey().stream().map(col -> {
            int i = table.indexOf(col);
            return i >= 0 ? route.fieldNames().get(i) : col;
        }).toList();
        return new TableText(ObjectNames.of(route.objectName()), route.fieldNames(), sqlTypes, mysqlTypes, pk);
    }

    /**
     * java.sql.Types as Canal sets them: unsigned integers one size up (Canal does that only in rows
     * whose value exceeds the signed range), TEXT as CLOB, binary strings and BLOBs as BLOB,
     * YEAR as VARCHAR; ENUM and SET (written as their labels here) as VARCHAR.
     */
    static int sqlType(Column c) {
        boolean u = c.unsigned();
        return switch (c.type()) {
            case TINYINT -> u ? java.sql.Types.SMALLINT : java.sql.Types.TINYINT;
            case SMALLINT -> u ? java.sql.Types.INTEGER : java.sql.Types.SMALLINT;
            case MEDIUMINT -> java.sql.Types.INTEGER;
            case INT -> u ? java.sql.Types.BIGINT : java.sql.Types.INTEGER;
            case BIGINT -> u ? java.sql.Types.DECIMAL : java.sql.Types.BIGINT;
            case BIT -> java.sql.Types.BIT;
            case DECIMAL -> java.sql.Types.DECIMAL;
            case FLOAT -> java.sql.Types.REAL;
            case DOUBLE -> java.sql.Types.DOUBLE;
            case DATE -> java.sql.Types.DATE;
            case TIME -> java.sql.Types.TIME;
            case DATETIME, TIMESTAMP -> java.sql.Types.TIMESTAMP;
            case YEAR, ENUM, SET, JSON -> java.sql.Types.VARCHAR;
            case CHAR -> MysqlText.isBinary(c) ? java.sql.Types.BLOB : java.sql.Types.CHAR;
            case VARCHAR -> MysqlText.isBinary(c) ? java.sql.Types.BLOB : java.sql.Types.VARCHAR;
            case TEXT -> java.sql.Types.CLOB;
            case BINARY, VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB, GEOMETRY -> java.sql.Types.BLOB;
        };
    }

    /** The column type as {@code SHOW COLUMNS} gives it (MySQL 8 style: no integer display widths). */
    static String mysqlType(Column c) {
        String unsigned = c.unsigned() ? " unsigned" : "";
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> c.type().name().toLowerCase(Locale.ROOT) + unsigned;
            case BIT -> "bit(" + Math.max(1, c.precision()) + ")";
            case DECIMAL -> "decimal(" + c.precision() + "," + Math.max(0, c.scale()) + ")" + unsigned;
            case FLOAT, DOUBLE -> c.type().name().toLowerCase(Locale.ROOT)
                    + (c.precision() > 0 && c.scale() >= 0 ? "(" + c.precision() + "," + c.scale() + ")" : "") + unsigned;
            case DATE -> "date";
            case YEAR -> "year";
            case TIME, DATETIME, TIMESTAMP -> c.type().name().toLowerCase(Locale.ROOT) + (c.precision() > 0 ? "(" + c.precision() + ")" : "");
            case CHAR, VARCHAR -> c.type().name().toLowerCase(Locale.ROOT) + "(" + chars(c) + ")";
            case BINARY, VARBINARY -> c.type().name().toLowerCase(Locale.ROOT) + "(" + c.length() + ")";
            case TEXT -> c.length() <= 255 ? "tinytext" : c.length() <= 65_535 ? "text" : c.length() <= 16_777_215 ? "mediumtext" : "longtext";
            case TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB, JSON -> c.type().name().toLowerCase(Locale.ROOT);
            case ENUM, SET -> c.type().name().toLowerCase(Locale.ROOT) + "(" + String.join(",",
                    c.labels().stream().map(l -> "'" + l.replace("'", "''") + "'").toList()) + ")";
            case GEOMETRY -> c.subtype() == null ? "geometry" : c.subtype().toLowerCase(Locale.ROOT);
        };
    }

    private static int chars(Column c) {
        int max = switch (c.charset() == null ? "" : c.charset().toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf32" -> 4;
            case "utf8", "utf8mb3", "ujis", "eucjpms" -> 3;
            case "gbk", "gb2312", "big5", "sjis", "cp932", "euckr", "ucs2" -> 2;
            case "gb18030", "utf16", "utf16le" -> 4;
            default -> 1;
        };
        return c.length() / max;
    }

    /** The Canal event type of a DDL statement (CanalEntry.EventType names). */
    static String ddlType(String ddl) {
        String s = ddl.stripLeading().replaceAll("^/\\*.*?\\*/\\s*", "").toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (s.startsWith("CREATE TABLE") || s.startsWith("CREATE TEMPORARY TABLE")) return "CREATE";
        if (s.startsWith("ALTER TABLE") || s.startsWith("ALTER ONLINE") || s.startsWith("ALTER IGNORE")) return "ALTER";
        if (s.startsWith("DROP TABLE") || s.startsWith("DROP TEMPORARY TABLE")) return "ERASE";
        if (s.startsWith("RENAME")) return "RENAME";
        if (s.startsWith("TRUNCATE")) return "TRUNCATE";
        if (s.matches("^CREATE (UNIQUE |FULLTEXT |SPATIAL )?INDEX.*")) return "CINDEX";
        if (s.startsWith("DROP INDEX")) return "DINDEX";
        return "QUERY";
    }

    /** The GTID of the record's transaction ({@code uuid:n} or MariaDB's {@code d-s-n}), else "" (an XID, or none). */
    static String gtid(SourcePosition pos) {
        String tx = pos.txId();
        return tx != null && (tx.indexOf(':') > 0 || tx.indexOf('-') > 0) ? tx : "";
    }
}
