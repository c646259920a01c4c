package io.mysqlprobe.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A static master: it merges the slaves of {@code cluster.slaves}, {@code /cluster/join} and the config file's
 * edits, and remembers joins and removals in its {@link StaticState} file. Every merged window is broadcast.
 */
final class StaticMode implements ClusterMode {

    private static final Logger LOG = Logger.getLogger(StaticMode.class.getName());

    private final StaticState state;
    private final MasterMerge merge;
    private final PeerCalls peers;

    StaticMode(StaticState state, MasterMerge merge, PeerCalls peers) {
        this.state = state;
        this.merge = merge;
        this.peers = peers;
        state.slaves().forEach(merge::add);
        LOG.info("static master: subscribing to " + state.slaves() + " (state file " + state.file() + ")");
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public String role() {
        return "master";
    }

    @Override
    public List<String> otherMembers() {
        return new ArrayList<>(merge.addresses());
    }

    @Override
    public boolean mayPublish(long startMs) {
        return true;
    }

    /** Subscribes to the slave at {@code address} once it answers as a probe. */
    @Override
    public ClusterView.Answer join(String address) {
        String node = peers.probeAt(address);
        boolean added = state.add(address);
        merge.add(address);
        return new ClusterView.SlaveJoined(address, node, !added);
    }

    @Override
    public ClusterView.Answer remove(String address) {
        if (!state.remove(address)) {
            throw new ClusterService.ClusterException(
                    404, "no slave " + address + " on this master; see /cluster/listnodes");
        }
        merge.remove(address);
        return new ClusterView.Removed(address);
    }

    /** Removes every slave. */
    @Override
    public ClusterView.Answer leave() {
        List<String> was = state.clear();
        was.forEach(merge::remove);
        return new ClusterView.RemovedAll(was);
    }

    @Override
    public String stateFile() {
        return state.file().toString();
    }

    /** The slaves added are subscribed, the ones removed dropped, as join and remove would, and persisted. */
    @Override
    public void slavesEdited(List<String> before, List<String> after) {
        for (String a : after) {
            if (!before.contains(a)) {
                state.add(a);
                merge.add(a);
                LOG.info("cluster.slaves: subscribed to " + a);
            }
        }
        for (String a : before) {
            if (!after.contains(a) && state.remove(a)) {
                merge.remove(a);
                LOG.info("cluster.slaves: removed " + a);
            }
        }
    }
}
