package io.sluice.source.mysql.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DatabaseStatementTest {

    @Test
    void namesTheDatabaseOfCreateAndDrop() {
        assertEquals("shop", DatabaseStatement.createdOrDropped("CREATE DATABASE shop"));
        assertEquals("shop", DatabaseStatement.createdOrDropped("create schema if not exists `shop` DEFAULT CHARSET utf8mb4"));
        assertEquals("my`db", DatabaseStatement.createdOrDropped("DROP DATABASE IF EXISTS `my``db`"));
        assertEquals("shop", DatabaseStatement.createdOrDropped("/* c */ DROP\n SCHEMA shop"));
        assertEquals("x", DatabaseStatement.createdOrDropped("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `x`"));
    }

    @Test
    void otherStatementsAreNot() {
        assertNull(DatabaseStatement.createdOrDropped("ALTER DATABASE shop CHARACTER SET latin1"));
        assertNull(DatabaseStatement.createdOrDropped("CREATE TABLE shop.t (id INT)"));
        assertNull(DatabaseStatement.createdOrDropped("DROP TABLE database_x"));
    }
}
