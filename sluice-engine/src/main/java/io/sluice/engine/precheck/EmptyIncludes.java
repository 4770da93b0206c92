package io.sluice.engine.precheck;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;
import io.sluice.core.route.Router;
import io.sluice.core.route.TablePattern;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code objects.include} entries that select no table on the source: a job that would run and
 * sync less than its file says (often nothing). {@code sluice check} fails each one; {@code sluice
 * run} stops on them at start, with the same words.
 */
public final class EmptyIncludes {

    /**
     * One entry: why it selects nothing. {@code hiddenFrom}: the account, when the source hides the tables it
     * may not read from it (SELECT not granted ON *.*), else null.
     */
    public record Entry(TablePattern pattern, boolean allExcluded, String hiddenFrom) {
        public String reason() {
            if (allExcluded) return "objects.exclude takes every table it matches";
            String none = pattern.isLiteral() ? "no such table" : "matches no table";
            return hiddenFrom == null ? none : none + " the account " + hiddenFrom + " may read (it sees only tables it has SELECT on)";
        }
    }

    private EmptyIncludes() {}

    /**
     * The entries of {@code router}'s includes that select none of {@code onSource} (every base table of the
     * source the account sees); {@code hiddenFrom} as in {@link Entry}.
     */
    public static List<Entry> find(Router router, List<TableId> onSource, String hiddenFrom) {
        List<TableId> selected = onSource.stream().filter(router::selects).toList();
        return router.includesSelectingNothing(selected).stream()
                .map(p -> new Entry(p, onSource.stream().anyMatch(p::matches), hiddenFrom))
                .toList();
    }

    public static String fix(Entry e) {
        if (e.allExcluded()) return "narrow objects.exclude or remove '" + e.pattern().text() + "' from objects.include";
        String grant = e.hiddenFrom() == null ? "" : "GRANT SELECT ON " + grantTarget(e.pattern()) + " TO " + e.hiddenFrom()
                + " if it exists; else ";
        return grant + "create the table, or correct or remove '" + e.pattern().text() + "' in objects.include "
                + "(names are case-sensitive; names with '.', spaces or backticks go in backticks: `db.x`.`t.y`)";
    }

    /** `db`.`t` for a literal entry, `db`.* for a pattern with a literal database, else *.*. */
    private static String grantTarget(TablePattern p) {
        if (p.isLiteral()) return quoted(p.database()) + "." + quoted(p.table());
        return p.database().indexOf('*') < 0 ? quoted(p.database()) + ".*" : "*.*";
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Stops the job when any entry selects nothing: one line naming each. */
    public static void require(Router router, List<TableId> onSource, String hiddenFrom, String where) {
        List<Entry> empty = find(router, onSource, hiddenFrom);
        if (empty.isEmpty()) return;
        if (empty.size() == 1) {
            Entry e = empty.get(0);
            String what = e.pattern().isLiteral() && !e.allExcluded()
                    ? "table " + e.pattern().text() + " in objects.include " + (e.hiddenFrom() == null ? "does not exist"
                    : "does not exist or is hidden from " + e.hiddenFrom() + " (it sees only tables it has SELECT on)")
                    : "objects.include entry '" + e.pattern().text() + "' selects no table (" + e.reason() + ")";
            throw new SluiceException(what + " on the source " + where, fix(e));
        }
        throw new SluiceException("objects.include entries select no table on the source " + where + ": "
                + empty.stream().map(e -> "'" + e.pattern().text() + "' (" + e.reason() + ")").collect(Collectors.joining(", ")),
                (hiddenFrom == null ? "" : "GRANT SELECT on them TO " + hiddenFrom + " if they exist; else ")
                        + "create the tables, or correct or remove these entries in objects.include "
                        + "(names are case-sensitive; names with '.', spaces or backticks go in backticks: `db.x`.`t.y`)");
    }
}
