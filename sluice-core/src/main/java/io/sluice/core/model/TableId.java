package io.sluice.core.model;

/**
 * A table by database and name, as on the source (names exactly as MySQL stores them: any
 * characters, dots, spaces, backticks and non-ASCII letters included).
 *
 * <p>Its text form ({@link #toString}, {@link #parse}) is the one job files and checkpoints use:
 * {@code db.table} where that is unambiguous, else each name in backticks with backticks inside
 * doubled, as in MySQL: {@code `db.x`.`t.y`}, {@code `a``b`.t}. See {@link QualifiedName}.
 */
public record TableId(String database, String table) {

    /**
     * Parses {@code db.table}, {@code `db`.`table`} or a mix of the two. A bare database name ends at
     * the first dot; a bare table name is the rest (it may hold dots: {@code shop.t.y} is table
     * {@code t.y} of {@code shop}, as checkpoints written before backticks were accepted say).
     */
    public static TableId parse(String qualified) {
        String[] parts = QualifiedName.split(qualified);
        return new TableId(parts[0], parts[1]);
    }

    /**
     * A table as a checkpoint names it: {@link #parse}, or, for a key an earlier version wrote
     * unquoted that does not parse (a table name starting with a backtick), split at the first dot.
     */
    public static TableId fromCheckpointKey(String key) {
        try {
            return parse(key);
        } catch (IllegalArgumentException e) {
            int dot = key.indexOf('.');
            if (dot <= 0) throw e;
            return new TableId(key.substring(0, dot), key.substring(dot + 1));
        }
    }

    /** {@code db.table}, each name in backticks where it needs them to parse back to this table. */
    @Override public String toString() {
        boolean quote = QualifiedName.needsQuotes(database) || QualifiedName.needsQuotes(table);
        return quote ? QualifiedName.quote(database) + "." + QualifiedName.quote(table) : database + "." + table;
    }

    /**
     * The names joined by a dot, never quoted: the bytes of the {@code partitionBy: table} key.
     * Unchanged since before backticks were accepted, so existing topics keep their partitions.
     */
    public String plainName() {
        return database + "." + table;
    }
}
