package io.mysqlprobe.protocol;

/**
 * Field types of the binary protocol, named as in MySQL's {@code enum_field_types}
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html).
 */
final class ColumnTypes {

    static final int MYSQL_TYPE_DECIMAL = 0;
    static final int MYSQL_TYPE_TINY = 1;
    static final int MYSQL_TYPE_SHORT = 2;
    static final int MYSQL_TYPE_LONG = 3;
    static final int MYSQL_TYPE_FLOAT = 4;
    static final int MYSQL_TYPE_DOUBLE = 5;
    static final int MYSQL_TYPE_NULL = 6;
    static final int MYSQL_TYPE_TIMESTAMP = 7;
    static final int MYSQL_TYPE_LONGLONG = 8;
    static final int MYSQL_TYPE_INT24 = 9;
    static final int MYSQL_TYPE_DATE = 10;
    static final int MYSQL_TYPE_TIME = 11;
    static final int MYSQL_TYPE_DATETIME = 12;
    static final int MYSQL_TYPE_YEAR = 13;
    static final int MYSQL_TYPE_NEWDATE = 14;
    static final int MYSQL_TYPE_VARCHAR = 15;
    static final int MYSQL_TYPE_BIT = 16;
    static final int MYSQL_TYPE_TIMESTAMP2 = 17;
    static final int MYSQL_TYPE_DATETIME2 = 18;
    static final int MYSQL_TYPE_TIME2 = 19;
    static final int MYSQL_TYPE_JSON = 245;
    static final int MYSQL_TYPE_NEWDECIMAL = 246;
    static final int MYSQL_TYPE_ENUM = 247;
    static final int MYSQL_TYPE_SET = 248;
    static final int MYSQL_TYPE_TINY_BLOB = 249;
    static final int MYSQL_TYPE_MEDIUM_BLOB = 250;
    static final int MYSQL_TYPE_LONG_BLOB = 251;
    static final int MYSQL_TYPE_BLOB = 252;
    static final int MYSQL_TYPE_VAR_STRING = 253;
    static final int MYSQL_TYPE_STRING = 254;
    static final int MYSQL_TYPE_GEOMETRY = 255;

    /** Second byte of a parameter type in COM_STMT_EXECUTE: the value is unsigned. */
    static final int UNSIGNED_FLAG = 0x80;

    private ColumnTypes() {}
}
