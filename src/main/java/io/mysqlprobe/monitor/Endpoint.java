package io.mysqlprobe.monitor;

/** A backend as the monitor reaches it: {@code hostname:port}, whatever hostgroups it sits in. */
public record Endpoint(String hostname, int port) {

    @Override
    public String toString() {
        return hostname + ":" + port;
    }
}
