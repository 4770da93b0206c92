package io.sluice.engine.job;

import io.sluice.engine.state.Checkpoint;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.route.Router;
import io.sluice.core.format.RecordFormat;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.binlog.BinlogFileReplaced;
import io.sluice.sink.kafka.TopicTail;
import io.sluice.sink.kafka.TopicWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Refuses a start that would silently lose or repeat data, before anything is written:
 * <ul>
 * <li>no checkpoint while the topic already holds this job's records: the checkpoint (topic or
 * state file) was lost, and starting anew would either skip every change since (no snapshot) or
 * write a new snapshot over the old stream. This job's records are those among the last records of
 * each partition whose {@code source} tag is the job's {@code source.name} and whose
 * {@code objectName} is one of the tables it selects now;</li>
 * <li>a record topic deleted and created again since the checkpoint (another Kafka topic id);</li>
 * <li>a checkpoint resumed by binlog file/position (no GTID set, or GTIDs off on the source) on
 * another source server than the one it was taken on: the position means nothing there.</li>
 * </ul>
 * {@code sluice run --reinitialize} starts over on purpose: the checkpoint is ignored, and the
 * job says what that means.
 */
final class StartGuard {

    private static final Logger log = LoggerFactory.getLogger(StartGuard.class);

    private final JobConfig config;
    private final boolean reinitialize;
    /** How this shell starts over on purpose, for the fixes: the CLI's `sluice run --reinitialize`, or the Connect shell's way. */
    private final String startOver;

    StartGuard(JobConfig config, boolean reinitialize) {
        this(config, reinitialize, CLI_START_OVER);
    }

    StartGuard(JobConfig config, boolean reinitialize, String startOver) {
        this.config = config;
        this.reinitialize = reinitialize;
        this.startOver = startOver == null ? CLI_START_OVER : startOver;
    }

    static final String CLI_START_OVER = "`sluice run --reinitialize`";

    /**
     * Accepts the encoded records this job wrote: its source name, one of its tables (by table only
     * in a format whose records do not name the source: Canal JSON).
     */
    static Predicate<byte[]> ownRecords(JobConfig config, RecordFormat format, Router router, Collection<io.sluice.core.model.TableId> tables) {
        Set<String> names = tables.stream().map(router::objectName).collect(Collectors.toSet());
        return value -> {
            RecordFormat.RecordOrigin origin = format.origin(value);
            return origin != null && (origin.source() == null || config.source.name.equals(origin.source()))
                    && names.contains(origin.objectName());
        };
    }

    /**
     * The checkpoint to start from: {@code saved}, or null to start over.
     *
     * @param place where checkpoints are kept ("checkpoint topic X", "state file Y")
     * @param tail the last records of the record topic(s), {@code matching} counting this job's
     * @param topicIds the record topics' ids now (empty where the brokers have none)
     */
    Checkpoint check(Checkpoint saved, String place, TopicTail.Summary tail, Map<String, String> topicIds) {
        return check(saved, place, tail, topicIds, java.util.List.of(config.target.topic));
    }

    /** @param recordTopics the topics whose last records {@code tail} summarizes (target.topics: several) */
    Checkpoint check(Checkpoint saved, String place, TopicTail.Summary tail, Map<String, String> topicIds,
                     Collection<String> recordTopics) {
        boolean fullData = config.initialization.fullData;
        if (reinitialize) {
            log.warn("--reinitialize: job {} starts over from the current binlog end, ignoring {}: {}; record ids go on after {}",
                    config.name, "any checkpoint in " + place,
                    fullData ? "a new full-data snapshot of the selected tables follows: consumers will see INIT records again"
                            : "initialization.fullData is off, so no snapshot: changes made before now are not synced",
                    Math.max(0, tail.maxId()));
            return null;
        }
        if (saved == null && tail.matching() > 0) {
            throw new SluiceException("job " + config.name + " has no checkpoint (none in " + place + ") but "
                    + (recordTopics.size() == 1 ? "topic " + recordTopics.iterator().next() : "its topics " + String.join(", ", recordTopics))
                    + " already hold" + (recordTopics.size() == 1 ? "s" : "") + " its records (source " + config.source.name + ", ids up to " + tail.maxId()
                    + "): the checkpoint was lost, and starting anew would " + (fullData
                    ? "write a new snapshot over the old stream (rows deleted meanwhile would stay for consumers)"
                    : "skip every change made since the job last ran"),
                    "restore the checkpoint (" + place + "), or start over explicitly with " + startOver + " ("
                            + (fullData ? "a new snapshot: consumers see INIT records again)"
                            : "from the current binlog end: changes since the job last ran are not synced)"));
        }
        if (topicIds.isEmpty()) {
            log.info("the Kafka brokers report no topic ids (before 2.8): a record topic deleted and created again is not detected");
        } else if (saved != null && saved.topicIds() != null) {
            saved.topicIds().forEach((topic, id) -> {
                if (topicIds.containsKey(topic) && !id.equals(topicIds.get(topic))) throw TopicWatch.changed(topic, id, topicIds.get(topic));
            });
        }
        return saved;
    }

    /**
     * Refuses to resume by binlog file/position on another server than the checkpoint's: a
     * position belongs to one server's binlog. By GTID set a failover works (the new server is asked
     * for what the set lacks). A checkpoint without a server identity (older Sluice) is taken to be
     * this server's; the identity is recorded from the next commit on.
     */
    void requireSameServer(Checkpoint saved, ServerInfo server, String where) {
        if (saved == null || reinitialize) return;
        String now = server.identity();
        if (saved.sourceServer() == null) {
            log.info("the checkpoint of job {} does not name the source server it was taken on (written by an older Sluice):"
                    + " taken to be {} at {}, which is recorded from now on", config.name, now, where);
            return;
        }
        requireSame(saved, saved.sourceServer(), server, where);
    }

    /**
     * Refuses a checkpoint past the binlog end of the server it was taken on: the binlog was reset
     * (RESET MASTER) or the server restored from an older backup since. The files start again from
     * the first number and, with GTIDs, transaction numbers are handed out again, so resuming by GTID
     * set would silently skip every new transaction up to the checkpoint's number, and by position
     * read from a place that now holds other changes.
     */
    void requireBinlogNotReset(Checkpoint saved, ServerInfo server, io.sluice.core.model.BinlogOffset end, String where) {
        if (saved == null || reinitialize) return;
        if (saved.sourceServer() != null && !saved.sourceServer().equals(server.identity())) return; // another server's numbering
        String file = saved.binlogFile();
        if (!baseName(file).equals(baseName(end.file()))) return; // log-bin renamed: the numbers cannot be compared
        if (saved.offset().compareTo(end) <= 0) return;
        throw new SluiceException("job " + config.name + "'s checkpoint (" + file + ":" + saved.binlogPosition()
                + ") is past the binlog end of the source at " + where + " (" + end.file() + ":" + end.position()
                + "), the server it was taken on: its binlog was reset (RESET MASTER) or the server restored from an older backup"
                + " since, so the changes made after that cannot be told from those before the checkpoint (binlog files and"
                + " GTIDs are numbered again from the start)",
                "start over with " + startOver + " (starts at the binlog end" + (config.initialization.fullData
                        ? ", with a new snapshot: consumers see INIT records again)" : ": changes in between are not synced)")
                        + "; or point source.host/port at the server whose binlog still holds the checkpoint");
    }

    /**
     * The checkpoint's file still exists on the server it was taken on, but {@code problem} (from
     * {@code BinlogContinuity}) shows its position is in another binlog: reset and written past it since.
     */
    void requireCheckpointInBinlog(Checkpoint saved, ServerInfo server, String problem, String where) {
        if (saved == null || reinitialize || problem == null) return;
        if (saved.sourceServer() != null && !saved.sourceServer().equals(server.identity())) return; // another server's binlog
        throw checkpointNotInBinlog(saved.offset(), problem, where);
    }

    /** The reader found the checkpoint's file created at another time ({@link BinlogFileReplaced}): the same error. */
    SluiceException checkpointNotInBinlog(BinlogFileReplaced replaced, String where) {
        return checkpointNotInBinlog(replaced.checkpoint(), replaced.problem(), where);
    }

    private SluiceException checkpointNotInBinlog(io.sluice.core.model.BinlogOffset checkpoint, String problem, String where) {
        return new SluiceException("job " + config.name + "'s checkpoint (" + checkpoint.file() + ":" + checkpoint.position()
                + ") is not in the binlog the source at " + where + " has now: " + problem + ". Its binlog was reset (RESET MASTER)"
                + " or the server restored from an older backup since, and the new binlog reached the checkpoint's file again:"
                + " resuming there would skip the changes numbered again in silence",
                "start over with " + startOver + " (starts at the binlog end" + (config.initialization.fullData
                        ? ", with a new snapshot: consumers see INIT records again)" : ": changes in between are not synced)")
                        + "; or point source.host/port at the server whose binlog still holds the checkpoint");
    }

    private static String baseName(String binlogFile) {
        int dot = binlogFile.lastIndexOf('.');
        return dot < 0 ? binlogFile : binlogFile.substring(0, dot);
    }

    /**
     * The same rule at a reconnect: {@code streamedFrom} is the server this run read so far; a source
     * address that now leads to another server (a failover behind a VIP or DNS name) may be followed
     * by GTID set only.
     */
    void requireSameServerAfterReconnect(Checkpoint resumeFrom, String streamedFrom, ServerInfo server, String where) {
        requireSame(resumeFrom, streamedFrom, server, where);
    }

    private void requireSame(Checkpoint saved, String takenOn, ServerInfo server, String where) {
        String now = server.identity();
        if (takenOn.equals(now)) return;
        // MariaDB re-reads unresolved XA branches' prepare groups by position, even with a GTID position (XaIT)
        boolean byGtids = server.gtidMode() && saved.gtidSet() != null && !saved.gtidSet().isEmpty()
                && !(server.mariaDb() && !saved.preparedXa().isEmpty());
        if (byGtids) {
            log.info("the source at {} is {}, the checkpoint was taken on {}: resuming by GTID set (a failover)",
                    where, now, takenOn);
            return;
        }
        throw new SluiceException("job " + config.name + " resumes by binlog position (" + saved.binlogFile() + ":"
                + saved.binlogPosition() + ", " + (!server.gtidMode() ? "GTIDs are off on the source"
                : saved.gtidSet() == null || saved.gtidSet().isEmpty() ? "no GTID set in the checkpoint"
                : "unresolved XA branches are re-read from their prepare position")
                + ") taken on " + takenOn + ", but the source at " + where + " is another server (" + now
                + "), where that position means nothing",
                "point source.host/port back at the checkpoint's server; or go on from this one with " + startOver
                        + " (starts at its binlog end" + (config.initialization.fullData ? ", with a new snapshot)" : ": changes in between are not synced)")
                        + "; failovers without this need GTIDs on both servers (gtid_mode=ON)");
    }
}
