package io.mysqlprobe.fingerprint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * SQL text → {@link Fingerprint}: normalise (every call, ~1 µs), then look the template up in a bounded
 * cache; on a miss compute the digest and classify the statement with {@link StatementParser} (jsqlparser,
 * lexer fallback). No statement is ever dropped: a failed parse still yields a fingerprint.
 *
 * <p>Thread-safe: several decode workers may share one instance. The cache is split into stripes by the
 * template's hash, each a small access-ordered LRU under its own lock, so the bound is global (capacity is
 * divided among stripes) and contention stays low. Two workers missing the same template at once may both
 * classify it; the result is the same, one of them is kept.
 */
public final class Fingerprinter {

    /** Default number of templates kept. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final SqlNormalizer normalizer = new SqlNormalizer();
    private final StatementParser parser;
    private final Stripe[] stripes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * Counters since creation.
     *
     * @param cacheHits     fingerprints served from the cache
     * @param cacheMisses   templates digested and classified
     * @param evictions     templates evicted from the full cache
     * @param cached        templates currently cached
     * @param parsed        misses jsqlparser classified
     * @param parseFailures misses jsqlparser failed on (lexer fallback used)
     * @param parseSkipped  misses not given to jsqlparser (statement kind it cannot parse, or too long)
     */
    public record Stats(long cacheHits, long cacheMisses, long evictions, long cached, long parsed,
                        long parseFailures, long parseSkipped) {
    }

    public Fingerprinter() {
        this(DEFAULT_CAPACITY, StatementParser.DEFAULT_MAX_PARSE_CHARS);
    }

    /**
     * @param capacity       templates kept (at least 1)
     * @param maxParseChars  statements longer than this are classified by the lexer only
     */
    public Fingerprinter(int capacity, int maxParseChars) {
        int cap = Math.max(1, capacity);
        int n = cap >= 1024 ? 16 : 1;
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(Math.max(1, cap / n), evictions);
        }
        parser = new StatementParser(maxParseChars);
    }

    /** The fingerprint of {@code sql}; never throws, never null (null input is treated as ""). */
    public Fingerprint fingerprint(String sql) {
        String text = sql == null ? "" : sql;
        String template = normalizer.normalize(text);
        Stripe stripe = stripes[(template.hashCode() * 0x9E3779B9 >>> 16) & (stripes.length - 1)];
        Fingerprint fp;
        synchronized (stripe) {
            fp = stripe.get(template);
        }
        if (fp != null) {
            hits.increment();
            return fp;
        }
        misses.increment();
        fp = classify(text, template);
        synchronized (stripe) {
            Fingerprint raced = stripe.putIfAbsent(template, fp);
            return raced != null ? raced : fp;
        }
    }

    private Fingerprint classify(String sql, String template) {
        long id = Digest.of(template);
        String type = LexerClassifier.statementType(template);
        List<String> tables = parser.tables(sql, type);
        if (tables == null || tables.isEmpty()) {
            // not parsed, failed, or a statement the finder does not walk (CREATE INDEX, ...)
            tables = LexerClassifier.tables(template, type);
        }
        return new Fingerprint(id, template, type, tables);
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        long cached = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                cached += s.size();
            }
        }
        return new Stats(hits.sum(), misses.sum(), evictions.sum(), cached, parser.parsed(),
                parser.failures(), parser.skipped());
    }

    /** One LRU segment of the cache; callers hold its monitor. */
    private static final class Stripe extends LinkedHashMap<String, Fingerprint> {
        private final int capacity;
        private final transient LongAdder evictions;

        Stripe(int capacity, LongAdder evictions) {
            super(Math.min(capacity, 1024) * 2, 0.75f, true);
            this.capacity = capacity;
            this.evictions = evictions;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Fingerprint> eldest) {
            if (size() > capacity) {
                evictions.increment();
                return true;
            }
            return false;
        }
    }
}
