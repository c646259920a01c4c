package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import io.mysqlprobe.tcp.StreamHandlerFactory;
import java.util.function.Consumer;

/** Opens one {@link MysqlConnectionDecoder} per connection, all sharing a sink, counters and session lookup. */
public final class MysqlStreamHandlerFactory implements StreamHandlerFactory {

    private final Consumer<StatementRecord> sink;
    private final ProtocolStats stats;
    private final SessionLookup sessionLookup;

    public MysqlStreamHandlerFactory(Consumer<StatementRecord> sink, ProtocolStats stats, SessionLookup sessionLookup) {
        this.sink = sink;
        this.stats = stats;
        this.sessionLookup = sessionLookup == null ? SessionLookup.NONE : sessionLookup;
    }

    public ProtocolStats stats() {
        return stats;
    }

    @Override
    public StreamHandler open(FlowKey key, long tsMicros, boolean sawHandshake) {
        return new MysqlConnectionDecoder(key, sawHandshake, sink, stats, sessionLookup);
    }
}
