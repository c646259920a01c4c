package io.mysqlprobe.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The text a COM_STMT_EXECUTE (or FETCH, BULK_EXECUTE) is counted under when its statement id was prepared
 * before the capture and the server could not name it: what the wire knows, the same on every connection
 * (the statement id is per connection, so it is not in it):
 * <pre>
 *   prepared statement (2 params)
 *   prepared statement (? params) -> shop.orders(id, total), shop.customers(name)
 *   prepared statement (1 param) -> (COUNT(*))
 * </pre>
 * The parameter count comes from the execute itself (MySQL's parameter_count under CLIENT_QUERY_ATTRIBUTES,
 * or the NULL bitmap and the types block when the client sent types), {@code ?} when the wire does not say;
 * the result's {@code schema.table(columns)} from the column definitions of the response, grouped by table in
 * their order (a column of no table, an expression, in a group without a name), when the server sent them
 * (not under MariaDB's metadata caching). No SQL starts with {@code prepared statement (} and the fingerprint
 * stage keeps the text verbatim, so it never merges with a real statement.
 */
public final class PreparedPlaceholder {

    public static final String PREFIX = "prepared statement (";
    /** Columns listed at most; more are shown as {@code , ...}. */
    static final int MAX_COLUMNS = 64;
    /** Parameters tried when inferring the count from a types block. */
    static final int MAX_INFERRED_PARAMS = 1024;

    private final int params;
    private final StringBuilder result = new StringBuilder();
    private String lastTable;
    private int columns;

    /** @param params the parameter count, or -1 when unknown */
    PreparedPlaceholder(int params) {
        this.params = params;
    }

    /** Whether {@code sql} is a placeholder (only ever true for the text this class makes). */
    public static boolean is(String sql) {
        return sql != null && sql.startsWith(PREFIX);
    }

    /** The text without result columns. */
    static String of(int params) {
        return PREFIX + (params < 0 ? "?" : Integer.toString(params)) + (params == 1 ? " param)" : " params)");
    }

    /** The {@code schema.table} names a placeholder's result shows, in order. */
    public static List<String> tables(String placeholder) {
        List<String> out = new ArrayList<>();
        int arrow = placeholder.indexOf(") -> ");
        if (arrow < 0) {
            return out;
        }
        int i = arrow + 5;
        while (i < placeholder.length()) {
            int open = placeholder.indexOf('(', i);
            if (open < 0) {
                break;
            }
            if (open > i) {
                out.add(placeholder.substring(i, open));
            }
            int close = placeholder.indexOf("), ", open);
            if (close < 0) {
                break;
            }
            i = close + 3;
        }
        return out;
    }

    /** One column definition of the execute's result (ColumnDefinition41), read from its packet. */
    void column(PacketReader r) {
        r.readLengthEncodedString(); // catalog, "def"
        String schema = r.readLengthEncodedString();
        String table = r.readLengthEncodedString();
        String orgTable = r.readLengthEncodedString();
        String name = r.readLengthEncodedString();
        String orgName = r.readLengthEncodedString();
        if (r.overrun()) {
            return;
        }
        String t = orgTable.isEmpty() ? table : orgTable;
        String qualified = t.isEmpty() ? "" : schema.isEmpty() ? t : schema + "." + t;
        column(qualified, orgName.isEmpty() ? name : orgName);
    }

    void column(String table, String name) {
        if (++columns > MAX_COLUMNS) {
            if (columns == MAX_COLUMNS + 1) {
                result.append(", ...");
            }
            return;
        }
        if (!table.equals(lastTable)) {
            if (lastTable != null) {
                result.append("), ");
            }
            result.append(table).append('(');
            lastTable = table;
        } else {
            result.append(", ");
        }
        result.append(name);
    }

    /** The placeholder text with what the response showed. */
    String text() {
        String base = of(params);
        if (lastTable == null) {
            return base;
        }
        String cols = result.toString();
        return base + " -> " + (cols.endsWith(", ...") ? cols.substring(0, cols.length() - 5) + "), ..." : cols + ")");
    }

    /**
     * The parameter count of an execute whose statement is unknown, from its parameter block: {@code r} is
     * positioned after iteration_count. With CLIENT_QUERY_ATTRIBUTES MySQL sends parameter_count; otherwise the
     * count {@code n} is the one for which NULL bitmap ((n+7)/8 bytes), new_params_bound_flag = 1, n types and
     * the values of the non-NULL parameters end exactly at the end of the packet. Nothing after iteration_count
     * means none. Returns -1 when the wire does not tell (the types were sent by an earlier execute).
     */
    static int inferParamCount(PacketReader r, boolean queryAttributes, int flags) {
        int remaining = r.remaining();
        if (remaining == 0) {
            return 0;
        }
        if (queryAttributes) {
            long n = r.readLengthEncodedInteger();
            return r.overrun() || n > 65535 ? -1 : (int) n;
        }
        byte[] block = new byte[remaining];
        for (int i = 0; i < remaining; i++) {
            block[i] = (byte) r.readInt1();
        }
        PacketReader probe = new PacketReader();
        int found = -1;
        for (int n = 1; n <= MAX_INFERRED_PARAMS && (n + 7) / 8 + 1 + 2 * n <= remaining; n++) {
            if (fits(probe.reset(block, 0, remaining), n)) {
                if (found >= 0) {
                    return -1; // two counts read the block to its end: ambiguous
                }
                found = n;
            }
        }
        return found;
    }

    private static boolean fits(PacketReader r, int n) {
        byte[] nulls = new byte[(n + 7) / 8];
        for (int i = 0; i < nulls.length; i++) {
            nulls[i] = (byte) r.readInt1();
        }
        if (n % 8 != 0 && (nulls[nulls.length - 1] & 0xFF) >>> (n % 8) != 0) {
            return false; // bits past the last parameter are 0
        }
        if (r.readInt1() != 1) {
            return false;
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = r.readInt2();
            int type = types[i] & 0xFF;
            int flag = types[i] >>> 8;
            if ((type > ColumnTypes.MYSQL_TYPE_TIME2 && type < ColumnTypes.MYSQL_TYPE_JSON)
                    || (flag != 0 && flag != ColumnTypes.UNSIGNED_FLAG)) {
                return false;
            }
        }
        for (int i = 0; i < n && !r.overrun(); i++) {
            if ((nulls[i >>> 3] & (1 << (i & 7))) == 0) {
                ExecuteParameters.value(r, types[i]);
            }
        }
        return !r.overrun() && r.remaining() == 0;
    }
}
