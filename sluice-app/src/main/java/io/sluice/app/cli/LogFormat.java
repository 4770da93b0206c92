package io.sluice.app.cli;

import java.util.Locale;

/**
 * SLUICE_LOG_FORMAT: {@code text} (default) or {@code json}: logback.xml includes
 * {@code sluice-log-<format>.xml}. Checked before logging starts: an unknown name would include
 * nothing and leave the root logger without an appender, so no log at all.
 */
final class LogFormat {

    static final String VARIABLE = "SLUICE_LOG_FORMAT";

    private LogFormat() {}

    /** The format the variable's value names (null or blank: text), or null if it is not a format. */
    static String formatFor(String value) {
        if (value == null || value.isBlank()) return "text";
        String format = value.trim().toLowerCase(Locale.ROOT);
        return format.equals("text") || format.equals("json") ? format : null;
    }

    /**
     * Selects the format for logback.xml (a system property wins over the environment there), or
     * returns the one-line problem for an unknown value.
     */
    static String select(String value) {
        String format = formatFor(value);
        if (format == null) {
            return VARIABLE + "=" + value + " is not a log format. Fix: set it to text or json (or unset it for text)";
        }
        System.setProperty(VARIABLE, format);
        return null;
    }
}
