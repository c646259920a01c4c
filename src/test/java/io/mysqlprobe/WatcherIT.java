package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection opened before the probe started: its handshake is never seen, so user and schema come from the
 * processlist watcher; without a watcher they are reported as unknown (null), never guessed.
 */
class WatcherIT {

    @Test
    void preExistingConnectionsGetUserAndDbFromTheWatcher() throws Exception {
        Path work = Files.createTempDirectory("probe-watcher-");
        try (MariaDbServer db = MariaDbServer.start()) {
            try (Connection root = db.connect();
                    Statement s = root.createStatement()) {
                s.execute("CREATE DATABASE inventory");
                s.execute("CREATE TABLE inventory.items (id INT PRIMARY KEY, qty INT)");
                s.execute("CREATE USER 'clerk'@'%' IDENTIFIED BY 'pw'");
                s.execute("GRANT ALL ON inventory.* TO 'clerk'@'%'");
                s.execute("CREATE USER 'watch'@'%' IDENTIFIED BY 'watchpw'");
                s.execute("GRANT PROCESS ON *.* TO 'watch'@'%'");
            }
            try (Connection early = db.connect("inventory", "clerk", "pw");
                    Statement s = early.createStatement()) {
                s.executeUpdate("INSERT INTO items VALUES (1, 10)"); // before capture: not seen
                int http = MariaDbServer.freePort();
                try (ProbeProcess probe = ProbeProcess.start("""
                        serverport: %d
                        interval: 1
                        probe: {device: lo, port: %d}
                        watcher: {uname: watch, passward: watchpw, address: "127.0.0.1:%d", dbname: information_schema, refresh_seconds: 1}
                        """.formatted(http, db.port(), db.port()), http, work);
                        ProbeProcess.Subscriber sub = probe.subscribe("/collector")) {
                    Await.until(
                            "the watcher's first refresh",
                            Duration.ofSeconds(15),
                            () -> probe.get("/cluster/listnodes").body().matches(".*\"refreshes\":[1-9].*"));
                    long deadline = System.nanoTime();
                    for (int i = 0; i < 5; i++) {
                        s.executeQuery("SELECT qty FROM items WHERE id = 1").close();
                    }
                    long count = 0;
                    java.util.Map<String, Long> users = new java.util.HashMap<>();
                    java.util.Set<String> dbs = new java.util.HashSet<>();
                    while (count < 5
                            && System.nanoTime()
                                    < deadline + Duration.ofSeconds(10).toNanos()) {
                        String m = sub.next(Duration.ofMillis(500));
                        if (m == null) {
                            continue;
                        }
                        for (TemplateSnapshot t : ReportJson.read(m).templates()) {
                            if (t.template().equals("select qty from items where id = ?")) {
                                count += t.count();
                                t.users().forEach((k, v) -> users.merge(k, v, Long::sum));
                                dbs.add(t.db());
                            }
                        }
                    }
                    assertEquals(5, count, probe.log());
                    assertEquals(java.util.Set.of("inventory"), dbs);
                    assertEquals(java.util.Map.of("clerk", 5L), users);
                }
            }
        }
    }
}
