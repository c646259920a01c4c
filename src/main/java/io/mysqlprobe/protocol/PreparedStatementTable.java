package io.mysqlprobe.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * One connection's prepared statements, statement id → SQL, bounded ({@link #MAX_PREPARED_STATEMENTS} statements,
 * {@link #MAX_PREPARED_SQL_CHARS} characters; what does not fit is counted in {@code statementTableOverflows}).
 * Remembered at COM_STMT_PREPARE_OK, named by the server for ids prepared before the capture, forgotten at
 * COM_STMT_CLOSE, COM_RESET_CONNECTION and COM_CHANGE_USER.
 */
final class PreparedStatementTable {

    /** Prepared statements remembered per connection. */
    static final int MAX_PREPARED_STATEMENTS = 4096;
    /** SQL characters all remembered prepared statements may hold per connection. */
    static final long MAX_PREPARED_SQL_CHARS = 4L << 20;
    /** MariaDB's statement id meaning "the statement just prepared" (Connector/J pipelines PREPARE and EXECUTE). */
    static final long LAST_PREPARED_ID = 0xFFFF_FFFFL;

    private final ProtocolStats stats;
    private final Map<Long, PreparedStatementEntry> prepared = new HashMap<>();
    private long preparedChars;
    /** The latest COM_STMT_PREPARE sent (MariaDB's statement id 0xFFFFFFFF refers to it). */
    private PreparedStatementEntry lastPrepared;

    PreparedStatementTable(ProtocolStats stats) {
        this.stats = stats;
    }

    /** A COM_STMT_PREPARE was sent: until its OK, id 0xFFFFFFFF means this one. */
    void prepareSent(PreparedStatementEntry stmt) {
        lastPrepared = stmt;
    }

    PreparedStatementEntry get(long id) {
        return id == LAST_PREPARED_ID ? lastPrepared : prepared.get(id);
    }

    /** Whether {@code stmt} fits without pushing anything out. */
    boolean hasRoomFor(PreparedStatementEntry stmt) {
        return prepared.size() < MAX_PREPARED_STATEMENTS && preparedChars + stmt.sql.length() <= MAX_PREPARED_SQL_CHARS;
    }

    /** At COM_STMT_PREPARE_OK: the statement id and the server's parameter count. */
    void remember(long id, PreparedStatementEntry stmt, int params) {
        stmt.paramCount = params;
        PreparedStatementEntry old = prepared.get(id);
        long chars = preparedChars - (old == null ? 0 : old.sql.length()) + stmt.sql.length();
        if ((old == null && prepared.size() >= MAX_PREPARED_STATEMENTS) || chars > MAX_PREPARED_SQL_CHARS) {
            stats.statementTableOverflows.increment();
            return;
        }
        prepared.put(id, stmt);
        preparedChars = chars;
    }

    /** The SQL the server named for a statement id prepared before the capture, as if its PREPARE had been seen. */
    PreparedStatementEntry rememberResolved(long id, String sql) {
        PreparedStatementEntry old = prepared.get(id);
        if (old != null && !old.unresolved) {
            return old;
        }
        PreparedStatementEntry stmt = new PreparedStatementEntry(sql, SqlText.countPlaceholders(sql));
        if (old != null && old.paramCount == stmt.paramCount) {
            stmt.types = old.types;
        }
        stats.statementIdsResolved.increment();
        remember(id, stmt, stmt.paramCount);
        return stmt;
    }

    /** COM_STMT_CLOSE. */
    void forget(long id) {
        PreparedStatementEntry old = prepared.remove(id);
        if (old != null) {
            preparedChars -= old.sql.length();
        }
    }

    /** COM_RESET_CONNECTION, COM_CHANGE_USER. */
    void forgetAll() {
        prepared.clear();
        preparedChars = 0;
    }
}
