package io.sluice.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableIdTest {

    @Test
    void parsesBareAndBacktickedNames() {
        assertEquals(new TableId("shop", "orders"), TableId.parse("shop.orders"));
        assertEquals(new TableId("db.x", "t.y"), TableId.parse("`db.x`.`t.y`"));
        assertEquals(new TableId("shop", "t.y"), TableId.parse("shop.`t.y`"));
        assertEquals(new TableId("db.x", "t"), TableId.parse("`db.x`.t"));
        assertEquals(new TableId("a`b", "c``d"), TableId.parse("`a``b`.`c````d`"));
        assertEquals(new TableId("my db", "tāble"), TableId.parse("my db.tāble"));
        assertEquals(new TableId("库", "表"), TableId.parse("`库`.`表`"));
        assertEquals(new TableId("shop", "order"), TableId.parse("shop.`order`"));
    }

    @Test
    void aBareTableNameRunsToTheEndAsBefore() {
        assertEquals(new TableId("shop", "t.y"), TableId.parse("shop.t.y"), "the first dot separates");
    }

    @Test
    void rejectsMalformedNames() {
        for (String bad : List.of("orders", ".t", "db.", "`db.x`", "`db.x.t", "`db`t", "db.`t", "db.`t`x", "``.t")) {
            assertThrows(IllegalArgumentException.class, () -> TableId.parse(bad), bad);
        }
    }

    @Test
    void textFormQuotesOnlyWhereNeededAndParsesBack() {
        assertEquals("shop.orders", new TableId("shop", "orders").toString());
        assertEquals("my db.tāble", new TableId("my db", "tāble").toString());
        assertEquals("`db.x`.`t.y`", new TableId("db.x", "t.y").toString());
        assertEquals("`shop`.`t.y`", new TableId("shop", "t.y").toString());
        assertEquals("`a``b`.`t`", new TableId("a`b", "t").toString());
        for (TableId id : List.of(new TableId("db.x", "t.y"), new TableId("`", "``"), new TableId("a.`b", "`.c"),
                new TableId("表", "select"), new TableId("s p", "o r"), new TableId("d", "*"))) {
            assertEquals(id, TableId.parse(id.toString()), id.toString());
        }
    }

    @Test
    void checkpointKeysOfEarlierVersionsStillLoad() {
        assertEquals(new TableId("shop", "t.y"), TableId.fromCheckpointKey("shop.t.y"));
        assertEquals(new TableId("shop", "`odd"), TableId.fromCheckpointKey("shop.`odd"), "unquoted, not parseable: first dot");
        assertEquals(new TableId("db.x", "t.y"), TableId.fromCheckpointKey("`db.x`.`t.y`"));
    }

    @Test
    void thePartitionKeyNameIsNeverQuoted() {
        assertEquals("db.x.t.y", new TableId("db.x", "t.y").plainName());
    }
}
