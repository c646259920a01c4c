package io.mysqlprobe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which settings changed between two configurations, split into those the running node applies live and
 * those that need a restart (logged as {@code restart required: KEY}).
 */
public record ConfigDiff(List<String> live, List<String> restartRequired) {

    public static ConfigDiff between(ProbeConfig a, ProbeConfig b) {
        List<String> live = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        check(live, "interval", a.intervalSeconds(), b.intervalSeconds());
        check(live, "slowthresholdms", a.slowThresholdMs(), b.slowThresholdMs());
        check(live, "report.raw_sql", a.report().rawSql(), b.report().rawSql());
        check(
                live,
                "report.max_templates",
                a.report().maxTemplates(),
                b.report().maxTemplates());
        check(live, "report.slow_samples", a.report().slowSamples(), b.report().slowSamples());
        check(live, "monitor", a.monitor(), b.monitor());
        check(live, "cluster.slaves", a.cluster().slaves(), b.cluster().slaves());
        check(live, "auth.token", a.auth(), b.auth());
        check(restart, "slave", a.slave(), b.slave());
        check(restart, "serverport", a.serverPort(), b.serverPort());
        check(restart, "probe", a.probe(), b.probe());
        check(restart, "watcher", a.watcher(), b.watcher());
        check(restart, "metrics", a.metrics(), b.metrics());
        check(restart, "report.backlog", a.report().backlog(), b.report().backlog());
        check(restart, "tls", a.tls(), b.tls());
        check(restart, "cluster", withoutSlaves(a.cluster()), withoutSlaves(b.cluster()));
        return new ConfigDiff(List.copyOf(live), List.copyOf(restart));
    }

    /** The running configuration with {@code next}'s live settings applied and its restart-only ones ignored. */
    public static ProbeConfig applyLive(ProbeConfig running, ProbeConfig next) {
        ProbeConfig.Report r = new ProbeConfig.Report(
                next.report().rawSql(),
                next.report().maxTemplates(),
                next.report().slowSamples(),
                running.report().backlog());
        ProbeConfig.Cluster cluster =
                running.cluster().withSlaves(next.cluster().slaves());
        return new ProbeConfig(
                running.slave(),
                running.serverPort(),
                next.intervalSeconds(),
                next.slowThresholdMs(),
                cluster,
                running.probe(),
                running.watcher(),
                r,
                next.auth(),
                next.monitor(),
                running.tls(),
                running.metrics());
    }

    private static ProbeConfig.Cluster withoutSlaves(ProbeConfig.Cluster c) {
        return c.withSlaves(List.of());
    }

    private static void check(List<String> out, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(key);
        }
    }
}
