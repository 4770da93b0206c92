package io.sluice.app.cli;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.HexFormat;

/** One readable line for a decoded DTS record: id, operation, table, position, then column=value pairs. */
final class RecordText {

    private RecordText() {}

    static String of(GenericRecord r) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(r.get("id")).append(' ').append(r.get("operation")).append(' ').append(r.get("objectName"))
                .append(" pos=").append(r.get("sourcePosition")).append(" tx=").append(r.get("sourceTxid"));
        Object fields = r.get("fields");
        if (fields instanceof GenericData.Array<?> names) {
            image(sb, " before", names, r.get("beforeImages"));
            image(sb, " after", names, r.get("afterImages"));
        } else if (r.get("afterImages") != null) {
            sb.append(' ').append(r.get("afterImages"));
        }
        return sb.toString();
    }

    private static void image(StringBuilder sb, String label, GenericData.Array<?> names, Object image) {
        if (!(image instanceof GenericData.Array<?> values)) return;
        sb.append(label).append("={");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(((GenericRecord) names.get(i)).get("name")).append('=').append(value(values.get(i)));
        }
        sb.append('}');
    }

    private static String value(Object v) {
        if (!(v instanceof GenericRecord g)) return "NULL";
        return switch (g.getSchema().getName()) {
            case "Integer", "Decimal", "Float", "TextObject" -> String.valueOf(g.get("value"));
            case "Character" -> text((ByteBuffer) g.get("value"), g.get("charset").toString());
            case "Timestamp" -> timestamp((Long) g.get("timestamp"), (Integer) g.get("millis"));
            case "DateTime" -> dateTime(g);
            default -> g.get("type") + ":" + HexFormat.of().formatHex(bytes((ByteBuffer) g.get("value")));
        };
    }

    private static String text(ByteBuffer value, String charset) {
        byte[] b = bytes(value);
        if (charset.equals("binary")) return "0x" + HexFormat.of().formatHex(b);
        try {
            return "'" + new String(b, Charset.forName(charset.equals("utf8mb4") || charset.equals("utf8mb3") ? "UTF-8" : charset)) + "'";
        } catch (RuntimeException unknownCharset) {
            return "0x" + HexFormat.of().formatHex(b);
        }
    }

    /**
     * TIMESTAMP as UTC ISO-8601 ({@code 2024-02-29T12:34:56.789Z}); the zero TIMESTAMP, encoded as
     * {0, 0} (the epoch itself is not a TIMESTAMP value), as MySQL shows it.
     */
    static String timestamp(long seconds, int micros) {
        if (seconds == 0 && micros == 0) return "0000-00-00 00:00:00";
        return java.time.Instant.ofEpochSecond(seconds, micros * 1000L).toString();
    }

    /**
     * DATE as yyyy-mm-dd, TIME as [-]hh:mm:ss[.ffffff] (a negative TIME has every part negative in
     * the record), DATETIME as both, YEAR as yyyy; fractions without their trailing zeros.
     */
    static String dateTime(GenericRecord g) {
        Integer year = (Integer) g.get("year"), month = (Integer) g.get("month"), day = (Integer) g.get("day");
        String date = month != null ? String.format("%04d-%02d-%02d", year, month, day)
                : year != null ? String.format("%04d", year) : "";
        if (g.get("hour") == null) return date;
        int hour = (Integer) g.get("hour"), minute = (Integer) g.get("minute"), second = (Integer) g.get("second");
        int micros = g.get("millis") == null ? 0 : (Integer) g.get("millis");
        boolean negative = hour < 0 || minute < 0 || second < 0 || micros < 0;
        String time = (negative ? "-" : "") + String.format("%02d:%02d:%02d", Math.abs(hour), Math.abs(minute), Math.abs(second))
                + fraction(Math.abs(micros));
        return date.isEmpty() ? time : date + " " + time;
    }

    private static String fraction(int micros) {
        if (micros == 0) return "";
        return "." + String.format("%06d", micros).replaceAll("0+$", "");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
