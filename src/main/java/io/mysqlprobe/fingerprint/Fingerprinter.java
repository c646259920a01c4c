package io.mysqlprobe.fingerprint;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * SQL text → {@link Fingerprint}: normalise (every call, ~1 µs), then look the template up in a bounded
 * cache; on a miss compute the digest, take the statement type from {@link LexerClassifier} (first
 * keywords: reliable for every kind, including those jsqlparser cannot parse) and the tables from
 * {@link StatementParser} (jsqlparser on the template, time-bounded), else from the lexer. No statement is
 * ever dropped: a failed parse still yields a fingerprint.
 *
 * <p>Thread-safe: several decode workers may share one instance. The cache is a size-bounded Caffeine cache
 * (W-TinyLFU: a one-off template may be refused rather than evict a busy one), evicting on the writing thread.
 * Two workers missing the same template at once may both classify it; the result is the same, one is kept.
 */
public final class Fingerprinter {

    /** Default number of templates kept. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** Default longest template kept as text; see {@link #Fingerprinter(int, int, long, int)}. */
    public static final int DEFAULT_MAX_TEMPLATE_CHARS = 4096;
    /** Appended to a template cut at {@code maxTemplateChars}. */
    public static final String TRUNCATED_MARK = " /* truncated */";
    /** The template of a statement that is only comments (e.g. {@code -- x} sent alone by {@code mariadb --comments}). */
    public static final String COMMENT_ONLY = "(comment only)";
    /** The template of an empty or blank statement text. No template text is ever empty. */
    public static final String EMPTY_STATEMENT = "(empty statement)";

    private final SqlNormalizer normalizer = new SqlNormalizer();
    /** Templates and fingerprints by statement shape, one table per decode thread; see {@link ShapeCache}. */
    private final ThreadLocal<ShapeCache> shapes = ThreadLocal.withInitial(this::newShapeCache);
    /** Fingerprints served by the threads' shape tables, one counter per thread (summed by {@link #stats}). */
    private final List<AtomicLong> shapeHits = new CopyOnWriteArrayList<>();
    /**
     * Bumped at every replacement and eviction in the shared cache: shape tables then stop serving the fingerprints
     * they kept from older generations (so the cache's bound and the parser's tables hold for them too).
     */
    private final AtomicInteger generation = new AtomicInteger();

    private final StatementParser parser;
    private final Cache<Object, Fingerprint> cache;
    private final int maxTemplateChars;
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
     * @param parseSkipped  misses not given to jsqlparser (statement kind it cannot parse, too long or nested)
     * @param parseTimeouts misses whose parse took too long or found every parse thread busy (lexer used)
     */
    public record Stats(
            long cacheHits,
            long cacheMisses,
            long evictions,
            long cached,
            long parsed,
            long parseFailures,
            long parseSkipped,
            long parseTimeouts) {}

    public Fingerprinter() {
        this(DEFAULT_CAPACITY, StatementParser.DEFAULT_MAX_PARSE_CHARS, StatementParser.DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * @param capacity       templates kept (at least 1)
     * @param maxParseChars  templates longer than this are classified by the lexer only
     */
    public Fingerprinter(int capacity, int maxParseChars) {
        this(capacity, maxParseChars, StatementParser.DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * @param capacity       templates kept (at least 1)
     * @param maxParseChars  templates longer than this are classified by the lexer only
     * @param parseTimeoutMillis how long a cache miss waits for jsqlparser before using the lexer's tables
     */
    public Fingerprinter(int capacity, int maxParseChars, long parseTimeoutMillis) {
        this(capacity, maxParseChars, parseTimeoutMillis, DEFAULT_MAX_TEMPLATE_CHARS);
    }

    /**
     * @param capacity       templates kept (at least 1)
     * @param maxParseChars  templates longer than this are classified by the lexer only
     * @param parseTimeoutMillis how long a cache miss waits for jsqlparser before using the lexer's tables
     * @param maxTemplateChars templates longer than this bound the cache's memory: they are cached under their
     *                       digest (still of the whole template, so distinct long statements keep distinct
     *                       ids) and their {@link Fingerprint#template()} is cut to this length plus
     *                       {@link #TRUNCATED_MARK}
     */
    public Fingerprinter(int capacity, int maxParseChars, long parseTimeoutMillis, int maxTemplateChars) {
        this.maxTemplateChars = Math.max(64, maxTemplateChars);
        cache = Caffeine.newBuilder()
                .maximumSize(Math.max(1, capacity))
                .executor(Runnable::run) // evict on the writing thread: the bound and the counters hold at once
                .removalListener((Object k, Fingerprint v, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                        generation.incrementAndGet(); // shape tables must not keep serving what the bound evicted
                    }
                })
                .build();
        parser = new StatementParser(maxParseChars, parseTimeoutMillis);
        parser.warmUp();
    }

    /**
     * The fingerprint of {@code sql}; never throws, never null (null input is treated as ""). The cache key
     * is the template itself (or its digest when longer than {@code maxTemplateChars}).
     */
    public Fingerprint fingerprint(String sql) {
        return fingerprint(sql, shapes.get());
    }

    private Fingerprint fingerprint(String sql, ShapeCache cache) {
        if (sql == null || sql.isEmpty()) {
            return ofTemplate(EMPTY_STATEMENT);
        }
        int gen = generation.get(); // before the shared lookup: a replacement after it shows as a newer generation
        String template = templateOf(sql, cache);
        Fingerprint fp = cache.fingerprint(gen); // null unless the shape was known, with a current fingerprint
        if (fp != null) {
            cache.fingerprintHits.lazySet(cache.fingerprintHits.get() + 1);
            return fp;
        }
        fp = ofTemplate(template);
        cache.rememberFingerprint(fp, gen);
        return fp;
    }

    /**
     * This fingerprinter for one thread only, with its own shape table at hand (no thread-local lookup per
     * statement): what a decode worker uses.
     */
    public Local local() {
        return new Local(newShapeCache());
    }

    /** See {@link #local()}; not thread-safe. */
    public final class Local {
        private final ShapeCache cache;

        private Local(ShapeCache cache) {
            this.cache = cache;
        }

        /** As {@link Fingerprinter#fingerprint}. */
        public Fingerprint fingerprint(String sql) {
            return Fingerprinter.this.fingerprint(sql, cache);
        }

        /** As {@link Fingerprinter#templateOf}. */
        public String templateOf(String sql) {
            return Fingerprinter.this.templateOf(sql, cache);
        }
    }

    private ShapeCache newShapeCache() {
        ShapeCache c = new ShapeCache();
        shapeHits.add(c.fingerprintHits);
        return c;
    }

    /**
     * The normalised text of {@code sql} (null is ""): the first half of {@link #fingerprint}. A statement of a
     * shape this thread has seen gets that shape's template (the same String) without being normalised again.
     */
    public String templateOf(String sql) {
        return templateOf(sql, shapes.get());
    }

    private String templateOf(String sql, ShapeCache cache) {
        if (sql == null || sql.isEmpty()) {
            return EMPTY_STATEMENT;
        }
        String template = cache.lookup(sql);
        if (template == null) {
            template = nonEmpty(normalizer.normalize(sql), sql);
            cache.remember(template);
        }
        return template;
    }

    /** A text that normalises to nothing is only comments (its own template) or blank. */
    private static String nonEmpty(String template, String sql) {
        if (!template.isEmpty()) {
            return template;
        }
        return sql.isBlank() ? EMPTY_STATEMENT : COMMENT_ONLY;
    }

    /**
     * The fingerprint of an already normalised {@code template} ({@link #templateOf}): the second half of
     * {@link #fingerprint}, for callers that remember the templates of texts they see again and again.
     */
    public Fingerprint ofTemplate(String template) {
        if (template == null || template.isEmpty()) {
            template = EMPTY_STATEMENT; // enforced where templates are made: no template text is empty
        }
        Object key = template.length() > maxTemplateChars ? (Object) Digest.of(template) : template;
        Fingerprint fp = cache.getIfPresent(key);
        if (fp != null) {
            hits.increment();
            return fp;
        }
        misses.increment();
        fp = classify(template);
        Fingerprint raced = cache.asMap().putIfAbsent(key, fp);
        if (raced != null) {
            return raced;
        }
        refineTables(key, template, fp);
        return fp;
    }

    /** Type and tables from the lexer: cheap, so a decode worker never waits for a parser on a new template. */
    private Fingerprint classify(String template) {
        long id = Digest.of(template);
        boolean marker = template.equals(COMMENT_ONLY) || template.equals(EMPTY_STATEMENT);
        String type = marker ? "unknown" : LexerClassifier.statementType(template);
        String text = template.length() > maxTemplateChars
                ? template.substring(0, maxTemplateChars) + TRUNCATED_MARK
                : template;
        return new Fingerprint(id, text, type, LexerClassifier.tables(template, type));
    }

    /**
     * jsqlparser reads the tables in the background; when it finds some that differ from the lexer's, the cached
     * fingerprint is replaced, so later statements (and windows) of the template carry them. A busy parser pool,
     * a failure or a statement the finder does not walk (CREATE INDEX, ...) leaves the lexer's tables, counted.
     */
    private void refineTables(Object key, String template, Fingerprint lexed) {
        parser.tablesAsync(template, lexed.statementType(), tables -> {
            if (tables == null || tables.isEmpty() || tables.equals(lexed.tables())) {
                return;
            }
            Fingerprint parsed = new Fingerprint(lexed.id(), lexed.template(), lexed.statementType(), tables);
            if (cache.asMap().replace(key, lexed, parsed)) {
                generation.incrementAndGet();
            }
        });
    }

    /** Waits for background parses to finish (tests and benchmarks), at most {@code millis}. */
    void awaitParses(long millis) throws InterruptedException {
        parser.awaitIdle(millis);
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        cache.cleanUp();
        long cached = cache.estimatedSize();
        long shapeServed = 0;
        for (AtomicLong h : shapeHits) {
            shapeServed += h.get();
        }
        return new Stats(
                hits.sum() + shapeServed,
                misses.sum(),
                evictions.sum(),
                cached,
                parser.parsed(),
                parser.failures(),
                parser.skipped(),
                parser.timeouts());
    }
}
