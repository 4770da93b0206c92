package io.sluice.core.route;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code target.topics}: which topic a table's records go to. Entries are tried in order and the
 * first whose pattern matches the source table wins; a table no entry matches goes to the default
 * {@code target.topic}. A topic may hold {@code {database}} and {@code {table}}, replaced by the
 * table's mapped (target) names, each character Kafka does not allow in a topic name written as
 * {@code _} (Debezium's {@code <prefix>.<db>.<table>} is {@code prefix.{database}.{table}}).
 */
public final class TopicRoutes {

    /** @param topic as written, placeholders included; @param format the records' format there (the entry's own, else target.format) */
    public record Entry(TablePattern pattern, String topic, JobConfig.Format format) {
        boolean isTemplate() { return topic.contains("{database}") || topic.contains("{table}"); }
    }

    private static final int MAX_TOPIC_LENGTH = 249;

    private final List<Entry> entries = new ArrayList<>();
    private final String defaultTopic;
    /** Topics no table may be routed to by a template (the job's checkpoint and DDL topics). */
    private final java.util.Set<String> reserved = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The default format (target.format) of every entry and of the default topic. */
    private final JobConfig.Format defaultFormat;

    public TopicRoutes(Map<String, String> topics, String defaultTopic) {
        this(topics, Map.of(), defaultTopic, JobConfig.Format.DTS_AVRO);
    }

    /** @param formats the entries' own formats by pattern (target.topics entries naming one); the others write {@code defaultFormat} */
    public TopicRoutes(Map<String, String> topics, Map<String, JobConfig.Format> formats, String defaultTopic, JobConfig.Format defaultFormat) {
        if (topics != null) {
            topics.forEach((pattern, topic) -> entries.add(new Entry(TablePattern.parse(pattern), topic,
                    formats == null ? defaultFormat : formats.getOrDefault(pattern, defaultFormat))));
        }
        this.defaultTopic = defaultTopic;
        this.defaultFormat = defaultFormat;
    }

    /** The record format of a source table's topic: its entry's, else target.format. */
    public JobConfig.Format formatOf(TableId source) {
        Entry e = entryFor(source);
        return e == null ? defaultFormat : e.format();
    }

    /** target.format: the default topic's (and the DDL topic's) format. */
    public JobConfig.Format defaultFormat() { return defaultFormat; }

    /** A topic of the job that is not a record topic (its checkpoint topic, a separate DDL topic). */
    public void reserve(String topic) {
        if (topic != null) reserved.add(topic);
    }

    public String defaultTopic() { return defaultTopic; }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** The entry that routes {@code source}, or null (the default topic). */
    public Entry entryFor(TableId source) {
        for (Entry e : entries) if (e.pattern().matches(source)) return e;
        return null;
    }

    /** The topic of a source table whose mapped name is {@code mapped}. */
    public String topicOf(TableId source, TableId mapped) {
        Entry e = entryFor(source);
        if (e == null) return defaultTopic;
        if (!e.isTemplate()) return e.topic();
        String topic = e.topic().replace("{database}", topicText(mapped.database())).replace("{table}", topicText(mapped.table()));
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new SluiceException("table " + source + " gets topic name " + topic.substring(0, 40) + "... from target.topics entry '"
                    + e.pattern().text() + "': " + topic.length() + " characters, Kafka allows " + MAX_TOPIC_LENGTH,
                    "put an entry naming a shorter topic for " + source + " before '" + e.pattern().text() + "' in target.topics");
        }
        if (reserved.contains(topic) || topic.startsWith("__") || topic.endsWith("-sluice-checkpoints")) {
            // a table's name must not steer its rows into a checkpoint or Kafka's internal topics
            throw new SluiceException("table " + source + " gets topic name " + topic + " from target.topics entry '"
                    + e.pattern().text() + "': that is a checkpoint, DDL or internal topic, not a topic for records",
                    "put an entry naming another topic for " + source + " before '" + e.pattern().text() + "' in target.topics,"
                            + " or exclude the table (objects.exclude)");
        }
        return topic;
    }

    /**
     * The entries that route none of {@code selected}: no selected table matches them, or earlier
     * entries take every one that does. Like an include entry selecting nothing, usually a typo.
     */
    public List<Entry> entriesRoutingNothing(Collection<TableId> selected) {
        List<Entry> unused = new ArrayList<>(entries);
        for (TableId t : selected) unused.remove(entryFor(t));
        return unused;
    }

    /** A name as part of a topic name: characters Kafka does not allow (outside letters, digits, '.', '_', '-') become '_'. */
    static String topicText(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            out.append(ok ? c : '_');
        }
        return out.toString();
    }
}
