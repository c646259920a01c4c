package io.mysqlprobe.api;

import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Whether this node serves its query data over TLS and behind the token. A node bound to a non-loopback
 * address without one of them logs one loud warning at start and says so in {@code /cluster/listnodes}
 * ({@code self.security}).
 */
@ApplicationScoped
public class SecurityPosture {

    private static final Logger LOG = Logger.getLogger(SecurityPosture.class.getName());

    private final ProbeSettings settings;

    public SecurityPosture(ProbeSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent ev) {
        String warning = warning();
        if (warning != null) {
            LOG.warning("!!! SECURITY: " + warning + " !!!");
        }
    }

    static String bindAddress() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.host", String.class)
                .orElse("0.0.0.0");
    }

    /** The warning for this node, or null when it is bound to loopback or has both TLS and the token. */
    public String warning() {
        return warning(settings.get(), bindAddress());
    }

    static String warning(ProbeConfig c, String bind) {
        if (AdminGuard.isLoopback(bind) || bind.equals("localhost")) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (!c.tls().serving()) {
            missing.add("no TLS (tls.cert_file, tls.key_file)");
        }
        if (c.auth().token() == null) {
            missing.add("no token (auth.token)");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return String.join(" and ", missing) + " on " + bind + ":" + c.serverPort() + ": anyone who reaches this port "
                + (c.auth().token() == null ? "reads" : "can sniff") + " statements, tables, client addresses and "
                + "user names (README \"Security\")";
    }

    /** {@code self.security} of {@code /cluster/listnodes}: a null warning is written as null. */
    public record State(boolean tls, boolean token, String bind, String warning) {}

    /** {@code self.security} of {@code /cluster/listnodes}. */
    public State state() {
        ProbeConfig c = settings.get();
        return new State(c.tls().serving(), c.auth().token() != null, bindAddress(), warning());
    }
}
