package io.mysqlprobe.aggregate;

/**
 * SERVER_STATUS flags we aggregate, named as in MySQL's {@code mysql_com.h}
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html).
 */
final class ServerStatus {
    static final int SERVER_STATUS_NO_GOOD_INDEX_USED = 0x0010;
    static final int SERVER_STATUS_NO_INDEX_USED = 0x0020;
    static final int SERVER_QUERY_WAS_SLOW = 0x0800;

    private ServerStatus() {}
}
