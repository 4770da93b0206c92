package io.sluice.source.mysql.schema;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table being changed by one statement; becomes a {@link TableDef} again at the end. */
final class MutableTable {

    TableId id;
    String charset;
    final List<Column> columns;
    final Map<String, List<String>> keys;
    /** MariaDB's IF [NOT] EXISTS on clauses: adding an existing or dropping a missing column/key is a no-op. */
    boolean lenient;

    MutableTable(TableId id, String charset) {
        this.id = id;
        this.charset = charset;
        this.columns = new ArrayList<>();
        this.keys = new LinkedHashMap<>();
    }

    MutableTable(TableDef def) {
        this.id = def.id();
        this.charset = def.charset();
        this.columns = new ArrayList<>(def.columns());
        this.keys = new LinkedHashMap<>();
        def.keys().forEach((k, v) -> keys.put(k, new ArrayList<>(v)));
    }

    TableDef toDef() {
        if (columns.isEmpty()) throw new UnsupportedDdl("table " + id + " would have no columns");
        return new TableDef(id, charset, columns, keys);
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) return i;
        }
        return -1;
    }

    private int require(String column) {
        int i = indexOf(column);
        if (i < 0) throw new UnsupportedDdl("table " + id + " has no column " + column + " in the schema history");
        return i;
    }

    /** Adds at the end, first, or after a column; false when it exists and the clause said IF NOT EXISTS. */
    boolean add(Column c, boolean first, String after) {
        if (indexOf(c.name()) >= 0) {
            if (lenient) return false;
            throw new UnsupportedDdl("table " + id + " already has a column " + c.name() + " in the schema history");
        }
        columns.add(position(first, after, columns.size()), c);
        return true;
    }

    private int position(boolean first, String after, int otherwise) {
        if (first) return 0;
        if (after != null) return require(after) + 1;
        return otherwise;
    }

    void drop(String column) {
        int i = indexOf(column);
        if (i < 0) {
            if (lenient) return;
            require(column);
        }
        columns.remove(i);
        for (Iterator<Map.Entry<String, List<String>>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            List<String> cols = it.next().getValue();
            cols.removeIf(k -> k.equalsIgnoreCase(column));
            if (cols.isEmpty()) it.remove();
        }
    }

    /** MODIFY/CHANGE: replaces {@code old} with {@code c}, optionally moving it. */
    void replace(String old, Column c, boolean first, String after) {
        int i = indexOf(old);
        if (i < 0 && lenient) return;
        i = require(old);
        if (!old.equalsIgnoreCase(c.name()) && indexOf(c.name()) >= 0) {
            throw new UnsupportedDdl("table " + id + " already has a column " + c.name() + " in the schema history");
        }
        columns.remove(i);
        List<String> primary = keys.get("PRIMARY");
        if (primary != null && primary.stream().anyMatch(old::equalsIgnoreCase)) c = c.withNullable(false); // as MySQL keeps it
        columns.add(first || after != null ? position(first, after, i) : i, c);
        if (!old.equals(c.name())) renameInKeys(old, c.name());
    }

    void renameColumn(String old, String to) {
        int i = indexOf(old);
        if (i < 0 && lenient) return;
        i = require(old);
        Column c = columns.get(i);
        columns.set(i, c.withName(to));
        renameInKeys(old, to);
    }

    private void renameInKeys(String old, String to) {
        for (List<String> cols : keys.values()) cols.replaceAll(k -> k.equalsIgnoreCase(old) ? to : k);
    }

    void addPrimary(List<String> cols) {
        if (keys.containsKey("PRIMARY")) {
            if (lenient) return;
            throw new UnsupportedDdl("table " + id + " already has a primary key in the schema history");
        }
        keys.put("PRIMARY", new ArrayList<>(cols));
        // MySQL makes primary key columns NOT NULL (and keeps them so after DROP PRIMARY KEY)
        for (String k : cols) {
            int i = indexOf(k);
            if (i >= 0) columns.set(i, columns.get(i).withNullable(false));
        }
    }

    /** A unique key; unnamed ones are named after their first column ({@code c}, {@code c_2}...). */
    void addUnique(String name, List<String> cols) {
        if (cols.isEmpty()) return;
        String n = name;
        if (n == null) {
            n = cols.get(0);
            for (int i = 2; hasKey(n); i++) n = cols.get(0) + "_" + i;
        } else if (hasKey(n)) {
            if (lenient) return;
            throw new UnsupportedDdl("table " + id + " already has a key " + n + " in the schema history");
        }
        List<String> named = new ArrayList<>();
        for (String c : cols) named.add(columns.get(require(c)).name());
        keys.put(n, named);
    }

    private boolean hasKey(String name) {
        return keys.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    /** Drops a key by name; non-unique indexes are not kept, so a missing name is fine. */
    void dropKey(String name) {
        keys.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    }

    void renameKey(String old, String to) {
        String found = keys.keySet().stream().filter(k -> k.equalsIgnoreCase(old)).findFirst().orElse(null);
        if (found == null) return;
        Map<String, List<String>> copy = new LinkedHashMap<>(keys);
        keys.clear();
        copy.forEach((k, v) -> keys.put(k.equals(found) ? to : k, v));
    }

    /**
     * CONVERT TO CHARACTER SET: the default and every character column, which keeps its length in
     * characters: the server picks the type that holds it in the new charset, so a TEXT may become
     * MEDIUMTEXT and a VARCHAR too long for 65,535 bytes a TEXT type; to {@code binary}, CHAR,
     * VARCHAR and TEXT become BINARY, VARBINARY and BLOB types.
     */
    void convert(String cs) {
        charset = cs;
        columns.replaceAll(c -> c.type() == ColumnType.CHAR || c.type() == ColumnType.VARCHAR || c.type() == ColumnType.TEXT
                ? converted(c, cs).withNullable(c.nullable()) : c);
    }

    private Column converted(Column c, String cs) {
        if (c.length() <= 0) {
            throw new UnsupportedDdl("the schema history does not know the length of " + id + "." + c.name()
                    + " (saved by an older version)");
        }
        long chars = c.length() / Charsets.maxBytes(c.charset());
        int octets = Charsets.octets(chars, cs);
        boolean binary = cs.equals("binary");
        return switch (c.type()) {
            case CHAR -> binary ? new Column(c.name(), ColumnType.BINARY, false, -1, -1, "binary", octets, List.of(), null)
                    : ColumnDefs.character(c.name(), ColumnType.CHAR, cs, octets);
            case VARCHAR -> binary ? ColumnDefs.varbinary(c.name(), octets) : ColumnDefs.varchar(c.name(), cs, octets);
            default -> binary ? Column.of(c.name(), Charsets.blobType(octets))
                    : ColumnDefs.character(c.name(), ColumnType.TEXT, cs, Charsets.textOctets(octets));
        };
    }
}
