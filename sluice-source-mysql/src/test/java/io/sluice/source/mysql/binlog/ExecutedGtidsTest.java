package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutedGtidsTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "b1c2d3e4-0000-1111-2222-333344445555";
    private static final String C = "00000000-0000-0000-0000-000000000001";

    @Test
    void theNextGtidOfTheLastIntervalReplacesItsEnd() {
        ExecutedGtids g = new ExecutedGtids(A + ":1-5:7-9," + B + ":1-3");
        g.add(A + ":10");
        assertEquals(A + ":1-5:7-10," + B + ":1-3", g.text());
        g.add(A + ":11");
        g.add(A + ":12");
        assertEquals(A + ":1-5:7-12," + B + ":1-3", g.text());
        g.add(B + ":4");
        g.add(B + ":5");
        assertEquals(A + ":1-5:7-12," + B + ":1-5", g.text());
        g.add(A + ":6"); // fills the gap: the intervals merge
        assertEquals(A + ":1-12," + B + ":1-5", g.text());
        g.add(A + ":13");
        assertEquals(A + ":1-13," + B + ":1-5", g.text());
    }

    @Test
    void anEmptySetAndANewUuidStartTheirOwnInterval() {
        ExecutedGtids g = new ExecutedGtids("");
        assertEquals("", g.text());
        g.add(C + ":1");
        g.add(C + ":2");
        assertEquals(C + ":1-2", g.text());
        g.add(A + ":5");
        g.add(A + ":6");
        assertEquals(C + ":1-2," + A + ":5-6", g.text());
        assertFalse(g.mariaDb());
    }

    @Test
    void textsThatOnlyLookLikeTheNextGtidTakeTheSetPath() {
        ExecutedGtids g = new ExecutedGtids(A + ":1-9");
        g.add(A + ":10");
        g.add(A + ":011"); // leading zero: still 11 for the set
        assertEquals(A + ":1-11", g.text());
        g.add(A + ":12");
        g.add(A.toUpperCase() + ":13");
        assertEquals(A + ":1-13", g.text());
        g.add(A + ":14");
        assertEquals(A + ":1-14", g.text());
        g.add(A + ":14"); // already in the set
        g.add(A + ":15");
        assertEquals(A + ":1-15", g.text());
        g.add(A + ":5"); // an old one whose digits end the text: "1-15" does not end in "-5"
        g.add(A + ":6");
        assertEquals(A + ":1-15", g.text());
        g.add(A + ":" + Long.MAX_VALUE);
        g.add(A + ":16");
        assertEquals(A + ":1-16:" + Long.MAX_VALUE + "-" + Long.MAX_VALUE, g.text());
    }

    /** Whatever arrives, the text is the client's GtidSet's text of the same additions. */
    @Test
    void randomAdditionsPrintAsTheClientsSet() {
        String[] uuids = {A, B, C};
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            String start = random.nextBoolean() ? "" : A + ":1-" + (1 + random.nextInt(50)) + (random.nextBoolean() ? "," + B + ":3-4" : "");
            GtidSet reference = new GtidSet(start);
            ExecutedGtids executed = new ExecutedGtids(start);
            long[] next = {1 + random.nextInt(60), 1 + random.nextInt(10), 1};
            for (int i = 0; i < 200; i++) {
                int u = random.nextInt(10) < 8 ? 0 : random.nextInt(uuids.length);
                long n = switch (random.nextInt(20)) {
                    case 0 -> 1 + random.nextInt(100); // anywhere: a gap, an old one, a duplicate
                    case 1 -> next[u] + 1 + random.nextInt(3); // a gap after the end
                    default -> next[u];
                };
                next[u] = Math.max(next[u], n + 1);
                String gtid = uuids[u] + ":" + n;
                reference.add(gtid);
                executed.add(gtid);
                assertEquals(reference.toString(), executed.text(), "seed " + seed + " after " + gtid);
            }
        }
    }

    @Test
    void mariaDbSetsTakeTheirOwnSet() {
        ExecutedGtids g = new ExecutedGtids("0-1-100");
        assertTrue(g.mariaDb());
        g.add("0-1-101");
        g.add("0-1-102");
        MariadbGtidSet reference = new MariadbGtidSet("0-1-100");
        reference.add("0-1-101");
        reference.add("0-1-102");
        assertEquals(reference.toString(), g.text());
        assertEquals("0-1-102", g.text());
    }
}
