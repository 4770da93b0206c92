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
    @Option(names = "--token", defaultValue = "${env:SLUICE_STATUS_TOKEN}",
            description = "The job's status.authToken, if it has one (default: $SLUICE_STATUS_TOKEN).") String token;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String url = "http://" + host + ":" + port + "/status";
        JsonNode status;
        try {
            var connection = URI.create(url).toURL().openConnection();
            if (token != null && !token.isBlank()) connection.setRequestProperty("Authorization", "Bearer " + token);
            if (connection instanceof java.net.HttpURLConnection http && http.getResponseCode() == 401) {
                throw new SluiceException("the Sluice job at " + url + " wants its status.authToken",
                        "pass it with --token (or the environment variable SLUICE_STATUS_TOKEN)");
            }
            try (var in = connection.getInputStream()) {
                status = new ObjectMapper().readTree(in);
            }
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
            else if (e.getValue().isArray()) printArray(prefix + e.getKey(), e.getValue());
            else spec.commandLine().getOut().printf("%-22s %s%n", prefix + e.getKey(), e.getValue().asText());
        }
        spec.commandLine().getOut().flush();
    }

    /** Lists of objects (tables, errors) one element a line; lists of numbers (the throughput history) are left to the web console. */
    private void printArray(String key, JsonNode array) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isObject()) continue;
            StringBuilder line = new StringBuilder();
            element.fields().forEachRemaining(f -> line.append(line.length() == 0 ? "" : "  ").append(f.getKey()).append('=').append(f.getValue().asText()));
            spec.commandLine().getOut().printf("%-22s %s%n", key + "[" + i + "]", line);
        }
    }
}
