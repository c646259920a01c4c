package io.mysqlprobe.tcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connections one worker tracks. Not thread-safe: each worker owns one table, and the dispatcher
 * sends every segment of a connection to the same worker. Bounded: past {@code maxConnections} the least
 * recently active flow is evicted; {@link #evictIdle} drops flows silent for longer than the idle timeout.
 */
public final class FlowTable {

    private static final int FIN_CLIENT = 1;
    private static final int FIN_SERVER = 2;

    private final class Flow {
        final FlowKey key;
        final StreamHandler handler;
        final Reassembler toServer;
        final Reassembler toClient;
        long lastTs;
        int fins;

        Flow(FlowKey key, StreamHandler handler, long ts) {
            this.key = key;
            this.handler = handler;
            this.toServer = new Reassembler(Direction.CLIENT_TO_SERVER, handler, counters, maxPendingBytes);
            this.toClient = new Reassembler(Direction.SERVER_TO_CLIENT, handler, counters, maxPendingBytes);
            this.lastTs = ts;
        }
    }

    private final StreamHandlerFactory factory;
    private final TcpCounters counters;
    private final int maxConnections;
    private final int maxPendingBytes;
    private final LinkedHashMap<FlowKey, Flow> flows;

    public FlowTable(StreamHandlerFactory factory, TcpCounters counters, int maxConnections, int maxPendingBytes) {
        this.factory = factory;
        this.counters = counters;
        this.maxConnections = maxConnections;
        this.maxPendingBytes = maxPendingBytes;
        this.flows = new LinkedHashMap<>(1024, 0.75f, true);
    }

    public int size() {
        return flows.size();
    }

    public void accept(Segment s) {
        Flow f = flows.get(s.key());
        if (f != null && isReuse(f, s)) {
            close(f, s.tsMicros(), StreamHandler.CloseReason.PORT_REUSED);
            counters.portReuses.increment();
            f = null;
        }
        if (f == null) {
            boolean syn = s.has(Segment.SYN);
            if (!syn && s.payloadLen() == 0) {
                return; // a bare ACK/FIN/RST of a flow we never tracked (or already closed)
            }
            if (flows.size() >= maxConnections) {
                evictEldest(s.tsMicros());
            }
            f = new Flow(s.key(), factory.open(s.key(), s.tsMicros(), syn), s.tsMicros());
            flows.put(s.key(), f);
            counters.connectionsOpened.increment();
        }
        f.lastTs = s.tsMicros();
        boolean toServer = s.dir() == Direction.CLIENT_TO_SERVER;
        Reassembler mine = toServer ? f.toServer : f.toClient;
        Reassembler other = toServer ? f.toClient : f.toServer;
        if (s.has(Segment.SYN)) {
            mine.onSyn(s.seq());
        }
        if (s.payloadLen() > 0) {
            // request/response protocol: when one side speaks, a hole left in the other side won't fill
            other.flushGap(s.tsMicros());
            mine.accept(s.tsMicros(), s.seq(), s.data(), s.payloadOff(), s.payloadLen(), s.hint());
        }
        if (s.has(Segment.RST)) {
            close(f, s.tsMicros(), StreamHandler.CloseReason.RST);
        } else if (s.has(Segment.FIN)) {
            f.fins |= toServer ? FIN_CLIENT : FIN_SERVER;
            if (f.fins == (FIN_CLIENT | FIN_SERVER)) {
                close(f, s.tsMicros(), StreamHandler.CloseReason.FIN);
            }
        }
    }

    /**
     * A client SYN (without ACK) on a tracked 4-tuple starts a new connection unless it repeats the ISN of the SYN
     * that opened this one (a retransmitted SYN). A live connection never sends a SYN, so on a flow first seen
     * mid-stream (no ISN known) any client SYN is a new connection: the old one ended unseen (FIN/RST lost or
     * filtered) or its port was reused from TIME_WAIT before the server's last FIN reached the capture.
     */
    private static boolean isReuse(Flow f, Segment s) {
        return s.dir() == Direction.CLIENT_TO_SERVER
                && s.has(Segment.SYN)
                && !s.has(Segment.ACK)
                && f.toServer.isNewIsn(s.seq());
    }

    private void close(Flow f, long ts, StreamHandler.CloseReason reason) {
        flows.remove(f.key);
        f.toServer.flushGap(ts);
        f.toClient.flushGap(ts);
        f.handler.onClose(ts, reason);
        counters.connectionsClosed.increment();
    }

    private void evictEldest(long ts) {
        Iterator<Map.Entry<FlowKey, Flow>> it = flows.entrySet().iterator();
        if (it.hasNext()) {
            Flow f = it.next().getValue();
            it.remove();
            f.handler.onClose(ts, StreamHandler.CloseReason.EVICTED);
            counters.connectionsEvicted.increment();
        }
    }

    /** Drops flows whose last segment is older than {@code idleMicros} before {@code nowMicros}. */
    public void evictIdle(long nowMicros, long idleMicros) {
        Iterator<Map.Entry<FlowKey, Flow>> it = flows.entrySet().iterator();
        while (it.hasNext()) {
            Flow f = it.next().getValue();
            if (nowMicros - f.lastTs < idleMicros) {
                return; // access order: the rest are more recent
            }
            it.remove();
            f.handler.onClose(nowMicros, StreamHandler.CloseReason.IDLE);
            counters.connectionsEvicted.increment();
        }
    }

    /** The handlers' periodic sweep at packet time {@code nowMicros} (see {@link StreamHandlerFactory#sweep}). */
    public void sweepHandlers(long nowMicros) {
        factory.sweep(nowMicros);
    }

    /** End of a capture file: every flow is closed, holes reported as gaps. */
    public void closeAll(long ts) {
        for (Flow f : flows.values().toArray(new Flow[0])) {
            close(f, ts, StreamHandler.CloseReason.END_OF_CAPTURE);
        }
    }
}
