package io.mysqlprobe.metrics;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import java.util.List;
import java.util.Locale;

/**
 * The labels of one template's series, named by OpenTelemetry's database conventions (dots as underscores).
 * Only low-cardinality values: never client addresses, users or SQL text. A null value means "label absent".
 *
 * @param systemName     {@code db_system_name}: the report does not carry the server greeting yet, so
 *                       {@code mysql} (MariaDB speaks the same protocol)
 * @param namespace      {@code db_namespace}: the schema
 * @param collection     {@code db_collection_name}: the first table, as written
 * @param operation      {@code db_operation_name}: the statement type, upper case ({@code SELECT})
 * @param summary        {@code db_query_summary}: operation and up to three tables ({@code SELECT t})
 * @param serverAddress  {@code server_address}
 * @param serverPort     {@code server_port}
 * @param templateId     {@code template_id}: the report's 16-hex template id
 */
public record TemplateLabels(
        String systemName,
        String namespace,
        String collection,
        String operation,
        String summary,
        String serverAddress,
        String serverPort,
        String templateId) {

    static final String SYSTEM = "mysql";
    static final String OTHER = "other";
    private static final int SUMMARY_TABLES = 3;

    static TemplateLabels of(TemplateSnapshot t) {
        String op = t.statementType() == null || t.statementType().isEmpty()
                ? "UNKNOWN"
                : t.statementType().toUpperCase(Locale.ROOT);
        List<String> tables = t.tables() == null ? List.of() : t.tables();
        StringBuilder summary = new StringBuilder(op);
        for (int i = 0; i < Math.min(SUMMARY_TABLES, tables.size()); i++) {
            summary.append(' ').append(tables.get(i));
        }
        String[] server = splitServer(t.server());
        return new TemplateLabels(
                SYSTEM,
                t.db(),
                tables.isEmpty() ? null : tables.get(0),
                op,
                summary.toString(),
                server[0],
                server[1],
                t.id());
    }

    /** A server's series for the templates without a place of their own. */
    static TemplateLabels other(String server) {
        String[] s = splitServer(server);
        return new TemplateLabels(SYSTEM, null, null, null, OTHER, s[0], s[1], OTHER);
    }

    /** {@code 127.0.0.1:3306} or {@code [::1]:3306} → address and port (null when unknown). */
    static String[] splitServer(String server) {
        if (server == null || server.isEmpty()) {
            return new String[] {null, null};
        }
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || server.indexOf(']') > colon || (server.indexOf(':') != colon && server.charAt(0) != '[')) {
            return new String[] {server, null}; // no port, or a bare IPv6 address
        }
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, server.substring(colon + 1)};
    }

    /** Label names and values in a fixed order, absent ones left out; then the status labels. */
    void appendTo(List<String> names, List<String> values, String statusCode) {
        put(names, values, "db_system_name", systemName);
        put(names, values, "db_namespace", namespace);
        put(names, values, "db_collection_name", collection);
        put(names, values, "db_operation_name", operation);
        put(names, values, "db_query_summary", summary);
        put(names, values, "server_address", serverAddress);
        put(names, values, "server_port", serverPort);
        put(names, values, "template_id", templateId);
        if (statusCode != null && !statusCode.isEmpty()) {
            put(names, values, "db_response_status_code", statusCode);
            put(names, values, "error_type", statusCode);
        }
    }

    private static void put(List<String> names, List<String> values, String name, String value) {
        if (value != null && !value.isEmpty()) {
            names.add(name);
            values.add(value);
        }
    }
}
