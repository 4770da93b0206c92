package io.sluice.engine.init;

import io.sluice.engine.state.InitProgress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressMeterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private ProgressMeter meter() {
        // db.a finished in an earlier run (500 rows), db.b resumed at 1000 rows
        return new ProgressMeter(Map.of("db.a", new InitProgress.TableInit(true, null, 500),
                "db.b", new InitProgress.TableInit(false, List.of("0a"), 1000)), now::get);
    }

    @Test
    void rateCountsOnlyThisRunAndEtaFollowsFromIt() {
        ProgressMeter m = meter();
        m.estimate("db.b", 10_000);
        now.addAndGet(2_000);
        m.written("db.b", 4_000);
        ProgressMeter.Totals t = m.totals();
        assertEquals(5_500, t.done());
        assertEquals(10_500, t.total());
        assertEquals(2_000, t.rate());
        assertEquals(2, t.etaSeconds());
        assertEquals("initialization: 5500/10500 rows (52%), 2000 rows/s, ETA 2 s; db.b 5000/10000 (50%)", m.line());
        assertEquals("[#####.....]  52%  5500/10500 rows  2000 rows/s  ETA 2 s", m.bar(10));
    }

    @Test
    void eachTableHasItsRowsEstimateRateAndEta() {
        ProgressMeter m = meter();
        m.estimate("db.b", 10_000);
        now.addAndGet(2_000);
        m.written("db.b", 4_000);
        Map<String, Initializer.TableProgress> tables = new java.util.HashMap<>();
        for (Initializer.TableProgress t : m.tables()) tables.put(t.table(), t);
        assertEquals(new Initializer.TableProgress("db.a", 500, 500, 0, -1), tables.get("db.a"));
        assertEquals(new Initializer.TableProgress("db.b", 5_000, 10_000, 2_000, 2), tables.get("db.b"));
    }

    @Test
    void anEstimateBelowWhatWasWrittenIsRaisedAndNothingOverflowsTheBar() {
        ProgressMeter m = meter();
        m.estimate("db.b", 10);
        now.addAndGet(1_000);
        m.written("db.b", 100);
        assertEquals("[##########] 100%  1600/1600 rows  100 rows/s", m.bar(10));
    }

    @Test
    void finishedMeansEverythingWritten() {
        ProgressMeter m = meter();
        m.estimate("db.b", 10_000);
        now.addAndGet(1_000);
        m.written("db.b", 8_000);
        m.finish();
        assertEquals("[##########] 100%  9500/9500 rows  8000 rows/s", m.bar(10));
    }

    @Test
    void noRateYetMeansNoEta() {
        ProgressMeter m = meter();
        m.estimate("db.b", 3_500);
        assertEquals(-1, m.totals().etaSeconds());
        assertEquals("[###.......]  37%  1500/4000 rows  0 rows/s", m.bar(10));
    }
}
