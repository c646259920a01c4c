package io.mysqlprobe.aggregate;

/** What a template's statistics are grouped by: the server, the schema (null = unknown) and the template id. */
public record TemplateKey(String server, String db, long id) {}
