package io.sluice.source.mysql;

import io.sluice.core.model.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Foreign keys of selected tables whose actions change rows by themselves (ON DELETE / ON UPDATE
 * CASCADE, SET NULL, SET DEFAULT). InnoDB carries those changes out inside the storage engine, and
 * MySQL 5.x/8.0 and MariaDB do not write them to the binlog (a replica's own foreign keys redo them):
 * a DELETE of a parent row removes the child rows without a record. Known, not fixable from the
 * binlog: said in precheck and at start, so no one relies on it in silence.
 *
 * @param child    the selected table holding the foreign key
 * @param name     the constraint's name
 * @param parent   the table it references
 * @param onDelete the delete rule (CASCADE, SET NULL, ...), or null if it changes nothing
 * @param onUpdate the update rule, or null if it changes nothing
 */
public record ForeignKeyCascades(TableId child, String name, TableId parent, String onDelete, String onUpdate) {

    private static final Pattern CONSTRAINT = Pattern.compile("CONSTRAINT `((?:[^`]|``)+)` FOREIGN KEY \\([^)]*\\) REFERENCES"
            + " (?:`((?:[^`]|``)+)`\\.)?`((?:[^`]|``)+)` \\([^)]*\\)((?: ON (?:DELETE|UPDATE) (?:CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION))*)");
    private static final Pattern RULE = Pattern.compile("ON (DELETE|UPDATE) (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)");

    /**
     * The acting foreign keys of the selected tables among {@code tables}. MySQL lists them in
     * information_schema.REFERENTIAL_CONSTRAINTS; MariaDB shows an account with SELECT only none there,
     * so each table's SHOW CREATE TABLE is read instead.
     */
    public static List<ForeignKeyCascades> of(Connection c, boolean mariaDb, List<TableId> tables) throws SQLException {
        if (!mariaDb) return ofMySql(c, tables);
        List<ForeignKeyCascades> found = new ArrayList<>();
        for (TableId t : tables) {
            String ddl;
            try (java.sql.Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + quoted(t.database()) + "." + quoted(t.table()))) {
                if (!rs.next()) continue;
                ddl = rs.getString(2);
            } catch (SQLException gone) { // dropped meanwhile
                continue;
            }
            found.addAll(inCreateTable(t, ddl));
        }
        return found;
    }

    /** The acting foreign keys a CREATE TABLE statement (as SHOW CREATE TABLE writes it) declares. */
    static List<ForeignKeyCascades> inCreateTable(TableId child, String ddl) {
        List<ForeignKeyCascades> found = new ArrayList<>();
        Matcher m = CONSTRAINT.matcher(ddl);
        while (m.find()) {
            String onDelete = null;
            String onUpdate = null;
            Matcher r = RULE.matcher(m.group(4));
            while (r.find()) {
                if (r.group(1).equals("DELETE")) onDelete = acting(r.group(2));
                else onUpdate = acting(r.group(2));
            }
            if (onDelete == null && onUpdate == null) continue;
            String parentDb = m.group(2) == null ? child.database() : unquoted(m.group(2));
            found.add(new ForeignKeyCascades(child, unquoted(m.group(1)), new TableId(parentDb, unquoted(m.group(3))), onDelete, onUpdate));
        }
        return found;
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String unquoted(String name) {
        return name.replace("``", "`");
    }

    /**
     * One query per selected database, naming its table when it is the only one: MySQL 5.7 then opens only that
     * database's (or table's) definitions, where an unrestricted query opens every table on the server (seconds
     * on a server with tens of thousands of tables, at every start). A list of names (IN) would scan them all again.
     */
    private static List<ForeignKeyCascades> ofMySql(Connection c, List<TableId> tables) throws SQLException {
        Set<TableId> selected = new HashSet<>(tables);
        Map<String, Set<String>> byDatabase = new TreeMap<>();
        for (TableId t : tables) byDatabase.computeIfAbsent(t.database(), d -> new TreeSet<>()).add(t.table());
        List<ForeignKeyCascades> found = new ArrayList<>();
        for (var db : byDatabase.entrySet()) {
            boolean oneTable = db.getValue().size() == 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME,"
                    + " UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE"
                    + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?" + (oneTable ? " AND TABLE_NAME = ?" : "")
                    + " AND (DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') OR UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))")) {
                ps.setString(1, db.getKey());
                if (oneTable) ps.setString(2, db.getValue().iterator().next());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableId child = new TableId(rs.getString(1), rs.getString(2));
                        if (!selected.contains(child)) continue;
                        found.add(new ForeignKeyCascades(child, rs.getString(3), new TableId(rs.getString(4), rs.getString(5)),
                                acting(rs.getString(6)), acting(rs.getString(7))));
                    }
                }
            }
        }
        return found;
    }

    private static String acting(String rule) {
        String r = rule == null ? "" : rule.toUpperCase(Locale.ROOT);
        return r.equals("CASCADE") || r.equals("SET NULL") || r.equals("SET DEFAULT") ? r : null;
    }

    /** "ON DELETE CASCADE", "ON UPDATE SET NULL", or both. */
    public String actions() {
        List<String> a = new ArrayList<>();
        if (onDelete != null) a.add("ON DELETE " + onDelete);
        if (onUpdate != null) a.add("ON UPDATE " + onUpdate);
        return String.join(", ", a);
    }

    /** What happens, in one sentence. */
    public String problem() {
        return "foreign key " + name + " (" + actions() + ") references " + parent + ": the server does not write the changes it makes"
                + " to " + child + " to the binlog (InnoDB makes them itself), so they never reach Kafka";
    }

    public static final String FIX = "have the application change the child rows itself (those are logged), or let consumers apply the"
            + " cascade from the parent's DELETE/UPDATE records (select the parent table too)";
}
