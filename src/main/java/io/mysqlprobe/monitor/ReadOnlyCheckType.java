package io.mysqlprobe.monitor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code mysql_replication_hostgroups.check_type}: which variable(s) decide that a server is read-only.
 * The names are ProxySQL's. MariaDB has no {@code super_read_only}; that check logs the server's error.
 */
public enum ReadOnlyCheckType {
    READ_ONLY("read_only", "SELECT @@global.read_only"),
    INNODB_READ_ONLY("innodb_read_only", "SELECT @@global.innodb_read_only"),
    SUPER_READ_ONLY("super_read_only", "SELECT @@global.super_read_only"),
    READ_ONLY_OR_INNODB_READ_ONLY(
            "read_only|innodb_read_only", "SELECT (@@global.read_only <> 0) | (@@global.innodb_read_only <> 0)"),
    READ_ONLY_AND_INNODB_READ_ONLY(
            "read_only&innodb_read_only", "SELECT (@@global.read_only <> 0) & (@@global.innodb_read_only <> 0)");

    private final String proxysqlName;
    private final String query;

    ReadOnlyCheckType(String proxysqlName, String query) {
        this.proxysqlName = proxysqlName;
        this.query = query;
    }

    public String proxysqlName() {
        return proxysqlName;
    }

    /** The query whose single value is 0 (writable) or not 0 (read-only). */
    public String query() {
        return query;
    }

    public static ReadOnlyCheckType fromName(String name) {
        for (ReadOnlyCheckType t : values()) {
            if (t.proxysqlName.equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        return null;
    }

    static String allowedNames() {
        return Arrays.stream(values()).map(ReadOnlyCheckType::proxysqlName).collect(Collectors.joining(", "));
    }
}
