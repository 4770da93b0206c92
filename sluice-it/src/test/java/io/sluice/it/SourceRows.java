package io.sluice.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.MySqlServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type matrix table's rows as MySQL itself prints them (session time zone UTC): numbers and
 * temporal values as text, BIT as its unsigned number, binary values, BLOBs and geometry as HEX,
 * FLOAT/DOUBLE as the float/double they are, JSON as a parsed tree. Decoded records are brought to
 * the same canonical form (FormatsIT) and compared with these.
 */
final class SourceRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> HEX = List.of("bin", "vbin", "tb", "bl", "mb", "lb", "g", "pt");

    private SourceRows() {}

    /** id (as text) to the row's canonical values in column order. */
    static Map<String, List<Object>> read(MySqlServer server, String table) throws Exception {
        List<String> cols = List.copyOf(TypeRows.columns().keySet());
        StringBuilder select = new StringBuilder("SELECT ");
        for (String c : cols) {
            String q = "`" + c + "`";
            select.append(HEX.contains(c) ? "HEX(" + q + ")" : c.startsWith("b") && (c.equals("b1") || c.equals("b64"))
                    ? "CAST(" + q + " AS UNSIGNED)" : c.equals("f") || c.equals("f2") ? "(" + q + " + 0e0)" // the float exactly (its text has 6 digits only)
                    : c.equals("d") || c.equals("j") ? q
                    : "CAST(" + q + " AS CHAR)").append(',');
        }
        select.setLength(select.length() - 1);
        select.append(" FROM ").append(table).append(" ORDER BY id");
        Map<String, List<Object>> rows = new HashMap<>();
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone='+00:00'");
            try (ResultSet rs = s.executeQuery(select.toString())) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 0; i < cols.size(); i++) row.add(canonical(cols.get(i), rs.getString(i + 1)));
                    rows.put((String) row.get(0), row);
                }
            }
        }
        return rows;
    }

    /**
     * JSON with every number as the exact BigDecimal of the value it denotes (a double as its exact
     * binary value): 1e300 and its full decimal expansion are one number.
     */
    static com.fasterxml.jackson.databind.JsonNode numbersExact(com.fasterxml.jackson.databind.JsonNode n) {
        if (n.isNumber()) {
            java.math.BigDecimal d = n.isFloatingPointNumber() && !n.isBigDecimal() ? new java.math.BigDecimal(n.doubleValue())
                    : n.decimalValue();
            return JSON.getNodeFactory().numberNode(d.stripTrailingZeros());
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
            n.forEach(e -> a.add(numbersExact(e)));
            return a;
        }
        if (n.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
            n.fields().forEachRemaining(e -> o.set(e.getKey(), numbersExact(e.getValue())));
            return o;
        }
        return n;
    }

    /** A column's text in the canonical form both sides are compared in. */
    static Object canonical(String column, String text) throws Exception {
        if (text == null) return null;
        return switch (column) {
            case "f", "f2" -> Float.toString(Float.parseFloat(text));
            case "d" -> Double.toString(Double.parseDouble(text));
            case "j" -> numbersExact(JSON.readTree(text));
            default -> HEX.contains(column) ? text.toUpperCase(java.util.Locale.ROOT) : text;
        };
    }
}
