package io.sluice.core.route;

import io.sluice.core.model.QualifiedName;
import io.sluice.core.model.TableId;

import java.util.regex.Pattern;

/**
 * A db.table selection entry. Names are written as in {@link QualifiedName}: bare or in backticks
 * ({@code `db.x`.`t.y`}). '*' matches any run of characters within one name, in backticks or not;
 * every other character matches itself (so a name that itself holds '*' is matched by a pattern
 * with '*' there, not by a literal entry).
 *
 * @param database the database part, unquoted ({@code *} still a wildcard)
 * @param table the table part, unquoted
 */
public record TablePattern(String text, String database, String table, Pattern databaseRegex, Pattern tableRegex) {

    public static TablePattern parse(String text) {
        String[] parts = QualifiedName.split(text);
        return new TablePattern(text, parts[0], parts[1], glob(parts[0]), glob(parts[1]));
    }

    public boolean isLiteral() { return database.indexOf('*') < 0 && table.indexOf('*') < 0; }

    /** The table a literal entry names. */
    public TableId literal() { return new TableId(database, table); }

    /** Whether it takes every table of the databases it matches ({@code db.*}). */
    public boolean wholeDatabases() { return table.equals("*"); }

    public boolean matchesDatabase(String db) { return databaseRegex.matcher(db).matches(); }

    public boolean matches(TableId id) {
        return databaseRegex.matcher(id.database()).matches() && tableRegex.matcher(id.table()).matches();
    }

    private static Pattern glob(String s) {
        String[] parts = s.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
