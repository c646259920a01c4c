package io.mysqlprobe.cli;

import io.mysqlprobe.config.ProbeConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Quarkus properties derived from {@code tls.*} at start (the YAML is the user's configuration): the
 * default TLS configuration of Quarkus' TLS registry holds the PEM files and re-reads them every
 * {@code tls.reload_seconds}, the HTTP server listens for HTTPS on {@code serverport} and opens no plain port.
 */
public final class TlsProperties {

    private TlsProperties() {}

    public static Map<String, String> of(ProbeConfig c) {
        Map<String, String> p = new LinkedHashMap<>();
        ProbeConfig.Tls tls = c.tls();
        if (!tls.serving()) {
            return p;
        }
        p.put("quarkus.tls.key-store.pem.0.cert", tls.certFile());
        p.put("quarkus.tls.key-store.pem.0.key", tls.keyFile());
        p.put("quarkus.tls.reload-period", tls.reloadSeconds() + "s");
        p.put("quarkus.http.ssl-port", Integer.toString(c.serverPort()));
        p.put("quarkus.http.insecure-requests", "disabled");
        return p;
    }
}
