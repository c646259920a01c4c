package io.mysqlprobe.aggregate;

/**
 * Tunables of aggregation. Changed live by swapping the whole record.
 *
 * @param slowThresholdUs statements at least this slow become slow samples
 * @param rawSql          keep literal values in samples
 * @param maxTemplates    distinct (server, db, template) keys per window and worker before the overflow entry
 * @param maxSlowSamples  slow samples kept per template and window
 * @param maxNames        distinct clients / users counted by name per template and window
 */
public record AggregateSettings(
        long slowThresholdUs, boolean rawSql, int maxTemplates, int maxSlowSamples, int maxNames) {}
