package io.mysqlprobe.cluster;

import java.util.List;

/**
 * What this node does in its cluster, one implementation per mode (README "Cluster"): {@link StandaloneMode}
 * (a slave nobody gossips with, or a node that left its gossip cluster), {@link StaticMode} (a master with the
 * slaves of {@code cluster.slaves} and {@code /cluster/join}) and {@link GossipMode}. {@link ClusterService}
 * holds the current one and swaps it when a node joins or leaves a gossip cluster.
 */
interface ClusterMode {

    /** {@code mode} of {@code /cluster/listnodes}: standalone, static or gossip. */
    String name();

    /** This node's role: slave, master or (gossip) standby. */
    String role();

    /** Gossip mode's view of the cluster; null in the other modes (and before a gossip node has joined). */
    default ClusterView.Topology topology() {
        return null;
    }

    /** Where a {@code scope=cluster} config change goes: the other members' HTTP addresses. */
    List<String> otherMembers();

    /** May the merged window starting at {@code startMs} be broadcast now? Otherwise it is only kept. */
    boolean mayPublish(long startMs);

    /** {@code /cluster/join?addr=} (a checked host:port) in this mode. */
    ClusterView.Answer join(String address);

    /** {@code /cluster/remove?addr=} (a checked host:port). */
    ClusterView.Answer remove(String address);

    /** {@code /cluster/leave}. */
    ClusterView.Answer leave();

    /** The static state file, in static mode. */
    default String stateFile() {
        return null;
    }

    /** {@code cluster.slaves} edited in the config file. */
    default void slavesEdited(List<String> before, List<String> after) {}

    /** Leaves whatever the mode joined. */
    default void close() {}
}
