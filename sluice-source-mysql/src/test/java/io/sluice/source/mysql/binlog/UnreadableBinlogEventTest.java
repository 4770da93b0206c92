package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A binlog event the client cannot decode reaches the user as one line naming file:position and
 * what to do, not as the library's exception (a stack trace): read once more, then stop.
 */
class UnreadableBinlogEventTest {

    private static EventDataDeserializationException undecodable(long position, long length, EventType type, Throwable cause) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setEventLength(length);
        header.setNextPosition(position < 0 ? 0 : position + length);
        return new EventDataDeserializationException(header, cause);
    }

    @Test
    void anEventTheClientCannotDecodeIsOneLineWithItsPositionThenStopsTheJob() {
        IOException cause = new IOException("Unknown column type 99\nat offset 12");
        EventDataDeserializationException ex = undecodable(1234, 100, EventType.EXT_WRITE_ROWS, cause);
        FailedEvents job = new FailedEvents();

        SluiceException first = UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 1000, job);
        assertInstanceOf(TransientException.class, first, "first time: may be damage in transit, read it once more");
        String line = first.oneLine();
        assertTrue(line.contains("db1:3306") && line.contains("mysql-bin.000007:1234") && line.contains("EXT_WRITE_ROWS")
                && line.contains("IOException: Unknown column type 99 at offset 12") && line.contains("resumes from its last checkpoint"), line);
        assertFalse(line.contains("\n") || line.contains("EventHeaderV4"), line);
        assertSame(ex, first.getCause(), "the library's exception stays the cause (logs), not the message");

        SluiceException second = UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 1000, job);
        assertFalse(second instanceof TransientException, "failing again at the same event: it would fail forever");
        line = second.oneLine();
        assertTrue(line.contains("mysql-bin.000007:1234") && line.contains("failed twice")
                && line.contains("mysqlbinlog -v --start-position=1234 mysql-bin.000007") && line.contains("--reinitialize"), line);

        assertInstanceOf(TransientException.class, UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 1000, new FailedEvents()),
                "another job's memory: its first failure there");
    }

    @Test
    void withoutItsHeaderTheEventIsNamedByWhereTheClientHadReadUpTo() {
        RuntimeException ex = new ArrayIndexOutOfBoundsException("Index 7 out of bounds for length 7");
        FailedEvents job = new FailedEvents();
        SluiceException first = UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 5678, job);
        assertInstanceOf(TransientException.class, first);
        assertTrue(first.oneLine().contains("mysql-bin.000007 after position 5678")
                && first.oneLine().contains("ArrayIndexOutOfBoundsException: Index 7"), first.oneLine());
        SluiceException second = UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 5678, job);
        assertFalse(second instanceof TransientException, second.oneLine());
        assertTrue(second.oneLine().contains("--start-position=5678 mysql-bin.000007"), second.oneLine());
    }

    @Test
    void anEventTheServerGeneratedNeverStopsTheJob() {
        EventDataDeserializationException ex = undecodable(-1, 40, EventType.HEARTBEAT, new IOException("short read"));
        FailedEvents job = new FailedEvents();
        for (int i = 0; i < 3; i++) {
            SluiceException e = UnreadableBinlogEvent.failure(ex, "db1:3306", "mysql-bin.000007", 1000, job);
            assertInstanceOf(TransientException.class, e, e.oneLine());
            assertTrue(e.oneLine().contains("no position") && !e.oneLine().contains("--start-position"), e.oneLine());
        }
    }
}
