package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Edge cases of the normaliser, one rule at a time (the corpus covers whole real statements). */
class SqlNormalizerTest {

    private final SqlNormalizer n = new SqlNormalizer();

    @Test
    void emptyAndNull() {
        assertEquals("", n.normalize(null));
        assertEquals("", n.normalize(""));
        assertEquals("", n.normalize("   \n\t "));
        assertEquals("", n.normalize(";"));
        assertEquals("", n.normalize("/* only a comment */"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                // unterminated input runs to the end, never throws
                "select 'abc                        | select ?",
                "select \"a\\                       | select ?",
                "select `abc                        | select `abc",
                "select /* abc                      | select",
                "select /*+ bka(t                   | select /*+ bka(t",
                // executable comments are code
                "/*!40101 SET @OLD=@@X */;          | set @old=@@x",
                "/*M!100100 SELECT 1 */             | select ?",
                "select /*!50001 a, */ b from t     | select a, b from t",
                // identifiers that start with digits, numbers that look odd
                "select * from 1st_table where 2col = 1e3 | select * from 1st_table where 2col = ?",
                "select 1e, 1e+5, 1.e2, 0x, 0xZZ, 0b2 | select 1e, ?, ?, 0x, 0xZZ, 0b2",
                // signs: part of the literal after an operator, keyword, ( or ,
                "select -1, - 2, +3, a--1, (-4), f(-5), 1-2 | select ?, ?, ?, a-?, (?), f(?), ?-?",
                "select a from t where b = c -1     | select a from t where b = c -?",
                "select x from t limit -1           | select x from t limit ?",
                // comment forms
                "select a from t where b = 'x' -- c | select a from t where b = ?",
                "select a from t where b = 'x' --c  | select a from t where b = ? --c",
                "select a#b\\nfrom t                  | select a from t",
                "select a/*x*/from t                | select a from t",
                // lists
                "select * from t where a in (select b from u where c in (1, (2))) | select * from t where a in (select b from u where c in(?+))",
                "select * from t where x in (?, ?) and y in (@a, 1) | select * from t where x in(?+) and y in (@a, ?)",
                "select a from t where b in ( )     | select a from t where b in ( )",
                "select a from t where b not in(1)  | select a from t where b not in(?+)",
                // rows: literals with parens inside strings, later rows dropped whatever they hold
                "insert into t values ('a)', '(b'), ('c),(', 'd') | insert into t values(?+)",
                "insert into t values (1,now()) , (2,now()), (3, f(4, 5)) | insert into t values (?,now())",
                "insert into t values (1,2) , (3,4) ; insert into u values (5) | insert into t values(?+) ; insert into u values(?+)",
                "values (1), (2)                    | values(?+)",
                // NULL: syntax after IS / NOT / DEFAULT, a value elsewhere
                "select * from t where a is null or b is not null or c <=> null | select * from t where a is null or b is not null or c <=> ?",
                "insert into t values (null, NULL)  | insert into t values(?+)",
                // literal forms
                "select N'x', _latin1 'y', _binary 0x00, X'ff', B'01', _utf8mb4\"z\" | select ?, ?, ?, ?, ?, ?",
                // case: keywords and variables lower-cased, identifiers kept
                "SELECT MyCol, COUNT(*) FROM MyTable WHERE @@GLOBAL.Max_Connections > @Foo | select MyCol, count(*) from MyTable where @@global.max_connections > @foo",
                // hints: names lower-cased, literals hidden, arguments kept
                "select /*+ SET_VAR(sort_buffer_size = 16M) MAX_EXECUTION_TIME(10) */ a from t | select /*+ set_var(sort_buffer_size = 16M) max_execution_time(?) */ a from t",
                // multi-statement: inner ; kept, trailing removed
                "select 1; select 2;                | select ?; select ?",
                // USE
                "USE `Shop`                         | use ?",
                "use shop; select 1                 | use ?; select ?",
                // placeholders and JSON operators
                "select * from t where a = ? and j->>'$.x' = ? | select * from t where a = ? and j->>? = ?",
            })
    void normalises(String sql, String template) {
        assertEquals(template, n.normalize(sql.replace("\\n", "\n")));
    }

    @Test
    void deepNestingBeyondTheParenStackIsSafe() {
        String sql = "select " + "(".repeat(200) + "1" + ")".repeat(200) + " from t where a in (1,2)";
        String t = n.normalize(sql);
        assertEquals("select " + "(".repeat(200) + "?" + ")".repeat(200) + " from t where a in(?+)", t);
    }

    @Test
    void unbalancedParensAreKept() {
        assertEquals("select ?) from t where a in(?+) ) )", n.normalize("select 1) from t where a in (1) ) )"));
    }

    @Test
    void aHugeBatchInsertHasASmallTemplate() {
        StringBuilder sql = new StringBuilder("INSERT INTO t (a, b) VALUES ");
        for (int i = 0; i < 100_000; i++) {
            sql.append(i == 0 ? "" : ",")
                    .append('(')
                    .append(i)
                    .append(", 'row ")
                    .append(i)
                    .append("')");
        }
        assertEquals("insert into t (a, b) values(?+)", n.normalize(sql.toString()));
    }

    @Test
    void corpusTemplatesAreFixedPoints() {
        for (Corpus.Entry e : Corpus.entries()) {
            assertEquals(e.template(), n.normalize(e.template()), e.toString());
        }
    }
}
