package io.mysqlprobe.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Table names of a template through jsqlparser 5.3, run once per new template (cache miss).
 *
 * <p>The template is parsed, not the original text: it has no literals, comments, charset introducers,
 * backslash escapes or version comments left to trip the parser, and the result depends on the template only
 * (the same on every node, whichever statement came first); its {@code (?+)} lists become {@code (?)}.
 * Only data and DDL statements are given to the parser ({@link #PARSED_TYPES}): jsqlparser cannot parse
 * START TRANSACTION, BEGIN, KILL, FLUSH, LOCK TABLES, SET SESSION TRANSACTION, many SHOW forms, and those
 * name no tables worth a parse anyway. The direct {@code newParser(sql).Statement()} path is used (≈4×
 * faster than {@code CCJSqlParserUtil.parse}, which retries with complex parsing).
 *
 * <p><b>Time bound.</b> The generated parser backtracks: a 60-character garbage statement can take over a
 * second, and its {@code interrupted} flag only prunes some look-aheads, it does not abort. So inputs are
 * bounded up front (longer than {@code maxParseChars}, unbalanced parentheses, nesting deeper than
 * {@link #MAX_PAREN_DEPTH} → lexer), and the parse itself runs on a small pool of daemon threads
 * ({@link #PARSE_THREADS}, created on demand, gone after 30 s idle, no lifecycle to manage; a short queue
 * absorbs bursts of misses) while the caller waits at most {@code timeoutMillis}, queueing included. On
 * timeout the caller takes the lexer's tables and the abandoned parse finishes in the background; when the
 * queue is full the parse is not attempted at all (counted as a timeout too), so a flood of pathological
 * statements costs a decode worker at most one timeout per new template.
 *
 * <p>Any failure, including errors thrown by the generated parser, returns {@code null} and the caller
 * falls back to the lexer.
 */
final class StatementParser {

    /** Default length bound for parsing, in chars. */
    static final int DEFAULT_MAX_PARSE_CHARS = 8192;
    /** Default wait for one parse. Normal statements parse in well under a millisecond. */
    static final long DEFAULT_TIMEOUT_MILLIS = 50;
    /** Wait for parses until one has succeeded (class loading of the generated parser). */
    static final long COLD_START_MILLIS = 2000;
    /** Deeper nesting is classified by the lexer only. */
    static final int MAX_PAREN_DEPTH = 12;
    /**
     * Parses in flight at most (per instance): one thread, so a storm of new templates (bench/scale.sh: 100k
     * distinct statements) costs the decode workers and the server at most one core, never both of a 2-core box.
     */
    static final int PARSE_THREADS = 1;
    /** Parses waiting at most; a burst of misses queues briefly, a full queue means "use the lexer". */
    static final int PARSE_QUEUE = 32;

    /** Statement types worth a parse. */
    static final Set<String> PARSED_TYPES =
            Set.of("select", "insert", "update", "delete", "replace", "create", "alter", "drop", "truncate", "rename");

    private static final RejectedExecutionException BUSY = new RejectedExecutionException("parse queue full") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /**
     * Background parses started per second at most (bursts of a second's worth pass), so refining stays a
     * bounded share of a core while new templates arrive by the ten thousand (bench/scale.sh: 100k distinct
     * statements in ~10 s; before the bound the parse thread was the busiest of the probe there).
     */
    static final int MAX_ASYNC_PARSES_PER_SECOND = 2000;

    private final RateLimit rate = new RateLimit(MAX_ASYNC_PARSES_PER_SECOND);
    private final int maxParseChars;
    private final long timeoutMillis;
    private final ThreadPoolExecutor pool;
    private final LongAdder parsed = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    StatementParser(int maxParseChars, long timeoutMillis) {
        this.maxParseChars = maxParseChars;
        this.timeoutMillis = timeoutMillis;
        this.pool = new ThreadPoolExecutor(
                PARSE_THREADS,
                PARSE_THREADS,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PARSE_QUEUE),
                r -> {
                    Thread t = new Thread(r, "fingerprint-parser");
                    t.setDaemon(true);
                    return t;
                },
                (task, executor) -> {
                    throw BUSY; // preallocated: a storm of new templates must not build a stack trace each
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Tables named by the template (backticks and double quotes removed, {@code DUAL} left out) in order of
     * appearance, or null when not parsed (skipped, failed or timed out).
     */
    List<String> tables(String template, String statementType) {
        if (!PARSED_TYPES.contains(statementType)
                || template.length() > maxParseChars
                || !parenthesesWithin(template, MAX_PAREN_DEPTH)) {
            skipped.increment();
            return null;
        }
        String sql = template.replace("(?+)", "(?)");
        // the parser is made on the parse thread: making it loads jsqlparser's huge generated classes
        java.util.concurrent.atomic.AtomicReference<CCJSqlParser> parserRef =
                new java.util.concurrent.atomic.AtomicReference<>();
        Future<List<String>> result;
        try {
            result = pool.submit(() -> {
                CCJSqlParser p = newParser(sql);
                parserRef.set(p);
                return parse(p, sql);
            });
        } catch (RejectedExecutionException busy) {
            timeouts.increment();
            return null;
        }
        try {
            // the first parse also loads and JIT-warms jsqlparser's classes (~100+ ms): give it more time
            long budget = parsed.sum() == 0 ? Math.max(timeoutMillis, COLD_START_MILLIS) : timeoutMillis;
            List<String> tables = result.get(budget, TimeUnit.MILLISECONDS);
            if (tables == null) {
                failures.increment();
            } else {
                parsed.increment();
            }
            return tables;
        } catch (TimeoutException e) {
            CCJSqlParser parser = parserRef.get();
            if (parser != null) {
                parser.interrupted = true; // prunes the rest of the parse a little; the thread finishes on its own
            }
            result.cancel(false);
            timeouts.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            timeouts.increment();
        } catch (ExecutionException e) {
            failures.increment(); // an Error other than StackOverflowError escaped parse()
        }
        return null;
    }

    /**
     * Like {@link #tables} without waiting: {@code done} gets the tables (or null) on a parse thread. A full
     * queue counts as a timeout and calls nothing.
     */
    void tablesAsync(String template, String statementType, java.util.function.Consumer<List<String>> done) {
        if (!PARSED_TYPES.contains(statementType)
                || template.length() > maxParseChars
                || !parenthesesWithin(template, MAX_PAREN_DEPTH)) {
            skipped.increment();
            return;
        }
        if (!rate.tryAcquire()) {
            timeouts.increment(); // a storm of new templates: they keep the lexer's tables
            return;
        }
        String sql = template.replace("(?+)", "(?)");
        try {
            pool.execute(() -> {
                List<String> tables = parse(newParser(sql), sql);
                if (tables == null) {
                    failures.increment();
                } else {
                    parsed.increment();
                }
                done.accept(tables);
            });
        } catch (RejectedExecutionException busy) {
            timeouts.increment();
        }
    }

    /** Waits until no parse runs or waits (tests), at most {@code millis}. */
    void awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline
                && (pool.getActiveCount() > 0 || !pool.getQueue().isEmpty())) {
            Thread.sleep(5);
        }
    }

    private static CCJSqlParser newParser(String sql) {
        return CCJSqlParserUtil.newParser(sql)
                .withBackslashEscapeCharacter(true)
                .withSquareBracketQuotation(false);
    }

    /**
     * Loads and warms jsqlparser on a parse thread now, so the first template seen doesn't wait for it
     * (a process that starts and reads a capture file at once gains most of that time).
     */
    void warmUp() {
        try {
            pool.execute(() -> parse(newParser("select a from t where b = ?"), "select a from t where b = ?"));
        } catch (RejectedExecutionException ignored) {
            // busy already: no warming needed
        }
    }

    /** Runs on a parse thread; null on any parse failure. */
    private static List<String> parse(CCJSqlParser parser, String sql) {
        try {
            Statement st = parser.Statement();
            Set<String> names = new TablesNamesFinder<Void>().getTables(st);
            Set<String> clean = new LinkedHashSet<>();
            for (String name : names) {
                String n = unquote(name);
                if (!n.equalsIgnoreCase("dual")) {
                    clean.add(n);
                }
            }
            List<String> ordered = new ArrayList<>(clean);
            // the finder returns a hash set: order by first appearance in the text, for stable reports
            ordered.sort(Comparator.comparingInt((String n) -> position(sql, n)).thenComparing(n -> n));
            return List.copyOf(ordered);
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                throw e;
            }
        } catch (Exception | Error e) {
            // ParseException, TokenMgrException, UnsupportedOperationException from the finder, ...
        }
        return null;
    }

    /** Balanced, and nested no deeper than {@code max}: where the generated parser's backtracking stays cheap. */
    static boolean parenthesesWithin(String template, int max) {
        int depth = 0;
        for (int i = 0, n = template.length(); i < n; i++) {
            char c = template.charAt(i);
            if (c == '(') {
                if (++depth > max) {
                    return false;
                }
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Index of the first whole-word occurrence of the name's last part in sql, or MAX_VALUE. */
    private static int position(String sql, String name) {
        int dot = name.lastIndexOf('.');
        String word = dot < 0 ? name : name.substring(dot + 1);
        if (word.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        for (int p = sql.indexOf(word); p >= 0; p = sql.indexOf(word, p + 1)) {
            int end = p + word.length();
            if ((p == 0 || !SqlLexer.isIdentChar(sql.charAt(p - 1)))
                    && (end == sql.length() || !SqlLexer.isIdentChar(sql.charAt(end)))) {
                return p;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String unquote(String name) {
        if (name.indexOf('`') < 0 && name.indexOf('"') < 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '`' && c != '"') {
                b.append(c);
            }
        }
        return b.toString();
    }

    long parsed() {
        return parsed.sum();
    }

    long failures() {
        return failures.sum();
    }

    long skipped() {
        return skipped.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }
}
