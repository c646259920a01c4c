package io.mysqlprobe.cluster;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportMerger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The merging half of a master or hot standby: one {@link SlaveLink} per slave, a {@link WindowMerger}, and a
 * 100 ms tick that hands finished windows to {@code output}. The output decides (from the node's role at
 * that moment) whether a window is broadcast (active master) or only kept for {@code ?since=} replays
 * (standby), so a promoted standby already holds every window the old master had.
 */
public final class MasterMerge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MasterMerge.class.getName());
    private static final long TICK_MS = 100;

    private final String node;
    private final String cluster;
    private final String token;
    private final long graceMs;
    private final Supplier<String> role;
    private final Consumer<Report> output;
    private final ReportMerger merger;
    private final WindowMerger windows = new WindowMerger();
    private final Map<String, SlaveLink> links = new ConcurrentHashMap<>();
    private final PeerTransport peers;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "cluster-merge");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param role   "master" or "standby" at the moment a window is released (written into the report)
     * @param output receives each merged window, oldest first
     */
    public MasterMerge(
            String node,
            String cluster,
            String token,
            long graceMs,
            int maxSlow,
            Supplier<String> role,
            Consumer<Report> output) {
        this(node, cluster, token, PeerTransport.plain(), graceMs, maxSlow, role, output);
    }

    /** @param peers how slaves are reached: ws:// or wss:// verified against {@code tls.ca_file} */
    public MasterMerge(
            String node,
            String cluster,
            String token,
            PeerTransport peers,
            long graceMs,
            int maxSlow,
            Supplier<String> role,
            Consumer<Report> output) {
        this.peers = peers;
        this.node = node;
        this.cluster = cluster;
        this.token = token;
        this.graceMs = graceMs;
        this.role = role;
        this.output = output;
        this.merger = new ReportMerger(maxSlow);
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Subscribes to a slave (no-op when already subscribed). Returns true when it was new. */
    public boolean add(String address) {
        boolean[] added = {false};
        links.computeIfAbsent(address, a -> {
            added[0] = true;
            long since = windows.lastPublishedStart();
            SlaveLink l = new SlaveLink(a, token, since == Long.MIN_VALUE ? 0 : since, peers, timer, windows::offer);
            l.start();
            return l;
        });
        return added[0];
    }

    public boolean remove(String address) {
        SlaveLink l = links.remove(address);
        if (l != null) {
            l.close();
        }
        return l != null;
    }

    public Set<String> addresses() {
        return new HashSet<>(links.keySet());
    }

    public void retain(Set<String> wanted) {
        for (String a : addresses()) {
            if (!wanted.contains(a)) {
                remove(a);
            }
        }
        wanted.forEach(this::add);
    }

    void tick() {
        try {
            Set<String> expected = new HashSet<>();
            links.forEach((a, l) -> {
                if (l.connected()) {
                    expected.add(a);
                }
            });
            List<Report> ready = windows.poll(
                    System.currentTimeMillis(),
                    expected,
                    graceMs,
                    (start, end, parts, late) -> merger.merge(node, role.get(), cluster, start, end, parts, late));
            ready.forEach(output);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "merging a window failed; next tick retries", e);
        }
    }

    /** Each slave's state, for {@code /cluster/listnodes}. */
    public List<ClusterView.Slave> slaves() {
        return links.values().stream()
                .sorted((a, b) -> a.address().compareTo(b.address()))
                .map(SlaveLink::state)
                .toList();
    }

    public WindowMerger windows() {
        return windows;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        links.values().forEach(SlaveLink::close);
        links.clear();
    }
}
