package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_CONNECT_WITH_DB;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_LONG_PASSWORD;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_PLUGIN_AUTH;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_PROTOCOL_41;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_SECURE_CONNECTION;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_SSL;

/**
 * Connection-phase packets (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html).
 * Each parse returns null when the packet does not fit its declared shape.
 */
final class Handshake {

    private Handshake() {}

    /** Protocol::HandshakeV10. */
    record Greeting(String serverVersion, long connectionId, long capabilities, String authPlugin) {}

    /** Protocol::HandshakeResponse41 / 320, or an SSLRequest when {@code sslRequest}. */
    record Response(long capabilities, String user, String db, boolean sslRequest) {}

    /** COM_CHANGE_USER's user and schema. */
    record ChangeUser(String user, String db) {}

    static Greeting parseGreeting(PacketReader r) {
        if (r.readInt1() != PacketTypes.PROTOCOL_VERSION_10) {
            return null;
        }
        String version = r.readNullTerminatedString();
        long connectionId = r.readInt4();
        r.skip(8); // auth-plugin-data-part-1
        r.skip(1); // filler
        long caps = r.readInt2();
        String plugin = null;
        if (r.hasRemaining()) {
            r.skip(1); // character_set
            r.skip(2); // status_flags
            caps |= (long) r.readInt2() << 16;
            int authDataLen = r.readInt1();
            r.skip(6);
            long mariaDbCaps = r.readInt4(); // MariaDB: extended capabilities when CLIENT_MYSQL is unset
            if ((caps & CLIENT_LONG_PASSWORD) == 0) {
                caps |= mariaDbCaps << 32;
            }
            if ((caps & CLIENT_SECURE_CONNECTION) != 0) {
                r.skip(Math.max(13, authDataLen - 8)); // auth-plugin-data-part-2
            }
            if ((caps & CLIENT_PLUGIN_AUTH) != 0 && r.hasRemaining()) {
                plugin = r.readNullTerminatedOrRestString(); // MySQL 5.5.7-5.5.9 omit the NUL
            }
        }
        return r.overrun() ? null : new Greeting(version, connectionId, caps, plugin);
    }

    static Response parseResponse(PacketReader r, int payloadLength) {
        long caps = r.readInt2();
        if ((caps & CLIENT_PROTOCOL_41) == 0) {
            return parseResponse320(r, caps);
        }
        caps |= (long) r.readInt2() << 16;
        r.skip(4); // max_packet_size
        r.skip(1); // character_set
        r.skip(19); // filler
        long mariaDbCaps = r.readInt4(); // MariaDB: extended capabilities when CLIENT_MYSQL is unset
        if ((caps & CLIENT_LONG_PASSWORD) == 0) {
            caps |= mariaDbCaps << 32;
        }
        if (r.overrun()) {
            return null;
        }
        if (payloadLength == PacketTypes.SSL_REQUEST_LENGTH && (caps & CLIENT_SSL) != 0) {
            return new Response(caps, null, null, true);
        }
        String user = r.readNullTerminatedString();
        if ((caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            r.skipLengthEncodedString();
        } else if ((caps & CLIENT_SECURE_CONNECTION) != 0) {
            r.skip(r.readInt1());
        } else {
            r.readNullTerminatedString();
        }
        String db = null;
        if ((caps & CLIENT_CONNECT_WITH_DB) != 0) {
            db = r.readNullTerminatedString();
        }
        return r.overrun() ? null : new Response(caps, user, db == null || db.isEmpty() ? null : db, false);
    }

    private static Response parseResponse320(PacketReader r, long caps) {
        r.skip(3); // max_packet_size
        String user = r.readNullTerminatedString();
        String db = null;
        if ((caps & CLIENT_CONNECT_WITH_DB) != 0) {
            r.readNullTerminatedString(); // auth-response
            db = r.readNullTerminatedString();
        }
        return r.overrun() ? null : new Response(caps, user, db == null || db.isEmpty() ? null : db, false);
    }

    /** COM_CHANGE_USER after its command byte. */
    static ChangeUser parseChangeUser(PacketReader r, long caps) {
        String user = r.readNullTerminatedString();
        if ((caps & CLIENT_SECURE_CONNECTION) != 0) {
            r.skip(r.readInt1());
        } else {
            r.readNullTerminatedString();
        }
        String db = r.readNullTerminatedString();
        return r.overrun() ? null : new ChangeUser(user, db.isEmpty() ? null : db);
    }
}
