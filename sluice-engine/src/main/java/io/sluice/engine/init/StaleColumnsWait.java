package io.sluice.engine.init;

import io.sluice.core.model.BinlogOffset;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One chunk's wait after its SELECT named a column the table no longer has (MySQL's "Unknown
 * column"): either the stream is behind the statement that dropped or renamed it (wait, and read the
 * chunk again once the stream has applied it), or the table was changed by a statement the binlog
 * does not carry, e.g. under {@code sql_log_bin=0} (waiting would never end).
 *
 * <p>At the first failure for a column the binlog end is marked. A statement that changed the table
 * before the failure is in the binlog before that mark, so once the stream has passed the mark the
 * schema history has applied it: a definition read after that which still names the column
 * disagrees with the table. Whether the stream has passed the mark is checked before the attempt
 * reads the definition: checked after, the stream could pass it in between, with the definition
 * read still stale.
 */
final class StaleColumnsWait {

    /** MySQL's ER_BAD_FIELD_ERROR text in English: "Unknown column 'x' in 'field list'". */
    private static final Pattern UNKNOWN_COLUMN = Pattern.compile("Unknown column '(.*)' in '[^']*'");

    private final Supplier<BinlogOffset> stream;
    /** The unknown column the mark was taken for (its name, or the server's message when it names none we can read). */
    private String column;
    /** The binlog end at the first failure for {@link #column}. */
    private BinlogOffset mark;
    /** Whether the stream had passed the mark before this attempt read the table's definition. */
    private boolean markPassed;

    /** @param stream where the stream has handled every event before (read on another thread) */
    StaleColumnsWait(Supplier<BinlogOffset> stream) {
        this.stream = stream;
    }

    /** The column an "Unknown column" message names, or null when it is in another form (e.g. another {@code lc_messages} language). */
    static String columnOf(String message) {
        if (message == null) return null;
        Matcher m = UNKNOWN_COLUMN.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /** Before an attempt reads the table's definition. */
    void beforeAttempt() {
        markPassed = mark != null && stream.get().compareTo(mark) >= 0;
    }

    /**
     * The attempt's SELECT failed with {@code column} unknown. Marks the binlog end ({@code binlogEnd}, read now) at
     * the first failure for a column.
     *
     * @return true when the schema history disagrees with the table: the column was still unknown to a definition
     *         read after the stream had passed the mark
     */
    boolean historyDisagrees(String column, Supplier<BinlogOffset> binlogEnd) {
        if (mark != null && Objects.equals(column, this.column)) return markPassed;
        this.column = column;
        this.mark = binlogEnd.get();
        return false;
    }

    /** The binlog end marked at the first failure for the current column, or null. */
    BinlogOffset mark() { return mark; }
}
