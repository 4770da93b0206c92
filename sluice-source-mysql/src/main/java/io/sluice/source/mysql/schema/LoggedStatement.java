package io.sluice.source.mysql.schema;

import com.alibaba.druid.DbType;
import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.statement.SQLCreateTableStatement;
import com.alibaba.druid.sql.ast.statement.SQLTruncateStatement;
import com.alibaba.druid.sql.ast.statement.SQLExprTableSource;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlLoadDataInFileStatement;
import com.alibaba.druid.sql.visitor.SchemaStatVisitor;
import com.alibaba.druid.stat.TableStat;
import io.sluice.core.model.TableId;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a binlog Query event holds beyond DDL and transaction control: row changes logged as a
 * statement (binlog_format STATEMENT or MIXED), whose rows the binlog does not carry, and TRUNCATE.
 */
public final class LoggedStatement {

    private static final Set<String> DML_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD", "WITH");

    /**
     * A data-changing statement.
     *
     * @param tables the tables it may change (unqualified names in the session's database); when
     *               {@code unsure}, every name the statement mentions, in case it is a table
     * @param unsure the parser could not tell which tables it changes
     */
    public record Dml(List<TableId> tables, boolean unsure) {}

    private LoggedStatement() {}

    /** The tables a statement-logged INSERT/UPDATE/DELETE/REPLACE/LOAD DATA may change, or null for any other statement. */
    public static Dml dml(String sql, String database) {
        String stripped = SqlText.stripComments(sql);
        if (!DML_WORDS.contains(firstWord(stripped))) return null;
        try {
            SQLStatement statement = SQLUtils.parseSingleStatement(stripped, DbType.mysql);
            List<TableId> tables = new ArrayList<>();
            if (statement instanceof MySqlLoadDataInFileStatement load) {
                tables.add(table(load.getTableName().toString(), database));
            } else {
                SchemaStatVisitor visitor = SQLUtils.createSchemaStatVisitor(DbType.mysql);
                statement.accept(visitor);
                for (Map.Entry<TableStat.Name, TableStat> e : visitor.getTables().entrySet()) {
                    if (!onlyRead(e.getValue())) tables.add(table(e.getKey().getName(), database));
                }
            }
            if (tables.isEmpty()) return unsure(stripped, database); // e.g. WITH ... SELECT: the parser saw no target
            return new Dml(tables, false);
        } catch (RuntimeException e) {
            return unsure(stripped, database);
        }
    }

    /**
     * The table a CREATE TABLE ... SELECT creates and fills, or null for any other statement. Logged
     * this way only as a statement: in ROW format the binlog has a plain CREATE TABLE, then rows.
     */
    public static TableId createdWithSelect(String sql, String database) {
        String stripped = SqlText.stripComments(sql);
        if (!firstWord(stripped).equals("CREATE") || !stripped.toUpperCase(Locale.ROOT).contains("SELECT")) return null;
        try {
            if (SQLUtils.parseSingleStatement(stripped, DbType.mysql) instanceof SQLCreateTableStatement c && c.getSelect() != null) {
                return table(c.getTableName(), c.getSchema() != null ? SqlText.unquote(c.getSchema()) : database);
            }
        } catch (RuntimeException e) {
            // not a statement the parser knows; the schema history deals with it
        }
        return null;
    }

    /** The table a TRUNCATE [TABLE] statement empties, or null for any other statement (or one naming several). */
    public static TableId truncated(String sql, String database) {
        String stripped = SqlText.stripComments(sql);
        if (!firstWord(stripped).equals("TRUNCATE")) return null;
        try {
            if (SQLUtils.parseSingleStatement(stripped, DbType.mysql) instanceof SQLTruncateStatement t
                    && t.getTableSources().size() == 1) {
                SQLExprTableSource source = t.getTableSources().get(0);
                String db = source.getSchema() != null ? SqlText.unquote(source.getSchema()) : database;
                return new TableId(db, SqlText.unquote(source.getTableName()));
            }
        } catch (RuntimeException e) {
            // not a statement the parser knows; the schema history deals with it
        }
        return null;
    }

    /** A table the statement only reads (the visitor's modes: Select and nothing else). */
    private static boolean onlyRead(TableStat stat) {
        return stat.getSelectCount() > 0 && stat.getInsertCount() == 0 && stat.getUpdateCount() == 0
                && stat.getDeleteCount() == 0 && stat.getMergeCount() == 0 && stat.getAlterCount() == 0
                && stat.getDropCount() == 0 && stat.getCreateCount() == 0;
    }

    private static Dml unsure(String stripped, String database) {
        List<TableId> names = new ArrayList<>();
        for (String[] n : SqlText.names(stripped)) names.add(new TableId(n[0] != null ? n[0] : database, n[1]));
        return new Dml(names, true);
    }

    private static TableId table(String name, String database) {
        String n = name.trim();
        int dot = dotOutsideQuotes(n);
        if (dot < 0) return new TableId(database, SqlText.unquote(n));
        return new TableId(SqlText.unquote(n.substring(0, dot)), SqlText.unquote(n.substring(dot + 1)));
    }

    private static int dotOutsideQuotes(String name) {
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '`') quoted = !quoted;
            else if (c == '.' && !quoted) return i;
        }
        return -1;
    }

    private static String firstWord(String stripped) {
        int i = 0;
        while (i < stripped.length() && (Character.isLetter(stripped.charAt(i)) || stripped.charAt(i) == '_')) i++;
        return stripped.substring(0, i).toUpperCase(Locale.ROOT);
    }
}
