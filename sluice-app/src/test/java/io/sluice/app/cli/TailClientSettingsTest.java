package io.sluice.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code sluice tail}'s Kafka clients: telemetry push off unless --command-config sets it, its other settings kept. */
class TailClientSettingsTest {

    @Test
    void telemetryPushIsOffWithoutACommandConfig() {
        assertEquals("false", new TailCommand().clientSettings().getProperty("enable.metrics.push"));
    }

    @Test
    void aCommandConfigKeepsItsSettingsAndMayTurnTelemetryOn(@TempDir Path dir) throws Exception {
        TailCommand tail = new TailCommand();
        tail.commandConfig = dir.resolve("client.properties");
        Files.writeString(tail.commandConfig, "security.protocol=SSL\n");
        Properties p = tail.clientSettings();
        assertEquals("SSL", p.getProperty("security.protocol"));
        assertEquals("false", p.getProperty("enable.metrics.push"));

        Files.writeString(tail.commandConfig, "enable.metrics.push=true\n");
        assertEquals("true", tail.clientSettings().getProperty("enable.metrics.push"));
    }
}
