package io.sluice.sink.kafka;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.UnreachableException;
import io.sluice.core.route.TopicCollisions;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks that the target cluster is reachable and that the topic exists, creating it if it can.
 * A target made by {@link #sharingAdmin} keeps one Admin client for all its checks (a new client
 * per check cost a connection and its metadata round trips each, four of them at a job's start)
 * until {@link #close()}; a plain one opens and closes a client per check.
 */
public final class KafkaTarget implements AutoCloseable {

    private final JobConfig.Target config;
    private final boolean shareAdmin;
    /** The shared client, created at the first check; null until then, and always for a plain target. */
    private Admin shared;
    private boolean closed;

    public KafkaTarget(JobConfig.Target config) {
        this(config, false);
    }

    private KafkaTarget(JobConfig.Target config, boolean shareAdmin) {
        this.config = config;
        this.shareAdmin = shareAdmin;
    }

    /** A target whose checks share one Admin client; close it when the job ends. */
    public static KafkaTarget sharingAdmin(JobConfig.Target config) {
        return new KafkaTarget(config, true);
    }

    /** The client for one check: the shared one, or a new one to {@link #release} after it. */
    synchronized Admin admin() {
        // after close (a check racing the job's end) a check gets a client of its own, as a plain target's
        if (!shareAdmin || closed) return Admin.create(adminProperties());
        if (shared == null) shared = Admin.create(adminProperties());
        return shared;
    }

    /** Ends a check's use of {@code admin}: closes it unless it is the shared one. */
    synchronized void release(Admin admin) {
        if (admin != shared) admin.close(); // closing a client twice does nothing
    }

    /** Closes the shared Admin client, if any (nothing for a plain target). */
    @Override
    public synchronized void close() {
        closed = true;
        if (shared != null) shared.close(java.time.Duration.ofSeconds(5));
        shared = null;
    }

    /**
     * Closes the shared Admin client at once, abandoning any request in flight (a start-up that stops before its
     * Kafka checks, while an early {@link #partitionsIfExists} may still wait on an unreachable broker).
     */
    public synchronized void abandon() {
        closed = true;
        if (shared != null) shared.close(java.time.Duration.ZERO);
        shared = null;
    }

    /**
     * Common client properties: bootstrap servers plus the user's extra producer settings, and no
     * client telemetry push (KIP-714) unless they ask for it: Sluice has its own metrics, and with it
     * on, kafka-clients 3.9 formats a log message at every poll of the producer's network thread
     * (its trace check is inverted), whether the broker wants telemetry or not.
     */
    Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(config.producer);
        p.putIfAbsent(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        return p;
    }

    /** Admin client properties with the configured connect timeout. */
    Properties adminProperties() {
        Properties p = clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(config.connectTimeoutSeconds * 1000));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(config.connectTimeoutSeconds * 1000));
        return filterAdmin(p);
    }

    /** Consumer properties: bootstrap servers and security settings, no offsets committed. */
    Properties consumerProperties() {
        Properties p = clientProperties();
        Properties c = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (key.equals("bootstrap.servers") || key.equals(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG)
                    || key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                c.put(key, p.get(key));
            }
        }
        c.put("enable.auto.commit", "false");
        return c;
    }

    /** The topic's partition count, after creating the topic if it is missing. */
    public int ensureTopic() {
        return ensureTopic(true);
    }

    /** The topic's partition count; a missing topic is created when {@code create}, else an error naming the fix. */
    public int ensureTopic(boolean create) {
        return ensureTopic(config.topic, create);
    }

    /**
     * The partition count of {@code name} (target.topic, or another record topic such as the DDL
     * topic), created with target.partitions and target.replicationFactor when missing and {@code create}.
     */
    public int ensureTopic(String name, boolean create) {
        return ensureTopics(List.of(name), create).get(name);
    }

    /**
     * {@link #ensureTopic(String, boolean)} for several topics with one admin client (a topic per
     * table can be hundreds): each topic's partition count, in the order given.
     */
    public Map<String, Integer> ensureTopics(Collection<String> names, boolean create) {
        Admin admin = admin();
        try {
            nodes(admin);
            Map<String, Integer> partitions = new java.util.LinkedHashMap<>();
            for (String name : names) partitions.put(name, ensureTopic(admin, name, create));
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while checking Kafka", null, e);
        } finally {
            release(admin);
        }
    }

    private int ensureTopic(Admin admin, String name, boolean create) throws InterruptedException {
        long timeout = config.connectTimeoutSeconds;
        TopicDescription topic = describe(admin, name, timeout);
        if (topic == null && !create) {
            throw new SluiceException("topic " + name + " does not exist and initialization.structure is false",
                    "create the topic, or set initialization.structure: true to let Sluice create it");
        }
        if (topic == null) {
            create(admin, name, timeout, false);
            // A new topic's metadata reaches the brokers shortly after the create returns.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            while ((topic = describe(admin, name, timeout)) == null && System.nanoTime() < deadline) Thread.sleep(100);
            if (topic == null) {
                throw new SluiceException("topic " + name + " was created but cannot be described", "check the broker logs");
            }
        }
        return topic.partitions().size();
    }

    /** The partition count of {@code name}, or null when it does not exist. Creates nothing. */
    public Integer partitionsIfExists(String name) {
        Admin admin = admin();
        try {
            nodes(admin);
            TopicDescription topic = describe(admin, name, config.connectTimeoutSeconds);
            return topic == null ? null : topic.partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while checking Kafka", null, e);
        } finally {
            release(admin);
        }
    }

    /**
     * Asks the brokers whether {@code name} could be created as {@link #ensureTopic} would create it
     * (CreateTopics with validateOnly: authorization, replication factor), creating nothing. Throws
     * the same errors a real creation would.
     */
    public void validateCreate(String name) {
        Admin admin = admin();
        try {
            nodes(admin);
            create(admin, name, config.connectTimeoutSeconds, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while checking Kafka", null, e);
        } finally {
            release(admin);
        }
    }

    /**
     * A warning when an existing topic's partition count differs from target.partitions set in the
     * job file (it only applies to a topic Sluice creates; the job writes to the partitions there
     * are), else null.
     */
    public String partitionMismatch(String name, int actual) {
        if (!config.partitionsSet() || actual == config.partitions) return null;
        return "topic " + name + " exists with " + actual + " partition(s), target.partitions is " + config.partitions
                + ": the job writes to the " + actual + " partition(s) it has (target.partitions only applies when Sluice creates the topic)";
    }

    /**
     * The Kafka topic id of each topic (a topic deleted and created again gets a new one), for the
     * topics that have one: brokers before 2.8 have no topic ids, and a missing topic has none.
     */
    public Map<String, String> topicIds(Collection<String> topics) {
        Admin admin = admin();
        try {
            return topicIds(admin, topics, config.connectTimeoutSeconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while checking Kafka", null, e);
        } finally {
            release(admin);
        }
    }

    /** {@link #topicIds(Collection)} with a given admin client; throws InterruptedException as it is. */
    static Map<String, String> topicIds(Admin admin, Collection<String> topics, long timeoutSeconds) throws InterruptedException {
        Map<String, String> ids = new java.util.TreeMap<>();
        if (topics.isEmpty()) return ids;
        // one request for all (a topic per table can be hundreds, and TopicWatch asks every second)
        Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        for (String name : topics) {
            TopicDescription d;
            try {
                d = described.get(name).get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) continue;
                throw new SluiceException("cannot describe topic " + name + ": " + e.getCause().getMessage(),
                        "grant DESCRIBE on the topic to Sluice's principal", e);
            } catch (TimeoutException e) {
                throw new SluiceException("Kafka did not answer within " + timeoutSeconds + " s describing " + name,
                        "check the brokers' health", e);
            }
            if (d != null && d.topicId() != null && !org.apache.kafka.common.Uuid.ZERO_UUID.equals(d.topicId())) {
                ids.put(name, d.topicId().toString());
            }
        }
        return ids;
    }

    /**
     * Whether the brokers take idempotent (and transactional) writes, which came with 0.11. Probed
     * with DescribeConfigs, an API of the same release: older brokers do not know it. Any other
     * answer, an authorization error included, comes from a 0.11+ broker.
     */
    public boolean supportsIdempotentWrites() {
        Admin admin = admin();
        try {
            Node node = nodes(admin).iterator().next();
            admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, node.idString())))
                    .all().get(config.connectTimeoutSeconds, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof UnsupportedVersionException);
        } catch (TimeoutException e) {
            throw new SluiceException("Kafka at " + config.bootstrapServers + " did not answer within " + config.connectTimeoutSeconds + " s",
                    "check the brokers' health", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while checking Kafka", null, e);
        } finally {
            release(admin);
        }
    }

    /** {@link #maxMessageBytes(String)} of many topics with one admin client (a topic per table can be hundreds); -1 where unknown. */
    public Map<String, Long> maxMessageBytes(Collection<String> topics) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        topicConfig(topics, "max.message.bytes").forEach((t, v) -> {
            try {
                out.put(t, v == null ? -1L : Long.parseLong(v));
            } catch (NumberFormatException e) {
                out.put(t, -1L);
            }
        });
        return out;
    }

    /** One config value of many existing topics with one admin client; null where unknown (a topic not created yet). */
    public Map<String, String> topicConfig(Collection<String> topics, String key) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String t : topics) out.put(t, null);
        if (topics.isEmpty()) return out;
        Admin admin = admin(); // the job's shared client where it has one
        try {
            List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            // each topic on its own: a missing topic (created later with the broker's default) fails only its own future
            var futures = admin.describeConfigs(resources).values();
            for (ConfigResource r : resources) {
                try {
                    var entry = futures.get(r).get(config.connectTimeoutSeconds, TimeUnit.SECONDS).get(key);
                    if (entry != null) out.put(r.name(), entry.value());
                } catch (ExecutionException | TimeoutException e) {
                    // unknown: left null
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release(admin);
        }
        return out;
    }

    /**
     * The largest record batch the brokers accept for {@code topic}: its max.message.bytes (the
     * brokers' message.max.bytes unless set on the topic), or -1 when the brokers cannot tell.
     */
    public long maxMessageBytes(String topic) {
        Admin admin = admin();
        try {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            var entry = admin.describeConfigs(List.of(resource)).all()
                    .get(config.connectTimeoutSeconds, TimeUnit.SECONDS).get(resource).get("max.message.bytes");
            return entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            release(admin);
        }
    }

    /**
     * Whether every partition of {@code topics} holds no record now: its log end (high watermark, open
     * transactions' records and markers included) at its log start, asked with the Admin client, which is warm at
     * start-up where a new consumer is not (~50 ms each). False whenever it cannot tell (a missing topic, a broker
     * too old for the request, no DESCRIBE right, a timeout): the caller then reads with a consumer as before.
     */
    public boolean certainlyEmpty(Collection<String> topics) {
        if (topics.isEmpty()) return true;
        Admin admin = admin();
        try {
            long timeout = config.connectTimeoutSeconds;
            Map<TopicPartition, OffsetSpec> earliest = new java.util.HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.SECONDS).values()) {
                for (var p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(d.name(), p.partition());
                    earliest.put(tp, OffsetSpec.earliest());
                    latest.put(tp, OffsetSpec.latest());
                }
            }
            var start = admin.listOffsets(earliest).all().get(timeout, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest).all().get(timeout, TimeUnit.SECONDS);
            for (TopicPartition tp : earliest.keySet()) {
                if (start.get(tp) == null || end.get(tp) == null || end.get(tp).offset() != start.get(tp).offset()) return false;
            }
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            release(admin);
        }
    }

    private Collection<Node> nodes(Admin admin) throws InterruptedException {
        long timeout = config.connectTimeoutSeconds;
        try {
            return admin.describeCluster().nodes().get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            String problem = "cannot reach Kafka at " + config.bootstrapServers + " within " + timeout + " s";
            // something answered that is no Kafka listener (HTTP port, TLS listener): say which, not "is it running"
            String[] other = ListenerProbe.explainBootstrap(config.bootstrapServers, 1000);
            if (other != null) throw new SluiceException(problem + ": " + other[0], other[1], e);
            throw new UnreachableException(problem, "check target.bootstrapServers and that the brokers are running and reachable", e);
        }
    }

    private TopicDescription describe(Admin admin, String name, long timeout) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(name)).allTopicNames().get(timeout, TimeUnit.SECONDS).get(name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return null;
            throw new SluiceException("cannot describe topic " + name + ": " + e.getCause().getMessage(),
                    "grant DESCRIBE on the topic to Sluice's principal", e);
        } catch (TimeoutException e) {
            throw new SluiceException("Kafka did not answer within " + timeout + " s describing " + name,
                    "check the brokers' health", e);
        }
    }

    private void create(Admin admin, String name, long timeout, boolean validateOnly) throws InterruptedException {
        NewTopic topic = new NewTopic(name, config.partitions, config.replicationFactor);
        try {
            admin.createTopics(List.of(topic), new org.apache.kafka.clients.admin.CreateTopicsOptions().validateOnly(validateOnly))
                    .all().get(timeout, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) return;
            if (e.getCause() instanceof InvalidTopicException) {
                String existing = existingAlike(admin, name, e.getCause().getMessage(), timeout);
                if (existing != null) throw TopicCollisions.withExisting(name, existing, e);
            }
            if (e.getCause() instanceof UnsupportedVersionException) {
                throw new SluiceException("topic " + name + " does not exist and the brokers (older than 0.10.1) cannot create"
                        + " topics for clients", "create it: kafka-topics.sh --zookeeper <zk> --create --topic " + name
                        + " --partitions " + config.partitions + " --replication-factor " + config.replicationFactor, e);
            }
            throw new SluiceException("topic " + name + " does not exist and could not be created: "
                    + e.getCause().getMessage(),
                    "create it (kafka-topics.sh --create --topic " + name + ") or allow Sluice to create topics", e);
        } catch (TimeoutException e) {
            throw new SluiceException("creating topic " + name + " timed out", "create the topic by hand", e);
        }
    }

    private static final java.util.regex.Pattern COLLIDES = java.util.regex.Pattern.compile("collides with existing topics?: ([a-zA-Z0-9._-]+)");

    /**
     * The existing topic {@code name} cannot be created beside (the same metric name), or null when
     * the refusal was for another reason: named by the brokers' message, else found in the topic list.
     */
    private static String existingAlike(Admin admin, String name, String refusal, long timeout) throws InterruptedException {
        String metric = TopicCollisions.metricName(name);
        java.util.regex.Matcher m = COLLIDES.matcher(refusal == null ? "" : refusal);
        if (m.find() && !m.group(1).equals(name) && TopicCollisions.metricName(m.group(1)).equals(metric)) return m.group(1);
        try {
            return admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names()
                    .get(timeout, TimeUnit.SECONDS).stream()
                    .filter(t -> !t.equals(name) && TopicCollisions.metricName(t).equals(metric)).findFirst().orElse(null);
        } catch (ExecutionException | TimeoutException e) {
            return null; // the brokers' own words then
        }
    }

    /** Drops producer-only keys so the admin client does not warn about them. */
    private static Properties filterAdmin(Properties p) {
        Properties out = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(key)) out.put(key, p.get(key));
        }
        return out;
    }

    public JobConfig.Target config() { return config; }

    static Map<String, Object> asMap(Properties p) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }
}
