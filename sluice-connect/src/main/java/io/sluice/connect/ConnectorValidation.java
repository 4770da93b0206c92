package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.engine.precheck.CheckResult;
import io.sluice.engine.precheck.Precheck;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connect's {@code PUT /connector-plugins/.../config/validate}: the job file's checks and the CLI's
 * precheck, each failure an error on the key a user would change, with its fix. The password is
 * never part of a message.
 */
final class ConnectorValidation {

    static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final Pattern KEY_IN_MESSAGE = Pattern.compile("key '([^']+)'");

    private ConnectorValidation() {}

    static Config validate(Config config, Map<String, String> props) {
        // per-key errors first (a missing required key): the precheck would only repeat them less precisely
        if (config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty())) return config;
        for (String converter : new String[] {"key.converter", "value.converter"}) {
            String c = props.get(converter);
            if (c != null && !c.equals(BYTE_ARRAY_CONVERTER)) {
                addError(config, converter, converter + " is " + c + ": the records are the bytes Sluice encoded (DTS Avro or JSON, target.format), which any other converter"
                        + " would re-encode. Fix: set " + converter + "=" + BYTE_ARRAY_CONVERTER + " (or leave it to the worker's, if that is the one)");
            }
        }
        String password = props.get(ConnectorConfig.SOURCE_PASSWORD);
        JobConfig job;
        try {
            job = DottedJobConfig.parse(SluiceSourceTask.jobName(props), props);
        } catch (SluiceException e) {
            String key = keyOf(e.problem());
            addError(config, key != null ? key : ConnectorConfig.SOURCE_HOST, scrub(e.oneLine(), password));
            return config;
        }
        MySqlDriver.register();
        List<CheckResult> results;
        try {
            results = new Precheck(job).sameNameIsThisJob(true).notRecordTopics(ConnectInternalTopics.of(props)).run(r -> { }); // a changed config: its running task is registered
        } catch (SluiceException e) {
            addError(config, ConnectorConfig.SOURCE_HOST, scrub(e.oneLine(), password));
            return config;
        } catch (RuntimeException e) { // the precheck reports what it expects as items: this is a surprise, said as it is
            addError(config, ConnectorConfig.SOURCE_HOST, scrub("the precheck failed: " + e, password));
            return config;
        }
        for (CheckResult r : results) {
            if (r.status() != CheckResult.Status.FAIL) continue;
            addError(config, keyFor(r.item()), scrub(r.item() + ": " + r.found() + (r.fix().isEmpty() ? "" : " Fix: " + r.fix()), password));
        }
        return config;
    }

    /** The config key a precheck item is about: the one to change to fix it. */
    static String keyFor(String item) {
        if (item.startsWith("privileges")) return ConnectorConfig.SOURCE_USER;
        if (item.startsWith("server_id")) return ConnectorConfig.SOURCE_SERVER_ID;
        if (item.startsWith("selected tables")) return ConnectorConfig.OBJECTS_INCLUDE;
        if (item.startsWith("Kafka DDL topic")) return ConnectorConfig.TARGET_DDL_TOPIC;
        if (item.startsWith("Kafka topic") || item.startsWith("record size")) return ConnectorConfig.TARGET_TOPIC;
        if (item.startsWith("delivery")) return ConnectorConfig.TARGET_BOOTSTRAP_SERVERS;
        return ConnectorConfig.SOURCE_HOST; // connectivity, server version and settings: about the server at source.host
    }

    /** The dotted key a job file error names ("key 'target.partitions' is invalid"), or null. */
    static String keyOf(String problem) {
        Matcher m = KEY_IN_MESSAGE.matcher(problem);
        if (!m.find()) return null;
        String k = m.group(1);
        int bracket = k.indexOf('[');
        return bracket < 0 ? k : k.substring(0, bracket); // objects.include[2] -> objects.include
    }

    static String scrub(String message, String password) {
        return password == null || password.length() < 3 ? message : message.replace(password, "****");
    }

    private static void addError(Config config, String key, String message) {
        for (ConfigValue v : config.configValues()) {
            if (v.name().equals(key)) {
                v.addErrorMessage(message);
                return;
            }
        }
        ConfigValue v = new ConfigValue(key);
        v.addErrorMessage(message);
        config.configValues().add(v);
    }
}
