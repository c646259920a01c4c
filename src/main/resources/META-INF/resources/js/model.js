/*
 * mysql-probe dashboard: the logic that matters, free of the DOM so node's test runner can check it
 * (src/test/browser/model.test.js). Loaded by the page as a classic script (window.ProbeModel) and by node
 * with require().
 *
 *  - the latency sketch ("dd2:" + base64 of the DDSketch protobuf, see LatencySketch.java; "dd1:" varints of
 *    the release before): decode, merge, quantiles
 *  - a bounded store of report windows, deduplicated by window start
 *  - templates aggregated over the kept windows, filtered and sorted
 *  - per-window series for the node and for one template
 *  - capture-loss totals for the health panel
 */
(function (root, factory) {
    const api = factory();
    if (typeof module === 'object' && module.exports) {
        module.exports = api;
    } else {
        root.ProbeModel = api;
    }
})(typeof self !== 'undefined' ? self : this, function () {
    'use strict';

    const RELATIVE_ACCURACY = 0.01;
    const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    const LN_GAMMA = Math.log(GAMMA);

    // ---------------------------------------------------------------- latency sketch

    /** The representative value (µs) of bucket i, as LatencySketch.valueOf computes it. */
    function bucketValue(i) {
        return Math.round(2 * Math.pow(GAMMA, i) / (GAMMA + 1));
    }

    /** The bucket a value (µs, > 0) falls in, as LatencySketch.indexOf computes it. */
    function bucketIndex(v) {
        return Math.ceil(Math.log(v) / LN_GAMMA);
    }

    function base64Bytes(text) {
        let s = text.replace(/-/g, '+').replace(/_/g, '/');
        while (s.length % 4) {
            s += '=';
        }
        const bin = atob(s);
        const out = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) {
            out[i] = bin.charCodeAt(i);
        }
        return out;
    }

    /** Reads one unsigned LEB128 varint (up to 2^53 exactly) at pos[0]. */
    function readVarint(bytes, pos) {
        let result = 0;
        let mul = 1;
        for (let n = 0; n < 10; n++) {
            if (pos[0] >= bytes.length) {
                throw new Error('latency sketch: truncated');
            }
            const b = bytes[pos[0]++];
            result += (b & 0x7f) * mul;
            if ((b & 0x80) === 0) {
                return result;
            }
            mul *= 128;
        }
        throw new Error('latency sketch: varint too long');
    }

    /**
     * Decodes a report's latency_us.histogram. Returns a dense sketch {zero, offset, counts, count}: counts[i]
     * is the number of values in bucket offset + i. Throws on anything that is not a dd2 or dd1 sketch.
     */
    function decodeSketch(text) {
        if (typeof text === 'string' && text.startsWith('dd2:')) {
            return decodeProtoSketch(base64Bytes(text.substring(4)));
        }
        if (typeof text !== 'string' || !text.startsWith('dd1:')) {
            throw new Error('not a latency sketch: ' + text);
        }
        const bytes = base64Bytes(text.substring(4));
        const pos = [0];
        const zero = readVarint(bytes, pos);
        const z = readVarint(bytes, pos);
        const first = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
        const n = readVarint(bytes, pos);
        if (n > 100000) {
            throw new Error('latency sketch: bad bucket count ' + n);
        }
        // a window's bucket fits 32 bits; merged sketches (mergeSketch) use doubles
        let counts = new Uint32Array(n);
        let count = zero;
        for (let i = 0; i < n; i++) {
            const c = readVarint(bytes, pos);
            if (c > 0xffffffff && !(counts instanceof Float64Array)) {
                counts = Float64Array.from(counts);
            }
            counts[i] = c;
            count += c;
        }
        return { zero, offset: first, counts, count };
    }

    // dd2: the DDSketch protobuf message of sketches-java (DDSketch.proto): mapping {1 gamma, 2 indexOffset,
    // 3 interpolation}, 2 positive store {1 map<sint32,double> binCounts, 2 packed contiguousBinCounts,
    // 3 contiguousBinIndexOffset}, 3 negative store, 4 zeroCount. Each bucket is put at its middle into the dd1
    // buckets above, so merging, quantiles and bars work unchanged (within 2 %: two 1 % roundings).

    function readDouble(bytes, pos) {
        if (pos[0] + 8 > bytes.length) {
            throw new Error('latency sketch: truncated');
        }
        const v = new DataView(bytes.buffer, bytes.byteOffset + pos[0], 8).getFloat64(0, true);
        pos[0] += 8;
        return v;
    }

    /** Reads fields of the message in bytes[pos[0], end): calls onField(field, wireType, pos) for each. */
    function readFields(bytes, pos, end, onField) {
        while (pos[0] < end) {
            const tag = readVarint(bytes, pos);
            const field = Math.floor(tag / 8);
            const type = tag % 8;
            if (!onField(field, type, pos)) {
                if (type === 0) {
                    readVarint(bytes, pos);
                } else if (type === 1) {
                    pos[0] += 8;
                } else if (type === 2) {
                    pos[0] = lengthEnd(bytes, pos);
                } else if (type === 5) {
                    pos[0] += 4;
                } else {
                    throw new Error('latency sketch: bad wire type ' + type);
                }
            }
        }
        if (pos[0] > end) {
            throw new Error('latency sketch: truncated');
        }
    }

    function lengthEnd(bytes, pos) {
        const n = readVarint(bytes, pos);
        const end = pos[0] + n;
        if (end > bytes.length) {
            throw new Error('latency sketch: truncated');
        }
        return end;
    }

    function zigzag(v) {
        return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    }

    /** log⁻¹ of the mapping: NONE is the natural logarithm, CUBIC a cubic interpolation of log2 (sketches-java). */
    function logInverse(interpolation, y) {
        if (interpolation === 0) {
            return Math.exp(y);
        }
        const A = 6 / 35, B = -3 / 5, C = 10 / 7; // A s³ + B s² + C s = y − ⌊y⌋, v = 2^⌊y⌋ (1 + s)
        const e = Math.floor(y);
        const d0 = B * B - 3 * A * C;
        const d1 = 2 * B * B * B - 9 * A * B * C - 27 * A * A * (y - e);
        const p = Math.cbrt((d1 - Math.sqrt(d1 * d1 - 4 * d0 * d0 * d0)) / 2);
        return Math.pow(2, e) * (-(B + p + d0 / p) / (3 * A) + 1);
    }

    function decodeProtoSketch(bytes) {
        const pos = [0];
        let gamma = 0, indexOffset = 0, interpolation = 0, zero = 0;
        const bins = []; // [index, count]
        readFields(bytes, pos, bytes.length, (field, type, p) => {
            if (field === 1 && type === 2) {
                readFields(bytes, p, lengthEnd(bytes, p), (f, t, q) => {
                    if (f === 1 && t === 1) { gamma = readDouble(bytes, q); return true; }
                    if (f === 2 && t === 1) { indexOffset = readDouble(bytes, q); return true; }
                    if (f === 3 && t === 0) { interpolation = readVarint(bytes, q); return true; }
                    return false;
                });
                return true;
            }
            if ((field === 2 || field === 3) && type === 2) {
                const into = field === 2 ? bins : [];
                let contiguous = [];
                let offset = 0;
                readFields(bytes, p, lengthEnd(bytes, p), (f, t, q) => {
                    if (f === 1 && t === 2) {
                        let key = 0, value = 0;
                        readFields(bytes, q, lengthEnd(bytes, q), (ef, et, r) => {
                            if (ef === 1 && et === 0) { key = zigzag(readVarint(bytes, r)); return true; }
                            if (ef === 2 && et === 1) { value = readDouble(bytes, r); return true; }
                            return false;
                        });
                        into.push([key, value]);
                        return true;
                    }
                    if (f === 2 && t === 2) {
                        const end = lengthEnd(bytes, q);
                        while (q[0] < end) {
                            contiguous.push(readDouble(bytes, q));
                        }
                        return true;
                    }
                    if (f === 3 && t === 0) { offset = zigzag(readVarint(bytes, q)); return true; }
                    return false;
                });
                if (contiguous.length > 100000) {
                    throw new Error('latency sketch: bad bucket count ' + contiguous.length);
                }
                contiguous.forEach((c, i) => into.push([offset + i, c]));
                if (field === 3 && into.some((b) => b[1] !== 0)) {
                    throw new Error('latency sketch: negative values');
                }
                return true;
            }
            if (field === 4 && type === 1) {
                zero = readDouble(bytes, p);
                return true;
            }
            return false;
        });
        if (!(gamma > 1) || (interpolation !== 0 && interpolation !== 3)) {
            throw new Error('latency sketch: unsupported mapping');
        }
        const multiplier = (interpolation === 0 ? 1 : Math.LN2) / Math.log(gamma);
        const s = emptySketch();
        s.zero = zero;
        s.count = zero;
        for (const [index, c] of bins) {
            if (!(c >= 0)) {
                throw new Error('latency sketch: bad count ' + c);
            }
            if (c === 0) {
                continue;
            }
            const lo = logInverse(interpolation, (index - indexOffset) / multiplier);
            const hi = logInverse(interpolation, (index + 1 - indexOffset) / multiplier);
            const i = bucketIndex(Math.sqrt(lo * hi));
            mergeSketch(s, { zero: 0, count: c, offset: i, counts: Float64Array.of(c) });
        }
        return s;
    }

    function emptySketch() {
        return { zero: 0, offset: 0, counts: new Float64Array(0), count: 0 };
    }

    /** Adds b into a (exact: the sketch of the union). Returns a. */
    function mergeSketch(a, b) {
        a.zero += b.zero;
        a.count += b.count;
        const bn = b.counts.length;
        if (bn === 0) {
            return a;
        }
        if (a.counts.length === 0) {
            a.offset = b.offset;
            a.counts = Float64Array.from(b.counts);
            return a;
        }
        const lo = Math.min(a.offset, b.offset);
        const hi = Math.max(a.offset + a.counts.length, b.offset + bn);
        if (lo !== a.offset || hi !== a.offset + a.counts.length) {
            const grown = new Float64Array(hi - lo);
            grown.set(a.counts, a.offset - lo);
            a.counts = grown;
            a.offset = lo;
        }
        const d = b.offset - a.offset;
        for (let i = 0; i < bn; i++) {
            a.counts[d + i] += b.counts[i];
        }
        return a;
    }

    /** The count of bucket index i (0 outside the sketch). */
    function bucketCount(s, i) {
        const j = i - s.offset;
        return j >= 0 && j < s.counts.length ? s.counts[j] : 0;
    }

    /** The value at quantile q (0..1), exactly as LatencySketch.quantile; 0 for an empty sketch. */
    function sketchQuantile(s, q) {
        if (!s || s.count === 0) {
            return 0;
        }
        const rank = Math.floor(q * (s.count - 1));
        if (rank < s.zero) {
            return 0;
        }
        let seen = s.zero;
        let last = -1;
        for (let j = 0; j < s.counts.length; j++) {
            if (s.counts[j] === 0) {
                continue;
            }
            last = j;
            seen += s.counts[j];
            if (seen > rank) {
                return bucketValue(s.offset + j);
            }
        }
        return last < 0 ? 0 : bucketValue(s.offset + last);
    }

    /**
     * Bars for a histogram chart: the sketch's buckets grouped into at most maxBars bins of equal width in
     * buckets (one bucket = 2 % of the value). Each bar: {lo, hi, count} with lo/hi in µs; zeros first.
     */
    function sketchBars(s, maxBars) {
        if (!s || s.count === 0) {
            return [];
        }
        const bars = [];
        if (s.zero > 0) {
            bars.push({ lo: 0, hi: 0, count: s.zero });
        }
        let a = 0;
        let b = s.counts.length - 1;
        while (a <= b && s.counts[a] === 0) {
            a++;
        }
        while (b >= a && s.counts[b] === 0) {
            b--;
        }
        if (a > b) {
            return bars;
        }
        const lo = s.offset + a;
        const hi = s.offset + b;
        const span = hi - lo + 1;
        const room = Math.max(1, (maxBars || 40) - bars.length);
        const per = Math.max(1, Math.ceil(span / room));
        for (let start = lo; start <= hi; start += per) {
            let c = 0;
            for (let i = start; i < start + per; i++) {
                c += bucketCount(s, i);
            }
            bars.push({
                lo: Math.round(Math.pow(GAMMA, start - 1)),
                hi: Math.round(Math.pow(GAMMA, start + per - 1)),
                count: c,
            });
        }
        return bars;
    }

    const sketchCache = new WeakMap();

    /** The decoded sketch of a latency_us object (cached per object), or null when absent or malformed. */
    function sketchOf(latency) {
        if (!latency || !latency.histogram) {
            return null;
        }
        if (sketchCache.has(latency)) {
            return sketchCache.get(latency);
        }
        let s = null;
        try {
            s = decodeSketch(latency.histogram);
        } catch (e) {
            s = null;
        }
        sketchCache.set(latency, s);
        return s;
    }

    // ---------------------------------------------------------------- windows

    /** Keeps the last `max` report windows, ordered by window start, one per start (a replay replaces). */
    class WindowStore {
        constructor(max) {
            this.max = max || 300;
            this.reports = [];
        }

        /** Adds a report; returns false for a report without a window. */
        add(report) {
            if (!report || !report.window) {
                return false;
            }
            const start = report.window.start_ms;
            let i = this.reports.length;
            while (i > 0 && this.reports[i - 1].window.start_ms > start) {
                i--;
            }
            if (i > 0 && this.reports[i - 1].window.start_ms === start) {
                this.reports[i - 1] = report;
            } else {
                this.reports.splice(i, 0, report);
            }
            this.trim();
            return true;
        }

        trim() {
            if (this.reports.length > this.max) {
                this.reports.splice(0, this.reports.length - this.max);
            }
        }

        setMax(max) {
            this.max = Math.max(1, max | 0);
            this.trim();
        }

        /** The start of the newest window, for ?since= on reconnect (null when empty). */
        lastStart() {
            return this.reports.length ? this.reports[this.reports.length - 1].window.start_ms : null;
        }

        latest() {
            return this.reports.length ? this.reports[this.reports.length - 1] : null;
        }

        /** The last n windows (all when n is falsy). */
        last(n) {
            return n ? this.reports.slice(-n) : this.reports.slice();
        }
    }

    // ---------------------------------------------------------------- templates

    function templateKey(t) {
        return (t.server || '') + '|' + (t.db == null ? '' : t.db) + '|' + t.id;
    }

    function addCounts(into, from) {
        if (!from) {
            return;
        }
        for (const k of Object.keys(from)) {
            into[k] = (into[k] || 0) + from[k];
        }
    }

    const SUMMED = ['count', 'errors', 'rows_sent', 'rows_affected', 'warnings', 'bytes_in', 'bytes_out',
        'no_index_used', 'no_good_index_used', 'query_was_slow'];

    /**
     * One row per (server, db, template) over the given reports: counts summed, latency merged from the
     * sketches (so p99 is the p99 of the union, not an average of p99s), maps merged, slow samples kept
     * (slowest first, at most maxSlow).
     */
    function aggregateTemplates(reports, maxSlow) {
        const rows = new Map();
        for (let wi = 0; wi < reports.length; wi++) {
            const r = reports[wi];
            for (const t of r.templates || []) {
                const key = templateKey(t);
                let a = rows.get(key);
                if (!a) {
                    a = {
                        key, id: t.id, template: t.template, statement_type: t.statement_type,
                        tables: t.tables || [], server: t.server, db: t.db, sample: t.sample,
                        error_codes: {}, clients: {}, users: {}, slow: [], windows: 0,
                        latency_sum: 0, latency_min: Infinity, latency_max: 0,
                        first_seen_ms: t.first_seen_ms, last_seen_ms: t.last_seen_ms,
                        sketch: emptySketch(), sketchless: 0, p99_fallback: 0,
                        trend: new Float64Array(reports.length),
                    };
                    for (const f of SUMMED) {
                        a[f] = 0;
                    }
                    rows.set(key, a);
                }
                a.windows++;
                a.trend[wi] += t.count || 0;
                for (const f of SUMMED) {
                    a[f] += t[f] || 0;
                }
                addCounts(a.error_codes, t.error_codes);
                addCounts(a.clients, t.clients);
                addCounts(a.users, t.users);
                if (t.sample) {
                    a.sample = t.sample;
                }
                if (t.tables && t.tables.length) {
                    a.tables = t.tables;
                }
                const l = t.latency_us || {};
                a.latency_sum += l.sum || 0;
                if (t.count > 0) {
                    a.latency_min = Math.min(a.latency_min, l.min || 0);
                    a.latency_max = Math.max(a.latency_max, l.max || 0);
                }
                const s = sketchOf(t.latency_us);
                if (s) {
                    mergeSketch(a.sketch, s);
                } else {
                    a.sketchless += t.count || 0;
                    a.p99_fallback = Math.max(a.p99_fallback, l.p99 || 0);
                }
                if (t.first_seen_ms && (!a.first_seen_ms || t.first_seen_ms < a.first_seen_ms)) {
                    a.first_seen_ms = t.first_seen_ms;
                }
                if (t.last_seen_ms > (a.last_seen_ms || 0)) {
                    a.last_seen_ms = t.last_seen_ms;
                }
                for (const sl of t.slow || []) {
                    a.slow.push(sl);
                }
            }
        }
        const out = [];
        for (const a of rows.values()) {
            if (a.latency_min === Infinity) {
                a.latency_min = 0;
            }
            a.avg = a.count ? a.latency_sum / a.count : 0;
            const exact = a.sketchless === 0;
            a.p50 = exact ? sketchQuantile(a.sketch, 0.5) : Math.max(sketchQuantile(a.sketch, 0.5), 0);
            a.p95 = sketchQuantile(a.sketch, 0.95);
            a.p99 = exact ? sketchQuantile(a.sketch, 0.99) : Math.max(sketchQuantile(a.sketch, 0.99), a.p99_fallback);
            a.p999 = sketchQuantile(a.sketch, 0.999);
            a.slow.sort((x, y) => y.latency_us - x.latency_us);
            a.slow = a.slow.slice(0, maxSlow || 20);
            out.push(a);
        }
        return out;
    }

    /** Sort keys of the top-queries table → the row field they sort by. */
    const SORT_FIELDS = {
        total: 'latency_sum', count: 'count', p99: 'p99', errors: 'errors', rows: 'rows_sent',
        avg: 'avg', affected: 'rows_affected', template: 'template',
    };

    /** Sorts rows by a SORT_FIELDS key, descending unless asc; ties by count then template, stably. */
    function sortRows(rows, by, asc) {
        const f = SORT_FIELDS[by] || by;
        const dir = asc ? 1 : -1;
        return rows.slice().sort((a, b) => {
            const x = a[f];
            const y = b[f];
            let c;
            if (typeof x === 'string' || typeof y === 'string') {
                c = String(x || '').localeCompare(String(y || ''));
            } else {
                c = (x || 0) - (y || 0);
            }
            if (c !== 0) {
                return c * dir;
            }
            if (a.count !== b.count) {
                return b.count - a.count;
            }
            return String(a.template).localeCompare(String(b.template));
        });
    }

    /**
     * Filters rows: db and server match exactly when given ('' = any; '(none)' = null db); text matches the
     * template, the id, the tables or the statement type, case-insensitively, all words.
     */
    function filterRows(rows, filter) {
        const f = filter || {};
        const words = (f.text || '').toLowerCase().split(/\s+/).filter(Boolean);
        return rows.filter((r) => {
            if (f.db) {
                const db = r.db == null ? '(none)' : r.db;
                if (db !== f.db) {
                    return false;
                }
            }
            if (f.server && r.server !== f.server) {
                return false;
            }
            if (words.length) {
                const hay = (r.template + ' ' + r.id + ' ' + (r.tables || []).join(' ') + ' '
                    + (r.statement_type || '')).toLowerCase();
                return words.every((w) => hay.includes(w));
            }
            return true;
        });
    }

    /** The distinct dbs and servers seen, for the filter drop-downs. */
    function facets(rows) {
        const dbs = new Set();
        const servers = new Set();
        for (const r of rows) {
            dbs.add(r.db == null ? '(none)' : r.db);
            if (r.server) {
                servers.add(r.server);
            }
        }
        return { dbs: [...dbs].sort(), servers: [...servers].sort() };
    }

    // ---------------------------------------------------------------- series

    function windowSeconds(r) {
        return Math.max(0.001, (r.window.end_ms - r.window.start_ms) / 1000);
    }

    /**
     * One point per window for the whole node: {t (window end, ms), qps, eps (errors/s), p50, p99 (µs, over
     * all templates of the window, from the merged sketches)}. `match` (optional) keeps only some templates.
     */
    const nodePointCache = new WeakMap();

    function series(reports, match) {
        const out = [];
        for (const r of reports) {
            if (!match && nodePointCache.has(r)) { // a window never changes once received
                out.push(nodePointCache.get(r));
                continue;
            }
            let count = 0;
            let errors = 0;
            let fallback = 0;
            let sum = 0;
            const s = emptySketch();
            for (const t of r.templates || []) {
                if (match && !match(t)) {
                    continue;
                }
                count += t.count || 0;
                errors += t.errors || 0;
                sum += (t.latency_us && t.latency_us.sum) || 0;
                const k = sketchOf(t.latency_us);
                if (k) {
                    mergeSketch(s, k);
                } else {
                    fallback = Math.max(fallback, (t.latency_us && t.latency_us.p99) || 0);
                }
            }
            const secs = windowSeconds(r);
            const point = {
                t: r.window.end_ms,
                start: r.window.start_ms,
                count,
                errors,
                qps: count / secs,
                eps: errors / secs,
                avg: count ? sum / count : 0,
                p50: sketchQuantile(s, 0.5),
                p95: sketchQuantile(s, 0.95),
                p99: Math.max(sketchQuantile(s, 0.99), fallback),
            };
            if (!match) {
                nodePointCache.set(r, point);
            }
            out.push(point);
        }
        return out;
    }

    /** The series of one template row (by its key). */
    function templateSeries(reports, key) {
        return series(reports, (t) => templateKey(t) === key);
    }

    // ---------------------------------------------------------------- health

    /** Loss counters: any nonzero one means statements may be missing from the report. */
    const LOSS = ['kernel_dropped', 'interface_dropped', 'queue_dropped', 'stream_gaps', 'decode_errors'];
    /** Counters worth a look (not decoded or not matched), also shown red when nonzero. */
    const ATTENTION = ['tls_connections', 'unmatched_responses', 'resyncs', 'late_statements',
        'templates_overflowed', 'connections_evicted', 'unknown_statement_ids'];
    /** decode_errors_by_kind entries that say how statements were named, not that any was lost. */
    const NAMING_KINDS = ['unknown_statement_ids', 'statement_ids_resolved', 'held_statements_forced'];
    const VOLUME = ['packets', 'bytes', 'statements', 'connections_opened', 'other_skipped'];

    /**
     * Capture counters summed over the reports (connections is a gauge: the newest value), with
     * decode_errors_by_kind merged. For a master's report the sources' sections are summed too when the
     * report itself has none.
     */
    function healthTotals(reports) {
        const tot = { decode_errors_by_kind: {}, windows: 0, connections: 0 };
        for (const f of LOSS.concat(ATTENTION, VOLUME)) {
            tot[f] = 0;
        }
        for (const r of reports) {
            const sections = r.capture ? [r.capture] : (r.sources || []).map((s) => s.capture).filter(Boolean);
            if (!sections.length) {
                continue;
            }
            tot.windows++;
            let conns = 0;
            for (const c of sections) {
                for (const f of LOSS.concat(ATTENTION, VOLUME)) {
                    tot[f] += c[f] || 0;
                }
                addCounts(tot.decode_errors_by_kind, c.decode_errors_by_kind);
                conns += c.connections || 0;
            }
            tot.connections = conns;
        }
        // statements of ids prepared before the capture that the server could not name: under a placeholder
        tot.unknown_statement_ids = tot.decode_errors_by_kind.unknown_statement_ids || 0;
        tot.lost = LOSS.reduce((n, f) => n + tot[f], 0);
        return tot;
    }

    /**
     * A master's reports name the slaves that contributed (`sources`): loss per source over the reports,
     * {node: {address, windows, lost, statements}}, for the health panel. Empty for a slave's reports.
     */
    function healthBySource(reports) {
        const out = {};
        for (const r of reports) {
            for (const src of r.sources || []) {
                const c = src.capture || {};
                const x = out[src.node] || (out[src.node] = { address: src.address, windows: 0, lost: 0, statements: 0 });
                x.windows++;
                x.lost += LOSS.reduce((n, f) => n + (c[f] || 0), 0);
                x.statements += c.statements || 0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- view state in the URL

    /** The view state as a URL fragment: sort, direction, filters, selected template, range. */
    function viewToHash(v) {
        const p = new URLSearchParams();
        if (v.sortBy && v.sortBy !== 'total') {
            p.set('sort', v.sortBy);
        }
        if (v.asc) {
            p.set('asc', '1');
        }
        for (const [k, f] of [['q', 'text'], ['db', 'db'], ['server', 'server']]) {
            if (v.filter && v.filter[f]) {
                p.set(k, v.filter[f]);
            }
        }
        if (v.selected) {
            p.set('t', v.selected);
        }
        if (v.range) {
            p.set('range', String(v.range));
        }
        const s = p.toString();
        return s ? '#' + s : '';
    }

    /** The inverse of viewToHash; unknown or bad values fall back to the defaults. */
    function hashToView(hash) {
        const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
        const sort = p.get('sort');
        const range = Number(p.get('range'));
        return {
            sortBy: sort && SORT_FIELDS[sort] ? sort : 'total',
            asc: p.get('asc') === '1',
            filter: { text: p.get('q') || '', db: p.get('db') || '', server: p.get('server') || '' },
            selected: p.get('t') || null,
            range: Number.isInteger(range) && range > 0 ? range : 0,
        };
    }

    // ---------------------------------------------------------------- cluster

    /**
     * /cluster/listnodes as tiers for the topology view: the master (by role, or named by `master`) and the
     * standbys on top, every other node (slaves, unknown roles) below. Tolerates missing fields.
     */
    function topology(listnodes) {
        const c = listnodes || {};
        const nodes = Array.isArray(c.nodes) ? c.nodes : [];
        const masterName = c.master && typeof c.master === 'object'
            ? (c.master.node || c.master.address) : c.master;
        const role = (n) => String(n.role || '').toLowerCase();
        const isMaster = (n) => role(n) === 'master' || (masterName != null && (n.node === masterName
            || n.address === masterName));
        const top = nodes.filter((n) => isMaster(n) || role(n) === 'standby')
            .sort((a, b) => (isMaster(b) ? 1 : 0) - (isMaster(a) ? 1 : 0));
        const bottom = nodes.filter((n) => !top.includes(n));
        const states = {};
        for (const n of nodes) {
            const st = String(n.state || 'unknown').toLowerCase();
            states[st] = (states[st] || 0) + 1;
        }
        return { mode: c.mode || 'unknown', master: masterName || null, top, bottom, states, isMaster };
    }

    /**
     * Monitor log errors [{t (µs), log, server, error}] grouped by (log, server, error): {count, first, last},
     * newest group first.
     */
    function groupErrors(errors) {
        const g = new Map();
        for (const e of errors || []) {
            const k = e.log + '\u0000' + e.server + '\u0000' + e.error;
            const x = g.get(k);
            if (x) {
                x.count++;
                x.first = Math.min(x.first, e.t);
                x.last = Math.max(x.last, e.t);
            } else {
                g.set(k, { log: e.log, server: e.server, error: e.error, count: 1, first: e.t, last: e.t });
            }
        }
        return [...g.values()].sort((a, b) => b.last - a.last);
    }

    // ---------------------------------------------------------------- formatting

    function fmtUs(us) {
        if (us == null || isNaN(us)) {
            return '–';
        }
        if (us < 10 && !Number.isInteger(us)) {
            return us.toFixed(1) + ' µs';
        }
        if (us < 1000) {
            return Math.round(us) + ' µs';
        }
        if (us < 1e6) {
            return (us / 1000).toFixed(us < 10000 ? 2 : 1) + ' ms';
        }
        if (us < 60e6) {
            return (us / 1e6).toFixed(2) + ' s';
        }
        return (us / 60e6).toFixed(1) + ' min';
    }

    function fmtNum(n) {
        if (n == null || isNaN(n)) {
            return '–';
        }
        const a = Math.abs(n);
        if (a >= 1e9) {
            return (n / 1e9).toFixed(1) + 'G';
        }
        if (a >= 1e6) {
            return (n / 1e6).toFixed(1) + 'M';
        }
        if (a >= 1e4) {
            return (n / 1e3).toFixed(1) + 'k';
        }
        if (Number.isInteger(n)) {
            return String(n);
        }
        return n.toFixed(a < 10 ? 2 : 1);
    }

    function fmtBytes(n) {
        if (!n) {
            return '0 B';
        }
        const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
        let i = 0;
        while (n >= 1024 && i < u.length - 1) {
            n /= 1024;
            i++;
        }
        return (i ? n.toFixed(1) : n) + ' ' + u[i];
    }

    /** Entries of a {name: count} map, largest first. */
    function topEntries(map, n) {
        return Object.entries(map || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n || 10);
    }

    /** Common MySQL/MariaDB error numbers, for the errors table. */
    const ERRNO = {
        1044: 'access denied to database', 1045: 'access denied', 1046: 'no database selected',
        1048: 'column cannot be null', 1049: 'unknown database', 1050: 'table already exists',
        1051: 'unknown table', 1054: 'unknown column', 1062: 'duplicate entry', 1064: 'syntax error',
        1091: 'can\'t drop: does not exist', 1142: 'command denied', 1146: 'table doesn\'t exist',
        1205: 'lock wait timeout', 1213: 'deadlock', 1216: 'foreign key: no parent row',
        1217: 'foreign key: row is referenced', 1264: 'out of range value', 1290: 'read-only (--read-only)',
        1317: 'query interrupted', 1366: 'incorrect value', 1406: 'data too long',
        1451: 'foreign key: row is referenced', 1452: 'foreign key: no parent row', 1792: 'read-only transaction',
        1836: 'read-only mode', 3024: 'max execution time exceeded', 4031: 'idle timeout disconnect',
    };

    return {
        GAMMA, bucketValue, bucketIndex, bucketCount, decodeSketch, emptySketch, mergeSketch, sketchQuantile, sketchBars,
        WindowStore, templateKey, aggregateTemplates, SORT_FIELDS, sortRows, filterRows, facets,
        series, templateSeries, LOSS, ATTENTION, NAMING_KINDS, VOLUME, healthTotals, healthBySource, viewToHash, hashToView, topology, groupErrors,
        fmtUs, fmtNum, fmtBytes, topEntries, ERRNO,
    };
});
