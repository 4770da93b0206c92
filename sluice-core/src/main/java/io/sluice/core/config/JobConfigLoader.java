package io.sluice.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.QualifiedName;
import io.sluice.core.model.TableId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a job file: YAML, then ${ENV} expansion in string values, then strict binding and checks.
 * Every error names the key's path and what is expected.
 */
public final class JobConfigLoader {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final UnaryOperator<String> environment;

    public JobConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static JobConfigLoader withSystemEnvironment() {
        return new JobConfigLoader(System::getenv);
    }

    public JobConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SluiceException("cannot read job file " + file + ": " + e.getMessage(), "pass an existing, readable YAML file with --config");
        }
        return parse(text, file.toString());
    }

    /**
     * One mapper for every job file: configured once, thread-safe, and it keeps the binding it builds for
     * {@link JobConfig} (the costly part of a first parse), so {@link #warmUp()} on another thread helps.
     */
    private static final ObjectMapper MAPPER = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // ${ENV} expansion yields text: let "5401" bind to an integer key (serverId: ${SERVER_ID}).
        mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Integer)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.TryConvert);
        // a key written twice is a mistake to name, not "the last one wins"
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /**
     * Builds the binding of {@link JobConfig} (introspection of its classes) ahead of the first parse: called on
     * a start-up thread while the command line is read. It reads no file and changes nothing a parse sees.
     */
    public static void warmUp() {
        MAPPER.readerFor(JobConfig.class);
    }

    public JobConfig parse(String yaml, String origin) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(yaml);
        } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
            String duplicate = DuplicateKey.path(e);
            if (duplicate != null) {
                throw new SluiceException(origin + ": key '" + duplicate + "' is written twice" + location(e),
                        "keep one of them");
            }
            throw new SluiceException(ConfigSecrets.mask(origin + " is not valid YAML: " + e.getOriginalMessage()
                    + location(e), yaml), "correct the YAML syntax");
        } catch (JsonProcessingException e) {
            throw new SluiceException(ConfigSecrets.mask(origin + " is not valid YAML: " + e.getOriginalMessage()
                    + location(e), yaml), "correct the YAML syntax");
        }
        if (tree == null || !tree.isObject()) {
            throw new SluiceException(origin + " must be a YAML mapping with name, source, target and objects", "see the README's job file example");
        }
        expand(tree, "");
        JobConfig config;
        try {
            config = MAPPER.treeToValue(tree, JobConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new SluiceException(origin + ": unknown key '" + path(e) + "'",
                    "remove it or use one of: " + known);
        } catch (InvalidFormatException e) {
            throw new SluiceException(ConfigSecrets.mask(origin + ": key '" + path(e) + "' has value '" + e.getValue()
                    + "', expected " + expected(e.getTargetType()), yaml), "correct the value");
        } catch (MismatchedInputException e) {
            throw new SluiceException(origin + ": key '" + path(e) + "' has the wrong type, expected "
                    + expected(e.getTargetType()), "correct the value");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // an enum's parse rejected the value: its message lists the accepted values (never a class name)
            String accepted = e.getCause() != null ? e.getCause().getMessage() : "another value";
            throw new SluiceException(ConfigSecrets.mask(origin + ": key '" + path(e) + "' has value '" + valueAt(tree, e) + "', "
                    + accepted, yaml), "correct the value");
        } catch (JsonMappingException e) {
            throw new SluiceException(ConfigSecrets.mask(origin + ": key '" + path(e) + "': " + e.getOriginalMessage(), yaml),
                    "correct the value");
        } catch (JsonProcessingException e) {
            throw new SluiceException(ConfigSecrets.mask(origin + ": " + e.getOriginalMessage(), yaml), "correct the value");
        }
        validate(config, origin);
        checkFormatOptionsUsed(tree, config, origin);
        return config;
    }

    /**
     * A format's option set to something other than its default where no topic uses it would
     * silently do nothing: a mistake, like target.canal.batch: event without a Canal topic. The
     * default written out changes nothing and is accepted (earlier example job files had
     * {@code debezium: {schemas: true}} under a DTS Avro target).
     */
    private static void checkFormatOptionsUsed(JsonNode tree, JobConfig c, String origin) {
        JsonNode target = tree.path("target");
        String formats = "target.format is " + JobConfig.Format.name(c.target.format)
                + (c.target.topicFormats().isEmpty() ? "" : ", target.topics entries: "
                + c.target.topicFormats().values().stream().distinct().map(f -> JobConfig.Format.name(f)).collect(Collectors.joining(", ")));
        if (target.path("canal").has("batchMaxRows") && c.target.canal.batchMaxRows != new JobConfig.Canal().batchMaxRows) {
            if (!writes(c, JobConfig.Format.CANAL_JSON)) {
                throw new SluiceException(origin + ": key 'target.canal.batchMaxRows' is set but no topic is written as canalJson (" + formats + ")",
                        "remove target.canal.batchMaxRows, or write a topic as canalJson (target.format or a target.topics entry's format) with target.canal.batch: event");
            }
            if (c.target.canal.batch != JobConfig.CanalBatch.EVENT) {
                throw new SluiceException(origin + ": key 'target.canal.batchMaxRows' is set but target.canal.batch is row (one message per row)",
                        "set target.canal.batch: event to put a rows event's rows in one message, or remove target.canal.batchMaxRows");
            }
        }
        if (target.path("debezium").has("schemas") && c.target.debezium.schemas != new JobConfig.Debezium().schemas
                && !writes(c, JobConfig.Format.DEBEZIUM_JSON)) {
            throw new SluiceException(origin + ": key 'target.debezium.schemas' is set but no topic is written as debeziumJson (" + formats + ")",
                    "remove target.debezium.schemas, or set target.format: debeziumJson (or format: debeziumJson in a target.topics entry)");
        }
    }

    private static boolean writes(JobConfig c, JobConfig.Format format) {
        return c.target.format == format || c.target.topicFormats().containsValue(format);
    }

    private void validate(JobConfig c, String origin) {
        require(c.name, "name", origin);
        require(c.source, "source", origin);
        require(c.source.name, "source.name", origin);
        require(c.source.host, "source.host", origin);
        require(c.source.user, "source.user", origin);
        checkSsl(c.source, origin);
        require(c.source.serverId, "source.serverId", origin);
        require(c.source.onTruncate, "source.onTruncate", origin);
        if (c.source.serverId <= 0 || c.source.serverId > 4294967295L) {
            throw bad(origin, "source.serverId", "a positive 32-bit integer unique among the source's replicas");
        }
        if (c.source.port <= 0 || c.source.port > 65535) throw bad(origin, "source.port", "a TCP port 1..65535");
        if (c.source.connectTimeoutSeconds < 1) throw bad(origin, "source.connectTimeoutSeconds", "at least 1 (seconds)");
        require(c.target, "target", origin);
        if (c.target.connectTimeoutSeconds < 1) throw bad(origin, "target.connectTimeoutSeconds", "at least 1 (seconds)");
        require(c.target.bootstrapServers, "target.bootstrapServers", origin);
        require(c.target.topic, "target.topic", origin);
        checkTopicName(c.target.topic, "target.topic", origin);
        if (c.target.partitions < 1) throw bad(origin, "target.partitions", "at least 1");
        if (c.target.replicationFactor < 1) throw bad(origin, "target.replicationFactor", "at least 1");
        if (c.target.transactionMaxRecords < 1) throw bad(origin, "target.transactionMaxRecords", "at least 1");
        if (c.target.commitIntervalMs < 1) throw bad(origin, "target.commitIntervalMs", "at least 1");
        require(c.target.canal, "target.canal", origin);
        if (c.target.canal.batchMaxRows < 1) throw bad(origin, "target.canal.batchMaxRows", "at least 1 (rows in one Canal message)");
        checkDdl(c, origin);
        checkTopics(c, origin);
        checkCanalBatchUsed(c, origin);
        require(c.objects, "objects", origin);
        if (c.objects.include == null || c.objects.include.isEmpty()) {
            throw new SluiceException(origin + ": missing required key 'objects.include'",
                    "list the tables to sync as db.table, e.g. include: [shop.orders]");
        }
        checkTableNames(c.objects.include, "objects.include", origin);
        checkTableNames(c.objects.exclude, "objects.exclude", origin);
        checkTableNames(c.objects.mapping.tables.keySet(), "objects.mapping.tables", origin);
        checkTableNames(c.objects.mapping.tables.values(), "objects.mapping.tables", origin);
        checkTableNames(c.objects.mapping.columns.keySet(), "objects.mapping.columns", origin);
        checkNames(c.objects.mapping, origin);
        require(c.state.dir, "state.dir", origin);
        require(c.initialization, "initialization", origin);
        if (c.initialization.chunkSize < 1 || c.initialization.chunkSize > 1_000_000) {
            throw bad(origin, "initialization.chunkSize", "1..1000000");
        }
        if (c.initialization.parallelism < 1 || c.initialization.parallelism > 64) {
            throw bad(origin, "initialization.parallelism", "1..64");
        }
    }

    /** Settings that would silently do nothing are mistakes: a CA nothing checks against, a key without its certificate. */
    private static void checkSsl(JobConfig.Source source, String origin) {
        JobConfig.Ssl ssl = source.ssl;
        require(ssl, "source.ssl", origin);
        require(ssl.mode, "source.ssl.mode", origin);
        if ((ssl.cert == null) != (ssl.key == null)) {
            String missing = ssl.cert == null ? "source.ssl.cert" : "source.ssl.key";
            throw new SluiceException(origin + ": key '" + missing + "' is missing: a client certificate needs both source.ssl.cert and source.ssl.key",
                    "set both (PEM files), or neither");
        }
        if (ssl.mode == JobConfig.SslMode.DISABLED && (ssl.ca != null || ssl.cert != null)) {
            throw new SluiceException(origin + ": source.ssl.mode is disabled but source.ssl." + (ssl.ca != null ? "ca" : "cert") + " is set",
                    "set source.ssl.mode (required, verifyCa or verifyIdentity) or remove the certificate keys");
        }
        if (ssl.ca != null && !ssl.mode.verifies()) {
            throw new SluiceException(origin + ": source.ssl.ca is set but source.ssl.mode " + ssl.mode.name().toLowerCase(java.util.Locale.ROOT)
                    + " does not check the server's certificate", "set source.ssl.mode: verifyCa (or verifyIdentity), or remove source.ssl.ca");
        }
    }

    private static void checkTopicName(String topic, String path, String origin) {
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw bad(origin, path, "a Kafka topic name: letters, digits, '.', '_' and '-'");
        }
    }

    private static void checkDdl(JobConfig c, String origin) {
        JobConfig.Ddl ddl = c.target.ddl;
        require(ddl, "target.ddl", origin);
        if (ddl.topic == null) return;
        checkTopicName(ddl.topic, "target.ddl.topic", origin);
        if (!ddl.enabled) {
            throw new SluiceException(origin + ": key 'target.ddl.topic' is set but target.ddl.enabled is false",
                    "set target.ddl.enabled: true to write DDL records there, or remove target.ddl.topic");
        }
        String checkpoints = c.state != null && c.state.checkpointTopic != null ? c.state.checkpointTopic : c.target.topic + "-sluice-checkpoints";
        if (ddl.topic.equals(checkpoints)) {
            throw bad(origin, "target.ddl.topic", "a topic other than the checkpoint topic " + checkpoints);
        }
    }

    /** Placeholders a target.topics topic may hold: the table's mapped names. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(database|table)}");

    /**
     * target.topics: each pattern a db.table entry like objects.include, each topic a Kafka topic
     * name (placeholders aside), none of them the checkpoint topic.
     */
    /** batch: event where no topic is written as Canal JSON would silently do nothing (the user expects event messages). */
    private static void checkCanalBatchUsed(JobConfig c, String origin) {
        if (c.target.canal.batch != JobConfig.CanalBatch.EVENT) return;
        if (c.target.format == JobConfig.Format.CANAL_JSON || c.target.topicFormats().containsValue(JobConfig.Format.CANAL_JSON)) return;
        throw new SluiceException(origin + ": key 'target.canal.batch' is event but no topic is written as canalJson (target.format is "
                + JobConfig.Format.name(c.target.format) + ")",
                "set target.format: canalJson (or format: canalJson in a target.topics entry), or remove target.canal.batch");
    }

    private static void checkTopics(JobConfig c, String origin) {
        if (c.target.topics == null) c.target.topics = new java.util.LinkedHashMap<>();
        String checkpoints = c.state != null && c.state.checkpointTopic != null ? c.state.checkpointTopic : c.target.topic + "-sluice-checkpoints";
        for (Map.Entry<String, String> e : c.target.topics.entrySet()) {
            String path = "target.topics." + e.getKey();
            try {
                TableId.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw bad(origin, "target.topics", "table patterns as in objects.include (db.table, '*' wildcards, odd names in backticks), got '"
                        + e.getKey() + "': " + ex.getMessage());
            }
            String topic = e.getValue() == null ? "" : e.getValue().trim();
            if (topic.isEmpty()) {
                throw new SluiceException(origin + ": key '" + path + "' has an empty topic name",
                        "name the topic for the tables '" + e.getKey() + "' matches, or remove the entry (unmatched tables go to target.topic)");
            }
            String literal = PLACEHOLDER.matcher(topic).replaceAll("");
            if (literal.contains("{") || literal.contains("}")) {
                throw bad(origin, path, "a Kafka topic name, with {database} and {table} as the only placeholders, got '" + topic + "'");
            }
            if (literal.equals(topic)) {
                checkTopicName(topic, path, origin);
            } else if (!literal.matches("[a-zA-Z0-9._-]{0,249}")) {
                throw bad(origin, path, "a Kafka topic name: letters, digits, '.', '_' and '-' around the placeholders, got '" + topic + "'");
            }
            if (topic.equals(checkpoints)) throw bad(origin, path, "a topic other than the checkpoint topic " + checkpoints);
            e.setValue(topic);
        }
        checkOneFormatPerTopic(c, origin);
    }

    /**
     * A topic keeps one record format: two target.topics entries naming the same topic (or target.topic)
     * must write the same format. (Templates are checked at start, once the tables they name are known.)
     */
    private static void checkOneFormatPerTopic(JobConfig c, String origin) {
        Map<String, String> writer = new java.util.HashMap<>(); // topic -> "format (which key)"
        Map<String, JobConfig.Format> format = new java.util.HashMap<>();
        format.put(c.target.topic, c.target.format);
        writer.put(c.target.topic, "target.format");
        for (String pattern : c.target.topics.keySet()) {
            String topic = c.target.topics.get(pattern);
            if (PLACEHOLDER.matcher(topic).find()) continue;
            JobConfig.Format f = c.target.formatOf(pattern);
            JobConfig.Format before = format.putIfAbsent(topic, f);
            if (before != null && before != f) {
                throw new SluiceException(origin + ": key 'target.topics." + pattern + "' writes " + JobConfig.Format.name(f) + " records to topic "
                        + topic + ", which gets " + JobConfig.Format.name(before) + " records (" + writer.get(topic) + ")",
                        "a topic holds one record format: give the entry another topic, or the same format");
            }
            writer.putIfAbsent(topic, "target.topics entry '" + pattern + "'");
        }
    }

    private static void checkTableNames(Iterable<String> names, String path, String origin) {
        int i = 0;
        for (String n : names) {
            try {
                TableId.parse(n);
            } catch (IllegalArgumentException e) {
                throw bad(origin, path + "[" + i + "]", "db.table (a name holding '.' in backticks: `db.x`.`t.y`), got '"
                        + n + "': " + e.getMessage());
            }
            i++;
        }
    }

    /** Single names (databases, columns): bare, or in backticks with backticks inside doubled. */
    private static void checkNames(JobConfig.Mapping m, String origin) {
        m.databases.forEach((k, v) -> {
            checkName(k, "objects.mapping.databases." + k, origin);
            checkName(v, "objects.mapping.databases." + k, origin);
        });
        m.columns.forEach((table, cols) -> {
            if (cols == null) throw bad(origin, "objects.mapping.columns." + table, "a mapping of column names");
        });
        m.columns.forEach((table, cols) -> cols.forEach((k, v) -> {
            checkName(k, "objects.mapping.columns." + table + "." + k, origin);
            checkName(v, "objects.mapping.columns." + table + "." + k, origin);
        }));
    }

    private static void checkName(String name, String path, String origin) {
        try {
            if (name == null || QualifiedName.name(name).isEmpty()) throw new IllegalArgumentException("empty name");
        } catch (IllegalArgumentException e) {
            throw bad(origin, path, "a name, bare or in backticks (`a``b` for a`b), got '" + name + "': " + e.getMessage());
        }
    }

    private static void require(Object value, String path, String origin) {
        if (value == null) {
            throw new SluiceException(origin + ": missing required key '" + path + "'", "add it to the job file");
        }
    }

    private static SluiceException bad(String origin, String path, String expected) {
        return new SluiceException(origin + ": key '" + path + "' is invalid, expected " + expected, "correct the value");
    }

    /** Replaces ${VAR} and ${VAR:-default} in every string scalar. */
    private void expand(JsonNode node, String path) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    e.setValue(new TextNode(substitute(e.getValue().asText(), p)));
                } else {
                    expand(e.getValue(), p);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                String p = path + "[" + i + "]";
                if (arr.get(i).isTextual()) arr.set(i, new TextNode(substitute(arr.get(i).asText(), p)));
                else expand(arr.get(i), p);
            }
        }
    }

    private String substitute(String text, String path) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) value = m.group(2);
            if (value == null) {
                throw new SluiceException("key '" + path + "' uses ${" + m.group(1) + "}, which is not set",
                        "export " + m.group(1) + " before starting, or write ${" + m.group(1) + ":-default}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The YAML value at the exception's path, as text. */
    private static String valueAt(JsonNode tree, JsonMappingException e) {
        JsonNode node = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) break;
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node == null ? "" : node.asText();
    }

    private static String expected(Class<?> type) {
        if (type == null) return "another type";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class) return "an integer";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (java.util.List.class.isAssignableFrom(type)) return "a list";
        if (java.util.Map.class.isAssignableFrom(type)) return "a mapping";
        if (type.isEnum()) return ConfigKeys.acceptedValues(type);
        return "a mapping";
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
