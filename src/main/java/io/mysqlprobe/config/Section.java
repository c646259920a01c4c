package io.mysqlprobe.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated access to one mapping of the YAML file. Every failure is a {@link ConfigException}
 * naming the full key ({@code probe.workers}), the value and what is allowed.
 */
public final class Section {

    private final String path;
    private final Map<String, Object> values;

    public Section(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
    }

    public String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        return values.containsKey(name) && values.get(name) != null;
    }

    /** Raw subtree, for stages that parse their own section (e.g. the monitor). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> raw(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new ConfigException(key(name), v, "a mapping of keys");
        }
        return (Map<String, Object>) v;
    }

    public Section section(String name) {
        return new Section(key(name), raw(name));
    }

    public long integer(String name, long def, long min, long max) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        long n;
        if (v instanceof Integer || v instanceof Long) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.strip().matches("-?\\d{1,18}")) {
            n = Long.parseLong(s.strip());
        } else {
            throw new ConfigException(key(name), v, "an integer from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new ConfigException(key(name), v, "an integer from " + min + " to " + max);
        }
        return n;
    }

    public boolean bool(String name, boolean def) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key(name), v, "true or false");
    }

    public String string(String name, String def) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(key(name), v, "a plain value");
        }
        return v.toString();
    }

    /** A string that must be one of {@code allowed}. */
    public String choice(String name, String def, String... allowed) {
        String v = string(name, def);
        if (Arrays.asList(allowed).contains(v)) {
            return v;
        }
        throw new ConfigException(key(name), v, "one of " + String.join(", ", allowed));
    }

    /** A list of strings, written either as a YAML list or a comma-separated string. */
    public List<String> list(String name, List<String> def) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof List<?> l) {
            return l.stream()
                    .map(String::valueOf)
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        if (v instanceof Map) {
            throw new ConfigException(key(name), v, "a list or a comma-separated string");
        }
        return Arrays.stream(v.toString().split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Rejects keys this section does not know: a typo must not be silently ignored. */
    public void requireOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw new ConfigException(key(k), "(unknown key)", "one of " + new TreeSet<>(allowed));
            }
        }
    }

    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }
}
