package io.mysqlprobe.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The watcher's side of naming statements prepared before the probe, against a real mariadbd started with
 * performance_schema ON: a statement another session prepared is found by its client port and wire statement id;
 * a user without SELECT on performance_schema and a server that went away are answered at once with nothing,
 * counted — never an exception, never a request left waiting.
 */
class PreparedStatementsIT {

    private static final long LOOPBACK_HI = 0;
    private static final long LOOPBACK_LO = 0x0000_FFFF_7F00_0001L; // ::ffff:127.0.0.1

    @Test
    void namesAnotherSessionsStatementAndFallsBackOnEveryFailure() throws Exception {
        MariaDbServer db = MariaDbServer.start("--performance-schema=ON");
        ProcesslistWatcher granted = null;
        ProcesslistWatcher denied = null;
        try {
            try (Connection root = db.connect();
                    Statement s = root.createStatement()) {
                s.execute("CREATE DATABASE shop");
                s.execute("CREATE TABLE shop.t (id INT PRIMARY KEY, name VARCHAR(20))");
                s.execute("CREATE USER 'watch'@'%' IDENTIFIED BY 'pw'");
                s.execute("GRANT PROCESS ON *.* TO 'watch'@'%'");
                s.execute("GRANT SELECT ON performance_schema.* TO 'watch'@'%'");
                s.execute("CREATE USER 'nops'@'%' IDENTIFIED BY 'pw'");
                s.execute("GRANT PROCESS ON *.* TO 'nops'@'%'");
            }
            try (Connection app =
                            DriverManager.getConnection(db.jdbcUrl("shop") + "?useServerPrepStmts=true", "root", "");
                    PreparedStatement ps = app.prepareStatement("SELECT name FROM t WHERE id = ?")) {
                ps.setInt(1, 1);
                ps.executeQuery().close();
                int port;
                long id;
                try (Statement s = app.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = " + "CONNECTION_ID()")) {
                    rs.next();
                    String host = rs.getString(1);
                    port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
                }
                try (Connection root = db.connect();
                        Statement s = root.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT STATEMENT_ID FROM "
                                        + "performance_schema.prepared_statements_instances WHERE SQL_TEXT LIKE 'SELECT name%'")) {
                    assertTrue(rs.next(), "the server lists the statement");
                    id = rs.getLong(1);
                }
                FlowKey conn = new FlowKey(LOOPBACK_HI, LOOPBACK_LO, port, LOOPBACK_HI, LOOPBACK_LO, db.port());

                granted = new ProcesslistWatcher("127.0.0.1:" + db.port(), "watch", "pw", null, 60_000);
                granted.start();
                PreparedStatements ps1 = granted.preparedStatements();
                long ticket = ps1.request(conn);
                awaitAnswer(ps1, ticket);
                assertEquals("SELECT name FROM t WHERE id = ?", ps1.sql(conn, id));
                assertNull(ps1.sql(conn, id + 1000));
                assertEquals("on", ps1.performanceSchema());
                assertEquals(0, ps1.failures());

                denied = new ProcesslistWatcher("127.0.0.1:" + db.port(), "nops", "pw", null, 60_000);
                denied.start();
                PreparedStatements ps2 = denied.preparedStatements();
                long t2 = ps2.request(conn);
                awaitAnswer(ps2, t2);
                assertNull(ps2.sql(conn, id), "no privilege: nothing named");
                assertEquals(1, ps2.failures());
                assertTrue(ps2.lastError().contains("denied"), ps2.lastError());
                assertTrue(ps2.answered(ps2.request(conn)), "within the retry delay: answered at once, not asked");
                assertEquals(1, ps2.failures());
            }
            db.close(); // the server goes away under the watcher
            db = null;
            FlowKey any = new FlowKey(LOOPBACK_HI, LOOPBACK_LO, 40000, LOOPBACK_HI, LOOPBACK_LO, 3306);
            PreparedStatements ps1 = granted.preparedStatements();
            long t3 = ps1.request(any);
            awaitAnswer(ps1, t3);
            assertNull(ps1.sql(any, 1));
            assertEquals(1, ps1.failures(), ps1.lastError());
            assertTrue(ps1.lastError().contains("connection"), ps1.lastError());
        } finally {
            if (granted != null) {
                granted.close();
            }
            if (denied != null) {
                denied.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    private static void awaitAnswer(PreparedStatements ps, long ticket) throws Exception {
        Await.until("the watcher to answer ticket " + ticket, Duration.ofSeconds(15), () -> ps.answered(ticket));
    }
}
