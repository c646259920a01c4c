package io.mysqlprobe.pipeline;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBacklog;
import io.mysqlprobe.watcher.WatcherState;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What api/ and cluster/ see of the running pipeline: its reports, its health, and the two settings that
 * change without a restart. They never reach the runtime classes behind it.
 */
public interface PipelineView {

    /** Published reports: the latest, the backlog for a subscriber that (re)connects, live subscriptions. */
    ReportBacklog backlog();

    /** The report most recently published, or null. */
    Report latest();

    /** {@code host:serverport}: this node's name in reports and in the cluster. */
    String node();

    /** slave, master or standby. */
    String role();

    /** The cluster package says what this node is (slave, master or standby). */
    void setRoleSource(Supplier<String> source);

    /** Start-up finished (readiness). */
    boolean started();

    /** Capture threads and decode workers are running (liveness). */
    boolean alive();

    /** Devices that could not be opened, with why. */
    Map<String, String> deviceErrors();

    /** Devices being captured now. */
    List<String> openDevices();

    /** The processlist watcher's counters for listnodes, or null when no watcher is configured. */
    WatcherState watcherState();

    /** Changes the report window from the end of the window in progress; returns when it applies. */
    long changeInterval(long intervalMs);

    void changeSlowThreshold(long ms);
}
