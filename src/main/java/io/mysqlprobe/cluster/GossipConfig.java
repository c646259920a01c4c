package io.mysqlprobe.cluster;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The JGroups stack and Infinispan container the gossip mode runs on, as XML text.
 *
 * <p>JGroups: TCP bound to {@code cluster.host:cluster.port}, discovery by TCPPING over {@code cluster.seeds}
 * or DNS_PING over {@code cluster.dns_query} (a Kubernetes headless Service), FD_SOCK for crashed processes,
 * FD_ALL (1 s heartbeats, 8 s timeout: 4 s gave false suspicions on a loaded 2-core machine) for frozen
 * ones, MERGE3 every 2..5 s so a healed partition merges fast.
 *
 * <p>Infinispan (STACK.md): {@code shutdown-hook="DONT_REGISTER"} (otherwise SIGTERM hangs the JVM); the
 * node records and the master record are replicated caches that resolve a merge with PREFERRED_ALWAYS so all
 * members see one value; clustered locks use {@code reliability="AVAILABLE"} because with CONSISTENT the
 * survivor of a two-node cluster can never take the lock. AVAILABLE alone would allow two lock holders
 * after a partition; the node's own fencing ({@link GossipNode}) closes that gap.
 */
final class GossipConfig {

    static final String NODES_CACHE = "mysql-probe.nodes";
    static final String MASTER_CACHE = "mysql-probe.master";

    private GossipConfig() {}

    static String jgroups(String host, int port, List<String> seeds, String dnsQuery) {
        String discovery;
        if (dnsQuery != null && !dnsQuery.isBlank()) {
            discovery = "<dns.DNS_PING dns_query=\"" + xml(dnsQuery) + "\" dns_record_type=\"A\"/>";
        } else {
            String hosts = seeds.stream().map(GossipConfig::bracketed).collect(Collectors.joining(","));
            String self = port > 0 ? bracketed(host + ":" + port) : "";
            String all = hosts.isEmpty() ? self : self.isEmpty() ? hosts : self + "," + hosts;
            discovery = "<TCPPING initial_hosts=\"" + xml(all) + "\" port_range=\"0\" return_entire_cache=\"true\"/>";
        }
        return """
                <config xmlns="urn:org:jgroups"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="urn:org:jgroups http://www.jgroups.org/schema/jgroups-4.2.xsd">
                   <TCP bind_addr="%s" bind_port="%d" port_range="0" enable_diagnostics="false"
                        thread_naming_pattern="pl" sock_conn_timeout="300" bundler_type="transfer-queue"
                        thread_pool.min_threads="0" thread_pool.max_threads="50" thread_pool.keep_alive_time="60000"/>
                   %s
                   <MERGE3 min_interval="2000" max_interval="5000"/>
                   <FD_SOCK/>
                   <FD_ALL timeout="8000" interval="1000" timeout_check_interval="1000"/>
                   <VERIFY_SUSPECT timeout="1000"/>
                   <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200" resend_last_seqno="true"/>
                   <UNICAST3 conn_close_timeout="5000" xmit_interval="200"/>
                   <pbcast.STABLE desired_avg_gossip="5000" max_bytes="1M"/>
                   <pbcast.GMS print_local_addr="false" join_timeout="4000"/>
                   <UFC max_credits="4m" min_threshold="0.40"/>
                   <MFC max_credits="4m" min_threshold="0.40"/>
                   <FRAG3/>
                </config>
                """.formatted(xml(host), port, discovery);
    }

    static String infinispan(String group, String jgroupsFile) {
        return """
                <infinispan xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                            xsi:schemaLocation="urn:infinispan:config:13.0 http://www.infinispan.org/schemas/infinispan-config-13.0.xsd"
                            xmlns="urn:infinispan:config:13.0">
                  <jgroups>
                    <stack-file name="probe" path="%s"/>
                  </jgroups>
                  <cache-container default-cache="distributed-cache" shutdown-hook="DONT_REGISTER">
                    <transport stack="probe" cluster="%s"/>
                    <distributed-cache name="distributed-cache"/>
                    <replicated-cache name="__vertx.subs"/>
                    <replicated-cache name="__vertx.haInfo"/>
                    <replicated-cache name="__vertx.nodeInfo"/>
                    <replicated-cache name="%s">
                      <partition-handling when-split="ALLOW_READ_WRITES" merge-policy="PREFERRED_ALWAYS"/>
                    </replicated-cache>
                    <replicated-cache name="%s">
                      <partition-handling when-split="ALLOW_READ_WRITES" merge-policy="PREFERRED_ALWAYS"/>
                    </replicated-cache>
                    <distributed-cache-configuration name="__vertx.distributed.cache.configuration"/>
                    <clustered-locks xmlns="urn:infinispan:config:clustered-locks:13.0" num-owners="-1"
                                     reliability="AVAILABLE"/>
                  </cache-container>
                </infinispan>
                """.formatted(xml(jgroupsFile), xml(group), NODES_CACHE, MASTER_CACHE);
    }

    /** {@code host:port} → {@code host[port]} (JGroups' form). */
    static String bracketed(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("\"" + hostPort + "\" is not host:port");
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return hostPort.substring(0, colon) + "[" + port + "]";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
