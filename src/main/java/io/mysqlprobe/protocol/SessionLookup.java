package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;

/**
 * Tells user/db of a connection whose handshake was not captured (the watcher fills it from
 * {@code information_schema.processlist}). Called from decode workers: must be thread-safe and fast.
 */
@FunctionalInterface
public interface SessionLookup {

    /** The session of {@code conn}, or null when unknown. */
    SessionInfo lookup(FlowKey conn);

    SessionLookup NONE = conn -> null;
}
