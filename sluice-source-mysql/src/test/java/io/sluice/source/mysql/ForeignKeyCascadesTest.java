package io.sluice.source.mysql;

import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Acting foreign keys read from SHOW CREATE TABLE (MariaDB's way: its information_schema hides them from SELECT-only accounts). */
class ForeignKeyCascadesTest {

    @Test
    void onlyKeysThatChangeRowsAreFound() {
        TableId child = new TableId("shop", "line");
        String ddl = """
                CREATE TABLE `line` (
                  `id` int(11) NOT NULL,
                  `oid` int(11) DEFAULT NULL,
                  `pid` int(11) DEFAULT NULL,
                  `cid` int(11) DEFAULT NULL,
                  `uid` int(11) DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  CONSTRAINT `line_order` FOREIGN KEY (`oid`) REFERENCES `order` (`id`) ON DELETE CASCADE,
                  CONSTRAINT `line_product` FOREIGN KEY (`pid`) REFERENCES `product` (`id`),
                  CONSTRAINT `odd``name` FOREIGN KEY (`cid`) REFERENCES `other db`.`cat` (`id`) ON DELETE RESTRICT ON UPDATE SET NULL,
                  CONSTRAINT `line_user` FOREIGN KEY (`uid`) REFERENCES `user` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";
        assertEquals(List.of(new ForeignKeyCascades(child, "line_order", new TableId("shop", "order"), "CASCADE", null),
                        new ForeignKeyCascades(child, "odd`name", new TableId("other db", "cat"), null, "SET NULL")),
                ForeignKeyCascades.inCreateTable(child, ddl));
        assertEquals("ON DELETE CASCADE", ForeignKeyCascades.inCreateTable(child, ddl).get(0).actions());
    }
}
