package io.mysqlprobe.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mysqlprobe.report.ReportJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.infinispan.Cache;

/**
 * The replicated directory of gossip members: one {@link NodeRecord} per node id, stored as its JSON (the
 * format every node of this version writes and reads) in the {@link GossipConfig#NODES_CACHE} cache. Records
 * of nodes no longer in the view are skipped, and a record that does not parse is logged and skipped.
 */
final class NodeDirectory {

    private static final Logger LOG = Logger.getLogger(NodeDirectory.class.getName());

    /** A node as the others see it; {@code slave} nodes never contend for master. */
    record NodeRecord(String id, String node, String role, String http, String gossip, String group, boolean slave) {

        String json() {
            return ReportJson.write(this);
        }

        static NodeRecord parse(String json) throws JsonProcessingException {
            return ReportJson.mapper().readValue(json, NodeRecord.class);
        }
    }

    /** A live record and its key (the node id it was published under). */
    record Entry(String key, NodeRecord record) {}

    private final Cache<String, String> nodes;

    NodeDirectory(Cache<String, String> nodes) {
        this.nodes = nodes;
    }

    void publish(NodeRecord r) {
        nodes.putAsync(r.id(), r.json());
    }

    boolean contains(String id) {
        return nodes.containsKey(id);
    }

    void remove(String id) {
        nodes.remove(id);
    }

    /** Drops the records of nodes that left the view (done by the master only, so one node does it). */
    void prune(Collection<String> members) {
        Set<String> live = new HashSet<>(members);
        for (String id : nodes.keySet()) {
            if (!live.contains(id)) {
                nodes.removeAsync(id);
            }
        }
    }

    /** The records of the members of the view, in no particular order. */
    List<Entry> live(Collection<String> members) {
        Set<String> live = new HashSet<>(members);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, String> e : nodes.entrySet()) {
            if (!live.contains(e.getKey())) {
                continue;
            }
            try {
                out.add(new Entry(e.getKey(), NodeRecord.parse(e.getValue())));
            } catch (JsonProcessingException ex) {
                LOG.fine("bad node record " + e.getKey() + ": " + ex.getOriginalMessage());
            }
        }
        return out;
    }

    /** Is a member other than {@code self} a master candidate? */
    boolean otherCandidateIn(List<String> members, String self) {
        for (String id : members) {
            if (id.equals(self)) {
                continue;
            }
            String json = nodes.get(id);
            if (json == null) {
                continue;
            }
            try {
                if (!NodeRecord.parse(json).slave()) {
                    return true;
                }
            } catch (JsonProcessingException e) {
                LOG.fine("bad node record " + id + ": " + e.getOriginalMessage());
            }
        }
        return false;
    }
}
