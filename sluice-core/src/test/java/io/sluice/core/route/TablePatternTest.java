package io.sluice.core.route;

import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablePatternTest {

    private static boolean m(String pattern, String db, String table) {
        return TablePattern.parse(pattern).matches(new TableId(db, table));
    }

    @Test
    void backtickedNamesMatchLiterally() {
        assertTrue(m("`db.x`.`t.y`", "db.x", "t.y"));
        assertFalse(m("`db.x`.`t.y`", "db", "x.t.y"));
        assertTrue(m("`a``b`.`c`", "a`b", "c"));
        assertTrue(m("shop.`order`", "shop", "order"));
        assertTrue(m("`库`.`表`", "库", "表"));
        assertTrue(m("my db.tāble", "my db", "tāble"));
        assertTrue(TablePattern.parse("`db.x`.`t.y`").isLiteral());
        assertEquals(new TableId("db.x", "t.y"), TablePattern.parse("`db.x`.`t.y`").literal());
    }

    @Test
    void wildcardsWorkInsideAndOutsideBackticks() {
        assertTrue(m("`db.x`.*", "db.x", "t.y"));
        assertTrue(m("`db.x`.`t.*`", "db.x", "t.y"));
        assertFalse(m("`db.x`.`t.*`", "db.x", "ty"));
        assertTrue(m("*.`t.y`", "anything", "t.y"));
        assertTrue(m("db*.*", "db.x", "t"), "'*' matches dots inside a name");
        assertTrue(m("`db`.`a*`", "db", "a\nb"));
        assertFalse(TablePattern.parse("`db.x`.`t*`").isLiteral());
        assertTrue(TablePattern.parse("`db.x`.*").wholeDatabases());
    }
}
