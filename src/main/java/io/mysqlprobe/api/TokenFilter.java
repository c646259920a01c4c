package io.mysqlprobe.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * With {@code auth.token} set, every request needs the token except health ({@code /q/health/*}), the
 * dashboard's static files (they hold no data) and {@code /q/metrics} unless {@code auth.metrics: true}. It
 * runs on the HTTP layer before any route, so the {@code /collector} websocket upgrade is answered 401 too.
 * The token comes as {@code Authorization: Bearer TOKEN}, {@code X-Probe-Token: TOKEN} or, for browsers'
 * WebSocket API which cannot set headers, as the subprotocol {@code bearer.mysql-probe.BASE64URL(TOKEN)} beside
 * {@code mysql-probe} (the one the server selects) — never in the URL, which proxies log. Compared in constant
 * time; failures counted per reason ({@code mysqlprobe_auth_failures_total{reason=missing|wrong}}); never logged.
 */
@ApplicationScoped
public class TokenFilter {

    /** The websocket subprotocol the server selects; the token travels as a second, never-selected one. */
    public static final String SUBPROTOCOL = "mysql-probe";

    public static final String TOKEN_SUBPROTOCOL_PREFIX = "bearer.mysql-probe.";
    /** Runs before Quarkus' own filters and every route. */
    static final int PRIORITY = 10_000;

    private final ProbeSettings settings;
    private final Counter missing;
    private final Counter wrong;

    public TokenFilter(ProbeSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.missing = failures(registry, "missing");
        this.wrong = failures(registry, "wrong");
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("mysqlprobe.auth.failures")
                .tag("reason", reason)
                .description("requests refused 401 for a missing or wrong auth.token")
                .register(registry);
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext rc) {
        String token = settings.get().auth().token();
        if (token == null || isOpen(rc.normalizedPath(), settings.get().auth().metrics())) {
            rc.next();
            return;
        }
        String given = given(rc.request());
        if (given == null) {
            missing.increment();
            refuse(rc, "missing admin token (auth.token): send Authorization: Bearer TOKEN");
        } else if (!matches(given, token)) {
            wrong.increment();
            refuse(rc, "wrong admin token (auth.token)");
        } else {
            rc.next();
        }
    }

    /** Paths served without the token: health, the dashboard's files, metrics unless auth.metrics. */
    static boolean isOpen(String path, boolean metricsNeedToken) {
        if (path == null) {
            return false;
        }
        if (path.equals("/q/health") || path.startsWith("/q/health/")) {
            return true;
        }
        if (path.equals("/q/metrics")) {
            return !metricsNeedToken;
        }
        return path.equals("/")
                || path.equals("/index.html")
                || path.equals("/dashboard.css")
                || path.equals("/favicon.ico")
                || path.startsWith("/js/") && !path.contains("..");
    }

    /** The token of the request (header first, then the websocket subprotocol), or null. */
    static String given(HttpServerRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        String header = request.getHeader("X-Probe-Token");
        if (header != null) {
            return header.strip();
        }
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                p = p.strip();
                if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
                    try {
                        return new String(
                                Base64.getUrlDecoder().decode(p.substring(TOKEN_SUBPROTOCOL_PREFIX.length())),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return ""; // present but not base64url: a wrong token
                    }
                }
            }
        }
        return null;
    }

    /** Constant time: both sides hashed first, so neither the content nor the length leaks through timing. */
    public static boolean matches(String given, String token) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(
                    a.digest(given.getBytes(StandardCharsets.UTF_8)), b.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static void refuse(RoutingContext rc, String why) {
        rc.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"mysql-probe\"")
                .putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + why + "\"}");
    }
}
