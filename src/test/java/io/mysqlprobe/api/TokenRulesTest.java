package io.mysqlprobe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.config.ProbeConfig;
import org.junit.jupiter.api.Test;

/** Which paths need the token, how it is compared, when a node warns (README "Security"). */
class TokenRulesTest {

    @Test
    void onlyHealthTheDashboardFilesAndMetricsAreOpen() {
        for (String open : new String[] {
            "/q/health",
            "/q/health/live",
            "/q/health/ready",
            "/q/health/started",
            "/",
            "/index.html",
            "/dashboard.css",
            "/js/app.js"
        }) {
            assertTrue(TokenFilter.isOpen(open, false), open);
        }
        for (String closed : new String[] {
            "/collector",
            "/monitor/servers",
            "/monitor/ping_log",
            "/cluster/listnodes",
            "/cluster/join",
            "/config/update",
            "/q/healthx",
            "/q/dev",
            "/anything",
            "/js/../collector",
            null
        }) {
            assertFalse(TokenFilter.isOpen(closed, false), String.valueOf(closed));
        }
        assertTrue(TokenFilter.isOpen("/q/metrics", false));
        assertFalse(TokenFilter.isOpen("/q/metrics", true), "auth.metrics: true");
    }

    @Test
    void comparedWholeAndExactly() {
        assertTrue(TokenFilter.matches("s3cret", "s3cret"));
        assertFalse(TokenFilter.matches("s3cre", "s3cret"));
        assertFalse(TokenFilter.matches("s3cret ", "s3cret"));
        assertFalse(TokenFilter.matches("", "s3cret"));
        assertFalse(TokenFilter.matches("S3CRET", "s3cret"));
    }

    @Test
    void aNodeOnANonLoopbackAddressWithoutTlsOrTokenWarns() {
        ProbeConfig open = ConfigLoader.defaults();
        ProbeConfig tokenOnly = ConfigLoader.parseYaml("auth: {token: t}");
        ProbeConfig both = ConfigLoader.parseYaml("auth: {token: t}\ntls: {cert_file: /c, key_file: /k}");
        assertNull(SecurityPosture.warning(open, "127.0.0.1"));
        assertNull(SecurityPosture.warning(open, "localhost"));
        assertNull(SecurityPosture.warning(both, "0.0.0.0"));
        assertEquals(
                "no TLS (tls.cert_file, tls.key_file) and no token (auth.token) on 0.0.0.0:8667: anyone who "
                        + "reaches this port reads statements, tables, client addresses and user names (README \"Security\")",
                SecurityPosture.warning(open, "0.0.0.0"));
        assertTrue(
                SecurityPosture.warning(tokenOnly, "10.0.0.5")
                        .startsWith("no TLS (tls.cert_file, tls.key_file) on "
                                + "10.0.0.5:8667: anyone who reaches this port can sniff"),
                SecurityPosture.warning(tokenOnly, "10.0.0.5"));
    }
}
