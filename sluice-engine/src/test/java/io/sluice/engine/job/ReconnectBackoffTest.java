package io.sluice.engine.job;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconnectBackoffTest {

    @Test
    void doublesWhileSessionsKeepFailingUpToTheMaximum() {
        ReconnectBackoff b = new ReconnectBackoff(1000, 30_000, 60_000);
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) waits[i] = b.afterFailure(0);
        assertEquals("[1000, 2000, 4000, 8000, 16000, 30000, 30000]", java.util.Arrays.toString(waits));
    }

    @Test
    void aHealthySessionResetsTheWait() {
        ReconnectBackoff b = new ReconnectBackoff(1000, 30_000, 60_000);
        for (int i = 0; i < 10; i++) b.afterFailure(0);
        assertEquals(30_000, b.afterFailure(59_999), "a session that committed for less than a minute was not healthy");
        assertEquals(1000, b.afterFailure(3 * 24 * 3600_000L), "after days of streaming, the first reconnect is quick");
        assertEquals(2000, b.afterFailure(0));
        assertEquals(4000, b.afterFailedAttempt());
    }
}
