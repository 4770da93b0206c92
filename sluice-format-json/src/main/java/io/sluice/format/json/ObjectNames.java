package io.sluice.format.json;

/**
 * The target database and table of a DTS objectName ({@code db.table}, a {@code .} inside a name
 * written {@code \u002E}): JSON formats name them in separate fields.
 */
record ObjectNames(String database, String table) {

    private static final String ESCAPED_DOT = "\\u002E";

    /** {@code db.table}, or a database statement's {@code db} (table null). */
    static ObjectNames of(String objectName) {
        if (objectName == null) return new ObjectNames(null, null);
        int dot = objectName.indexOf('.');
        if (dot < 0) return new ObjectNames(unescape(objectName), null);
        return new ObjectNames(unescape(objectName.substring(0, dot)), unescape(objectName.substring(dot + 1)));
    }

    /** The objectName of a database and table (the inverse of {@link #of}). */
    static String objectName(String database, String table) {
        String db = database.replace(".", ESCAPED_DOT);
        return table == null ? db : db + "." + table.replace(".", ESCAPED_DOT);
    }

    private static String unescape(String name) {
        return name.replace(ESCAPED_DOT, ".");
    }
}
