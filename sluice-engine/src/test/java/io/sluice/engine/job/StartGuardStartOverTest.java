package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.TopicTail;
import io.sluice.source.mysql.ServerInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refusing checks name the shell's own way to start over (Connect has no --reinitialize). */
class StartGuardStartOverTest {

    private static final JobConfig CONFIG = new JobConfigLoader(k -> null).parse("""
            name: guard
            source: {name: a, host: 127.0.0.1, port: 3306, user: u, serverId: 5}
            target: {bootstrapServers: 127.0.0.1:9092, topic: t}
            objects: {include: [db.t]}
            """, "test job");
    private static final String CONNECT_WAY = "a new connector name into a new target.topic (docs/connect.md, Starting over)";

    @Test
    void aLostCheckpointNamesTheShellsWayToStartOver() {
        TopicTail.Summary holdsRecords = new TopicTail.Summary(42, 3);
        SluiceException cli = assertThrows(SluiceException.class,
                () -> new StartGuard(CONFIG, false).check(null, "checkpoint topic t-sluice-checkpoints", holdsRecords, Map.of()));
        assertTrue(cli.fix().contains("`sluice run --reinitialize`"), cli.oneLine());
        SluiceException connect = assertThrows(SluiceException.class,
                () -> new StartGuard(CONFIG, false, CONNECT_WAY).check(null, "the Connect offsets of connector guard", holdsRecords, Map.of()));
        assertTrue(connect.fix().contains("start over explicitly with " + CONNECT_WAY), connect.oneLine());
        assertFalse(connect.fix().contains("--reinitialize"), connect.oneLine());
    }

    @Test
    void aPositionOnAnotherServerNamesTheShellsWayToGoOn() {
        ServerInfo other = new ServerInfo("5.7.22-log", false, Map.of("server_uuid", "uuid-b", "gtid_mode", "OFF"));
        Checkpoint saved = Checkpoint.at(new BinlogOffset("mysql-bin.000003", 1234, ""), 0, 10).withSourceServer("MySQL server_uuid uuid-a");
        SluiceException e = assertThrows(SluiceException.class,
                () -> new StartGuard(CONFIG, false, CONNECT_WAY).requireSameServer(saved, other, "127.0.0.1:3306"));
        assertTrue(e.fix().contains("go on from this one with " + CONNECT_WAY), e.oneLine());
        assertFalse(e.fix().contains("--reinitialize"), e.oneLine());
    }
}
