package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_CONNECT_WITH_DB;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_PLUGIN_AUTH;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_PROTOCOL_41;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_SECURE_CONNECTION;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_SSL;

/** Whole MySQL packets for tests, each field labelled as in the protocol docs. */
final class Packets {

    /** Capabilities every test client/server has (MySQL-style: CLIENT_LONG_PASSWORD set, no MariaDB extension). */
    static final long BASE_CAPS = CapabilityFlags.CLIENT_LONG_PASSWORD
            | CLIENT_PROTOCOL_41
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CapabilityFlags.CLIENT_TRANSACTIONS
            | CapabilityFlags.CLIENT_MULTI_RESULTS;

    private Packets() {}

    /** Protocol::HandshakeV10 (seq 0). */
    static byte[] greeting(String version, long connectionId, long caps) {
        return Wire.payload()
                .int1(10) // protocol_version
                .nul(version) // server_version
                .int4(connectionId) // thread_id
                .str("12345678") // auth-plugin-data-part-1
                .int1(0) // filler
                .int2((int) caps) // capability_flags_1
                .int1(0x21) // character_set
                .int2(2) // status_flags
                .int2((int) (caps >>> 16)) // capability_flags_2
                .int1(21) // auth_plugin_data_len
                .zeros(10) // reserved
                .str("123456789012")
                .int1(0) // auth-plugin-data-part-2 (13 bytes)
                .nul("mysql_native_password") // auth_plugin_name
                .packet(0);
    }

    /** Protocol::HandshakeResponse41 (seq 1). */
    static byte[] handshakeResponse(long caps, String user, String db) {
        Wire w = Wire.payload()
                .int4(caps) // client_flag
                .int4(16 * 1024 * 1024) // max_packet_size
                .int1(0x21) // character_set
                .zeros(23) // filler
                .nul(user) // username
                .int1(20)
                .zeros(20); // auth_response (CLIENT_SECURE_CONNECTION: length + data)
        if ((caps & CLIENT_CONNECT_WITH_DB) != 0) {
            w.nul(db); // database
        }
        if ((caps & CLIENT_PLUGIN_AUTH) != 0) {
            w.nul("mysql_native_password"); // client_plugin_name
        }
        return w.packet(1);
    }

    /** Protocol::SSLRequest: the 32-byte fixed part of a HandshakeResponse41 with CLIENT_SSL. */
    static byte[] sslRequest(long caps) {
        return Wire.payload()
                .int4(caps | CLIENT_SSL)
                .int4(16 * 1024 * 1024)
                .int1(0x21)
                .zeros(23)
                .packet(1);
    }

    /** OK_Packet with header 0x00. */
    static byte[] ok(int seq, long affectedRows, long lastInsertId, int status, int warnings) {
        return Wire.payload()
                .int1(0x00)
                .lenenc(affectedRows)
                .lenenc(lastInsertId)
                .int2(status)
                .int2(warnings)
                .packet(seq);
    }

    /** OK_Packet with header 0xFE: the end of a result set under CLIENT_DEPRECATE_EOF. */
    static byte[] okFe(int seq, int status, int warnings) {
        return Wire.payload()
                .int1(0xFE)
                .lenenc(0)
                .lenenc(0)
                .int2(status)
                .int2(warnings)
                .packet(seq);
    }

    /** EOF_Packet (CLIENT_PROTOCOL_41): header, warnings, status_flags. */
    static byte[] eof(int seq, int warnings, int status) {
        return Wire.payload().int1(0xFE).int2(warnings).int2(status).packet(seq);
    }

    /** ERR_Packet: header, error_code, '#' sql_state_marker, sql_state, error_message. */
    static byte[] err(int seq, int errno, String sqlState, String message) {
        Wire w = Wire.payload().int1(0xFF).int2(errno);
        if (sqlState != null) {
            w.str("#").str(sqlState);
        }
        return w.str(message).packet(seq);
    }

    /** A command packet: command byte then its arguments as a string (seq 0). */
    static byte[] command(Command cmd, String arg) {
        return Wire.payload().int1(cmd.code).str(arg).packet(0);
    }

    static byte[] query(String sql) {
        return command(Command.COM_QUERY, sql);
    }

    /** Text result set column count packet. */
    static byte[] columnCount(int seq, int n) {
        return Wire.payload().lenenc(n).packet(seq);
    }

    /** Protocol::ColumnDefinition41. */
    static byte[] columnDef(int seq, String name) {
        return Wire.payload()
                .lenencStr("def")
                .lenencStr("shop")
                .lenencStr("t")
                .lenencStr("t")
                .lenencStr(name)
                .lenencStr(name)
                .lenenc(0x0c) // length of fixed fields
                .int2(0x21) // character_set
                .int4(80) // column_length
                .int1(0xfd) // type VAR_STRING
                .int2(0) // flags
                .int1(0) // decimals
                .int2(0) // filler
                .packet(seq);
    }

    /** Text result set row: one length-encoded string per value (null → 0xFB). */
    static byte[] textRow(int seq, String... values) {
        Wire w = Wire.payload();
        for (String v : values) {
            if (v == null) {
                w.int1(0xFB);
            } else {
                w.lenencStr(v);
            }
        }
        return w.packet(seq);
    }

    /**
     * A whole text result set: column count, definitions, [EOF], rows, then EOF or OK(0xFE).
     * Returns the bytes and the next sequence id through {@code seqOut[0]}.
     */
    static byte[] resultSet(
            boolean deprecateEof, int firstSeq, String[] columns, String[][] rows, int status, int warnings) {
        int seq = firstSeq;
        Wire.payload();
        byte[] out = columnCount(seq++, columns.length);
        for (String c : columns) {
            out = Wire.concat(out, columnDef(seq++, c));
        }
        if (!deprecateEof) {
            out = Wire.concat(out, eof(seq++, 0, status & ~ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS));
        }
        for (String[] r : rows) {
            out = Wire.concat(out, textRow(seq++, r));
        }
        return Wire.concat(out, deprecateEof ? okFe(seq, status, warnings) : eof(seq, warnings, status));
    }
}
