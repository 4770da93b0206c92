package io.sluice.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.error.SluiceException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A connector config (dotted keys, string values) turned into the job file's tree and read by the
 * CLI's {@link JobConfigLoader}: both shells accept, default and reject the same settings, and an
 * error names the dotted key. The job name is the connector's name.
 *
 * <p>How a key maps follows the job file's field it lands on: lists take comma-separated entries
 * (commas inside backticks kept), maps take the rest of the key as their key
 * ({@code target.producer.security.protocol}, {@code objects.mapping.databases.shop},
 * {@code objects.mapping.tables.shop.orders}, {@code objects.mapping.columns.shop.orders.qty}),
 * numbers and booleans become numbers and booleans. Keys outside the job's sections are Connect's own and ignored.
 */
public final class DottedJobConfig {

    /** The job file's sections a connector config may set; {@code status} (the CLI's status page) is not one. */
    static final Set<String> SECTIONS = Set.of("source", "target", "objects", "state", "initialization");

    /** Keys in a job section that only the Connect shell reads (the job file has no such key). */
    static final Set<String> CONNECT_ONLY = Set.of(ConnectorConfig.INIT_REINITIALIZE_TOKEN);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A map whose order matters: only its one-key flat form can keep it. */
    private static final String ORDERED_MAP = "target.topics.";

    private DottedJobConfig() {}

    /** @throws SluiceException naming the dotted key, as the CLI names a job file's key */
    public static JobConfig parse(String connectorName, Map<String, String> props) {
        String json;
        try {
            json = JSON.writeValueAsString(tree(connectorName, props));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // ${...} in values is Connect's (config providers, resolved before the connector sees them): kept as written
        return new JobConfigLoader(var -> "${" + var + "}").parse(json, "connector " + connectorName);
    }

    static ObjectNode tree(String connectorName, Map<String, String> props) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", connectorName);
        for (Map.Entry<String, String> e : new TreeMap<>(props).entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (dot < 0 || !SECTIONS.contains(key.substring(0, dot)) || e.getValue() == null
                    || CONNECT_ONLY.contains(key)) continue;
            put(root, JobConfig.class, key, key, e.getValue());
        }
        return root;
    }

    /** Puts {@code value} at {@code rest} (the part of {@code key} not consumed yet) under {@code node}, typed by {@code type}'s fields. */
    private static void put(ObjectNode node, Class<?> type, String key, String rest, String value) {
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        Field field = publicField(type, name);
        if (field == null) { // unknown: the loader names it with the keys it knows
            if (dot < 0) node.put(name, value);
            else put(child(node, name), Object.class, key, rest.substring(dot + 1), value);
            return;
        }
        Class<?> ft = field.getType();
        if (Map.class.isAssignableFrom(ft)) {
            if (dot < 0 && (key + ".").equals(ORDERED_MAP)) { // its flat form, "pattern:topic,...", read by the loader
                node.put(name, value);
                return;
            }
            if (dot < 0) throw new SluiceException("connector key '" + key + "' needs a name after it",
                    "write it as " + key + ".<name>=<value>, one key per entry");
            if (key.startsWith(ORDERED_MAP)) throw new SluiceException("connector key '" + key + "': the entries of "
                    + ORDERED_MAP.substring(0, ORDERED_MAP.length() - 1) + " are ordered (the first match wins), which separate keys cannot say",
                    "write them in one key, in order: target.topics=<pattern>:<topic>,<pattern>:<topic>[@<format>]");
            putMapEntry(child(node, name), field.getGenericType(), key, rest.substring(dot + 1), value);
        } else if (dot >= 0) {
            put(child(node, name), ft, key, rest.substring(dot + 1), value);
        } else {
            node.set(name, scalar(ft, value));
        }
    }

    private static void putMapEntry(ObjectNode map, Type mapType, String key, String entry, String value) {
        Type valueType = mapType instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : String.class;
        if (valueType instanceof ParameterizedType) { // objects.mapping.columns: <db.table>.<column>
            int last = lastDotOutsideBackticks(entry);
            if (last < 0) throw new SluiceException("connector key '" + key + "' names no column",
                    "write it as objects.mapping.columns.<db.table>.<column>=<new name>");
            child(map, entry.substring(0, last)).put(entry.substring(last + 1), value);
        } else {
            map.put(entry, value);
        }
    }

    private static JsonNode scalar(Class<?> type, String value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String v = value.trim();
        try {
            if (type == int.class || type == Integer.class) return f.numberNode(Integer.parseInt(v));
            if (type == long.class || type == Long.class) return f.numberNode(Long.parseLong(v));
            if (type == short.class || type == Short.class) return f.numberNode(Short.parseShort(v));
        } catch (NumberFormatException e) {
            return f.textNode(value); // the loader says "expected an integer"
        }
        if ((type == boolean.class || type == Boolean.class) && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            return f.booleanNode(Boolean.parseBoolean(v));
        }
        if (List.class.isAssignableFrom(type)) {
            ArrayNode a = f.arrayNode();
            for (String entry : splitList(value)) a.add(entry);
            return a;
        }
        return f.textNode(value);
    }

    /** Comma-separated entries, trimmed, empty ones dropped; a comma inside backticks belongs to the name. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '`') quoted = !quoted;
            if (c == ',' && !quoted) {
                add(out, cur);
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder entry) {
        String s = entry.toString().trim();
        if (!s.isEmpty()) out.add(s);
    }

    private static int lastDotOutsideBackticks(String s) {
        boolean quoted = false;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '`') quoted = !quoted;
            else if (s.charAt(i) == '.' && !quoted) last = i;
        }
        return last;
    }

    private static ObjectNode child(ObjectNode node, String name) {
        JsonNode c = node.get(name);
        if (c instanceof ObjectNode o) return o;
        return node.putObject(name);
    }

    private static Field publicField(Class<?> type, String name) {
        try {
            Field f = type.getField(name);
            return Modifier.isStatic(f.getModifiers()) ? null : f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
