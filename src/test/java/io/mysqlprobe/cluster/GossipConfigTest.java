package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GossipConfigTest {

    @Test
    void seedsBecomeTcpPingHosts() {
        String x = GossipConfig.jgroups("127.0.0.1", 7800, List.of("10.0.0.2:7801", "h:7802"), null);
        assertTrue(x.contains("initial_hosts=\"127.0.0.1[7800],10.0.0.2[7801],h[7802]\""), x);
        assertTrue(x.contains("bind_port=\"7800\""), x);
    }

    @Test
    void dnsQueryUsesDnsPing() {
        String x = GossipConfig.jgroups("0.0.0.0", 7800, List.of(), "probe.ns.svc.cluster.local");
        assertTrue(x.contains("<dns.DNS_PING dns_query=\"probe.ns.svc.cluster.local\""), x);
    }

    @Test
    void infinispanHasTheStackMdSettings() {
        String x = GossipConfig.infinispan("grp", "/tmp/j.xml");
        assertTrue(x.contains("shutdown-hook=\"DONT_REGISTER\""));
        assertTrue(x.contains("reliability=\"AVAILABLE\""));
        assertTrue(x.contains("cluster=\"grp\""));
    }
}
