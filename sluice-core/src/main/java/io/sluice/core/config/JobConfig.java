package io.sluice.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sync job as written in its YAML file. Field names are the YAML keys; unknown keys are rejected.
 * Required keys are checked by {@link JobConfigLoader}, which names the missing key's path.
 */
public final class JobConfig {

    public String name;
    public Source source;
    public Target target;
    public Objects objects;
    public State state = new State();
    public Status status = new Status();
    public Initialization initialization = new Initialization();

    public static final class Source {
        /** Identifies the source in records (tags.source). */
        public String name;
        public String host;
        public int port = 3306;
        public String user;
        public String password = "";
        /** The replica server_id used for the binlog dump; must be unique in the replication topology. */
        public Long serverId;
        /** Bounds connecting and the handshake (JDBC and binlog): a service that never answers fails after this. */
        public int connectTimeoutSeconds = 30;
        /**
         * What a disagreement between the schema history and the binlog's column metadata
         * (binlog_row_metadata=FULL) does: stop the job, or log it, count it and continue.
         */
        public SchemaMismatch schemaMismatch = SchemaMismatch.STOP;
        /**
         * What TRUNCATE of a selected table does (the binlog has no rows for it, so consumers keep
         * the old rows): log a warning and count it, or stop the job before the checkpoint passes it.
         */
        public OnTruncate onTruncate = OnTruncate.WARN;

        /** TLS of every connection to the source: the binlog connection and the JDBC ones alike. */
        public Ssl ssl = new Ssl();

        @Override public String toString() {
            return "Source{name=" + name + ", " + user + "@" + host + ":" + port + ", serverId=" + serverId + "}";
        }
    }

    /** TLS to the source, as the MySQL clients' --ssl-mode, --ssl-ca, --ssl-cert and --ssl-key. */
    public static final class Ssl {
        /** preferred, as the MySQL clients: encrypted (unverified) where the server offers TLS, plain where it does not. */
        public SslMode mode = SslMode.PREFERRED;
        /** PEM file of the CA certificate(s) the server's certificate must chain to (verifyCa, verifyIdentity). */
        public String ca;
        /** PEM file of the client certificate (chain), for accounts that REQUIRE X509/SUBJECT/ISSUER. */
        public String cert;
        /** PEM file of the client certificate's private key: PKCS#8 or RSA PKCS#1, unencrypted. */
        public String key;
    }

    public enum SslMode { DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY;
        @com.fasterxml.jackson.annotation.JsonCreator
        public static SslMode parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "")) {
                case "disabled" -> DISABLED;
                case "preferred" -> PREFERRED;
                case "required" -> REQUIRED;
                case "verifyca" -> VERIFY_CA;
                case "verifyidentity" -> VERIFY_IDENTITY;
                default -> throw new IllegalArgumentException("expected disabled, preferred, required, verifyCa or verifyIdentity");
            };
        }

        /** Whether the server's certificate is checked against a CA. */
        public boolean verifies() { return this == VERIFY_CA || this == VERIFY_IDENTITY; }
    }

    public static final class Target {
        public String bootstrapServers;
        /** The default record topic (tables no target.topics entry takes, database DDL); names the default checkpoint topic. */
        public String topic;
        /**
         * Table pattern (as objects.include) to topic, in order: the first matching entry routes a
         * table's records; {@code {database}} and {@code {table}} in a topic stand for the table's
         * mapped names. Tables no entry matches go to {@link #topic}.
         */
        public Map<String, String> topics = new LinkedHashMap<>();
        /** The target.topics entries that name their own record format (pattern: format); the others write {@link #format}. */
        private Map<String, Format> topicFormats = new LinkedHashMap<>();

        /**
         * A YAML mapping (pattern: topic, or pattern: {topic: ..., format: ...}), or the flat text form
         * {@code shop.orders:orders@canalJson,shop.*:shop-rest} (Kafka Connect, properties).
         */
        @com.fasterxml.jackson.annotation.JsonSetter("topics")
        public void setTopics(Object value) {
            TopicMapText.Parsed parsed = TopicMapText.parse(value);
            this.topics = parsed.topics();
            this.topicFormats = parsed.formats();
        }

        /** target.topics entries' own formats, by pattern (an entry without one writes {@link #format}). */
        public Map<String, Format> topicFormats() {
            return topicFormats;
        }

        /** The record format of target.topics entry {@code pattern} (null: no such entry): its own, else {@link #format}. */
        public Format formatOf(String pattern) {
            return topicFormats.getOrDefault(pattern, format);
        }
        /** Partitions for a topic Sluice creates. */
        public int partitions = 1;
        private boolean partitionsSet;

        @com.fasterxml.jackson.annotation.JsonSetter("partitions")
        public void setPartitions(int partitions) {
            this.partitions = partitions;
            this.partitionsSet = true;
        }

        /** Whether the job file sets partitions: a topic that already exists is then checked against it. */
        public boolean partitionsSet() { return partitionsSet; }
        public short replicationFactor = 1;
        /** How records are spread over partitions: all on 0 (default, total order), by table, or by primary key. */
        public Partitioning partitionBy = Partitioning.NONE;
        /** Extra Kafka producer properties (security settings and the like). */
        public Map<String, String> producer = new LinkedHashMap<>();
        public int connectTimeoutSeconds = 30;
        /**
         * exactlyOnce: Kafka transactions, checkpoint in Kafka (brokers 0.11+); atLeastOnce: idempotent
         * producer, local checkpoint file; auto: exactlyOnce where the brokers support it.
         */
        public Delivery delivery = Delivery.AUTO;
        /** Most records in one Kafka transaction; a larger source transaction is split (and resumed mid-way). */
        public int transactionMaxRecords = 20_000;
        /** Longest time records wait before their Kafka transaction commits (latency vs. throughput). */
        public int commitIntervalMs = 50;
        /** DDL statements as DDL records; off by default (the topic carries row changes only). */
        public Ddl ddl = new Ddl();
        /** The record format: DTS Avro (default), Canal JSON or Debezium JSON (docs/formats.md). */
        public Format format = Format.DTS_AVRO;
        /** Options of target.format: debeziumJson. */
        public Debezium debezium = new Debezium();
        /** Options of target.format: canalJson. */
        public Canal canal = new Canal();
    }

    /** {@code target.format}. */
    public enum Format { DTS_AVRO, CANAL_JSON, DEBEZIUM_JSON;
        /** Every spelling accepted (lower case, without '_' and '-'). */
        public static final Map<String, Format> SPELLINGS = Map.of(
                "dtsavro", DTS_AVRO, "canaljson", CANAL_JSON, "debeziumjson", DEBEZIUM_JSON);

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Format parse(String s) {
            Format f = SPELLINGS.get(s.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", ""));
            if (f == null) throw new IllegalArgumentException("expected dtsAvro, canalJson or debeziumJson");
            return f;
        }

        /** The format as a job file spells it. */
        public static String name(Format f) {
            return switch (f) {
                case DTS_AVRO -> "dtsAvro";
                case CANAL_JSON -> "canalJson";
                case DEBEZIUM_JSON -> "debeziumJson";
            };
        }
    }

    /** Debezium JSON options. */
    public static final class Debezium {
        /** Each key and value as Kafka Connect's JsonConverter writes it with schemas.enable=true: {"schema":..., "payload":...}. */
        public boolean schemas = true;
    }

    /** Canal JSON options. */
    public static final class Canal {
        /** row: one flat message per row change; event: one per binlog rows event (Canal's MQ producer). */
        public CanalBatch batch = CanalBatch.ROW;
        /** With batch: event, most rows in one message (a larger rows event becomes several). */
        public int batchMaxRows = 1000;
    }

    /** {@code target.canal.batch}. */
    public enum CanalBatch { ROW, EVENT;
        @com.fasterxml.jackson.annotation.JsonCreator
        public static CanalBatch parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "row" -> ROW;
                case "event" -> EVENT;
                default -> throw new IllegalArgumentException("expected row or event");
            };
        }
    }

    /** DDL records: the statements that change selected tables (and create/drop selected databases). */
    public static final class Ddl {
        public boolean enabled = false;
        /** A separate topic for them, created and checked like target.topic; default: target.topic, among the rows. */
        public String topic;

        /** Where DDL records go when enabled: the separate topic, else the main one. */
        public String topicOr(String mainTopic) {
            return topic != null ? topic : mainTopic;
        }
    }

    public enum Delivery { AUTO, EXACTLY_ONCE, AT_LEAST_ONCE;
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Delivery parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "")) {
                case "auto" -> AUTO;
                case "exactlyonce" -> EXACTLY_ONCE;
                case "atleastonce" -> AT_LEAST_ONCE;
                default -> throw new IllegalArgumentException("expected auto, exactlyOnce or atLeastOnce");
            };
        }
    }

    public enum SchemaMismatch { STOP, WARN;
        @com.fasterxml.jackson.annotation.JsonCreator
        public static SchemaMismatch parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "stop" -> STOP;
                case "warn" -> WARN;
                default -> throw new IllegalArgumentException("expected stop or warn");
            };
        }
    }

    public enum OnTruncate { WARN, STOP;
        @com.fasterxml.jackson.annotation.JsonCreator
        public static OnTruncate parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "warn" -> WARN;
                case "stop" -> STOP;
                default -> throw new IllegalArgumentException("expected warn or stop");
            };
        }
    }

    public enum Partitioning { NONE, TABLE, PRIMARY_KEY;
        /** Every spelling accepted (lower case, without '_' and '-'), aliases included: docs/configuration.md lists them all. */
        public static final Map<String, Partitioning> SPELLINGS = Map.of(
                "none", NONE, "zero", NONE, "table", TABLE, "primarykey", PRIMARY_KEY, "pk", PRIMARY_KEY);

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Partitioning parse(String s) {
            Partitioning p = SPELLINGS.get(s.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", ""));
            if (p == null) throw new IllegalArgumentException("expected none, table or primaryKey");
            return p;
        }
    }

    public static final class Objects {
        /** db.table entries, names bare or in backticks ({@code `db.x`.`t.y`}); '*' matches any run of characters within a name. */
        public List<String> include = new ArrayList<>();
        public List<String> exclude = new ArrayList<>();
        public Mapping mapping = new Mapping();
    }

    public static final class Mapping {
        /** Source database name to target database name. */
        public Map<String, String> databases = new LinkedHashMap<>();
        /** Source db.table to target db.table (wins over the database mapping). */
        public Map<String, String> tables = new LinkedHashMap<>();
        /** Source db.table to a map of source column name to target column name. */
        public Map<String, Map<String, String>> columns = new LinkedHashMap<>();
    }

    public static final class State {
        /** Directory of the local checkpoint file (at-least-once delivery). */
        public String dir = "sluice-state";
        /** Compacted topic of checkpoints (exactly-once delivery); default {@code <target.topic>-sluice-checkpoints}. */
        public String checkpointTopic;
    }

    /** What a job with no checkpoint does before (and while) streaming. */
    public static final class Initialization {
        /** Create the target topic if missing (else it must exist), and check it. */
        public boolean structure = true;
        /** Write every existing row of the selected tables as an INIT record, consistently with the binlog. */
        public boolean fullData = true;
        /** Rows per chunk (one key-range SELECT); a chunk holds about this many rows in memory until written. */
        public int chunkSize = 8192;
        /** Reader threads (chunks read at once, of one table or several), and chunks read but not yet written (memory: about parallelism x chunkSize rows). */
        public int parallelism = 4;
    }

    public static final class Status {
        /** Port of the status page and metrics endpoint; 0 turns it off. */
        public int httpPort = 0;
        /** Address the status server listens on: this machine only by default; 0.0.0.0 for every interface. */
        public String bindAddress = "127.0.0.1";
        /** When set, every status endpoint (/, /status, /metrics) wants it: Authorization: Bearer <token>, or ?token=<token>. */
        public String authToken;
    }
}
