package io.mysqlprobe;

import io.mysqlprobe.capture.CaptureCounters;
import io.mysqlprobe.protocol.DecodeError;
import io.mysqlprobe.protocol.ProtocolStats;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.tcp.TcpCounters;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Every stage's counters, read together into {@link Totals} and turned into a report's capture section. */
final class Counters {

    final CaptureCounters capture = new CaptureCounters();
    final TcpCounters tcp = new TcpCounters();
    final ProtocolStats protocol = new ProtocolStats();
    final LongAdder queueDropped = new LongAdder();
    final LongAdder statements = new LongAdder();

    Totals totals() {
        ProtocolStats.Snapshot p = protocol.snapshot();
        Map<String, Long> v = new HashMap<>();
        v.put("packets", capture.packets.sum());
        v.put("bytes", capture.bytes.sum());
        v.put("kernel_dropped", capture.kernelDropped.get());
        v.put("interface_dropped", capture.interfaceDropped.get());
        v.put("queue_dropped", queueDropped.sum());
        v.put("stream_gaps", tcp.streamGaps.sum());
        v.put("decode_errors", p.decodeErrorsTotal());
        v.put("tls_connections", p.tlsConnections());
        v.put("unmatched_responses", p.unmatchedResponses());
        v.put("resyncs", p.resyncs());
        v.put("connections_opened", tcp.connectionsOpened.sum());
        v.put("connections_evicted", tcp.connectionsEvicted.sum());
        v.put("statements", statements.sum());
        v.put("other_skipped", capture.nonIp.sum() + capture.truncatedRecords.sum() + tcp.notTcp.sum()
                + tcp.ipFragments.sum() + tcp.malformed.sum());
        Map<String, Long> kinds = new TreeMap<>();
        p.decodeErrors().forEach((k, n) -> kinds.put(kindName(k), n));
        kinds.put("undecodable_connections", p.undecodableConnections());
        kinds.put("commands_dropped", p.commandsDropped());
        kinds.put("unknown_statement_ids", p.unknownStatementIds());
        kinds.put("statement_ids_resolved", p.statementIdsResolved());
        kinds.put("held_statements_forced", p.heldStatementsForced());
        kinds.put("truncated_requests", p.truncatedRequests());
        kinds.put("responses_cut_by_gap", p.responsesCutByGap());
        kinds.put("reassembly_overflows", tcp.reassemblyOverflows.sum());
        return new Totals(v, kinds);
    }

    /** The capture section of a window from the change of counters over it. */
    static Report.CaptureSection section(Totals d, long connections, long late, long overflowed) {
        return new Report.CaptureSection(d.get("packets"), d.get("bytes"), d.get("kernel_dropped"),
                d.get("interface_dropped"), d.get("queue_dropped"), d.get("stream_gaps"), d.get("decode_errors"),
                nonZero(d.decodeErrorsByKind()), d.get("tls_connections"), d.get("unmatched_responses"),
                d.get("resyncs"), connections, d.get("connections_opened"), d.get("connections_evicted"),
                d.get("statements"), late, overflowed, d.get("other_skipped"));
    }

    /** Unused kinds are omitted so the report stays short. */
    static Map<String, Long> nonZero(Map<String, Long> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String kindName(DecodeError.Kind k) {
        return k.name().toLowerCase();
    }
}
