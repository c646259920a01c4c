package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records of the cluster API write the JSON the maps before them wrote: the same names in the same order,
 * nulls written, and a mode's fields left out when the node is not in that mode. Serialised with a plain
 * {@link ObjectMapper}, as the REST layer's (no naming strategy of its own).
 */
class ClusterViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Self(String node) implements ClusterView.Node {}

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void gossipListNodes() {
        ClusterView.Member m = ClusterView.Member.of(
                new NodeDirectory.NodeRecord("id1", "n1", "standby", "h:1", "g:1", "grp", false), true);
        ClusterView.Topology topo = new ClusterView.Topology(null, "grp", "joined", "g:1", null, List.of(m));
        ClusterView.ListNodes l = new ClusterView.ListNodes(
                "gossip",
                "standby",
                null,
                topo,
                new Self("n1"),
                new ClusterView.Merge(List.of(), 2, 3, null),
                List.of(m));
        JsonNode j = JSON.valueToTree(l);
        assertEquals(
                List.of(
                        "mode",
                        "role",
                        "master",
                        "group",
                        "state",
                        "gossip",
                        "master_id",
                        "members",
                        "self",
                        "slaves",
                        "late_reports",
                        "duplicate_reports",
                        "nodes"),
                names(j));
        assertEquals(
                List.of("id", "node", "role", "http", "gossip", "group", "slave", "state", "self"),
                names(j.get("members").get(0)));
        assertEquals("alive", j.get("nodes").get(0).get("state").asText());
        assertEquals(true, j.get("master_id").isNull());
    }

    @Test
    void staticAndStandaloneListNodes() {
        ClusterView.Slave s = new ClusterView.Slave("h:2", null, "slave", "connected", 5, 1, 0, 0, 0, 1, null);
        JsonNode j = JSON.valueToTree(new ClusterView.ListNodes(
                "static",
                "master",
                "m",
                null,
                new Self("m"),
                new ClusterView.Merge(List.of(s), 0, 0, "/tmp/state"),
                List.of(new Self("m"), s)));
        assertEquals(
                List.of(
                        "mode",
                        "role",
                        "master",
                        "self",
                        "slaves",
                        "late_reports",
                        "duplicate_reports",
                        "state_file",
                        "nodes"),
                names(j));
        assertEquals(
                List.of(
                        "address",
                        "node",
                        "role",
                        "state",
                        "last_window_start_ms",
                        "reports",
                        "duplicates",
                        "late",
                        "rejected",
                        "connects",
                        "last_error"),
                names(j.get("nodes").get(1)));
        j = JSON.valueToTree(new ClusterView.ListNodes(
                "standalone", "slave", null, null, new Self("x"), null, List.of(new Self("x"))));
        assertEquals(List.of("mode", "role", "master", "self", "nodes"), names(j));
        assertEquals(true, j.get("master").isNull());
    }

    @Test
    void answers() {
        assertEquals(
                List.of("joined", "node", "already_member"),
                names(JSON.valueToTree(new ClusterView.SlaveJoined("h:1", "n", false))));
        assertEquals(
                Map.of("status", 200, "body", "{}"),
                JSON.convertValue(new ClusterView.MemberAnswer(200, "{}"), Map.class));
    }
}
