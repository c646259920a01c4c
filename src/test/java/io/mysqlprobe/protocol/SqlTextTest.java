package io.mysqlprobe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void useStatement() {
        assertEquals("shop", SqlText.useStatementSchema("use shop"));
        assertEquals("shop", SqlText.useStatementSchema("  USE\tshop ;"));
        assertEquals("my db", SqlText.useStatementSchema("use `my db`"));
        assertEquals("a`b", SqlText.useStatementSchema("use `a``b`;"));
        assertEquals("shop", SqlText.useStatementSchema("/* hint */ use shop -- trailing\n"));
        assertNull(SqlText.useStatementSchema("user_list"));
        assertNull(SqlText.useStatementSchema("use"));
        assertNull(SqlText.useStatementSchema("use shop; select 1"));
        assertNull(SqlText.useStatementSchema("use `unterminated"));
        assertNull(SqlText.useStatementSchema("select 'use x'"));
    }

    @Test
    void splitOnTopLevelSemicolons() {
        assertEquals(List.of("select 1", "select 2"), SqlText.splitTopLevel("select 1; select 2;"));
        assertEquals(
                List.of("select ';'", "select \"a;\\\"\"", "select `x;y`"),
                SqlText.splitTopLevel("select ';'; select \"a;\\\"\"; select `x;y`"));
        assertEquals(List.of("select 1 -- a; b", "select 2"), SqlText.splitTopLevel("select 1 -- a; b\n; select 2"));
        assertEquals(List.of("select 1 /* ; */"), SqlText.splitTopLevel("select 1 /* ; */"));
        assertEquals(List.of("select 'it''s; ok'", "select 2"), SqlText.splitTopLevel("select 'it''s; ok'; select 2"));
        assertEquals(List.of("select 1;"), SqlText.splitTopLevel("select 1;")); // one statement: text kept as is
    }
}
