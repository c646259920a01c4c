package io.mysqlprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.LatencySketch;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.config.ConfigException;
import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.report.Report;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Per-template series: the cap, the errno split, monotone counters, idle eviction, the exposition text. */
class TemplateSeriesTest {

    static final String SERVER = "127.0.0.1:3306";
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    static TemplateSnapshot template(long id, String db, long count, Map<String, Long> errors, long... us) {
        LatencySketch s = new LatencySketch();
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long v = us[i % us.length];
            s.record(v);
            sum += v;
        }
        long failed = errors.values().stream().mapToLong(Long::longValue).sum();
        return new TemplateSnapshot(
                String.format("%016x", id),
                "select * from t where id = ?",
                "select",
                List.of("t", "u"),
                SERVER,
                db,
                count,
                failed,
                errors,
                new TemplateSnapshot.Latency(sum, 0, 0, 0, 0, 0, 0, s.encode()),
                count,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                Map.of(),
                Map.of(),
                null,
                List.of());
    }

    static Report window(long endMs, List<TemplateSnapshot> templates) {
        return new Report(
                "n", "slave", "standalone", new Report.Window(endMs - 1000, endMs), null, templates, null, null);
    }

    /** Samples of the text exposition, name + labels → value, checked line by line against the format. */
    static Map<String, Double> scrape(TemplateSeries series) throws Exception {
        scrapeOnce(series); // shows new series at zero
        return scrapeOnce(series);
    }

    static Map<String, Double> scrapeOnce(TemplateSeries series) throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        registry.register(new TemplateCollector(series));
        StringWriter w = new StringWriter();
        TextFormat.write004(w, registry.metricFamilySamples());
        Map<String, Double> out = new HashMap<>();
        for (String line : w.toString().split("\n")) {
            if (line.startsWith("#")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE "), line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String labels = m.group(2) == null ? "" : m.group(2).replace(",}", "}"); // the writer's trailing comma
            assertTrue(out.put(m.group(1) + labels, Double.parseDouble(m.group(3))) == null, "duplicate " + line);
        }
        return out;
    }

    static double sum(Map<String, Double> samples, String name, String... labelParts) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (e.getKey().startsWith(name + "{")
                    && List.of(labelParts).stream().allMatch(e.getKey()::contains)) {
                s += e.getValue();
            }
        }
        return s;
    }

    @Test
    void tenThousandTemplatesStayWithinTheCapAndOtherHoldsTheRest() throws Exception {
        TemplateSeries series = new TemplateSeries(200, 3_600_000);
        long total = 0;
        for (int w = 0; w < 10; w++) {
            List<TemplateSnapshot> ts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                long id = w * 1000L + i + 1;
                ts.add(template(id, "shop", 1 + i % 3, Map.of(), 100 + id % 5000));
                total += 1 + i % 3;
            }
            series.record(window(1000L * (w + 1), ts));
        }
        Map<String, Double> s = scrape(series);
        Set<String> ids = new HashSet<>();
        for (String k : s.keySet()) {
            Matcher m = Pattern.compile("template_id=\"([^\"]+)\"").matcher(k);
            if (k.startsWith("db_client_operation_duration_seconds_count") && m.find()) {
                ids.add(m.group(1));
            }
        }
        assertEquals(201, ids.size(), "200 templates and other");
        assertTrue(ids.contains("other"));
        double other = sum(
                s, "db_client_operation_duration_seconds_count", "template_id=\"other\"", "db_query_summary=\"other\"");
        assertEquals(total, sum(s, "db_client_operation_duration_seconds_count"), "nothing lost");
        assertEquals(series.foldedStatements(), other, 0);
        assertEquals(total - other, sum(s, "db_client_operation_duration_seconds_count", "db_namespace=\"shop\""));
        assertEquals(200, s.get("mysqlprobe_metrics_templates"));
        // the first window's heaviest templates (by total time) took the places
        assertTrue(s.keySet().stream().anyMatch(k -> k.contains("template_id=\"" + String.format("%016x", 999L))));
        assertFalse(
                s.keySet().stream().anyMatch(k -> k.contains("template_id=\"" + String.format("%016x", 1L) + "\"")));
    }

    @Test
    void errorsAreCountedPerErrnoWithTheTemplatesDistribution() throws Exception {
        TemplateSeries series = new TemplateSeries(10, 3_600_000);
        // 3 of 5 fail with 1146: 2 statements of 80 µs and 3 of 3 ms in the sketch, shares 2/5 and 3/5
        series.record(window(1000, List.of(template(7, "shop", 5, Map.of("1146", 3L), 80, 3000, 80, 3000, 3000))));
        Map<String, Double> s = scrape(series);
        String id = "template_id=\"0000000000000007\"";
        assertEquals(2, sum(s, "db_client_operation_duration_seconds_count", id + "}", "db_operation_name=\"SELECT\""));
        assertEquals(
                3,
                sum(
                        s,
                        "db_client_operation_duration_seconds_count",
                        id,
                        "db_response_status_code=\"1146\"",
                        "error_type=\"1146\""));
        assertEquals(
                2,
                s.keySet().stream()
                        .filter(k -> k.startsWith("db_client_operation_duration_seconds_count") && k.contains(id))
                        .count(),
                "one series per status");
        assertEquals(
                2,
                sum(s, "db_client_operation_duration_seconds_bucket", id, "07\",le=\"+Inf\""),
                "the success series has no status label");
        assertEquals(
                2 * 2 / 5.0,
                sum(
                        s,
                        "db_client_operation_duration_seconds_bucket",
                        id,
                        "07\",le=\"0.0001\"",
                        "db_query_summary=\"SELECT t u\""),
                1e-9);
        assertEquals(
                2 * 3 / 5.0, sum(s, "db_client_operation_duration_seconds_bucket", id, "le=\"0.0001\"", "1146"), 1e-9);
        assertEquals(3, sum(s, "db_client_operation_duration_seconds_bucket", id, "le=\"0.005\"", "1146"), 1e-9);
        assertEquals(9160e-6, sum(s, "db_client_operation_duration_seconds_sum", id), 1e-12);
        assertEquals(
                5,
                sum(
                        s,
                        "mysqlprobe_template_rows_sent_total",
                        id,
                        "server_address=\"127.0.0.1\"",
                        "server_port=\"3306\"",
                        "db_collection_name=\"t\""));
    }

    @Test
    void countersOnlyGrowAndIdleTemplatesGiveTheirPlaceUp() throws Exception {
        TemplateSeries series = new TemplateSeries(1, 60_000);
        series.record(window(1000, List.of(template(1, "a", 4, Map.of(), 200))));
        series.record(window(2000, List.of(template(1, "a", 1, Map.of(), 200), template(2, "a", 9, Map.of(), 9000))));
        Map<String, Double> s = scrape(series);
        assertEquals(5, sum(s, "db_client_operation_duration_seconds_count", "0000000000000001"));
        assertEquals(
                9,
                sum(s, "db_client_operation_duration_seconds_count", "template_id=\"other\""),
                "no place for the heavier newcomer while the first is active: it counts under other");
        series.record(window(61_000, List.of(template(2, "a", 1, Map.of(), 9000))));
        s = scrape(series);
        assertEquals(10, sum(s, "db_client_operation_duration_seconds_count", "template_id=\"other\""));
        series.record(window(63_000, List.of(template(2, "a", 2, Map.of(), 9000))));
        s = scrape(series);
        assertEquals(0, sum(s, "db_client_operation_duration_seconds_count", "0000000000000001"), "evicted");
        assertEquals(2, sum(s, "db_client_operation_duration_seconds_count", "0000000000000002"), "admitted");
        assertEquals(10, sum(s, "db_client_operation_duration_seconds_count", "template_id=\"other\""));
        assertEquals(1, s.get("mysqlprobe_metrics_evicted_templates_total"));
    }

    @Test
    void aNewSeriesIsFirstShownAtZeroSoRateCountsItsFirstWindow() throws Exception {
        TemplateSeries series = new TemplateSeries(5, 60_000);
        series.record(window(1000, List.of(template(1, "a", 4, Map.of(), 200))));
        Map<String, Double> first = scrapeOnce(series);
        assertEquals(0, sum(first, "db_client_operation_duration_seconds_count", "0000000000000001"));
        assertEquals(0, sum(first, "mysqlprobe_template_rows_sent_total", "0000000000000001"));
        assertTrue(
                first.containsKey("db_client_operation_duration_seconds_bucket{db_system_name=\"mysql\","
                        + "db_namespace=\"a\",db_collection_name=\"t\",db_operation_name=\"SELECT\",db_query_summary="
                        + "\"SELECT t u\",server_address=\"127.0.0.1\",server_port=\"3306\",template_id=\"0000000000000001\","
                        + "le=\"0.00025\"}"),
                first.keySet().toString());
        series.record(window(2000, List.of(template(1, "a", 1, Map.of("1062", 1L), 200))));
        Map<String, Double> second = scrapeOnce(series);
        assertEquals(4, sum(second, "db_client_operation_duration_seconds_count", "01\"}"));
        assertEquals(0, sum(second, "db_client_operation_duration_seconds_count", "1062"), "new status series");
        assertEquals(1, sum(scrapeOnce(series), "db_client_operation_duration_seconds_count", "1062"));
    }

    @Test
    void anUnreadableSketchCountsInInfOnly() throws Exception {
        TemplateSeries series = new TemplateSeries(5, 60_000);
        TemplateSnapshot t = template(3, "a", 2, Map.of(), 100);
        TemplateSnapshot bad = new TemplateSnapshot(
                t.id(),
                t.template(),
                t.statementType(),
                t.tables(),
                t.server(),
                t.db(),
                t.count(),
                t.errors(),
                t.errorCodes(),
                new TemplateSnapshot.Latency(200, 0, 0, 0, 0, 0, 0, "garbage"),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                Map.of(),
                Map.of(),
                null,
                List.of());
        series.record(window(1000, List.of(bad)));
        Map<String, Double> s = scrape(series);
        assertEquals(2, sum(s, "db_client_operation_duration_seconds_bucket", "le=\"+Inf\""));
        assertEquals(0, sum(s, "db_client_operation_duration_seconds_bucket", "le=\"10\""));
        assertEquals(1, s.get("mysqlprobe_metrics_bad_histograms_total"));
    }

    @Test
    void badMetricsConfigurationNamesTheKey() {
        assertEquals(200, ConfigLoader.defaults().metrics().maxTemplates());
        assertEquals(
                5,
                ConfigLoader.parseYaml("metrics: {max_templates: 5}").metrics().maxTemplates());
        for (String bad : new String[] {"0", "-3", "many"}) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class, () -> ConfigLoader.parseYaml("metrics: {max_templates: " + bad + "}"));
            assertEquals("metrics.max_templates", e.key());
            assertFalse(e.getMessage().contains("\n"));
        }
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parseYaml("metrics: {max_template: 5}"));
        assertEquals("metrics.max_template", e.key());
        e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parseYaml("metrics: {idle_minutes: 0}"));
        assertEquals("metrics.idle_minutes", e.key());
        var diff = io.mysqlprobe.config.ConfigDiff.between(
                ConfigLoader.defaults(), ConfigLoader.parseYaml("metrics: {max_templates: 5}"));
        assertEquals(List.of("metrics"), diff.restartRequired(), "the cap is fixed at start: restart required");
    }
}
