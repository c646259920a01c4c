package io.mysqlprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One report window, exactly as DESIGN.md §3 names its fields (JSON in snake_case, see {@link ReportJson}).
 * Slaves publish one per window; a master's report has the same shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(
        String node,
        String role,
        String cluster,
        Window window,
        CaptureSection capture,
        List<TemplateReport> templates,
        List<Source> sources,
        Object monitor) {

    public record Window(long startMs, long endMs) {}

    /** A slave that contributed to a master's report. */
    public record Source(String node, String address, CaptureSection capture) {}

    /**
     * Loss and volume accounting of the window: nothing is dropped without a counter here.
     *
     * @param packets              frames captured
     * @param bytes                bytes on the wire of those frames
     * @param kernelDropped        pcap_stats ps_drop (kernel buffer full)
     * @param interfaceDropped     pcap_stats ps_ifdrop
     * @param queueDropped         frames dropped because a decode worker's queue was full
     * @param streamGaps           TCP holes never filled (bytes lost; the protocol resynced)
     * @param decodeErrors         malformed MySQL packets and unrecognised streams, all kinds
     * @param decodeErrorsByKind   the same, by kind
     * @param tlsConnections       connections that switched to TLS (counted, not decoded)
     * @param unmatchedResponses   server packets with no command in flight
     * @param resyncs              times a connection decoder lost and regained the stream
     * @param connections          connections tracked at the end of the window
     * @param connectionsOpened    connections first seen in the window
     * @param connectionsEvicted   connections dropped by the idle timeout or the flow-table bound
     * @param statements           statements aggregated
     * @param lateStatements       statements that finished after their window was published
     * @param templatesOverflowed  statements counted in the overflow entry (report.max_templates)
     * @param otherSkipped         frames that were not TCP for the port, IP fragments, malformed headers
     */
    public record CaptureSection(
            long packets,
            long bytes,
            long kernelDropped,
            long interfaceDropped,
            long queueDropped,
            long streamGaps,
            long decodeErrors,
            Map<String, Long> decodeErrorsByKind,
            long tlsConnections,
            long unmatchedResponses,
            long resyncs,
            long connections,
            long connectionsOpened,
            long connectionsEvicted,
            long statements,
            long lateStatements,
            long templatesOverflowed,
            long otherSkipped) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TemplateReport(
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
            List<Slow> slow) {}

    public record Latency(long sum, long min, long max, long p50, long p95, long p99, long p999, String histogram) {}

    public record Slow(
            long requestTsUs, long responseTsUs, long latencyUs, String client, String sql, int errno, long rows) {}
}
