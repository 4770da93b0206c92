package io.sluice.source.mysql.schema;

import com.alibaba.druid.DbType;
import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.SQLName;
import com.alibaba.druid.sql.ast.SQLStatement;
import com.alibaba.druid.sql.ast.expr.SQLIdentifierExpr;
import com.alibaba.druid.sql.ast.expr.SQLMethodInvokeExpr;
import com.alibaba.druid.sql.ast.expr.SQLPropertyExpr;
import com.alibaba.druid.sql.ast.statement.*;
import com.alibaba.druid.sql.dialect.mysql.ast.MySqlPrimaryKey;
import com.alibaba.druid.sql.dialect.mysql.ast.MySqlUnique;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableAlterColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableChangeColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlAlterTableModifyColumn;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlCreateTableStatement;
import com.alibaba.druid.sql.dialect.mysql.ast.statement.MySqlRenameTableStatement;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The definitions of the tables Sluice decodes, at every binlog position: a snapshot of the
 * catalogue taken at the start position, then each DDL statement of the binlog applied in order
 * with Alibaba Druid's MySQL parser. {@link #get} answers for the current position of the reader;
 * {@link #toJson(BinlogOffset)} the state at a checkpoint (see docs/schema-history.md).
 *
 * <p>Tables are tracked from the snapshot (the selected tables) and from every CREATE TABLE seen
 * afterwards, in any database, so a table created and altered outside the selection (an online
 * schema change's shadow table) can be renamed into it. Thread-safe: the binlog thread applies
 * and reads, the checkpoint thread serializes.
 */
public final class SchemaHistory {

    private static final Logger log = LoggerFactory.getLogger(SchemaHistory.class);

    /** The live server, for what the binlog alone cannot tell. */
    public interface Server {
        /** The database's default charset per the catalogue now, or null if it does not exist. */
        String databaseCharset(String database);

        /**
         * The table's definition read from the catalogue now, when that is provably its
         * definition right after the statement ending at {@code end}; else an unsafe answer.
         */
        Reload reload(TableId id, BinlogOffset end);
    }

    /** A re-read: {@code safe} with the table (null: it does not exist), or not safe and why. */
    public record Reload(boolean safe, TableDef table, String why) {
        public static Reload safe(TableDef table, String why) { return new Reload(true, table, why); }
        public static Reload unsafe(String why) { return new Reload(false, null, why); }
    }

    /** The state after the statement ending at {@code end} (null: the snapshot). */
    private record Version(BinlogOffset end, Map<TableId, TableDef> tables, Map<String, String> databases) {}

    private final Dialect dialect;
    private final Server server;
    private final Deque<Version> versions = new ArrayDeque<>();
    private final Set<String> warned = new HashSet<>();
    private final Map<TableDef, TableSchema> schemas = new java.util.IdentityHashMap<>();
    /** The version in force ({@code versions.getLast()}), readable without the lock: see {@link #revision}. */
    private volatile Version inForce;

    public SchemaHistory(Dialect dialect, Server server) {
        this.dialect = dialect;
        this.server = server;
        add(new Version(null, Map.of(), Map.of()));
    }

    public Dialect dialect() { return dialect; }

    /**
     * The same object for as long as no definition in force changes, another after any change (a
     * statement, a snapshot table, a nullability correction, a rewind): a reader that resolved a table
     * at one revision can keep its answer while the revision is the same, without taking the lock.
     */
    public Object revision() {
        return inForce;
    }

    private void add(Version v) {
        versions.add(v);
        inForce = v;
    }

    /** Adds a table to the snapshot (before streaming), replacing any definition it had. */
    public synchronized void put(TableDef table) {
        Version v = versions.removeLast();
        Map<TableId, TableDef> tables = new LinkedHashMap<>(v.tables());
        tables.put(table.id(), table);
        add(new Version(v.end(), Collections.unmodifiableMap(tables), v.databases()));
    }

    /** Records a database's default charset in the snapshot. */
    public synchronized void putDatabase(String database, String charset) {
        Version v = versions.removeLast();
        Map<String, String> dbs = new LinkedHashMap<>(v.databases());
        dbs.put(database, dialect.charset(charset));
        add(new Version(v.end(), v.tables(), Collections.unmodifiableMap(dbs)));
    }

    /** The table's definition at the reader's position, or null if the history has none (dropped, never seen). */
    public synchronized TableSchema get(TableId id) {
        TableDef def = versions.getLast().tables().get(id);
        if (def == null) return null;
        // One TableSchema per definition: routes and encoded headers downstream are cached by its identity.
        TableSchema schema = schemas.get(def);
        if (schema == null) {
            if (schemas.size() >= 10_000) schemas.clear();
            schema = def.schema();
            schemas.put(def, schema);
        }
        return schema;
    }

    public synchronized TableDef table(TableId id) {
        return versions.getLast().tables().get(id);
    }

    /** Every table the history tracks at the reader's position. */
    public synchronized List<TableId> tables() {
        return List.copyOf(versions.getLast().tables().keySet());
    }

    /**
     * Applies one statement of the binlog: {@code defaultDatabase} is its QUERY event's default
     * database, {@code end} the position after it. Statements that cannot change a table are
     * ignored; statements the parser cannot handle are resolved as docs/schema-history.md says.
     *
     * @return the tables the statement creates, changes, renames (both names), drops or truncates,
     *         in statement order (a CREATE TABLE LIKE's source is not among them); for a statement
     *         the parser cannot handle, the selected tables it re-read; empty for anything else
     * @throws SluiceException when the statement touches a selected table, cannot be parsed, and
     *                         the table cannot be safely re-read from the server
     */
    public synchronized Set<TableId> apply(String defaultDatabase, String sql, BinlogOffset end, Predicate<TableId> selected) {
        return applyStatement(defaultDatabase, sql, end, selected).touched();
    }

    /**
     * What one statement did: the tables it touched (see {@link #apply}), the selected tables a RENAME
     * brought in from an unselected name that is not an online schema change tool's shadow table
     * (to, from), and the selected tables a DROP TABLE removed.
     */
    public record Applied(Set<TableId> touched, Map<TableId, TableId> renamedIn, List<TableId> dropped) {
        static final Applied NONE = new Applied(Set.of(), Map.of(), List.of());
    }

    /** {@link #apply}, also telling which selected tables were renamed in or dropped. */
    public synchronized Applied applyStatement(String defaultDatabase, String sql, BinlogOffset end, Predicate<TableId> selected) {
        String stripped = SqlText.stripComments(sql);
        if (!SqlText.changesSchema(stripped)) return Applied.NONE;
        String db = defaultDatabase == null || defaultDatabase.isEmpty() ? null : defaultDatabase;
        Work w = new Work(versions.getLast(), db, selected);
        SqlText.AlterDatabase alterDb = SqlText.alterDatabase(stripped);
        if (alterDb != null) {
            alterDatabase(w, alterDb);
            commit(w, end);
            return Applied.NONE; // no table changes (its new default applies to tables created later)
        }
        try {
            SqlText.Rewritten r = SqlText.rewrite(stripped);
            List<SQLStatement> statements;
            try {
                statements = SQLUtils.parseStatements(r.sql(), DbType.mysql);
            } catch (RuntimeException e) {
                throw new UnsupportedDdl("the parser rejects it (" + firstLine(e.getMessage()) + ")");
            }
            if (statements.size() != 1) throw new UnsupportedDdl("it parses as " + statements.size() + " statements");
            w.lenient = r.ifExistsClauses();
            w.orReplace = r.orReplace();
            apply(w, statements.get(0));
        } catch (UnsupportedDdl e) {
            Map<TableId, TableId> renamedIn = w.renamedIn; // seen before the parse gave up (a rename of an unknown table)
            w = unparseable(stripped, db, end, selected, e.getMessage());
            w.renamedIn.putAll(renamedIn);
        }
        commit(w, end);
        for (TableId id : w.touched) shadowWarning(id, w, selected);
        return new Applied(Collections.unmodifiableSet(w.touched), Collections.unmodifiableMap(w.renamedIn), List.copyOf(w.dropped));
    }

    private void commit(Work w, BinlogOffset end) {
        add(new Version(end, Collections.unmodifiableMap(w.tables), Collections.unmodifiableMap(w.databases)));
        while (versions.size() > 1000) versions.removeFirst(); // a checkpoint prunes far sooner
    }

    /**
     * The nullability a TABLE_MAP event carries for each column of {@code id} (a set bit: may hold
     * NULL). It is the server's own, so where the history disagrees the event wins, as a new version
     * ending at {@code end} (the event's end offset): the rows that follow and the saved history then
     * agree with the server. The history can be wrong because DDL is applied under the
     * explicit_defaults_for_timestamp read once at the job's start (a session or global change, a
     * server upgrade), or because it was saved before Sluice kept nullability.
     *
     * @param columns the event's column count: another count than the history's is left alone (the
     *                column metadata check and the row events report that)
     * @return the columns that changed (NOT NULL: false), empty if none
     */
    public synchronized Map<String, Boolean> nullability(TableId id, java.util.BitSet nullable, int columns, BinlogOffset end) {
        Version last = versions.getLast();
        TableDef def = last.tables().get(id);
        if (def == null || nullable == null || def.columns().size() != columns) return Map.of();
        List<Column> cols = new ArrayList<>(def.columns());
        Map<String, Boolean> changed = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            if (c.nullable() != nullable.get(i)) {
                cols.set(i, c.withNullable(nullable.get(i)));
                changed.put(c.name(), nullable.get(i));
            }
        }
        if (changed.isEmpty()) return Map.of();
        Map<TableId, TableDef> tables = new LinkedHashMap<>(last.tables());
        tables.put(id, new TableDef(id, def.charset(), cols, def.keys()));
        add(new Version(end, Collections.unmodifiableMap(tables), last.databases()));
        while (versions.size() > 1000) versions.removeFirst();
        return changed;
    }

    /** Whether a statement can change a table's or database's definition (anything else is ignored). */
    public static boolean changesSchema(String sql) {
        return SqlText.changesSchema(SqlText.stripComments(sql));
    }

    // ---------------------------------------------------------------- statements

    private final class Work {
        final Map<TableId, TableDef> tables;
        final Map<String, String> databases;
        final String db;
        final Predicate<TableId> selected;
        final Set<TableId> touched = new LinkedHashSet<>();
        final Map<TableId, TableId> renamedIn = new LinkedHashMap<>();
        final List<TableId> dropped = new ArrayList<>();
        boolean lenient;
        boolean orReplace;

        Work(Version v, String db, Predicate<TableId> selected) {
            this.tables = new LinkedHashMap<>(v.tables());
            this.databases = new LinkedHashMap<>(v.databases());
            this.db = db;
            this.selected = selected;
        }

        TableId id(String schema, String table) {
            String d = schema != null ? SqlText.unquote(schema) : db;
            if (d == null) throw new UnsupportedDdl("table " + table + " has no database (no default database)");
            TableId id = new TableId(d, SqlText.unquote(table));
            touched.add(id);
            return id;
        }

        TableId id(SQLExpr name) {
            if (name instanceof SQLPropertyExpr p) return id(p.getOwnerName(), p.getName());
            if (name instanceof SQLIdentifierExpr i) return id(null, i.getName());
            if (name instanceof SQLName n) return id(null, n.getSimpleName());
            throw new UnsupportedDdl("unexpected table name " + name);
        }

        TableId id(SQLTableSource source) {
            if (source instanceof SQLExprTableSource e) return id(e.getExpr());
            throw new UnsupportedDdl("unexpected table " + source);
        }

        String databaseCharset(String database) {
            String cs = databases.get(database);
            if (cs == null) {
                cs = server.databaseCharset(database);
                cs = cs == null ? dialect.serverCharset() : dialect.charset(cs);
                databases.put(database, cs);
            }
            return cs;
        }

        /** A statement about a table the history does not know: fine unless the table is selected. */
        void unknown(TableId id, String what) {
            if (selected.test(id)) throw new UnsupportedDdl(what + " of " + id + ", which the schema history does not know");
            tables.remove(id);
        }
    }

    private void apply(Work w, SQLStatement s) {
        if (s instanceof MySqlCreateTableStatement c) createTable(w, c);
        else if (s instanceof SQLAlterTableStatement a) alterTable(w, a);
        else if (s instanceof MySqlRenameTableStatement r) {
            for (MySqlRenameTableStatement.Item item : r.getItems()) rename(w, w.id(item.getName()), w.id(item.getTo()));
        } else if (s instanceof SQLDropTableStatement d) {
            if (d.isTemporary()) return;
            for (SQLExprTableSource t : d.getTableSources()) {
                TableId id = w.id(t);
                if (w.tables.remove(id) != null && w.selected.test(id) && !isToolTable(id)) w.dropped.add(id);
            }
        } else if (s instanceof SQLTruncateStatement t) {
            for (SQLExprTableSource src : t.getTableSources()) w.id(src); // rows go, definition stays
        } else if (s instanceof SQLCreateDatabaseStatement c) {
            String name = SqlText.unquote(c.getName().getSimpleName());
            if (c.isIfNotExists() && w.databases.containsKey(name)) return;
            String cs = c.getCharacterSet() != null ? dialect.charset(c.getCharacterSet())
                    : c.getCollate() != null ? dialect.charsetOfCollation(c.getCollate()) : dialect.serverCharset();
            w.databases.put(name, cs);
        } else if (s instanceof SQLDropDatabaseStatement d) {
            String name = SqlText.unquote(d.getDatabaseName());
            w.databases.remove(name);
            w.tables.keySet().removeIf(id -> id.database().equals(name));
        } else if (s instanceof SQLCreateIndexStatement ci) {
            TableId id = w.id(ci.getTable());
            if (!"UNIQUE".equalsIgnoreCase(ci.getType())) return;
            TableDef def = w.tables.get(id);
            if (def == null) {
                w.unknown(id, "CREATE UNIQUE INDEX");
                return;
            }
            MutableTable t = new MutableTable(def);
            t.addUnique(SqlText.unquote(ci.getName().getSimpleName()), keyColumns(ci.getItems()));
            w.tables.put(id, t.toDef());
        } else if (s instanceof SQLDropIndexStatement di) {
            TableId id = w.id(di.getTableName());
            TableDef def = w.tables.get(id);
            if (def == null) return;
            MutableTable t = new MutableTable(def);
            String name = SqlText.unquote(di.getIndexName().getSimpleName());
            if (name.equalsIgnoreCase("PRIMARY")) t.keys.remove("PRIMARY");
            else t.dropKey(name);
            w.tables.put(id, t.toDef());
        } else {
            throw new UnsupportedDdl("the parser reads it as " + s.getClass().getSimpleName());
        }
    }

    /** A new default charset for tables created later in the database; existing tables keep theirs. */
    private void alterDatabase(Work w, SqlText.AlterDatabase a) {
        String name = a.database() != null ? a.database() : w.db;
        String cs = a.charset() != null ? dialect.charset(a.charset()) : dialect.charsetOfCollation(a.collation());
        if (name == null || cs == null) return;
        w.databases.put(name, cs);
    }

    private void rename(Work w, TableId from, TableId to) {
        // A tool's shadow swapped in holds copies of rows the topic has; any other table's rows were never read.
        if (!w.selected.test(from) && w.selected.test(to) && !isShadowOf(from, to)) w.renamedIn.put(to, from);
        TableDef def = w.tables.remove(from);
        if (def == null) {
            w.unknown(to, "RENAME TABLE " + from + " TO " + to);
            return;
        }
        w.tables.put(to, def.withId(to));
    }

    private void createTable(Work w, MySqlCreateTableStatement c) {
        if (c.isTemporary()) return; // never logged in ROW format, and never the base table
        TableId id = w.id(c.getSchema(), c.getTableName());
        if (c.isIfNotExists() && w.tables.containsKey(id)) return;
        if (c.isIfNotExists() && !w.selected.test(id)) {
            // It may have existed before the history knew it, in which case this was a no-op.
            w.tables.remove(id);
            return;
        }
        SQLExprTableSource like = c.getLike();
        for (SQLTableElement e : c.getTableElementList()) {
            if (e instanceof SQLTableLike l) like = l.getTable();
        }
        if (like != null) {
            TableId src = w.id(like);
            w.touched.remove(src); // read, not changed
            TableDef def = w.tables.get(src);
            if (def == null) {
                w.unknown(id, "CREATE TABLE LIKE " + src);
                return;
            }
            w.tables.put(id, def.withId(id));
            return;
        }
        if (c.getSelect() != null) {
            // Row-based binlogs log CREATE ... SELECT as a plain CREATE TABLE with every column.
            throw new UnsupportedDdl("CREATE TABLE ... SELECT derives its columns from a query");
        }
        String cs = null, coll = null;
        for (SQLAssignItem o : c.getTableOptions()) {
            String k = o.getTarget().toString().toUpperCase(Locale.ROOT).replace("DEFAULT ", "").trim();
            if (k.equals("CHARACTER SET") || k.equals("CHARSET")) cs = o.getValue().toString();
            else if (k.equals("COLLATE")) coll = o.getValue().toString();
        }
        String charset = cs != null ? dialect.charset(cs) : coll != null ? dialect.charsetOfCollation(coll) : w.databaseCharset(id.database());
        MutableTable t = new MutableTable(id, charset);
        List<SQLTableElement> keys = new ArrayList<>();
        for (SQLTableElement e : c.getTableElementList()) {
            if (e instanceof SQLColumnDefinition def) addColumn(t, def, false, null);
            else keys.add(e);
        }
        for (SQLTableElement e : keys) addKey(t, e);
        if (w.orReplace) w.tables.remove(id);
        w.tables.put(id, t.toDef());
    }

    private void addColumn(MutableTable t, SQLColumnDefinition def, boolean first, String after) {
        Column col = ColumnDefs.column(def, t.charset, dialect);
        if (t.add(col, first, after)) inlineKeys(t, def, col);
    }

    private static void inlineKeys(MutableTable t, SQLColumnDefinition def, Column col) {
        if (def.getDataType().getName().equalsIgnoreCase("serial")) t.addUnique(null, List.of(col.name()));
        for (SQLColumnConstraint k : def.getConstraints()) {
            if (k instanceof SQLColumnPrimaryKey) t.addPrimary(List.of(col.name()));
            else if (k instanceof SQLColumnUniqueKey) t.addUnique(null, List.of(col.name()));
        }
    }

    private static void addKey(MutableTable t, Object e) {
        if (e instanceof MySqlPrimaryKey pk) {
            t.addPrimary(keyColumns(pk.getColumns()));
        } else if (e instanceof MySqlUnique u) {
            t.addUnique(u.getName() == null ? null : SqlText.unquote(u.getName().getSimpleName()), keyColumns(u.getColumns()));
        }
        // plain, fulltext and spatial indexes, foreign keys and checks do not matter to records
    }

    private static List<String> keyColumns(List<SQLSelectOrderByItem> items) {
        List<String> cols = new ArrayList<>();
        for (SQLSelectOrderByItem i : items) {
            SQLExpr e = i.getExpr();
            if (e instanceof SQLIdentifierExpr id) cols.add(SqlText.unquote(id.getName()));
            else if (e instanceof SQLMethodInvokeExpr m) cols.add(SqlText.unquote(m.getMethodName())); // prefix c(10)
            else throw new UnsupportedDdl("a key on " + e + " (functional key parts are not supported)");
        }
        return cols;
    }

    private void alterTable(Work w, SQLAlterTableStatement a) {
        TableId id = w.id(a.getName());
        TableDef def = w.tables.get(id);
        if (def == null) {
            w.unknown(id, "ALTER TABLE");
            return;
        }
        MutableTable t = new MutableTable(def);
        t.lenient = w.lenient;
        TableId renameTo = null;
        String cs = null, coll = null;
        for (SQLAssignItem o : a.getTableOptions()) {
            String k = o.getTarget().toString().toUpperCase(Locale.ROOT).replace("DEFAULT ", "").trim();
            if (k.equals("CHARACTER SET") || k.equals("CHARSET")) cs = o.getValue().toString();
            else if (k.equals("COLLATE")) coll = o.getValue().toString();
        }
        if (cs != null || coll != null) t.charset = cs != null ? dialect.charset(cs) : dialect.charsetOfCollation(coll);
        for (SQLAlterTableItem item : a.getItems()) {
            if (item instanceof SQLAlterTableAddColumn add) {
                String after = add.getAfterColumn() == null ? null : name(add.getAfterColumn());
                boolean first = add.isFirst() || add.getFirstColumn() != null;
                boolean lenient = t.lenient;
                t.lenient = lenient || add.isIfNotExists();
                for (SQLColumnDefinition c : add.getColumns()) addColumn(t, c, first, after);
                t.lenient = lenient;
            } else if (item instanceof SQLAlterTableDropColumnItem drop) {
                for (SQLName n : drop.getColumns()) t.drop(name(n));
            } else if (item instanceof MySqlAlterTableModifyColumn m) {
                SQLColumnDefinition c = m.getNewColumnDefinition();
                Column col = ColumnDefs.column(c, t.charset, dialect);
                t.replace(col.name(), col, m.isFirst() || m.getFirstColumn() != null, m.getAfterColumn() == null ? null : name(m.getAfterColumn()));
                inlineKeys(t, c, col);
            } else if (item instanceof MySqlAlterTableChangeColumn ch) {
                SQLColumnDefinition c = ch.getNewColumnDefinition();
                Column col = ColumnDefs.column(c, t.charset, dialect);
                t.replace(name(ch.getColumnName()), col, ch.isFirst() || ch.getFirstColumn() != null,
                        ch.getAfterColumn() == null ? null : name(ch.getAfterColumn()));
                inlineKeys(t, c, col);
            } else if (item instanceof SQLAlterTableRenameColumn rc) {
                t.renameColumn(name(rc.getColumn()), name(rc.getTo()));
            } else if (item instanceof MySqlAlterTableAlterColumn ac) {
                if (t.indexOf(name(ac.getColumn())) < 0 && !t.lenient) {
                    throw new UnsupportedDdl("table " + id + " has no column " + name(ac.getColumn()) + " in the schema history");
                }
            } else if (item instanceof SQLAlterTableAddConstraint ac) {
                addKey(t, ac.getConstraint());
            } else if (item instanceof SQLAlterTableAddIndex ai) {
                if (ai.isUnique()) t.addUnique(ai.getName() == null ? null : name(ai.getName()), keyColumns(ai.getColumns()));
            } else if (item instanceof SQLAlterTableDropIndex di) {
                t.dropKey(name(di.getIndexName()));
            } else if (item instanceof SQLAlterTableDropKey dk) {
                t.dropKey(name(dk.getKeyName()));
            } else if (item instanceof SQLAlterTableDropPrimaryKey) {
                t.keys.remove("PRIMARY");
            } else if (item instanceof SQLAlterTableRenameIndex ri) {
                t.renameKey(name(ri.getName()), name(ri.getTo()));
            } else if (item instanceof SQLAlterTableConvertCharSet cc) {
                t.convert(cc.getCharset() != null ? dialect.charset(cc.getCharset().toString())
                        : dialect.charsetOfCollation(String.valueOf(cc.getCollate())));
            } else if (item instanceof SQLAlterCharacter ch) {
                if (ch.getCharacterSet() != null) t.charset = dialect.charset(ch.getCharacterSet().toString());
                else if (ch.getCollate() != null) t.charset = dialect.charsetOfCollation(ch.getCollate().toString());
            } else if (item instanceof SQLAlterTableRename r) {
                renameTo = w.id(r.getToName());
            } else if (!ignorable(item)) {
                throw new UnsupportedDdl("ALTER TABLE clause " + item.getClass().getSimpleName() + " is not supported");
            }
        }
        w.tables.put(id, t.toDef());
        if (renameTo != null && !renameTo.equals(id)) rename(w, id, renameTo);
    }

    /** Clauses that change nothing a record shows: options, algorithm, lock, partitions, foreign keys, checks... */
    private static boolean ignorable(SQLAlterTableItem item) {
        String n = item.getClass().getSimpleName();
        return n.contains("Partition") || n.contains("Algorithm") || n.contains("Lock") || n.contains("Force")
                || n.contains("ForeignKey") || n.contains("Constraint") || n.contains("Keys") // ENABLE/DISABLE KEYS
                || n.contains("Tablespace") || n.contains("Option") || n.contains("OrderBy") || n.contains("Comment")
                || n.contains("SetOption") || n.contains("Validation");
    }

    private static String name(SQLName n) {
        return SqlText.unquote(n.getSimpleName());
    }

    private static String name(SQLExpr e) {
        return e instanceof SQLName n ? name(n) : SqlText.unquote(e.toString());
    }

    // ---------------------------------------------------------------- statements the parser cannot handle

    private static final Set<String> KEYWORDS = Set.of("ADD", "DROP", "MODIFY", "CHANGE", "ALTER", "RENAME", "CONVERT",
            "COLUMN", "INDEX", "KEY", "PRIMARY", "UNIQUE", "CONSTRAINT", "TABLE", "TABLES", "IF", "EXISTS", "NOT", "TO",
            "AS", "ON", "LIKE", "CREATE", "TEMPORARY", "OR", "REPLACE", "IGNORE", "ONLINE", "TRUNCATE", "DATABASE", "SCHEMA",
            "SELECT", "FROM", "WITH", "SYSTEM", "VERSIONING", "DEFAULT", "CHARACTER", "SET", "COLLATE", "FIRST", "AFTER");

    /**
     * A schema-changing statement the history cannot apply. Tables it may touch are every name in
     * it that is qualified or follows TABLE, TABLES, LIKE, TO, AS, ON or a comma (and every table of
     * a database it drops or alters). Tracked tables that are not selected are forgotten (a later
     * rename into the selection re-reads them); selected ones are re-read from the server if that
     * is provably safe, else the job stops.
     */
    private Work unparseable(String stripped, String db, BinlogOffset end, Predicate<TableId> selected, String reason) {
        Work w = new Work(versions.getLast(), db, selected);
        Set<TableId> candidates = new LinkedHashSet<>();
        List<String> tokens = SqlText.tokens(stripped);
        String prev = "";
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.isBlank()) continue;
            boolean qualified = i + 2 < tokens.size() && tokens.get(i + 1).equals(".");
            String u = t.toUpperCase(Locale.ROOT);
            boolean afterMarker = Set.of("TABLE", "TABLES", "LIKE", "TO", "AS", "ON", ",", "EXISTS").contains(prev);
            if (qualified && !t.startsWith("'")) {
                candidates.add(new TableId(SqlText.unquote(t), SqlText.unquote(tokens.get(i + 2))));
                i += 2;
                prev = "name";
                continue;
            }
            if (afterMarker && db != null && !KEYWORDS.contains(u) && (t.startsWith("`") || Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_')) {
                candidates.add(new TableId(db, SqlText.unquote(t)));
            }
            prev = u;
        }
        java.util.regex.Matcher dbStmt = java.util.regex.Pattern.compile("^(DROP|ALTER)\\s+(DATABASE|SCHEMA)\\s+(IF\\s+EXISTS\\s+)?(`[^`]+`|\\w+)",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(stripped);
        if (dbStmt.find()) {
            String name = SqlText.unquote(dbStmt.group(4));
            for (TableId id : w.tables.keySet()) if (id.database().equals(name)) candidates.add(id);
        }
        List<TableId> reread = new ArrayList<>();
        for (TableId id : candidates) {
            if (selected.test(id)) reread.add(id);
            else if (w.tables.remove(id) != null) {
                log.warn("forgetting {} in the schema history after a statement it cannot apply ({}); it is re-read if renamed into the selection", id, reason);
            }
        }
        if (reread.isEmpty()) {
            log.warn("skipping a statement the schema history cannot apply ({}) at {}: it touches no selected table: {}",
                    reason, end, abbreviate(stripped));
            return w;
        }
        for (TableId id : reread) {
            Reload r = server.reload(id, end);
            if (!r.safe()) {
                throw new SluiceException("the schema history cannot apply the statement at " + end + " (" + reason
                        + ") and cannot safely re-read " + id + " from the server (" + r.why() + "): " + abbreviate(stripped),
                        "exclude " + id + " in objects.exclude, or re-initialize the job after the statement (`sluice run --reinitialize`)");
            }
            if (r.table() == null) w.tables.remove(id);
            else w.tables.put(id, r.table().withId(id));
            w.touched.add(id);
            log.warn("re-read {} from the server after a statement the schema history cannot apply ({}) at {}: {}",
                    id, reason, end, r.why());
        }
        return w;
    }

    private static String abbreviate(String sql) {
        String s = sql.replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---------------------------------------------------------------- online schema change tools

    private static final java.util.regex.Pattern GHOST = java.util.regex.Pattern.compile("^_(.+)_(gho|ghc|del)$");
    private static final java.util.regex.Pattern PTOSC = java.util.regex.Pattern.compile("^_(.+)_(new|old)$");

    /** Whether {@code shadow} is a gh-ost or pt-online-schema-change table of {@code original} (a cut-over swaps it in). */
    private static boolean isShadowOf(TableId shadow, TableId original) {
        if (!shadow.database().equals(original.database())) return false;
        java.util.regex.Matcher g = GHOST.matcher(shadow.table());
        java.util.regex.Matcher p = PTOSC.matcher(shadow.table());
        return (g.matches() && g.group(1).equals(original.table())) || (p.matches() && p.group(1).equals(original.table()));
    }

    /** A table named as gh-ost's or pt-online-schema-change's own (dropped by the tool after its cut-over). */
    private static boolean isToolTable(TableId id) {
        return GHOST.matcher(id.table()).matches() || PTOSC.matcher(id.table()).matches();
    }

    private void shadowWarning(TableId id, Work w, Predicate<TableId> selected) {
        java.util.regex.Matcher g = GHOST.matcher(id.table());
        java.util.regex.Matcher p = PTOSC.matcher(id.table());
        String tool, kind, base;
        if (g.matches()) { tool = "gh-ost"; kind = g.group(2); base = g.group(1); }
        else if (p.matches()) { tool = "pt-online-schema-change"; kind = p.group(2); base = p.group(1); }
        else return;
        TableId original = new TableId(id.database(), base);
        if (!selected.test(original) && !selected.test(id)) return;
        // Once while the table exists (the cut-over touches it again); a later migration warns anew.
        if (!w.tables.containsKey(id)) {
            warned.remove(id.toString());
            return;
        }
        if (!warned.add(id.toString())) return;
        if (selected.test(id)) {
            log.warn("{} shadow table {} matches objects.include: the tool's copied rows will be written as records of {}; "
                    + "add it to objects.exclude", tool, id, id);
        }
        switch (kind) {
            case "gho", "new" -> log.warn("{} is migrating {} through {}: the schema history applies the shadow table's DDL; "
                    + "when the tool's final RENAME swaps it in, records of {} continue with the new columns", tool, original, id, original);
            case "ghc" -> log.warn("{} changelog table {} for {}: not synced", tool, id, original);
            default -> log.warn("{} renamed the old {} to {} (cut-over): the schema history now follows the swapped-in table as {}",
                    tool, original, id, original);
        }
    }

    // ---------------------------------------------------------------- persistence

    /**
     * The history at {@code upTo} (a checkpoint: every statement ending at or before it applied, none
     * after), as compact JSON. Versions before it are no longer needed and are dropped.
     */
    public synchronized String toJson(BinlogOffset upTo) {
        Version at = versions.getFirst();
        for (Version v : versions) {
            if (v.end() == null || (upTo != null && v.end().compareTo(upTo) <= 0)) at = v;
        }
        while (versions.getFirst() != at) versions.removeFirst();
        return HistoryJson.write(dialect, at.tables(), at.databases());
    }

    /**
     * Identifies the version in force at {@code upTo}: the end offset of the last statement applied
     * at or before it (null for the start snapshot). Equal answers mean equal {@link #toJson(BinlogOffset)}.
     */
    public synchronized BinlogOffset versionAt(BinlogOffset upTo) {
        BinlogOffset at = null;
        for (Version v : versions) {
            if (v.end() != null && upTo != null && v.end().compareTo(upTo) <= 0) at = v.end();
        }
        return at;
    }

    /** Drops the versions after {@code offset}: the reader resumes there and meets those statements again. */
    public synchronized void rewind(BinlogOffset offset) {
        while (versions.size() > 1 && versions.getLast().end().compareTo(offset) > 0) versions.removeLast();
        inForce = versions.getLast();
    }

    /** The history at the reader's position. */
    public synchronized String toJson() {
        Version v = versions.getLast();
        return HistoryJson.write(dialect, v.tables(), v.databases());
    }

    /** A history restored from {@link #toJson}, as the snapshot of a restart at the checkpoint it was written for. */
    public static SchemaHistory fromJson(String json, Server server) {
        HistoryJson.State s = HistoryJson.read(json);
        SchemaHistory h = new SchemaHistory(s.dialect(), server);
        for (TableDef t : s.tables()) h.put(t);
        s.databases().forEach(h::putDatabase);
        return h;
    }
}
