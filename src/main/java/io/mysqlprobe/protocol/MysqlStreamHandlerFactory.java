package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import io.mysqlprobe.tcp.StreamHandlerFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Opens one {@link MysqlConnectionDecoder} per connection, all sharing a sink, counters and session lookup. */
public final class MysqlStreamHandlerFactory implements StreamHandlerFactory {

    private final Consumer<StatementRecord> sink;
    private final ProtocolStats stats;
    private final SessionLookup sessionLookup;
    private final BooleanSupplier parameterValues;

    public MysqlStreamHandlerFactory(Consumer<StatementRecord> sink, ProtocolStats stats, SessionLookup sessionLookup) {
        this(sink, stats, sessionLookup, () -> true);
    }

    /**
     * @param parameterValues whether COM_STMT_EXECUTE parameter values are rendered as literals (only raw-SQL
     *                        samples show them; rendering every execute's values costs time on the hot path)
     */
    public MysqlStreamHandlerFactory(Consumer<StatementRecord> sink, ProtocolStats stats, SessionLookup sessionLookup,
                                     BooleanSupplier parameterValues) {
        this.sink = sink;
        this.stats = stats;
        this.sessionLookup = sessionLookup == null ? SessionLookup.NONE : sessionLookup;
        this.parameterValues = parameterValues;
    }

    public ProtocolStats stats() {
        return stats;
    }

    @Override
    public StreamHandler open(FlowKey key, long tsMicros, boolean sawHandshake) {
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(key, sawHandshake, sink, stats, sessionLookup);
        d.parameterValues(parameterValues);
        return d;
    }
}
