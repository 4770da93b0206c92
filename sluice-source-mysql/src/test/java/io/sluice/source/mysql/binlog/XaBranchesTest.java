package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.PreparedXa;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XaBranchesTest {

    @Test
    void theEventAndTheStatementNameABranchAlike() {
        XAPrepareEventData d = new XAPrepareEventData();
        byte[] data = "abcQ".getBytes(StandardCharsets.US_ASCII);
        d.setData(data);
        d.setGtridLength(3);
        d.setBqualLength(1);
        d.setFormatID(1);
        assertEquals("X'616263',X'51',1", XaBranches.xid(d));
        assertEquals(XaBranches.xid(d), XaBranches.xid("XA COMMIT X'616263',X'51',1", "XA COMMIT".length()));
        assertEquals(XaBranches.xid(d), XaBranches.xid("xa rollback x'616263', x'51', 1", "XA ROLLBACK".length()));
        assertEquals("X'7831',X'',1", XaBranches.xid("XA COMMIT X'7831',X'',1 ONE PHASE", "XA COMMIT".length()));
    }

    @Test
    void branchesFromACheckpointAwaitTheirPrepareGroup() {
        PreparedXa x = new PreparedXa("X'78',X'',1", "", "mysql-bin.000002", 400, "");
        XaBranches b = new XaBranches(List.of(x));
        assertTrue(b.awaitsPrepareGroup(x.xid()));
        b.prepare(x, List.of());
        assertEquals(List.of(x), b.list());
        assertEquals(List.of(), b.resolve(x.xid()).rows());
        assertTrue(b.isEmpty() && b.list().isEmpty());
        assertNull(b.resolve(x.xid()));
    }

    @Test
    void heldRowsAreBounded() {
        XaBranches b = new XaBranches(List.of());
        b.prepare(new PreparedXa("X'61',X'',1", "", "f.000001", 4, ""), Collections.nCopies(XaBranches.MAX_ROWS - 10, null));
        b.checkRoom(10, "f.000001:900");
        SluiceException e = assertThrows(SluiceException.class, () -> b.checkRoom(11, "f.000001:900"));
        assertTrue(e.getMessage().contains("f.000001:900") && e.fix().contains("XA RECOVER"), e.getMessage());
    }
}
