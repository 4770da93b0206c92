package io.sluice.engine.init;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleColumnsRetryTest {

    private static final TableId T = TableId.parse("db.t");
    private static final BinlogOffset BEHIND = new BinlogOffset("mysql-bin.000003", 100, "");
    private static final BinlogOffset END = new BinlogOffset("mysql-bin.000003", 9_000, "");

    private final AtomicReference<BinlogOffset> stream = new AtomicReference<>(BEHIND);
    private final AtomicLong paused = new AtomicLong();
    private final StaleColumnsRetry retry = new StaleColumnsRetry(stream::get, () -> END, paused::addAndGet);
    private final AtomicInteger attempts = new AtomicInteger();

    private static SluiceException unknownColumn(String column) {
        SQLException sql = new SQLException("Unknown column '" + column + "' in 'field list'", "42S22", 1054);
        return new SluiceException("MySQL query failed: " + sql.getMessage(), "see the server's error above", sql);
    }

    @Test
    void aQueryBehindTheStreamIsRunAgainOnceTheStreamMetTheStatement() throws Exception {
        String result = retry.run(T, "the table", () -> {
            if (attempts.incrementAndGet() < 4) throw unknownColumn("x"); // the stream is busy before the DROP
            return "rows";
        });
        assertEquals("rows", result);
        assertEquals(4, attempts.get());
        assertEquals(3 * StaleColumnsRetry.WAIT_MS, paused.get());
    }

    @Test
    void theColumnStillUnknownAfterTheStreamPassedTheMarkStopsWithTheFix() {
        SluiceException e = assertThrows(SluiceException.class, () -> retry.run(T, "the table", () -> {
            if (attempts.incrementAndGet() == 2) stream.set(END); // the stream reached the mark: the next definition is current
            throw unknownColumn("x");
        }));
        assertFalse(e instanceof TransientException, "a user error: restarting would meet the column again");
        assertEquals(3, attempts.get(), "the attempt whose definition was read after the stream passed the mark decides");
        assertTrue(e.problem().startsWith("initialization of db.t: the table has no column x, which the schema history still has"
                + " after the stream passed mysql-bin.000003:9000"), e.problem());
        assertTrue(e.fix().contains("sluice run --reinitialize") && e.fix().contains("initialization.reinitializeToken"), e.fix());
    }

    @Test
    void aStreamThatDoesNotPassTheMarkRestartsTheSession() {
        SluiceException e = assertThrows(TransientException.class, () -> retry.run(T, "the table", () -> {
            attempts.incrementAndGet();
            throw unknownColumn("x");
        }));
        assertEquals(StaleColumnsRetry.MAX_WAIT_MS, paused.get());
        assertTrue(e.problem().contains("the stream has not reached the statement"), e.problem());
    }

    @Test
    void anotherFailureIsNotRetried() {
        SluiceException denied = new SluiceException("MySQL query failed: SELECT command denied", "grant SELECT",
                new SQLException("SELECT command denied", "42000", 1142));
        SluiceException e = assertThrows(SluiceException.class, () -> retry.run(T, "the table", () -> {
            attempts.incrementAndGet();
            throw denied;
        }));
        assertSame(denied, e);
        assertEquals(1, attempts.get());
        assertEquals(0, paused.get());
    }
}
