package io.sluice.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code target.topics} as written: a YAML mapping (pattern: topic, in order), or the flat text
 * form a properties file or Kafka Connect gives ({@code shop.orders:orders,shop.*:shop-rest}):
 * entries split at commas outside backticks, each at its last colon outside backticks (a topic
 * name has neither). Duplicate patterns and entries without a topic are errors.
 */
final class TopicMapText {

    private TopicMapText() {}

    static Map<String, String> parse(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) return out;
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : scalar(k, v)));
            return out;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("expected a mapping of table pattern to topic, or the text form 'pattern:topic,pattern:topic'");
        }
        for (String entry : splitOutsideBackticks(text, ',')) {
            String e = entry.trim();
            if (e.isEmpty()) continue;
            int colon = lastOutsideBackticks(e, ':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry '" + e + "' has no topic: expected pattern:topic, e.g. shop.orders:orders");
            }
            String pattern = e.substring(0, colon).trim();
            if (out.put(pattern, e.substring(colon + 1).trim()) != null) {
                throw new IllegalArgumentException("pattern '" + pattern + "' is written twice");
            }
        }
        return out;
    }

    private static String scalar(Object key, Object v) {
        if (v instanceof Map || v instanceof java.util.List) {
            throw new IllegalArgumentException("the topic of '" + key + "' must be a topic name, not a " + (v instanceof Map ? "mapping" : "list"));
        }
        return String.valueOf(v);
    }

    private static java.util.List<String> splitOutsideBackticks(String text, char separator) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '`') quoted = !quoted; // a doubled backtick toggles twice
            else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static int lastOutsideBackticks(String text, char c) {
        boolean quoted = false;
        int last = -1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '`') quoted = !quoted;
            else if (ch == c && !quoted) last = i;
        }
        return last;
    }
}
