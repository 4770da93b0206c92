package io.sluice.source.mysql.binlog;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * MariaDB's compressed binlog events (log_bin_compress=ON, 10.2+), rewritten as the plain events they
 * stand for, which the binlog client reads: QUERY_COMPRESSED (165) as QUERY, the rows events 166-168
 * (v1) and 169-171 (v2) as WRITE/UPDATE/DELETE_ROWS v1 (23-25) and v2 (30-32). Only the variable part
 * is compressed (a query's text; a rows event's rows after its column bitmaps), behind a one-byte
 * header: bit 7 set, the algorithm in bits 4-6 (0: zlib, the only one), in bits 0-2 how many big-endian
 * bytes of uncompressed length follow. The plain event keeps the header (its type and length changed)
 * and the checksum trailer, which was verified over the compressed bytes before.
 */
final class MariaDbCompressedEvents {

    static final int QUERY_COMPRESSED = 165;
    private static final int LAST = 171;
    private static final int HEADER = 19;
    /** QUERY's post-header: thread id 4, exec time 4, db length 1, error code 2, status vars length 2. */
    private static final int QUERY_POST_HEADER = 13;
    /** Rows events' post-header: table id 6, flags 2 (v2 adds the extra data, its length included). */
    private static final int ROWS_POST_HEADER = 8;

    private MariaDbCompressedEvents() {}

    static boolean isCompressed(int type) {
        return type >= QUERY_COMPRESSED && type <= LAST;
    }

    /** The plain event type a compressed one stands for. */
    static int plainType(int type) {
        return switch (type) {
            case QUERY_COMPRESSED -> 2;
            case 166, 167, 168 -> type - 166 + 23;
            case 169, 170, 171 -> type - 169 + 30;
            default -> throw new IllegalArgumentException("not a compressed event type: " + type);
        };
    }

    /**
     * The plain event of the compressed one in {@code event[0, n)} (header, body, and a 4-byte checksum
     * trailer when {@code checksummed}).
     */
    static byte[] decompress(byte[] event, int n, boolean checksummed) throws IOException {
        int type = event[4] & 0xFF;
        int end = n - (checksummed ? 4 : 0);
        int start = type == QUERY_COMPRESSED ? queryTextStart(event, end) : rowsStart(event, type, end);
        if (start >= end) throw damaged(type, "it ends before its compressed part");
        int head = event[start] & 0xFF;
        int lengthBytes = head & 0x07;
        if ((head & 0x80) == 0 || (head & 0x70) != 0 || lengthBytes < 1 || lengthBytes > 4 || start + 1 + lengthBytes > end) {
            throw damaged(type, "its compressed part starts with 0x" + Integer.toHexString(head)
                    + " (not zlib with a 1-4 byte length)");
        }
        long plainLength = 0;
        for (int i = 1; i <= lengthBytes; i++) plainLength = plainLength << 8 | (event[start + i] & 0xFF);
        long total = start + plainLength + (n - end);
        if (total > Integer.MAX_VALUE - 8) throw damaged(type, "it states " + plainLength + " bytes uncompressed");
        byte[] plain = new byte[(int) total];
        System.arraycopy(event, 0, plain, 0, start);
        inflate(event, start + 1 + lengthBytes, end, plain, start, (int) plainLength, type);
        System.arraycopy(event, end, plain, (int) total - (n - end), n - end);
        plain[4] = (byte) plainType(type);
        for (int i = 0; i < 4; i++) plain[9 + i] = (byte) (total >>> (8 * i));
        return plain;
    }

    private static void inflate(byte[] in, int from, int to, byte[] out, int at, int length, int type) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, from, to - from);
            int done = 0;
            byte[] beyond = new byte[1];
            while (!inflater.finished()) {
                int got = done < length ? inflater.inflate(out, at + done, length - done) : inflater.inflate(beyond);
                if (done >= length && got > 0) throw damaged(type, "it holds more than the " + length + " bytes it states uncompressed");
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                done += got;
            }
            if (done != length || !inflater.finished()) {
                throw damaged(type, "it states " + length + " bytes uncompressed but holds " + done + (inflater.finished() ? "" : " and is cut short"));
            }
        } catch (DataFormatException e) {
            throw damaged(type, "zlib: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** After the status variables and the database name with its NUL. */
    private static int queryTextStart(byte[] event, int end) throws IOException {
        int post = HEADER;
        if (post + QUERY_POST_HEADER > end) throw damaged(QUERY_COMPRESSED, "it is shorter than its post-header");
        int dbLength = event[post + 8] & 0xFF;
        int statusVarsLength = (event[post + 11] & 0xFF) | (event[post + 12] & 0xFF) << 8;
        return post + QUERY_POST_HEADER + statusVarsLength + dbLength + 1;
    }

    /** After the column count and the column bitmap(s): one, two for an update. */
    private static int rowsStart(byte[] event, int type, int end) throws IOException {
        int at = HEADER + ROWS_POST_HEADER;
        if (type >= 169) { // v2: extra data, its 2-byte length counting itself
            if (at + 2 > end) throw damaged(type, "it is shorter than its post-header");
            at += (event[at] & 0xFF) | (event[at + 1] & 0xFF) << 8;
        }
        if (at >= end) throw damaged(type, "it is shorter than its post-header");
        int first = event[at] & 0xFF;
        long columns;
        int width;
        if (first < 251) {
            columns = first;
            width = 1;
        } else if (first == 252 || first == 253 || first == 254) {
            width = first == 252 ? 3 : first == 253 ? 4 : 9;
            if (at + width > end) throw damaged(type, "it ends inside its column count");
            columns = 0;
            for (int i = width - 1; i >= 1; i--) columns = columns << 8 | (event[at + i] & 0xFF);
        } else {
            throw damaged(type, "its column count starts with 0x" + Integer.toHexString(first));
        }
        long bitmaps = (columns + 7) / 8 * (type == 167 || type == 170 ? 2 : 1);
        long start = at + width + bitmaps;
        if (start > end) throw damaged(type, "its column bitmaps run past its end");
        return (int) start;
    }

    private static IOException damaged(int type, String why) {
        return new IOException("MariaDB compressed binlog event of type " + type + " is damaged: " + why);
    }
}
