package io.mysqlprobe.watcher;

import io.mysqlprobe.protocol.PreparedStatementLookup;
import io.mysqlprobe.tcp.FlowKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Names statement ids prepared before the capture from the server's
 * {@code performance_schema.prepared_statements_instances} (MySQL 5.7/8.x; MariaDB ≥ 10.5 started with
 * {@code performance_schema=ON}), joined to {@code performance_schema.threads} and
 * {@code information_schema.PROCESSLIST} for the client's {@code host:port}. Decode workers only ever
 * {@link #request} (a counter and a permit, never blocking) and read the latest immutable answer; the watcher's
 * thread runs the query ({@link #serve}), all connections' statements in one go, so many requests cost one
 * query. When performance_schema is off, not readable (privilege) or the server is down, requests are
 * answered at once with nothing (the decoders fall back to placeholders): counted, logged once, asked again
 * after {@link #UNAVAILABLE_RETRY_MS}.
 */
public final class PreparedStatements implements PreparedStatementLookup {

    private static final Logger LOG = Logger.getLogger(PreparedStatements.class.getName());
    static final String QUERY = "SELECT pl.HOST, p.STATEMENT_ID, p.SQL_TEXT"
            + " FROM performance_schema.prepared_statements_instances p"
            + " JOIN performance_schema.threads t ON t.THREAD_ID = p.OWNER_THREAD_ID"
            + " JOIN information_schema.PROCESSLIST pl ON pl.ID = t.PROCESSLIST_ID";
    static final long UNAVAILABLE_RETRY_MS = 60_000;
    /** After the watcher lost the server: asked again sooner, the server may just have restarted. */
    static final long RECONNECT_RETRY_MS = 5_000;

    private static final Map<Long, String> AMBIGUOUS = Map.of();

    private final AtomicLong requested = new AtomicLong();
    private final Semaphore signal = new Semaphore(0);
    private volatile long answeredUpTo;
    private volatile Map<String, Map<Long, String>> byClient = Map.of();
    /** Until then requests are answered at once with nothing (performance_schema off, no privilege, no server). */
    private volatile long unavailableUntilMs;

    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long known;
    private volatile String lastError;
    /** "on", "off" or "unknown" (not asked yet, or not readable). */
    private volatile String performanceSchema = "unknown";
    /** performance_schema checked on this watcher connection (a new connection checks again). */
    private Connection checked;

    private boolean failing;

    @Override
    public long request(FlowKey conn) {
        if (System.currentTimeMillis() < unavailableUntilMs) {
            return 0; // answered: nothing to ask for now
        }
        long ticket = requested.incrementAndGet();
        signal.release();
        return ticket;
    }

    @Override
    public boolean answered(long ticket) {
        return ticket <= answeredUpTo;
    }

    @Override
    public String sql(FlowKey conn, long statementId) {
        Map<String, Map<Long, String>> m = byClient;
        if (m.isEmpty()) {
            return null;
        }
        Map<Long, String> s = m.get(FlowKey.host(conn.clientHi(), conn.clientLo()) + ":" + conn.clientPort());
        if (s == null) {
            s = m.get("*:" + conn.clientPort()); // HOST shown as a resolved name (localhost:PORT)
        }
        return s == null || s == AMBIGUOUS ? null : s.get(statementId);
    }

    boolean pending() {
        return requested.get() > answeredUpTo;
    }

    /** Waits up to {@code millis} for a request (the watcher thread's idle wait). */
    void await(long millis) throws InterruptedException {
        if (signal.tryAcquire(Math.max(1, millis), TimeUnit.MILLISECONDS)) {
            signal.drainPermits();
        }
    }

    /** Answers the pending requests from the server, on the watcher's thread. Never throws. */
    void serve(Connection c) {
        long upTo = requested.get();
        try {
            if (checked != c) {
                checked = c;
                checkPerformanceSchema(c);
            }
            if (!"off".equals(performanceSchema)) {
                read(c);
                recovered();
            }
        } catch (RuntimeException e) { // a driver bug must not end the watcher's thread
            unavailable(e.toString(), UNAVAILABLE_RETRY_MS);
        } catch (SQLException e) {
            if (lostConnection(e)) { // the processlist refresh reconnects
                unavailable("lost the connection to the server: " + e.getMessage(), RECONNECT_RETRY_MS);
            } else {
                unavailable(
                        e.getMessage() + " (the watcher user needs SELECT on performance_schema)",
                        UNAVAILABLE_RETRY_MS);
            }
        } finally {
            answeredUpTo = upTo;
        }
    }

    private static boolean lostConnection(SQLException e) {
        return e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    /** The watcher cannot reach the server: pending requests are answered with nothing. */
    void answerUnavailable(String why) {
        long upTo = requested.get();
        unavailable("no connection to the server: " + why, RECONNECT_RETRY_MS);
        answeredUpTo = upTo;
    }

    private void checkPerformanceSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@performance_schema")) {
            boolean on = rs.next() && rs.getInt(1) != 0;
            performanceSchema = on ? "on" : "off";
            if (!on) {
                byClient = Map.of();
                unavailable(
                        "performance_schema is OFF on the server (MariaDB's default; start it with"
                                + " --performance-schema=ON)",
                        UNAVAILABLE_RETRY_MS);
                checked = null; // checked again after the retry delay
            }
        }
    }

    private void read(Connection c) throws SQLException {
        Map<String, Map<Long, String>> next = new HashMap<>();
        long rows = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                String host = rs.getString(1);
                String sql = rs.getString(3);
                int colon = host == null ? -1 : host.lastIndexOf(':');
                if (colon <= 0 || sql == null) {
                    continue; // a local socket connection, or a system thread
                }
                long id = rs.getLong(2);
                String port = host.substring(colon + 1);
                String exact = ProcesslistWatcher.normalise(host.substring(0, colon)) + ":" + port;
                next.computeIfAbsent(exact, k -> new HashMap<>()).put(id, sql);
                Map<Long, String> byPort = next.get("*:" + port);
                if (byPort == null) {
                    next.put("*:" + port, next.get(exact));
                } else if (byPort != next.get(exact)) {
                    next.put("*:" + port, AMBIGUOUS); // two clients with this port on different addresses
                }
                rows++;
            }
        }
        byClient = next;
        known = rows;
        lookups.incrementAndGet();
    }

    private void unavailable(String why, long retryMs) {
        failures.incrementAndGet();
        lastError = why;
        unavailableUntilMs = System.currentTimeMillis() + retryMs;
        if (!failing) {
            LOG.warning("prepared statements cannot be named through performance_schema: " + why
                    + " (statements prepared before the capture are counted under placeholders; asking again in "
                    + retryMs / 1000 + " s)");
            failing = true;
        }
    }

    private void recovered() {
        if (failing) {
            LOG.info("prepared statements are named through performance_schema again");
            failing = false;
        }
    }

    /** Queries answered from performance_schema. */
    public long lookups() {
        return lookups.get();
    }

    /** Requests answered with nothing because performance_schema was off, not readable or the server down. */
    public long failures() {
        return failures.get();
    }

    /** Statements in the latest answer. */
    public long known() {
        return known;
    }

    public String lastError() {
        return lastError;
    }

    public String performanceSchema() {
        return performanceSchema;
    }
}
