package io.sluice.source.mysql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text-level handling of a binlog statement before and beside the parser: comments, the few
 * MySQL/MariaDB spellings the parser does not accept, which statements can change a table
 * definition at all, and the names a statement mentions (for statements the parser rejects).
 */
final class SqlText {

    private SqlText() {}

    /** Statements that can change a table's or a database's definition; everything else leaves the history alone. */
    private static final Pattern SCHEMA_CHANGING = Pattern.compile(
            "^(CREATE\\s+(OR\\s+REPLACE\\s+)?(TEMPORARY\\s+)?TABLE\\b"
                    + "|ALTER\\s+((ONLINE|OFFLINE|IGNORE)\\s+)*TABLE\\b"
                    + "|DROP\\s+(TEMPORARY\\s+)?TABLES?\\b"
                    + "|RENAME\\s+TABLES?\\b"
                    + "|TRUNCATE\\b"
                    + "|(CREATE|DROP|ALTER)\\s+(DATABASE|SCHEMA)\\b"
                    + "|ALTER\\s+(DATABASE|SCHEMA)?\\s*(DEFAULT\\s+)?(CHARACTER|CHARSET|COLLATE)"
                    + "|CREATE\\s+(OR\\s+REPLACE\\s+)?((ONLINE|OFFLINE)\\s+)?((UNIQUE|FULLTEXT|SPATIAL)\\s+)?INDEX\\b"
                    + "|DROP\\s+((ONLINE|OFFLINE)\\s+)?INDEX\\b)");

    /** The statement without comments (versioned comments {@code /*!50100 ...}{@code *}{@code /} keep their content), trimmed. */
    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(sql, i);
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) end = n - 2;
                if (i + 2 < n && sql.charAt(i + 2) == '!') { // executable comment: keep what follows the version
                    int j = i + 3;
                    while (j < end && Character.isDigit(sql.charAt(j))) j++;
                    out.append(' ').append(sql, j, Math.max(j, end)).append(' ');
                } else {
                    out.append(' ');
                }
                i = end + 2;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i)) || (c == '-' && i + 2 == n && sql.startsWith("--", i))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().trim();
    }

    /** Index just past the quoted string, identifier or name starting at {@code start}. */
    private static int quotedEnd(String sql, int start) {
        char q = sql.charAt(start);
        int i = start + 1, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && sql.charAt(i + 1) == q) i += 2; // doubled quote
                else return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }

    static boolean changesSchema(String stripped) {
        return SCHEMA_CHANGING.matcher(stripped.toUpperCase(Locale.ROOT)).find();
    }

    /** ALTER DATABASE's default charset options: the database (null: the default one), CHARACTER SET and COLLATE (null when absent). */
    record AlterDatabase(String database, String charset, String collation) {}

    private static final String NAME = "(`(?:[^`]|``)+`|'(?:[^']|'')+'|\"(?:[^\"]|\"\")+\"|[\\w$]+)";
    /** The name is optional (then the statement is about the default database); the reserved option words are never one. */
    private static final Pattern ALTER_DATABASE = Pattern.compile(
            "^ALTER\\s+(?:DATABASE|SCHEMA)(?:\\s+(?!(?:DEFAULT|CHARACTER|CHARSET|COLLATE|READ)\\b)" + NAME
                    + "(?=\\s+(?:DEFAULT|CHARACTER|CHARSET|COLLATE|READ|ENCRYPTION|COMMENT|UPGRADE)\\b))?(.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CHARSET_OPTION = Pattern.compile("\\b(?:CHARACTER\\s+SET|CHARSET)\\s*=?\\s*" + NAME, Pattern.CASE_INSENSITIVE);
    private static final Pattern COLLATE_OPTION = Pattern.compile("\\bCOLLATE\\s*=?\\s*" + NAME, Pattern.CASE_INSENSITIVE);

    /**
     * Reads ALTER DATABASE/SCHEMA here rather than with the parser, which takes {@code DEFAULT} for
     * the name and rejects the forms without one; null for any other statement.
     */
    static AlterDatabase alterDatabase(String stripped) {
        Matcher m = ALTER_DATABASE.matcher(stripped);
        if (!m.matches()) return null;
        String options = m.group(2);
        Matcher cs = CHARSET_OPTION.matcher(options);
        Matcher coll = COLLATE_OPTION.matcher(options);
        return new AlterDatabase(m.group(1) == null ? null : unquote(m.group(1)),
                cs.find() ? cs.group(1) : null, coll.find() ? coll.group(1) : null);
    }

    /** What the rewrite found. */
    record Rewritten(String sql, boolean ifExistsClauses, boolean orReplace) {}

    /**
     * Rewrites spellings the parser rejects into equivalent ones it accepts, outside quotes:
     * {@code [DEFAULT] CHARSET} and {@code DEFAULT CHARACTER SET/COLLATE} in table and database
     * options; MariaDB's {@code IF [NOT] EXISTS} on ALTER TABLE clauses (reported, then applied
     * leniently); MariaDB's {@code CREATE OR REPLACE TABLE} (reported).
     */
    static Rewritten rewrite(String stripped) {
        List<String> tokens = tokens(stripped);
        List<String> out = new ArrayList<>(tokens.size());
        boolean ifExists = false, orReplace = false;
        boolean alterTable = startsWithWords(tokens, "ALTER") && containsWordBefore(tokens, "TABLE", 4);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String u = t.toUpperCase(Locale.ROOT);
            if (u.equals("DEFAULT") && i + 1 < tokens.size()) {
                String next = nextWord(tokens, i + 1);
                if (next.equals("CHARSET") || next.equals("CHARACTER") || next.equals("COLLATE")) continue;
            }
            if (u.equals("CHARSET")) {
                out.add("CHARACTER SET");
                continue;
            }
            if (u.equals("OR") && i == firstWordIndex(tokens, 1) && startsWithWords(tokens, "CREATE")
                    && nextWord(tokens, i + 1).equals("REPLACE")) {
                orReplace = true;
                i = indexOfWord(tokens, i + 1, "REPLACE");
                continue;
            }
            if (alterTable && u.equals("IF")) {
                String n1 = nextWord(tokens, i + 1);
                int j = indexOfWord(tokens, i + 1, n1);
                if (n1.equals("NOT") && nextWord(tokens, j + 1).equals("EXISTS")) {
                    ifExists = true;
                    i = indexOfWord(tokens, j + 1, "EXISTS");
                    continue;
                }
                if (n1.equals("EXISTS") && !isTableLevelIfExists(out)) {
                    ifExists = true;
                    i = j;
                    continue;
                }
            }
            out.add(t);
        }
        return new Rewritten(String.join("", out), ifExists, orReplace);
    }

    /** {@code ALTER TABLE IF EXISTS t} (MariaDB) is about the table, not a clause. */
    private static boolean isTableLevelIfExists(List<String> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            String t = before.get(i).trim();
            if (t.isEmpty()) continue;
            return t.equalsIgnoreCase("TABLE");
        }
        return false;
    }

    private static boolean startsWithWords(List<String> tokens, String word) {
        return nextWord(tokens, 0).equals(word);
    }

    private static boolean containsWordBefore(List<String> tokens, String word, int maxWords) {
        int seen = 0;
        for (String t : tokens) {
            if (t.isBlank()) continue;
            if (t.equalsIgnoreCase(word)) return true;
            if (++seen > maxWords) return false;
        }
        return false;
    }

    private static int firstWordIndex(List<String> tokens, int nth) {
        int seen = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isBlank()) continue;
            if (seen++ == nth) return i;
        }
        return -1;
    }

    private static String nextWord(List<String> tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            if (!tokens.get(i).isBlank()) return tokens.get(i).toUpperCase(Locale.ROOT);
        }
        return "";
    }

    private static int indexOfWord(List<String> tokens, int from, String word) {
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).equalsIgnoreCase(word)) return i;
        }
        return tokens.size() - 1;
    }

    /** Splits into words, quoted strings/names, whitespace runs and single punctuation characters. */
    static List<String> tokens(String sql) {
        List<String> tokens = new ArrayList<>();
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = quotedEnd(sql, i);
            } else if (Character.isWhitespace(c)) {
                end = i + 1;
                while (end < n && Character.isWhitespace(sql.charAt(end))) end++;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) end++;
            } else {
                end = i + 1;
            }
            tokens.add(sql.substring(i, end));
            i = end;
        }
        return tokens;
    }

    /** A name without its backticks or double quotes. */
    static String unquote(String name) {
        if (name == null) return null;
        String n = name.trim();
        if (n.length() >= 2 && (n.charAt(0) == '`' || n.charAt(0) == '"') && n.charAt(n.length() - 1) == n.charAt(0)) {
            String q = String.valueOf(n.charAt(0));
            return n.substring(1, n.length() - 1).replace(q + q, q);
        }
        return n;
    }

    /**
     * Every name the statement mentions, bare ({@code t}) or qualified ({@code db.t}), unquoted:
     * the conservative answer to "which tables could this statement touch" when it cannot be parsed.
     */
    static List<String[]> names(String stripped) {
        List<String> tokens = tokens(stripped);
        List<String[]> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!isName(t)) continue;
            if (i + 2 < tokens.size() && tokens.get(i + 1).equals(".") && isName(tokens.get(i + 2))) {
                names.add(new String[] {unquote(t), unquote(tokens.get(i + 2))});
                i += 2;
            } else {
                names.add(new String[] {null, unquote(t)});
            }
        }
        return names;
    }

    private static boolean isName(String t) {
        if (t.isEmpty()) return false;
        char c = t.charAt(0);
        return c == '`' || c == '"' || Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
