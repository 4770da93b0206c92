package io.sluice.engine.job;

import io.sluice.engine.state.Checkpoint;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.source.mysql.ServerInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint resumed by binlog position belongs to the server it was taken on. */
class StartGuardSourceServerTest {

    private static final JobConfig CONFIG = new JobConfigLoader(k -> null).parse("""
            name: guard
            source: {name: a, host: 127.0.0.1, port: 3306, user: u, serverId: 5}
            target: {bootstrapServers: 127.0.0.1:9092, topic: t}
            objects: {include: [db.t]}
            """, "test job");

    private static final ServerInfo NO_GTIDS = new ServerInfo("5.7.22-log", false, Map.of("server_uuid", "uuid-b", "gtid_mode", "OFF"));
    private static final ServerInfo GTIDS = new ServerInfo("5.7.22-log", false, Map.of("server_uuid", "uuid-b", "gtid_mode", "ON"));
    private static final ServerInfo MARIADB = new ServerInfo("10.11.6-MariaDB", true, Map.of("server_id", "110"));

    private static Checkpoint at(String gtids, String server) {
        return Checkpoint.at(new BinlogOffset("mysql-bin.000003", 1234, gtids), 0, 10).withSourceServer(server);
    }

    private static void check(Checkpoint saved, ServerInfo now) {
        new StartGuard(CONFIG, false).requireSameServer(saved, now, "127.0.0.1:3306");
    }

    @Test
    void positionOnAnotherServerIsRefusedWithTheFix() {
        SluiceException e = assertThrows(SluiceException.class, () -> check(at("", "MySQL server_uuid uuid-a"), NO_GTIDS));
        assertTrue(e.problem().contains("resumes by binlog position (mysql-bin.000003:1234, GTIDs are off on the source)")
                && e.problem().contains("taken on MySQL server_uuid uuid-a") && e.problem().contains("(MySQL server_uuid uuid-b)"), e.problem());
        assertTrue(e.fix().contains("--reinitialize") && e.fix().contains("gtid_mode=ON"), e.oneLine());
        // GTIDs on now, but the checkpoint has no GTID set: still a position
        assertThrows(SluiceException.class, () -> check(at("", "MySQL server_uuid uuid-a"), GTIDS));
        // a GTID set, but GTIDs off on the new server: read by position
        assertThrows(SluiceException.class, () -> check(at("uuid-a:1-5", "MySQL server_uuid uuid-a"), NO_GTIDS));
        assertThrows(SluiceException.class, () -> check(at("", "MariaDB server_id 111"), MARIADB));
        Checkpoint preparedXa = at("0-110-7", "MariaDB server_id 111")
                .withPreparedXa(java.util.List.of(new io.sluice.core.model.PreparedXa("x", "0-110-6", "mysql-bin.000003", 900, "0-110-5")));
        assertThrows(SluiceException.class, () -> check(preparedXa, MARIADB));
    }

    @Test
    void sameServerGtidFailoverOldCheckpointsAndReinitializeAreAccepted() {
        assertDoesNotThrow(() -> check(at("", "MySQL server_uuid uuid-b"), NO_GTIDS));
        assertDoesNotThrow(() -> check(at("uuid-a:1-5", "MySQL server_uuid uuid-a"), GTIDS));       // failover by GTID set
        assertDoesNotThrow(() -> check(at("0-110-7", "MariaDB server_id 111"), MARIADB));
        assertDoesNotThrow(() -> check(at("", null), NO_GTIDS));                                   // older Sluice: unknown
        assertDoesNotThrow(() -> check(null, NO_GTIDS));
        assertDoesNotThrow(() -> new StartGuard(CONFIG, true).requireSameServer(at("", "MySQL server_uuid uuid-a"), NO_GTIDS, "x"));
    }

    /** RESET MASTER while the job was down: GTIDs numbered again would make a GTID resume skip the new ones in silence. */
    @Test
    void checkpointPastTheSameServersBinlogEndIsRefusedAsAReset() {
        StartGuard guard = new StartGuard(CONFIG, false);
        BinlogOffset afterReset = new BinlogOffset("mysql-bin.000001", 6249, "uuid-b:1-23");
        SluiceException e = assertThrows(SluiceException.class,
                () -> guard.requireBinlogNotReset(at("uuid-b:1-18", "MySQL server_uuid uuid-b"), GTIDS, afterReset, "127.0.0.1:3306"));
        assertTrue(e.problem().contains("(mysql-bin.000003:1234) is past the binlog end of the source at 127.0.0.1:3306 (mysql-bin.000001:6249)")
                && e.problem().contains("RESET MASTER"), e.problem());
        assertTrue(e.fix().contains("--reinitialize"), e.fix());
        // the same file, shorter than the checkpoint's position
        assertThrows(SluiceException.class, () -> guard.requireBinlogNotReset(at("", null), NO_GTIDS,
                new BinlogOffset("mysql-bin.000003", 500, ""), "x"));
        // at or before the end, another server (failover by GTIDs), another log-bin name, --reinitialize: accepted
        assertDoesNotThrow(() -> guard.requireBinlogNotReset(at("uuid-b:1-18", "MySQL server_uuid uuid-b"), GTIDS,
                new BinlogOffset("mysql-bin.000003", 1234, ""), "x"));
        assertDoesNotThrow(() -> guard.requireBinlogNotReset(at("uuid-b:1-18", "MySQL server_uuid uuid-b"), GTIDS,
                new BinlogOffset("mysql-bin.000009", 4, ""), "x"));
        assertDoesNotThrow(() -> guard.requireBinlogNotReset(at("uuid-a:1-5", "MySQL server_uuid uuid-a"), GTIDS, afterReset, "x"));
        assertDoesNotThrow(() -> guard.requireBinlogNotReset(at("uuid-b:1-18", "MySQL server_uuid uuid-b"), GTIDS,
                new BinlogOffset("binlog.000001", 4, ""), "x"));
        assertDoesNotThrow(() -> new StartGuard(CONFIG, true).requireBinlogNotReset(at("", null), NO_GTIDS, afterReset, "x"));
    }

    @Test
    void checkpointJsonKeepsTheServerAndOldOnesStillLoad() throws Exception {
        Checkpoint c = Checkpoint.fromJson(at("", "MySQL server_uuid uuid-a").toJson());
        assertEquals("MySQL server_uuid uuid-a", c.sourceServer());
        String old = "{\"binlogFile\":\"mysql-bin.000001\",\"binlogPosition\":4,\"gtidSet\":\"\",\"skipRows\":0,\"nextId\":1}";
        assertNull(Checkpoint.fromJson(old.getBytes(StandardCharsets.UTF_8)).sourceServer());
        assertTrue(!new String(at("", null).toJson(), StandardCharsets.UTF_8).contains("sourceServer"));
        assertEquals("MySQL server_uuid uuid-b", NO_GTIDS.identity());
        assertEquals("MariaDB server_id 110", MARIADB.identity());
    }

    /** A running job whose source address leads to another server after a reconnect (VIP or DNS moved). */
    @Test
    void aReconnectToAnotherServerFollowsOnlyByGtidSet() {
        StartGuard guard = new StartGuard(CONFIG, true); // --reinitialize does not exempt a running job
        Checkpoint inMemory = at("", null);              // the dispatcher's checkpoints carry no identity
        SluiceException e = assertThrows(SluiceException.class,
                () -> guard.requireSameServerAfterReconnect(inMemory, "MySQL server_uuid uuid-a", NO_GTIDS, "vip:3306"));
        assertTrue(e.problem().contains("taken on MySQL server_uuid uuid-a") && e.problem().contains("vip:3306"), e.problem());
        assertDoesNotThrow(() -> guard.requireSameServerAfterReconnect(at("uuid-a:1-5", null), "MySQL server_uuid uuid-a", GTIDS, "vip:3306"));
        assertDoesNotThrow(() -> guard.requireSameServerAfterReconnect(inMemory, "MySQL server_uuid uuid-b", NO_GTIDS, "vip:3306"));
    }

    @Test
    void mySql55IsNamedByItsServerId() {
        assertEquals("MySQL server_id 55", new ServerInfo("5.5.9-log", false, Map.of("server_id", "55")).identity());
    }
}
