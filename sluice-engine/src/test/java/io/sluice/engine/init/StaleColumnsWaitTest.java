package io.sluice.engine.init;

import io.sluice.core.model.BinlogOffset;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleColumnsWaitTest {

    private static final BinlogOffset START = new BinlogOffset("mysql-bin.000009", 100, "");
    private static final BinlogOffset END = new BinlogOffset("mysql-bin.000009", 5_000, "");

    private final AtomicReference<BinlogOffset> stream = new AtomicReference<>(START);
    private final StaleColumnsWait wait = new StaleColumnsWait(stream::get);

    @Test
    void theColumnIsReadFromMySqlsMessage() {
        assertEquals("x", StaleColumnsWait.columnOf("Unknown column 'x' in 'field list'"));
        assertEquals("it's", StaleColumnsWait.columnOf("Unknown column 'it's' in 'field list'"));
        assertEquals("a b", StaleColumnsWait.columnOf("Unknown column 'a b' in 'order clause'"));
        assertNull(StaleColumnsWait.columnOf("Champ 'x' inconnu dans field list"), "another lc_messages language");
        assertNull(StaleColumnsWait.columnOf(null));
    }

    @Test
    void aStreamBehindTheMarkWaits() {
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("x", () -> END));
        assertEquals(END, wait.mark());
        for (long p = 200; p < END.position(); p += 1_000) { // busy: the stream moves, the mark does not
            stream.set(new BinlogOffset("mysql-bin.000009", p, ""));
            wait.beforeAttempt();
            assertFalse(wait.historyDisagrees("x", () -> new BinlogOffset("mysql-bin.000010", 4, "")));
            assertEquals(END, wait.mark(), "marked once, at the first failure");
        }
    }

    @Test
    void theSameColumnUnknownAfterTheStreamPassedTheMarkIsADisagreement() {
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("x", () -> END));
        stream.set(END); // a heartbeat at the binlog end: nothing before the mark is left to apply
        wait.beforeAttempt();
        assertTrue(wait.historyDisagrees("x", () -> END));
    }

    @Test
    void theStreamPassingTheMarkOnlyAfterTheDefinitionWasReadIsNotADisagreement() {
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("x", () -> END));
        wait.beforeAttempt(); // still behind here: the definition this attempt reads may predate the statement
        stream.set(END);
        assertFalse(wait.historyDisagrees("x", () -> END));
        wait.beforeAttempt();
        assertTrue(wait.historyDisagrees("x", () -> END));
    }

    @Test
    void anotherColumnUnknownAfterTheMarkStartsItsOwnWait() {
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("x", () -> END));
        stream.set(END);
        BinlogOffset later = new BinlogOffset("mysql-bin.000010", 300, "");
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("y", () -> later), "x was applied; y was dropped by a later statement");
        assertEquals(later, wait.mark());
        wait.beforeAttempt();
        assertFalse(wait.historyDisagrees("y", () -> later));
        stream.set(later);
        wait.beforeAttempt();
        assertTrue(wait.historyDisagrees("y", () -> later));
    }
}
