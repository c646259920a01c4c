package io.mysqlprobe.fingerprint;

/**
 * SQL text → the same statement with its literal values hidden, for report samples when
 * {@code report.raw_sql} is off. Uses the same {@link SqlLexer} as {@link SqlNormalizer}.
 *
 * <p>Unlike the normaliser it keeps the statement's shape: no list or row collapse, keyword and identifier
 * case as written, signs kept ({@code -5} → {@code -?}). Every string, number, hex/bit literal and
 * charset-introduced string becomes {@code ?}. Comments are stripped (they can carry user data, e.g.
 * trace tags); optimizer hints are kept with their literals hidden; executable comments are unwrapped.
 * Whitespace runs fold to one space. Thread-safe and stateless; never throws (null gives "").
 */
public final class Redactor {

    /** {@code sql} with every literal value replaced by {@code ?}. */
    public String redact(String sql) {
        if (sql == null || sql.isEmpty()) {
            return "";
        }
        SqlLexer lx = new SqlLexer(sql);
        StringBuilder out = new StringBuilder(Math.min(sql.length(), 4096) + 16);
        int t;
        while ((t = lx.next()) != SqlLexer.EOF) {
            if (lx.spaceBefore && out.length() > 0) {
                out.append(' ');
            }
            switch (t) {
                case SqlLexer.STRING:
                case SqlLexer.NUMBER:
                    out.append('?');
                    break;
                case SqlLexer.WORD:
                    if (sql.charAt(lx.start) == '_' && isLiteral(lx.peekType())) {
                        lx.next(); // _latin1 'x', _binary 0x00
                        out.append('?');
                    } else {
                        out.append(sql, lx.start, lx.end);
                    }
                    break;
                default:
                    out.append(sql, lx.start, lx.end);
                    break;
            }
        }
        return out.toString();
    }

    private static boolean isLiteral(int type) {
        return type == SqlLexer.STRING || type == SqlLexer.NUMBER;
    }
}
