package io.mysqlprobe.metrics;

import io.prometheus.client.Collector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exposes {@link TemplateSeries} in the Prometheus client registry behind {@code /q/metrics}, so the
 * registry's own writer renders it (text 0.0.4 or OpenMetrics, as the scraper asks). Runs on scrape only:
 * no per-statement work. Micrometer's own histograms cannot take per-series bucket counts computed from a
 * sketch, hence a plain collector.
 *
 * <p>A series is first shown at zero, by the first scrape after it appears; later scrapes show its totals.
 * Prometheus 2 keeps no creation time: a counter whose first sample already holds its first window would lose
 * that window in {@code rate()} and {@code increase()}. Shown at zero first, the whole jump is counted.
 */
public final class TemplateCollector extends Collector {

    public static final String DURATION = "db_client_operation_duration_seconds";
    public static final String ROWS_SENT = "mysqlprobe_template_rows_sent";
    public static final String ROWS_AFFECTED = "mysqlprobe_template_rows_affected";
    private static final String[] LE = new String[TemplateSeries.EDGES_US.length];

    static {
        for (int k = 0; k < LE.length; k++) {
            // plain decimals as Go's client writes them (0.0001, 1, 10), not Java's 1.0E-4
            LE[k] = java.math.BigDecimal.valueOf(TemplateSeries.EDGES_US[k], 6)
                    .stripTrailingZeros()
                    .toPlainString();
        }
    }

    private final TemplateSeries series;

    public TemplateCollector(TemplateSeries series) {
        this.series = series;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples.Sample> duration = new ArrayList<>();
        List<MetricFamilySamples.Sample> sent = new ArrayList<>();
        List<MetricFamilySamples.Sample> affected = new ArrayList<>();
        series.forEach(e -> {
            for (Map.Entry<String, TemplateSeries.Histogram> s : e.byStatus.entrySet()) {
                TemplateSeries.Histogram h = s.getValue();
                histogram(duration, e.labels, s.getKey(), h, h.exposed ? 1 : 0);
                h.exposed = true;
            }
            List<String> names = new ArrayList<>(10);
            List<String> values = new ArrayList<>(10);
            e.labels.appendTo(names, values, null);
            double shown = e.exposed ? 1 : 0;
            e.exposed = true;
            sent.add(new MetricFamilySamples.Sample(ROWS_SENT + "_total", names, values, e.rowsSent * shown));
            affected.add(
                    new MetricFamilySamples.Sample(ROWS_AFFECTED + "_total", names, values, e.rowsAffected * shown));
        });
        return List.of(
                new MetricFamilySamples(
                        DURATION,
                        Type.HISTOGRAM,
                        "Duration of database client operations (first request byte to last response byte), per"
                                + " template; the top metrics.max_templates templates, the rest as template_id=other",
                        duration),
                new MetricFamilySamples(ROWS_SENT, Type.COUNTER, "rows returned by the server, per template", sent),
                new MetricFamilySamples(ROWS_AFFECTED, Type.COUNTER, "rows affected, per template", affected),
                gauge(
                        "mysqlprobe_metrics_templates",
                        "templates with series of their own (metrics.max_templates)",
                        series.templates()),
                counter(
                        "mysqlprobe_metrics_other_statements",
                        "statements counted under template_id=other",
                        series.foldedStatements()),
                counter(
                        "mysqlprobe_metrics_evicted_templates",
                        "templates whose series were removed after metrics.idle_minutes without statements",
                        series.evictedTemplates()),
                counter(
                        "mysqlprobe_metrics_bad_histograms",
                        "window templates whose latency sketch was unreadable (their statements count in +Inf only)",
                        series.badHistograms()));
    }

    private static void histogram(
            List<MetricFamilySamples.Sample> out,
            TemplateLabels labels,
            String status,
            TemplateSeries.Histogram h,
            double shown) {
        List<String> names = new ArrayList<>(11);
        List<String> values = new ArrayList<>(11);
        labels.appendTo(names, values, status);
        for (int k = 0; k <= LE.length; k++) {
            List<String> n = new ArrayList<>(names);
            List<String> v = new ArrayList<>(values);
            n.add("le");
            v.add(k < LE.length ? LE[k] : "+Inf");
            // a fractional share (errno split) may round a hair over the count: buckets never exceed it
            double c = k < LE.length ? Math.min(h.buckets[k], h.count) : h.count;
            out.add(new MetricFamilySamples.Sample(DURATION + "_bucket", n, v, c * shown));
        }
        out.add(new MetricFamilySamples.Sample(DURATION + "_count", names, values, h.count * shown));
        out.add(new MetricFamilySamples.Sample(DURATION + "_sum", names, values, h.sumSeconds * shown));
    }

    private static MetricFamilySamples gauge(String name, String help, double value) {
        return new MetricFamilySamples(
                name, Type.GAUGE, help, List.of(new MetricFamilySamples.Sample(name, List.of(), List.of(), value)));
    }

    private static MetricFamilySamples counter(String name, String help, double value) {
        return new MetricFamilySamples(
                name,
                Type.COUNTER,
                help,
                List.of(new MetricFamilySamples.Sample(name + "_total", List.of(), List.of(), value)));
    }
}
