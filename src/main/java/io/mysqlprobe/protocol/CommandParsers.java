package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads client commands (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html)
 * into {@link PendingCommand}s, by a table keyed by {@link Command}, naming prepared statements through the
 * connection's {@link PreparedStatementTable}.
 */
final class CommandParsers {

    @FunctionalInterface
    private interface Parser {
        /** {@code r} is positioned after the command byte; returns null when the payload is malformed. */
        PendingCommand parse(Packet p, PacketReader r);
    }

    private final Session session;
    private final SyncControl sync;
    private final PacketReader reader = new PacketReader();
    private final Map<Command, Parser> parsers = new EnumMap<>(Command.class);
    private final PreparedStatementTable prepared;
    /** Reads parameter blocks apart from the command's reader: an unreadable block must not fail the command. */
    private final PacketReader paramReader = new PacketReader();

    CommandParsers(Session session, SyncControl sync) {
        this.session = session;
        this.sync = sync;
        this.prepared = session.prepared;
        parsers.put(Command.COM_QUERY, this::query);
        parsers.put(Command.COM_INIT_DB, this::initDb);
        parsers.put(Command.COM_PING, label("ping", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_QUIT, label("quit", null));
        parsers.put(Command.COM_STATISTICS, label("statistics", State.READ_STATISTICS));
        parsers.put(Command.COM_RESET_CONNECTION, label("reset_connection", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_PROCESS_KILL, label("process_kill", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_PROCESS_INFO, label("process_info", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_DEBUG, label("debug", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_REFRESH, label("refresh", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_SET_OPTION, label("set_option", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_FIELD_LIST, label("field_list", State.READ_FIELD_LIST));
        parsers.put(Command.COM_CHANGE_USER, this::changeUser);
        parsers.put(Command.COM_STMT_PREPARE, this::stmtPrepare);
        parsers.put(Command.COM_STMT_EXECUTE, this::stmtExecute);
        parsers.put(Command.COM_STMT_FETCH, this::stmtFetch);
        parsers.put(Command.COM_STMT_BULK_EXECUTE, this::stmtBulkExecute);
        parsers.put(Command.COM_STMT_CLOSE, this::stmtClose);
        parsers.put(Command.COM_STMT_RESET, stmtLabel("stmt_reset", State.READ_RESULT_HEADER));
        parsers.put(Command.COM_STMT_SEND_LONG_DATA, this::stmtSendLongData);
    }

    /** Lengths a command's payload can have, for resync on a connection whose start was not seen. */
    static boolean plausibleLength(Command cmd, int length) {
        return switch (cmd) {
            case COM_QUIT, COM_PING, COM_STATISTICS, COM_RESET_CONNECTION, COM_DEBUG, COM_PROCESS_INFO -> length == 1;
            case COM_INIT_DB -> length >= 2 && length <= 1 + 256;
            case COM_QUERY, COM_STMT_PREPARE, COM_CHANGE_USER -> length >= 2;
            case COM_FIELD_LIST -> length >= 2 && length <= 4096;
            case COM_STMT_EXECUTE -> length >= 10;
            case COM_STMT_CLOSE, COM_STMT_RESET, COM_PROCESS_KILL -> length == 5;
            case COM_STMT_FETCH -> length == 9;
            case COM_STMT_SEND_LONG_DATA, COM_STMT_BULK_EXECUTE -> length >= 7;
            case COM_SET_OPTION -> length == 3;
            default -> false;
        };
    }

    /** Returns the command, or null after counting why it could not be read (the decoder resyncs). */
    PendingCommand parse(Packet p) {
        PacketReader r = p.reader(reader);
        int code = r.readInt1();
        Command cmd = Command.of(code);
        Parser parser = cmd == null ? null : parsers.get(cmd);
        if (parser == null) {
            sync.lostSync(
                    Direction.CLIENT_TO_SERVER,
                    p.streamOffset,
                    DecodeError.Kind.UNKNOWN_COMMAND,
                    "command byte 0x" + Integer.toHexString(code));
            return null;
        }
        PendingCommand c = parser.parse(p, r);
        if (c == null || r.overrun()) {
            sync.lostSync(Direction.CLIENT_TO_SERVER, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, cmd.name());
            return null;
        }
        return c;
    }

    private static Parser label(String label, State responseState) {
        return (p, r) -> {
            PendingCommand c = new PendingCommand(Command.of(p.byteAt(0)), label, p);
            c.responseState = responseState;
            return c;
        };
    }

    private PendingCommand query(Packet p, PacketReader r) {
        if (session.queryAttributes()) {
            if (!QueryAttributes.skip(r)) {
                return null;
            }
        } else if (!session.capabilitiesKnown() && r.peekInt1() >= 0 && r.peekInt1() < 0x09) {
            // Handshake unseen: SQL never starts with a control byte, so this is a query-attributes prefix.
            if (!QueryAttributes.skip(r)) {
                return null;
            }
        }
        String sql = r.readRestOfPacketString();
        noteTruncation(p);
        PendingCommand c = new PendingCommand(Command.COM_QUERY, sql, p);
        c.responseState = State.READ_RESULT_HEADER;
        c.schemaOnOk = SqlText.useStatementSchema(sql);
        if (session.multiStatementsPossible() && sql.indexOf(';') >= 0) {
            List<String> parts = SqlText.splitTopLevel(sql);
            if (parts.size() > 1) {
                c.statements = parts;
            }
        }
        return c;
    }

    private PendingCommand initDb(Packet p, PacketReader r) {
        String schema = r.readRestOfPacketString();
        PendingCommand c = new PendingCommand(Command.COM_INIT_DB, schema, p);
        c.responseState = State.READ_RESULT_HEADER;
        c.schemaOnOk = schema;
        return c;
    }

    private PendingCommand changeUser(Packet p, PacketReader r) {
        Handshake.ChangeUser change = Handshake.parseChangeUser(
                r, session.capabilitiesKnown() ? session.capabilities : CapabilityFlags.CLIENT_SECURE_CONNECTION);
        if (change == null) {
            return null;
        }
        PendingCommand c = new PendingCommand(Command.COM_CHANGE_USER, "change_user", p);
        c.responseState = State.READ_CHANGE_USER_RESULT;
        c.changeUserOnOk = change;
        return c;
    }

    private PendingCommand stmtPrepare(Packet p, PacketReader r) {
        String sql = r.readRestOfPacketString();
        noteTruncation(p);
        // until COM_STMT_PREPARE_OK says, the parameters are the placeholders of the SQL
        PreparedStatementEntry stmt = new PreparedStatementEntry(sql, SqlText.countPlaceholders(sql));
        prepared.prepareSent(stmt);
        PendingCommand c = new PendingCommand(Command.COM_STMT_PREPARE, sql, p);
        c.responseState = State.READ_PREPARE_OK;
        c.prepared = stmt;
        return c;
    }

    private PendingCommand stmtExecute(Packet p, PacketReader r) {
        long id = r.readInt4();
        int flags = r.readInt1();
        r.readInt4(); // iteration_count, always 1
        PreparedStatementEntry stmt = prepared.get(id);
        if ((stmt == null || stmt.unresolved) && id != PreparedStatementTable.LAST_PREPARED_ID) {
            String sql = session.held.find(id, p.tsFirst); // named by the server (watcher)
            stmt = sql == null ? stmt : prepared.rememberResolved(id, sql);
        }
        boolean readable = !r.overrun() && !p.truncated();
        if (stmt == null && readable) { // what the wire tells of a statement prepared before the capture
            int params = PreparedPlaceholder.inferParamCount(
                    p.tail(paramReader, r.remaining()), session.queryAttributes(), flags);
            if (params >= 0 && id != PreparedStatementTable.LAST_PREPARED_ID) {
                stmt = new PreparedStatementEntry(PreparedPlaceholder.of(params), params, true);
                if (prepared.hasRoomFor(stmt)) {
                    prepared.remember(id, stmt, params); // its count and types, for the next executes
                }
            }
        }
        PendingCommand c =
                new PendingCommand(Command.COM_STMT_EXECUTE, stmt == null ? PreparedPlaceholder.of(-1) : stmt.sql, p);
        c.responseState = State.READ_RESULT_HEADER;
        c.cursor = (flags & PacketTypes.CURSOR_TYPE_READ_ONLY) != 0;
        if (stmt == null || stmt.unresolved) {
            c.unknownStatement = new PreparedPlaceholder(stmt == null ? -1 : stmt.paramCount);
            c.statementId = id;
        }
        if (stmt != null && readable) {
            PacketReader params = p.tail(paramReader, r.remaining());
            c.parameters = ExecuteParameters.read(
                    params, stmt, session.queryAttributes(), flags, session.parameterValuesWanted());
        }
        return c;
    }

    /**
     * MariaDB COM_STMT_BULK_EXECUTE: statement_id, bulk flags, then parameter types and rows of values
     * (not decoded). One record, under the prepared statement's template; the OK's affected rows sum the rows.
     */
    private PendingCommand stmtBulkExecute(Packet p, PacketReader r) {
        long id = r.readInt4();
        r.readInt2(); // bulk flags (STMT_BULK_FLAG_SEND_TYPES_TO_SERVER 128, STMT_BULK_FLAG_SEND_UNIT_RESULTS 64)
        PendingCommand c = new PendingCommand(Command.COM_STMT_BULK_EXECUTE, preparedSql(id), p);
        c.responseState = State.READ_RESULT_HEADER;
        return c;
    }

    private PendingCommand stmtFetch(Packet p, PacketReader r) {
        long id = r.readInt4();
        PendingCommand c = new PendingCommand(Command.COM_STMT_FETCH, preparedSql(id), p);
        c.responseState = State.READ_ROWS;
        return c;
    }

    private PendingCommand stmtClose(Packet p, PacketReader r) {
        long id = r.readInt4();
        prepared.forget(id);
        return new PendingCommand(Command.COM_STMT_CLOSE, "stmt_close", p); // no response
    }

    /** COM_STMT_SEND_LONG_DATA: statement_id, param_id, data. No response. */
    private PendingCommand stmtSendLongData(Packet p, PacketReader r) {
        long id = r.readInt4();
        int paramId = r.readInt2();
        PreparedStatementEntry stmt = prepared.get(id);
        if (stmt != null && !r.overrun()) {
            ExecuteParameters.noteLongData(stmt, paramId);
        }
        return new PendingCommand(Command.COM_STMT_SEND_LONG_DATA, "stmt_send_long_data", p);
    }

    private Parser stmtLabel(String label, State responseState) {
        return (p, r) -> {
            r.readInt4(); // statement_id
            PendingCommand c = new PendingCommand(Command.of(p.byteAt(0)), label, p);
            c.responseState = responseState;
            return c;
        };
    }

    private String preparedSql(long id) {
        PreparedStatementEntry stmt = prepared.get(id);
        return stmt == null ? PreparedPlaceholder.of(-1) : stmt.sql; // PREPARE never seen: what the wire tells
    }

    private void noteTruncation(Packet p) {
        if (p.truncated()) {
            session.stats.truncatedRequests.increment();
        }
    }
}
