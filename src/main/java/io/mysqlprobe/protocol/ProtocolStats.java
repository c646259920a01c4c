package io.mysqlprobe.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by every connection decoder (thread-safe, LongAdder). {@link #snapshot()}
 * publishes an immutable copy for the report's {@code capture} section.
 */
public final class ProtocolStats {

    final LongAdder connections = new LongAdder();
    final LongAdder connectionsWithoutHandshake = new LongAdder();
    final LongAdder tlsConnections = new LongAdder();
    final LongAdder compressedConnections = new LongAdder();
    final LongAdder undecodableConnections = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder statements = new LongAdder();
    final LongAdder gaps = new LongAdder();
    final LongAdder resyncs = new LongAdder();
    final LongAdder commandsDropped = new LongAdder();
    final LongAdder unmatchedResponses = new LongAdder();
    final LongAdder unknownStatementIds = new LongAdder();
    final LongAdder statementTableOverflows = new LongAdder();
    final LongAdder discardedBytes = new LongAdder();
    final LongAdder truncatedRequests = new LongAdder();
    final LongAdder responsesCutByGap = new LongAdder();
    final LongAdder incompleteStatements = new LongAdder();
    final LongAdder statementIdsResolved = new LongAdder();
    final LongAdder heldStatementsForced = new LongAdder();
    private final Map<DecodeError.Kind, LongAdder> decodeErrors = new EnumMap<>(DecodeError.Kind.class);
    private final AtomicReference<DecodeError> lastDecodeError = new AtomicReference<>();

    public ProtocolStats() {
        for (DecodeError.Kind k : DecodeError.Kind.values()) {
            decodeErrors.put(k, new LongAdder());
        }
    }

    void decodeError(DecodeError e) {
        decodeErrors.get(e.kind()).increment();
        lastDecodeError.set(e);
    }

    /** An immutable copy of every counter. */
    public Snapshot snapshot() {
        Map<DecodeError.Kind, Long> errors = new EnumMap<>(DecodeError.Kind.class);
        decodeErrors.forEach((k, v) -> errors.put(k, v.sum()));
        return new Snapshot(
                connections.sum(),
                connectionsWithoutHandshake.sum(),
                tlsConnections.sum(),
                compressedConnections.sum(),
                undecodableConnections.sum(),
                authFailures.sum(),
                refusedConnections.sum(),
                statements.sum(),
                gaps.sum(),
                resyncs.sum(),
                commandsDropped.sum(),
                unmatchedResponses.sum(),
                unknownStatementIds.sum(),
                statementTableOverflows.sum(),
                discardedBytes.sum(),
                truncatedRequests.sum(),
                responsesCutByGap.sum(),
                incompleteStatements.sum(),
                Collections.unmodifiableMap(errors),
                lastDecodeError.get(),
                statementIdsResolved.sum(),
                heldStatementsForced.sum());
    }

    /**
     * @param connections                 decoders opened
     * @param connectionsWithoutHandshake connections already open when capture started
     * @param tlsConnections              connections that switched to TLS after an SSLRequest
     * @param compressedConnections       connections that negotiated CLIENT_COMPRESS, or whose compressed frames were
     *                                    recognised mid-stream (handshake not captured)
     * @param undecodableConnections      connections given up on (not MySQL, bad handshake, zstd compression)
     * @param authFailures                handshakes answered with ERR_Packet
     * @param refusedConnections          connections the server answered with ERR_Packet instead of a greeting
     * @param statements                  statement records emitted
     * @param gaps                        lost-byte notices from the tcp stage
     * @param resyncs                     times an UNSYNCED connection found a command again
     * @param commandsDropped             commands in flight dropped without a record (gap, desync)
     * @param unmatchedResponses          server packets with no command in flight
     * @param unknownStatementIds         statements counted under a {@link PreparedPlaceholder} (statement id whose
     *                                    PREPARE was not seen and the server did not name), and text EXECUTEs of
     *                                    an unknown name
     * @param statementTableOverflows     prepared statements not remembered because the table was full
     * @param discardedBytes              bytes skipped while UNSYNCED or undecodable (not TLS)
     * @param truncatedRequests           requests longer than the capture cap (SQL text truncated)
     * @param responsesCutByGap           statements whose response lost bytes (capture drops): still counted, with
     *                                    latency to the last response byte seen and rows as a lower bound
     * @param incompleteStatements        commands whose response never arrived (connection closed, evicted, its port
     *                                    reused, end of capture): still counted, flagged incomplete, latency unknown
     * @param decodeErrors                decode failures by kind
     * @param lastDecodeError             the latest failure, for diagnostics (null if none)
     * @param statementIdsResolved        statement ids prepared before the capture that the server named
     *                                    ({@link PreparedStatementLookup})
     * @param heldStatementsForced        statements of an unknown id held for the server's answer and sent under
     *                                    their placeholder because a bound (time, count) was hit
     */
    public record Snapshot(
            long connections,
            long connectionsWithoutHandshake,
            long tlsConnections,
            long compressedConnections,
            long undecodableConnections,
            long authFailures,
            long refusedConnections,
            long statements,
            long gaps,
            long resyncs,
            long commandsDropped,
            long unmatchedResponses,
            long unknownStatementIds,
            long statementTableOverflows,
            long discardedBytes,
            long truncatedRequests,
            long responsesCutByGap,
            long incompleteStatements,
            Map<DecodeError.Kind, Long> decodeErrors,
            DecodeError lastDecodeError,
            long statementIdsResolved,
            long heldStatementsForced) {

        public long decodeErrorsTotal() {
            return decodeErrors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long decodeErrors(DecodeError.Kind kind) {
            return decodeErrors.getOrDefault(kind, 0L);
        }
    }
}
