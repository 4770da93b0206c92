package io.sluice.app.state;

import io.sluice.core.model.BinlogOffset;

/**
 * What a restarted job needs: where to resume the binlog and the next record id.
 *
 * @param nextId the id the next record gets (ids are never reused)
 */
public record JobState(String binlogFile, long binlogPosition, String gtidSet, long nextId) {

    public static JobState of(BinlogOffset offset, long nextId) {
        return new JobState(offset.file(), offset.position(), offset.gtidSet(), nextId);
    }

    public BinlogOffset offset() {
        return new BinlogOffset(binlogFile, binlogPosition, gtidSet == null ? "" : gtidSet);
    }
}
