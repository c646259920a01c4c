package io.mysqlprobe.monitor;

/** A server's status in a hostgroup, named as in ProxySQL's {@code runtime_mysql_servers.status}. */
public enum ServerStatus {
    ONLINE,
    /** ping_max_failures pings missed in a row. */
    SHUNNED,
    /** Seconds_Behind_Master over max_replication_lag (never a writer). */
    SHUNNED_REPLICATION_LAG,
    /** Set by configuration: no new traffic, existing connections drain. */
    OFFLINE_SOFT,
    /** Set by configuration: not used, not monitored. */
    OFFLINE_HARD
}
