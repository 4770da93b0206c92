package io.sluice.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinlogOffsetTest {

    private static BinlogOffset at(String file, long position) {
        return new BinlogOffset(file, position, "");
    }

    @Test
    void filesOrderByTheirNumberNotTheirName() {
        assertTrue(at("mysql-bin.999999", 500).compareTo(at("mysql-bin.1000000", 4)) < 0);
        assertTrue(at("mysql-bin.000009", 500).compareTo(at("mysql-bin.000010", 4)) < 0);
        assertTrue(at("mysql-bin.000010", 4).compareTo(at("mysql-bin.000009", 500)) > 0);
    }

    @Test
    void withinAFileByPosition() {
        assertTrue(at("mysql-bin.000002", 500).compareTo(at("mysql-bin.000002", 400)) > 0);
        assertTrue(at("mysql-bin.000002", 400).compareTo(at("mysql-bin.000002", 500)) < 0);
    }

    @Test
    void theGtidSetTakesNoPart() {
        assertEquals(0, new BinlogOffset("a.000001", 9, "u:1-5").compareTo(new BinlogOffset("a.000001", 9, "")));
    }

    @Test
    void aBaseNameChangeOrdersByNumberThenName() {
        assertTrue(at("binlog.000003", 4).compareTo(at("mysql-bin.000200", 4)) < 0);
        assertTrue(at("binlog.000200", 900).compareTo(at("mysql-bin.000200", 4)) < 0);
        assertTrue(at("mysql-bin.000200", 4).compareTo(at("binlog.000200", 900)) > 0);
    }

    /** Where the dispatcher's old rule (names unless both numbered) differed: an unnumbered name counts as 0. */
    @Test
    void aNameWithoutNumberComesBeforeNumberedFiles() {
        assertTrue(at("", 0).compareTo(at("mysql-bin.000001", 4)) < 0);
        assertTrue(at("zzz", 900).compareTo(at("aaa.000001", 4)) < 0);
        assertTrue(at("mysql-bin.5x", 900).compareTo(at("mysql-bin.000009", 4)) < 0);
    }

    /**
     * A total order on any names: the old dispatcher rule made a cycle of these three
     * (a.9 &lt; a.10 by number, a.10 &lt; a.5x and a.5x &lt; a.9 by name).
     */
    @Test
    void isATotalOrderOnAnyNames() {
        List<BinlogOffset> all = new ArrayList<>();
        for (String f : List.of("a.9", "a.10", "a.5x", "", "zzz", "b.000001", "a.000001", "mysql-bin.999999",
                "mysql-bin.1000000", "binlog.000003", "x.y.000002", "a.10x")) {
            all.add(at(f, 4));
            all.add(at(f, 120));
        }
        for (BinlogOffset x : all) {
            for (BinlogOffset y : all) {
                assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)), x + " / " + y);
                assertEquals(x.equals(y), x.compareTo(y) == 0, x + " / " + y);
                for (BinlogOffset z : all) {
                    if (x.compareTo(y) < 0 && y.compareTo(z) < 0) assertTrue(x.compareTo(z) < 0, x + " < " + y + " < " + z);
                }
            }
        }
        List<BinlogOffset> sorted = new ArrayList<>(List.of(at("a.10", 4), at("a.5x", 4), at("a.9", 4)));
        sorted.sort(null);
        assertEquals(List.of(at("a.5x", 4), at("a.9", 4), at("a.10", 4)), sorted);
    }
}
