package io.sluice.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The connector's config keys: the YAML job keys in dotted form (docs/configuration.md describes each).
 * Only the usual keys are declared here, for Connect's REST (validation, the plugin's config list);
 * any other job key works the same dotted way ({@link DottedJobConfig}). Defaults are the job file's:
 * a key left out is left out of the job, so both shells default alike.
 */
public final class ConnectorConfig {

    public static final String SOURCE_HOST = "source.host";
    public static final String SOURCE_PORT = "source.port";
    public static final String SOURCE_USER = "source.user";
    public static final String SOURCE_PASSWORD = "source.password";
    public static final String SOURCE_SERVER_ID = "source.serverId";
    public static final String SOURCE_NAME = "source.name";
    public static final String TARGET_BOOTSTRAP_SERVERS = "target.bootstrapServers";
    public static final String TARGET_TOPIC = "target.topic";
    public static final String TARGET_TOPICS = "target.topics";
    public static final String TARGET_FORMAT = "target.format";
    public static final String TARGET_PARTITIONS = "target.partitions";
    public static final String TARGET_PARTITION_BY = "target.partitionBy";
    public static final String TARGET_DDL_ENABLED = "target.ddl.enabled";
    public static final String TARGET_DDL_TOPIC = "target.ddl.topic";
    public static final String TARGET_TRANSACTION_MAX_RECORDS = "target.transactionMaxRecords";
    public static final String OBJECTS_INCLUDE = "objects.include";
    public static final String OBJECTS_EXCLUDE = "objects.exclude";
    public static final String INIT_FULL_DATA = "initialization.fullData";
    public static final String INIT_STRUCTURE = "initialization.structure";
    public static final String INIT_CHUNK_SIZE = "initialization.chunkSize";
    public static final String INIT_PARALLELISM = "initialization.parallelism";
    /** Connect's form of `sluice run --reinitialize` (not a job file key): see {@link ReinitializeToken}. */
    public static final String INIT_REINITIALIZE_TOKEN = "initialization.reinitializeToken";
    public static final String STATE_CHECKPOINT_TOPIC = "state.checkpointTopic";

    private static final String SOURCE = "MySQL source";
    private static final String TARGET = "Kafka target";
    private static final String OBJECTS = "Tables";
    private static final String INIT = "Initialization";

    private ConnectorConfig() {}

    public static ConfigDef definition() {
        ConfigDef d = new ConfigDef();
        int s = 0, t = 0, o = 0, i = 0;
        d.define(SOURCE_HOST, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "MySQL/MariaDB host to read the binlog from", SOURCE, ++s, ConfigDef.Width.MEDIUM, "Host");
        d.define(SOURCE_PORT, Type.INT, null, Importance.HIGH, "its port (default 3306)", SOURCE, ++s, ConfigDef.Width.SHORT, "Port");
        d.define(SOURCE_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "account with SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT", SOURCE, ++s, ConfigDef.Width.MEDIUM, "User");
        d.define(SOURCE_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                "its password; keep it out of GET /connectors/{name}/config with a ConfigProvider, e.g. ${file:/etc/sluice/mysql.properties:password}",
                SOURCE, ++s, ConfigDef.Width.MEDIUM, "Password");
        d.define(SOURCE_SERVER_ID, Type.LONG, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "replica server_id for the binlog dump, unique among the source's replicas", SOURCE, ++s, ConfigDef.Width.SHORT, "Server id");
        d.define(SOURCE_NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "names the source in the records (tags.source)", SOURCE, ++s, ConfigDef.Width.MEDIUM, "Source name");
        d.define(TARGET_BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "the worker's Kafka cluster (the task checks and creates topics there and reads their ends)", TARGET, ++t,
                ConfigDef.Width.LONG, "Bootstrap servers");
        d.define(TARGET_TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "the records' topic (with target.topics: of the tables no entry takes)", TARGET, ++t,
                ConfigDef.Width.MEDIUM, "Topic");
        d.define(TARGET_TOPICS, Type.STRING, null, Importance.MEDIUM,
                "a topic per table: pattern:topic entries, comma-separated, first match wins, @format after a topic for its own record format,"
                        + " e.g. shop.orders:orders@debeziumJson,shop.*:shop-{table}",
                TARGET, ++t, ConfigDef.Width.LONG, "Topics per table");
        d.define(TARGET_FORMAT, Type.STRING, null, Importance.MEDIUM, "dtsAvro (default), canalJson or debeziumJson", TARGET, ++t,
                ConfigDef.Width.SHORT, "Record format");
        d.define(TARGET_PARTITIONS, Type.INT, null, Importance.MEDIUM, "partitions of a topic the connector creates (default 1)", TARGET, ++t,
                ConfigDef.Width.SHORT, "Partitions");
        d.define(TARGET_PARTITION_BY, Type.STRING, null, Importance.MEDIUM, "none (default), table or primaryKey", TARGET, ++t,
                ConfigDef.Width.SHORT, "Partition by");
        d.define(TARGET_DDL_ENABLED, Type.BOOLEAN, null, Importance.LOW, "write DDL statements as DDL records (default false)", TARGET, ++t,
                ConfigDef.Width.SHORT, "DDL records");
        d.define(TARGET_DDL_TOPIC, Type.STRING, null, Importance.LOW, "a separate topic for DDL records (default target.topic)", TARGET, ++t,
                ConfigDef.Width.MEDIUM, "DDL topic");
        d.define(TARGET_TRANSACTION_MAX_RECORDS, Type.INT, null, Importance.LOW,
                "most records in one Kafka transaction; a larger source transaction is split (default 20000)", TARGET, ++t,
                ConfigDef.Width.SHORT, "Transaction max records");
        d.define(STATE_CHECKPOINT_TOPIC, Type.STRING, null, Importance.LOW,
                "compacted topic of the checkpoint records (default <target.topic>-sluice-checkpoints)", TARGET, ++t,
                ConfigDef.Width.MEDIUM, "Checkpoint topic");
        d.define(OBJECTS_INCLUDE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "tables to sync, comma-separated db.table entries ('*' matches within a name, `backticks` for names with '.' or ',')",
                OBJECTS, ++o, ConfigDef.Width.LONG, "Include");
        d.define(OBJECTS_EXCLUDE, Type.STRING, null, Importance.MEDIUM, "tables to leave out, as objects.include", OBJECTS, ++o,
                ConfigDef.Width.LONG, "Exclude");
        d.define(INIT_FULL_DATA, Type.BOOLEAN, null, Importance.MEDIUM,
                "write the selected tables' existing rows as INIT records while streaming (default true)", INIT, ++i, ConfigDef.Width.SHORT,
                "Full data");
        d.define(INIT_STRUCTURE, Type.BOOLEAN, null, Importance.LOW, "create target.topic when missing (default true)", INIT, ++i,
                ConfigDef.Width.SHORT, "Structure");
        d.define(INIT_CHUNK_SIZE, Type.INT, null, Importance.LOW, "rows per initialization chunk (default 8192)", INIT, ++i,
                ConfigDef.Width.SHORT, "Chunk size");
        d.define(INIT_PARALLELISM, Type.INT, null, Importance.LOW, "initialization reader threads (default 4)", INIT, ++i,
                ConfigDef.Width.SHORT, "Parallelism");
        d.define(INIT_REINITIALIZE_TOKEN, Type.STRING, null, Importance.LOW,
                "start over once (as sluice run --reinitialize: a new snapshot from the current binlog end) when this value differs from"
                        + " the one recorded in the connector's offsets; the same value again does nothing (docs/connect.md, Starting over)",
                INIT, ++i, ConfigDef.Width.MEDIUM, "Reinitialize token");
        return d;
    }
}
