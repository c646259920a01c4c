package io.mysqlprobe.cluster;

import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.pipeline.ProbeSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A member of a gossip cluster. Master candidates merge every slave member's stream in parallel and publish
 * only while they hold the master lock ({@link MasterFence}); slaves join so the candidates find them. The
 * {@link GossipNode} joins in the background; if it cannot, the node runs as if alone (a candidate keeps its
 * windows, as a standby does) until {@code /cluster/join} tries again.
 */
final class GossipMode implements ClusterMode {

    private static final Logger LOG = Logger.getLogger(GossipMode.class.getName());

    private final ProbeSettings settings;
    private final String nodeName;
    private final MasterMerge merge;
    private final MasterFence.RoleListener roles;
    private volatile GossipNode node;

    /**
     * @param merge the node's merge when it is a master candidate, else null
     * @param roles told of this node's promotions and step-downs
     */
    GossipMode(ProbeSettings settings, String nodeName, MasterMerge merge, MasterFence.RoleListener roles) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.merge = merge;
        this.roles = roles;
    }

    /** Starts joining the cluster through {@code seeds} in the background. */
    void start(List<String> seeds) {
        ProbeConfig c = settings.get();
        String host = advertisedHost(c);
        GossipNode g = new GossipNode(
                c.cluster().group(),
                host,
                c.cluster().port(),
                seeds,
                c.cluster().dnsQuery(),
                nodeName,
                host + ":" + c.serverPort(),
                !c.slave(),
                roles,
                this::retainSlaves);
        node = g;
        Thread t = new Thread(
                () -> {
                    try {
                        g.start();
                    } catch (Exception e) {
                        LOG.log(
                                Level.SEVERE,
                                "gossip: cannot join cluster " + c.cluster().group() + "; running standalone",
                                e);
                        g.close();
                        if (node == g) {
                            node = null;
                        }
                    }
                },
                "gossip-join");
        t.setDaemon(true);
        t.start();
    }

    private void retainSlaves(Set<String> slaves) {
        if (merge != null) {
            merge.retain(slaves);
        }
    }

    static String advertisedHost(ProbeConfig c) {
        if (c.cluster().host() != null) {
            return c.cluster().host();
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }

    @Override
    public String name() {
        return "gossip";
    }

    @Override
    public String role() {
        if (settings.get().slave()) {
            return "slave";
        }
        GossipNode g = node;
        return g == null || g.isMaster() ? "master" : "standby";
    }

    @Override
    public ClusterView.Topology topology() {
        GossipNode g = node;
        return g == null ? null : g.topology();
    }

    @Override
    public List<String> otherMembers() {
        GossipNode g = node;
        if (g != null) {
            return g.memberHttpAddresses(false);
        }
        return merge == null ? List.of() : new ArrayList<>(merge.addresses());
    }

    /** Only the master whose fence holds broadcasts; a standby keeps its windows for replays. */
    @Override
    public boolean mayPublish(long startMs) {
        GossipNode g = node;
        return g != null && g.mayPublish(startMs);
    }

    /** Leaves the current cluster (if any) and joins again through the member at {@code address}. */
    @Override
    public ClusterView.Answer join(String address) {
        close();
        start(List.of(address));
        return new ClusterView.GossipJoined(
                address, name(), settings.get().cluster().group());
    }

    @Override
    public ClusterView.Answer remove(String address) {
        throw new ClusterService.ClusterException(
                409, "gossip mode: members leave by themselves (/cluster/leave on that node)");
    }

    /** Leaves the cluster: the node runs standalone from now on (the caller swaps the mode). */
    @Override
    public ClusterView.Answer leave() {
        close();
        retainSlaves(Set.of());
        return new ClusterView.Left(
                settings.get().cluster().group(),
                StandaloneMode.name(settings.get().slave()));
    }

    @Override
    public void close() {
        GossipNode g = node;
        node = null;
        if (g != null) {
            g.close();
        }
    }
}
