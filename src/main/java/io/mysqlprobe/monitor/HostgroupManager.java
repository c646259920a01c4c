package io.mysqlprobe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mysqlprobe.monitor.MonitorConfig.ReplicationHostgroup;
import io.mysqlprobe.monitor.MonitorConfig.ServerConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The monitor's view of {@code runtime_mysql_servers}: which server sits in which hostgroup with which
 * status, and the rules that change it (ProxySQL's MySQL_HostGroups_Manager, reduced to what the monitor
 * decides). Plain Java, one lock; events are delivered after the lock is released.
 *
 * <ul>
 *   <li>ping: ping_max_failures failures in a row → SHUNNED in every hostgroup + {@link
 *       MonitorEvent.KillConnections}; the next successful ping → back.
 *   <li>replication lag: lag &gt; max_replication_lag (when that is &gt; 0) → SHUNNED_REPLICATION_LAG,
 *       lag ≤ max_replication_lag → back. A server in a writer hostgroup is never shunned for lag, so a
 *       NULL Seconds_Behind_Master (slave_lag_when_null) cannot take the writer away.
 *   <li>read_only per replication hostgroup: 0 → in writer_hostgroup (and also kept/added in the reader
 *       hostgroup when writer_is_also_reader, removed from it otherwise); 1 → in reader_hostgroup, removed
 *       from writer_hostgroup. read_only_max_timeout_count timeouts in a row count as read_only=1.
 *   <li>OFFLINE_SOFT / OFFLINE_HARD come from configuration and win over the rules above.
 * </ul>
 */
public final class HostgroupManager {

    /** One row of {@code /monitor/servers}; the first five names are ProxySQL's runtime_mysql_servers columns. */
    public record ServerView(
            @JsonProperty("hostgroup_id") int hostgroupId,
            @JsonProperty("hostname") String hostname,
            @JsonProperty("port") int port,
            @JsonProperty("status") ServerStatus status,
            @JsonProperty("max_replication_lag") int maxReplicationLag,
            @JsonProperty("ping_failures") int pingFailures,
            @JsonProperty("repl_lag") Integer replLag,
            @JsonProperty("read_only") Integer readOnly) {}

    /** A read_only check to run: this endpoint, with this check type. */
    public record ReadOnlyTarget(Endpoint endpoint, ReadOnlyCheckType checkType) {}

    private record Key(int hostgroup, Endpoint endpoint) {}

    private static final class Entry {
        final int hostgroup;
        final Endpoint endpoint;
        final int maxReplicationLag;
        final ServerStatus adminStatus;
        boolean lagShunned;
        ServerStatus reported;

        Entry(int hostgroup, Endpoint endpoint, int maxReplicationLag, ServerStatus adminStatus) {
            this.hostgroup = hostgroup;
            this.endpoint = endpoint;
            this.maxReplicationLag = maxReplicationLag;
            this.adminStatus = adminStatus;
        }
    }

    private static final class EndpointState {
        int pingFailures;
        boolean pingShunned;
        int readOnlyTimeouts;
        Integer lastReadOnly;
        Integer lastLag;
    }

    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::hostgroup)
            .thenComparing(k -> k.endpoint().hostname())
            .thenComparingInt(k -> k.endpoint().port());

    private final Consumer<MonitorEvent> sink;
    private final LongSupplier clockMs;
    private Map<Key, Entry> entries = new TreeMap<>(ORDER);
    private final Map<Endpoint, EndpointState> endpoints = new HashMap<>();
    private MonitorConfig config = MonitorConfig.defaults();
    private volatile long version;

    public HostgroupManager(Consumer<MonitorEvent> sink, LongSupplier clockMs) {
        this.sink = sink;
        this.clockMs = clockMs;
    }

    /** Applies a configuration. The same servers keep their state; a changed topology is rebuilt. */
    public void configure(MonitorConfig c) {
        List<MonitorEvent> events = new ArrayList<>();
        synchronized (this) {
            boolean sameTopology = c.servers().equals(config.servers())
                    && c.replicationHostgroups().equals(config.replicationHostgroups())
                    && c.writerIsAlsoReader() == config.writerIsAlsoReader()
                    && !entries.isEmpty();
            config = c;
            if (!sameTopology) {
                rebuild(c, events);
            }
        }
        events.forEach(sink);
    }

    private void rebuild(MonitorConfig c, List<MonitorEvent> events) {
        Map<Key, Entry> old = entries;
        Map<Key, Entry> next = new TreeMap<>(ORDER);
        for (ServerConfig s : c.servers()) {
            Key k = new Key(s.hostgroup(), s.endpoint());
            Entry e = new Entry(s.hostgroup(), s.endpoint(), s.maxReplicationLag(), s.status());
            Entry before = old.get(k);
            if (before != null) {
                e.lagShunned = before.lagShunned;
                e.reported = before.reported;
            }
            next.put(k, e);
        }
        entries = next;
        Set<Endpoint> present = new LinkedHashSet<>();
        next.keySet().forEach(k -> present.add(k.endpoint()));
        endpoints.keySet().retainAll(present);
        for (Endpoint ep : present) {
            EndpointState st = endpoints.computeIfAbsent(ep, x -> new EndpointState());
            if (st.lastReadOnly != null) {
                for (ReplicationHostgroup rh : c.replicationHostgroups()) {
                    applyReadOnly(rh, ep, st.lastReadOnly != 0, "last read_only=" + st.lastReadOnly, events);
                }
            }
        }
        for (Entry e : entries.values()) {
            if (e.reported == null) {
                e.reported = statusOf(e);
            }
        }
        recompute(null, "configuration", events);
        version++;
    }

    /** Result of one ping: {@code ok} false for any error or timeout. */
    public void onPing(Endpoint ep, boolean ok) {
        List<MonitorEvent> events = new ArrayList<>();
        synchronized (this) {
            EndpointState st = endpoints.get(ep);
            if (st == null) {
                return;
            }
            if (ok) {
                st.pingFailures = 0;
                if (st.pingShunned) {
                    st.pingShunned = false;
                    recompute(ep, "ping succeeded again", events);
                }
            } else {
                st.pingFailures++;
                if (!st.pingShunned && st.pingFailures >= config.pingMaxFailures()) {
                    st.pingShunned = true;
                    String reason = st.pingFailures + " pings missed in a row (ping_max_failures="
                            + config.pingMaxFailures() + ")";
                    events.add(new MonitorEvent.KillConnections(clockMs.getAsLong(), ep.hostname(), ep.port(), reason));
                    recompute(ep, reason, events);
                }
            }
        }
        events.forEach(sink);
    }

    /** Result of one lag check: seconds behind (NULL already replaced by slave_lag_when_null); null = failed. */
    public void onReplicationLag(Endpoint ep, Integer lagSeconds) {
        List<MonitorEvent> events = new ArrayList<>();
        synchronized (this) {
            EndpointState st = endpoints.get(ep);
            if (st == null || lagSeconds == null) {
                return;
            }
            st.lastLag = lagSeconds;
            for (Entry e : entries.values()) {
                if (!e.endpoint.equals(ep) || e.maxReplicationLag <= 0) {
                    continue;
                }
                e.lagShunned = !isWriterHostgroup(e.hostgroup) && lagSeconds > e.maxReplicationLag;
            }
            recompute(ep, "repl_lag=" + lagSeconds + "s", events);
        }
        events.forEach(sink);
    }

    /**
     * Result of one read_only check of {@code type}: {@code readOnly} 0 or 1, or null when the check
     * failed ({@code timedOut} says whether by timeout).
     */
    public void onReadOnly(Endpoint ep, ReadOnlyCheckType type, Integer readOnly, boolean timedOut) {
        List<MonitorEvent> events = new ArrayList<>();
        synchronized (this) {
            EndpointState st = endpoints.get(ep);
            if (st == null) {
                return;
            }
            String reason;
            if (readOnly == null) {
                if (!timedOut) {
                    return;
                }
                st.readOnlyTimeouts++;
                if (st.readOnlyTimeouts < config.readOnlyMaxTimeoutCount()) {
                    return;
                }
                readOnly = 1;
                reason = st.readOnlyTimeouts + " read_only checks timed out in a row (read_only_max_timeout_count="
                        + config.readOnlyMaxTimeoutCount() + ")";
            } else {
                st.readOnlyTimeouts = 0;
                reason = "read_only=" + readOnly;
            }
            st.lastReadOnly = readOnly;
            boolean changed = false;
            for (ReplicationHostgroup rh : config.replicationHostgroups()) {
                if (rh.checkType() == type) {
                    changed |= applyReadOnly(rh, ep, readOnly != 0, reason, events);
                }
            }
            if (changed) {
                version++;
            }
            recompute(ep, reason, events);
        }
        events.forEach(sink);
    }

    private boolean applyReadOnly(
            ReplicationHostgroup rh, Endpoint ep, boolean readOnly, String reason, List<MonitorEvent> events) {
        Key wk = new Key(rh.writerHostgroup(), ep);
        Key rk = new Key(rh.readerHostgroup(), ep);
        Entry w = entries.get(wk);
        Entry r = entries.get(rk);
        if (w == null && r == null) {
            return false;
        }
        Entry template = w != null ? w : r;
        boolean changed = false;
        if (!readOnly) {
            if (w == null) {
                changed |= add(wk, template, reason, events);
            }
            if (config.writerIsAlsoReader()) {
                if (r == null) {
                    changed |= add(rk, template, reason, events);
                }
            } else if (r != null) {
                changed |= remove(rk, reason, events);
            }
        } else {
            if (r == null) {
                changed |= add(rk, template, reason, events);
            }
            if (w != null) {
                changed |= remove(wk, reason, events);
            }
        }
        return changed;
    }

    private boolean add(Key k, Entry template, String reason, List<MonitorEvent> events) {
        Entry e = new Entry(k.hostgroup(), k.endpoint(), template.maxReplicationLag, template.adminStatus);
        e.reported = statusOf(e);
        entries.put(k, e);
        events.add(new MonitorEvent.HostgroupChanged(
                clockMs.getAsLong(),
                k.hostgroup(),
                k.endpoint().hostname(),
                k.endpoint().port(),
                true,
                reason));
        return true;
    }

    private boolean remove(Key k, String reason, List<MonitorEvent> events) {
        entries.remove(k);
        events.add(new MonitorEvent.HostgroupChanged(
                clockMs.getAsLong(),
                k.hostgroup(),
                k.endpoint().hostname(),
                k.endpoint().port(),
                false,
                reason));
        return true;
    }

    private boolean isWriterHostgroup(int hostgroup) {
        for (ReplicationHostgroup rh : config.replicationHostgroups()) {
            if (rh.writerHostgroup() == hostgroup) {
                return true;
            }
        }
        return false;
    }

    private ServerStatus statusOf(Entry e) {
        if (e.adminStatus != ServerStatus.ONLINE) {
            return e.adminStatus;
        }
        EndpointState st = endpoints.get(e.endpoint);
        if (st != null && st.pingShunned) {
            return ServerStatus.SHUNNED;
        }
        return e.lagShunned ? ServerStatus.SHUNNED_REPLICATION_LAG : ServerStatus.ONLINE;
    }

    private void recompute(Endpoint only, String reason, List<MonitorEvent> events) {
        for (Entry e : entries.values()) {
            if (only != null && !e.endpoint.equals(only)) {
                continue;
            }
            ServerStatus now = statusOf(e);
            if (now != e.reported) {
                events.add(new MonitorEvent.StatusChanged(
                        clockMs.getAsLong(),
                        e.hostgroup,
                        e.endpoint.hostname(),
                        e.endpoint.port(),
                        e.reported,
                        now,
                        reason));
                e.reported = now;
            }
        }
    }

    // ---------------------------------------------------------------- views and targets

    /** Bumped whenever membership changes, so schedulers know to refresh their targets. */
    public long version() {
        return version;
    }

    public synchronized List<ServerView> snapshot() {
        List<ServerView> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            EndpointState st = endpoints.get(e.endpoint);
            out.add(new ServerView(
                    e.hostgroup,
                    e.endpoint.hostname(),
                    e.endpoint.port(),
                    e.reported,
                    e.maxReplicationLag,
                    st == null ? 0 : st.pingFailures,
                    st == null ? null : st.lastLag,
                    st == null ? null : st.lastReadOnly));
        }
        return out;
    }

    /** Status of one server in one hostgroup, or null when it is not there. */
    public synchronized ServerStatus status(int hostgroup, Endpoint ep) {
        Entry e = entries.get(new Key(hostgroup, ep));
        return e == null ? null : e.reported;
    }

    /** Endpoints to connect to and ping: every server not OFFLINE_HARD in all its hostgroups. */
    public synchronized List<Endpoint> pingTargets() {
        Set<Endpoint> out = new LinkedHashSet<>();
        for (Entry e : entries.values()) {
            if (e.adminStatus != ServerStatus.OFFLINE_HARD) {
                out.add(e.endpoint);
            }
        }
        return List.copyOf(out);
    }

    /** Endpoints whose lag matters: max_replication_lag &gt; 0 somewhere. */
    public synchronized List<Endpoint> replicationLagTargets() {
        Set<Endpoint> out = new LinkedHashSet<>();
        for (Entry e : entries.values()) {
            if (e.adminStatus != ServerStatus.OFFLINE_HARD && e.maxReplicationLag > 0) {
                out.add(e.endpoint);
            }
        }
        return List.copyOf(out);
    }

    /** (endpoint, check_type) pairs for servers in a replication hostgroup's writer or reader hostgroup. */
    public synchronized List<ReadOnlyTarget> readOnlyTargets() {
        Set<ReadOnlyTarget> out = new LinkedHashSet<>();
        for (Entry e : entries.values()) {
            if (e.adminStatus == ServerStatus.OFFLINE_HARD) {
                continue;
            }
            for (ReplicationHostgroup rh : config.replicationHostgroups()) {
                if (rh.writerHostgroup() == e.hostgroup || rh.readerHostgroup() == e.hostgroup) {
                    out.add(new ReadOnlyTarget(e.endpoint, rh.checkType()));
                }
            }
        }
        return List.copyOf(out);
    }
}
