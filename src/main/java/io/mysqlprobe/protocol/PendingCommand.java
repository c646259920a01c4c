package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import java.util.List;

/**
 * A client command in flight and what its response has shown so far. Owned by one decoder.
 * Also reads the generic response packets (OK_Packet, ERR_Packet, EOF_Packet) into itself
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html).
 */
final class PendingCommand {

    /** What follows a block of column/parameter definitions. */
    enum AfterDefinitions {
        ROWS,
        PREPARE_COLUMNS,
        DONE
    }

    final Command command;
    final String sql;
    /** COM_STMT_EXECUTE: the bound values as SQL literals, else null. */
    List<String> parameters;
    /** Top-level statements of a multi-statement COM_QUERY, else null. */
    List<String> statements;

    int statementIndex;
    /** Server state that reads this command's first response packet; null when there is no response. */
    MysqlConnectionDecoder.State responseState;

    /** Sequence id of the request's last physical packet: the response starts at the next one. */
    final int requestLastSequenceId;

    boolean responseSeen;
    long requestTs;
    long firstResponseTs;
    long lastResponseTs;
    long bytesIn;
    long bytesOut;
    boolean ok = true;
    int errno;
    String sqlState;
    String errorMessage;
    long rowsSent;
    long rowsAffected;
    int warnings;
    int serverStatus;
    /** The connection ended before the response did (see {@link StatementRecord#incomplete}). */
    boolean incomplete;

    /** Schema to switch to when the server says OK (COM_INIT_DB, USE db). */
    String schemaOnOk;
    /** COM_CHANGE_USER's new user/db, applied on OK. */
    Handshake.ChangeUser changeUserOnOk;
    /** COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY: no rows follow the metadata. */
    boolean cursor;
    /** COM_STMT_EXECUTE of a statement id the connection cannot name: what the wire tells of it, else null. */
    PreparedPlaceholder unknownStatement;
    /** COM_STMT_EXECUTE: the statement id, when {@link #unknownStatement} is set. */
    long statementId;
    /** COM_STMT_PREPARE: the statement being prepared. */
    PreparedStatementEntry prepared;
    /** COM_STMT_PREPARE: the statement id from COM_STMT_PREPARE_OK. */
    long preparedId = -1;

    long prepareColumns;
    long definitionsRemaining;
    AfterDefinitions afterDefinitions = AfterDefinitions.ROWS;

    PendingCommand(Command command, String sql, Packet request) {
        this.command = command;
        this.sql = sql;
        this.requestLastSequenceId = request.lastSequenceId;
        this.requestTs = request.tsFirst;
        this.bytesIn = request.wireBytes;
    }

    void account(Packet p) {
        responseSeen = true;
        if (firstResponseTs == 0) {
            firstResponseTs = p.tsFirst;
        }
        lastResponseTs = p.tsLast;
        bytesOut += p.wireBytes;
    }

    /** OK_Packet (header 0x00, or 0xFE ending a result set under CLIENT_DEPRECATE_EOF). */
    boolean readOk(PacketReader r) {
        r.skip(1); // header
        long affected = r.readLengthEncodedInteger();
        r.readLengthEncodedInteger(); // last_insert_id
        int status = r.readInt2();
        int warn = r.readInt2();
        if (r.overrun()) {
            return false;
        }
        rowsAffected = affected;
        serverStatus = status;
        warnings = warn;
        return true;
    }

    /** EOF_Packet (header 0xFE, warnings, status flags). */
    boolean readEof(PacketReader r) {
        r.skip(1);
        int warn = r.readInt2();
        int status = r.readInt2();
        if (r.overrun()) {
            return false;
        }
        warnings = warn;
        serverStatus = status;
        return true;
    }

    /** The 0xFE packet ending a block: EOF_Packet when 5 bytes long, else an OK_Packet with 0xFE header. */
    boolean readEofOrOk(PacketReader r, long length) {
        return length == PacketTypes.EOF_PACKET_LENGTH_41 ? readEof(r) : readOk(r);
    }

    /**
     * ERR_Packet: errno, SQLSTATE when the '#' marker is present, message.
     *
     * @return false when malformed
     */
    boolean readErr(PacketReader r) {
        r.skip(1);
        int code = r.readInt2();
        String state = null;
        if (r.peekInt1() == '#') {
            r.skip(1);
            state = r.readFixedString(5);
        }
        String message = r.readRestOfPacketString();
        if (r.overrun()) {
            return false;
        }
        ok = false;
        errno = code;
        sqlState = state;
        errorMessage = message;
        return true;
    }

    static boolean isProgressReport(Packet p) {
        return p.captured >= 3 && (p.byteAt(1) | p.byteAt(2) << 8) == PacketTypes.MARIADB_PROGRESS_ERRNO;
    }

    boolean moreResults() {
        return ok && (serverStatus & ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS) != 0;
    }

    /** True when the result that just ended can be attributed to its own statement of a multi-statement query. */
    boolean hasUnattributedStatements() {
        return statements != null && statementIndex < statements.size() - 1;
    }

    /** The SQL of the record being finished. */
    String currentSql(boolean finalResult) {
        if (statements == null || (statementIndex == 0 && finalResult)) {
            return sql;
        }
        if (!finalResult || !ok || statementIndex == statements.size() - 1) {
            return statements.get(statementIndex);
        }
        return String.join("; ", statements.subList(statementIndex, statements.size()));
    }

    StatementRecord toRecord(FlowKey conn, long connectionId, String user, String db, boolean finalResult) {
        String text = unknownStatement != null ? unknownStatement.text() : currentSql(finalResult);
        return new StatementRecord(
                conn,
                connectionId,
                user,
                db,
                command,
                text,
                requestTs,
                firstResponseTs,
                lastResponseTs,
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
                parameters,
                incomplete);
    }

    /** After a record for one statement of a multi-statement query: the next one starts where it ended. */
    void startNextStatement() {
        statementIndex++;
        requestTs = lastResponseTs;
        firstResponseTs = 0;
        bytesIn = 0;
        bytesOut = 0;
        rowsSent = 0;
        rowsAffected = 0;
        warnings = 0;
        serverStatus = 0;
    }
}
