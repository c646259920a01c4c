package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import io.mysqlprobe.tcp.StreamHandlerFactory;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Opens one {@link MysqlConnectionDecoder} per connection, all sharing a sink, counters and session lookup. */
public final class MysqlStreamHandlerFactory implements StreamHandlerFactory {

    private final Consumer<StatementRecord> sink;
    private final ProtocolStats stats;
    private final SessionLookup sessionLookup;
    private final BooleanSupplier parameterValues;
    private PreparedStatementLookup preparedLookup = PreparedStatementLookup.NONE;
    private long maxHoldUs = HeldStatements.MAX_HOLD_US;
    /** Decoders of this worker holding statements for the {@link PreparedStatementLookup}: swept. */
    private final Set<MysqlConnectionDecoder> holding = Collections.newSetFromMap(new IdentityHashMap<>());

    public MysqlStreamHandlerFactory(Consumer<StatementRecord> sink, ProtocolStats stats, SessionLookup sessionLookup) {
        this(sink, stats, sessionLookup, () -> true);
    }

    /**
     * @param parameterValues whether COM_STMT_EXECUTE parameter values are rendered as literals (only raw-SQL
     *                        samples show them; rendering every execute's values costs time on the hot path)
     */
    public MysqlStreamHandlerFactory(
            Consumer<StatementRecord> sink,
            ProtocolStats stats,
            SessionLookup sessionLookup,
            BooleanSupplier parameterValues) {
        this.sink = sink;
        this.stats = stats;
        this.sessionLookup = sessionLookup == null ? SessionLookup.NONE : sessionLookup;
        this.parameterValues = parameterValues;
    }

    public ProtocolStats stats() {
        return stats;
    }

    /**
     * Names statement ids prepared before the capture (the watcher); set before the first connection opens.
     *
     * @param maxHoldUs how long (packet time) a statement may wait for the answer, at most 0.5 s: keep it inside
     *                  the window publish grace, so a held statement is rarely late
     */
    public MysqlStreamHandlerFactory preparedLookup(PreparedStatementLookup lookup, long maxHoldUs) {
        this.preparedLookup = lookup == null ? PreparedStatementLookup.NONE : lookup;
        this.maxHoldUs = maxHoldUs;
        return this;
    }

    /** Releases statements held on connections that went quiet (and, at {@code Long.MAX_VALUE}, all of them). */
    @Override
    public void sweep(long nowMicros) {
        for (Iterator<MysqlConnectionDecoder> it = holding.iterator(); it.hasNext(); ) {
            if (!it.next().releaseHeld(nowMicros)) {
                it.remove();
            }
        }
    }

    @Override
    public StreamHandler open(FlowKey key, long tsMicros, boolean sawHandshake) {
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(key, sawHandshake, sink, stats, sessionLookup);
        d.parameterValues(parameterValues);
        if (preparedLookup != PreparedStatementLookup.NONE) {
            d.preparedLookup(preparedLookup, maxHoldUs, holding::add);
        }
        return d;
    }
}
