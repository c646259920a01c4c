package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import java.util.List;
import java.util.Map;

/** Immutable statistics of one template in one window; quantiles clamped by min/max are exact bounds. */
public record TemplateSnapshot(
        TemplateKey key,
        Fingerprint fingerprint,
        long count,
        long errors,
        Map<String, Long> errorCodes,
        long latencySum,
        long latencyMin,
        long latencyMax,
        long p50,
        long p95,
        long p99,
        long p999,
        String histogram,
        long rowsSent,
        long rowsAffected,
        long warnings,
        long bytesIn,
        long bytesOut,
        long noIndexUsed,
        long noGoodIndexUsed,
        long queryWasSlow,
        long firstSeenMs,
        long lastSeenMs,
        Map<String, Long> clients,
        Map<String, Long> users,
        String sample,
        List<SlowSample> slow) {}
