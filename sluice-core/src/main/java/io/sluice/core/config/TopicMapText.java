package io.sluice.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code target.topics} as written: a YAML mapping (pattern: topic, or pattern: {topic: t, format: f}
 * for an entry with its own record format, in order), or the flat text form a properties file or
 * Kafka Connect gives ({@code shop.orders:orders@canalJson,shop.*:shop-rest}): entries split at
 * commas outside backticks, each at its last colon outside backticks (a topic name has neither),
 * an {@code @format} after the topic. Duplicate patterns and entries without a topic are errors.
 */
final class TopicMapText {

    private TopicMapText() {}

    /** @param formats the entries that name a format (pattern: format) */
    record Parsed(Map<String, String> topics, Map<String, JobConfig.Format> formats) {}

    static Parsed parse(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, JobConfig.Format> formats = new LinkedHashMap<>();
        Parsed parsed = new Parsed(out, formats);
        if (value == null) return parsed;
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                String pattern = String.valueOf(k);
                if (v instanceof Map<?, ?> entry) {
                    for (Object key : entry.keySet()) {
                        if (!"topic".equals(key) && !"format".equals(key)) {
                            throw new IllegalArgumentException("entry '" + pattern + "' has key '" + key + "': an entry's mapping takes topic and format");
                        }
                    }
                    Object topic = entry.get("topic");
                    if (topic == null) throw new IllegalArgumentException("entry '" + pattern + "' has no topic: expected {topic: <name>, format: <format>}");
                    out.put(pattern, scalar(k, topic));
                    if (entry.get("format") != null) formats.put(pattern, format(pattern, scalar(k, entry.get("format"))));
                } else {
                    out.put(pattern, v == null ? "" : scalar(k, v));
                }
            });
            return parsed;
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
            String topic = e.substring(colon + 1).trim();
            int at = topic.lastIndexOf('@'); // a topic name has no '@'
            if (at >= 0) {
                formats.put(pattern, format(pattern, topic.substring(at + 1).trim()));
                topic = topic.substring(0, at).trim();
            }
            if (out.put(pattern, topic) != null) {
                throw new IllegalArgumentException("pattern '" + pattern + "' is written twice");
            }
        }
        return parsed;
    }

    private static JobConfig.Format format(String pattern, String name) {
        try {
            return JobConfig.Format.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the format of entry '" + pattern + "' is '" + name + "': " + e.getMessage());
        }
    }

    private static String scalar(Object key, Object v) {
        if (v instanceof Map || v instanceof java.util.List) {
            throw new IllegalArgumentException("the topic of '" + key + "' must be a topic name or {topic: <name>, format: <format>}, not a "
                    + (v instanceof Map ? "mapping" : "list"));
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
