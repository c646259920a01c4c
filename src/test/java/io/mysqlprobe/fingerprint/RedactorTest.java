package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

    private final Redactor r = new Redactor();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "SELECT * FROM Users WHERE email = 'bob@example.com' AND id IN (1, 2, 3) | SELECT * FROM Users WHERE email = ? AND id IN (?, ?, ?)",
                "INSERT INTO t (a,b) VALUES (1,'x'),(2,'y') | INSERT INTO t (a,b) VALUES (?,?),(?,?)",
                "UPDATE t SET a = -5, b = 0xFF, c = _utf8mb4'secret', d = _latin1 'x' WHERE e IS NULL | UPDATE t SET a = -?, b = ?, c = ?, d = ? WHERE e IS NULL",
                "SELECT /* user=alice ssn=123 */ 1 -- tail | SELECT ?",
                "SELECT /*+ MAX_EXECUTION_TIME(1000) */ `Name` FROM t LIMIT 10, 20 | SELECT /*+ MAX_EXECUTION_TIME(?) */ `Name` FROM t LIMIT ?, ?",
                "SELECT 'it''s', \"a\\\"b\", N'x', X'0a', b'1' | SELECT ?, ?, ?, ?, ?",
                "SELECT 'unterminated | SELECT ?",
            })
    void hidesLiteralsKeepsShape(String sql, String redacted) {
        assertEquals(redacted, r.redact(sql));
    }

    @Test
    void noLiteralOfTheCorpusSurvives() {
        for (Corpus.Entry e : Corpus.entries()) {
            String red = r.redact(e.sql());
            assertFalse(red.contains("'"), e + " → " + red);
            assertFalse(red.contains("5021") || red.contains("Brien") || red.contains("東京"), e + " → " + red);
        }
    }

    @Test
    void nullAndEmpty() {
        assertEquals("", r.redact(null));
        assertEquals("", r.redact(""));
    }
}
