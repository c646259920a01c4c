package io.mysqlprobe.fidelity;

import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away mariadbd with performance_schema on and the {@code events_statements_history_long} consumer
 * enabled (sizes and text lengths bounded), LOCAL INFILE allowed and a self-signed TLS certificate. The harness
 * reads performance_schema over the server's Unix socket, so its own queries are never in a capture, and its
 * thread is left out of every count.
 */
final class FidelityServer implements AutoCloseable {

    /** Rows events_statements_history_long keeps; a workload must stay below (checked). */
    static final int HISTORY_LONG_SIZE = 12_000;

    /** One top-level or nested statement event as performance_schema saw it. */
    record PsEvent(
            long threadId,
            long eventId,
            int nestingLevel,
            String eventName,
            String sqlText,
            String db,
            int errno,
            long errors,
            long rowsSent,
            long rowsAffected,
            long timerWaitPs) {}

    final MariaDbServer db;
    final Path work;
    private final Connection admin;
    private final long adminThread;

    private FidelityServer(MariaDbServer db, Path work, Connection admin, long adminThread) {
        this.db = db;
        this.work = work;
        this.admin = admin;
        this.adminThread = adminThread;
    }

    static FidelityServer start(Path work) throws IOException, InterruptedException, SQLException {
        Path cert = work.resolve("server-cert.pem");
        Path key = work.resolve("server-key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString(),
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("openssl.log").toFile())
                .start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IOException("openssl failed: " + Files.readString(work.resolve("openssl.log")));
        }
        MariaDbServer db = MariaDbServer.start(
                "--performance-schema=ON",
                "--performance-schema-consumer-events-statements-current=ON", // history_long hangs below it
                "--performance-schema-consumer-events-statements-history-long=ON",
                "--performance-schema-events-statements-history-long-size=" + HISTORY_LONG_SIZE,
                "--performance-schema-events-statements-history-size=10",
                "--performance-schema-max-sql-text-length=256",
                "--performance-schema-max-digest-length=256",
                "--max-digest-length=256",
                "--performance-schema-digests-size=1000",
                "--performance-schema-accounts-size=20",
                "--performance-schema-hosts-size=20",
                "--performance-schema-users-size=20",
                "--max-connections=60",
                "--local-infile=1",
                "--ssl-cert=" + cert,
                "--ssl-key=" + key);
        Connection admin;
        try {
            admin = DriverManager.getConnection("jdbc:mariadb://localhost/?localSocket=" + socket(db), "root", "");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        long thread;
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()")) {
            rs.next();
            thread = rs.getLong(1);
        }
        return new FidelityServer(db, work, admin, thread);
    }

    static Path socket(MariaDbServer db) {
        return db.datadir().resolve("sock");
    }

    Path socket() {
        return socket(db);
    }

    int port() {
        return db.port();
    }

    /** Runs statements as root over the socket (set-up, never captured). */
    void exec(String... sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until no other client session is running a command, then a little more: the server records a
     * statement's end in performance_schema after it sent the response (and a COM_QUIT after the client is gone),
     * so a truncate right after a set-up client exits would leave its last events in the next workload's figures.
     */
    void awaitQuiet() throws Exception {
        try {
            Await.until(
                    "no other session running a command",
                    java.time.Duration.ofSeconds(10),
                    () -> count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                                    + " AND COMMAND NOT IN ('Sleep', 'Daemon') AND USER <> 'system user'")
                            == 0);
        } catch (AssertionError e) {
            // as before: after 10 s the workload goes on; its figures then show what leaked
        }
        Thread.sleep(250); // statement ends are recorded after the response: no state to poll for them
    }

    void truncateHistory() throws SQLException {
        exec("TRUNCATE TABLE performance_schema.events_statements_history_long");
    }

    /** Thread ids of the sessions of {@code user} connected now. */
    List<Long> threadsOf(String user) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps =
                admin.prepareStatement("SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_USER = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Every statement event since the last truncate, but the harness's own and those of {@code excluded} threads. */
    List<PsEvent> events(Set<Long> excluded) throws SQLException {
        List<PsEvent> out = new ArrayList<>();
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("""
                SELECT THREAD_ID, EVENT_ID, NESTING_EVENT_LEVEL, EVENT_NAME, SQL_TEXT, CURRENT_SCHEMA, MYSQL_ERRNO,
                       ERRORS, ROWS_SENT, ROWS_AFFECTED, TIMER_WAIT
                FROM performance_schema.events_statements_history_long ORDER BY THREAD_ID, EVENT_ID""")) {
            while (rs.next()) {
                long thread = rs.getLong(1);
                if (thread == adminThread || excluded.contains(thread)) {
                    continue;
                }
                out.add(new PsEvent(
                        thread,
                        rs.getLong(2),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getInt(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getLong(10),
                        rs.getLong(11)));
            }
        }
        if (out.size() >= HISTORY_LONG_SIZE - 100) {
            throw new IllegalStateException("workload too large for events_statements_history_long (" + out.size()
                    + " of " + HISTORY_LONG_SIZE + "): the comparison would miss statements");
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            db.close();
        }
    }
}
