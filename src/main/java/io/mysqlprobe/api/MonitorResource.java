package io.mysqlprobe.api;

import io.mysqlprobe.monitor.HostgroupManager;
import io.mysqlprobe.monitor.LogRows;
import io.mysqlprobe.monitor.LogTable;
import io.mysqlprobe.monitor.MonitorEngine;
import io.mysqlprobe.monitor.MonitorService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

    /**
     * {@code /monitor/connect_log}, {@code ping_log}, {@code read_only_log}, {@code replication_lag_log}: ProxySQL's
     * {@code mysql_server_*_log} tables; 404 for any other name.
     */
    @GET
    @Path("{log: [a-z_]+_log}")
    public Response log(
            @PathParam("log") String log,
            @QueryParam("hostname") String hostname,
            @QueryParam("port") String port,
            @QueryParam("since") String since,
            @QueryParam("limit") String limit) {
        LogTable<? extends LogRows.LogRow> table = switch (log) {
            case "connect_log" -> monitor.engine().connectLog();
            case "ping_log" -> monitor.engine().pingLog();
            case "read_only_log" -> monitor.engine().readOnlyLog();
            case "replication_lag_log" -> monitor.engine().replicationLagLog();
            default -> null;
        };
        if (table == null) {
            return Response.status(Response.Status.NOT_FOUND)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of(
                            "error",
                            "no log " + log + "; expected connect_log, ping_log, read_only_log or "
                                    + "replication_lag_log"))
                    .build();
        }
        return query(table, hostname, port, since, limit);
    }

    private static Response query(
            LogTable<? extends LogRows.LogRow> table, String hostname, String port, String since, String limit) {
        try {
            Integer p = port == null ? null : (int) number("port", port, 1, 65535);
            Long sinceUs = since == null ? null : number("since", since, 0, Long.MAX_VALUE / 1000) * 1000;
            int n = limit == null ? DEFAULT_LIMIT : (int) number("limit", limit, 1, MAX_LIMIT);
            String h = hostname == null || hostname.isEmpty() ? null : hostname;
            return Response.ok(table.query(h, p, sinceUs, n)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage()))
                    .build();
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
            throw new IllegalArgumentException(
                    name + ": \"" + value + "\" is not allowed; expected an integer from " + min + " to " + max);
        }
        return n;
    }
}
