package io.sluice.source.mysql.binlog;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a binlog file as a server this project cannot run writes it: MySQL 5.1 (binlog version 4,
 * v1 row events 23-25, no checksums, the old temporal formats). Follows the MySQL internals
 * documentation ("Binary log", "Event structure", "Row-based replication events") and 5.1's
 * {@code log_event.h/.cc}. 5.1 and 5.5 write the same events except FORMAT_DESCRIPTION (5.5 added
 * HEARTBEAT_LOG_EVENT, type 27, and with it a 27th post-header length), so {@link Server#MYSQL_55}
 * is there to cross-check the encoders byte for byte against a binlog the suite's real MySQL 5.5.9
 * wrote (LegacyBinlogFixturesTest). Only the column types of the fixtures are encoded.
 */
final class LegacyBinlogWriter {

    static final int QUERY = 2, XID = 16, FORMAT_DESCRIPTION = 15, TABLE_MAP = 19;
    static final int WRITE_ROWS_V1 = 23, UPDATE_ROWS_V1 = 24, DELETE_ROWS_V1 = 25;
    private static final int HEADER = 19;

    /** What differs between the servers writing v1 row events without checksums. */
    enum Server {
        /**
         * 5.1: LOG_EVENT_TYPES = 26 (UNKNOWN_EVENT+1 .. INCIDENT_EVENT), so FORMAT_DESCRIPTION's own
         * post-header is START_V3_HEADER_LEN + 1 + 26 = 83 bytes and the event 19 + 83 = 102 (end_log_pos 106).
         */
        MYSQL_51("5.1.73-log", new int[] {56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 83, 0, 4, 26, 8, 0, 0, 0, 8, 8, 8, 2}),
        /** 5.5: 27 event types (HEARTBEAT_LOG_EVENT, post-header 0), FORMAT_DESCRIPTION 84 (end_log_pos 107). */
        MYSQL_55("5.5.9-log", new int[] {56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 84, 0, 4, 26, 8, 0, 0, 0, 8, 8, 8, 2, 0});

        final String version;
        final int[] postHeaderLengths;

        Server(String version, int[] postHeaderLengths) {
            this.version = version;
            this.postHeaderLengths = postHeaderLengths;
        }
    }

    /**
     * A column as the TABLE_MAP event describes it: MySQL's binlog type code and its metadata bytes.
     * ENUM travels as MYSQL_TYPE_STRING (254) with the real type (247) and its pack length as metadata.
     */
    record Col(int type, byte[] meta, boolean nullable) {
        static Col of(int type, boolean nullable, int... meta) {
            byte[] m = new byte[meta.length];
            for (int i = 0; i < meta.length; i++) m[i] = (byte) meta[i];
            return new Col(type, m, nullable);
        }
    }

    private final Server server;
    private final long serverId;
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private long timestamp = 1_300_000_000L;
    private boolean crc32;

    /** Appends a CRC32 trailer to every event written from now on (binlog_checksum=CRC32, MySQL 5.6.2+). */
    LegacyBinlogWriter withCrc32() { crc32 = true; return this; }

    LegacyBinlogWriter(Server server, long serverId) {
        this.server = server;
        this.serverId = serverId;
        file.writeBytes(new byte[] {(byte) 0xfe, 'b', 'i', 'n'});
    }

    byte[] bytes() { return file.toByteArray(); }

    /** FORMAT_DESCRIPTION_EVENT: binlog version 4, server version (50 bytes), create time 0 (not the server's first binlog), header length 19, post-header lengths. */
    byte[] formatDescription() {
        Body b = new Body();
        b.le(4, 2);
        byte[] v = new byte[50];
        byte[] name = server.version.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, v, 0, name.length);
        b.bytes(v);
        b.le(0, 4);
        b.le(HEADER, 1);
        for (int len : server.postHeaderLengths) b.le(len, 1);
        return event(FORMAT_DESCRIPTION, b);
    }

    /**
     * QUERY_EVENT: thread id, execution time, schema length, error code, status variables (flags2,
     * sql_mode, catalog "std", charsets utf8_general_ci/latin1, time zone "+00:00"), schema, 0, statement.
     */
    byte[] query(String schema, String sql) {
        Body vars = new Body();
        vars.le(0, 1).le(0, 4);                                   // Q_FLAGS2_CODE
        vars.le(1, 1).le(0, 8);                                   // Q_SQL_MODE_CODE: ''
        vars.le(6, 1).le(3, 1).bytes("std".getBytes(StandardCharsets.US_ASCII)); // Q_CATALOG_NZ_CODE
        vars.le(4, 1).le(33, 2).le(33, 2).le(8, 2);               // Q_CHARSET_CODE: client, connection, server
        vars.le(5, 1).le(6, 1).bytes("+00:00".getBytes(StandardCharsets.US_ASCII)); // Q_TIME_ZONE_CODE
        byte[] db = schema.getBytes(StandardCharsets.UTF_8);
        Body b = new Body();
        b.le(1, 4).le(0, 4).le(db.length, 1).le(0, 2).le(vars.size(), 2);
        b.bytes(vars.toByteArray()).bytes(db).le(0, 1).bytes(sql.getBytes(StandardCharsets.UTF_8));
        return event(QUERY, b);
    }

    /** TABLE_MAP_EVENT: table id (6), flags (TM_BIT_LEN_EXACT_F), schema, table, column types, metadata, nullability. */
    byte[] tableMap(long tableId, String schema, String table, List<Col> cols) {
        Body b = new Body();
        b.le(tableId, 6).le(1, 2);
        byte[] s = schema.getBytes(StandardCharsets.UTF_8), t = table.getBytes(StandardCharsets.UTF_8);
        b.le(s.length, 1).bytes(s).le(0, 1).le(t.length, 1).bytes(t).le(0, 1);
        b.packed(cols.size());
        for (Col c : cols) b.le(c.type(), 1);
        Body meta = new Body();
        for (Col c : cols) meta.bytes(c.meta());
        b.packed(meta.size()).bytes(meta.toByteArray());
        boolean[] nullable = new boolean[cols.size()];
        for (int i = 0; i < nullable.length; i++) nullable[i] = cols.get(i).nullable();
        b.bitmap(nullable, false);
        return event(TABLE_MAP, b);
    }

    /**
     * A v1 rows event (WRITE 23, UPDATE 24, DELETE 25) with STMT_END_F: table id, flags, column
     * count, the columns-present bitmap (twice for UPDATE: before and after image), then each row
     * (for UPDATE: before, after) as a null bitmap and the values of the non-NULL columns.
     * MySQL sets all bits of a bitmap's last byte, also those past the last column.
     */
    byte[] rows(int type, long tableId, List<Col> cols, List<Object[]> images) {
        Body b = new Body();
        b.le(tableId, 6).le(1, 2);
        b.packed(cols.size());
        boolean[] all = new boolean[cols.size()];
        java.util.Arrays.fill(all, true);
        b.bitmap(all, true);
        if (type == UPDATE_ROWS_V1) b.bitmap(all, true);
        for (Object[] row : images) {
            boolean[] nulls = new boolean[cols.size()];
            for (int i = 0; i < nulls.length; i++) nulls[i] = row[i] == null;
            b.bitmap(nulls, true);
            for (int i = 0; i < cols.size(); i++) if (row[i] != null) value(b, cols.get(i), row[i]);
        }
        return event(type, b);
    }

    /** XID_EVENT: the InnoDB transaction id (8 bytes). */
    byte[] xid(long xid) {
        return event(XID, new Body().le(xid, 8));
    }

    private static void value(Body b, Col c, Object v) {
        switch (c.type()) {
            case 3 -> b.le(((Number) v).longValue(), 4);                                       // LONG
            case 8 -> b.bytes(le(new BigInteger(v.toString()), 8));                            // LONGLONG
            case 5 -> b.le(Double.doubleToLongBits((Double) v), 8);                             // DOUBLE
            case 246 -> b.bytes(decimal(new BigDecimal(v.toString()), c.meta()[0], c.meta()[1])); // NEWDECIMAL
            case 15 -> {                                                                        // VARCHAR: 1 or 2 length bytes
                byte[] s = (byte[]) v;
                int max = (c.meta()[0] & 0xFF) | (c.meta()[1] & 0xFF) << 8;
                b.le(s.length, max < 256 ? 1 : 2).bytes(s);
            }
            case 252 -> { byte[] s = (byte[]) v; b.le(s.length, c.meta()[0]).bytes(s); }       // BLOB: pack length from metadata
            case 10 -> {                                                                        // DATE: day | month << 5 | year << 9
                int[] d = ints((String) v, "-");
                b.le(d[2] | d[1] << 5 | d[0] << 9, 3);
            }
            case 11 -> {                                                                        // TIME (old): ±(h*10000 + m*100 + s), 3 bytes
                String s = (String) v;
                int sign = s.startsWith("-") ? -1 : 1;
                int[] t = ints(s.replace("-", ""), ":");
                b.le(sign * (t[0] * 10000 + t[1] * 100 + t[2]), 3);
            }
            case 12 -> b.le(Long.parseLong(((String) v).replaceAll("[- :]", "")), 8);          // DATETIME (old): yyyymmddhhmmss
            case 7 -> b.le(((Number) v).longValue(), 4);                                        // TIMESTAMP (old): seconds
            case 13 -> b.le((Integer) v == 0 ? 0 : (Integer) v - 1900, 1);                      // YEAR
            case 254 -> b.le(((Number) v).longValue(), c.meta()[1]);                            // ENUM: index, pack length bytes
            default -> throw new IllegalArgumentException("no encoder for binlog type " + c.type());
        }
    }

    /**
     * DECIMAL's binary form (strings/decimal.c decimal2bin): integer and fraction digits in groups
     * of 9 (4 bytes each, big-endian), leftover digits in 1-4 bytes; the first bit flipped; all
     * bits inverted for a negative value.
     */
    static byte[] decimal(BigDecimal value, int precision, int scale) {
        int[] dig2bytes = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
        int intg = precision - scale;
        String digits = value.abs().setScale(scale, java.math.RoundingMode.UNNECESSARY).toPlainString();
        String ip = digits.contains(".") ? digits.substring(0, digits.indexOf('.')) : digits;
        String fp = scale == 0 ? "" : digits.substring(digits.indexOf('.') + 1);
        ip = "0".repeat(Math.max(0, intg - ip.length())) + ip;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lead = intg % 9;
        int pos = 0;
        if (lead > 0) { out.writeBytes(be(Long.parseLong(ip.substring(0, lead)), dig2bytes[lead])); pos = lead; }
        for (; pos < intg; pos += 9) out.writeBytes(be(Long.parseLong(ip.substring(pos, pos + 9)), 4));
        for (pos = 0; pos + 9 <= scale; pos += 9) out.writeBytes(be(Long.parseLong(fp.substring(pos, pos + 9)), 4));
        int trail = scale % 9;
        if (trail > 0) out.writeBytes(be(Long.parseLong(fp.substring(pos)), dig2bytes[trail]));
        byte[] r = out.toByteArray();
        r[0] ^= (byte) 0x80;
        if (value.signum() < 0) for (int i = 0; i < r.length; i++) r[i] = (byte) ~r[i];
        return r;
    }

    private byte[] event(int type, Body body) {
        int length = HEADER + body.size() + (crc32 ? 4 : 0);
        long next = file.size() + length;
        Body e = new Body();
        e.le(timestamp++, 4).le(type, 1).le(serverId, 4).le(length, 4).le(next, 4).le(0, 2);
        e.bytes(body.toByteArray());
        if (crc32) {
            java.util.zip.CRC32 sum = new java.util.zip.CRC32();
            sum.update(e.toByteArray());
            e.le(sum.getValue(), 4);
        }
        byte[] bytes = e.toByteArray();
        file.writeBytes(bytes);
        return bytes;
    }

    private static int[] ints(String s, String sep) {
        return java.util.Arrays.stream(s.split(sep)).mapToInt(Integer::parseInt).toArray();
    }

    private static byte[] be(long v, int n) {
        byte[] r = new byte[n];
        for (int i = n - 1; i >= 0; i--, v >>= 8) r[i] = (byte) v;
        return r;
    }

    private static byte[] le(BigInteger v, int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) r[i] = v.shiftRight(8 * i).byteValue();
        return r;
    }

    /** Little-endian fields, packed integers and bitmaps, as the binlog writes them. */
    private static final class Body extends ByteArrayOutputStream {
        Body le(long v, int n) {
            for (int i = 0; i < n; i++, v >>= 8) write((int) (v & 0xFF));
            return this;
        }

        Body bytes(byte[] b) { writeBytes(b); return this; }

        /** A length-encoded integer; the fixtures' counts are all below 251 (one byte). */
        Body packed(long v) {
            if (v >= 251) throw new IllegalArgumentException("packed integers >= 251 are not needed here");
            return le(v, 1);
        }

        /** One bit per column, LSB first; {@code padOnes}: the unused bits of the last byte set, as MySQL's row bitmaps have them. */
        Body bitmap(boolean[] bits, boolean padOnes) {
            byte[] r = new byte[(bits.length + 7) / 8];
            for (int i = 0; i < r.length * 8; i++) {
                boolean set = i < bits.length ? bits[i] : padOnes;
                if (set) r[i / 8] |= (byte) (1 << (i % 8));
            }
            return bytes(r);
        }
    }
}
