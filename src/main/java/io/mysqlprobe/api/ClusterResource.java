package io.mysqlprobe.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.mysqlprobe.cluster.ClusterService;
import io.mysqlprobe.cluster.ClusterView;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.mysqlprobe.watcher.WatcherState;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The seed's cluster interface, per mode (README "Cluster"): {@code listnodes} anywhere; on a static master
 * {@code join?addr=} / {@code remove?addr=} / {@code leave} change its slaves; in gossip mode {@code join?addr=}
 * joins the cluster of that gossip address and {@code leave} leaves it. Mutations pass {@link AdminGuard}.
 */
@Path("/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ClusterResource {

    private final PipelineView probe;
    private final ProbeSettings settings;
    private final AdminGuard guard;
    private final ClusterService cluster;

    @jakarta.inject.Inject
    SecurityPosture security;

    public ClusterResource(PipelineView probe, ProbeSettings settings, AdminGuard guard, ClusterService cluster) {
        this.probe = probe;
        this.settings = settings;
        this.guard = guard;
        this.cluster = cluster;
    }

    /** This node's entry of {@code /cluster/listnodes} ({@code self}, and first of {@code nodes} unless gossip). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Self(
            String node,
            String role,
            String state,
            List<String> devices,
            Map<String, String> deviceErrors,
            int capturePort,
            WatcherState watcher,
            SecurityPosture.State security)
            implements ClusterView.Node {}

    @GET
    @Path("/listnodes")
    public ClusterView.ListNodes listNodes() {
        Self self = new Self(
                probe.node(),
                probe.role(),
                probe.alive() ? "alive" : "failed",
                probe.openDevices(),
                probe.deviceErrors(),
                settings.get().probe().port(),
                probe.watcherState(),
                security.state());
        return cluster.listNodes(self);
    }

    @GET
    @Path("/join")
    public ClusterView.Answer join(@QueryParam("addr") String addr, @Context HttpServerRequest request) {
        guard.check(request);
        return call(() -> cluster.join(addr));
    }

    @GET
    @Path("/leave")
    public ClusterView.Answer leave(@Context HttpServerRequest request) {
        guard.check(request);
        return call(cluster::leave);
    }

    @GET
    @Path("/remove")
    public ClusterView.Answer remove(@QueryParam("addr") String addr, @Context HttpServerRequest request) {
        guard.check(request);
        return call(() -> cluster.remove(addr));
    }

    private static ClusterView.Answer call(Supplier<ClusterView.Answer> op) {
        try {
            return op.get();
        } catch (ClusterService.ClusterException e) {
            throw AdminGuard.error(Response.Status.fromStatusCode(e.status()), e.getMessage());
        }
    }
}
