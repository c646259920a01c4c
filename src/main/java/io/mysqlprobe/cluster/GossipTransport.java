package io.mysqlprobe.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.Address;

/**
 * One gossip member's transport: the JGroups channel and Infinispan cache manager made from
 * {@link GossipConfig}, and this node's own clustered Vert.x on them (so {@code /cluster/join} and
 * {@code /cluster/leave} can create and drop it at run time).
 */
final class GossipTransport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GossipTransport.class.getName());

    private final DefaultCacheManager caches;
    private final InfinispanClusterManager manager;
    private final Vertx vertx;
    private final String gossipAddress;

    private GossipTransport(
            DefaultCacheManager caches, InfinispanClusterManager manager, Vertx vertx, String gossipAddress) {
        this.caches = caches;
        this.manager = manager;
        this.vertx = vertx;
        this.gossipAddress = gossipAddress;
    }

    /** Joins the cluster {@code group} (blocking, a few seconds); on failure whatever was started is stopped. */
    static GossipTransport start(String group, String host, int port, List<String> seeds, String dnsQuery)
            throws Exception {
        Path workDir = Files.createTempDirectory("mysql-probe-gossip-");
        Path jg = workDir.resolve("jgroups.xml");
        Files.writeString(jg, GossipConfig.jgroups(host, port, seeds, dnsQuery));
        String ispn = GossipConfig.infinispan(group, jg.toString());
        DefaultCacheManager caches;
        try {
            caches = new DefaultCacheManager(new ByteArrayInputStream(ispn.getBytes(StandardCharsets.UTF_8)), true);
        } finally {
            Files.deleteIfExists(jg); // read once, when the channel starts
            Files.deleteIfExists(workDir);
        }
        try {
            InfinispanClusterManager manager = new InfinispanClusterManager(caches);
            VertxOptions opts = new VertxOptions().setClusterManager(manager);
            opts.getEventBusOptions().setHost(host).setPort(0);
            Vertx vertx = Vertx.clusteredVertx(opts)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            List<Address> phys = caches.getTransport().getPhysicalAddresses();
            String gossip = phys.isEmpty() ? host + ":" + port : phys.get(0).toString();
            return new GossipTransport(caches, manager, vertx, gossip);
        } catch (Exception | Error e) {
            stop(caches);
            throw e;
        }
    }

    /** This node's id in the cluster (the key of its record in the node directory). */
    String nodeId() {
        return manager.getNodeId();
    }

    /** The ids of the members of the current view. */
    List<String> members() {
        return manager.getNodes();
    }

    Cache<String, String> cache(String name) {
        return caches.getCache(name);
    }

    DefaultCacheManager caches() {
        return caches;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The JGroups physical address others reach this node at. */
    String gossipAddress() {
        return gossipAddress;
    }

    /** Stops Vert.x, then Infinispan (and with it the JGroups channel). */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("gossip: closing Vert.x: " + e);
        }
        stop(caches);
    }

    private static void stop(DefaultCacheManager caches) {
        try {
            caches.stop();
        } catch (RuntimeException e) {
            LOG.warning("gossip: stopping Infinispan: " + e);
        }
    }
}
