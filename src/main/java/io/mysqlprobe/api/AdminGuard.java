package io.mysqlprobe.api;

import io.mysqlprobe.pipeline.ProbeSettings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.util.Map;

/**
 * Mutating endpoints need the admin token ({@code auth.token}) as {@code Authorization: Bearer TOKEN} or
 * {@code X-Probe-Token: TOKEN}; without a configured token only loopback callers may mutate.
 */
@ApplicationScoped
public class AdminGuard {

    private final ProbeSettings settings;

    public AdminGuard(ProbeSettings settings) {
        this.settings = settings;
    }

    public void check(HttpServerRequest request) {
        String token = settings.get().auth().token();
        if (token == null) {
            String host = request.remoteAddress() == null
                    ? null
                    : request.remoteAddress().host();
            if (!isLoopback(host)) {
                throw error(
                        Response.Status.FORBIDDEN,
                        "no auth.token is configured, so only loopback callers may change this node");
            }
            return;
        }
        String given = request.getHeader("X-Probe-Token");
        String auth = request.getHeader("Authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip();
        }
        if (given == null || !TokenFilter.matches(given, token)) {
            throw error(Response.Status.UNAUTHORIZED, "missing or wrong admin token (Authorization: Bearer ...)");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    public static WebApplicationException error(Response.Status status, String message) {
        return new WebApplicationException(Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message))
                .build());
    }
}
