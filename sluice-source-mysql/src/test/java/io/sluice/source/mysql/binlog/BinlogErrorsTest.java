package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each cause behind error 1236 gets its own problem and fix; only a binlog really gone advises re-initializing. */
class BinlogErrorsTest {

    private static SluiceException explain(String message) {
        JobConfig.Source config = new JobConfig.Source();
        config.host = "127.0.0.1";
        config.port = 1; // SHOW BINARY LOGS cannot be asked: a missing file is then taken as purged
        config.user = "u";
        config.serverId = 5401L;
        config.connectTimeoutSeconds = 1;
        return BinlogErrors.explain1236(new ServerException(message, 1236, "HY000"), config, "mysql-bin.000003", 1234);
    }

    @Test
    void sameServerIdIsNotPurged() {
        SluiceException e = explain("A slave with the same server_uuid/server_id as this slave has connected to the master; the first"
                + " event 'mysql-bin.000003' at 4, the last event read from 'mysql-bin.000003' at 1234, the last byte read from"
                + " 'mysql-bin.000003' at 1234.");
        assertTrue(e.problem().contains("same server_id 5401") && e.fix().contains("source.serverId"), e.oneLine());
        assertFalse(e.oneLine().contains("purged") || e.oneLine().contains("reinitialize"), e.oneLine());
        // a second copy of this job on the same host is let in (taken as a restart) and cuts off this one: another
        // server id for it would run the job twice
        assertTrue(e.fix().contains("second instance of this job") && e.fix().contains("one instance per job name"), e.oneLine());
        assertTrue(BinlogErrors.sameServerId(new ServerException("A slave with the same server_uuid/server_id is already connected", 1957, "HY000")));
    }

    @Test
    void purgedFileAndPurgedGtidsAdviseReinitializing() {
        SluiceException file = explain("Could not find first log file name in binary log index file");
        assertTrue(file.problem().contains("was purged") && file.fix().contains("--reinitialize"), file.oneLine());
        SluiceException gtid = explain("The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has"
                + " purged binary logs containing GTIDs that the slave requires.");
        assertTrue(gtid.problem().contains("purged") && gtid.fix().contains("--reinitialize"), gtid.oneLine());
    }

    @Test
    void otherCausesHaveTheirOwnFix() {
        SluiceException packet = explain("log event entry exceeded max_allowed_packet; Increase max_allowed_packet on master");
        assertTrue(packet.fix().contains("max_allowed_packet") && !packet.fix().contains("reinitialize"), packet.oneLine());
        SluiceException bogus = explain("bogus data in log event; the first event 'mysql-bin.000003' at 1234");
        assertTrue(bogus.problem().contains("past the end of the file or not at the start of an event"), bogus.oneLine());
        SluiceException beyond = explain("Client requested master to start replication from position > file size");
        assertTrue(beyond.problem().contains("past the end of the file"), beyond.oneLine());
        SluiceException foreign = explain("Slave has more GTIDs than the master has, using the master's SERVER_UUID.");
        assertTrue(foreign.problem().contains("never executed") && foreign.fix().contains("source.host"), foreign.oneLine());
        SluiceException unknown = explain("something new");
        assertFalse(unknown.oneLine().contains("purged") || unknown.oneLine().contains("reinitialize"), unknown.oneLine());
    }
}
