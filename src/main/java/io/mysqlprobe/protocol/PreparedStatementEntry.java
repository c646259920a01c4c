package io.mysqlprobe.protocol;

import java.util.BitSet;

/**
 * One server-side prepared statement of a connection: its SQL, parameter count (from COM_STMT_PREPARE_OK,
 * or the {@code ?} in the SQL until that arrives), the parameter types bound by the last execute that sent
 * them (new_params_bound_flag = 1), and parameters given by COM_STMT_SEND_LONG_DATA.
 */
final class PreparedStatementEntry {

    final String sql;
    /**
     * An execute of an id whose PREPARE was not seen and that the server has not named (yet): {@code sql} is its
     * {@link PreparedPlaceholder} and the entry keeps the parameter count and types the wire told.
     */
    final boolean unresolved;

    int paramCount;
    int[] types;
    BitSet longData;

    PreparedStatementEntry(String sql, int paramCount) {
        this(sql, paramCount, false);
    }

    PreparedStatementEntry(String sql, int paramCount, boolean unresolved) {
        this.sql = sql;
        this.paramCount = paramCount;
        this.unresolved = unresolved;
    }
}
