package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ids are a contract: the same template has the same id on every node and in every version. The expected
 * values are the last 16 hex digits of {@code printf '%s' TEMPLATE | md5sum}, computed outside Java. For the
 * same template they are also the last 16 digits of pt-query-digest's query ID: pt-query-digest 3.2.1 over a
 * slow log with {@code SELECT * FROM t WHERE id IN (1,2,3)} and {@code begin} reported
 * {@code 0x3595840CD2CB16F1B2414E722E8A89DD} and {@code 0x8D589AFA4DFAEEED85FFF5AA78E5FF6A} (2026-11-21).
 */
class DigestTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "select c from sbtest1 where id=?                          | cc0f42d4205d5441",
                "select * from t where id in(?+)                           | b2414e722e8a89dd",
                "insert into t (a,b) values(?+)                            | af1606d0aa96cbcd",
                "begin                                                     | 85fff5aa78e5ff6a",
                "select * from `ユーザー` where `名前` = ?                  | 087c0ae0393ca707",
                "''                                                        | d41d8cd98f00b204e9800998ecf8427e",
            })
    void fixedIds(String template, String hex) {
        String t = template.equals("''") ? "" : template;
        String expected = hex.length() == 32 ? hex.substring(16) : hex;
        assertEquals(expected, Digest.hex(Digest.of(t)));
        assertEquals(expected, new Fingerprint(Digest.of(t), t, "select", java.util.List.of()).idHex());
    }

    @Test
    void sameIdsAsPtQueryDigest() {
        Fingerprinter f = new Fingerprinter();
        assertEquals(
                "b2414e722e8a89dd",
                f.fingerprint("SELECT * FROM t WHERE id IN (1,2,3)").idHex());
        assertEquals("85fff5aa78e5ff6a", f.fingerprint("begin").idHex());
    }

    @Test
    void differentTemplatesDifferentIds() {
        assertNotEquals(Digest.of("select a from t"), Digest.of("select a from T"));
    }

    @Test
    void hexIsSixteenDigitsEvenWithLeadingZeros() {
        assertEquals("000000000000000f", Digest.hex(15L));
        assertEquals("ffffffffffffffff", Digest.hex(-1L));
    }
}
