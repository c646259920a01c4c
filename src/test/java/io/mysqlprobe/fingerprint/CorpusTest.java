package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of real-world statements: our template, type and tables for each, and the comparison with
 * pt-fingerprint 3.2.1's output (recorded in pt-fingerprint.tsv) through the named {@link PtDifference} rules.
 */
class CorpusTest {

    private static final List<Corpus.Entry> ENTRIES = Corpus.entries();
    private static final Map<String, String> PT = Corpus.ptReference();
    private static final SqlNormalizer NORMALIZER = new SqlNormalizer();
    // a generous parse timeout: the expected tables must not depend on how loaded the machine is
    private static final Fingerprinter FINGERPRINTER = new Fingerprinter(10_000, 8192, 10_000);

    static Stream<Corpus.Entry> entries() {
        return ENTRIES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void templateIsTheExpectedOne(Corpus.Entry e) {
        assertEquals(e.template(), NORMALIZER.normalize(e.sql()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void typeAndTables(Corpus.Entry e) {
        Fingerprint fp = FINGERPRINTER.fingerprint(e.sql());
        assertEquals(e.template(), fp.template());
        assertEquals(e.type(), fp.statementType(), "statement type");
        assertEquals(e.tables(), fp.tables(), "tables");
    }

    /**
     * Equal to pt-fingerprint, or equal once exactly the listed differences are erased — and each listed
     * difference is needed (dropping any one of them breaks equality), so the list cannot go stale.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void matchesPtFingerprintUpToNamedDifferences(Corpus.Entry e) {
        String pt = PT.get(e.sql());
        assertNotNull(pt, "no pt-fingerprint reference: rerun make-pt-reference.py");
        String ours = NORMALIZER.normalize(e.sql());
        if (e.rules().isEmpty()) {
            assertEquals(
                    pt,
                    ours,
                    "differs from pt-fingerprint; a minimal rule set that explains it: " + minimalRules(ours, pt));
            return;
        }
        assertNotEquals(pt, ours, "equal to pt-fingerprint: list no rules");
        assertEquals(
                apply(pt, e.rules(), false),
                apply(ours, e.rules(), true),
                "listed rules do not explain the difference; a minimal set that does: " + minimalRules(ours, pt));
        for (PtDifference r : e.rules()) {
            Set<PtDifference> without = EnumSet.copyOf(e.rules());
            without.remove(r);
            assertNotEquals(apply(pt, without, false), apply(ours, without, true), r + " is not needed on this line");
        }
    }

    @Test
    void corpusIsLargeAndFullyReferenced() {
        assertTrue(ENTRIES.size() >= 80, "corpus has " + ENTRIES.size() + " statements");
        Set<String> sqls = new HashSet<>();
        for (Corpus.Entry e : ENTRIES) {
            assertTrue(sqls.add(e.sql()), "duplicate corpus statement " + e);
        }
        assertEquals(sqls, PT.keySet(), "pt-fingerprint.tsv is stale: rerun make-pt-reference.py");
    }

    @Test
    void everyDifferenceRuleIsUsed() {
        Set<PtDifference> used = EnumSet.noneOf(PtDifference.class);
        ENTRIES.forEach(e -> used.addAll(e.rules()));
        assertEquals(EnumSet.allOf(PtDifference.class), used, "rules no corpus line needs");
    }

    @Test
    void mostStatementsNeedNoRule() {
        long plain = ENTRIES.stream().filter(e -> e.rules().isEmpty()).count();
        assertTrue(plain * 3 >= ENTRIES.size(), "only " + plain + " of " + ENTRIES.size() + " equal pt-fingerprint");
    }

    private static String apply(String s, Set<PtDifference> rules, boolean ours) {
        String r = s;
        for (PtDifference d : rules) { // EnumSet iterates in declaration order: a fixed order
            r = ours ? d.ours(r) : d.pt(r);
        }
        return r;
    }

    /** The smallest set of up to 3 rules under which the two outputs agree, for failure messages. */
    static List<PtDifference> minimalRules(String ours, String pt) {
        PtDifference[] all = PtDifference.values();
        int n = all.length;
        for (int size = 1; size <= 3; size++) {
            for (int mask = 1; mask < (1 << n); mask++) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                Set<PtDifference> set = EnumSet.noneOf(PtDifference.class);
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        set.add(all[i]);
                    }
                }
                if (apply(pt, set, false).equals(apply(ours, set, true))) {
                    return new ArrayList<>(set);
                }
            }
        }
        return List.of();
    }
}
