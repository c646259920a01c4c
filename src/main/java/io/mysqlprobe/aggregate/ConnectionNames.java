package io.mysqlprobe.aggregate;

import io.mysqlprobe.tcp.FlowKey;

/** A connection's addresses as the report prints them, formatted once per connection rather than per statement. */
record ConnectionNames(String server, String client, String clientHost) {

    static final ConnectionNames UNKNOWN = new ConnectionNames(null, null, null);

    static ConnectionNames of(FlowKey k) {
        return k == null
                ? UNKNOWN
                : new ConnectionNames(k.server(), k.client(), FlowKey.host(k.clientHi(), k.clientLo()));
    }
}
