package io.sluice.source.mysql;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The source's binlog filters (binlog-do-db / binlog-ignore-db in its my.cnf, as SHOW MASTER STATUS
 * reports them). In ROW format a row change is logged by the database of its table: a selected table
 * in a database the filters drop never reaches the binlog, and its changes would be missed in silence.
 * Statements (DDL) are logged by the session's default database, so with any filter an ALTER of a
 * selected table run from a dropped database is not logged either.
 */
public record BinlogFilters(Set<String> doDbs, Set<String> ignoreDbs) {

    public static BinlogFilters read(Connection c) throws SQLException {
        SQLSyntaxErrorException refused = null;
        for (String sql : new String[] {"SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"}) { // renamed in MySQL 8.4
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                if (!rs.next()) return new BinlogFilters(Set.of(), Set.of());
                return new BinlogFilters(names(rs.getString(3)), names(rs.getString(4)));
            } catch (SQLSyntaxErrorException e) {
                refused = e;
            }
        }
        throw refused;
    }

    private static Set<String> names(String list) {
        if (list == null || list.isBlank()) return Set.of();
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty()).forEach(names::add);
        return names;
    }

    public boolean any() {
        return !doDbs.isEmpty() || !ignoreDbs.isEmpty();
    }

    /** Whether the row changes of this database's tables are written to the binlog. */
    public boolean logs(String database) {
        return (doDbs.isEmpty() || doDbs.contains(database)) && !ignoreDbs.contains(database);
    }

    /** The databases of these tables whose changes are not logged, in order. */
    public Set<String> unlogged(Collection<TableId> tables) {
        Set<String> dbs = new TreeSet<>();
        for (TableId t : tables) if (!logs(t.database())) dbs.add(t.database());
        return dbs;
    }

    /** What the filters are, as the server's options. */
    public String describe() {
        List<String> parts = new java.util.ArrayList<>();
        if (!doDbs.isEmpty()) parts.add("binlog-do-db=" + String.join(",", doDbs));
        if (!ignoreDbs.isEmpty()) parts.add("binlog-ignore-db=" + String.join(",", ignoreDbs));
        return parts.isEmpty() ? "no binlog-do-db / binlog-ignore-db" : String.join(" ", parts);
    }

    /** Stops the job when a selected table's changes are not logged: every one of them would be missed. */
    public void requireLogged(Collection<TableId> selected, String where) {
        Set<String> unlogged = unlogged(selected);
        if (unlogged.isEmpty()) return;
        throw new SluiceException(unloggedProblem(unlogged, where), UNLOGGED_FIX);
    }

    public String unloggedProblem(Set<String> unlogged, String where) {
        return "the source " + where + " does not write changes of database(s) " + String.join(", ", unlogged)
                + " to its binlog (" + describe() + "), so changes of their selected tables would never reach Kafka";
    }

    public static final String UNLOGGED_FIX = "remove those databases from binlog-ignore-db (or add them to binlog-do-db) in the source's"
            + " my.cnf and restart it, or deselect their tables in objects";

    public static final String DDL_WARNING = "a statement is logged by the session's default database: an ALTER of a selected table"
            + " run from a database the filters drop is not logged, and the job stops when the table's rows no longer match its columns";

    public static final String DDL_FIX = "run DDL of selected tables with their own database as the default (USE db), or remove the filters";
}
