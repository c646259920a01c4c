package io.mysqlprobe.fidelity;

import io.mysqlprobe.watcher.ProcesslistWatcher;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The workloads of the fidelity harness. Each has a set-up that runs before the capture (never counted) and a run
 * that is captured. Clients: sysbench, the {@code mariadb} command-line client and MariaDB Connector/J.
 */
final class Workloads {

    /** What a run leaves for the comparison. */
    static final class Ctx {
        final FidelityServer srv;
        /** Threads whose statements are left out of the comparison (TLS sessions), with their count reported. */
        final Set<Long> tlsThreads = new HashSet<>();
        /** Threads of helpers (the watcher) left out entirely. */
        final Set<Long> helperThreads = new HashSet<>();

        final List<Connection> preOpened = new ArrayList<>();
        ProcesslistWatcher watcher;
        /**
         * Rows affected as the tables say, where performance_schema does not know them (it reports 0 for MariaDB's
         * COM_STMT_BULK_EXECUTE); null when P_S's sum is the reference.
         */
        Long rowsAffectedFromTables;

        Ctx(FidelityServer srv) {
            this.srv = srv;
        }

        String url(String options) {
            return "jdbc:mariadb://127.0.0.1:" + srv.port() + "/fid?" + options;
        }

        Connection jdbc(String options) throws SQLException {
            return DriverManager.getConnection(url(options), "root", "");
        }

        /** {@code mariadb -h127.0.0.1 -P… -uroot [--skip-ssl] ARGS… fid < SQL}; returns stdout and stderr. */
        String cli(List<String> args, String sql) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(
                    "mariadb", "--no-defaults", "-h127.0.0.1", "-P" + srv.port(), "-uroot", "--force", "-N", "-B"));
            if (!args.contains("--ssl")) {
                // the 10.11 client negotiates TLS by itself when the server offers it: plain sessions must say so
                cmd.add("--skip-ssl");
            }
            cmd.addAll(args);
            cmd.add("fid");
            // the script comes on stdin: with -e the client stops at the first error even with --force
            Path script = Files.createTempFile(srv.work, "sql-", ".sql");
            Files.writeString(script, sql);
            return run(cmd, script);
        }

        String run(List<String> cmd) throws IOException, InterruptedException {
            return run(cmd, null);
        }

        private String run(List<String> cmd, Path stdin) throws IOException, InterruptedException {
            Path out = Files.createTempFile(srv.work, "cmd-", ".log");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return Files.readString(out);
        }
    }

    private Workloads() {}

    /** Schema and tables shared by the workloads (set-up over the socket). */
    static void createSchema(FidelityServer srv) throws SQLException {
        srv.exec(
                "SET SESSION max_recursive_iterations = 100000",
                "CREATE DATABASE fid",
                "CREATE TABLE fid.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64), n BIGINT, u INT UNSIGNED,"
                        + " f DOUBLE, dec_v DECIMAL(10,3), d DATE, ts DATETIME(6), tm TIME, b BLOB)",
                "CREATE TABLE fid.big (id INT PRIMARY KEY, pad VARCHAR(300))",
                "INSERT INTO fid.big WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3000)"
                        + " SELECT n, REPEAT('x', 250) FROM s",
                "CREATE TABLE fid.li (id INT PRIMARY KEY, name VARCHAR(40), qty INT)",
                "CREATE TABLE fid.bulk_t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20), n INT)",
                """
                CREATE PROCEDURE fid.report_p(IN lim INT)
                BEGIN
                  SELECT id, v FROM fid.t ORDER BY id LIMIT lim;
                  SELECT COUNT(*) FROM fid.big;
                  UPDATE fid.t SET n = n + 1 WHERE id <= lim;
                END""",
                """
                CREATE PROCEDURE fid.fail_p()
                BEGIN
                  SELECT 1;
                  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'fidelity: failing procedure';
                END""",
                "CREATE DATABASE sbtest",
                "CREATE USER 'watcher'@'localhost' IDENTIFIED BY 'watchpw'",
                "GRANT PROCESS ON *.* TO 'watcher'@'localhost'");
    }

    // ------------------------------------------------------------------ sysbench

    static void sysbenchPrepare(Ctx c) throws IOException, InterruptedException, SQLException {
        c.srv.exec("DROP TABLE IF EXISTS sbtest.sbtest1"); // a repeated attempt starts afresh
        String out = c.run(sysbench(c, "auto", "prepare"));
        if (!out.contains("Inserting")) {
            throw new IOException("sysbench prepare failed: " + out);
        }
    }

    static void sysbench(Ctx c, String psMode) throws IOException, InterruptedException {
        String out = c.run(sysbench(c, psMode, "run"));
        if (!out.contains("queries:")) {
            throw new IOException("sysbench run failed: " + out);
        }
    }

    private static List<String> sysbench(Ctx c, String psMode, String action) {
        return List.of(
                "sysbench",
                "oltp_read_write",
                "--db-driver=mysql",
                "--mysql-host=127.0.0.1",
                "--mysql-port=" + c.srv.port(),
                "--mysql-user=root",
                "--mysql-password=",
                "--mysql-db=sbtest",
                "--tables=1",
                "--table-size=1000",
                "--threads=2",
                "--events=100",
                "--time=0",
                "--db-ps-mode=" + psMode,
                "--mysql-ignore-errors=all",
                action);
    }

    // ------------------------------------------------------------------ hand-written mix

    static void mix(Ctx c) throws Exception {
        try (Connection text = c.jdbc("allowMultiQueries=true&useServerPrepStmts=false");
                Statement s = text.createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.executeUpdate("INSERT INTO t (v, n) VALUES ('a" + i + "', 1), ('b" + i + "', 2), ('c" + i
                        + "', 3), ('d" + i + "', 4), ('e" + i + "', 5)");
            }
            drain(s, "SELECT * FROM big"); // full scan, 3000 rows
            drain(s, "SELECT * FROM t WHERE v = 'b1'"); // no index on v
            expectError(s, "SELECT * FROM nosuch");
            expectError(s, "SELECT * FROM nosuch");
            expectError(s, "SELEC 1");
            expectError(s, "INSERT INTO t (id, v) VALUES (1, 'dup')");
            multi(s, "SELECT 1; SELECT COUNT(*) FROM t; UPDATE t SET n = n + 1 WHERE id < 4; SELECT 2");
            try {
                multi(s, "SELECT 3; SELECT * FROM nosuch2; SELECT 4"); // stops at the error
            } catch (SQLException expected) {
                // 1146
            }
            s.execute("PREPARE ps1 FROM 'SELECT * FROM t WHERE id = ?'");
            s.execute("SET @id = 2");
            for (int i = 0; i < 3; i++) {
                drain(s, "EXECUTE ps1 USING @id");
            }
            s.execute("DEALLOCATE PREPARE ps1");
            for (int i = 0; i < 3; i++) {
                drain(s, "SELECT SLEEP(0.2)");
            }
        }
        try (Connection bin = c.jdbc("useServerPrepStmts=true");
                PreparedStatement ins = bin.prepareStatement(
                        "INSERT INTO t (v, n, u, f, dec_v, d, ts, tm, b) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement sel = bin.prepareStatement("SELECT id, v FROM t WHERE id = ? OR v = ? OR n > ?")) {
            for (int i = 0; i < 20; i++) {
                ins.setString(1, "p" + i);
                ins.setLong(2, -1000L * i);
                ins.setLong(3, 4_000_000_000L);
                ins.setDouble(4, i / 3.0);
                ins.setBigDecimal(5, new BigDecimal("12.345"));
                ins.setDate(6, Date.valueOf("2026-11-21"));
                ins.setTimestamp(7, Timestamp.valueOf("2026-11-21 23:59:01.123456"));
                ins.setTime(8, Time.valueOf("12:34:56"));
                if (i % 2 == 0) {
                    ins.setNull(9, Types.BLOB);
                } else {
                    ins.setBytes(9, new byte[] {0, 1, 2, (byte) 0xFF});
                }
                ins.executeUpdate();
            }
            for (int i = 0; i < 10; i++) {
                sel.setInt(1, i);
                sel.setString(2, "p" + i);
                sel.setLong(3, 1_000_000);
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(2);
                    }
                }
            }
            try (PreparedStatement dup = bin.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                dup.setInt(1, 1);
                dup.setString(2, "dup");
                dup.executeUpdate();
            } catch (SQLException expected) {
                // 1062
            }
        }
        c.cli(
                List.of(),
                "SELECT COUNT(*) FROM t; SELECT * FROM nosuch; SHOW TABLES; SELECT SLEEP(0.2);"
                        + " SELECT v FROM t ORDER BY id LIMIT 5");
    }

    // ------------------------------------------------------------------ MariaDB bulk execute

    static void bulk(Ctx c) throws Exception {
        c.srv.exec("TRUNCATE TABLE fid.bulk_t");
        try (Connection j = c.jdbc("useServerPrepStmts=true&useBulkStmts=true");
                PreparedStatement batch = j.prepareStatement("INSERT INTO bulk_t (v, n) VALUES (?, ?)")) {
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < 10; i++) { // one COM_STMT_BULK_EXECUTE per executeBatch
                    batch.setString(1, "bulk" + i);
                    batch.setInt(2, i);
                    batch.addBatch();
                }
                batch.executeBatch();
            }
        }
        c.rowsAffectedFromTables = c.srv.count("SELECT COUNT(*) FROM fid.bulk_t");
    }

    // ------------------------------------------------------------------ compressed protocol

    static void compressed(Ctx c) throws Exception {
        c.cli(
                List.of("--compress"),
                "SELECT * FROM big; SELECT COUNT(*) FROM t; SELECT * FROM nosuch;"
                        + " INSERT INTO t (v) VALUES ('z1'), ('z2'); SELECT SLEEP(0.2); SELECT * FROM big WHERE id < 100");
        try (Connection z = c.jdbc("useCompression=true&useServerPrepStmts=true");
                Statement s = z.createStatement()) {
            drain(s, "SELECT * FROM big");
            try (PreparedStatement ps = z.prepareStatement("SELECT pad FROM big WHERE id BETWEEN ? AND ?")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i * 100);
                    ps.setInt(2, i * 100 + 400);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(1);
                        }
                    }
                }
            }
            expectError(s, "SELECT nosuchcolumn FROM t");
        }
    }

    // ------------------------------------------------------------------ LOCAL INFILE

    static void localInfile(Ctx c) throws Exception {
        Path csv = c.srv.work.resolve("li.csv");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            b.append(i).append(",name").append(i).append(',').append(i % 7).append('\n');
        }
        Files.writeString(csv, b);
        c.cli(
                List.of("--local-infile=1"),
                "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE li FIELDS TERMINATED BY ',';"
                        + " SELECT COUNT(*) FROM li; DELETE FROM li WHERE id > 250; SELECT SLEEP(0.2);"
                        + " LOAD DATA LOCAL INFILE '" + csv
                        + "' INTO TABLE li FIELDS TERMINATED BY ','"); // duplicates: 1062
        try (Connection j = c.jdbc("allowLocalInfile=true");
                Statement s = j.createStatement()) {
            s.executeUpdate("LOAD DATA LOCAL INFILE '" + csv + "' REPLACE INTO TABLE li FIELDS TERMINATED BY ','");
            drain(s, "SELECT SUM(qty) FROM li");
        }
    }

    // ------------------------------------------------------------------ stored procedures

    static void procedure(Ctx c) throws Exception {
        c.cli(List.of(), "CALL report_p(5); CALL report_p(3); CALL fail_p(); SELECT 1; SELECT SLEEP(0.2)");
        try (Connection j = c.jdbc("");
                Statement s = j.createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.execute("CALL report_p(" + (i + 2) + ")");
                do {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs != null && rs.next()) {
                            rs.getString(1);
                        }
                    }
                } while (s.getMoreResults() || s.getUpdateCount() != -1);
            }
            expectError(s, "CALL fail_p()");
        }
    }

    // ------------------------------------------------------------------ connections opened before the capture

    static void preOpen(Ctx c) throws SQLException {
        for (int i = 0; i < 4; i++) {
            Connection conn = c.jdbc(i % 2 == 0 ? "useServerPrepStmts=false" : "useServerPrepStmts=true");
            try (Statement s = conn.createStatement()) {
                drain(s, "SELECT 1"); // before the capture: not seen
            }
            c.preOpened.add(conn);
        }
    }

    /** Connector/J with the compressed protocol, opened before the capture: the probe sees neither SYN nor CLIENT_COMPRESS. */
    static void preOpenCompressed(Ctx c) throws SQLException {
        for (int i = 0; i < 2; i++) {
            Connection conn = c.jdbc("useCompression=true&useServerPrepStmts=" + (i == 1));
            try (Statement s = conn.createStatement()) {
                drain(s, "SELECT 1"); // before the capture: not seen
            }
            c.preOpened.add(conn);
        }
    }

    static void preOpened(Ctx c) throws Exception {
        c.watcher = new ProcesslistWatcher(
                "jdbc:mariadb://localhost/?localSocket=" + c.srv.socket(), "watcher", "watchpw", 1000);
        int k = 0;
        for (Connection conn : c.preOpened) {
            try (Statement s = conn.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    drain(s, "SELECT id, v FROM t WHERE id = " + (i + 1));
                }
                s.executeUpdate("UPDATE t SET n = n + 1 WHERE id = " + (k + 1));
                if (k == 0) {
                    drain(s, "SELECT SLEEP(0.2)");
                }
                expectError(s, "SELECT * FROM nosuch_pre");
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM big WHERE id < ?")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i * 10);
                    drain(ps);
                }
            }
            if (k == 0) {
                c.watcher.refresh(); // the watcher learns the sessions while they are open (after capture started)
                c.helperThreads.addAll(c.srv.threadsOf("watcher"));
            }
            k++;
        }
        for (Connection conn : c.preOpened) {
            conn.close();
        }
        c.preOpened.clear();
    }

    // ------------------------------------------------------------------ TLS

    static void tls(Ctx c) throws Exception {
        String out = c.cli(
                List.of("--ssl"),
                "SELECT THREAD_ID FROM performance_schema.threads"
                        + " WHERE PROCESSLIST_ID = CONNECTION_ID(); SELECT COUNT(*) FROM t;"
                        + " SHOW SESSION STATUS LIKE 'Ssl_cipher'; SELECT * FROM nosuch_tls");
        String[] lines = out.strip().split("\n");
        c.tlsThreads.add(Long.parseLong(lines[0].strip()));
        if (!out.contains("Ssl_cipher\tTLS") && !out.matches("(?s).*Ssl_cipher\t[A-Z0-9-_]+.*")) {
            throw new IOException("the TLS session did not use TLS: " + out);
        }
        c.cli(List.of(), "SELECT COUNT(*) FROM t; SELECT * FROM nosuch; SELECT SLEEP(0.2); SELECT 1"); // plain
    }

    // ------------------------------------------------------------------ helpers

    private static void drain(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getString(1);
            }
        }
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getString(1);
            }
        }
    }

    private static void multi(Statement s, String sql) throws SQLException {
        boolean rs = s.execute(sql);
        while (true) {
            if (rs) {
                try (ResultSet r = s.getResultSet()) {
                    while (r.next()) {
                        r.getString(1);
                    }
                }
            } else if (s.getUpdateCount() == -1) {
                return;
            }
            rs = s.getMoreResults();
        }
    }

    private static void expectError(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException expected) {
            return;
        }
        throw new IllegalStateException("expected an error from " + sql);
    }
}
