package io.mysqlprobe.pipeline;

import io.mysqlprobe.capture.CaptureCounters;
import io.mysqlprobe.protocol.ProtocolStats;
import io.mysqlprobe.tcp.TcpCounters;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters one thread writes: a capture thread's (packets, bytes, headers skipped, queue drops) or a decode
 * worker's (TCP and MySQL stages). One owner per set is what lets the owner cut them by packet time
 * ({@link CounterCut}); {@link Counters} sums the sets for the cumulative totals.
 */
final class StageCounters {

    final CaptureCounters capture = new CaptureCounters();
    final TcpCounters tcp = new TcpCounters();
    final ProtocolStats protocol = new ProtocolStats();
    final LongAdder queueDropped = new LongAdder();

    /** Every counter that has a packet time, cumulative (pcap_stats drops are not here: see {@link Counters}). */
    Totals totals() {
        ProtocolStats.Snapshot p = protocol.snapshot();
        Map<String, Long> v = new HashMap<>();
        v.put("packets", capture.packets.sum());
        v.put("bytes", capture.bytes.sum());
        v.put("queue_dropped", queueDropped.sum());
        v.put("stream_gaps", tcp.streamGaps.sum());
        v.put("decode_errors", p.decodeErrorsTotal());
        v.put("tls_connections", p.tlsConnections());
        v.put("unmatched_responses", p.unmatchedResponses());
        v.put("resyncs", p.resyncs());
        v.put("connections_opened", tcp.connectionsOpened.sum());
        v.put("connections_evicted", tcp.connectionsEvicted.sum());
        v.put(
                "other_skipped",
                capture.nonIp.sum()
                        + capture.truncatedRecords.sum()
                        + tcp.notTcp.sum()
                        + tcp.ipFragments.sum()
                        + tcp.malformed.sum());
        Map<String, Long> kinds = new TreeMap<>();
        p.decodeErrors().forEach((k, n) -> kinds.put(Counters.kindName(k), n));
        kinds.put("undecodable_connections", p.undecodableConnections());
        kinds.put("commands_dropped", p.commandsDropped());
        kinds.put("unknown_statement_ids", p.unknownStatementIds());
        kinds.put("statement_ids_resolved", p.statementIdsResolved());
        kinds.put("held_statements_forced", p.heldStatementsForced());
        kinds.put("truncated_requests", p.truncatedRequests());
        kinds.put("responses_cut_by_gap", p.responsesCutByGap());
        kinds.put("incomplete_statements", p.incompleteStatements());
        kinds.put("connections_port_reused", tcp.portReuses.sum());
        kinds.put("reassembly_overflows", tcp.reassemblyOverflows.sum());
        return new Totals(v, kinds);
    }
}
