package io.mysqlprobe.monitor;

/**
 * What the hostgroup manager announces; the service fires these as CDI events so the websocket (and
 * anyone else) can forward them. Records, immutable, one per change.
 */
public sealed interface MonitorEvent {

    long timeMs();

    /** A server's status in one hostgroup changed. */
    record StatusChanged(
            long timeMs, int hostgroupId, String hostname, int port, ServerStatus from, ServerStatus to, String reason)
            implements MonitorEvent {}

    /** ping_max_failures pings missed: every connection to this backend should be killed. */
    record KillConnections(long timeMs, String hostname, int port, String reason) implements MonitorEvent {}

    /** A server was added to or removed from a hostgroup by a read_only check. */
    record HostgroupChanged(long timeMs, int hostgroupId, String hostname, int port, boolean added, String reason)
            implements MonitorEvent {}

    /** An entry of the report's {@code monitor.events}: the event's kind ({@code StatusChanged}, ...) and the event. */
    record InWindow(String type, MonitorEvent event) {
        public static InWindow of(MonitorEvent e) {
            return new InWindow(e.getClass().getSimpleName(), e);
        }
    }
}
