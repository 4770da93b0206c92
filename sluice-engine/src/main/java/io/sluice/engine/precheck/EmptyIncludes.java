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

    /** One entry: why it selects nothing. */
    public record Entry(TablePattern pattern, boolean allExcluded) {
        public String reason() {
            if (allExcluded) return "objects.exclude takes every table it matches";
            return pattern.isLiteral() ? "no such table" : "matches no table";
        }
    }

    private EmptyIncludes() {}

    /** The entries of {@code router}'s includes that select none of {@code onSource} (every base table of the source). */
    public static List<Entry> find(Router router, List<TableId> onSource) {
        List<TableId> selected = onSource.stream().filter(router::selects).toList();
        return router.includesSelectingNothing(selected).stream()
                .map(p -> new Entry(p, onSource.stream().anyMatch(p::matches)))
                .toList();
    }

    public static String fix(Entry e) {
        if (e.allExcluded()) return "narrow objects.exclude or remove '" + e.pattern().text() + "' from objects.include";
        return "create the table, or correct or remove '" + e.pattern().text() + "' in objects.include "
                + "(names are case-sensitive; names with '.', spaces or backticks go in backticks: `db.x`.`t.y`)";
    }

    /** Stops the job when any entry selects nothing: one line naming each. */
    public static void require(Router router, List<TableId> onSource, String where) {
        List<Entry> empty = find(router, onSource);
        if (empty.isEmpty()) return;
        if (empty.size() == 1) {
            Entry e = empty.get(0);
            String what = e.pattern().isLiteral() && !e.allExcluded() ? "table " + e.pattern().text() + " in objects.include does not exist"
                    : "objects.include entry '" + e.pattern().text() + "' selects no table (" + e.reason() + ")";
            throw new SluiceException(what + " on the source " + where, fix(e));
        }
        throw new SluiceException("objects.include entries select no table on the source " + where + ": "
                + empty.stream().map(e -> "'" + e.pattern().text() + "' (" + e.reason() + ")").collect(Collectors.joining(", ")),
                "create the tables, or correct or remove these entries in objects.include "
                        + "(names are case-sensitive; names with '.', spaces or backticks go in backticks: `db.x`.`t.y`)");
    }
}
