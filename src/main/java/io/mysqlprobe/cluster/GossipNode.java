package io.mysqlprobe.cluster;

import io.mysqlprobe.cluster.NodeDirectory.NodeRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * This node's membership of a gossip cluster: its {@link GossipTransport} (clustered Vert.x on Infinispan),
 * its record in the {@link NodeDirectory} (role, HTTP and gossip address, group), refreshed every 500 ms
 * together with the set of slave members to merge, and, on master candidates, the {@link MasterFence}: the
 * contest for the cluster-wide master lock and the fence that decides whether the master may publish.
 */
public final class GossipNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GossipNode.class.getName());
    private static final long REFRESH_MS = 500;

    private final String group;
    private final String host;
    private final int port;
    private final List<String> seeds;
    private final String dnsQuery;
    private final String nodeName;
    private final String http;
    private final boolean candidate;
    private final MasterFence.RoleListener roles;
    private final Consumer<Set<String>> slavesChanged;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "gossip");
        t.setDaemon(true);
        return t;
    });
    private volatile GossipTransport transport;
    private volatile NodeDirectory directory;
    private volatile MasterFence fence;
    private volatile boolean closed;
    private volatile String state = "joining";
    private int refreshes;

    /**
     * @param roles         told when this node becomes master (with the start of the last window the previous
     *                      master published) or stops being master
     * @param slavesChanged on candidates, every refresh: the HTTP addresses of the group's live slaves
     */
    public GossipNode(
            String group,
            String host,
            int port,
            List<String> seeds,
            String dnsQuery,
            String nodeName,
            String http,
            boolean candidate,
            MasterFence.RoleListener roles,
            Consumer<Set<String>> slavesChanged) {
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
        GossipTransport t = GossipTransport.start(group, host, port, seeds, dnsQuery);
        synchronized (this) {
            if (closed) { // left while joining
                t.close();
                return;
            }
            transport = t;
            directory = new NodeDirectory(t.cache(GossipConfig.NODES_CACHE));
            fence = new MasterFence(group, t, directory, this::roleChanged);
        }
        state = "joined";
        LOG.info("gossip: joined cluster " + group + " as " + t.nodeId() + " (gossip " + t.gossipAddress() + ", "
                + t.members().size() + " members)");
        publishRecord();
        fence.startHeartbeat(timer);
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
        if (candidate) {
            fence.startContending(t.members().size() == 1 && seedsNameOthers());
        }
    }

    private boolean seedsNameOthers() {
        if (dnsQuery != null && !dnsQuery.isBlank()) {
            return true;
        }
        String self = host + ":" + port;
        return seeds.stream().anyMatch(seed -> !seed.equals(self));
    }

    private void publishRecord() {
        String role = !candidate ? "slave" : fence.isMaster() ? "master" : "standby";
        directory.publish(
                new NodeRecord(transport.nodeId(), nodeName, role, http, transport.gossipAddress(), group, !candidate));
    }

    /** The fence's news: the record says the new role before the listener acts on it (or after it stepped down). */
    private void roleChanged(boolean master, String previousPublished) {
        if (master) {
            publishRecord();
            roles.changed(true, previousPublished);
        } else {
            roles.changed(false, null);
            if (!closed) {
                publishRecord();
            }
        }
    }

    private void refresh() {
        try {
            List<String> members = transport.members();
            if (++refreshes % 4 == 0 || !directory.contains(transport.nodeId())) {
                publishRecord(); // also re-adds it after a merge dropped this side's copy of the cache
            }
            if (fence.isMaster()) {
                directory.prune(members);
            }
            Set<String> slaves = directory.live(members).stream()
                    .map(NodeDirectory.Entry::record)
                    .filter(r -> r.slave() && group.equals(r.group()))
                    .map(NodeRecord::http)
                    .collect(Collectors.toSet());
            if (candidate) {
                slavesChanged.accept(slaves);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "gossip refresh failed; next round retries", e);
        }
    }

    /**
     * May this node broadcast the window starting at {@code startMs} now? True only for the master whose fence
     * holds (see {@link MasterFence#mayPublish}).
     */
    public boolean mayPublish(long startMs) {
        MasterFence f = fence;
        return f != null && f.mayPublish(startMs);
    }

    /** Every live member's record, plus which is master. */
    public ClusterView.Topology topology() {
        GossipTransport t = transport;
        if (t == null) { // still joining
            return new ClusterView.Topology(null, group, state, null, null, List.of());
        }
        String gossip = t.gossipAddress();
        try {
            String masterId = fence.masterId();
            String self = t.nodeId();
            List<ClusterView.Member> members = directory.live(t.members()).stream()
                    .map(e -> ClusterView.Member.of(e.record(), e.key().equals(self)))
                    .sorted(Comparator.comparing(m -> String.valueOf(m.node())))
                    .toList();
            return new ClusterView.Topology(null, group, state, gossip, masterId, members);
        } catch (RuntimeException e) {
            return new ClusterView.Topology(String.valueOf(e), group, state, gossip, null, List.of());
        }
    }

    /** Live members' HTTP addresses (with or without this node's), sorted. */
    public List<String> memberHttpAddresses(boolean includeSelf) {
        GossipTransport t = transport;
        if (t == null) {
            return List.of();
        }
        String self = t.nodeId();
        return directory.live(t.members()).stream()
                .filter(e -> includeSelf || !e.key().equals(self))
                .map(e -> e.record().http())
                .sorted()
                .toList();
    }

    public boolean isMaster() {
        MasterFence f = fence;
        return f != null && f.isMaster();
    }

    /** Leaves the cluster: steps down, drops the record, stops Vert.x and Infinispan. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (fence != null) {
            fence.close(); // steps down while the record can still say so
        }
        closed = true;
        state = "left";
        timer.shutdownNow();
        GossipTransport t = transport;
        if (t == null) {
            return;
        }
        try {
            directory.remove(t.nodeId());
        } catch (RuntimeException e) {
            LOG.fine("removing this node's record: " + e);
        }
        t.close();
    }
}
