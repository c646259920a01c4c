package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;

/**
 * Names statement ids prepared before the capture started (the watcher reads them from the server's
 * {@code performance_schema.prepared_statements_instances}). Called from decode workers: every method must be
 * thread-safe and return at once; the lookup itself runs on the implementation's own thread.
 */
public interface PreparedStatementLookup {

    /**
     * Asks for the prepared statements of {@code conn} (and, in one go, of every connection); never blocks.
     *
     * @return a ticket for {@link #answered}
     */
    long request(FlowKey conn);

    /** Whether the answer to {@code ticket} is in: {@link #sql} now tells what the server knew (a failure answers too). */
    boolean answered(long ticket);

    /** The SQL of statement {@code statementId} of {@code conn} in the latest answer, or null. */
    String sql(FlowKey conn, long statementId);

    /** No lookup (no watcher): unknown ids go out under their placeholder at once. */
    PreparedStatementLookup NONE = new PreparedStatementLookup() {
        @Override
        public long request(FlowKey conn) {
            return 0;
        }

        @Override
        public boolean answered(long ticket) {
            return true;
        }

        @Override
        public String sql(FlowKey conn, long statementId) {
            return null;
        }
    };
}
