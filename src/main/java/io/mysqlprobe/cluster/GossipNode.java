package io.mysqlprobe.cluster;

import io.mysqlprobe.report.ReportJson;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.Lock;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * This node's membership of a gossip cluster: its own clustered Vert.x on the Infinispan cluster manager
 * (so {@code /cluster/join} and {@code /cluster/leave} can create and drop it at run time), a replicated map
 * of node records (role, HTTP and gossip address, group), and, on master candidates, the contest for the
 * cluster-wide master lock.
 *
 * <p>Who publishes: the holder of the lock, and only while its fence holds. The fence: (1) a heartbeat
 * every 200 ms; a gap of more than {@link #STALL_MS} (the process was frozen: {@code kill -STOP}, a long GC)
 * makes the master step down at once, before it can publish, and any frozen candidate waits until the
 * cluster has merged it back (or {@link #COOL_DOWN_MS}) before it contends again, so it never takes the lock in
 * a partition of its own; (2) the replicated master record: a master that
 * finds another node's name in it (after a partition heals, the merge keeps one value everywhere) steps down.
 */
public final class GossipNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GossipNode.class.getName());
    /** Well below FD_ALL's 8 s timeout: any freeze long enough to get this node excluded is noticed. */
    static final long STALL_MS = 5000;
    static final long COOL_DOWN_MS = 30_000;
    /**
     * A candidate that finds itself alone when it joins, though seeds name other nodes, waits this long (two
     * of MERGE3's 5 s maximum intervals: a merge was seen to land 7.5 s after such a join) for a merge before it
     * contends: nodes that start together each form a view of one, and a master elected in a view of one loses
     * its lock in the merge, so a second candidate takes it and the first steps down.
     */
    static final long JOIN_GRACE_MS = 12_000;
    private static final long BEAT_MS = 200;
    /** Lock attempts (2 s each) that fail with no other candidate alive before the lock is released by force. */
    static final int STUCK_LOCK_ATTEMPTS = 3;

    /** A node as the others see it. */
    public record NodeRecord(String id, String node, String role, String http, String gossip, String group,
                             boolean slave) {}

    /** Called when this node becomes master ({@code true}) or stops being master ({@code false}). */
    public interface RoleListener {
        void changed(boolean master, String previousPublishedStart);
    }

    private final String group;
    private final String host;
    private final int port;
    private final List<String> seeds;
    private final String dnsQuery;
    private final String nodeName;
    private final String http;
    private final boolean candidate;
    private final RoleListener roles;
    private final Consumer<Set<String>> slavesChanged;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "gossip");
        t.setDaemon(true);
        return t;
    });
    private final Object fence = new Object();
    private volatile Vertx vertx;
    private volatile DefaultCacheManager caches;
    private volatile InfinispanClusterManager manager;
    private volatile Cache<String, String> nodes;
    private volatile Cache<String, String> masterRecord;
    private volatile String gossipAddress;
    private volatile boolean closed;
    private volatile boolean master;
    private volatile Lock lock;
    private volatile long lastBeat = System.currentTimeMillis();
    private volatile long contendAfter;
    private volatile List<String> membersAtStall;
    private int refreshes;
    private volatile String state = "joining";
    private volatile long promotedAtMs;
    private volatile long promotions;

    public GossipNode(String group, String host, int port, List<String> seeds, String dnsQuery, String nodeName,
                      String http, boolean candidate, RoleListener roles, Consumer<Set<String>> slavesChanged) {
        this.group = group;
        this.host = host;
        this.port = port;
        this.seeds = List.copyOf(seeds);
        this.dnsQuery = dnsQuery;
        this.nodeName = nodeName;
        this.http = http;
        this.candidate = candidate;
        this.roles = roles;
        this.slavesChanged = slavesChanged;
    }

    /** Joins the cluster (blocking, a few seconds), then starts the refresh loop and, on candidates, contention. */
    public void start() throws Exception {
        Path workDir = Files.createTempDirectory("mysql-probe-gossip-");
        Path jg = workDir.resolve("jgroups.xml");
        Files.writeString(jg, GossipConfig.jgroups(host, port, seeds, dnsQuery));
        String ispn = GossipConfig.infinispan(group, jg.toString());
        try {
            caches = new DefaultCacheManager(new ByteArrayInputStream(ispn.getBytes(StandardCharsets.UTF_8)), true);
        } finally {
            Files.deleteIfExists(jg); // read once, when the channel starts
            Files.deleteIfExists(workDir);
        }
        manager = new InfinispanClusterManager(caches);
        VertxOptions opts = new VertxOptions().setClusterManager(manager);
        opts.getEventBusOptions().setHost(host).setPort(0);
        vertx = Vertx.clusteredVertx(opts).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        nodes = caches.getCache(GossipConfig.NODES_CACHE);
        masterRecord = caches.getCache(GossipConfig.MASTER_CACHE);
        List<Address> phys = caches.getTransport().getPhysicalAddresses();
        gossipAddress = phys.isEmpty() ? host + ":" + port : phys.get(0).toString();
        state = "joined";
        LOG.info("gossip: joined cluster " + group + " as " + manager.getNodeId() + " (gossip " + gossipAddress
                + ", " + manager.getNodes().size() + " members)");
        publishRecord();
        lastBeat = System.currentTimeMillis(); // the join itself is no freeze
        timer.scheduleWithFixedDelay(this::beat, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::refresh, 0, 500, TimeUnit.MILLISECONDS);
        if (candidate) {
            if (manager.getNodes().size() == 1 && seedsNameOthers()) {
                membersAtStall = manager.getNodes();
                contendAfter = System.currentTimeMillis() + JOIN_GRACE_MS;
                LOG.info("gossip: alone after joining though seeds name other nodes; waiting up to "
                        + JOIN_GRACE_MS + " ms for a merge before contending for master");
            }
            Thread t = new Thread(this::contend, "gossip-master-lock");
            t.setDaemon(true);
            t.start();
        }
    }

    private boolean seedsNameOthers() {
        if (dnsQuery != null && !dnsQuery.isBlank()) {
            return true;
        }
        String self = host + ":" + port;
        return seeds.stream().anyMatch(seed -> !seed.equals(self));
    }

    private String lockName() {
        return "mysql-probe.master." + group;
    }

    private void publishRecord() {
        String role = !candidate ? "slave" : master ? "master" : "standby";
        NodeRecord r = new NodeRecord(manager.getNodeId(), nodeName, role, http, gossipAddress, group, !candidate);
        nodes.putAsync(manager.getNodeId(), ReportJson.write(r));
    }

    /** The fence's heartbeat: a long gap means this process was frozen; a frozen master steps down. */
    private void beat() {
        synchronized (fence) {
            long now = System.currentTimeMillis();
            long gap = now - lastBeat;
            lastBeat = now;
            if (gap > STALL_MS) {
                stall(gap);
            }
        }
    }

    /**
     * After a freeze this node's view is stale: the others have excluded it. It must not take the lock in a
     * partition of its own, so it contends again only once it sees a new view with another master candidate
     * in it (the merge), or after {@link #COOL_DOWN_MS}.
     */
    private void stall(long gap) {
        membersAtStall = manager.getNodes();
        contendAfter = System.currentTimeMillis() + COOL_DOWN_MS;
        if (master) {
            stepDown("this process was frozen for " + gap + " ms");
        } else {
            LOG.warning("gossip: this process was frozen for " + gap + " ms; not contending for master until "
                    + "the cluster has merged it back");
        }
    }

    private boolean mayContend() {
        List<String> stale = membersAtStall;
        if (stale == null) {
            return true;
        }
        List<String> now = manager.getNodes();
        boolean merged = !now.equals(stale) && otherCandidateIn(now);
        if (merged || System.currentTimeMillis() >= contendAfter) {
            membersAtStall = null;
            return true;
        }
        return false;
    }

    private boolean otherCandidateIn(List<String> members) {
        String self = manager.getNodeId();
        for (String id : members) {
            if (id.equals(self)) {
                continue;
            }
            String json = nodes.get(id);
            if (json != null && json.contains("\"slave\":false")) {
                return true;
            }
        }
        return false;
    }

    private void contend() {
        int failedAlone = 0;
        while (!closed) {
            try {
                if (master || !mayContend()) {
                    Thread.sleep(200);
                    continue;
                }
                Lock l = vertx.sharedData().getLockWithTimeout(lockName(), 2000)
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                failedAlone = 0;
                promote(l);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // timed out waiting: the lock is held by the master; try again
                if (closed) {
                    return;
                }
                failedAlone = otherCandidateIn(manager.getNodes()) ? 0 : failedAlone + 1;
                if (failedAlone >= STUCK_LOCK_ATTEMPTS) {
                    forceReleaseStuckLock();
                    failedAlone = 0;
                }
            }
        }
    }

    /**
     * The lock is held, yet no other master candidate is alive: its holder died or froze while the view was
     * changing (seen after a kill -STOP, a merge and a kill -9 in a row on an overloaded machine), and
     * Infinispan kept the ownership. Released by force so this node can take over; should another candidate
     * be alive unseen, the master record's fence makes one of the two step down.
     */
    private void forceReleaseStuckLock() {
        try {
            boolean released = org.infinispan.lock.EmbeddedClusteredLockManagerFactory.from(caches)
                    .forceRelease(lockName()).get(5, TimeUnit.SECONDS);
            LOG.warning("gossip: the master lock stayed held with no other master candidate alive; "
                    + (released ? "force-released it" : "force release refused"));
        } catch (Exception e) {
            LOG.warning("gossip: could not force-release a stuck master lock: " + e);
        }
    }

    private void promote(Lock l) {
        String previous;
        synchronized (fence) {
            if (closed || System.currentTimeMillis() - lastBeat > STALL_MS) {
                l.release();
                return;
            }
            lock = l;
            previous = masterRecord.get("published");
            masterRecord.put("master", manager.getNodeId());
            master = true;
            promotedAtMs = System.currentTimeMillis();
            promotions++;
        }
        LOG.info("gossip: this node is now the master of " + group + " (last window published by the previous "
                + "master: " + previous + ")");
        publishRecord();
        roles.changed(true, previous);
    }

    private void stepDown(String why) {
        Lock l;
        synchronized (fence) {
            if (!master) {
                return;
            }
            master = false;
            l = lock;
            lock = null;
        }
        LOG.warning("gossip: stepping down as master: " + why);
        try {
            if (l != null) {
                l.release();
            }
        } catch (RuntimeException e) {
            LOG.fine("lock release after step-down: " + e);
        }
        roles.changed(false, null);
        if (!closed) {
            publishRecord();
        }
    }

    /**
     * May this node broadcast the window starting at {@code startMs} now? True only for the lock holder whose
     * fence holds; records the window as published so a successor knows where to resume.
     */
    public boolean mayPublish(long startMs) {
        synchronized (fence) {
            if (!master) {
                return false;
            }
            long now = System.currentTimeMillis();
            if (now - lastBeat > STALL_MS) {
                long gap = now - lastBeat;
                lastBeat = now;
                stall(gap);
                return false;
            }
            String owner = masterRecord.get("master");
            if (owner != null && !owner.equals(manager.getNodeId())) {
                stepDown("the master record names " + owner);
                return false;
            }
            masterRecord.putAsync("published", Long.toString(startMs));
            return true;
        }
    }

    private void refresh() {
        try {
            List<String> members = manager.getNodes();
            Set<String> live = new HashSet<>(members);
            String self = manager.getNodeId();
            if (++refreshes % 4 == 0 || !nodes.containsKey(self)) {
                publishRecord(); // also re-adds it after a merge dropped this side's copy of the cache
            }
            Set<String> slaves = new HashSet<>();
            for (Map.Entry<String, String> e : nodes.entrySet()) {
                if (!live.contains(e.getKey())) {
                    if (master) {
                        nodes.removeAsync(e.getKey());
                    }
                    continue;
                }
                NodeRecord r = ReportJson.mapper().readValue(e.getValue(), NodeRecord.class);
                if (r.slave() && group.equals(r.group())) {
                    slaves.add(r.http());
                }
            }
            if (candidate) {
                slavesChanged.accept(slaves);
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "gossip refresh failed; next round retries", e);
        }
    }

    /** Every live member's record, plus which is master. */
    public Map<String, Object> topology() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        String masterId = null;
        try {
            masterId = masterRecord == null ? null : masterRecord.get("master");
            Set<String> live = new HashSet<>(manager.getNodes());
            for (Map.Entry<String, String> e : nodes.entrySet()) {
                if (!live.contains(e.getKey())) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = ReportJson.mapper().readValue(e.getValue(), LinkedHashMap.class);
                m.put("state", "alive");
                m.put("self", e.getKey().equals(manager.getNodeId()));
                list.add(m);
            }
        } catch (Exception e) {
            out.put("error", String.valueOf(e));
        }
        list.sort((a, b) -> String.valueOf(a.get("node")).compareTo(String.valueOf(b.get("node"))));
        out.put("group", group);
        out.put("state", state);
        out.put("gossip", gossipAddress);
        out.put("master_id", masterId);
        out.put("members", list);
        return out;
    }

    /** Live members' HTTP addresses (with or without this node's). */
    public List<String> memberHttpAddresses(boolean includeSelf) {
        List<String> out = new ArrayList<>();
        Set<String> live = new HashSet<>(manager.getNodes());
        String self = manager.getNodeId();
        for (Map.Entry<String, String> e : nodes.entrySet()) {
            if (!live.contains(e.getKey()) || (!includeSelf && e.getKey().equals(self))) {
                continue;
            }
            try {
                out.add(ReportJson.mapper().readValue(e.getValue(), NodeRecord.class).http());
            } catch (Exception ex) {
                LOG.fine("bad node record " + e.getKey() + ": " + ex);
            }
        }
        out.sort(null);
        return out;
    }

    public boolean isMaster() {
        return master;
    }

    public String gossipAddress() {
        return gossipAddress;
    }

    public long promotedAtMs() {
        return promotedAtMs;
    }

    public long promotions() {
        return promotions;
    }

    /** Leaves the cluster: steps down, drops the record, stops Vert.x and Infinispan. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (master) {
            stepDown("leaving the cluster");
        }
        closed = true;
        state = "left";
        timer.shutdownNow();
        try {
            if (nodes != null && manager != null) {
                nodes.remove(manager.getNodeId());
            }
        } catch (RuntimeException e) {
            LOG.fine("removing this node's record: " + e);
        }
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warning("gossip: closing Vert.x: " + e);
        }
        try {
            if (caches != null) {
                caches.stop();
            }
        } catch (RuntimeException e) {
            LOG.warning("gossip: stopping Infinispan: " + e);
        }
    }
}
