package io.sluice.app.status;

import java.util.Map;

/** The status page: the status document as a table, refreshed every 2 s. */
final class StatusPage {

    private StatusPage() {}

    static String html(Map<String, Object> status) {
        StringBuilder rows = new StringBuilder();
        status.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                nested.forEach((nk, nv) -> row(rows, k + "." + nk, nv));
            } else {
                row(rows, k, v);
            }
        });
        return """
                <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
                <title>Sluice: %s</title>
                <style>body{font-family:sans-serif;margin:2em}td{padding:.2em 1em;border-bottom:1px solid #ddd}
                td:first-child{color:#555}</style></head>
                <body><h1>Sluice job %s</h1><table>%s</table>
                <p><a href="/status">JSON</a> · <a href="/metrics">Prometheus metrics</a></p></body></html>
                """.formatted(escape(status.get("job")), escape(status.get("job")), rows);
    }

    private static void row(StringBuilder rows, String key, Object value) {
        rows.append("<tr><td>").append(escape(key)).append("</td><td>").append(escape(value)).append("</td></tr>");
    }

    private static String escape(Object o) {
        return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
