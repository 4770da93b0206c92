package io.sluice.source.mysql.binlog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Whether the transaction at a checkpoint's position is already in its GTID set (then the binlog is another one). */
class BinlogContinuityTest {

    private static final String UUID = "61a66aae-eee5-11f1-9f71-02fc00000001";

    @Test
    void mySqlGtidsInAndOutOfTheSet() {
        String set = UUID + ":1-100:105-110,\n3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
        String info = "SET @@SESSION.GTID_NEXT= '" + UUID + ":%d'";
        assertEquals(UUID + ":7", BinlogContinuity.mySqlGtidIn(info.formatted(7), set));
        assertEquals(UUID + ":105", BinlogContinuity.mySqlGtidIn(info.formatted(105), set));
        assertNull(BinlogContinuity.mySqlGtidIn(info.formatted(101), set), "a hole");
        assertNull(BinlogContinuity.mySqlGtidIn(info.formatted(111), set), "the next one");
        assertNull(BinlogContinuity.mySqlGtidIn(info.formatted(3), "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"), "another server's");
        assertNull(BinlogContinuity.mySqlGtidIn("BEGIN", set));
    }

    @Test
    void mariaDbGtidsAtOrBeforeThePosition() {
        assertEquals("0-110-5", BinlogContinuity.mariaDbGtidIn("BEGIN GTID 0-110-5", "0-110-9,1-110-2"));
        assertEquals("0-111-9", BinlogContinuity.mariaDbGtidIn("GTID 0-111-9 START ALTER", "0-110-9"));
        assertNull(BinlogContinuity.mariaDbGtidIn("BEGIN GTID 0-110-10", "0-110-9"));
        assertNull(BinlogContinuity.mariaDbGtidIn("BEGIN GTID 2-110-1", "0-110-9,1-110-2"), "another domain");
    }
}
