package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lexer fallback alone: statement types for every kind, tables for the simple shapes. */
class LexerClassifierTest {

    private final SqlNormalizer n = new SqlNormalizer();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT 1                                          | select",
                "(SELECT a FROM t) UNION (SELECT b FROM u)          | select",
                "WITH RECURSIVE c AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT * FROM c | select",
                "WITH c AS (SELECT id FROM t) UPDATE u JOIN c ON c.id = u.id SET u.x = 1 | update",
                "WITH c AS (SELECT id FROM t) DELETE FROM u WHERE id IN (SELECT id FROM c) | delete",
                "INSERT INTO t VALUES (1)                          | insert",
                "REPLACE INTO t VALUES (1)                         | replace",
                "UPDATE t SET a = 1                                | update",
                "DELETE FROM t                                     | delete",
                "CALL p(1)                                         | call",
                "SET NAMES utf8mb4                                 | set",
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED | set",
                "SHOW SLAVE STATUS                                 | show",
                "BEGIN                                             | begin",
                "START TRANSACTION WITH CONSISTENT SNAPSHOT        | begin",
                "START SLAVE                                       | start",
                "COMMIT                                            | commit",
                "ROLLBACK TO SAVEPOINT sp                          | rollback",
                "USE db                                            | use",
                "LOCK TABLES t READ                                | lock",
                "UNLOCK TABLES                                     | unlock",
                "FLUSH PRIVILEGES                                  | flush",
                "KILL 5                                            | kill",
                "CREATE TABLE t (a INT)                            | create",
                "ALTER TABLE t ADD INDEX (a)                       | alter",
                "DROP TABLE t                                      | drop",
                "TRUNCATE t                                        | truncate",
                "GRANT SELECT ON db.* TO u                         | grant",
                "EXPLAIN SELECT 1                                  | explain",
                "DESC t                                            | describe",
                "PREPARE s FROM 'SELECT 1'                         | prepare",
                "EXECUTE s USING @a                                | execute",
                "DEALLOCATE PREPARE s                              | deallocate",
                "LOAD DATA INFILE 'x' INTO TABLE t                 | load",
                "HANDLER t OPEN                                    | handler",
                "DO SLEEP(1)                                       | do",
                "XA START 'x'                                      | xa",
                "CHECKSUM TABLE t                                  | checksum",
                "frobnicate the database                           | unknown",
                "/* just a comment */                              | unknown",
            })
    void statementTypes(String sql, String type) {
        assertEquals(type, LexerClassifier.statementType(n.normalize(sql)));
    }

    /** The fallback finds what jsqlparser finds on every corpus statement. */
    @Test
    void sameTablesAsJsqlparserOnTheCorpus() {
        for (Corpus.Entry e : Corpus.entries()) {
            assertEquals(e.tables(), LexerClassifier.tables(e.template(), e.type()), e.toString());
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN `db`.`c` x ON x.id = a.id | select | a,b,db.c",
                "SELECT * FROM a AS x, b y, c WHERE 1                | select | a,b,c",
                "SELECT * FROM (SELECT id FROM inner_t) d JOIN e     | select | inner_t,e",
                "INSERT IGNORE INTO t1 (a) SELECT a FROM t2          | insert | t1,t2",
                "UPDATE LOW_PRIORITY t SET a = 1                     | update | t",
                "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2 | insert | t",
                "DELETE FROM t WHERE id = 1                          | delete | t",
                "CREATE TABLE IF NOT EXISTS s.t (a INT)              | create | s.t",
                "DROP TABLE IF EXISTS t1, t2                         | drop   | t1,t2",
                "LOCK TABLES t1 READ LOCAL, t2 AS x WRITE            | lock   | t1,t2",
                "CREATE INDEX i ON t (a)                             | create | t",
                "TRUNCATE t                                          | truncate | t",
                "DESCRIBE t                                          | describe | t",
                "SELECT 1 FROM dual                                  | select | -",
                "SET @a = 1                                          | set    | -",
                "WITH a AS (SELECT x FROM t), `b` AS (SELECT y FROM u) SELECT * FROM a JOIN b JOIN v | select | t,u,v",
            })
    void tables(String sql, String type, String tables) {
        List<String> expected = tables.equals("-") ? List.of() : Arrays.asList(tables.split(","));
        assertEquals(expected, LexerClassifier.tables(n.normalize(sql), type));
    }
}
