package io.mysqlprobe.api;

import io.mysqlprobe.ProbeService;
import io.mysqlprobe.ProbeSettings;
import io.mysqlprobe.cluster.ClusterService;
import io.vertx.core.http.HttpServerRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
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

    private final ProbeService probe;
    private final ProbeSettings settings;
    private final AdminGuard guard;
    private final ClusterService cluster;
    @jakarta.inject.Inject
    SecurityPosture security;

    public ClusterResource(ProbeService probe, ProbeSettings settings, AdminGuard guard, ClusterService cluster) {
        this.probe = probe;
        this.settings = settings;
        this.guard = guard;
        this.cluster = cluster;
    }

    @GET
    @Path("/listnodes")
    public Map<String, Object> listNodes() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("node", probe.node());
        self.put("role", probe.role());
        self.put("state", probe.alive() ? "alive" : "failed");
        self.put("devices", probe.openDevices());
        self.put("device_errors", probe.deviceErrors());
        self.put("capture_port", settings.get().probe().port());
        self.put("watcher", probe.watcherState());
        self.put("security", security.state());
        return cluster.listNodes(self);
    }

    @GET
    @Path("/join")
    public Map<String, Object> join(@QueryParam("addr") String addr, @Context HttpServerRequest request) {
        guard.check(request);
        return call(() -> cluster.join(addr));
    }

    @GET
    @Path("/leave")
    public Map<String, Object> leave(@Context HttpServerRequest request) {
        guard.check(request);
        return call(cluster::leave);
    }

    @GET
    @Path("/remove")
    public Map<String, Object> remove(@QueryParam("addr") String addr, @Context HttpServerRequest request) {
        guard.check(request);
        return call(() -> cluster.remove(addr));
    }

    private static Map<String, Object> call(Supplier<Map<String, Object>> op) {
        try {
            return op.get();
        } catch (ClusterService.ClusterException e) {
            throw AdminGuard.error(Response.Status.fromStatusCode(e.status()), e.getMessage());
        }
    }
}
