package io.mysqlprobe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Rows of the four monitor log tables. JSON names are exactly ProxySQL's columns
 * ({@code monitor.mysql_server_*_log}), so queries and dashboards written for ProxySQL carry over.
 * Times are microseconds: {@code time_start_us} since the epoch, {@code *_success_time_us} the duration
 * of a successful check (0 on error, as in ProxySQL).
 */
public final class LogRows {

    private LogRows() {}

    /** What all log rows share. */
    public interface LogRow {
        String hostname();

        int port();

        long timeStartUs();

        /** The check's error, or null when it succeeded. */
        String failure();
    }

    /** {@code mysql_server_connect_log}. */
    public record ConnectLogRow(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("port") int port,
            @JsonProperty("time_start_us") long timeStartUs,
            @JsonProperty("connect_success_time_us") long connectSuccessTimeUs,
            @JsonProperty("connect_error") String connectError)
            implements LogRow {
        @Override
        public String failure() {
            return connectError;
        }
    }

    /** {@code mysql_server_ping_log}. */
    public record PingLogRow(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("port") int port,
            @JsonProperty("time_start_us") long timeStartUs,
            @JsonProperty("ping_success_time_us") long pingSuccessTimeUs,
            @JsonProperty("ping_error") String pingError)
            implements LogRow {
        @Override
        public String failure() {
            return pingError;
        }
    }

    /** {@code mysql_server_read_only_log}; {@code read_only} is null when the check failed. */
    public record ReadOnlyLogRow(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("port") int port,
            @JsonProperty("time_start_us") long timeStartUs,
            @JsonProperty("success_time_us") long successTimeUs,
            @JsonProperty("read_only") Integer readOnly,
            @JsonProperty("error") String error)
            implements LogRow {
        @Override
        public String failure() {
            return error;
        }
    }

    /**
     * {@code mysql_server_replication_lag_log}; {@code repl_lag} is the lag used for the decision (a NULL
     * Seconds_Behind_Master is logged as slave_lag_when_null, as ProxySQL does), null when the check failed.
     */
    public record ReplicationLagLogRow(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("port") int port,
            @JsonProperty("time_start_us") long timeStartUs,
            @JsonProperty("success_time_us") long successTimeUs,
            @JsonProperty("repl_lag") Integer replLag,
            @JsonProperty("error") String error)
            implements LogRow {
        @Override
        public String failure() {
            return error;
        }
    }
}
