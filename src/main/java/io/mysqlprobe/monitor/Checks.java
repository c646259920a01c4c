package io.mysqlprobe.monitor;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mariadb.jdbc.message.client.PingPacket;

/**
 * The four checks, each bounded by its timeout to the millisecond: a timer closes the connection's socket
 * at the deadline ({@link DeadlineSocketFactory.Guard}) and the driver's socket timeout is set to the same
 * value, so whichever fires first ends the wait. Checks run on worker threads and return an {@link Outcome};
 * nothing here throws.
 */
final class Checks {

    /** What a check found: {@code value} is read_only (0/1) or the lag in seconds; {@code error} null on success. */
    record Outcome(long timeStartUs, long successTimeUs, Integer value, String error, boolean timedOut) {
        boolean ok() {
            return error == null;
        }
    }

    @FunctionalInterface
    private interface SqlStep {
        Integer run(BackendConnection c) throws SQLException, CheckException;
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Checks.class.getName());
    private static final Executor DIRECT = Runnable::run;
    private static final org.mariadb.jdbc.Driver DRIVER = new org.mariadb.jdbc.Driver();

    /**
     * Whether the driver can load {@link DeadlineSocketFactory} by name and gets our class: true on a plain
     * class path and in a Quarkus fast-jar (one class loader), false in Quarkus dev/test mode, where the
     * driver sits in a parent class loader that cannot see application classes.
     */
    static final boolean SOCKET_FACTORY_VISIBLE = socketFactoryVisible();

    private final ConnectionPool pool;
    private final ScheduledExecutorService timer;
    private final boolean useSocketFactory;

    Checks(ConnectionPool pool, ScheduledExecutorService timer) {
        this(pool, timer, SOCKET_FACTORY_VISIBLE);
    }

    /**
     * With {@code useSocketFactory} false, deadlines rest on the driver's connectTimeout/socketTimeout
     * alone: exact for a silent server (one blocked read), but a server trickling bytes could stretch a
     * connect over several reads.
     */
    Checks(ConnectionPool pool, ScheduledExecutorService timer, boolean useSocketFactory) {
        this.pool = pool;
        this.timer = timer;
        this.useSocketFactory = useSocketFactory;
    }

    private static boolean socketFactoryVisible() {
        try {
            boolean same = Class.forName(
                            DeadlineSocketFactory.class.getName(),
                            false,
                            org.mariadb.jdbc.Driver.class.getClassLoader())
                    == DeadlineSocketFactory.class;
            if (!same) {
                LOG.info("monitor: the MariaDB driver sees another copy of DeadlineSocketFactory;"
                        + " deadlines rest on the driver's socket timeouts");
            }
            return same;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.info("monitor: the MariaDB driver's class loader cannot see DeadlineSocketFactory (Quarkus dev/test"
                    + " mode); deadlines rest on the driver's socket timeouts");
            return false;
        }
    }

    static long nowUs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    // ---------------------------------------------------------------- the checks

    /** connect: a fresh connection each time; a healthy one then joins the pool. */
    Outcome connect(Endpoint ep, MonitorConfig c) {
        long startUs = nowUs();
        long t0 = System.nanoTime();
        try {
            BackendConnection bc = open(ep, c, c.connectTimeout());
            long us = (System.nanoTime() - t0) / 1000;
            pool.release(bc, c.maxIdleConnectionsPerServer());
            return new Outcome(startUs, Math.max(1, us), null, null, false);
        } catch (CheckException e) {
            return new Outcome(startUs, 0, null, e.getMessage(), e.timedOut());
        }
    }

    /** ping: COM_PING on a pooled connection (a new one, bounded by connect_timeout, when none is idle). */
    Outcome ping(Endpoint ep, MonitorConfig c) {
        return onPooled(ep, c, c.pingTimeout(), "ping", "ping_timeout", bc -> {
            ((org.mariadb.jdbc.Connection) bc.connection).getClient().execute(PingPacket.INSTANCE, true);
            return null;
        });
    }

    /** read_only: the check type's query; any non-zero value (or ON) is read-only. */
    Outcome readOnly(Endpoint ep, ReadOnlyCheckType type, MonitorConfig c) {
        return onPooled(ep, c, c.readOnlyTimeout(), "read_only check", "read_only_timeout", bc -> {
            try (Statement st = bc.connection.createStatement();
                    ResultSet rs = st.executeQuery(type.query())) {
                if (!rs.next()) {
                    throw new CheckException(type.query() + " returned no row", false);
                }
                String v = rs.getString(1);
                if (v == null) {
                    throw new CheckException(type.query() + " returned NULL", false);
                }
                v = v.trim();
                return v.equals("0") || v.equalsIgnoreCase("OFF") || v.equalsIgnoreCase("false") ? 0 : 1;
            }
        });
    }

    /**
     * replication lag: Seconds_Behind_Master over all channels ({@code SHOW ALL SLAVES STATUS} on MariaDB,
     * {@code SHOW REPLICA STATUS}, else {@code SHOW SLAVE STATUS}, on MySQL); the largest wins, and any
     * NULL channel makes it slave_lag_when_null.
     */
    Outcome replicationLag(Endpoint ep, MonitorConfig c) {
        return onPooled(ep, c, c.replicationLagTimeout(), "replication lag check", "replication_lag_timeout", bc -> {
            if (bc.mariaDb) {
                return lagFrom(bc.connection, "SHOW ALL SLAVES STATUS", c);
            }
            try {
                return lagFrom(bc.connection, "SHOW REPLICA STATUS", c);
            } catch (SQLException e) {
                if (e.getErrorCode() != 1064) {
                    throw e;
                }
                return lagFrom(bc.connection, "SHOW SLAVE STATUS", c);
            }
        });
    }

    private static Integer lagFrom(Connection conn, String sql, MonitorConfig c) throws SQLException, CheckException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int col = -1;
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnLabel(i);
                if (name.equalsIgnoreCase("Seconds_Behind_Master") || name.equalsIgnoreCase("Seconds_Behind_Source")) {
                    col = i;
                }
            }
            if (col < 0) {
                throw new CheckException(sql + " has no Seconds_Behind_Master column", false);
            }
            boolean any = false;
            boolean sawNull = false;
            long max = 0;
            while (rs.next()) {
                any = true;
                long v = rs.getLong(col);
                if (rs.wasNull()) {
                    sawNull = true;
                } else {
                    max = Math.max(max, v);
                }
            }
            if (!any) {
                throw new CheckException("not a replica: " + sql + " returned no rows", false);
            }
            return sawNull ? c.slaveLagWhenNull() : (int) Math.min(Integer.MAX_VALUE, max);
        }
    }

    // ---------------------------------------------------------------- connections and deadlines

    private Outcome onPooled(
            Endpoint ep, MonitorConfig c, int timeoutMs, String what, String timeoutKey, SqlStep step) {
        long startUs = nowUs();
        BackendConnection bc = pool.poll(ep);
        if (bc == null) {
            try {
                bc = open(ep, c, c.connectTimeout());
            } catch (CheckException e) {
                return new Outcome(startUs, 0, null, e.getMessage(), e.timedOut());
            }
        }
        DeadlineSocketFactory.Guard guard = bc.guard;
        long t0 = System.nanoTime();
        ScheduledFuture<?> deadline = arm(guard, timeoutMs);
        try {
            bc.connection.setNetworkTimeout(DIRECT, timeoutMs);
            Integer value = step.run(bc);
            long us = (System.nanoTime() - t0) / 1000;
            disarm(deadline);
            if (guard.expired()) {
                throw new SQLException("deadline passed");
            }
            pool.release(bc, c.maxIdleConnectionsPerServer());
            return new Outcome(startUs, Math.max(1, us), value, null, false);
        } catch (CheckException e) {
            disarm(deadline);
            if (guard.expired()) {
                pool.discard(bc);
            } else {
                pool.release(bc, c.maxIdleConnectionsPerServer());
            }
            return new Outcome(startUs, 0, null, e.getMessage(), false);
        } catch (SQLException | RuntimeException e) {
            disarm(deadline);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            boolean timedOut = guard.expired() || isTimeout(e) || ms >= timeoutMs;
            boolean broken = timedOut
                    || !(e instanceof SQLException se)
                    || se.getSQLState() == null
                    || se.getSQLState().startsWith("08");
            if (broken) {
                pool.discard(bc);
            } else {
                pool.release(bc, c.maxIdleConnectionsPerServer());
            }
            String error = timedOut
                    ? "timeout during " + what + " after " + ms + " ms (" + timeoutKey + "=" + timeoutMs + ")"
                    : what + " failed: " + text(e);
            return new Outcome(startUs, 0, null, error, timedOut);
        }
    }

    /** Opens a monitor connection within {@code timeoutMs} (TCP connect + handshake + auth), wait_timeout set. */
    BackendConnection open(Endpoint ep, MonitorConfig c, int timeoutMs) throws CheckException {
        DeadlineSocketFactory.Guard guard = new DeadlineSocketFactory.Guard();
        long t0 = System.nanoTime();
        ScheduledFuture<?> deadline = arm(guard, timeoutMs);
        DeadlineSocketFactory.capture(guard);
        Connection conn = null;
        try {
            Properties p = new Properties();
            p.setProperty("user", c.username());
            p.setProperty("password", c.password());
            p.setProperty("connectTimeout", Integer.toString(timeoutMs));
            p.setProperty("socketTimeout", Integer.toString(timeoutMs));
            if (useSocketFactory) {
                p.setProperty("socketFactory", DeadlineSocketFactory.class.getName());
            }
            p.setProperty("sessionVariables", "wait_timeout=" + c.waitTimeoutSeconds());
            p.setProperty("tcpKeepAlive", "true");
            String host = ep.hostname().indexOf(':') >= 0 ? "[" + ep.hostname() + "]" : ep.hostname();
            conn = DRIVER.connect("jdbc:mariadb://" + host + ":" + ep.port() + "/", p);
            boolean mariaDb = "MariaDB".equalsIgnoreCase(conn.getMetaData().getDatabaseProductName());
            disarm(deadline);
            if (guard.expired()) {
                throw new SQLException("deadline passed");
            }
            pool.opened.incrementAndGet();
            return new BackendConnection(ep, conn, guard, mariaDb);
        } catch (SQLException | RuntimeException e) {
            disarm(deadline);
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (guard.expired() || isTimeout(e) || ms >= timeoutMs) {
                throw new CheckException(
                        "timeout on creating new connection after " + ms + " ms (connect_timeout=" + timeoutMs + ")",
                        true);
            }
            throw new CheckException(text(e), false);
        } finally {
            DeadlineSocketFactory.release();
        }
    }

    /**
     * Schedules the guard's expiry; null when the timer is already shut down (the monitor is stopping
     * while this check runs), in which case the driver's socket timeout, set to the same value, still
     * bounds the check.
     */
    private ScheduledFuture<?> arm(DeadlineSocketFactory.Guard guard, int timeoutMs) {
        try {
            return timer.schedule(guard::expire, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    private static void disarm(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.sql.SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** One line of error text, as it goes in the log table. */
    static String text(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = m.replaceAll("\\s*\\R\\s*", " ").trim();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
