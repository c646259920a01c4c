package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports as compact JSON without Jackson, byte for byte what {@link ReportJson#write} gives (checked by
 * {@code CompactJsonTest} on real and fully populated reports). {@code analyze} prints through it: Jackson's
 * first serialisation costs ~0.3 s of CPU (class loading, bytecode generation), a fifth of a whole run.
 *
 * <p>Covers what reports are made of: records of {@link Report} and the {@link TemplateSnapshot}s it carries
 * (components in declaration order, names in snake_case as
 * Jackson's SNAKE_CASE writes them; {@link Report}'s own null fields omitted, as its {@code NON_NULL} says),
 * lists, maps with string keys, strings, integral numbers and booleans. Anything else (a double, an
 * arbitrary object in {@link Report#monitor()}) makes {@link #write} return null so the caller uses Jackson.
 */
public final class CompactJson {

    private record Property(String jsonName, Method accessor) {}

    private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();
    private static final java.util.HexFormat HEX = java.util.HexFormat.of().withUpperCase();

    private CompactJson() {}

    /** The report as one line of JSON, or null when it holds a type this writer leaves to Jackson. */
    public static String write(Report report) {
        StringBuilder out = new StringBuilder(4096);
        try {
            return value(out, report) ? out.toString() : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static boolean value(StringBuilder out, Object v) throws ReflectiveOperationException {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.append(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (!value(out, list.get(i))) {
                    return false;
                }
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    return false;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, key);
                out.append(':');
                if (!value(out, e.getValue())) {
                    return false;
                }
            }
            out.append('}');
        } else if (v instanceof Record r && isReportRecord(r.getClass())) {
            return record(out, r);
        } else {
            return false;
        }
        return true;
    }

    /** The records a report is made of: its own, and the aggregate's template figures it carries. */
    private static boolean isReportRecord(Class<?> type) {
        String name = type.getName();
        return name.startsWith(Report.class.getName())
                || name.startsWith(TemplateSnapshot.class.getName())
                || type == SlowSample.class;
    }

    private static boolean record(StringBuilder out, Record r) throws ReflectiveOperationException {
        boolean omitNulls = r instanceof Report;
        out.append('{');
        boolean first = true;
        for (Property p : properties(r.getClass())) {
            Object v;
            try {
                v = p.accessor().invoke(r);
            } catch (InvocationTargetException e) {
                return false;
            }
            if (v == null && omitNulls) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(p.jsonName()).append("\":");
            if (!value(out, v)) {
                return false;
            }
        }
        out.append('}');
        return true;
    }

    private static List<Property> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            List<Property> list = new ArrayList<>();
            for (RecordComponent c : t.getRecordComponents()) {
                Method m = c.getAccessor();
                m.setAccessible(true);
                list.add(new Property(snakeCase(c.getName()), m));
            }
            return List.copyOf(list);
        });
    }

    /** Jackson's SNAKE_CASE: an underscore before an upper-case letter that follows a lower-case one. */
    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        boolean prevUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i == 0 && c == '_') {
                continue;
            }
            if (Character.isUpperCase(c)) {
                if (!prevUpper && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                    sb.append('_');
                }
                c = Character.toLowerCase(c);
                prevUpper = true;
            } else {
                prevUpper = false;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A JSON string as Jackson escapes it: quote, backslash and control characters; everything else as is. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX.toHexDigits((byte) c));
            }
        }
        out.append(s, from, s.length()).append('"');
    }
}
