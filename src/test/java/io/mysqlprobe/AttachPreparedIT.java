package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's attach scenario: sysbench ({@code --db-ps-mode=auto}) and a Connector/J pool with server-side
 * prepared statements run before the probe starts, so every statement they send is a COM_STMT_EXECUTE of an id
 * the probe never saw prepared. Over the whole windows after the probe is ready, every statement must be counted
 * (against the server's {@code Questions}, bracketed at the window boundaries) and named: with
 * performance_schema ON through the watcher (each pool statement's count against the pool's own rounds, each of
 * sysbench's against its transaction's shape), with it OFF (MariaDB's default) under the documented placeholders;
 * never under an empty template.
 */
class AttachPreparedIT {

    private static final Pattern PLACEHOLDER = Pattern.compile("prepared statement \\((\\d+|\\?) params?\\)( -> .+)?");
    /** The pool's rounds (each executes every statement of {@link #POOL_SQL} once): [start ms, end ms]. */
    private final java.util.Queue<long[]> executions = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static final List<String> POOL_SQL = List.of(
            "SELECT c FROM sbtest1 WHERE id = ?",
            "UPDATE sbtest1 SET k = k + 1 WHERE id = ?",
            "SELECT COUNT(*) FROM sbtest1 WHERE k BETWEEN ? AND ?");

    @Test
    void performanceSchemaOnNamesEveryStatementPreparedBeforeTheProbe() throws Exception {
        Result r = attach(true);
        assertTrue(r.placeholders * 1000 <= r.total, "placeholders " + r.placeholders + " of " + r.total + "\n" + r);
        assertTrue(r.counted * 1000 >= r.questionsMax * 999, r.toString());
        // per template against the clients' own statement sets: the pool's rounds that ran inside the span (and
        // those straddling a boundary, which may fall on either side) ...
        long inside = executions.stream()
                .filter(e -> e[0] >= r.first && e[1] < r.last)
                .count();
        long straddling = executions.stream()
                .filter(e -> (e[0] < r.first && e[1] >= r.first) || (e[0] < r.last && e[1] >= r.last))
                .count();
        for (String sql : POOL_SQL) {
            long n = r.named.getOrDefault(new Fingerprinter().templateOf(sql), 0L);
            assertTrue(
                    n >= inside && n <= inside + straddling,
                    sql + ": " + n + " counted, " + inside + " (+" + straddling + " at a boundary) executed\n" + r);
        }
        // ... and sysbench's oltp_read_write transaction: 10 point selects, one of each other statement, per COMMIT
        long commits = r.named.getOrDefault("commit", 0L);
        assertTrue(commits > 0, r.toString());
        for (String t : List.of(
                "begin",
                "select c from sbtest1 where id between ? and ?",
                "select sum(k) from sbtest1 where id between ? and ?",
                "select c from sbtest1 where id between ? and ? order by c",
                "select distinct c from sbtest1 where id between ? and ? order by c",
                "update sbtest1 set k=k+? where id=?",
                "update sbtest1 set c=? where id=?",
                "delete from sbtest1 where id=?",
                "insert into sbtest1 (id, k, c, pad) values(?+)")) {
            long n = r.named.getOrDefault(t, 0L);
            assertTrue(Math.abs(n - commits) <= 4, t + ": " + n + " against " + commits + " commits\n" + r);
        }
        long points = r.named.getOrDefault("select c from sbtest1 where id=?", 0L);
        assertTrue(Math.abs(points - 10 * commits) <= 40, "point selects " + points + " for " + commits + "\n" + r);
        assertEquals("on", r.watcher.get("performance_schema"), r.toString());
        assertTrue(((Number) r.watcher.get("prepared_lookups")).longValue() >= 1, r.toString());
        assertTrue(((Number) r.watcher.get("prepared_statements_known")).longValue() > 0, r.toString());
    }

    @Test
    void performanceSchemaOffCountsEveryStatementUnderPlaceholders() throws Exception {
        Result r = attach(false);
        assertTrue(r.counted >= r.questionsMin && r.counted <= r.questionsMax, "100 % counted\n" + r);
        assertTrue(r.placeholders > 0, r.toString());
        for (String t : r.named.keySet()) { // the executes are all under placeholders: named are text queries
            assertTrue(
                    t.startsWith("show global status")
                            || t.contains("information_schema.processlist")
                            || t.startsWith("administrator command: ")
                            || t.startsWith("select @@performance_schema"),
                    "not a placeholder: " + t + "\n" + r);
        }
        assertEquals("off", r.watcher.get("performance_schema"), r.toString());
        assertTrue(((Number) r.watcher.get("prepared_lookup_failures")).longValue() >= 1, "fallback counted\n" + r);
        // capture counters are cut at publish time, templates by statement time: compared over the span's windows
        assertTrue(r.unknownIdsAllWindows >= r.placeholders, "unknown_statement_ids counts them\n" + r);
    }

    /** What one attach run measured over the whole windows after the probe was ready. */
    record Result(
            long first,
            long last,
            long total,
            long counted,
            long placeholders,
            long questionsMin,
            long questionsMax,
            long resolved,
            long forced,
            long late,
            long lateFromBefore,
            long lateFromSpan,
            long placeholdersAllWindows,
            long unknownIdsAllWindows,
            Map<String, Long> named,
            Map<String, Object> watcher,
            String log) {
        @Override
        public String toString() {
            return "statements " + total + " (" + counted + " counted by Questions), placeholders " + placeholders
                    + ", Questions delta " + questionsMin + ".." + questionsMax + ", statement_ids_resolved "
                    + resolved + ", held_statements_forced " + forced + ", late_statements " + late + " (-"
                    + lateFromBefore + " from before the span, +" + lateFromSpan + " from it after it)"
                    + ", placeholders in all windows " + placeholdersAllWindows + " (unknown_statement_ids "
                    + unknownIdsAllWindows + "), watcher " + watcher + "\nnamed templates " + named + "\n"
                    + log.substring(Math.max(0, log.length() - 3000));
        }
    }

    private Result attach(boolean performanceSchema) throws Exception {
        Path work = Files.createTempDirectory("probe-attach-");
        String[] args = performanceSchema ? new String[] {"--performance-schema=ON"} : new String[0];
        try (MariaDbServer db = MariaDbServer.start(args)) {
            try (Connection root = db.connect();
                    Statement s = root.createStatement()) {
                s.execute("CREATE DATABASE sbtest");
                s.execute("CREATE USER 'watch'@'%' IDENTIFIED BY 'watchpw'");
                s.execute("GRANT PROCESS ON *.* TO 'watch'@'%'");
                s.execute("GRANT SELECT ON performance_schema.* TO 'watch'@'%'");
            }
            run(work, sysbench(db.port(), "prepare", 0));
            List<Thread> pool = new ArrayList<>();
            List<Connection> connections = new ArrayList<>();
            // long enough for a slow probe start and the span; stopped by the test (destroy) once it is measured
            Process sysbench = new ProcessBuilder(sysbench(db.port(), "run", 120))
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("sysbench.log").toFile())
                    .start();
            Load load = new Load(sysbench, POOL_CONNECTIONS);
            try {
                // a pool: statements prepared once per connection, before the probe
                for (int i = 0; i < POOL_CONNECTIONS; i++) {
                    Connection c = DriverManager.getConnection(
                            db.jdbcUrl("sbtest") + "?useServerPrepStmts=true&cachePrepStmts=true", "root", "");
                    connections.add(c);
                    List<PreparedStatement> ps = new ArrayList<>();
                    for (String sql : POOL_SQL) {
                        ps.add(c.prepareStatement(sql));
                    }
                    execute(ps);
                    Thread t = new Thread(() -> poolLoop(ps, load), "pool-" + i);
                    t.setDaemon(true);
                    t.start();
                    pool.add(t);
                }
                Await.until(
                        "sysbench to start its run",
                        Duration.ofSeconds(20),
                        () -> Files.readString(work.resolve("sysbench.log")).contains("Threads started"));
                return measure(db, work, load);
            } finally {
                load.stopPool();
                for (Thread t : pool) {
                    t.join(5000);
                }
                for (Connection c : connections) {
                    c.close();
                }
                sysbench.destroy();
                sysbench.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Result measure(MariaDbServer db, Path work, Load load) throws Exception {
        int http = MariaDbServer.freePort();
        try (ProbeProcess probe = ProbeProcess.start("""
                serverport: %d
                interval: 1
                probe: {device: lo, port: %d}
                watcher: {uname: watch, passward: watchpw, address: "127.0.0.1:%d", dbname: information_schema, refresh_seconds: 1}
                """.formatted(http, db.port(), db.port()), http, work);
                ProbeProcess.Subscriber sub = probe.subscribe("/collector");
                Connection sampler = db.connect()) {
            // ready: the first window published; the span starts at the next boundary but one
            List<Report> reports = new ArrayList<>();
            Await.until("the first report", Duration.ofSeconds(20), () -> take(sub, reports));
            long[] start = load.quietAround(sampler, (System.currentTimeMillis() / 1000 + 2) * 1000);
            long first = start[2];
            // the load runs on for several whole windows, however long the probe took to start
            long[] end = load.quietAround(sampler, first + SPAN_MS);
            long last = end[2];
            Await.until("the window ending at the span's end", Duration.ofSeconds(15), () -> {
                take(sub, reports);
                return reports.stream().anyMatch(r -> r.window().startMs() >= last);
            });
            long total = 0;
            long counted = 0;
            long placeholders = 0;
            long placeholdersAll = 0;
            long unknownAll = 0;
            long resolved = 0;
            long forced = 0;
            long late = 0;
            long lateFromBefore = 0;
            long lateFromSpan = 0;
            Map<String, Long> named = new TreeMap<>();
            Set<String> empty = new HashSet<>();
            for (Report r : reports) {
                unknownAll += r.capture().decodeErrorsByKind().getOrDefault("unknown_statement_ids", 0L);
                resolved += r.capture().decodeErrorsByKind().getOrDefault("statement_ids_resolved", 0L);
                forced += r.capture().decodeErrorsByKind().getOrDefault("held_statements_forced", 0L);
                late += r.capture().lateStatements();
                if (r.window().startMs() == first) {
                    lateFromBefore += r.capture().lateStatements();
                } else if (r.window().startMs() == last) {
                    lateFromSpan += r.capture().lateStatements();
                }
                boolean inSpan = r.window().startMs() >= first && r.window().endMs() <= last;
                for (TemplateSnapshot t : r.templates()) {
                    if (t.template() == null || t.template().isEmpty()) {
                        empty.add(t.id());
                    }
                    boolean placeholder = t.template().startsWith("prepared statement (");
                    if (placeholder) {
                        assertTrue(PLACEHOLDER.matcher(t.template()).matches(), "documented form: " + t.template());
                        placeholdersAll += t.count();
                    }
                    if (!inSpan) {
                        continue;
                    }
                    total += t.count();
                    if (countedByQuestions(t)) {
                        counted += t.count();
                    }
                    if (placeholder) {
                        placeholders += t.count();
                    } else {
                        named.merge(t.template(), t.count(), Long::sum);
                    }
                }
            }
            assertTrue(empty.isEmpty(), "templates with empty text: " + empty);
            // a statement the probe finished after its window was published goes to the next window, counted there as
            // late: those in the span's first window finished before the span, those in the window after it inside
            counted += lateFromSpan - lateFromBefore;
            Map<String, Object> watcher =
                    findWatcher(probe.get("/cluster/listnodes").body());
            Result result = new Result(
                    first,
                    last,
                    total,
                    counted,
                    placeholders,
                    end[0] - start[1],
                    end[1] - start[0],
                    resolved,
                    forced,
                    late,
                    lateFromBefore,
                    lateFromSpan,
                    placeholdersAll,
                    unknownAll,
                    named,
                    watcher,
                    probe.log());
            System.out.println("AttachPreparedIT performance_schema=" + watcher.get("performance_schema") + ": "
                    + result.toString().lines().findFirst().orElse(""));
            return result;
        }
    }

    /**
     * The commands the server's {@code Questions} counts: all but COM_STMT_PREPARE, COM_STMT_CLOSE, COM_STMT_RESET,
     * COM_PING and COM_STATISTICS (MariaDB's {@code CF_SKIP_QUESTIONS}). COM_QUIT <em>is</em> counted: sysbench's two
     * threads quit inside the span, and leaving their {@code administrator command: Quit} out made the probe look
     * one statement short whenever the boundary samples left the bracket only one statement of slack.
     */
    private static boolean countedByQuestions(TemplateSnapshot t) {
        return !t.statementType().equals("prepare") && !NOT_QUESTIONS.contains(t.template());
    }

    private static final Set<String> NOT_QUESTIONS = Set.of(
            "administrator command: Close stmt",
            "administrator command: Reset stmt",
            "administrator command: Ping",
            "administrator command: Statistics");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> findWatcher(String listnodes) throws IOException {
        Object tree = new com.fasterxml.jackson.databind.ObjectMapper().readValue(listnodes, Object.class);
        return (Map<String, Object>) find(tree);
    }

    private static Object find(Object node) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("watcher") instanceof Map<?, ?> w) {
                return w;
            }
            for (Object v : m.values()) {
                Object f = find(v);
                if (f != null) {
                    return f;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                Object f = find(v);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private static boolean take(ProbeProcess.Subscriber sub, List<Report> reports) throws Exception {
        String m;
        while ((m = sub.next(Duration.ofMillis(10))) != null) {
            Report r = ReportJson.read(m);
            if (reports.stream()
                    .noneMatch(x -> x.window().startMs() == r.window().startMs())) {
                reports.add(r);
            }
        }
        return !reports.isEmpty();
    }

    /**
     * The server's {@code Questions} just before and just after a window boundary: samples in a tight loop around
     * it (over TCP, so the probe counts them too), the last that ended before it and the first that began after.
     * When no sample could end before it (a busy machine), the next boundary is taken.
     *
     * @return {before, after, the boundary in ms}
     */
    private static long[] questionsAround(Connection c, long boundaryMs) throws Exception {
        for (long b = boundaryMs; b < boundaryMs + 5000; b += 1000) {
            long boundary = b;
            Await.until(
                    "the window boundary to come near",
                    Duration.ofSeconds(10),
                    () -> System.currentTimeMillis() >= boundary - 100);
            long before = -1;
            long after = -1;
            try (Statement s = c.createStatement()) {
                while (after < 0) {
                    long t0 = System.currentTimeMillis();
                    long q;
                    try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
                        rs.next();
                        q = rs.getLong(2);
                    }
                    long t1 = System.currentTimeMillis();
                    if (t1 < boundary) {
                        before = q;
                    } else if (t0 > boundary) {
                        after = q;
                    }
                }
            }
            if (before >= 0) {
                return new long[] {before, after, boundary};
            }
        }
        throw new AssertionError("no Questions sample ended before a window boundary in 5 tries");
    }

    private void poolLoop(List<PreparedStatement> ps, Load load) {
        while (!load.stop.get()) {
            try {
                load.gate.acquire();
                try {
                    if (load.stop.get()) {
                        return;
                    }
                    long t0 = System.currentTimeMillis();
                    execute(ps);
                    executions.add(new long[] {t0, System.currentTimeMillis()});
                } finally {
                    load.gate.release();
                }
                TimeUnit.MILLISECONDS.sleep(20); // pacing: ~150 executes/s over the pool, not polling
            } catch (SQLException | InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The clients' load, paused around the span's boundaries. The probe puts a statement in the window of its
     * last response byte, the server counts it in Questions when it arrives: a statement sent before the last sample
     * that ended before the boundary and answered after the boundary is in the probe's span and not in the server's
     * bracket. One such statement is within the bracket's slack (the sample after the end boundary counts itself);
     * with sysbench and the pool running, two or more could be (a COMMIT waiting for its fsync on a busy machine),
     * and the probe would look one statement over (or, at the end boundary, short). Paused, nothing but the
     * watcher's one connection is in flight there.
     */
    private static final class Load {
        final Process sysbench;
        final AtomicBoolean stop = new AtomicBoolean();
        /** One permit per pool connection: a round holds one; all of them held, no round is in flight. */
        final Semaphore gate;

        private final int pool;

        Load(Process sysbench, int pool) {
            this.sysbench = sysbench;
            this.pool = pool;
            this.gate = new Semaphore(pool);
        }

        /** {@link #questionsAround} with the pool between rounds and sysbench stopped (SIGSTOP) meanwhile. */
        long[] quietAround(Connection sampler, long boundaryMs) throws Exception {
            Await.until(
                    "the boundary to come near",
                    Duration.ofMillis(Math.max(0, boundaryMs - System.currentTimeMillis()) + 10_000),
                    () -> System.currentTimeMillis() >= boundaryMs - 500);
            if (!gate.tryAcquire(pool, 10, TimeUnit.SECONDS)) {
                throw new AssertionError("the pool's rounds did not end in 10 s");
            }
            try {
                signal("STOP");
                try {
                    Await.until("sysbench to stop", Duration.ofSeconds(10), this::sysbenchStopped);
                    return questionsAround(sampler, boundaryMs);
                } finally {
                    signal("CONT");
                }
            } finally {
                gate.release(pool);
            }
        }

        /** Ends the pool's loop: returns once no round is in flight. */
        void stopPool() throws InterruptedException {
            stop.set(true);
            if (gate.tryAcquire(pool, 10, TimeUnit.SECONDS)) {
                gate.release(pool);
            }
        }

        private void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(sysbench.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || (kill.exitValue() != 0 && sysbench.isAlive())) {
                throw new IOException("kill -" + name + " sysbench failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        }

        /** Every thread of sysbench is stopped (state T in /proc), or sysbench is gone. */
        private boolean sysbenchStopped() throws IOException {
            Path tasks = Path.of("/proc", String.valueOf(sysbench.pid()), "task");
            if (!sysbench.isAlive() || !Files.isDirectory(tasks)) {
                return true;
            }
            try (var list = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) list::iterator) {
                    String stat = Files.readString(t.resolve("stat"));
                    String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
                    if (!state.equals("T") && !state.equals("t")) {
                        return false;
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                return false; // a thread ended while listed: look again
            }
            return true;
        }
    }

    private static final int POOL_CONNECTIONS = 3;
    /** The span: whole windows between the two quiet boundaries. */
    private static final long SPAN_MS = 12_000;

    private static void execute(List<PreparedStatement> ps) throws SQLException {
        int id = ThreadLocalRandom.current().nextInt(1, 1000);
        ps.get(0).setInt(1, id);
        ps.get(0).executeQuery().close();
        ps.get(1).setInt(1, id);
        ps.get(1).executeUpdate();
        ps.get(2).setInt(1, id);
        ps.get(2).setInt(2, id + 100);
        ps.get(2).executeQuery().close();
    }

    private static List<String> sysbench(int port, String action, int seconds) {
        return List.of(
                "sysbench",
                "oltp_read_write",
                "--db-driver=mysql",
                "--mysql-host=127.0.0.1",
                "--mysql-port=" + port,
                "--mysql-user=root",
                "--mysql-password=",
                "--mysql-db=sbtest",
                "--tables=1",
                "--table-size=1000",
                "--threads=2",
                "--rate=40",
                "--time=" + seconds,
                "--db-ps-mode=auto",
                "--mysql-ignore-errors=all",
                action);
    }

    private static void run(Path work, List<String> cmd) throws IOException, InterruptedException {
        Path log = work.resolve("sysbench-prepare.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("sysbench prepare failed: " + Files.readString(log));
        }
    }
}
