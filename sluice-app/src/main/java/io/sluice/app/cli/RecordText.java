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
            case "Timestamp" -> g.get("timestamp") + "." + String.format("%06d", (Integer) g.get("millis")) + "s";
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

    /** DATE as y-m-d, TIME as h:m:s.micros, DATETIME as both, YEAR as y. */
    private static String dateTime(GenericRecord g) {
        String date = g.get("month") != null ? g.get("year") + "-" + g.get("month") + "-" + g.get("day")
                : g.get("year") != null ? String.valueOf(g.get("year")) : "";
        String time = g.get("hour") != null
                ? g.get("hour") + ":" + g.get("minute") + ":" + g.get("second") + "." + g.get("millis") : "";
        return (date + " " + time).trim();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
