package io.mysqlprobe.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Typed, validated access to one mapping of the YAML file. Every failure is a {@link ConfigException}
 * naming the full key ({@code probe.workers}), the value and what is allowed.
 */
public final class Section {

    private final String path;
    private final Map<String, Object> values; // the YAML mapping as SnakeYAML gives it: untyped until read

    /** A mapping of the YAML file as SnakeYAML gives it (untyped until read). */
    public Section(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
    }

    /** Where this mapping is in the file ({@code monitor.servers[0]}). */
    public String path() {
        return path;
    }

    public String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        return values.containsKey(name) && values.get(name) != null;
    }

    /** Raw subtree, for stages that parse their own section (e.g. the monitor): a map, as YAML is untyped. */
    public Map<String, Object> raw(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : mapping(key(name), v, "a mapping of keys").values;
    }

    public Section section(String name) {
        return new Section(key(name), raw(name));
    }

    /** A list of mappings, each a section named {@code name[i]}; absent is an empty list. */
    public List<Section> sections(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(key(name), v, "a list of mappings");
        }
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(mapping(key(name) + "[" + i + "]", list.get(i), "a mapping"));
        }
        return out;
    }

    @SuppressWarnings("unchecked") // SnakeYAML's mappings: untyped until a section reads them
    private static Section mapping(String key, Object v, String expected) {
        if (!(v instanceof Map)) {
            throw new ConfigException(key, v, expected);
        }
        return new Section(key, (Map<String, Object>) v);
    }

    /**
     * This mapping with its keys spelled canonically: {@code spell} maps a key as written to its canonical name, or
     * to null when the key is unknown, which fails expecting {@code known}. A key set twice under two spellings
     * fails expecting {@code twice.apply(earlier spelling, canonical name)}. Errors name the key as written.
     */
    public Section canonical(UnaryOperator<String> spell, String known, BinaryOperator<String> twice) {
        Section out = new Section(path, new LinkedHashMap<>());
        Map<String, String> spelledAs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : values.entrySet()) {
            String given = String.valueOf(e.getKey());
            String name = spell.apply(given);
            if (name == null) {
                throw new ConfigException(key(given), e.getValue(), known);
            }
            String earlier = spelledAs.putIfAbsent(name, given);
            if (earlier != null) {
                throw new ConfigException(key(given), e.getValue(), twice.apply(earlier, name));
            }
            out.values.put(name, e.getValue());
        }
        return out;
    }

    public long integer(String name, long def, long min, long max) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
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

    /** Like {@link #bool}, also accepting ProxySQL's spellings: yes/no, on/off, 1/0. */
    public boolean flag(String name, boolean def) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(v).strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(key(name), v, "true or false");
        };
    }

    public String string(String name, String def) {
        return string(name, def, "a plain value");
    }

    /** A scalar as a string; a mapping or list fails expecting {@code expected}. */
    public String string(String name, String def, String expected) {
        Object v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(key(name), v, expected);
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
}
