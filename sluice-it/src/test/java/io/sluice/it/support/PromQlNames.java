package io.sluice.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the PromQL expressions of a Grafana dashboard (JSON) or Prometheus rule file (YAML) use. */
public final class PromQlNames {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    /** An identifier that is not followed by "(" (a function) and does not continue a number (1e3) or a name. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    private PromQlNames() {}

    /** Every {@code expr} value anywhere in the file (JSON, or YAML for .yml/.yaml). */
    public static List<String> expressions(Path file) throws IOException {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yml") || name.endsWith(".yaml") ? new YAMLMapper() : new ObjectMapper();
        List<String> out = new ArrayList<>();
        collect(mapper.readTree(Files.readString(file)), out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("expr") && f.getValue().isTextual()) out.add(f.getValue().asText());
                else collect(f.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** The metric names in one PromQL expression (label names, functions, keywords, durations left out). */
    public static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group().toLowerCase())) names.add(m.group());
        }
        return names;
    }
}
