package io.sluice.connect;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice as a Kafka Connect source: one MySQL/MariaDB server's binlog into DTS Avro records, the
 * same records {@code sluice run} writes. One task per connector (a binlog is one ordered stream);
 * on an exactly-once worker each Kafka transaction holds whole source transactions and the checkpoint.
 */
public final class SluiceSourceConnector extends SourceConnector {

    private static final Logger log = LoggerFactory.getLogger(SluiceSourceConnector.class);

    private Map<String, String> props;

    @Override public String version() { return Version.get(); }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        // fail the connector (not only its task) on a config the job file would reject, with the CLI's one line
        try {
            DottedJobConfig.parse(SluiceSourceTask.jobName(props), props);
        } catch (io.sluice.core.error.SluiceException e) {
            throw new org.apache.kafka.connect.errors.ConnectException(e.oneLine());
        }
    }

    @Override public Class<? extends Task> taskClass() { return SluiceSourceTask.class; }

    /** Always one task: a binlog is one ordered stream, and its transactions must stay whole and in order. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        if (maxTasks > 1) {
            log.info("tasks.max={}: Sluice runs one task per connector (one binlog, read in order); the other {} are not used",
                    maxTasks, maxTasks - 1);
        }
        return List.of(new HashMap<>(props));
    }

    @Override public void stop() { }

    @Override public ConfigDef config() { return ConnectorConfig.definition(); }

    /** Connect's per-key checks, then the job file's checks, then the CLI's precheck against the source and Kafka. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        return ConnectorValidation.validate(config, connectorConfigs);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }
}
