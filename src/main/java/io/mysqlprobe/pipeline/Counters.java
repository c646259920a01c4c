package io.mysqlprobe.pipeline;

import io.mysqlprobe.capture.CaptureCounters;
import io.mysqlprobe.protocol.DecodeError;
import io.mysqlprobe.protocol.ProtocolStats;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.tcp.TcpCounters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Every stage's counters: one {@link StageCounters} per capture thread and per decode worker, each cut by packet
 * time into {@link #byWindow}, plus counters with no packet time (pcap_stats drops, and anything counted off the
 * packet path in {@link #capture}, {@link #tcp}, {@link #protocol}), which a report shows as their change since
 * the previous report. {@link #totals()} is the cumulative sum of all of them (metrics).
 */
public final class Counters {

    /** Set of counters written off the packet path (no packet time): reported since the previous report. */
    private final StageCounters unattributed;

    final CaptureCounters capture;
    final TcpCounters tcp;
    final ProtocolStats protocol;
    /** Statements aggregated, all workers (cumulative; a window counts its own in its {@code WindowData}). */
    final LongAdder statements = new LongAdder();

    final WindowCounts byWindow = new WindowCounts();
    private final List<StageCounters> stages = new CopyOnWriteArrayList<>();

    Counters() {
        unattributed = newStage();
        capture = unattributed.capture;
        tcp = unattributed.tcp;
        protocol = unattributed.protocol;
    }

    /** A set of counters for one thread (registered: its counts are in {@link #totals()}). */
    StageCounters newStage() {
        StageCounters s = new StageCounters();
        stages.add(s);
        return s;
    }

    /** One counter summed over every thread's set. */
    long sum(ToLongFunction<StageCounters> counter) {
        long n = 0;
        for (StageCounters s : stages) {
            n += counter.applyAsLong(s);
        }
        return n;
    }

    /** Cumulative totals of every counter. */
    Totals totals() {
        Totals t = unattributedTotals();
        for (StageCounters s : stages) {
            if (s != unattributed) {
                t = t.plus(s.totals());
            }
        }
        Map<String, Long> v = new HashMap<>(t.values());
        v.put("statements", statements.sum());
        return new Totals(v, t.decodeErrorsByKind());
    }

    /**
     * Counters without a packet time, cumulative: kernel and interface drops (pcap_stats, read once a second) and
     * whatever was counted off the packet path.
     */
    Totals unattributedTotals() {
        Totals t = unattributed.totals();
        Map<String, Long> v = new HashMap<>(t.values());
        v.put("kernel_dropped", sum(s -> s.capture.kernelDropped.get()));
        v.put("interface_dropped", sum(s -> s.capture.interfaceDropped.get()));
        return new Totals(v, t.decodeErrorsByKind());
    }

    /**
     * The capture section of a window: {@code d} holds the window's counter changes, {@code statements} the
     * statements its templates hold (so the two always agree).
     */
    static Report.CaptureSection section(Totals d, long statements, long connections, long late, long overflowed) {
        return new Report.CaptureSection(
                d.get("packets"),
                d.get("bytes"),
                d.get("kernel_dropped"),
                d.get("interface_dropped"),
                d.get("queue_dropped"),
                d.get("stream_gaps"),
                d.get("decode_errors"),
                nonZero(d.decodeErrorsByKind()),
                d.get("tls_connections"),
                d.get("unmatched_responses"),
                d.get("resyncs"),
                connections,
                d.get("connections_opened"),
                d.get("connections_evicted"),
                statements,
                late,
                overflowed,
                d.get("other_skipped"));
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
