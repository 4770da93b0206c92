package io.sluice.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.error.SluiceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sluice status --port N}: a running job's phase, position, lag, throughput and counters. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a running job's status (the job needs status.httpPort).")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "The job's host (status.bindAddress must let you reach it; default: ${DEFAULT-VALUE}).") String host;
    @Option(names = "--port", required = true, description = "The job's status.httpPort.") int port;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String url = "http://" + host + ":" + port + "/status";
        JsonNode status;
        try (var in = URI.create(url).toURL().openStream()) {
            status = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new SluiceException("no Sluice job answers at " + url + ": " + e.getMessage(),
                    "check that the job runs with status.httpPort: " + port);
        }
        print("", status);
        return 0;
    }

    private void print(String prefix, JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) print(prefix + e.getKey() + ".", e.getValue());
            else spec.commandLine().getOut().printf("%-22s %s%n", prefix + e.getKey(), e.getValue().asText());
        }
        spec.commandLine().getOut().flush();
    }
}
