package io.mysqlprobe.api;

import io.mysqlprobe.monitor.HostgroupManager;
import io.mysqlprobe.monitor.LogRows;
import io.mysqlprobe.monitor.LogTable;
import io.mysqlprobe.monitor.MonitorEngine;
import io.mysqlprobe.monitor.MonitorService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The monitor's state and log tables as JSON. Log rows use ProxySQL's column names and come newest first.
 * Filters: {@code hostname} (exact), {@code port}, {@code since} (epoch milliseconds; rows whose
 * time_start_us is at or after it), {@code limit} (default 100, at most 10000). A bad parameter → 400.
 */
@Path("/monitor")
@Produces(MediaType.APPLICATION_JSON)
public class MonitorResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    /** {@code /monitor/servers}: one row per (hostgroup, hostname, port), plus queue and worker figures. */
    public record ServersResponse(List<HostgroupManager.ServerView> servers, MonitorEngine.Threads monitor) {}

    @Inject
    MonitorService monitor;

    @GET
    @Path("servers")
    public ServersResponse servers() {
        return new ServersResponse(monitor.servers(), monitor.threads());
    }

    @GET
    @Path("connect_log")
    public Response connectLog(@QueryParam("hostname") String hostname, @QueryParam("port") String port,
            @QueryParam("since") String since, @QueryParam("limit") String limit) {
        return query(monitor.engine().connectLog(), hostname, port, since, limit);
    }

    @GET
    @Path("ping_log")
    public Response pingLog(@QueryParam("hostname") String hostname, @QueryParam("port") String port,
            @QueryParam("since") String since, @QueryParam("limit") String limit) {
        return query(monitor.engine().pingLog(), hostname, port, since, limit);
    }

    @GET
    @Path("read_only_log")
    public Response readOnlyLog(@QueryParam("hostname") String hostname, @QueryParam("port") String port,
            @QueryParam("since") String since, @QueryParam("limit") String limit) {
        return query(monitor.engine().readOnlyLog(), hostname, port, since, limit);
    }

    @GET
    @Path("replication_lag_log")
    public Response replicationLagLog(@QueryParam("hostname") String hostname, @QueryParam("port") String port,
            @QueryParam("since") String since, @QueryParam("limit") String limit) {
        return query(monitor.engine().replicationLagLog(), hostname, port, since, limit);
    }

    private static Response query(LogTable<? extends LogRows.LogRow> table, String hostname, String port,
            String since, String limit) {
        try {
            Integer p = port == null ? null : (int) number("port", port, 1, 65535);
            Long sinceUs = since == null ? null : number("since", since, 0, Long.MAX_VALUE / 1000) * 1000;
            int n = limit == null ? DEFAULT_LIMIT : (int) number("limit", limit, 1, MAX_LIMIT);
            String h = hostname == null || hostname.isEmpty() ? null : hostname;
            return Response.ok(table.query(h, p, sinceUs, n)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage())).build();
        }
    }

    private static long number(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" is not allowed; expected an integer from "
                    + min + " to " + max);
        }
        return n;
    }
}
