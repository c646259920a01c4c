package io.mysqlprobe.cluster;

import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.config.TlsFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How this node reaches its peers' HTTP and websocket endpoints: over TLS ({@code https://}, {@code wss://})
 * when it serves TLS itself or has {@code tls.ca_file}, verifying the peers' certificates against that CA (and
 * their names, unless {@code tls.verify_hostname: false}); in the clear otherwise.
 */
public record PeerTransport(boolean tls, HttpClient http) {

    public static PeerTransport plain() {
        return new PeerTransport(false, client().build());
    }

    public static PeerTransport of(ProbeConfig.Tls tls) {
        if (!tls.peers()) {
            return plain();
        }
        return new PeerTransport(
                true,
                client().sslContext(TlsFiles.clientContext(tls.caFile(), tls.verifyHostname()))
                        .build());
    }

    private static HttpClient.Builder client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    }

    /** {@code https://ADDRESS/PATH} or {@code http://...}. */
    public URI http(String address, String pathAndQuery) {
        return URI.create((tls ? "https://" : "http://") + address + pathAndQuery);
    }

    /** {@code wss://ADDRESS/PATH} or {@code ws://...}. */
    public URI websocket(String address, String pathAndQuery) {
        return URI.create((tls ? "wss://" : "ws://") + address + pathAndQuery);
    }
}
