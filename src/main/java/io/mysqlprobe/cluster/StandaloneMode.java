package io.mysqlprobe.cluster;

import io.mysqlprobe.pipeline.ProbeSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * No cluster of this node's making: a slave in static mode (its master subscribes to it), or a node that left
 * its gossip cluster — then a master candidate keeps its (emptied) merge and shows as {@code static}.
 */
final class StandaloneMode implements ClusterMode {

    private final ProbeSettings settings;
    private final MasterMerge merge;

    /** @param merge the node's merge when it is a master candidate, else null */
    StandaloneMode(ProbeSettings settings, MasterMerge merge) {
        this.settings = settings;
        this.merge = merge;
    }

    private boolean slave() {
        return settings.get().slave();
    }

    @Override
    public String name() {
        return name(slave());
    }

    /** A slave runs standalone; a master candidate outside gossip shows as static, slaves or none. */
    static String name(boolean slave) {
        return slave ? "standalone" : "static";
    }

    @Override
    public String role() {
        return slave() ? "slave" : "master";
    }

    @Override
    public List<String> otherMembers() {
        return merge == null ? List.of() : new ArrayList<>(merge.addresses());
    }

    @Override
    public boolean mayPublish(long startMs) {
        return true;
    }

    @Override
    public ClusterView.Answer join(String address) {
        if (slave()) {
            throw new ClusterService.ClusterException(
                    409,
                    "this node runs standalone (a slave, not in gossip "
                            + "mode): join it from its master (GET /cluster/join?addr=THIS_NODE on the master)");
        }
        throw new ClusterService.ClusterException(
                409, "this node left its gossip cluster and cluster.gossip is " + "off now: it cannot join one");
    }

    @Override
    public ClusterView.Answer remove(String address) {
        throw new ClusterService.ClusterException(409, "this node is a slave: remove it on its master");
    }

    @Override
    public ClusterView.Answer leave() {
        throw new ClusterService.ClusterException(409, "this node is a slave in static mode: remove it on its master");
    }
}
