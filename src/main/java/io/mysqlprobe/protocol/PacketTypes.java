package io.mysqlprobe.protocol;

/**
 * First payload bytes that give a server packet its meaning
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html,
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html).
 */
public final class PacketTypes {

    /** OK_Packet header. */
    public static final int OK_PACKET = 0x00;
    /** ERR_Packet header. */
    public static final int ERR_PACKET = 0xFF;
    /** EOF_Packet header; with CLIENT_DEPRECATE_EOF also the header of the OK_Packet ending a result set. */
    public static final int EOF_PACKET = 0xFE;
    /** Protocol::AuthSwitchRequest header (connection phase). */
    public static final int AUTH_SWITCH_REQUEST = 0xFE;
    /** Protocol::AuthMoreData header (connection phase, e.g. caching_sha2 fast/full auth). */
    public static final int AUTH_MORE_DATA = 0x01;
    /** LOCAL INFILE request in a COM_QUERY response. */
    public static final int LOCAL_INFILE_REQUEST = 0xFB;
    /** Protocol::HandshakeV10 protocol version byte. */
    public static final int PROTOCOL_VERSION_10 = 10;
    /** Payload length of an EOF_Packet with CLIENT_PROTOCOL_41 (header, warnings, status). */
    public static final int EOF_PACKET_LENGTH_41 = 5;
    /** A physical packet this long is followed by a continuation packet. */
    public static final int MAX_PACKET_LENGTH = 0xFFFFFF;
    /** Protocol::SSLRequest is a HandshakeResponse41 cut after the 32-byte fixed part. */
    public static final int SSL_REQUEST_LENGTH = 32;
    /** ERR_Packet errno MariaDB uses for progress reports (not a final response). */
    public static final int MARIADB_PROGRESS_ERRNO = 0xFFFF;
    /** COM_STMT_EXECUTE flags: CURSOR_TYPE_READ_ONLY. */
    public static final int CURSOR_TYPE_READ_ONLY = 1;

    private PacketTypes() {}
}
