package io.sluice.source.mysql.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises CREATE/DROP DATABASE (or SCHEMA) statements, the database-level DDL that becomes a DDL record. */
public final class DatabaseStatement {

    private static final Pattern CREATE_OR_DROP = Pattern.compile(
            "^(?:CREATE|DROP)\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?(`(?:[^`]|``)+`|[\\w$]+)",
            Pattern.CASE_INSENSITIVE);

    private DatabaseStatement() {}

    /** The database a CREATE or DROP DATABASE statement names, else null. */
    public static String createdOrDropped(String sql) {
        Matcher m = CREATE_OR_DROP.matcher(SqlText.stripComments(sql));
        return m.find() ? SqlText.unquote(m.group(1)) : null;
    }
}
