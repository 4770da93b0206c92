package io.sluice.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in error messages that quote the job file (a YAML parser shows the offending line):
 * values of {@code password} keys, of {@code target.producer} keys ending in {@code .password}
 * ({@code ssl.truststore.password}...), of {@code status.authToken} and of {@code sasl.jaas.config}.
 */
final class ConfigSecrets {

    static final String MASK = "****";
    /** A secret key and its value on one line, as YAML ("key: value") or properties ("key=value") write it. */
    private static final Pattern SECRET_ENTRY = Pattern.compile(
            "((?:^|[\\s{,\"'-])(?:[\\w.-]*\\.)?(?:password|authToken|sasl\\.jaas\\.config)[\"']?\\s*[:=][ \\t]*)([^\\r\\n]*)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private ConfigSecrets() {}

    /** {@code message} with every secret of {@code yaml} (the job file's text) and every secret entry replaced by {@link #MASK}. */
    static String mask(String message, String yaml) {
        if (message == null) return null;
        String masked = message;
        for (String secret : secretValues(yaml)) masked = masked.replace(secret, MASK);
        return SECRET_ENTRY.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + (m.group(2).isBlank() ? "" : MASK)));
    }

    /** The raw values of the secret entries in the job file, longest first (and without quotes too). */
    private static List<String> secretValues(String yaml) {
        List<String> values = new ArrayList<>();
        if (yaml == null) return values;
        Matcher m = SECRET_ENTRY.matcher(yaml);
        while (m.find()) {
            String v = m.group(2).strip();
            if (v.length() < 3) continue; // too short to mask without garbling the rest of the message
            values.add(v);
            if (v.length() > 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) values.add(v.substring(1, v.length() - 1));
        }
        values.sort((a, b) -> b.length() - a.length());
        return values;
    }
}
