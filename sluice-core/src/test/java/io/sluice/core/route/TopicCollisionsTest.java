package io.sluice.core.route;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicCollisionsTest {

    @Test
    void dotAndUnderscoreCollide() {
        assertEquals(List.of("db.t_1", "db_t.1"), TopicCollisions.firstCollision(List.of("db.t_1", "other", "db_t.1")));
        assertNull(TopicCollisions.firstCollision(List.of("db.t_1", "db.t_2", "db.t_1", "db-t_1")));
    }

    @Test
    void theErrorNamesBothTopicsAndTheFix() {
        String line = TopicCollisions.error("db.t_1", "db_t.1").oneLine();
        assertTrue(line.contains("db.t_1") && line.contains("db_t.1") && line.contains("target.topics"), line);
    }
}
