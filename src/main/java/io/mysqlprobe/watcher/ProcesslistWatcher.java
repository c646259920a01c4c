package io.mysqlprobe.watcher;

import io.mysqlprobe.protocol.SessionInfo;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.tcp.FlowKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Logs in to the local MySQL ({@code watcher.*}) and refreshes {@code information_schema.PROCESSLIST} so that
 * connections opened before capture started get their user and schema. Runs on its own daemon thread; a
 * failure is counted, logged once per outage and retried with exponential back-off (1 s doubling to 60 s);
 * it never blocks the pipeline, which only reads the latest immutable map.
 */
public final class ProcesslistWatcher implements SessionLookup, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProcesslistWatcher.class.getName());
    private static final String QUERY = "SELECT USER, HOST, DB FROM information_schema.PROCESSLIST";
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String url;
    private final Properties credentials = new Properties();
    private final long refreshMs;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Map<String, SessionInfo> sessions = Map.of();
    private volatile boolean running = true;
    private volatile String lastError;
    private final PreparedStatements prepared = new PreparedStatements();
    private Thread thread;
    private Connection connection;

    /** @param address {@code host:port} of the server (the probe's own server, normally 127.0.0.1:3306) */
    public ProcesslistWatcher(String address, String user, String password, String dbname, long refreshMs) {
        this(jdbcUrl(address, dbname), user, password, refreshMs);
    }

    /** With a full JDBC URL (e.g. over the server's Unix socket, {@code localSocket=…}, so a capture never sees it). */
    public ProcesslistWatcher(String jdbcUrl, String user, String password, long refreshMs) {
        this.url = jdbcUrl;
        credentials.setProperty("user", user);
        credentials.setProperty("password", password == null ? "" : password);
        this.refreshMs = refreshMs;
    }

    private static String jdbcUrl(String address, String dbname) {
        String a = address.contains(":") ? address : address + ":3306";
        return "jdbc:mariadb://" + a + "/" + (dbname == null ? "" : dbname) + "?connectTimeout=2000&socketTimeout=5000";
    }

    public void start() {
        thread = new Thread(this::run, "processlist-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Refreshes the processlist every {@code refreshMs} and, in between, answers the decoders' requests for
     * prepared statements ({@link #preparedStatements()}) as they come.
     */
    private void run() {
        long backoff = 1000;
        boolean failing = false;
        long nextRefresh = 0;
        while (running) {
            long now = System.currentTimeMillis();
            if (now >= nextRefresh) {
                nextRefresh = now + refreshMs;
                try {
                    refresh();
                    if (failing) {
                        LOG.info("processlist watcher recovered after " + failures.get() + " failures in total");
                        failing = false;
                    }
                    backoff = 1000;
                } catch (SQLException e) {
                    failures.incrementAndGet();
                    lastError = e.getMessage();
                    closeConnection();
                    if (!failing) {
                        LOG.warning("processlist watcher cannot read " + url + ": " + e.getMessage()
                                + " (retrying with back-off; statements of pre-existing connections keep db unknown)");
                        failing = true;
                    }
                    nextRefresh = now + backoff;
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
            if (prepared.pending()) {
                if (connection == null) {
                    prepared.answerUnavailable(lastError);
                } else {
                    prepared.serve(connection);
                }
            }
            try {
                prepared.await(nextRefresh - System.currentTimeMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Names statements prepared before the capture (performance_schema), served by this watcher's thread. */
    public PreparedStatements preparedStatements() {
        return prepared;
    }

    /** One refresh, on the calling thread (tests call it directly). */
    public void refresh() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, credentials);
        }
        Map<String, SessionInfo> next = new HashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                String host = rs.getString(2);
                if (host == null) {
                    continue;
                }
                int colon = host.lastIndexOf(':');
                if (colon <= 0) {
                    continue; // a local socket connection, or a system thread
                }
                SessionInfo info = new SessionInfo(rs.getString(1), rs.getString(3));
                String h = host.substring(0, colon);
                String port = host.substring(colon + 1);
                next.put(normalise(h) + ":" + port, info);
                next.merge("*:" + port, info, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
            }
        }
        sessions = Map.copyOf(next);
        refreshes.incrementAndGet();
    }

    private static final SessionInfo AMBIGUOUS = new SessionInfo(null, null);

    static String normalise(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") ? "127.0.0.1" : h;
    }

    @Override
    public SessionInfo lookup(FlowKey conn) {
        Map<String, SessionInfo> m = sessions;
        SessionInfo exact = m.get(FlowKey.host(conn.clientHi(), conn.clientLo()) + ":" + conn.clientPort());
        if (exact != null) {
            return exact;
        }
        SessionInfo byPort = m.get("*:" + conn.clientPort()); // HOST shown as a resolved name
        return byPort == AMBIGUOUS ? null : byPort;
    }

    public long refreshes() {
        return refreshes.get();
    }

    public long failures() {
        return failures.get();
    }

    public String lastError() {
        return lastError;
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        closeConnection();
    }
}
