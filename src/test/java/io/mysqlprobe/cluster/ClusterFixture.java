package io.mysqlprobe.cluster;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Helpers of the cluster ITs: load on a throw-away server, report collection, waits with deadlines. */
final class ClusterFixture {

    private ClusterFixture() {}

    /** Statements in a loop against one server until closed; 2 templates, about 200 statements/s. */
    static final class Load implements AutoCloseable {
        final AtomicLong statements = new AtomicLong();
        private final Thread thread;
        private volatile boolean stop;

        Load(MariaDbServer db, String name) {
            thread = new Thread(
                    () -> {
                        try (Connection c = db.connect();
                                Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE IF NOT EXISTS shop");
                            s.execute("CREATE TABLE IF NOT EXISTS shop.t (id INT PRIMARY KEY, v INT)");
                            s.execute("USE shop");
                            int i = 0;
                            while (!stop) {
                                s.executeQuery("SELECT v FROM t WHERE id = " + (i % 100))
                                        .close();
                                if (i % 4 == 0) {
                                    s.executeUpdate("REPLACE INTO t VALUES (" + (i % 100) + ", " + i + ")");
                                }
                                statements.incrementAndGet();
                                i++;
                                Thread.sleep(5); // pacing: a steady load, not a flood
                            }
                        } catch (Exception e) {
                            if (!stop) {
                                e.printStackTrace();
                            }
                        }
                    },
                    "load-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5000);
        }
    }

    /** Every report a websocket subscriber received, parsed, in arrival order. */
    static final class Reports implements AutoCloseable {
        final List<Report> received = new CopyOnWriteArrayList<>();
        private final ProbeProcess.Subscriber sub;
        private final Thread thread;
        private volatile boolean stop;

        Reports(ProbeProcess node, String pathAndQuery) throws Exception {
            sub = node.subscribe(pathAndQuery);
            thread = new Thread(
                    () -> {
                        while (!stop) {
                            try {
                                String m = sub.next(Duration.ofMillis(200));
                                if (m != null) {
                                    received.add(ReportJson.read(m));
                                }
                            } catch (InterruptedException e) {
                                return;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    },
                    "reports");
            thread.setDaemon(true);
            thread.start();
        }

        /** Window start → report (the last copy if a window came twice). */
        TreeMap<Long, Report> byWindow() {
            TreeMap<Long, Report> m = new TreeMap<>();
            received.forEach(r -> m.put(r.window().startMs(), r));
            return m;
        }

        long lastStart() {
            return received.isEmpty()
                    ? 0
                    : received.get(received.size() - 1).window().startMs();
        }

        @Override
        public void close() {
            stop = true;
            sub.close();
        }
    }

    static Map<String, Long> counts(Report r) {
        Map<String, Long> m = new HashMap<>();
        r.templates().forEach(t -> m.merge(t.server() + "|" + t.db() + "|" + t.id(), t.count(), Long::sum));
        return m;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        io.mysqlprobe.testsupport.Await.until(what, timeout, condition::getAsBoolean);
    }

    static void signal(ProbeProcess p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
    }

    static String role(ProbeProcess p) {
        try {
            Map<?, ?> m =
                    ReportJson.mapper().readValue(p.get("/cluster/listnodes").body(), Map.class);
            return String.valueOf(m.get("role"));
        } catch (Exception e) {
            return "unreachable";
        }
    }

    static Map<?, ?> listNodes(ProbeProcess p) throws Exception {
        return ReportJson.mapper().readValue(p.get("/cluster/listnodes").body(), Map.class);
    }
}
