package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.source.mysql.value.OldTemporalColumns;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CRC32 trailers of binlog events verified by {@link WholeEventDeserializer}: recorded binlogs with
 * binlog_checksum=CRC32 (MySQL 5.6.14's fixture, and the MySQL 5.7 stream bench/micro recorded from
 * a real server, with its made-up ROTATE and FORMAT_DESCRIPTION) read as before; one flipped byte
 * in an event's body stops reading with that event's position.
 */
class BinlogChecksumTest {

    private static final String FIXTURE = "mysql-5.6.14.binlog";

    @Test
    void recordedBinlogsWithChecksumsPass() throws IOException {
        assertTrue(readAll(LegacyBinlogFixturesTest.fixture(FIXTURE)) > 10);
        Path recorded = Path.of("../bench/micro/mixed-mysql57.binlog.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(recorded))) {
            assertTrue(readAll(in.readAllBytes()) > 1000);
        }
    }

    @Test
    void formatDescriptionWithTheInUseFlagPasses() throws IOException {
        byte[] file = LegacyBinlogFixturesTest.fixture(FIXTURE);
        int fd = 4;
        assertEquals(15, file[fd + 4]);
        file[fd + 17] |= 1; // LOG_EVENT_BINLOG_IN_USE_F: MySQL sets it in an open binlog without updating the checksum
        assertTrue(readAll(file) > 10);
    }

    @Test
    void flippedByteInARowEventStopsWithItsPositionAndTheFix() throws IOException {
        byte[] file = LegacyBinlogFixturesTest.fixture(FIXTURE);
        int rows = firstEventOf(file, 23, 30); // WRITE_ROWS v1 / v2
        file[rows + 19 + 12] ^= 0x01; // a byte of its row image
        BinlogChecksumMismatch m = assertThrows(BinlogChecksumMismatch.class, () -> readAll(file));
        assertEquals(rows, m.position);

        FailedEvents job = new FailedEvents();
        SluiceException first = m.failure("db1:3306", "mysql-bin.000007", 4, job);
        assertInstanceOf(TransientException.class, first, "first time: may be damage in transit, read it once more");
        SluiceException second = m.failure("db1:3306", "mysql-bin.000007", 4, job);
        assertFalse(second instanceof TransientException, "the same event failing again is damage in the binlog: stop");
        String line = second.oneLine();
        assertTrue(line.contains("mysql-bin.000007:" + rows) && line.contains("CRC32") && line.contains("corrupt"), line);
        assertTrue(line.contains("mysqlbinlog --verify-binlog-checksum --start-position=" + rows + " mysql-bin.000007"), line);
        assertTrue(line.contains("resumes from its last checkpoint"), line);
        assertFalse(line.contains("\n"));
    }

    /** Two jobs in one JVM (connectors of a Connect worker) on the same source: each reads a bad event once more before it stops. */
    @Test
    void theFailedOnceMemoryIsPerJob() {
        BinlogChecksumMismatch m = new BinlogChecksumMismatch(4321, 30, 0x1234, 0x5678);
        FailedEvents jobA = new FailedEvents();
        FailedEvents jobB = new FailedEvents();
        assertInstanceOf(TransientException.class, m.failure("db1:3306", "mysql-bin.000007", 4, jobA));
        assertInstanceOf(TransientException.class, m.failure("db1:3306", "mysql-bin.000007", 4, jobB), "job A's failure is not job B's");
        assertFalse(m.failure("db1:3306", "mysql-bin.000007", 4, jobA) instanceof TransientException, "job A: the second time");
        assertFalse(m.failure("db1:3306", "mysql-bin.000007", 4, jobB) instanceof TransientException, "job B: the second time");
        assertInstanceOf(TransientException.class, m.failure("db1:3306", "mysql-bin.000008", 4, jobA), "another event");
    }

    /** Heartbeats and made-up events (position -1) are generated anew each time: never one event failing twice. */
    @Test
    void anEventTheServerGeneratedFailingNowAndThenNeverStopsTheJob() {
        BinlogChecksumMismatch heartbeat = new BinlogChecksumMismatch(-1, 27, 0x1234, 0x5678);
        BinlogChecksumMismatch another = new BinlogChecksumMismatch(-1, 4, 0x1234, 0x5678);
        FailedEvents job = new FailedEvents();
        for (int i = 0; i < 3; i++) {
            for (BinlogChecksumMismatch m : List.of(heartbeat, another)) {
                SluiceException e = m.failure("db1:3306", "mysql-bin.000007", 4, job);
                assertInstanceOf(TransientException.class, e, e.oneLine());
                assertTrue(e.oneLine().contains("no position") && !e.oneLine().contains("--start-position"), e.oneLine());
            }
        }
    }

    /**
     * A generated event failing its checksum at the same file:position on every read (across reconnects)
     * would retry forever: the fifth time in a row the job stops, naming the place and mysqlbinlog's check.
     */
    @Test
    void anEventTheServerGeneratedFailingInARowStopsTheJob() {
        BinlogChecksumMismatch rotate = new BinlogChecksumMismatch(-1, 4, 0x1234, 0x5678);
        FailedEvents job = new FailedEvents();
        for (int i = 1; i < FailedEvents.GENERATED_FAILURES_TO_STOP; i++) {
            assertInstanceOf(TransientException.class, rotate.failure("db1:3306", "mysql-bin.000007", 1234, job), "failure " + i);
        }
        SluiceException stop = rotate.failure("db1:3306", "mysql-bin.000007", 1234, job);
        assertFalse(stop instanceof TransientException, stop.oneLine());
        String line = stop.oneLine();
        assertTrue(line.contains("mysql-bin.000007:1234") && line.contains("CRC32") && line.contains("5 times in a row"), line);
        assertTrue(line.contains("mysqlbinlog --verify-binlog-checksum --start-position=1234 mysql-bin.000007"), line);
        assertFalse(line.contains("\n"));

        // elsewhere, or another type of event: counted anew
        FailedEvents other = new FailedEvents();
        for (int i = 0; i < 3 * FailedEvents.GENERATED_FAILURES_TO_STOP; i++) {
            long at = 1234 + (i % 2);
            assertInstanceOf(TransientException.class, rotate.failure("db1:3306", "mysql-bin.000007", at, other));
        }
    }

    /** A transient failure: the next session reads past the place (or the same generated event intact there), and the count starts over. */
    @Test
    void readingPastTheFailedPlaceStartsTheCountOver() {
        BinlogChecksumMismatch heartbeat = new BinlogChecksumMismatch(-1, 27, 0x1234, 0x5678);
        FailedEvents job = new FailedEvents();
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < FailedEvents.GENERATED_FAILURES_TO_STOP; i++) {
                assertInstanceOf(TransientException.class, heartbeat.failure("db1:3306", "mysql-bin.000007", 900, job));
            }
            FailedEvents.GeneratedFailure at = job.generatedFailure();
            assertEquals(new FailedEvents.GeneratedFailure("db1:3306", "mysql-bin.000007", 900, 27), at);
            job.generatedReadPast(at);
            assertEquals(null, job.generatedFailure());
        }
        FailedEvents.GeneratedFailure at = new FailedEvents.GeneratedFailure("db1:3306", "mysql-bin.000007", 900, 27);
        assertFalse(at.passedBy("mysql-bin.000007", 900, false, 700), "a file event ending at the place: replayed up to it, not past");
        assertFalse(at.passedBy("mysql-bin.000006", 5000, false, 700), "an earlier file");
        assertTrue(at.passedBy("mysql-bin.000007", 950, false, 900), "a file event ending after it");
        assertTrue(at.passedBy("mysql-bin.000008", 120, false, 4), "a later file");
        assertFalse(at.passedBy("mysql-bin.000007", 0, false, 900), "another generated event (the made-up ROTATE) there");
        assertFalse(at.passedBy("mysql-bin.000007", 0, true, 700), "the same type before the place");
        assertTrue(at.passedBy("mysql-bin.000007", 0, true, 900), "the same type read intact there");
    }

    @Test
    void flippedByteInTheChecksumItselfFails() throws IOException {
        byte[] file = LegacyBinlogFixturesTest.fixture(FIXTURE);
        int query = firstEventOf(file, 2);
        file[query + length(file, query) - 1] ^= (byte) 0x80;
        assertEquals(query, assertThrows(BinlogChecksumMismatch.class, () -> readAll(file)).position);
    }

    private static int readAll(byte[] file) throws IOException {
        int n = 0;
        try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(file),
                BinlogEventDeserializers.create(new OldTemporalColumns()))) {
            while (reader.readEvent() != null) n++;
        }
        return n;
    }

    private static int firstEventOf(byte[] file, int... types) {
        for (int at = 4; at + 19 <= file.length; at += length(file, at)) {
            for (int t : types) if ((file[at + 4] & 0xFF) == t) return at;
        }
        throw new AssertionError("no event of types " + java.util.Arrays.toString(types));
    }

    private static int length(byte[] file, int at) {
        return (file[at + 9] & 0xFF) | (file[at + 10] & 0xFF) << 8 | (file[at + 11] & 0xFF) << 16 | (file[at + 12] & 0xFF) << 24;
    }
}
