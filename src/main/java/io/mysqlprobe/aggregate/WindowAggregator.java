package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.protocol.StatementRecord;
import io.mysqlprobe.tcp.FlowKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Aggregates one worker's statements into windows by the time each statement finished (its last
 * response byte). Not thread-safe: the worker that decodes also aggregates, and hands finished windows
 * over with {@link #drainBefore}, as immutable {@link WindowSnapshot}s.
 */
public final class WindowAggregator implements Consumer<StatementRecord> {

    static final Fingerprint OVERFLOW =
            new Fingerprint(0L, "(templates over report.max_templates)", "overflow", List.of());

    private final WindowClock clock;
    private final Templater templater;
    private final Supplier<AggregateSettings> settings;
    private final LongAdder statements;
    private final TreeMap<Long, WindowData> open = new TreeMap<>();
    private long drainedUntilMs = Long.MIN_VALUE;
    /** The window the last statement went to (nearly every statement goes to the same one as the last). */
    private WindowData last;
    /** {@link #last} holds every statement before this time (its start as the clock had it at {@link
     * #lastClockChanges}). */
    private long lastUntilMs;

    private int lastClockChanges;
    private final RecentTemplates recent = new RecentTemplates();

    private final HashMap<FlowKey, ConnectionNames> names = new HashMap<>();
    private static final int MAX_NAMED_CONNECTIONS = 65_536;

    /** @param statements counts every statement aggregated (for the report's totals) */
    public WindowAggregator(
            WindowClock clock, Templater templater, Supplier<AggregateSettings> settings, LongAdder statements) {
        this.clock = clock;
        this.templater = templater.forOneThread(); // an aggregator runs on its worker's thread only
        this.settings = settings;
        this.statements = statements;
    }

    @Override
    public void accept(StatementRecord r) {
        AggregateSettings s = settings.get();
        long tsMs = TemplateStats.endTsUs(r) / 1000;
        boolean late = tsMs < drainedUntilMs;
        WindowData w = last;
        if (late || w == null || tsMs < w.startMs() || tsMs >= lastUntilMs || clock.changes() != lastClockChanges) {
            w = window(late ? drainedUntilMs : tsMs);
        }
        if (late) {
            w.countLate();
        }
        Fingerprint fp = templater.template(r);
        ConnectionNames names = namesOf(r.conn());
        TemplateStats ts = recent.get(w, fp, names, r.db());
        if (ts == null) {
            ts = stats(w, fp, names, r.db(), s);
        }
        ts.add(r, names, s.rawSql() ? RAW : redacted, s.slowThresholdUs());
        w.countStatement();
        statements.increment();
    }

    /**
     * The open window of {@code tsMs}, made {@link #last}: the clock's division runs only when a statement leaves
     * the span of the last one (the clock gives one window start for every time in [start, its end) while its
     * rules stay unchanged).
     */
    private WindowData window(long tsMs) {
        int changes = clock.changes(); // before the clock is read: a change after this shows as another count
        long start = clock.startOf(tsMs);
        WindowData w = last;
        if (w == null || w.startMs() != start) {
            w = open.get(start);
            if (w == null) {
                w = new WindowData(start, clock.endOf(start));
                open.put(start, w);
            }
            last = w;
        }
        lastUntilMs = clock.endOf(start);
        lastClockChanges = changes;
        return w;
    }

    /** The statistics a statement of {@code fp} goes to in {@code w}, made (or the overflow's) on its first. */
    private TemplateStats stats(WindowData w, Fingerprint fp, ConnectionNames names, String db, AggregateSettings s) {
        TemplateKey key = new TemplateKey(names.server(), db, fp.id());
        TemplateStats ts = w.get(key);
        if (ts != null) {
            recent.put(w, fp, names, db, ts);
            return ts;
        }
        if (w.size() >= s.maxTemplates()) { // not kept in recent: every statement of it counts as overflowed
            w.countOverflow();
            key = new TemplateKey(key.server(), null, OVERFLOW.id());
            ts = w.get(key);
            fp = OVERFLOW;
        }
        if (ts == null) {
            ts = new TemplateStats(fp, s.maxSlowSamples(), s.maxNames());
            w.put(key, ts);
        }
        return ts;
    }

    private static final Function<StatementRecord, String> RAW = StatementRecord::sqlWithParameters;
    /** Made once: a bound method reference written at the call allocated per statement. */
    private final Function<StatementRecord, String> redacted = this::redactedSql;

    private String redactedSql(StatementRecord r) {
        return templater.redact(r.sql());
    }

    private ConnectionNames namesOf(FlowKey k) {
        if (k == null) {
            return ConnectionNames.UNKNOWN;
        }
        ConnectionNames n = names.get(k);
        if (n == null) {
            if (names.size() >= MAX_NAMED_CONNECTIONS) {
                names.clear(); // a cache, not state: rebuilt as statements arrive
            }
            n = ConnectionNames.of(k);
            names.put(k, n);
        }
        return n;
    }

    /** Hands over every window that ends at or before {@code cutoffMs}; later statements for them count as late. */
    public List<WindowSnapshot> drainBefore(long cutoffMs) {
        List<WindowSnapshot> out = new ArrayList<>();
        Iterator<Map.Entry<Long, WindowData>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            WindowData w = it.next().getValue();
            if (w.endMs() > cutoffMs) {
                break;
            }
            out.add(w.freeze());
            it.remove();
        }
        drainedUntilMs = Math.max(drainedUntilMs, cutoffMs);
        last = null;
        recent.forget();
        return out;
    }

    /** Hands over everything (end of a capture file, shutdown). */
    public List<WindowSnapshot> drainAll() {
        List<WindowSnapshot> out = new ArrayList<>(open.size());
        open.values().forEach(w -> out.add(w.freeze()));
        open.clear();
        last = null;
        recent.forget();
        return out;
    }
}
