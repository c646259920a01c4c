package io.mysqlprobe.fingerprint;

import java.util.Locale;

/**
 * The words the normaliser lower-cases: MySQL 8.0 / MariaDB reserved words, the statement and clause
 * keywords of common non-reserved syntax, and frequent built-in function names (case-insensitive in MySQL).
 * Every other word is an identifier and keeps its case.
 *
 * <p>Lookup is case-insensitive over a slice of a String, allocation-free (open addressing on an
 * ASCII-lower-case hash). A few non-reserved words that are also common column names are included ({@code status},
 * {@code date}, {@code day}, {@code text}...): MySQL column names are case-insensitive, so lower-casing such
 * a column changes nothing; table names (case-sensitive on Linux) rarely collide with them.
 *
 * @see <a href="https://dev.mysql.com/doc/refman/8.0/en/keywords.html">MySQL keywords and reserved words</a>
 */
final class Keywords {

    private static final String WORDS = """
            accessible add all alter analyze and as asc asensitive before between bigint binary blob both by
            call cascade case change char character check collate column condition constraint continue convert
            create cross cube cume_dist current_date current_time current_timestamp current_user cursor database
            databases day_hour day_microsecond day_minute day_second dec decimal declare default delayed delete
            dense_rank desc describe deterministic distinct distinctrow div double drop dual each else elseif
            empty enclosed escaped except exists exit explain false fetch first_value float float4 float8 for
            force foreign from fulltext function generated get grant group grouping groups having high_priority
            hour_microsecond hour_minute hour_second if ignore in index infile inner inout insensitive insert int
            int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids io_before_gtids is iterate join
            json_table key keys kill lag last_value lateral lead leading leave left like limit linear lines load
            localtime localtimestamp lock long longblob longtext loop low_priority master_bind
            master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint
            minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value ntile null
            numeric of on optimize optimizer_costs option optionally or order out outer outfile over partition
            percent_rank precision primary procedure purge range rank read reads read_write real recursive
            references regexp release rename repeat replace require resignal restrict return revoke right rlike
            row row_number rows schema schemas second_microsecond select sensitive separator set show signal
            smallint spatial specific sql sql_big_result sql_calc_found_rows sql_small_result sqlexception
            sqlstate sqlwarning ssl starting stored straight_join system table terminated then tinyblob tinyint
            tinytext to trailing trigger true undo union unique unlock unsigned update usage use using utc_date
            utc_time utc_timestamp values varbinary varchar varcharacter varying virtual when where while window
            with write xor year_month zerofill
            begin commit rollback start transaction work savepoint isolation level committed uncommitted
            repeatable serializable consistent snapshot only session global local persist persist_only names
            tables columns fields variables processlist engine engines charset collation warnings errors
            grants privileges plugins triggers events indexes open full extended flush logs hosts
            begin end deallocate prepare execute handler do xa truncate temporary view algorithm definer
            sql_no_cache sql_cache sql_buffer_result quick duplicate value after first auto_increment
            engine_attribute default_charset row_format storage disk memory btree hash using_btree
            nulls offset share nowait skip locked mode
            count sum min max avg now ifnull coalesce concat concat_ws substring substr length char_length
            lower upper lcase ucase trim ltrim rtrim date_format date_add date_sub datediff from_unixtime
            unix_timestamp curdate curtime sysdate floor ceil ceiling round abs rand md5 sha1 sha2 uuid
            last_insert_id found_rows row_count group_concat cast nullif greatest least json_extract
            json_unquote json_object json_array json_contains json_length find_in_set instr locate
            hex unhex dayofweek str_to_date to_days any some
            status query connection date time timestamp datetime year month week day hour minute second
            microsecond quarter text enum json bool boolean bit master slave replica binlog
            checksum install uninstall reset stop shutdown restart help import clone
            """;

    private static final int SIZE = 2048; // power of two, > 2 x word count
    private static final String[] TABLE = new String[SIZE];

    static {
        for (String w : WORDS.trim().split("\\s+")) {
            add(w);
        }
    }

    /** Canonical keyword instances, comparable by identity with {@link #lookup}'s result. */
    static final String IN = lookup("in"),
            VALUES = lookup("values"),
            VALUE = lookup("value"),
            IS = lookup("is"),
            NOT = lookup("not"),
            NULL = lookup("null"),
            USE = lookup("use"),
            DEFAULT = lookup("default");

    private Keywords() {}

    private static void add(String w) {
        String lw = w.toLowerCase(Locale.ROOT);
        int h = hash(lw, 0, lw.length()) & (SIZE - 1);
        while (TABLE[h] != null) {
            if (TABLE[h].equals(lw)) {
                return;
            }
            h = (h + 1) & (SIZE - 1);
        }
        TABLE[h] = lw;
    }

    /** The canonical instance of a keyword known to be in the table. */
    static String lookup(String word) {
        return lookup(word, 0, word.length());
    }

    /** The canonical (lower-case) keyword for {@code s[start, end)}, or {@code null} when it is not one. */
    static String lookup(String s, int start, int end) {
        int len = end - start;
        if (len < 2 || len > 40) {
            return null;
        }
        int h = hash(s, start, end) & (SIZE - 1);
        String k;
        while ((k = TABLE[h]) != null) {
            if (k.length() == len && equalsIgnoreAsciiCase(k, s, start)) {
                return k;
            }
            h = (h + 1) & (SIZE - 1);
        }
        return null;
    }

    private static boolean equalsIgnoreAsciiCase(String lower, String s, int start) {
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            h = 31 * h + c;
        }
        return h ^ (h >>> 16);
    }
}
