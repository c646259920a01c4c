package io.mysqlprobe.protocol;

/**
 * Skips the query attributes a COM_QUERY carries before its text when CLIENT_QUERY_ATTRIBUTES is on
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html): parameter_count,
 * parameter_set_count, null bitmap, new_params_bind_flag, types and names, then binary values
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value).
 */
final class QueryAttributes {

    private static final int MAX_PARAMETERS = 65_535;

    private QueryAttributes() {}

    /** Moves {@code r} to the query text; false when the attributes cannot be walked. */
    static boolean skip(PacketReader r) {
        long count = r.readLengthEncodedInteger();
        r.readLengthEncodedInteger(); // parameter_set_count, always 1
        if (r.overrun() || count > MAX_PARAMETERS) {
            return false;
        }
        if (count == 0) {
            return true;
        }
        int n = (int) count;
        byte[] nulls = new byte[(n + 7) / 8];
        for (int i = 0; i < nulls.length; i++) {
            nulls[i] = (byte) r.readInt1();
        }
        if (r.readInt1() != 1) { // new_params_bind_flag: types follow; without them values can't be sized
            return false;
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = r.readInt2() & 0xFF;
            r.skipLengthEncodedString(); // parameter name
        }
        for (int i = 0; i < n && !r.overrun(); i++) {
            if ((nulls[i >> 3] & (1 << (i & 7))) == 0) {
                skipBinaryValue(r, types[i]);
            }
        }
        return !r.overrun();
    }

    /** Skips one value of the binary protocol. */
    static void skipBinaryValue(PacketReader r, int type) {
        switch (type) {
            case ColumnTypes.MYSQL_TYPE_NULL -> {}
            case ColumnTypes.MYSQL_TYPE_TINY -> r.skip(1);
            case ColumnTypes.MYSQL_TYPE_SHORT, ColumnTypes.MYSQL_TYPE_YEAR -> r.skip(2);
            case ColumnTypes.MYSQL_TYPE_LONG, ColumnTypes.MYSQL_TYPE_INT24, ColumnTypes.MYSQL_TYPE_FLOAT -> r.skip(4);
            case ColumnTypes.MYSQL_TYPE_LONGLONG, ColumnTypes.MYSQL_TYPE_DOUBLE -> r.skip(8);
            case ColumnTypes.MYSQL_TYPE_TIMESTAMP,
                    ColumnTypes.MYSQL_TYPE_DATE,
                    ColumnTypes.MYSQL_TYPE_TIME,
                    ColumnTypes.MYSQL_TYPE_DATETIME,
                    ColumnTypes.MYSQL_TYPE_NEWDATE -> r.skip(r.readInt1());
            default -> r.skipLengthEncodedString(); // strings, decimals, blobs, json, bit, enum, set, geometry
        }
    }
}
