package io.mysqlprobe.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.mysqlprobe.cluster.ClusterService;
import io.mysqlprobe.cluster.ClusterView;
import io.mysqlprobe.pipeline.PipelineView;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * {@code /config/update?{key}={value}} (the seed's interface): changes this node live. Keys:
 * {@code report_period_ms} (1000..3600000, whole seconds) and {@code slowthresholdms} (0..3600000).
 * A bad key or value → 400 with a message; nothing is applied unless every pair is valid. With
 * {@code scope=cluster} the change is applied here and then forwarded to every other member (gossip: all
 * live members; static master: its slaves); the answer lists each member's status.
 */
@Path("/config/update")
@Blocking
public class ConfigResource {

    /**
     * The answer: what changed (a key not passed is left out) and, with {@code scope=cluster}, each member's
     * answer by address.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Update(
            Long reportPeriodMs,
            Long appliesFromMs,
            Long slowthresholdms,
            Map<String, ClusterView.MemberAnswer> members) {}

    private final PipelineView probe;
    private final AdminGuard guard;
    private final ClusterService cluster;

    public ConfigResource(PipelineView probe, AdminGuard guard, ClusterService cluster) {
        this.probe = probe;
        this.guard = guard;
        this.cluster = cluster;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Update get(@Context UriInfo uri, @Context HttpServerRequest request) {
        return update(uri, request);
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Update post(@Context UriInfo uri, @Context HttpServerRequest request) {
        return update(uri, request);
    }

    private Update update(UriInfo uri, HttpServerRequest request) {
        guard.check(request);
        Map<String, List<String>> q = uri.getQueryParameters();
        if (q.isEmpty()) {
            throw AdminGuard.error(
                    Response.Status.BAD_REQUEST, "nothing to update: pass report_period_ms=N or slowthresholdms=N");
        }
        Long period = null;
        Long slow = null;
        boolean clusterScope = false;
        for (Map.Entry<String, List<String>> e : q.entrySet()) {
            String v = e.getValue().isEmpty() ? "" : e.getValue().get(0);
            switch (e.getKey()) {
                case "scope" -> {
                    if (!v.equals("cluster") && !v.equals("node")) {
                        throw AdminGuard.error(
                                Response.Status.BAD_REQUEST,
                                "scope: \"" + v + "\" is not allowed; expected node or cluster");
                    }
                    clusterScope = v.equals("cluster");
                }
                case "report_period_ms" -> {
                    period = number(e.getKey(), v, 1000, 3_600_000);
                    if (period % 1000 != 0) {
                        throw AdminGuard.error(
                                Response.Status.BAD_REQUEST,
                                "report_period_ms: " + v
                                        + " is not allowed; expected whole seconds (a multiple of 1000)");
                    }
                }
                case "slowthresholdms", "slow_threshold_ms" -> slow = number(e.getKey(), v, 0, 3_600_000);
                default ->
                    throw AdminGuard.error(
                            Response.Status.BAD_REQUEST,
                            "unknown key " + e.getKey() + "; expected report_period_ms or slowthresholdms");
            }
        }
        if (period == null && slow == null) {
            throw AdminGuard.error(
                    Response.Status.BAD_REQUEST, "nothing to update: pass report_period_ms=N or slowthresholdms=N");
        }
        Long from = period == null ? null : probe.changeInterval(period);
        if (slow != null) {
            probe.changeSlowThreshold(slow);
        }
        Map<String, ClusterView.MemberAnswer> members = null;
        if (clusterScope) {
            StringBuilder forward = new StringBuilder();
            if (period != null) {
                forward.append("report_period_ms=").append(period);
            }
            if (slow != null) {
                forward.append(forward.isEmpty() ? "" : "&")
                        .append("slowthresholdms=")
                        .append(slow);
            }
            members = cluster.forwardConfig(forward.toString());
        }
        return new Update(period, from, slow, members);
    }

    private static long number(String key, String v, long min, long max) {
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw AdminGuard.error(
                Response.Status.BAD_REQUEST,
                key + ": \"" + v + "\" is not allowed; expected an integer from " + min + " to " + max);
    }
}
