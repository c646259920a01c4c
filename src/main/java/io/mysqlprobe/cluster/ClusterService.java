package io.mysqlprobe.cluster;

import io.mysqlprobe.ProbeService;
import io.mysqlprobe.ProbeSettings;
import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.report.Report;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's cluster role and mode. {@code slave: false} makes a master candidate: in static mode a master
 * merging the slaves of {@code cluster.slaves} and {@code /cluster/join}; in gossip mode a standby merging
 * every slave member's stream in parallel, which publishes only while it holds the master lock. Slaves in
 * gossip mode join the cluster so masters find them.
 */
@ApplicationScoped
public class ClusterService {

    private static final Logger LOG = Logger.getLogger(ClusterService.class.getName());

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

    private final ProbeService probe;
    private final ProbeSettings settings;
    private volatile PeerTransport peers = PeerTransport.plain();
    private volatile MasterMerge merge;
    private volatile StaticState staticState;
    private volatile GossipNode gossip;
    private volatile boolean gossipMode;

    public ClusterService(ProbeService probe, ProbeSettings settings) {
        this.probe = probe;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent ev) {
        ProbeConfig c = settings.get();
        probe.setRoleSource(this::role);
        peers = PeerTransport.of(c.tls());
        if (!c.slave()) {
            merge = new MasterMerge(probe.node(), c.cluster().group(), c.auth().token(), peers, c.cluster().graceMs(),
                    c.report().slowSamples(), this::role, this::output);
        }
        if (c.cluster().gossip()) {
            gossipMode = true;
            startGossip(c.cluster().seeds());
        } else if (!c.slave()) {
            staticState = StaticState.load(StaticState.locate(c.cluster().stateFile(), settings.file()),
                    c.cluster().slaves());
            staticState.slaves().forEach(merge::add);
            LOG.info("static master: subscribing to " + staticState.slaves() + " (state file "
                    + staticState.file() + ")");
        }
    }

    /**
     * {@code cluster.slaves} edited in the config file (static master): the slaves added are subscribed, the
     * ones removed dropped — as /cluster/join and /cluster/remove would, and persisted the same way.
     */
    void onConfigChanged(@Observes io.mysqlprobe.ProbeConfigChanged e) {
        List<String> before = e.before().cluster().slaves();
        List<String> after = e.after().cluster().slaves();
        if (before.equals(after) || staticState == null || gossipMode) {
            return;
        }
        for (String a : after) {
            if (!before.contains(a)) {
                staticState.add(a);
                merge.add(a);
                LOG.info("cluster.slaves: subscribed to " + a);
            }
        }
        for (String a : before) {
            if (!after.contains(a) && staticState.remove(a)) {
                merge.remove(a);
                LOG.info("cluster.slaves: removed " + a);
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        GossipNode g = gossip;
        gossip = null;
        if (g != null) {
            g.close();
        }
        if (merge != null) {
            merge.close();
        }
    }

    private void startGossip(List<String> seeds) {
        ProbeConfig c = settings.get();
        String host = advertisedHost(c);
        GossipNode g = new GossipNode(c.cluster().group(), host, c.cluster().port(), seeds, c.cluster().dnsQuery(),
                probe.node(), host + ":" + c.serverPort(), !c.slave(), this::roleChanged,
                slaves -> {
                    MasterMerge m = merge;
                    if (m != null) {
                        m.retain(slaves);
                    }
                });
        gossip = g;
        Thread t = new Thread(() -> {
            try {
                g.start();
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "gossip: cannot join cluster " + c.cluster().group()
                        + "; running standalone", e);
                g.close();
                if (gossip == g) {
                    gossip = null;
                }
            }
        }, "gossip-join");
        t.setDaemon(true);
        t.start();
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

    /** Where merged windows go: broadcast by the active master, only kept (for replays) by a standby. */
    private void output(Report r) {
        GossipNode g = gossip;
        if (!gossipMode || (g != null && g.mayPublish(r.window().startMs()))) {
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
        GossipNode g = gossip;
        for (Report r : probe.backlog().since(after)) {
            if (g != null && g.mayPublish(r.window().startMs())) {
                probe.backlog().rebroadcast(r);
            }
        }
    }

    public String mode() {
        ProbeConfig c = settings.get();
        if (gossipMode) {
            return "gossip";
        }
        return c.slave() ? "standalone" : "static";
    }

    public String role() {
        if (settings.get().slave()) {
            return "slave";
        }
        GossipNode g = gossip;
        if (!gossipMode || g == null) {
            return "master";
        }
        return g.isMaster() ? "master" : "standby";
    }

    /** {@code /cluster/listnodes}. */
    public Map<String, Object> listNodes(Map<String, Object> self) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode());
        out.put("role", role());
        GossipNode g = gossip;
        MasterMerge m = merge;
        if (gossipMode && g != null) {
            Map<String, Object> topo = g.topology();
            out.put("master", topo.get("master_id"));
            out.putAll(topo);
        } else if (!settings.get().slave()) {
            out.put("master", probe.node());
        } else {
            out.put("master", null);
        }
        out.put("self", self);
        if (m != null) {
            out.put("slaves", m.slaves());
            out.put("late_reports", m.windows().lateReports());
            out.put("duplicate_reports", m.windows().duplicates());
            if (staticState != null) {
                out.put("state_file", staticState.file().toString());
            }
        }
        out.put("nodes", nodesList(self, m, out.get("members")));
        return out;
    }

    /** The topology in one list: gossip → every live member; static master → itself and its slaves. */
    private List<Object> nodesList(Map<String, Object> self, MasterMerge m, Object members) {
        if (gossipMode && members instanceof List<?> l && !l.isEmpty()) {
            return new java.util.ArrayList<>(l);
        }
        List<Object> nodes = new java.util.ArrayList<>();
        nodes.add(self);
        if (!gossipMode && m != null) {
            nodes.addAll(m.slaves());
        }
        return nodes;
    }

    /** Other members' HTTP addresses: gossip → every live member; static master → its slaves. */
    public List<String> otherMembers() {
        GossipNode g = gossip;
        if (gossipMode && g != null) {
            return g.memberHttpAddresses(false);
        }
        MasterMerge m = merge;
        return m == null ? List.of() : new java.util.ArrayList<>(m.addresses());
    }

    /**
     * {@code /config/update?...&scope=cluster}: the same change on every other member (this node's token
     * goes along). Returns each member's answer (status and body); a member that fails does not stop others.
     */
    public Map<String, Object> forwardConfig(String query) {
        Map<String, Object> out = new java.util.TreeMap<>();
        String token = settings.get().auth().token();
        for (String a : otherMembers()) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(peers.http(a, "/config/update?" + query))
                        .timeout(Duration.ofSeconds(5)).GET();
                if (token != null) {
                    b.header("Authorization", "Bearer " + token);
                }
                HttpResponse<String> r = peers.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
                out.put(a, Map.of("status", r.statusCode(), "body", r.body()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.put(a, Map.of("status", 503, "body", "interrupted"));
            } catch (Exception e) {
                out.put(a, Map.of("status", 502, "body", String.valueOf(e)));
            }
        }
        return out;
    }

    /** {@code /cluster/join?addr=}: static master → subscribe to the slave; gossip → (re)join via that member. */
    public Map<String, Object> join(String addr) {
        String a = checkAddress(addr);
        if (gossipMode || settings.get().cluster().gossip()) {
            GossipNode old = gossip;
            gossip = null;
            if (old != null) {
                old.close();
            }
            gossipMode = true;
            startGossip(List.of(a));
            return Map.of("joined", a, "mode", "gossip", "group", settings.get().cluster().group());
        }
        if (settings.get().slave()) {
            throw new ClusterException(409, "this node runs standalone (a slave, not in gossip mode): "
                    + "join it from its master "
                    + "(GET /cluster/join?addr=THIS_NODE on the master)");
        }
        String node = probeAt(a);
        boolean added = staticState.add(a);
        merge.add(a);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("joined", a);
        out.put("node", node);
        out.put("already_member", !added);
        return out;
    }

    /** Checks that {@code addr} answers as a probe; returns its node name. */
    private String probeAt(String a) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(peers.http(a, "/cluster/listnodes"))
                    .timeout(Duration.ofSeconds(3)).GET();
            String token = settings.get().auth().token();
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = peers.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new ClusterException(502, a + " answered HTTP " + r.statusCode() + " to /cluster/listnodes: "
                        + "not a mysql-probe node");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = io.mysqlprobe.report.ReportJson.mapper().readValue(r.body(), Map.class);
            Object self = m.get("self");
            if (!(m.containsKey("mode")) || !(self instanceof Map<?, ?> s)) {
                throw new ClusterException(502, a + " is not a mysql-probe node (unexpected /cluster/listnodes)");
            }
            return String.valueOf(s.get("node"));
        } catch (ClusterException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException(503, "interrupted");
        } catch (Exception e) {
            throw new ClusterException(502, "cannot reach a mysql-probe node at " + a + ": " + e);
        }
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
    public Map<String, Object> remove(String addr) {
        String a = checkAddress(addr);
        if (gossipMode) {
            throw new ClusterException(409, "gossip mode: members leave by themselves (/cluster/leave on that node)");
        }
        if (staticState == null) {
            throw new ClusterException(409, "this node is a slave: remove it on its master");
        }
        if (!staticState.remove(a)) {
            throw new ClusterException(404, "no slave " + a + " on this master; see /cluster/listnodes");
        }
        merge.remove(a);
        return Map.of("removed", a);
    }

    /** {@code /cluster/leave}: static master → remove all slaves; gossip → leave, run standalone. */
    public Map<String, Object> leave() {
        if (gossipMode) {
            GossipNode g = gossip;
            gossip = null;
            gossipMode = false;
            if (g != null) {
                g.close();
            }
            MasterMerge m = merge;
            if (m != null) {
                m.retain(java.util.Set.of());
            }
            return Map.of("left", settings.get().cluster().group(), "mode", mode());
        }
        if (staticState == null) {
            throw new ClusterException(409, "this node is a slave in static mode: remove it on its master");
        }
        List<String> was = staticState.clear();
        was.forEach(merge::remove);
        return Map.of("removed", was);
    }
}
