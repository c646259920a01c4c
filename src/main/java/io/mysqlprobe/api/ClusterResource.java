package io.mysqlprobe.api;

import io.mysqlprobe.ProbeService;
import io.mysqlprobe.ProbeSettings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's cluster interface. This build runs standalone slaves: {@code listnodes} shows the node itself;
 * join / leave / remove answer 409 with the reason (after the admin check, as any mutation).
 */
@Path("/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private final ProbeService probe;
    private final ProbeSettings settings;
    private final AdminGuard guard;

    public ClusterResource(ProbeService probe, ProbeSettings settings, AdminGuard guard) {
        this.probe = probe;
        this.settings = settings;
        this.guard = guard;
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "standalone");
        out.put("master", null);
        out.put("nodes", List.of(self));
        return out;
    }

    @GET
    @Path("/join")
    public Map<String, Object> join(@Context HttpServerRequest request) {
        return notClustered(request);
    }

    @GET
    @Path("/leave")
    public Map<String, Object> leave(@Context HttpServerRequest request) {
        return notClustered(request);
    }

    @GET
    @Path("/remove")
    public Map<String, Object> remove(@Context HttpServerRequest request) {
        return notClustered(request);
    }

    private Map<String, Object> notClustered(HttpServerRequest request) {
        guard.check(request);
        throw AdminGuard.error(Response.Status.CONFLICT,
                "this node runs standalone: static and gossip cluster modes are not in this build yet");
    }
}
