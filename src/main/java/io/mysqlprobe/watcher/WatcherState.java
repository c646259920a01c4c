package io.mysqlprobe.watcher;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The processlist watcher's counters, the {@code watcher} object of this node's {@code /cluster/listnodes} entry.
 * Serialised in declaration order under snake_case names; a null error is written as {@code null}.
 *
 * @param performanceSchema whether prepared statements can be looked up ({@code on}, {@code off}, ...)
 * @param preparedLookups look-ups of statements prepared before the probe saw them
 * @param preparedStatementsKnown statements the last look-up named
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WatcherState(
        long refreshes,
        long failures,
        String lastError,
        String performanceSchema,
        long preparedLookups,
        long preparedLookupFailures,
        long preparedStatementsKnown,
        String preparedLastError) {

    /** The watcher's counters now. */
    public static WatcherState of(ProcesslistWatcher w) {
        PreparedStatements ps = w.preparedStatements();
        return new WatcherState(
                w.refreshes(),
                w.failures(),
                w.lastError(),
                ps.performanceSchema(),
                ps.lookups(),
                ps.failures(),
                ps.known(),
                ps.lastError());
    }
}
