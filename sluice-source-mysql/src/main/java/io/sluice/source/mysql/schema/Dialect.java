package io.sluice.source.mysql.schema;

/**
 * What differs between servers in how the catalogue describes a column.
 *
 * @param serverCharset  {@code @@character_set_server}: the default of databases created without one
 * @param utf8Name       what the catalogue calls 3-byte UTF-8: {@code utf8} (MySQL up to 8.0.29) or {@code utf8mb3}
 * @param mariadb        MariaDB: JSON is LONGTEXT, and MEDIUMINT UNSIGNED has precision 8 (MySQL: 7)
 * @param implicitNotNullTimestamp {@code explicit_defaults_for_timestamp} is OFF (MySQL up to 5.7's default, 5.5 always):
 *                       a TIMESTAMP column not declared NULL is NOT NULL
 */
public record Dialect(String serverCharset, String utf8Name, boolean mariadb, boolean implicitNotNullTimestamp) {

    public Dialect(String serverCharset, String utf8Name, boolean mariadb) {
        this(serverCharset, utf8Name, mariadb, false);
    }

    public static final Dialect MYSQL57 = new Dialect("utf8mb4", "utf8", false);
    public static final Dialect MARIADB = new Dialect("utf8mb4", "utf8mb3", true);

    /** A charset name as the catalogue spells it. */
    public String charset(String name) {
        if (name == null) return null;
        String n = SqlText.unquote(name).toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith("'") && n.endsWith("'") && n.length() >= 2) n = n.substring(1, n.length() - 1);
        return n.equals("utf8") || n.equals("utf8mb3") ? utf8Name : n;
    }

    /** The charset of a collation: its name up to the first underscore ({@code binary} for {@code binary}). */
    public String charsetOfCollation(String collation) {
        if (collation == null) return null;
        String c = SqlText.unquote(collation).toLowerCase(java.util.Locale.ROOT);
        if (c.startsWith("'") && c.endsWith("'") && c.length() >= 2) c = c.substring(1, c.length() - 1);
        int u = c.indexOf('_');
        return charset(u < 0 ? c : c.substring(0, u));
    }
}
