package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import java.util.List;
import java.util.Map;

/**
 * Immutable statistics of one template in one window, and the one field list of a template's figures: the report
 * carries this record as it is ({@code Report.templates}), so its components, in this order, are the template's
 * JSON fields of DESIGN.md §3 (snake_case by the report's mapper, no annotation needed), and a master reads a
 * slave's templates straight back into it and merges them like a worker's ({@link WindowMerge#templates}).
 *
 * <p>Nothing is only on the wire and nothing only in the aggregate: the grouping key and the fingerprint are the
 * fields {@code id}, {@code template}, {@code statement_type}, {@code tables}, {@code server}, {@code db} ({@link
 * #key()}, {@link #fingerprint()} derive them). The id is kept as the report shows it (16 hex digits), since
 * that is its stable public form; a merge parses it back. Quantiles clamped by min/max are exact bounds.
 *
 * <p>A record read from JSON may lack fields an older or foreign writer left out: lists, maps and the latency
 * default to empty ones here, so every reader can rely on them (the aggregator itself never leaves them null).
 *
 * @param id        the template's 64-bit digest as 16 lower-case hex digits
 * @param server    the server's {@code host:port}
 * @param db        the schema, or null when unknown
 * @param latencyUs latency from the first request byte to the last response byte, microseconds
 * @param slow      the slowest statements over the threshold, slowest first
 */
public record TemplateSnapshot(
        String id,
        String template,
        String statementType,
        List<String> tables,
        String server,
        String db,
        long count,
        long errors,
        Map<String, Long> errorCodes,
        Latency latencyUs,
        long rowsSent,
        long rowsAffected,
        long warnings,
        long bytesIn,
        long bytesOut,
        long noIndexUsed,
        long noGoodIndexUsed,
        long queryWasSlow,
        long firstSeenMs,
        long lastSeenMs,
        Map<String, Long> clients,
        Map<String, Long> users,
        String sample,
        List<SlowSample> slow) {

    /** No latency: what a template whose statements all went unanswered (or a report without the field) has. */
    static final Latency NO_LATENCY = new Latency(0, 0, 0, 0, 0, 0, 0, null);

    public TemplateSnapshot {
        tables = tables == null ? List.of() : tables;
        errorCodes = errorCodes == null ? Map.of() : errorCodes;
        latencyUs = latencyUs == null ? NO_LATENCY : latencyUs;
        clients = clients == null ? Map.of() : clients;
        users = users == null ? Map.of() : users;
        slow = slow == null ? List.of() : slow;
    }

    /**
     * The latency summary of a template.
     *
     * @param histogram the mergeable sketch, encoded ({@link LatencySketch#encode}; the older {@code dd1:} form is
     *                  still read)
     */
    public record Latency(long sum, long min, long max, long p50, long p95, long p99, long p999, String histogram) {}

    /** What the statistics are grouped by. */
    public TemplateKey key() {
        return new TemplateKey(server, db, idValue());
    }

    /** The fingerprint these statistics are of. */
    public Fingerprint fingerprint() {
        return new Fingerprint(idValue(), template, statementType, tables);
    }

    private long idValue() {
        return Long.parseUnsignedLong(id, 16);
    }
}
