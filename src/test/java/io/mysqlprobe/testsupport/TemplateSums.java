package io.mysqlprobe.testsupport;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import java.util.HashMap;
import java.util.Map;

/** One template's figures over several windows, as a user adds them up (for the live tests' assertions). */
public final class TemplateSums {

    private TemplateSums() {}

    /** Adds the fields the assertions read (counts are summed over windows, as a user would). */
    public static TemplateSnapshot sum(TemplateSnapshot a, TemplateSnapshot b) {
        Map<String, Long> codes = new HashMap<>(a.errorCodes());
        b.errorCodes().forEach((k, v) -> codes.merge(k, v, Long::sum));
        Map<String, Long> users = new HashMap<>(a.users());
        b.users().forEach((k, v) -> users.merge(k, v, Long::sum));
        TemplateSnapshot.Latency l = new TemplateSnapshot.Latency(
                a.latencyUs().sum() + b.latencyUs().sum(),
                Math.min(a.latencyUs().min(), b.latencyUs().min()),
                Math.max(a.latencyUs().max(), b.latencyUs().max()),
                0,
                0,
                0,
                0,
                null);
        return new TemplateSnapshot(
                a.id(),
                a.template(),
                a.statementType(),
                a.tables(),
                a.server(),
                a.db(),
                a.count() + b.count(),
                a.errors() + b.errors(),
                codes,
                l,
                a.rowsSent() + b.rowsSent(),
                a.rowsAffected() + b.rowsAffected(),
                a.warnings() + b.warnings(),
                a.bytesIn() + b.bytesIn(),
                a.bytesOut() + b.bytesOut(),
                a.noIndexUsed() + b.noIndexUsed(),
                a.noGoodIndexUsed() + b.noGoodIndexUsed(),
                a.queryWasSlow() + b.queryWasSlow(),
                Math.min(a.firstSeenMs(), b.firstSeenMs()),
                Math.max(a.lastSeenMs(), b.lastSeenMs()),
                a.clients(),
                users,
                a.sample(),
                a.slow());
    }
}
