package io.sluice.source.mysql.snapshot;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysetQueryTest {

    private static final Column A = Column.of("a", ColumnType.INT);
    private static final Column B = new Column("b", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", 0, List.of(), null);
    private static final Column V = Column.of("v", ColumnType.ENUM);

    private static TableSchema table(Map<String, List<String>> keys) {
        return new TableSchema(new TableId("db", "t"), List.of(A, B, V), keys);
    }

    @Test
    void compositeKeyIsAnExpandedRangeWithTheColumnCollation() {
        TableSchema t = table(Map.of("PRIMARY", List.of("a", "b")));
        ChunkKey key = ChunkKey.choose(t, Set.of(), Map.of("b", "utf8mb4_general_ci"));
        assertEquals(List.of(0, 1), key.columns());
        assertEquals("SELECT `a`, `b`, `v`+0 FROM `db`.`t` ORDER BY `a`, `b`", KeysetQuery.chunk(t, key, false, false));
        assertEquals("SELECT `a`, `b`, `v`+0 FROM `db`.`t` WHERE ((`a` > ?) OR (`a` = ? AND `b` > CONVERT(? USING utf8mb4) "
                + "COLLATE utf8mb4_general_ci)) ORDER BY `a`, `b`", KeysetQuery.chunk(t, key, true, false));
        assertEquals("SELECT `a`, `b`, `v`+0 FROM `db`.`t` WHERE ((`a` > ?) OR (`a` = ? AND `b` > CONVERT(? USING utf8mb4) "
                + "COLLATE utf8mb4_general_ci)) AND ((`a` < ?) OR (`a` = ? AND `b` <= CONVERT(? USING utf8mb4) "
                + "COLLATE utf8mb4_general_ci)) ORDER BY `a`, `b`", KeysetQuery.chunk(t, key, true, true));
        assertEquals("SELECT `a`, `b` FROM `db`.`t` WHERE (`a` > ?) OR (`a` = ? AND `b` > CONVERT(? USING utf8mb4) "
                + "COLLATE utf8mb4_general_ci) ORDER BY `a`, `b` LIMIT 1 OFFSET 99", KeysetQuery.boundary(t, key, true, 100));
    }

    @Test
    void aKeyFollowsItsColumnsByNameAfterADdlMovedThem() {
        ChunkKey key = ChunkKey.choose(table(Map.of("PRIMARY", List.of("b"))), Set.of(), Map.of("b", "utf8mb4_general_ci"));
        assertEquals(List.of(1), key.columns());
        // a column dropped ahead of the key (a): b is the first column now
        TableSchema dropped = new TableSchema(new TableId("db", "t"), List.of(B, V), Map.of("PRIMARY", List.of("b")));
        ChunkKey moved = key.in(dropped, List.of("b"));
        assertEquals(List.of(0), moved.columns());
        assertEquals(key.collations(), moved.collations());
        assertEquals("SELECT `b`, `v`+0 FROM `db`.`t` WHERE (`b` <= CONVERT(? USING utf8mb4) COLLATE utf8mb4_general_ci) ORDER BY `b`",
                KeysetQuery.chunk(dropped, moved, false, true));
        assertEquals(key, key.in(table(Map.of("PRIMARY", List.of("b"))), List.of("b")));
        // the key column itself dropped, or retyped to something chunks cannot be ordered by
        assertEquals(null, key.in(new TableSchema(new TableId("db", "t"), List.of(A, V), Map.of()), List.of("b")));
        assertEquals(null, key.in(new TableSchema(new TableId("db", "t"), List.of(A, Column.of("b", ColumnType.ENUM)), Map.of()), List.of("b")));
    }

    @Test
    void singleKeyHasNoParentheses() {
        TableSchema t = table(Map.of("PRIMARY", List.of("a")));
        ChunkKey key = ChunkKey.choose(t, Set.of(), Map.of());
        assertEquals("`a` > ?", KeysetQuery.compare(t, key, ">", ">"));
        assertEquals("SELECT `a`, `b`, `v`+0 FROM `db`.`t` WHERE (`a` <= ?) ORDER BY `a`", KeysetQuery.chunk(t, key, false, true));
    }

    @Test
    void uniqueKeyOnlyWhenNotNullAndOrderable() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("u_enum", List.of("v"));
        keys.put("u_b", List.of("b"));
        TableSchema t = table(keys);
        assertEquals("u_b", ChunkKey.choose(t, Set.of(), Map.of()).name());
        assertTrue(ChunkKey.choose(t, Set.of("b"), Map.of()).isNone(), "a nullable unique key cannot split the table");
        assertTrue(ChunkKey.choose(table(Map.of()), Set.of(), Map.of()).isNone());
    }
}
