package io.mysqlprobe.config;

/**
 * A configuration value that cannot be used. The message is one line naming the key, the value and
 * what is allowed, e.g. {@code probe.workers: "zero" is not allowed; expected an integer from 1 to 64}.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super(key + ": " + quote(value) + " is not allowed; expected " + allowed);
        this.key = key;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    private static String quote(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    /** The offending key, or null for a file-level error. */
    public String key() {
        return key;
    }
}
