package io.sluice.core.route;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.Column;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Selection (include/exclude), name mapping, topic and partition of each table's changes. */
public final class Router {

    private final List<TablePattern> include;
    private final List<TablePattern> exclude;
    private final NameMapping mapping;
    private final TopicRoutes topics;
    /** Per source table, its topic (target.topics, else target.topic). */
    private final Map<TableId, String> topicCache = new ConcurrentHashMap<>();
    private final JobConfig.Partitioning partitioning;
    /** Per table, the route of the schema version last seen (compared by identity: schemas are immutable). */
    private final Map<TableId, Cached> routes = new ConcurrentHashMap<>();

    private record Cached(TableSchema schema, Route route) {}

    /**
     * The route asked for last: rows come in runs of one table, and this spares each row the map
     * lookup (a racy read is safe: a {@code Cached} is immutable, and any one seen is right for its schema).
     */
    private Cached last;

    private final Map<TableId, Boolean> selection = new ConcurrentHashMap<>();

    public Router(JobConfig.Objects objects, JobConfig.Target target) {
        this.include = objects.include.stream().map(TablePattern::parse).toList();
        this.exclude = objects.exclude.stream().map(TablePattern::parse).toList();
        this.mapping = NameMapping.of(objects.mapping);
        this.topics = new TopicRoutes(target.topics, target.topicFormats(), target.topic, target.format);
        this.partitioning = target.partitionBy;
    }

    /** Cached per table: this runs for every rows event. */
    public boolean selects(TableId id) {
        Boolean selected = selection.get(id);
        if (selected == null) {
            if (selection.size() >= 100_000) selection.clear();
            selected = include.stream().anyMatch(p -> p.matches(id)) && exclude.stream().noneMatch(p -> p.matches(id));
            selection.put(id, selected);
        }
        return selected;
    }

    /** Include entries without wildcards: each must name an existing table. */
    public List<TableId> literalIncludes() {
        return include.stream().filter(TablePattern::isLiteral).map(TablePattern::literal).toList();
    }

    /**
     * The include entries that select none of {@code selected} (the tables this router selects on
     * the source): a name that does not exist, a pattern that matches no table, or one whose every
     * table is excluded. Each is a job that silently syncs less than written.
     */
    public List<TablePattern> includesSelectingNothing(java.util.Collection<TableId> selected) {
        return include.stream().filter(p -> selected.stream().noneMatch(p::matches)).toList();
    }

    /** The include entries as written, parsed. */
    public List<TablePattern> includes() {
        return include;
    }

    public Route route(TableSchema schema) {
        Cached cached = last;
        if (cached != null && cached.schema == schema) return cached.route;
        cached = routes.get(schema.id());
        if (cached == null || cached.schema != schema) {
            cached = new Cached(schema, computeRoute(schema));
            routes.put(schema.id(), cached);
        }
        last = cached;
        return cached.route;
    }

    private Route computeRoute(TableSchema schema) {
        TableId source = schema.id();
        Map<String, String> columnMap = mapping.columns(source);
        List<String> names = new ArrayList<>(schema.columns().size());
        for (Column c : schema.columns()) {
            names.add(columnMap.getOrDefault(c.name(), c.name()));
        }
        return new Route(topicOf(source), objectName(source), List.copyOf(names), topics.formatOf(source));
    }

    /** The record format of a source table's topic: its target.topics entry's own, else target.format. */
    public JobConfig.Format formatOf(TableId source) {
        return topics.formatOf(source);
    }

    /** The topic of a source table's records: the first target.topics entry matching it, else target.topic. */
    public String topicOf(TableId source) {
        String topic = topicCache.get(source);
        if (topic == null) {
            if (topicCache.size() >= 100_000) topicCache.clear();
            topic = topics.topicOf(source, mappedName(source));
            topicCache.put(source, topic);
        }
        return topic;
    }

    /** target.topic: tables no target.topics entry takes, and database statements (DDL records). */
    public String defaultTopic() {
        return topics.defaultTopic();
    }

    /** The default topic and the topic of each table: every record topic these tables' records (and database DDL) go to, in first-seen order. */
    public java.util.Set<String> recordTopics(java.util.Collection<TableId> tables) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        all.add(defaultTopic());
        for (TableId t : tables) all.add(topicOf(t));
        return all;
    }

    /** The target.topics entries as written, parsed, in order. */
    public TopicRoutes topicRoutes() {
        return topics;
    }

    /** DTS objectName of a table: its target db.table, dots inside names escaped. */
    public String objectName(TableId source) {
        TableId target = mappedName(source);
        return escape(target.database()) + "." + escape(target.table());
    }

    /** DTS objectName of a database statement: the target database name. */
    public String databaseObjectName(String database) {
        return escape(mapping.database(database));
    }

    /**
     * Whether a database's statements concern the selection: some include pattern can match a table
     * of it and no exclude pattern takes all its tables ({@code db.*}).
     */
    public boolean selectsDatabase(String database) {
        return include.stream().anyMatch(p -> p.matchesDatabase(database))
                && exclude.stream().noneMatch(p -> p.matchesDatabase(database) && p.wholeDatabases());
    }

    public TableId mappedName(TableId source) {
        return mapping.table(source);
    }

    /**
     * The partition of one row: 0, or the partition Kafka's default partitioner would give a key made
     * of the source table's name ({@code table}), or of the table's name and the row's primary key
     * values ({@code primaryKey}: every change of one row lands, in order, on one partition; a table
     * without a primary key hashes the whole row). See {@link #partitionKey} for the key's bytes.
     */
    public int partition(RowChange change, int partitionCount) {
        if (partitionCount <= 1) return 0;
        return switch (partitioning) {
            case NONE -> 0;
            case TABLE -> tablePartition(change.table().id(), partitionCount);
            case PRIMARY_KEY -> Murmur2.partition(partitionKey(change), partitionCount);
        };
    }

    /**
     * The partition of a DDL record: with {@code partitionBy: table} the table's own partition, so
     * it sits in order among that table's rows; with {@code primaryKey} the same partition (a
     * table's rows span every partition, the record id gives the order across them); 0 for
     * {@code none} and for database statements ({@code table} null).
     */
    public int ddlPartition(TableId table, int partitionCount) {
        if (table == null || partitioning == JobConfig.Partitioning.NONE) return 0;
        return tablePartition(table, partitionCount);
    }

    /** The partition of everything of one table under {@code partitionBy: table}. */
    public static int tablePartition(TableId table, int partitionCount) {
        return partitionCount <= 1 ? 0 : Murmur2.partition(table.plainName().getBytes(StandardCharsets.UTF_8), partitionCount);
    }

    /**
     * {@code db.table} in UTF-8, then per primary key column (every column without one) a 0 byte and
     * the value: the stored bytes of strings, binaries and geometries, the decimal text of numbers,
     * the digits of temporal values; a NULL is a 1 byte instead.
     */
    static byte[] partitionKey(RowChange change) {
        Value[] row = change.after() != null ? change.after() : change.before();
        List<String> pk = change.table().primaryKey();
        ByteArrayOutputStream key = new ByteArrayOutputStream(64);
        key.writeBytes(change.table().id().plainName().getBytes(StandardCharsets.UTF_8));
        if (pk.isEmpty()) {
            for (Value v : row) appendKeyPart(key, v);
        } else {
            for (String col : pk) appendKeyPart(key, row[change.table().indexOf(col)]);
        }
        return key.toByteArray();
    }

    private static void appendKeyPart(ByteArrayOutputStream key, Value v) {
        if (v == null) {
            key.write(1);
            return;
        }
        key.write(0);
        key.writeBytes(keyBytes(v));
    }

    private static byte[] keyBytes(Value v) {
        if (v instanceof Value.IntegerValue i) return ascii(i.value());
        if (v instanceof Value.CharacterValue c) return c.value();
        if (v instanceof Value.DecimalValue d) return ascii(d.value());
        if (v instanceof Value.FloatValue f) return ascii(Double.toString(f.value()));
        if (v instanceof Value.TimestampValue t) return ascii(t.timestamp() + "." + t.millis());
        if (v instanceof Value.DateTimeValue d) {
            return ascii(d.year() + "-" + d.month() + "-" + d.day() + " " + d.hour() + ":" + d.minute() + ":" + d.second() + "." + d.millis());
        }
        if (v instanceof Value.BinaryGeometryValue g) return g.value();
        if (v instanceof Value.BinaryObjectValue b) return b.value();
        return ((Value.TextObjectValue) v).value().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String escape(String name) {
        return name.replace(".", "\\u002E");
    }
}
