package io.mysqlprobe.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away {@code mariadbd} on a free loopback port with its own temporary datadir
 * (see STACK.md). Root, no password, over TCP. Never touches a server someone else started.
 */
public final class MariaDbServer implements AutoCloseable {

    private final Path datadir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path datadir, int port, Process process) {
        this.datadir = datadir;
        this.port = port;
        this.process = process;
    }

    /** Installs a datadir and starts the server; {@code extraArgs} go to mariadbd (e.g. --server-id=2). */
    public static MariaDbServer start(String... extraArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("probe-mariadb-");
        Path tmp = Files.createDirectories(dir.resolve("tmp")); // own tmpdir: concurrent servers share nothing
        run(
                List.of(
                        binary("mariadb-install-db"),
                        "--no-defaults",
                        "--datadir=" + dir.resolve("data"),
                        "--tmpdir=" + tmp,
                        "--user=root",
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db"),
                dir.resolve("install.log"));
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                binary("mariadbd"),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--tmpdir=" + tmp,
                "--user=root",
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("sock"),
                "--skip-log-bin",
                "--innodb-buffer-pool-size=32M",
                "--log-error=" + dir.resolve("error.log")));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        MariaDbServer server = new MariaDbServer(dir, port, p);
        server.awaitReady(Duration.ofSeconds(30));
        return server;
    }

    private static String binary(String name) {
        for (String d : new String[] {"/usr/sbin/", "/usr/bin/", "/usr/local/bin/"}) {
            if (Files.isExecutable(Path.of(d + name))) {
                return d + name;
            }
        }
        throw new IllegalStateException(name + " not found: install mariadb-server (see README)");
    }

    private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + Files.readString(log));
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        SQLException[] last = {null};
        try {
            Await.until("mariadbd to accept connections", timeout, () -> {
                if (!process.isAlive()) {
                    throw new IOException("mariadbd exited: " + readLog());
                }
                try (Connection c = connect()) {
                    return true;
                } catch (SQLException e) {
                    last[0] = e;
                    return false;
                }
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            throw new IOException("mariadbd not ready after " + timeout + ": " + last[0] + "\n" + readLog(), e);
        }
    }

    private String readLog() throws IOException {
        Path err = datadir.resolve("error.log");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    public int port() {
        return port;
    }

    public Path datadir() {
        return datadir;
    }

    public String jdbcUrl(String db) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + (db == null ? "" : db);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(null), "root", "");
    }

    public Connection connect(String db, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, password);
    }

    /** Sends SIGSTOP / SIGCONT, for timeout tests. */
    public void freeze(boolean frozen) throws IOException, InterruptedException {
        new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                .start()
                .waitFor();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        freeze(false);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(datadir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
