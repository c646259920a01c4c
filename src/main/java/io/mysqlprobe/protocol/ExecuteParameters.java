package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_DATE;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_DATETIME;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_DATETIME2;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_DOUBLE;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_FLOAT;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_INT24;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_LONG;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_LONGLONG;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_NEWDATE;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_NULL;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_SHORT;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_TIME;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_TIME2;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_TIMESTAMP;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_TIMESTAMP2;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_TINY;
import static io.mysqlprobe.protocol.ColumnTypes.MYSQL_TYPE_YEAR;
import static io.mysqlprobe.protocol.ColumnTypes.UNSIGNED_FLAG;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Reads the parameter block of COM_STMT_EXECUTE
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html) into SQL literals,
 * for slow samples with values: NULL bitmap, new_params_bound_flag with a type (and unsigned flag) per
 * parameter, else the types bound by an earlier execute; values by type. Fenced like every decode: a
 * parameter block that cannot be read yields null, never a lost connection (the statement is still counted).
 */
final class ExecuteParameters {

    /** Longest literal kept per parameter; longer values are cut and marked. */
    static final int MAX_LITERAL_CHARS = 256;
    /** Characters of literals kept per execute; the parameters after are left as {@code ?}. */
    static final int MAX_TOTAL_CHARS = 64 * 1024;
    /** MySQL 8 COM_STMT_EXECUTE flag: parameter_count is sent (with CLIENT_QUERY_ATTRIBUTES). */
    static final int PARAMETER_COUNT_AVAILABLE = 0x08;

    private ExecuteParameters() {}

    /**
     * @param r              positioned after iteration_count
     * @param stmt           the prepared statement (parameter count, remembered types, long-data parameters)
     * @param queryAttributes CLIENT_QUERY_ATTRIBUTES negotiated (parameter_count and names are sent)
     * @param flags          the execute's flags byte
     * @param values         render the values; false only keeps the bound types for later executes
     * @return one literal per parameter, or null when there are none, the block is unreadable or values are off
     */
    static List<String> read(
            PacketReader r, PreparedStatementEntry stmt, boolean queryAttributes, int flags, boolean values) {
        int count = stmt.paramCount;
        if (queryAttributes && (count > 0 || (flags & PARAMETER_COUNT_AVAILABLE) != 0)) {
            long n = r.readLengthEncodedInteger();
            if (r.overrun() || n > 65535) {
                return null;
            }
            count = (int) n;
        }
        if (count <= 0) {
            return null;
        }
        byte[] nullBitmap = new byte[(count + 7) / 8];
        for (int i = 0; i < nullBitmap.length; i++) {
            nullBitmap[i] = (byte) r.readInt1();
        }
        int bound = r.readInt1();
        if (r.overrun()) {
            return null;
        }
        if (bound == 1) {
            int[] types = new int[count];
            for (int i = 0; i < count; i++) {
                types[i] = r.readInt2();
                if (queryAttributes) {
                    r.skipLengthEncodedString(); // parameter_name
                }
            }
            if (r.overrun()) {
                return null;
            }
            stmt.types = types;
        }
        int[] types = stmt.types;
        if (!values || types == null || types.length != count) {
            return null; // not wanted, or the types were bound by an execute we did not see
        }
        List<String> out = new ArrayList<>(Math.min(count, 64));
        int chars = 0;
        for (int i = 0; i < count && chars < MAX_TOTAL_CHARS; i++) {
            if ((nullBitmap[i >>> 3] & (1 << (i & 7))) != 0) {
                out.add("NULL");
            } else if (stmt.longData != null && stmt.longData.get(i)) {
                out.add("'<long data>'"); // sent by COM_STMT_SEND_LONG_DATA, not in this packet
            } else {
                out.add(value(r, types[i]));
            }
            if (r.overrun()) {
                return null;
            }
            chars += out.get(i).length();
        }
        if (stmt.longData != null) {
            stmt.longData.clear(); // long data is consumed by the execute
        }
        return out;
    }

    static String value(PacketReader r, int typeAndFlag) {
        int type = typeAndFlag & 0xFF;
        boolean unsigned = (typeAndFlag & (UNSIGNED_FLAG << 8)) != 0;
        return switch (type) {
            case MYSQL_TYPE_NULL -> "NULL";
            case MYSQL_TYPE_TINY -> Integer.toString(unsigned ? r.readInt1() : (byte) r.readInt1());
            case MYSQL_TYPE_SHORT, MYSQL_TYPE_YEAR -> Integer.toString(unsigned ? r.readInt2() : (short) r.readInt2());
            case MYSQL_TYPE_LONG, MYSQL_TYPE_INT24 -> {
                long v = r.readInt4();
                yield Long.toString(unsigned ? v : (int) v);
            }
            case MYSQL_TYPE_LONGLONG -> {
                long v = r.readInt8();
                yield unsigned ? Long.toUnsignedString(v) : Long.toString(v);
            }
            case MYSQL_TYPE_FLOAT -> Float.toString(Float.intBitsToFloat((int) r.readInt4()));
            case MYSQL_TYPE_DOUBLE -> Double.toString(Double.longBitsToDouble(r.readInt8()));
            case MYSQL_TYPE_DATE,
                    MYSQL_TYPE_NEWDATE,
                    MYSQL_TYPE_DATETIME,
                    MYSQL_TYPE_TIMESTAMP,
                    MYSQL_TYPE_DATETIME2,
                    MYSQL_TYPE_TIMESTAMP2 -> dateTime(r, type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE);
            case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2 -> time(r);
            // DECIMAL, NEWDECIMAL, strings, blobs, ENUM, SET, BIT, JSON, GEOMETRY: length-encoded bytes
            default -> bytes(r, type);
        };
    }

    /** Date/datetime: length 0, 4 (date), 7 (+ time) or 11 (+ microseconds). */
    private static String dateTime(PacketReader r, boolean dateOnly) {
        int len = r.readInt1();
        int year = 0;
        int month = 0;
        int day = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (len >= 4) {
            year = r.readInt2();
            month = r.readInt1();
            day = r.readInt1();
        }
        if (len >= 7) {
            hour = r.readInt1();
            minute = r.readInt1();
            second = r.readInt1();
        }
        if (len >= 11) {
            micros = r.readInt4();
        }
        if (len != 0 && len != 4 && len != 7 && len != 11) {
            r.skip(Math.max(0, len - Math.min(len, 11)));
        }
        String d = String.format("%04d-%02d-%02d", year, month, day);
        if (dateOnly) {
            return "'" + d + "'";
        }
        String t = String.format("%s %02d:%02d:%02d", d, hour, minute, second);
        return "'" + (micros != 0 ? t + String.format(".%06d", micros) : t) + "'";
    }

    /** Time: length 0, 8 or 12: is_negative, days, hours, minutes, seconds, [microseconds]. */
    private static String time(PacketReader r) {
        int len = r.readInt1();
        if (len == 0) {
            return "'00:00:00'";
        }
        boolean negative = r.readInt1() != 0;
        long days = r.readInt4();
        int hour = r.readInt1();
        int minute = r.readInt1();
        int second = r.readInt1();
        long micros = len >= 12 ? r.readInt4() : 0;
        String t = String.format("%s%02d:%02d:%02d", negative ? "-" : "", days * 24 + hour, minute, second);
        return "'" + (micros != 0 ? t + String.format(".%06d", micros) : t) + "'";
    }

    /** Length-encoded bytes: a quoted string when printable UTF-8, else X'hex'; cut at {@link #MAX_LITERAL_CHARS}. */
    private static String bytes(PacketReader r, int type) {
        long len = r.readLengthEncodedInteger();
        if (r.overrun() || len > r.remaining()) {
            r.skip(len); // sets overrun
            return "";
        }
        int keep = (int) Math.min(len, MAX_LITERAL_CHARS);
        byte[] b = new byte[keep];
        for (int i = 0; i < keep; i++) {
            b[i] = (byte) r.readInt1();
        }
        r.skip(len - keep);
        boolean cut = keep < len;
        if (type == ColumnTypes.MYSQL_TYPE_DECIMAL || type == ColumnTypes.MYSQL_TYPE_NEWDECIMAL) {
            return new String(b, StandardCharsets.US_ASCII);
        }
        String text = cut ? utf8Prefix(b) : utf8(b);
        if (text == null || !printable(text)) {
            StringBuilder hex = new StringBuilder(b.length * 2 + 4).append("X'");
            for (byte x : b) {
                hex.append(Character.forDigit(x >> 4 & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return hex.append(cut ? "...'" : "'").toString();
        }
        return quote(text, cut);
    }

    /** Strict UTF-8, or null when the bytes are not text. */
    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Strict UTF-8 of a prefix that may end inside a character (the incomplete tail is dropped). */
    private static String utf8Prefix(byte[] b) {
        CharsetDecoder dec = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(b.length);
        CoderResult res = dec.decode(ByteBuffer.wrap(b), out, false);
        if (res.isError()) {
            return null;
        }
        return out.flip().toString();
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** A single-quoted SQL literal, backslash and quote escaped. */
    static String quote(String s, boolean cut) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> q.append("\\'");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                default -> q.append(c);
            }
        }
        return q.append(cut ? "...'" : "'").toString();
    }

    /** Parameters whose data came with COM_STMT_SEND_LONG_DATA since the last execute. */
    static void noteLongData(PreparedStatementEntry stmt, int paramId) {
        if (paramId < 0 || paramId > 65535) {
            return;
        }
        if (stmt.longData == null) {
            stmt.longData = new BitSet();
        }
        stmt.longData.set(paramId);
    }
}
