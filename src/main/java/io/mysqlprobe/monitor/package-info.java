/**
 * The backend monitor: ProxySQL's Monitor module (connect, ping, read_only and replication-lag checks,
 * the four {@code mysql_server_*_log} tables, shunning and hostgroup moves), independent of the capture
 * pipeline.
 *
 * <p>Shape: {@link io.mysqlprobe.monitor.MonitorConfig} (the {@code monitor:} YAML section, ProxySQL names
 * and ranges) → {@link io.mysqlprobe.monitor.MonitorEngine} (plain Java: one {@code CheckProducer} thread per
 * check type → bounded {@link io.mysqlprobe.monitor.WorkerPool} with temporary workers → {@code Checks} on
 * a {@code ConnectionPool} of its own) → {@link io.mysqlprobe.monitor.LogTable}s and the
 * {@link io.mysqlprobe.monitor.HostgroupManager}, whose {@link io.mysqlprobe.monitor.MonitorEvent}s
 * {@link io.mysqlprobe.monitor.MonitorService} fires as CDI events.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Millisecond timeouts: each check arms a timer that closes the connection's socket at the deadline
 *       (the socket comes from {@link io.mysqlprobe.monitor.DeadlineSocketFactory}), and the driver's
 *       socket timeout is set to the same value. ProxySQL rounds connect_timeout to whole seconds; we don't.
 *       DNS resolution of a host name is not covered by the deadline (the JDK's resolver cannot be
 *       interrupted): use IP addresses or a local resolver for hard bounds.
 *   <li>history is raised to at least (ping_max_failures+1) × ping_interval. The seed's text says
 *       ping_timeout; but consecutive pings are ping_interval apart, so only the interval guarantees the
 *       rows that decided a shun are still in the log. log_max_rows caps each table whatever history says.
 *   <li>A NULL Seconds_Behind_Master is logged and judged as slave_lag_when_null (ProxySQL does the same);
 *       a server in a writer hostgroup is never shunned for lag, so that value cannot take a writer away.
 *   <li>Shunning is endpoint-wide for pings (all hostgroups of host:port), per hostgroup row for lag;
 *       the first successful ping un-shuns; lag ≤ max_replication_lag un-shuns.
 *   <li>A target whose previous check still runs is skipped for that round (counted), so a frozen backend
 *       cannot pile tasks into the queue.
 * </ul>
 */
package io.mysqlprobe.monitor;
