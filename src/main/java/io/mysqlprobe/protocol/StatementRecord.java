package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import java.util.List;

/**
 * One finished client command with its server response, as the protocol stage saw it.
 *
 * @param conn              the TCP connection
 * @param connectionId      server thread id from the greeting, or 0 when the handshake was not seen
 * @param user              login user, or null when unknown
 * @param db                current schema, or null when unknown
 * @param command           the client command (COM_QUERY, COM_INIT_DB, ...)
 * @param sql               statement text for COM_QUERY, schema for COM_INIT_DB, else a label such as "ping"
 * @param requestTsUs       timestamp of the first request byte, microseconds since the epoch
 * @param firstResponseTsUs timestamp of the first response byte (0 when there was none, e.g. COM_QUIT)
 * @param lastResponseTsUs  timestamp of the last response byte (0 when there was none)
 * @param ok                false when the server answered with an ERR_Packet
 * @param errno             error code of the ERR_Packet, else 0
 * @param sqlState          SQLSTATE of the ERR_Packet, else null
 * @param errorMessage      message of the ERR_Packet, else null
 * @param rowsSent          rows in the result set(s)
 * @param rowsAffected      affected rows from the final OK_Packet
 * @param warnings          warnings from the final OK_Packet or EOF_Packet
 * @param serverStatus      SERVER_STATUS flags from the final OK/EOF packet
 * @param bytesIn           request bytes (client → server), MySQL packet headers included
 * @param bytesOut          response bytes (server → client), MySQL packet headers included
 * @param parameters        values bound to the {@code ?} of {@code sql}, as SQL literals (COM_STMT_EXECUTE
 *                          decoded by type; text {@code EXECUTE … USING} expressions), else null
 * @param incomplete        the connection ended (closed, evicted, its port reused, end of the capture) before the
 *                          response did: the server may have run it, its latency is unknown and the response fields
 *                          hold only what was seen
 */
public record StatementRecord(
        FlowKey conn,
        long connectionId,
        String user,
        String db,
        Command command,
        String sql,
        long requestTsUs,
        long firstResponseTsUs,
        long lastResponseTsUs,
        boolean ok,
        int errno,
        String sqlState,
        String errorMessage,
        long rowsSent,
        long rowsAffected,
        int warnings,
        int serverStatus,
        long bytesIn,
        long bytesOut,
        List<String> parameters,
        boolean incomplete) {

    /** The same record under another SQL text and parameters (text EXECUTE resolved to its PREPARE). */
    public StatementRecord withSql(String newSql, List<String> newParameters) {
        return copy(user, db, newSql, newParameters);
    }

    /** The same record with user/db filled in. */
    public StatementRecord withSession(String newUser, String newDb) {
        return copy(newUser, newDb, sql, parameters);
    }

    private StatementRecord copy(String newUser, String newDb, String newSql, List<String> newParameters) {
        return new StatementRecord(
                conn,
                connectionId,
                newUser,
                newDb,
                command,
                newSql,
                requestTsUs,
                firstResponseTsUs,
                lastResponseTsUs,
                ok,
                errno,
                sqlState,
                errorMessage,
                rowsSent,
                rowsAffected,
                warnings,
                serverStatus,
                bytesIn,
                bytesOut,
                newParameters,
                incomplete);
    }

    /**
     * The SQL as executed: {@code sql} with each {@code ?} replaced by its parameter (computed on demand:
     * only slow samples with raw SQL need it). Without parameters, {@code sql}.
     */
    public String sqlWithParameters() {
        return parameters == null || parameters.isEmpty() || sql == null
                ? sql
                : SqlText.substitutePlaceholders(sql, parameters);
    }

    /** Latency from the first request byte to the last response byte, 0 when there was none or it is unknown. */
    public long latencyUs() {
        return lastResponseTsUs == 0 || incomplete ? 0 : Math.max(0, lastResponseTsUs - requestTsUs);
    }
}
