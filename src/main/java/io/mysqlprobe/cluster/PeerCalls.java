package io.mysqlprobe.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlprobe.report.ReportJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The HTTP calls a node makes to other members, over {@link PeerTransport} and with this node's token. */
final class PeerCalls {

    private final PeerTransport peers;
    private final String token;

    PeerCalls(PeerTransport peers, String token) {
        this.peers = peers;
        this.token = token;
    }

    private HttpResponse<String> get(String address, String pathAndQuery, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(peers.http(address, pathAndQuery))
                .timeout(timeout)
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return peers.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The same {@code /config/update} on each member: every member's answer (status and body), by address; a
     * member that fails does not stop the others.
     */
    Map<String, ClusterView.MemberAnswer> forwardConfig(List<String> members, String query) {
        Map<String, ClusterView.MemberAnswer> out = new TreeMap<>();
        for (String a : members) {
            try {
                HttpResponse<String> r = get(a, "/config/update?" + query, Duration.ofSeconds(5));
                out.put(a, new ClusterView.MemberAnswer(r.statusCode(), r.body()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.put(a, new ClusterView.MemberAnswer(503, "interrupted"));
            } catch (Exception e) {
                out.put(a, new ClusterView.MemberAnswer(502, String.valueOf(e)));
            }
        }
        return out;
    }

    /** Checks that {@code address} answers as a probe; returns its node name. */
    String probeAt(String address) {
        try {
            HttpResponse<String> r = get(address, "/cluster/listnodes", Duration.ofSeconds(3));
            if (r.statusCode() != 200) {
                throw new ClusterService.ClusterException(
                        502,
                        address + " answered HTTP " + r.statusCode()
                                + " to /cluster/listnodes: not a mysql-probe node");
            }
            JsonNode m = ReportJson.mapper().readTree(r.body());
            JsonNode self = m.get("self");
            if (!m.has("mode") || self == null || !self.isObject()) {
                throw new ClusterService.ClusterException(
                        502, address + " is not a mysql-probe node (unexpected /cluster/listnodes)");
            }
            JsonNode node = self.get("node");
            return node == null || node.isNull() ? "null" : node.asText();
        } catch (ClusterService.ClusterException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterService.ClusterException(503, "interrupted");
        } catch (Exception e) {
            throw new ClusterService.ClusterException(502, "cannot reach a mysql-probe node at " + address + ": " + e);
        }
    }
}
