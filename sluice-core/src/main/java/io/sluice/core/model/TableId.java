package io.sluice.core.model;

/** A table by database and name, as on the source. */
public record TableId(String database, String table) {

    /** Parses {@code db.table}; the first dot separates the two. */
    public static TableId parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("expected db.table, got '" + qualified + "'");
        }
        return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    @Override public String toString() { return database + "." + table; }
}
