package io.sluice.engine.init;

import io.sluice.core.model.TableId;
import io.sluice.engine.state.InitProgress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ChunkPlannerResumeTest {

    private static final TableId T = new TableId("db", "t");

    @Test
    void aResumePointOfAnotherKeyReadsTheTableFromItsBeginning() {
        // saved while reading by PRIMARY (id); the PK was dropped since, the table is now read by UNIQUE (code)
        InitProgress.TableInit saved = new InitProgress.TableInit(false, List.of("3530"), 50, List.of("id"));
        assertNull(ChunkPlanner.resumePoint(T, saved, List.of("code")));
    }

    @Test
    void aResumePointOfTheSameKeyResumesAfterIt() {
        InitProgress.TableInit saved = new InitProgress.TableInit(false, List.of("3530"), 50, List.of("id"));
        assertArrayEquals(new byte[] {'5', '0'}, ChunkPlanner.resumePoint(T, saved, List.of("id")).get(0));
    }

    @Test
    void aResumePointWithoutItsKeyIsTakenForTheKeyChosenNow() {
        InitProgress.TableInit saved = new InitProgress.TableInit(false, List.of("3530"), 50);
        assertArrayEquals(new byte[] {'5', '0'}, ChunkPlanner.resumePoint(T, saved, List.of("code")).get(0));
        assertNull(ChunkPlanner.resumePoint(T, null, List.of("id")));
    }
}
