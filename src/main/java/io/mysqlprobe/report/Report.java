package io.mysqlprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One report window, exactly as DESIGN.md §3 names its fields (JSON in snake_case, see {@link ReportJson}).
 * Slaves publish one per window; a master's report has the same shape.
 *
 * <p>Its templates are the aggregator's own immutable {@link TemplateSnapshot}s, not a copy in a second field
 * list: that record's components are the template's JSON fields, in the wire's order, so a slave writes them and a
 * master reads them back into the same type and merges them (see {@link ReportMerger}). Only this record's own
 * null fields are omitted ({@code NON_NULL}); a template writes every field, nulls included.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(
        String node,
        String role,
        String cluster,
        Window window,
        CaptureSection capture,
        List<TemplateSnapshot> templates,
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
}
