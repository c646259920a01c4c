package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.protocol.StatementRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything one window knows about one template on one server and schema. Mutable, one owner at a time;
 * {@link #merge} combines two windows' (or two workers', or two slaves') statistics exactly.
 */
final class TemplateStats {

    private static final Comparator<SlowSample> SLOWEST_FIRST =
            Comparator.comparingLong(SlowSample::latencyUs).reversed().thenComparingLong(SlowSample::requestTsUs);

    final Fingerprint fingerprint;
    final LatencySketch latency = new LatencySketch();
    final Map<Integer, Long> errorCodes = new HashMap<>(2);
    final TopCounter clients;
    final TopCounter users;
    final List<SlowSample> slow = new ArrayList<>(0);
    private final int maxSlow;
    long count;
    long errors;
    long latencySum;
    long latencyMin = Long.MAX_VALUE;
    long latencyMax;
    long rowsSent;
    long rowsAffected;
    long warnings;
    long bytesIn;
    long bytesOut;
    long noIndexUsed;
    long noGoodIndexUsed;
    long queryWasSlow;
    long firstSeenMs = Long.MAX_VALUE;
    long lastSeenMs;
    String sample;

    TemplateStats(Fingerprint fingerprint, int maxSlow, int maxNames) {
        this.fingerprint = fingerprint;
        this.maxSlow = maxSlow;
        this.clients = new TopCounter(maxNames);
        this.users = new TopCounter(maxNames);
    }

    /**
     * @param names   the connection's printable addresses
     * @param sampler makes the sample text of a statement (redacted SQL, or the SQL with its parameter values);
     *                called only when a sample is kept
     */
    void add(
            StatementRecord r, ConnectionNames names, Function<StatementRecord, String> sampler, long slowThresholdUs) {
        long lat = r.latencyUs();
        count++;
        if (!r.incomplete()) { // the response never came: counted, but its latency is unknown
            latency.record(lat);
            latencySum += lat;
            latencyMin = Math.min(latencyMin, lat);
            latencyMax = Math.max(latencyMax, lat);
        }
        if (!r.ok()) {
            countError(r.errno());
        }
        rowsSent += r.rowsSent();
        rowsAffected += r.rowsAffected();
        warnings += r.warnings();
        bytesIn += r.bytesIn();
        bytesOut += r.bytesOut();
        countServerStatus(r.serverStatus());
        firstSeenMs = Math.min(firstSeenMs, r.requestTsUs() / 1000);
        lastSeenMs = Math.max(lastSeenMs, endTsUs(r) / 1000);
        clients.add(names.clientHost(), 1);
        users.add(r.user(), 1);
        if (sample == null && r.sql() != null) {
            sample = sampler.apply(r);
        }
        if (maxSlow > 0 && !r.incomplete() && lat >= slowThresholdUs) {
            considerSlow(r, lat, names, sampler);
        }
    }

    /** Each flag adds 0 or 1: no branch for the compiler to bet on (and trap when a flag first shows). */
    private void countServerStatus(int st) {
        noIndexUsed += flag(st, ServerStatus.SERVER_STATUS_NO_INDEX_USED);
        noGoodIndexUsed += flag(st, ServerStatus.SERVER_STATUS_NO_GOOD_INDEX_USED);
        queryWasSlow += flag(st, ServerStatus.SERVER_QUERY_WAS_SLOW);
    }

    /** 1 when {@code status} has {@code flag} (a single bit), else 0. */
    private static int flag(int status, int flag) {
        return Integer.bitCount(status & flag);
    }

    private void countError(int errno) {
        errors++;
        errorCodes.merge(errno, 1L, Long::sum);
    }

    /** A statement at least as slow as the threshold: kept if among the {@code maxSlow} slowest. */
    private void considerSlow(
            StatementRecord r, long lat, ConnectionNames names, Function<StatementRecord, String> sampler) {
        if (slow.size() < maxSlow || lat > fastestSlowLatency()) {
            offerSlow(new SlowSample(
                    r.requestTsUs(),
                    r.lastResponseTsUs(),
                    lat,
                    names.client(),
                    r.sql() == null ? null : sampler.apply(r),
                    r.errno(),
                    r.rowsSent() > 0 ? r.rowsSent() : r.rowsAffected()));
        }
    }

    static long endTsUs(StatementRecord r) {
        return r.lastResponseTsUs() != 0 ? r.lastResponseTsUs() : r.requestTsUs();
    }

    private long fastestSlowLatency() {
        long min = Long.MAX_VALUE;
        for (SlowSample s : slow) {
            min = Math.min(min, s.latencyUs());
        }
        return min;
    }

    private void offerSlow(SlowSample s) {
        if (slow.size() < maxSlow) {
            slow.add(s);
            return;
        }
        int fastest = 0;
        for (int i = 1; i < slow.size(); i++) {
            if (SLOWEST_FIRST.compare(slow.get(i), slow.get(fastest)) > 0) {
                fastest = i;
            }
        }
        if (SLOWEST_FIRST.compare(s, slow.get(fastest)) < 0) {
            slow.set(fastest, s);
        }
    }

    void merge(TemplateStats o) {
        count += o.count;
        errors += o.errors;
        o.errorCodes.forEach((k, v) -> errorCodes.merge(k, v, Long::sum));
        latency.merge(o.latency);
        latencySum += o.latencySum;
        latencyMin = Math.min(latencyMin, o.latencyMin);
        latencyMax = Math.max(latencyMax, o.latencyMax);
        rowsSent += o.rowsSent;
        rowsAffected += o.rowsAffected;
        warnings += o.warnings;
        bytesIn += o.bytesIn;
        bytesOut += o.bytesOut;
        noIndexUsed += o.noIndexUsed;
        noGoodIndexUsed += o.noGoodIndexUsed;
        queryWasSlow += o.queryWasSlow;
        firstSeenMs = Math.min(firstSeenMs, o.firstSeenMs);
        lastSeenMs = Math.max(lastSeenMs, o.lastSeenMs);
        clients.merge(o.clients);
        users.merge(o.users);
        if (sample == null) {
            sample = o.sample;
        }
        o.slow.forEach(this::offerSlow);
    }

    /**
     * The statistics a snapshot describes (the inverse of {@link #snapshot}): how a master turns the templates of
     * slaves' reports back into statistics it can {@link #merge} exactly like a worker's.
     */
    static TemplateStats restore(TemplateSnapshot s, int maxSlow, int maxNames) {
        TemplateStats t = new TemplateStats(s.fingerprint(), maxSlow, maxNames);
        t.count = s.count();
        t.errors = s.errors();
        s.errorCodes().forEach((k, v) -> t.errorCodes.merge(Integer.parseInt(k), v, Long::sum));
        TemplateSnapshot.Latency l = s.latencyUs();
        if (l.histogram() != null) {
            t.latency.merge(LatencySketch.decode(l.histogram()));
        }
        t.latencySum = l.sum();
        boolean noLatency = s.count() == 0 || l.histogram() != null && t.latency.count() == 0; // all incomplete
        t.latencyMin = noLatency ? Long.MAX_VALUE : l.min();
        t.latencyMax = l.max();
        t.rowsSent = s.rowsSent();
        t.rowsAffected = s.rowsAffected();
        t.warnings = s.warnings();
        t.bytesIn = s.bytesIn();
        t.bytesOut = s.bytesOut();
        t.noIndexUsed = s.noIndexUsed();
        t.noGoodIndexUsed = s.noGoodIndexUsed();
        t.queryWasSlow = s.queryWasSlow();
        t.firstSeenMs = s.firstSeenMs() == 0 ? Long.MAX_VALUE : s.firstSeenMs();
        t.lastSeenMs = s.lastSeenMs();
        s.clients().forEach(t.clients::add);
        s.users().forEach(t.users::add);
        t.sample = s.sample();
        s.slow().forEach(t::offerSlow);
        return t;
    }

    /** Bucket values are within 1 %; the exact min and max bound them. */
    private long clamp(long q) {
        return latencyMin == Long.MAX_VALUE ? 0 : Math.max(latencyMin, Math.min(latencyMax, q));
    }

    /** An immutable copy for the report stage (which carries it as the report's template record). */
    TemplateSnapshot snapshot(TemplateKey key) {
        Map<String, Long> codes = new java.util.TreeMap<>();
        errorCodes.forEach((k, v) -> codes.put(Integer.toString(k), v));
        List<SlowSample> slowest = new ArrayList<>(slow);
        slowest.sort(SLOWEST_FIRST);
        return new TemplateSnapshot(
                fingerprint.idHex(),
                fingerprint.template(),
                fingerprint.statementType(),
                fingerprint.tables(),
                key.server(),
                key.db(),
                count,
                errors,
                Map.copyOf(codes),
                new TemplateSnapshot.Latency(
                        latencySum,
                        latencyMin == Long.MAX_VALUE ? 0 : latencyMin,
                        latencyMax,
                        clamp(latency.quantile(0.5)),
                        clamp(latency.quantile(0.95)),
                        clamp(latency.quantile(0.99)),
                        clamp(latency.quantile(0.999)),
                        latency.encode()),
                rowsSent,
                rowsAffected,
                warnings,
                bytesIn,
                bytesOut,
                noIndexUsed,
                noGoodIndexUsed,
                queryWasSlow,
                firstSeenMs == Long.MAX_VALUE ? 0 : firstSeenMs,
                lastSeenMs,
                clients.toMap(),
                users.toMap(),
                sample,
                List.copyOf(slowest));
    }
}
