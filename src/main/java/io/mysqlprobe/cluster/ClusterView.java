package io.mysqlprobe.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The answers of the cluster API ({@code /cluster/*}, the members part of {@code /config/update}) as records.
 * Their JSON is the wire contract (README "Cluster"): components serialise in declaration order under their
 * snake_case names, a null is written as {@code null} unless marked {@link JsonInclude}, and an
 * {@link JsonUnwrapped} part that is null (not in that mode) leaves its fields out.
 */
public final class ClusterView {

    private ClusterView() {}

    /** An entry of {@code nodes} in {@code /cluster/listnodes}: this node, a gossip member or a slave link. */
    public interface Node {}

    /** {@code /cluster/listnodes}. */
    public record ListNodes(
            String mode,
            String role,
            String master,
            @JsonUnwrapped Topology topology,
            Node self,
            @JsonUnwrapped Merge merge,
            List<Node> nodes) {}

    /** Gossip mode's part of {@code /cluster/listnodes}: every live member's record and which is master. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Topology(
            @JsonInclude(JsonInclude.Include.NON_NULL) String error,
            String group,
            String state,
            String gossip,
            String masterId,
            List<Member> members) {}

    /** A live gossip member, from its record in the node directory. */
    public record Member(
            String id,
            String node,
            String role,
            String http,
            String gossip,
            String group,
            boolean slave,
            String state,
            boolean self)
            implements Node {

        static Member of(NodeDirectory.NodeRecord r, boolean self) {
            return new Member(r.id(), r.node(), r.role(), r.http(), r.gossip(), r.group(), r.slave(), "alive", self);
        }
    }

    /** A master's (or standby's) merging part of {@code /cluster/listnodes}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Merge(
            List<Slave> slaves,
            long lateReports,
            long duplicateReports,
            @JsonInclude(JsonInclude.Include.NON_NULL) String stateFile) {}

    /** A master's link to one slave, for {@code /cluster/listnodes}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Slave(
            String address,
            String node,
            String role,
            String state,
            long lastWindowStartMs,
            long reports,
            long duplicates,
            long late,
            long rejected,
            long connects,
            String lastError)
            implements Node {}

    /** What {@code /cluster/join}, {@code /cluster/remove} and {@code /cluster/leave} answer. */
    public sealed interface Answer permits GossipJoined, SlaveJoined, Removed, RemovedAll, Left {}

    /** Gossip: this node (re)joins the cluster through the member at {@code joined}. */
    public record GossipJoined(String joined, String mode, String group) implements Answer {}

    /** Static master: subscribed to the slave at {@code joined}, named {@code node}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SlaveJoined(String joined, String node, boolean alreadyMember) implements Answer {}

    public record Removed(String removed) implements Answer {}

    /** Static master's {@code /cluster/leave}: every slave removed. */
    public record RemovedAll(List<String> removed) implements Answer {}

    /** Gossip's {@code /cluster/leave}: the group left and the mode this node runs in now. */
    public record Left(String left, String mode) implements Answer {}

    /** One member's answer to a forwarded {@code /config/update}. */
    public record MemberAnswer(int status, String body) {}
}
