package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md is the one reference of the job file: its rows are exactly the keys the
 * loader binds ({@link ConfigKeys}, read from JobConfig), each enum row names the values its parser
 * accepts, and a job file made of every row's example loads.
 */
class ConfigurationDocTest {

    private record Row(String key, String line, String example) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyKeyTheLoaderAcceptsIsDocumentedAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>(rows().keySet());
        Set<String> accepted = new TreeSet<>(ConfigKeys.all().keySet());
        Set<String> undocumented = new TreeSet<>(accepted);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(accepted);
        assertEquals(Set.of(), undocumented, "keys the loader accepts that docs/configuration.md does not document");
        assertEquals(Set.of(), unknown, "keys docs/configuration.md documents that the loader rejects");
    }

    @Test
    void everyEnumRowNamesEverySpellingItsParserAccepts() throws IOException {
        Map<String, Row> rows = rows();
        ConfigKeys.all().forEach((key, type) -> {
            if (!type.isEnum()) return;
            String line = rows.get(key).line().toLowerCase(java.util.Locale.ROOT);
            for (String spelling : ConfigKeys.spellings(type)) {
                assertTrue(line.contains("`" + spelling + "`"), key + " documents `" + spelling + "`: " + rows.get(key).line());
            }
        });
        assertEquals(Set.of("none", "zero", "table", "primarykey", "pk"), ConfigKeys.spellings(JobConfig.Partitioning.class));
        assertEquals(Set.of("auto", "exactlyonce", "atleastonce"), ConfigKeys.spellings(JobConfig.Delivery.class));
    }

    @Test
    void aJobFileOfEveryDocumentedExampleLoads() throws IOException {
        ObjectNode root = YAML.createObjectNode();
        List<String> set = new ArrayList<>();
        for (Row r : rows().values()) {
            if (r.example().isEmpty()) continue;
            JsonNode value = YAML.readTree(r.example());
            String[] path = r.key().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                node = node.has(path[i]) ? (ObjectNode) node.get(path[i]) : node.putObject(path[i]);
            }
            node.set(path[path.length - 1], value);
            set.add(r.key());
        }
        String yaml = YAML.writeValueAsString(root);
        JobConfig c = new JobConfigLoader(k -> null).parse(yaml, "every example");
        assertEquals(3, c.target.partitions);
        assertEquals(JobConfig.Partitioning.TABLE, c.target.partitionBy);
        assertTrue(set.contains("objects.mapping.columns") && set.contains("target.ddl.topic"), set.toString());
    }

    /** Table rows {@code | `key` | type | default | meaning | example |}, by key. */
    private static Map<String, Row> rows() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc())) {
            if (!line.startsWith("| `")) continue;
            String[] cells = line.split("\\|", -1);
            String key = cells[1].trim().replace("`", "");
            String example = code(cells[cells.length - 2].trim());
            assertTrue(rows.put(key, new Row(key, line, example)) == null, "documented twice: " + key);
        }
        return rows;
    }

    /** The text of a Markdown code span ({@code `x`} or {@code `` x ``}), or empty. */
    private static String code(String cell) {
        if (cell.startsWith("`` ") && cell.endsWith(" ``")) return cell.substring(3, cell.length() - 3);
        if (cell.startsWith("`") && cell.endsWith("`") && cell.length() >= 2) return cell.substring(1, cell.length() - 1);
        return "";
    }

    private static Path doc() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("docs/configuration.md");
            if (Files.exists(p)) return p;
        }
        throw new IllegalStateException("docs/configuration.md not found above " + Paths.get("").toAbsolutePath());
    }
}
