package io.sluice.engine.precheck;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Router;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TransactionalKafkaSink;
import io.sluice.source.mysql.Catalog;
import io.sluice.source.mysql.Privileges;
import io.sluice.source.mysql.ServerIdUsers;
import io.sluice.source.mysql.BinlogFilters;
import io.sluice.source.mysql.ForeignKeyCascades;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;
import io.sluice.source.mysql.tls.SourceTls;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Everything a job needs from its source and target, checked before it starts: each item passes,
 * warns (works, with a risk named) or fails (the job would not run correctly), with the fix.
 */
public final class Precheck {

    /** Shadow tables of gh-ost (_x_gho, _x_ghc, _x_del) and pt-online-schema-change (_x_new, _x_old). */
    private static final Pattern SHADOW = Pattern.compile("^_.+_(gho|ghc|del|new|old)$");

    private final JobConfig config;
    /** The source's max_allowed_packet: no row can be larger (0 when the source was not reached). */
    private long maxAllowedPacket;
    /** The tables the job selects on the source (null when the source was not reached): their target.topics topics are checked. */
    private List<TableId> selected;

    public Precheck(JobConfig config) {
        this.config = config;
    }

    /** As {@link io.sluice.engine.job.SyncJob#sameNameIsThisJob}: the Connect shell's connector validation. */
    public Precheck sameNameIsThisJob(boolean on) {
        this.sameNameIsThisJob = on;
        return this;
    }

    private boolean sameNameIsThisJob;

    /** The source account when SELECT is not granted ON *.* (see {@link Privileges#limitedAccount}), else null. */
    private String hiddenFrom;

    /** Topics of the shell no record may go to (a Connect worker's internal topics), each with what it is. */
    private java.util.Map<String, String> notRecordTopics = java.util.Map.of();

    /** The Connect shell's validation: its worker's internal topics are refused as record topics. */
    public Precheck notRecordTopics(java.util.Map<String, String> topics) {
        this.notRecordTopics = topics;
        return this;
    }

    /** Runs every check, reporting each result as it comes; returns them all. */
    public List<CheckResult> run(Consumer<CheckResult> report) {
        List<CheckResult> results = new ArrayList<>();
        Consumer<CheckResult> add = r -> {
            results.add(r);
            report.accept(r);
        };
        source(add);
        target(add);
        return results;
    }

    private void source(Consumer<CheckResult> add) {
        JobConfig.Source src = config.source;
        String where = src.host + ":" + src.port;
        SourceConnection source = new SourceConnection(src);
        try (Connection c = source.open()) {
            add.accept(CheckResult.pass("source connectivity", "connected to " + where + " as " + src.user));
            add.accept(encryption(c, src));
            ServerInfo info = ServerInfo.read(c);
            if (info.variable("max_allowed_packet") != null) maxAllowedPacket = Long.parseLong(info.variable("max_allowed_packet"));
            add.accept(version(info));
            add.accept(privileges(c));
            add.accept(variableIs(info, "log_bin", "ON", "binary log", "set log_bin=mysql-bin and a server_id in my.cnf, restart the server"));
            add.accept(variableIs(info, "binlog_format", "ROW", "binlog_format", "SET GLOBAL binlog_format='ROW' and binlog_format=ROW in my.cnf"));
            if (info.variable("binlog_row_image") != null) {
                add.accept(variableIs(info, "binlog_row_image", "FULL", "binlog_row_image", "SET GLOBAL binlog_row_image='FULL' and binlog_row_image=FULL in my.cnf"));
            } else if (!info.mariaDb()) { // before MySQL 5.6
                add.accept(CheckResult.pass("binlog_row_image", "not on this server version: rows are always logged in full"));
            }
            if (info.variable("binlog_row_metadata") != null) add.accept(rowMetadata(info));
            add.accept(serverId(c, info));
            add.accept(info.gtidMode()
                    ? CheckResult.pass("GTID", info.mariaDb() ? "MariaDB GTIDs: resume by GTID, failover within the replication group" : "gtid_mode=ON: resume by GTID, failover within the replication group")
                    : info.variable("gtid_mode") == null // before MySQL 5.6
                    ? CheckResult.warn("GTID", "no GTIDs on this server version: resume by file and position only",
                    "upgrade to MySQL 5.7+ with gtid_mode=ON to survive a failover to another server")
                    : CheckResult.warn("GTID", "gtid_mode=" + info.variable("gtid_mode") + ": resume by file and position only",
                    "enable GTIDs (gtid_mode=ON, enforce_gtid_consistency=ON) to survive a failover to another server"));
            if ("ON".equalsIgnoreCase(info.variable("binlog_transaction_compression"))) {
                add.accept(CheckResult.pass("binlog compression", "binlog_transaction_compression=ON: compressed transactions are decompressed (zstd)"));
            }
            if ("ON".equalsIgnoreCase(info.variable("log_bin_compress"))) {
                add.accept(CheckResult.pass("binlog compression", "log_bin_compress=ON: MariaDB's compressed events are decompressed (zlib)"));
            }
            if (info.variable("binlog_row_value_options") != null) add.accept(rowValueOptions(info.variable("binlog_row_value_options")));
            if (info.variable("log_slave_updates") != null && !"ON".equalsIgnoreCase(info.variable("log_slave_updates"))) {
                add.accept(CheckResult.warn("cascade", "log_slave_updates=OFF: changes replicated into this server are not in its binlog",
                        "set log_slave_updates=ON if this server is a replica whose upstream changes must be synced"));
            }
            tables(c, info.mariaDb(), source, add);
        } catch (SluiceException e) {
            add.accept(CheckResult.fail("source connectivity", e.problem(), e.fix()));
        } catch (SQLException e) {
            add.accept(CheckResult.fail("source", e.getMessage(), "see the server's error"));
        }
    }

    /** Whether the source connections are encrypted; required and stricter modes fail at connect already. */
    private static CheckResult encryption(Connection c, JobConfig.Source src) throws SQLException {
        String tls = SourceTls.encryption(c);
        if (tls != null) {
            return CheckResult.pass("encryption", "TLS " + tls + (src.ssl.mode.verifies() ? ", server certificate verified" : ", server certificate not verified"));
        }
        if (src.ssl.mode == JobConfig.SslMode.DISABLED) return CheckResult.pass("encryption", "not encrypted: source.ssl.mode is disabled");
        String because = SourceTls.of(src).plainBecause();
        return because != null
                ? CheckResult.warn("encryption", "not encrypted: " + because + " (source.ssl.mode preferred)",
                "use a server with TLS 1.2 (MySQL 5.7.28+, 8.x), or set source.ssl.mode: disabled to skip the attempt")
                : CheckResult.warn("encryption", "not encrypted: the server offers no TLS (source.ssl.mode preferred)",
                "enable TLS on the server and set source.ssl.mode: required (or verifyCa/verifyIdentity) so it stays on");
    }

    private static CheckResult version(ServerInfo info) {
        String v = info.version();
        String[] parts = v.split("[.-]");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
        boolean supported = info.mariaDb() ? major == 10 || major == 11 : (major == 5 && minor >= 1) || major == 8;
        return supported ? CheckResult.pass("server version", v)
                : CheckResult.warn("server version", v + " is not a version Sluice is tested with",
                "MySQL 5.1-5.7, 8.x or MariaDB 10.x are supported");
    }

    private CheckResult privileges(Connection c) throws SQLException {
        Privileges p = Privileges.of(c);
        hiddenFrom = p.viaRoles() ? null : p.limitedAccount();
        if (p.missing().isEmpty() && hiddenFrom != null) {
            return CheckResult.warn("privileges", "SELECT on some databases or tables only, not ON *.*: the source hides the tables "
                    + hiddenFrom + " may not read, so objects.include patterns skip them and named ones look missing",
                    "GRANT SELECT ON *.* TO " + hiddenFrom + ", or on each database the job syncs");
        }
        if (p.missing().isEmpty()) return CheckResult.pass("privileges", String.join(", ", Privileges.NEEDED));
        String missing = "missing " + String.join(", ", p.missing());
        return p.viaRoles()
                ? CheckResult.warn("privileges", missing + " unless granted through a role", "check the account's roles, or " + p.grant())
                : CheckResult.fail("privileges", missing, p.grant());
    }

    private static CheckResult variableIs(ServerInfo info, String name, String expected, String item, String fix) {
        String value = info.variable(name);
        boolean ok = expected.equalsIgnoreCase(value) || ("ON".equals(expected) && "1".equals(value));
        return ok ? CheckResult.pass(item, name + "=" + value) : CheckResult.fail(item, name + "=" + value, fix);
    }

    /** MySQL 8.0.1+ and MariaDB 10.5+: FULL names the columns in the binlog, so the schema history is cross-checked. */
    private static CheckResult rowMetadata(ServerInfo info) {
        String value = info.variable("binlog_row_metadata");
        return CheckResult.pass("binlog_row_metadata", "FULL".equalsIgnoreCase(value)
                ? "binlog_row_metadata=FULL: the schema history is cross-checked with the binlog's column metadata"
                : "binlog_row_metadata=" + value + ": no cross-check of the schema history; SET GLOBAL binlog_row_metadata='FULL' to enable it");
    }

    /** MySQL 8.0.3+: PARTIAL_JSON logs JSON updates as diffs, from which no record can be made. */
    private static CheckResult rowValueOptions(String value) {
        return value.toUpperCase(java.util.Locale.ROOT).contains("PARTIAL_JSON")
                ? CheckResult.fail("binlog_row_value_options", "binlog_row_value_options=" + value
                        + ": updates of JSON columns are logged as changed parts, not whole rows, and Sluice stops at the first on a selected table",
                "SET GLOBAL binlog_row_value_options='' and remove PARTIAL_JSON from my.cnf")
                : CheckResult.pass("binlog_row_value_options", "binlog_row_value_options='" + value + "': JSON updates are logged whole");
    }

    private CheckResult serverId(Connection c, ServerInfo info) throws SQLException {
        long sourceId = Long.parseLong(info.variable("server_id") == null ? "0" : info.variable("server_id"));
        if (sourceId == 0) return CheckResult.fail("server_id", "the source has server_id=0", "set a non-zero server_id in my.cnf");
        if (sourceId == config.source.serverId) {
            return CheckResult.fail("server_id", "source.serverId " + config.source.serverId + " equals the source's own server_id",
                    "choose a source.serverId no server or replica of this topology uses");
        }
        String other;
        try {
            other = ServerIdUsers.otherStillConnected(c, config.source.serverId, config.name, sameNameIsThisJob);
        } catch (SQLException e) {
            if (!ServerIdUsers.accessDenied(e)) throw e;
            return CheckResult.warn("server_id", "source " + sourceId + ", job " + config.source.serverId
                    + "; the account may not list connected replicas (" + e.getMessage() + "), so another job or replica using "
                    + config.source.serverId + " is not seen before it cuts this job off",
                    ServerIdUsers.listReplicasGrant(info.mariaDb(), config.source.user));
        }
        if (other != null) {
            return CheckResult.fail("server_id", "source.serverId " + config.source.serverId + " is in use by " + other
                    + ": two binlog connections with one server_id cut each other off",
                    "give every job and every replica of the source its own server id: change source.serverId, or stop the other client");
        }
        return CheckResult.pass("server_id", "source " + sourceId + ", job " + config.source.serverId);
    }

    private void tables(Connection c, boolean mariaDb, SourceConnection source, Consumer<CheckResult> add) throws SQLException {
        Router router = new Router(config.objects, config.target);
        Catalog catalog = new Catalog(source);
        List<TableId> onSource = catalog.tables(t -> true);
        List<TableId> tables = onSource.stream().filter(router::selects).toList();
        selected = tables;
        add.accept(binlogFilters(BinlogFilters.read(c), tables));
        for (ForeignKeyCascades fk : ForeignKeyCascades.of(c, mariaDb, tables)) {
            add.accept(CheckResult.warn("cascades " + fk.child(), fk.problem(), ForeignKeyCascades.FIX));
        }
        List<EmptyIncludes.Entry> empty = EmptyIncludes.find(router, onSource, hiddenFrom);
        if (empty.isEmpty()) add.accept(CheckResult.pass("selected tables", tables.size() + " table(s): " + tables));
        for (EmptyIncludes.Entry e : empty) { // one item per entry: each names its own fix
            add.accept(CheckResult.fail("selected tables", "objects.include '" + e.pattern().text() + "': " + e.reason(), EmptyIncludes.fix(e)));
        }
        for (TableId t : tables) {
            TableSchema schema = catalog.load(t);
            if (schema == null) continue;
            if (schema.primaryKey().isEmpty()) {
                keylessTables.add(t);
                boolean unique = schema.keys().size() > 0;
                add.accept(CheckResult.warn("primary key " + t, unique ? "none; a unique key identifies rows" : "no primary or unique key",
                        "add a primary key: without one, consumers cannot tell repeated rows apart and may keep duplicates"));
            }
            if (SHADOW.matcher(t.table()).matches()) {
                add.accept(CheckResult.warn("online DDL " + t, "looks like a gh-ost / pt-online-schema-change shadow table",
                        "exclude shadow tables; Sluice follows the final RENAME that swaps them in"));
            }
        }
    }

    private CheckResult binlogFilters(BinlogFilters filters, List<TableId> tables) {
        if (!filters.any()) return CheckResult.pass("binlog filters", filters.describe() + ": every database is logged");
        java.util.Set<String> unlogged = filters.unlogged(tables);
        if (!unlogged.isEmpty()) {
            return CheckResult.fail("binlog filters", filters.unloggedProblem(unlogged, config.source.host + ":" + config.source.port),
                    BinlogFilters.UNLOGGED_FIX);
        }
        return CheckResult.warn("binlog filters", filters.describe() + ": the selected tables' rows are logged; " + BinlogFilters.DDL_WARNING,
                BinlogFilters.DDL_FIX);
    }

    /**
     * Kafka refuses records without a key in a compacted topic: dtsAvro and canalJson records have none,
     * debeziumJson ones none for a table without a primary key. An existing compacted record topic fails.
     */
    private void compactedTopics(KafkaTarget target, java.util.Collection<String> recordTopics, Consumer<CheckResult> add) {
        Router router = new Router(config.objects, config.target);
        java.util.Map<String, String> policies = target.topicConfig(recordTopics, "cleanup.policy");
        for (var e : policies.entrySet()) {
            if (e.getValue() == null || !e.getValue().contains("compact")) continue;
            String topic = e.getKey();
            List<TableId> routed = selected == null ? List.of() : selected.stream().filter(t -> topicOf(router, t).equals(topic)).toList();
            JobConfig.Format format = routed.isEmpty() ? config.target.format : router.formatOf(routed.get(0));
            List<TableId> keyless = format == JobConfig.Format.DEBEZIUM_JSON ? routed.stream().filter(keylessTables::contains).toList() : routed;
            if (format == JobConfig.Format.DEBEZIUM_JSON && keyless.isEmpty()) continue;
            String why = format == JobConfig.Format.DEBEZIUM_JSON ? "the debeziumJson records of " + keyless + " (no primary key) have no key"
                    : "its " + (format == JobConfig.Format.DTS_AVRO ? "dtsAvro" : "canalJson") + " records have no key";
            add.accept(CheckResult.fail("Kafka topic " + topic, "cleanup.policy=" + e.getValue() + ": Kafka refuses records without a key"
                    + " in a compacted topic, and " + why, "set cleanup.policy=delete (kafka-configs.sh --alter --entity-type topics"
                    + " --entity-name " + topic + " --add-config cleanup.policy=delete), or use another topic"));
        }
    }

    private static String topicOf(Router router, TableId t) {
        try {
            return router.topicOf(t);
        } catch (SluiceException e) {
            return ""; // reported with the topics
        }
    }

    /** Selected tables without a primary key (filled with the tables' checks). */
    private final java.util.Set<TableId> keylessTables = new java.util.HashSet<>();

    /**
     * Rows up to the source's max_allowed_packet must fit Kafka's limits, or the job stops at the
     * first larger one: the topic's max.message.bytes and the producer's max.request.size and buffer.memory.
     */
    private CheckResult recordSize(KafkaTarget target, java.util.Collection<String> recordTopics) {
        List<String> below = new ArrayList<>();
        List<String> smallTopics = new ArrayList<>();
        var maxBytes = target.maxMessageBytes(recordTopics);
        for (String topic : recordTopics) { // every topic a row can go to (target.topic, target.topics, the DDL topic)
            long topicMax = maxBytes.get(topic);
            if (topicMax > 0 && topicMax < maxAllowedPacket) {
                below.add("topic " + topic + " max.message.bytes=" + topicMax);
                smallTopics.add(topic);
            }
        }
        long request = producerSetting("max.request.size", 1_048_576);
        if (request < maxAllowedPacket) below.add("target.producer max.request.size=" + request);
        long buffer = producerSetting("buffer.memory", 33_554_432);
        if (buffer < maxAllowedPacket) below.add("target.producer buffer.memory=" + buffer);
        if (below.isEmpty()) {
            return CheckResult.pass("record size", "rows up to the source's max_allowed_packet (" + maxAllowedPacket + " bytes) fit Kafka's limits"
                    + (recordTopics.size() > 1 ? " (" + recordTopics.size() + " topics)" : ""));
        }
        List<String> toRaise = smallTopics.isEmpty() ? List.of(config.target.topic) : smallTopics;
        return CheckResult.warn("record size", "rows up to the source's max_allowed_packet (" + maxAllowedPacket
                        + " bytes) can exceed Kafka's limits: " + String.join(", ", below) + " (a larger row stops the job)",
                "raise them above the largest row: kafka-configs.sh --alter --entity-type topics --entity-name " + toRaise.get(0)
                        + " --add-config max.message.bytes=N" + (toRaise.size() > 1 ? " (and the same for " + String.join(", ", toRaise.subList(1, toRaise.size())) + ")" : "")
                        + ", and target.producer max.request.size and buffer.memory");
    }

    private long producerSetting(String key, long defaultValue) {
        String v = config.target.producer.get(key);
        try {
            return v == null ? defaultValue : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    private void target(Consumer<CheckResult> add) {
        try (KafkaTarget target = KafkaTarget.sharingAdmin(config.target)) { // one Admin client for all topic checks
            target(target, add);
        }
    }

    private void target(KafkaTarget target, Consumer<CheckResult> add) {
        CheckResult topic = topic(target, config.target.topic, "Kafka topic", " at " + config.target.bootstrapServers);
        add.accept(topic);
        if (topic.status() == CheckResult.Status.FAIL && topic.found().startsWith("cannot reach")) return;
        java.util.Set<String> recordTopics = new java.util.LinkedHashSet<>();
        recordTopics.add(config.target.topic);
        recordTopics.addAll(routedTopics(target, add));
        String ddlTopic = config.target.ddl.enabled ? config.target.ddl.topicOr(config.target.topic) : null;
        if (ddlTopic != null && !ddlTopic.equals(config.target.topic)) add.accept(topic(target, ddlTopic, "Kafka DDL topic", ""));
        if (ddlTopic != null) recordTopics.add(ddlTopic);
        topicNames(recordTopics, add);
        if (maxAllowedPacket > 0) add.accept(recordSize(target, recordTopics));
        compactedTopics(target, recordTopics, add);
        if (config.target.delivery == JobConfig.Delivery.AT_LEAST_ONCE) {
            add.accept(CheckResult.warn("delivery", "at-least-once (configured)", "consumers must drop repeats by record id"));
            return;
        }
        try (TransactionalKafkaSink sink = TransactionalKafkaSink.open(target, config.target.topic, "precheck-" + config.name)) {
            if (sink != null) {
                add.accept(CheckResult.pass("delivery", "exactly-once: the brokers support transactions"));
            } else if (config.target.delivery == JobConfig.Delivery.EXACTLY_ONCE) {
                add.accept(CheckResult.fail("delivery", "exactlyOnce, but the brokers do not support transactions (older than 0.11)",
                        "upgrade the brokers to 0.11 or later, or set target.delivery: atLeastOnce"));
            } else {
                add.accept(CheckResult.warn("delivery", "the brokers do not support transactions (older than 0.11): at-least-once",
                        "upgrade the brokers to 0.11+ for exactly-once; until then consumers drop repeats by record id"));
            }
        } catch (RuntimeException e) {
            add.accept(CheckResult.fail("delivery", "transactions failed: " + e.getMessage(),
                    "grant Sluice's principal WRITE and DESCRIBE on transactional id sluice-" + config.name));
        }
    }

    /**
     * target.topics: each topic the selected tables are routed to, checked like target.topic (one
     * item per topic, naming its tables), and each entry that routes no selected table (a warning,
     * as such an entry is usually a typo; tables created later may still match it).
     */
    private java.util.Set<String> routedTopics(KafkaTarget target, Consumer<CheckResult> add) {
        Router router = new Router(config.objects, config.target);
        if (router.topicRoutes().entries().isEmpty() || selected == null) return java.util.Set.of(); // no tables known: nothing to route
        java.util.Map<String, List<TableId>> byTopic = new java.util.LinkedHashMap<>();
        for (TableId t : selected) {
            try {
                byTopic.computeIfAbsent(router.topicOf(t), k -> new ArrayList<>()).add(t);
            } catch (SluiceException e) { // a template giving a name Kafka refuses
                add.accept(CheckResult.fail("Kafka topic", e.problem(), e.fix()));
            }
        }
        java.util.Map<String, JobConfig.Format> formats = java.util.Map.of();
        boolean several = !io.sluice.engine.job.TopicFormats.single(config);
        try {
            formats = io.sluice.engine.job.TopicFormats.of(config, router, selected.stream().filter(t -> {
                try {
                    router.topicOf(t);
                    return true;
                } catch (SluiceException e) {
                    return false; // reported above
                }
            }).toList()).all();
        } catch (SluiceException e) { // two formats meeting in one topic
            add.accept(CheckResult.fail("record format", e.problem(), e.fix()));
        }
        java.util.Map<String, JobConfig.Format> formatOf = formats;
        byTopic.forEach((name, tables) -> {
            if (name.equals(config.target.topic)) return; // checked above
            JobConfig.Format f = formatOf.get(name);
            add.accept(topic(target, name, "Kafka topic", " for " + (tables.size() <= 5 ? tables.toString()
                    : tables.subList(0, 5) + " and " + (tables.size() - 5) + " more")
                    + (several && f != null ? ", " + JobConfig.Format.name(f) + " records" : "")));
        });
        for (var e : router.topicRoutes().entriesRoutingNothing(selected)) {
            add.accept(CheckResult.warn("topic route", "target.topics entry '" + e.pattern().text() + "' (topic " + e.topic()
                            + ") routes no selected table: none matches it, or earlier entries take them all",
                    "correct or remove the entry (names are case-sensitive; entries are tried in order, the first match wins)"));
        }
        return byTopic.keySet();
    }

    /**
     * The names of every topic the job writes (its record topics and checkpoint topic): none of the
     * shell's own topics, and no two that Kafka's metric names cannot tell apart ('.' versus '_').
     */
    private void topicNames(java.util.Set<String> recordTopics, Consumer<CheckResult> add) {
        java.util.Set<String> written = new java.util.LinkedHashSet<>(recordTopics);
        written.add(config.state.checkpointTopic != null ? config.state.checkpointTopic : config.target.topic + "-sluice-checkpoints");
        boolean ok = true;
        for (String t : written) {
            if (!notRecordTopics.containsKey(t)) continue;
            add.accept(CheckResult.fail("Kafka topic", "topic " + t + " is " + notRecordTopics.get(t) + ", which the job must not write to",
                    "write to another topic: change target.topic, target.ddl.topic, state.checkpointTopic or the target.topics entry naming it"));
            ok = false;
        }
        List<String> pair = io.sluice.core.route.TopicCollisions.firstCollision(written);
        if (pair != null) {
            SluiceException e = io.sluice.core.route.TopicCollisions.error(pair.get(0), pair.get(1));
            add.accept(CheckResult.fail("Kafka topic names", e.problem(), e.fix()));
            ok = false;
        }
        if (ok && written.size() > 2) add.accept(CheckResult.pass("Kafka topic names", written.size() + " topics, no two alike in Kafka's metric names"));
    }

    /**
     * A record topic as {@code sluice run} would find it, creating nothing: exists (its partitions
     * checked against target.partitions), or will be created (the brokers asked to validate the
     * creation), or missing while initialization.structure is false.
     */
    private CheckResult topic(KafkaTarget target, String name, String item, String where) {
        try {
            Integer partitions = target.partitionsIfExists(name);
            if (partitions != null) {
                String mismatch = target.partitionMismatch(name, partitions);
                return mismatch == null ? CheckResult.pass(item, name + " (" + partitions + " partition(s))" + where)
                        : CheckResult.warn(item, mismatch, "set target.partitions: " + partitions
                        + (config.target.partitions > partitions ? ", or add partitions with kafka-topics.sh --alter --topic " + name
                        + " --partitions " + config.target.partitions + " (keys then map to other partitions)" : ""));
            }
            if (!config.initialization.structure) {
                return CheckResult.fail(item, name + " does not exist and initialization.structure is false",
                        "create the topic, or set initialization.structure: true to let Sluice create it");
            }
            target.validateCreate(name);
            return CheckResult.pass(item, name + " will be created (" + config.target.partitions + " partition(s), replication factor "
                    + config.target.replicationFactor + ")" + where);
        } catch (SluiceException e) {
            return CheckResult.fail(item, e.problem(), e.fix());
        }
    }
}
