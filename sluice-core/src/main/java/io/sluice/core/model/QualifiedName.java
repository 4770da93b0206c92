package io.sluice.core.model;

/**
 * The text form of names in job files and checkpoints. A name is written bare ({@code orders}) or
 * in backticks ({@code `order.items`}, a backtick inside doubled: {@code `a``b`}), as in MySQL.
 * A qualified name is {@code database.table}: a bare database name ends at the first dot, a bare
 * table name runs to the end (dots included), a backticked one ends at its closing backtick.
 * Wildcards are not this class's business: {@code *} is kept as it is, inside backticks or not.
 */
public final class QualifiedName {

    private QualifiedName() {}

    /** {@code [database, table]}, unquoted; IllegalArgumentException naming what is wrong. */
    public static String[] split(String text) {
        if (text == null) throw new IllegalArgumentException("expected db.table, got nothing");
        String database;
        int i;
        if (text.startsWith("`")) {
            int end = closingBacktick(text, 0);
            database = unescape(text.substring(1, end));
            i = end + 1;
            if (i >= text.length() || text.charAt(i) != '.') {
                throw new IllegalArgumentException("expected db.table with a '.' after `" + database + "`, got '" + text + "'");
            }
        } else {
            i = text.indexOf('.');
            if (i < 0) throw new IllegalArgumentException("expected db.table, got '" + text + "'");
            database = text.substring(0, i);
        }
        String table = name(text.substring(i + 1), text);
        if (database.isEmpty() || table.isEmpty()) throw new IllegalArgumentException("expected db.table, got '" + text + "'");
        return new String[] {database, table};
    }

    /** One name, bare (taken as it is) or in backticks (unquoted). */
    public static String name(String text) {
        return name(text, text);
    }

    private static String name(String text, String whole) {
        if (!text.startsWith("`")) return text;
        int end = closingBacktick(whole, whole.length() - text.length());
        if (end != whole.length() - 1) {
            throw new IllegalArgumentException("unexpected text after the closing backtick in '" + whole + "'");
        }
        return unescape(text.substring(1, text.length() - 1));
    }

    /** The name in backticks, backticks inside doubled. */
    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Whether a name must be backticked to read back as itself in a qualified name. */
    public static boolean needsQuotes(String name) {
        return name.isEmpty() || name.indexOf('.') >= 0 || name.indexOf('`') >= 0;
    }

    /** Index of the backtick closing the one at {@code open} (doubled backticks skipped). */
    private static int closingBacktick(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            if (text.charAt(i) != '`') continue;
            if (i + 1 < text.length() && text.charAt(i + 1) == '`') {
                i++;
                continue;
            }
            return i;
        }
        throw new IllegalArgumentException("unclosed backtick in '" + text + "'");
    }

    private static String unescape(String inner) {
        return inner.replace("``", "`");
    }
}
