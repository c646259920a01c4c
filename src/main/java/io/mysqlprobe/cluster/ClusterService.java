package io.mysqlprobe.cluster;

import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.config.ProbeConfigChanged;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.mysqlprobe.report.Report;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node's cluster role and mode. {@code slave: false} makes a master candidate: in static mode a master
 * merging the slaves of {@code cluster.slaves} and {@code /cluster/join}; in gossip mode a standby merging
 * every slave member's stream in parallel, which publishes only while it holds the master lock. Slaves in
 * gossip mode join the cluster so masters find them. What differs per mode lives in a {@link ClusterMode};
 * this class holds the current one, the merge, and the publish path of merged windows ({@link #output}).
 */
@ApplicationScoped
public class ClusterService {

    /** A refused cluster operation with the HTTP status it maps to. */
    public static final class ClusterException extends RuntimeException {
        private final int status;

        public ClusterException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final PipelineView probe;
    private final ProbeSettings settings;
    private volatile PeerCalls peers;
    private volatile MasterMerge merge;
    private volatile ClusterMode mode;

    public ClusterService(PipelineView probe, ProbeSettings settings) {
        this.probe = probe;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent ev) {
        ProbeConfig c = settings.get();
        mode = new StandaloneMode(settings, null);
        probe.setRoleSource(this::role);
        PeerTransport transport = PeerTransport.of(c.tls());
        peers = new PeerCalls(transport, c.auth().token());
        if (!c.slave()) {
            merge = new MasterMerge(
                    probe.node(),
                    c.cluster().group(),
                    c.auth().token(),
                    transport,
                    c.cluster().graceMs(),
                    c.report().slowSamples(),
                    this::role,
                    this::output);
        }
        if (c.cluster().gossip()) {
            mode = startGossip(c.cluster().seeds());
        } else if (!c.slave()) {
            StaticState state = StaticState.load(
                    StaticState.locate(c.cluster().stateFile(), settings.file()),
                    c.cluster().slaves());
            mode = new StaticMode(state, merge, peers);
        } else {
            mode = new StandaloneMode(settings, merge);
        }
    }

    /** {@code cluster.slaves} edited in the config file: a static master follows it (see {@link StaticMode}). */
    void onConfigChanged(@Observes ProbeConfigChanged e) {
        List<String> before = e.before().cluster().slaves();
        List<String> after = e.after().cluster().slaves();
        if (!before.equals(after)) {
            mode.slavesEdited(before, after);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        ClusterMode m = mode;
        if (m != null) {
            m.close();
        }
        if (merge != null) {
            merge.close();
        }
    }

    private GossipMode startGossip(List<String> seeds) {
        GossipMode g = new GossipMode(settings, probe.node(), merge, this::roleChanged);
        g.start(seeds);
        return g;
    }

    /**
     * Where merged windows go: broadcast when the mode allows it (a static master, the gossip master whose
     * fence holds), else only kept for {@code ?since=} replays (a standby).
     */
    private void output(Report r) {
        if (mode.mayPublish(r.window().startMs())) {
            probe.backlog().publish(r);
        } else {
            probe.backlog().keep(r);
        }
    }

    /**
     * On promotion, the windows this node merged as a standby after the last one the previous master
     * published go out now, so clients connected to this node see no gap.
     */
    private void roleChanged(boolean master, String previousPublished) {
        if (!master) {
            return;
        }
        long after = previousPublished == null ? Long.MAX_VALUE : Long.parseLong(previousPublished);
        ClusterMode m = mode;
        for (Report r : probe.backlog().since(after)) {
            if (m.mayPublish(r.window().startMs())) {
                probe.backlog().rebroadcast(r);
            }
        }
    }

    public String mode() {
        return mode.name();
    }

    public String role() {
        ClusterMode m = mode;
        return m == null ? (settings.get().slave() ? "slave" : "master") : m.role();
    }

    /** {@code /cluster/listnodes}, with this node's own entry {@code self}. */
    public ClusterView.ListNodes listNodes(ClusterView.Node self) {
        ClusterMode m = mode;
        ClusterView.Topology topology = m.topology();
        String master = topology != null ? topology.masterId() : settings.get().slave() ? null : probe.node();
        MasterMerge mm = merge;
        List<ClusterView.Slave> slaves = mm == null ? List.of() : mm.slaves();
        ClusterView.Merge merging = mm == null
                ? null
                : new ClusterView.Merge(
                        slaves, mm.windows().lateReports(), mm.windows().duplicates(), m.stateFile());
        // the topology in one list: gossip → every live member; static master → itself and its slaves
        List<ClusterView.Node> nodes = new ArrayList<>();
        if (topology != null && !topology.members().isEmpty()) {
            nodes.addAll(topology.members());
        } else {
            nodes.add(self);
            if (!(m instanceof GossipMode)) {
                nodes.addAll(slaves);
            }
        }
        return new ClusterView.ListNodes(m.name(), m.role(), master, topology, self, merging, nodes);
    }

    /** Other members' HTTP addresses: gossip → every live member; static master → its slaves. */
    public List<String> otherMembers() {
        return mode.otherMembers();
    }

    /**
     * {@code /config/update?...&scope=cluster}: the same change on every other member (this node's token
     * goes along). Returns each member's answer (status and body); a member that fails does not stop others.
     */
    public Map<String, ClusterView.MemberAnswer> forwardConfig(String query) {
        return peers.forwardConfig(otherMembers(), query);
    }

    /** {@code /cluster/join?addr=}: static master → subscribe to the slave; gossip → (re)join via that member. */
    public ClusterView.Answer join(String addr) {
        String a = checkAddress(addr);
        if (!(mode instanceof GossipMode) && settings.get().cluster().gossip()) {
            GossipMode g = startGossip(List.of(a));
            mode = g;
            return new ClusterView.GossipJoined(
                    a, g.name(), settings.get().cluster().group());
        }
        return mode.join(a);
    }

    static String checkAddress(String addr) {
        if (addr == null || addr.isBlank()) {
            throw new ClusterException(400, "addr is required: host:port");
        }
        String a = addr.strip();
        int colon = a.lastIndexOf(':');
        try {
            if (colon > 0) {
                int p = Integer.parseInt(a.substring(colon + 1));
                if (p > 0 && p < 65536) {
                    return a;
                }
            }
        } catch (NumberFormatException ignored) {
            // message below
        }
        throw new ClusterException(400, "addr: \"" + addr + "\" is not host:port");
    }

    /** {@code /cluster/remove?addr=} (static master). */
    public ClusterView.Answer remove(String addr) {
        return mode.remove(checkAddress(addr));
    }

    /** {@code /cluster/leave}: static master → remove all slaves; gossip → leave, run standalone. */
    public ClusterView.Answer leave() {
        ClusterMode m = mode;
        ClusterView.Answer answer = m.leave();
        if (m instanceof GossipMode) {
            mode = new StandaloneMode(settings, merge);
        }
        return answer;
    }
}
