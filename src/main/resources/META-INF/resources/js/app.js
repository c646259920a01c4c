/* mysql-probe dashboard: wiring (websocket, polling, rendering). The logic lives in model.js. */
(function () {
    'use strict';
    const M = window.ProbeModel;
    const C = window.ProbeCharts;
    const $ = (id) => document.getElementById(id);
    const TOKEN_KEY = 'mysqlprobe.token';
    const COLORS = { node: '#4ea1ff', tpl: '#ffb547', p50: '#5fd49a', p95: '#4ea1ff', p99: '#ff6b81' };

    const state = {
        store: new M.WindowStore(600),
        range: 0,
        sortBy: 'total',
        asc: false,
        filter: { text: '', db: '', server: '' },
        selected: null,
        socket: null,
        attempt: 0,
        retryAt: 0,
        retryTimer: null,
        received: 0,
        renderPending: false,
        lastRender: 0,
    };
    window.probeDashboard = state; // for the browser test and the curious

    function esc(s) {
        return String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({
            '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;',
        })[c]);
    }

    // ------------------------------------------------------------------ websocket

    function collectorUrl() {
        const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
        const since = state.store.lastStart();
        // first connect: the whole backlog (since=0); afterwards: the windows after the newest one we have
        return `${proto}//${location.host}/collector?since=${since == null ? 0 : since}`;
    }

    function setConn(kind, text) {
        const c = $('conn');
        c.className = 'pill ' + kind;
        c.dataset.state = kind;
        c.textContent = text;
    }

    /**
     * Browsers' WebSocket API cannot set headers: the token travels as a second subprotocol beside the one the
     * server selects (never in the URL, which proxies log).
     */
    function protocols() {
        if (!token()) {
            return [];
        }
        const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(token())))
            .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        return ['mysql-probe', 'bearer.mysql-probe.' + b64];
    }

    function connect() {
        clearTimeout(state.retryTimer);
        if (state.needToken) {
            return; // the prompt reconnects once a token is entered
        }
        let ws;
        try {
            ws = new WebSocket(collectorUrl(), protocols());
        } catch (e) {
            scheduleReconnect(String(e));
            return;
        }
        state.socket = ws;
        setConn('warn', 'connecting…');
        ws.onopen = () => {
            ws.opened = true;
            state.attempt = 0;
            $('banner').hidden = true;
            setConn('ok', 'live');
        };
        ws.onmessage = (ev) => {
            let r;
            try {
                r = JSON.parse(ev.data);
            } catch (e) {
                return;
            }
            if (state.store.add(r)) {
                state.received++;
                state.lastMessage = Date.now();
                scheduleRender();
            }
        };
        ws.onclose = (ev) => {
            if (state.socket !== ws) {
                return;
            }
            state.socket = null;
            if (!ws.opened) {
                // a refused upgrade shows no status to scripts: ask an ordinary request whether it was the token
                fetch('/cluster/listnodes', { cache: 'no-store', headers: authHeaders() }).then((res) => {
                    if (res.status === 401) {
                        askToken();
                    } else {
                        scheduleReconnect(ev.reason || ('code ' + ev.code));
                    }
                }, () => scheduleReconnect(ev.reason || ('code ' + ev.code)));
                return;
            }
            scheduleReconnect(ev.reason || ('code ' + ev.code));
        };
        ws.onerror = () => { /* onclose follows */ };
    }

    /** An open socket that stays silent for 3 windows (+5 s) is flagged: the probe may be stuck. */
    function checkStale() {
        const r = state.store.latest();
        if (!state.socket || state.socket.readyState !== WebSocket.OPEN || !r || !state.lastMessage) {
            return;
        }
        const period = r.window.end_ms - r.window.start_ms;
        const silent = Date.now() - state.lastMessage;
        if (silent > 3 * period + 5000) {
            setConn('warn', `no window for ${Math.round(silent / 1000)} s`);
        } else if ($('conn').dataset.state === 'warn') {
            setConn('ok', 'live');
        }
    }

    function scheduleReconnect(why) {
        const delay = Math.min(15000, 500 * Math.pow(2, state.attempt)) * (0.8 + Math.random() * 0.4);
        state.attempt++;
        state.retryAt = Date.now() + delay;
        setConn('bad', 'disconnected');
        const banner = $('banner');
        banner.hidden = false;
        const tick = () => {
            const left = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
            banner.innerHTML = `<b>Disconnected from /collector</b> (${esc(why)}). Reconnecting in ${left} s `
                + `(attempt ${state.attempt}); the ${state.store.reports.length} windows kept stay on screen. `
                + '<button class="btn small" id="retry-now" type="button">Retry now</button>';
            $('retry-now').onclick = connect;
        };
        tick();
        clearInterval(state.bannerTimer);
        state.bannerTimer = setInterval(() => {
            if (banner.hidden) {
                clearInterval(state.bannerTimer);
            } else {
                tick();
            }
        }, 1000);
        state.retryTimer = setTimeout(connect, delay);
    }

    // ------------------------------------------------------------------ rendering

    function scheduleRender() {
        if (state.renderPending) {
            return;
        }
        state.renderPending = true;
        // at most 4 renders a second, and never more than a fifth of the time spent rendering (big reports)
        const gap = Math.max(250, 4 * (state.renderMs || 0));
        const wait = Math.max(0, gap - (Date.now() - state.lastRender));
        setTimeout(() => requestAnimationFrame(() => {
            state.renderPending = false;
            const t0 = performance.now();
            render();
            state.renderMs = performance.now() - t0;
            state.lastRender = Date.now();
        }), wait);
    }

    function windows() {
        return state.store.last(state.range);
    }

    function render() {
        const hash = M.viewToHash(state);
        if (hash !== location.hash && !(hash === '' && location.hash === '')) {
            history.replaceState(null, '', hash || location.pathname + location.search);
        }
        const reps = windows();
        renderHeader();
        const rows = M.aggregateTemplates(reps, 20);
        renderTop(rows);
        renderOverTime(reps);
        renderDetail(rows, reps);
        renderHealth(reps);
    }

    function renderHeader() {
        const r = state.store.latest();
        if (!r) {
            $('node-info').textContent = '';
            return;
        }
        document.title = 'mysql-probe · ' + r.node;
        const secs = (r.window.end_ms - r.window.start_ms) / 1000;
        $('node-info').innerHTML = `<b>${esc(r.node)}</b> <span class="role">${esc(r.role)}</span>`
            + (r.cluster ? ` <span class="muted">cluster ${esc(r.cluster)}</span>` : '')
            + ` <span class="muted">· window ${C.hhmmss(r.window.start_ms)}–${C.hhmmss(r.window.end_ms)} (${secs} s)`
            + ` · ${state.store.reports.length} kept</span>`;
        if (document.activeElement !== $('period')) {
            $('period').value = secs;
        }
    }

    function fillSelect(sel, values, allLabel, desired) {
        const cur = desired || '';
        const want = [''].concat(values);
        if (cur && !want.includes(cur)) {
            want.push(cur);
        }
        const have = [...sel.options].map((o) => o.value);
        if (want.join('\u0000') !== have.join('\u0000')) {
            sel.innerHTML = want.map((v) => `<option value="${esc(v)}">${esc(v || allLabel)}</option>`).join('');
        }
        sel.value = want.includes(cur) ? cur : '';
    }

    function renderTop(allRows) {
        const f = M.facets(allRows);
        fillSelect($('f-db'), f.dbs, 'all dbs', state.filter.db);
        fillSelect($('f-server'), f.servers, 'all servers', state.filter.server);
        const rows = M.sortRows(M.filterRows(allRows, state.filter), state.sortBy, state.asc);
        const totalTime = rows.reduce((n, r) => n + r.latency_sum, 0) || 1;
        document.querySelectorAll('#top-table th[data-sort]').forEach((th) => {
            th.classList.toggle('sorted', th.dataset.sort === state.sortBy);
            th.dataset.dir = th.dataset.sort === state.sortBy ? (state.asc ? 'asc' : 'desc') : '';
        });
        const count = rows.reduce((n, r) => n + r.count, 0);
        $('top-sub').textContent = `${rows.length} of ${allRows.length} templates · ${M.fmtNum(count)} statements`
            + ` over ${windows().length} windows`;
        $('top-empty').hidden = allRows.length > 0;
        const html = rows.slice(0, 200).map((r) => {
            const share = (100 * r.latency_sum / totalTime);
            const sel = r.key === state.selected ? ' selected' : '';
            return `<tr class="row${sel}" tabindex="0" data-key="${esc(r.key)}" data-template="${esc(r.template)}" data-count="${r.count}">`
                + `<td class="l tpl" title="${esc(r.template)}"><span class="type">${esc(r.statement_type || '')}</span>`
                + `<span class="text">${esc(r.template)}</span></td>`
                + `<td class="spark">${sparkline(r.trend)}</td>`
                + `<td class="num" data-col="total"><div class="share"><i style="width:${share.toFixed(1)}%"></i></div>${M.fmtUs(r.latency_sum)}</td>`
                + `<td class="num" data-col="count">${r.count}</td>`
                + `<td class="num" data-col="avg">${M.fmtUs(r.avg)}</td>`
                + `<td class="num" data-col="p99">${M.fmtUs(r.p99)}</td>`
                + `<td class="num${r.errors ? ' err' : ''}" data-col="errors">${r.errors}</td>`
                + `<td class="num" data-col="rows">${r.rows_sent}</td>`
                + `<td class="num" data-col="affected">${r.rows_affected}</td>`
                + `<td class="l db">${esc(r.db == null ? '–' : r.db)}</td></tr>`;
        }).join('');
        $('top-table').tBodies[0].innerHTML = html
            + (rows.length > 200 ? `<tr><td class="l muted" colspan="10">showing 200 of ${rows.length}: filter to see the others</td></tr>` : '');
    }

    /** A 64×16 SVG sparkline of the counts per window (the last 60 windows at most). */
    function sparkline(values) {
        const v = Array.from(values).slice(-60);
        const max = Math.max(1, ...v);
        if (v.length < 2) {
            return '';
        }
        const w = 64;
        const h = 16;
        const pts = v.map((x, i) => `${(i * w / (v.length - 1)).toFixed(1)},${(h - 1 - (h - 2) * x / max).toFixed(1)}`);
        return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><polyline points="${pts.join(' ')}" /></svg>`;
    }

    function renderOverTime(reps) {
        const node = M.series(reps);
        const tpl = state.selected ? M.templateSeries(reps, state.selected) : null;
        const pts = (s, f) => s.map((p) => ({ t: p.t, v: p[f] }));
        const mk = (f) => {
            const list = [{ name: 'node', color: COLORS.node, points: pts(node, f) }];
            if (tpl) {
                list.push({ name: 'template', color: COLORS.tpl, points: pts(tpl, f) });
            }
            return list;
        };
        C.line($('chart-qps'), mk('qps'), { fmt: M.fmtNum });
        C.line($('chart-eps'), mk('eps'), { fmt: M.fmtNum });
        C.line($('chart-p99'), mk('p99'), { fmt: M.fmtUs });
        const selRow = state.selected ? document.querySelector('#top-table tr.selected') : null;
        $('legend-tpl').textContent = selRow ? selRow.dataset.template : 'click a template to compare';
        const last = node[node.length - 1];
        const kpi = (k, v, bad) => `<div class="kpi${bad ? ' bad' : ''}" data-kpi="${k}"><div class="k">${k}</div><div class="v">${v}</div></div>`;
        $('kpis').innerHTML = last ? kpi('queries/s', M.fmtNum(last.qps)) + kpi('errors/s', M.fmtNum(last.eps), last.eps > 0)
            + kpi('p99', M.fmtUs(last.p99)) + kpi('templates', (reps[reps.length - 1].templates || []).length) : '';
        const tot = node.reduce((n, p) => n + p.count, 0);
        const secs = reps.length ? (reps[reps.length - 1].window.end_ms - reps[0].window.start_ms) / 1000 : 0;
        $('overtime-sub').textContent = reps.length ? `${reps.length} windows · ${M.fmtNum(tot)} statements in ${M.fmtNum(secs)} s` : '';
    }

    function miniTable(el, entries, head, label) {
        if (!entries.length) {
            el.innerHTML = '<tr><td class="l muted">none</td></tr>';
            return;
        }
        const total = entries.reduce((n, e) => n + e[1], 0);
        el.innerHTML = `<tr><th class="l">${head[0]}</th><th>${head[1]}</th></tr>` + entries.map(([k, v]) =>
            `<tr><td class="l">${label ? label(k) : esc(k)}</td><td class="num">${v}`
            + ` <span class="muted">${Math.round(100 * v / total)}%</span></td></tr>`).join('');
    }

    function renderDetail(rows, reps) {
        const panel = $('detail');
        const r = state.selected ? rows.find((x) => x.key === state.selected) : null;
        if (!r) {
            panel.hidden = true;
            return;
        }
        panel.hidden = false;
        panel.dataset.key = r.key;
        $('d-id').textContent = r.id;
        $('d-meta').textContent = `${r.statement_type || ''} · server ${r.server || '–'} · db ${r.db == null ? '–' : r.db}`
            + ` · seen in ${r.windows} windows · first ${C.hhmmss(r.first_seen_ms)} · last ${C.hhmmss(r.last_seen_ms)}`;
        $('d-template').textContent = r.template;
        $('d-tables').innerHTML = (r.tables || []).map((t) => `<span class="chip">${esc(t)}</span>`).join('')
            || '<span class="muted">no tables</span>';
        const stat = (k, v, cls) => `<div class="stat${cls ? ' ' + cls : ''}" data-stat="${k}"><div class="k">${k}</div><div class="v">${v}</div></div>`;
        $('d-stats').innerHTML = [
            stat('count', r.count),
            stat('errors', r.errors, r.errors ? 'bad' : ''),
            stat('total time', M.fmtUs(r.latency_sum)),
            stat('avg', M.fmtUs(r.avg)),
            stat('min', M.fmtUs(r.latency_min)),
            stat('p50', M.fmtUs(r.p50)),
            stat('p95', M.fmtUs(r.p95)),
            stat('p99', M.fmtUs(r.p99)),
            stat('max', M.fmtUs(r.latency_max)),
            stat('rows sent', r.rows_sent),
            stat('rows affected', r.rows_affected),
            stat('no index used', r.no_index_used, r.no_index_used ? 'warn' : ''),
            stat('bytes in/out', M.fmtBytes(r.bytes_in) + ' / ' + M.fmtBytes(r.bytes_out)),
        ].join('');
        const ts = M.templateSeries(reps, r.key).filter((p) => p.count > 0);
        const pts = (f) => ts.map((p) => ({ t: p.t, v: p[f] }));
        C.line($('d-chart-lat'), [
            { name: 'p99', color: COLORS.p99, points: pts('p99') },
            { name: 'p95', color: COLORS.p95, points: pts('p95') },
            { name: 'p50', color: COLORS.p50, points: pts('p50') },
        ], { fmt: M.fmtUs, area: false });
        const bars = M.sketchBars(r.sketch, 48);
        $('d-hist-sub').textContent = r.sketch.count ? `(${r.sketch.count} statements, ±1 %)` : '';
        C.bars($('d-chart-hist'), bars, { fmt: M.fmtUs, marks: [
            { v: r.p50, label: 'p50', color: COLORS.p50 },
            { v: r.p99, label: 'p99', color: COLORS.p99 },
        ] });
        miniTable($('d-errors'), M.topEntries(r.error_codes, 10), ['errno', 'count'],
            (k) => `<b class="errno">${esc(k)}</b> <span class="muted">${esc(M.ERRNO[k] || '')}</span>`);
        miniTable($('d-clients'), M.topEntries(r.clients, 10), ['client', 'count']);
        miniTable($('d-users'), M.topEntries(r.users, 10), ['user', 'count']);
        const slow = r.slow.slice(0, 10);
        $('d-slow-sub').textContent = r.slow.length > slow.length ? `(slowest ${slow.length} of ${r.slow.length} kept)` : '';
        $('d-slow').innerHTML = slow.length ? '<tr><th class="l">time</th><th>latency</th><th class="l">client</th>'
            + '<th>errno</th><th>rows</th><th class="l">sql</th></tr>' + slow.map((s) =>
            `<tr><td class="l">${C.hhmmss(s.request_ts_us / 1000)}</td><td class="num">${M.fmtUs(s.latency_us)}</td>`
            + `<td class="l">${esc(s.client)}</td><td class="num${s.errno ? ' err' : ''}">${s.errno || ''}</td>`
            + `<td class="num">${s.rows}</td><td class="l sqlcell" title="${esc(s.sql)}">${esc(s.sql)}</td></tr>`).join('')
            : '<tr><td class="l muted">no statement above the slow threshold in these windows</td></tr>';
        $('d-sample').textContent = r.sample || '–';
    }

    const LABELS = {
        kernel_dropped: 'kernel dropped', interface_dropped: 'interface dropped', queue_dropped: 'queue dropped',
        stream_gaps: 'TCP stream gaps', decode_errors: 'decode errors', tls_connections: 'TLS connections',
        unmatched_responses: 'unmatched responses', resyncs: 'decoder resyncs', late_statements: 'late statements',
        templates_overflowed: 'templates overflowed', connections_evicted: 'connections evicted',
        packets: 'packets', bytes: 'bytes', statements: 'statements', connections_opened: 'connections opened',
        other_skipped: 'other frames skipped', unknown_statement_ids: 'unnamed prepared statements (placeholder)',
    };

    function renderHealth(reps) {
        const h = M.healthTotals(reps);
        const badge = $('health-badge');
        const attention = M.ATTENTION.reduce((n, f) => n + h[f], 0);
        if (!h.windows) {
            badge.className = 'pill';
            badge.textContent = 'no data';
        } else if (h.lost) {
            badge.className = 'pill bad';
            badge.textContent = `${M.fmtNum(h.lost)} lost`;
        } else {
            badge.className = 'pill ok';
            badge.textContent = attention ? 'no loss · see below' : 'no loss';
        }
        $('health-sub').textContent = h.windows ? `totals over ${h.windows} windows; red = nonzero` : '';
        const item = (f, kind) => {
            const v = h[f];
            const cls = kind === 'vol' ? '' : (v ? ' bad' : ' zero');
            return `<div class="counter${cls}" data-counter="${f}" data-value="${v}"><span class="k">${LABELS[f]}</span>`
                + `<span class="v">${f === 'bytes' ? M.fmtBytes(v) : M.fmtNum(v)}</span></div>`;
        };
        const kinds = M.topEntries(Object.fromEntries(Object.entries(h.decode_errors_by_kind)
            .filter(([k]) => !M.NAMING_KINDS.includes(k))), 8);
        $('health-body').innerHTML = '<div class="group">Loss</div>' + M.LOSS.map((f) => item(f, 'loss')).join('')
            + (kinds.length ? '<div class="kinds">' + kinds.map(([k, v]) => `<span class="chip bad">${esc(k)}: ${v}</span>`).join('') + '</div>' : '')
            + '<div class="group">Not decoded / needs a look</div>' + M.ATTENTION.map((f) => item(f, 'att')).join('')
            + '<div class="group">Volume</div>' + M.VOLUME.map((f) => item(f, 'vol')).join('')
            + `<div class="counter" data-counter="connections"><span class="k">connections tracked now</span><span class="v">${h.connections}</span></div>`
            + bySource(M.healthBySource(reps));
    }

    function bySource(src) {
        const names = Object.keys(src).sort();
        if (!names.length) {
            return '';
        }
        return '<div class="group">By slave</div>' + names.map((n) => {
            const x = src[n];
            return `<div class="counter${x.lost ? ' bad' : ' zero'}" data-source="${esc(n)}"><span class="k">${esc(n)}`
                + `${x.address ? ' <span class="muted">' + esc(x.address) + '</span>' : ''}</span>`
                + `<span class="v">${x.lost ? M.fmtNum(x.lost) + ' lost' : 'no loss'} · ${M.fmtNum(x.statements)} st.</span></div>`;
        }).join('');
    }

    // ------------------------------------------------------------------ cluster and monitor (polled)

    function stateClass(s) {
        const v = String(s || '').toLowerCase();
        if (['alive', 'online', 'up', 'ok', 'running'].includes(v)) {
            return 'ok';
        }
        if (['failed', 'dead', 'offline_hard', 'shunned', 'down'].includes(v)) {
            return 'bad';
        }
        return 'warn';
    }

    function nodeCard(n, isMaster) {
        const devs = (n.devices || []).join(', ');
        const errs = n.device_errors && Object.keys(n.device_errors).length
            ? `<div class="bad small">${esc(JSON.stringify(n.device_errors))}</div>` : '';
        return `<div class="node ${stateClass(n.state)}" data-node="${esc(n.node)}">`
            + `<div class="node-head"><span class="dot"></span><b>${esc(n.node)}</b>`
            + `<span class="role">${esc(n.role || '')}${isMaster ? ' ★' : ''}</span></div>`
            + `<div class="small muted">${esc(n.state || '')}${n.address ? ' · ' + esc(n.address) : ''}`
            + `${n.capture_port ? ' · port ' + esc(n.capture_port) : ''}${devs ? ' · ' + esc(devs) : ''}</div>`
            + (n.watcher ? `<div class="small muted">watcher: ${esc(typeof n.watcher === 'object' ? (n.watcher.state || JSON.stringify(n.watcher)) : n.watcher)}</div>` : '')
            + errs + '</div>';
    }

    async function pollCluster() {
        if (state.needToken) {
            return;
        }
        try {
            const res = await fetch('/cluster/listnodes', { cache: 'no-store', headers: authHeaders() });
            if (res.status === 401) {
                askToken();
            }
            if (!res.ok) {
                throw new Error('HTTP ' + res.status);
            }
            const c = await res.json();
            $('cluster-mode').className = 'pill';
            $('cluster-mode').textContent = c.mode || '?';
            const t = M.topology(c);
            let html = '';
            if (t.top.length) {
                html += '<div class="tier">' + t.top.map((n) => nodeCard(n, t.isMaster(n))).join('') + '</div>';
                if (t.bottom.length) {
                    html += '<div class="links"></div>';
                }
            }
            html += '<div class="tier">' + t.bottom.map((n) => nodeCard(n, false)).join('') + '</div>';
            const states = Object.entries(t.states).map(([k, v]) => `${v} ${esc(k)}`).join(' · ');
            html = `<div class="small muted topo-sum">${states || 'no nodes'}`
                + (t.master ? ` · master <b>${esc(t.master)}</b>` : '') + '</div>' + html;
            $('cluster-body').innerHTML = html;
        } catch (e) {
            $('cluster-mode').className = 'pill bad';
            $('cluster-mode').textContent = 'unreachable';
            $('cluster-body').innerHTML = `<div class="muted">/cluster/listnodes: ${esc(e.message)}</div>`;
        }
    }

    async function getJson(path) {
        const res = await fetch(path, { cache: 'no-store', headers: authHeaders() });
        if (res.status === 401) {
            askToken();
        }
        if (!res.ok) {
            throw new Error(path + ': HTTP ' + res.status);
        }
        return res.json();
    }

    async function pollMonitor() {
        const body = $('monitor-body');
        const badge = $('monitor-state');
        if (state.needToken) {
            return;
        }
        try {
            const s = await getJson('/monitor/servers');
            const servers = s.servers || [];
            const running = s.monitor && s.monitor.running;
            if (!running && !servers.length) {
                badge.className = 'pill';
                badge.textContent = 'not enabled';
                body.innerHTML = '<div class="muted">The backend monitor is off (<code>monitor.enabled</code>).</div>';
                $('monitor').dataset.enabled = 'false';
                return;
            }
            $('monitor').dataset.enabled = 'true';
            badge.className = 'pill ' + (running ? 'ok' : 'warn');
            badge.textContent = running ? 'running' : 'stopped';
            const logs = await Promise.all(['ping_log', 'connect_log', 'read_only_log', 'replication_lag_log']
                .map((l) => getJson('/monitor/' + l + '?limit=200').catch(() => [])));
            const [ping, connect, ro, lag] = logs;
            const key = (r) => r.hostname + ':' + r.port;
            const lastPing = {};
            for (const p of ping) {
                if (!lastPing[key(p)]) {
                    lastPing[key(p)] = p;
                }
            }
            const byHg = {};
            for (const sv of servers) {
                (byHg[sv.hostgroup_id] = byHg[sv.hostgroup_id] || []).push(sv);
            }
            let html = '<table class="mini mon"><tr><th class="l">hg</th><th class="l">server</th><th class="l">status</th>'
                + '<th>ping</th><th>lag</th><th>ro</th></tr>';
            for (const hg of Object.keys(byHg).sort((a, b) => a - b)) {
                for (const sv of byHg[hg]) {
                    const p = lastPing[key(sv)];
                    const pingTxt = p ? (p.ping_error ? '<span class="err">error</span>' : M.fmtUs(p.ping_success_time_us)) : '–';
                    html += `<tr data-server="${esc(key(sv))}"><td class="l">${sv.hostgroup_id}</td><td class="l">${esc(key(sv))}</td>`
                        + `<td class="l"><span class="status ${stateClass(sv.status)}">${esc(sv.status)}</span></td>`
                        + `<td class="num">${pingTxt}</td><td class="num">${sv.repl_lag == null ? '–' : sv.repl_lag + ' s'}</td>`
                        + `<td class="num">${sv.read_only == null ? '–' : sv.read_only}</td></tr>`;
                }
            }
            html += '</table>';
            const errors = [];
            const addErr = (rows, log, field) => rows.forEach((r) => {
                if (r[field]) {
                    errors.push({ t: r.time_start_us, log, server: key(r), error: r[field] });
                }
            });
            addErr(ping, 'ping', 'ping_error');
            addErr(connect, 'connect', 'connect_error');
            addErr(ro, 'read_only', 'error');
            addErr(lag, 'lag', 'error');
            const grouped = M.groupErrors(errors);
            html += '<h3>Recent errors</h3>' + (grouped.length ? '<div class="errlist">' + grouped.slice(0, 8).map((e) =>
                `<div class="errline"><span class="muted">${C.hhmmss(e.last / 1000)} ${e.log}</span> ${esc(e.server)}`
                + (e.count > 1 ? ` <span class="pill bad">×${e.count} since ${C.hhmmss(e.first / 1000)}</span>` : '')
                + `<br><span class="err">${esc(e.error)}</span></div>`).join('') + '</div>'
                : '<div class="muted small">none in the last checks</div>');
            body.innerHTML = html;
        } catch (e) {
            badge.className = 'pill';
            badge.textContent = 'unavailable';
            body.innerHTML = `<div class="muted">${esc(e.message)}</div>`;
        }
    }

    // ------------------------------------------------------------------ settings (admin token)

    function token() {
        return sessionStorage.getItem(TOKEN_KEY) || '';
    }

    function authHeaders() {
        return token() ? { Authorization: 'Bearer ' + token() } : {};
    }

    /** A 401 on a read: the probe has auth.token. Asks for it (again, when the one kept was refused). */
    function askToken() {
        if (state.needToken) {
            return;
        }
        state.needToken = true;
        clearTimeout(state.retryTimer);
        $('banner').hidden = true;
        setConn('bad', 'token needed');
        $('auth-msg').textContent = token() ? 'the token kept in this tab was refused' : '';
        $('auth').hidden = false;
        $('auth-token').focus();
    }

    function tokenEntered(ev) {
        ev.preventDefault();
        const t = $('auth-token').value.trim();
        $('auth-token').value = '';
        if (t) {
            useToken(t);
        }
    }

    /** Keeps the token for this tab; after a refusal, reconnects the socket and reloads the panels with it. */
    function useToken(t) {
        sessionStorage.setItem(TOKEN_KEY, t);
        showTokenState();
        if (!state.needToken) {
            return;
        }
        state.needToken = false;
        state.attempt = 0;
        $('auth').hidden = true;
        const old = state.socket;
        state.socket = null;
        if (old) {
            old.close();
        }
        connect();
        pollCluster();
        pollMonitor();
    }

    function showTokenState() {
        $('token-state').textContent = token() ? 'token set for this tab' : 'no token (loopback only may change settings)';
    }

    async function mutate(path) {
        const headers = authHeaders();
        const msg = $('settings-msg');
        msg.className = 'muted';
        msg.textContent = '…';
        try {
            const res = await fetch(path, { method: 'POST', headers });
            const text = await res.text();
            let body;
            try {
                body = JSON.parse(text);
            } catch (e) {
                body = { error: text };
            }
            if (!res.ok) {
                msg.className = 'err';
                msg.textContent = `${res.status}: ${body.error || text}`;
            } else {
                msg.className = 'okc';
                msg.textContent = 'applied: ' + JSON.stringify(body);
            }
        } catch (e) {
            msg.className = 'err';
            msg.textContent = String(e);
        }
    }

    // ------------------------------------------------------------------ events

    function init() {
        const v = M.hashToView(location.hash);
        Object.assign(state, v);
        $('f-text').value = state.filter.text;
        $('range').value = String(state.range);
        if ($('range').value !== String(state.range)) {
            const o = document.createElement('option');
            o.value = String(state.range);
            o.textContent = `last ${state.range} windows`;
            $('range').appendChild(o);
            $('range').value = String(state.range);
        }
        document.querySelectorAll('#top-table th[data-sort]').forEach((th) => {
            th.addEventListener('click', () => {
                const by = th.dataset.sort;
                if (state.sortBy === by) {
                    state.asc = !state.asc;
                } else {
                    state.sortBy = by;
                    state.asc = by === 'template';
                }
                render();
            });
        });
        $('top-table').tBodies[0].addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter' && ev.target.matches('tr[data-key]')) {
                ev.target.click();
            }
        });
        $('top-table').tBodies[0].addEventListener('click', (ev) => {
            const tr = ev.target.closest('tr[data-key]');
            if (!tr) {
                return;
            }
            state.selected = state.selected === tr.dataset.key ? null : tr.dataset.key;
            render();
            if (state.selected) {
                $('detail').scrollIntoView({ behavior: 'smooth', block: 'start' });
            }
        });
        $('d-close').onclick = () => {
            state.selected = null;
            render();
        };
        $('f-text').addEventListener('input', () => {
            state.filter.text = $('f-text').value;
            render();
        });
        $('f-db').addEventListener('change', () => {
            state.filter.db = $('f-db').value;
            render();
        });
        $('f-server').addEventListener('change', () => {
            state.filter.server = $('f-server').value;
            render();
        });
        $('range').addEventListener('change', () => {
            state.range = Number($('range').value);
            render();
        });
        $('keep').addEventListener('change', () => {
            state.store.setMax(Number($('keep').value) || 600);
            render();
        });
        $('settings-btn').onclick = () => {
            $('settings').hidden = !$('settings').hidden;
        };
        $('token-save').onclick = () => {
            useToken($('token').value.trim());
            $('token').value = '';
        };
        $('auth').addEventListener('submit', tokenEntered);
        $('token-clear').onclick = () => {
            sessionStorage.removeItem(TOKEN_KEY);
            showTokenState();
        };
        $('period-apply').onclick = () => mutate('/config/update?report_period_ms=' + Math.round(Number($('period').value) * 1000));
        $('slow-apply').onclick = () => mutate('/config/update?slowthresholdms=' + Math.round(Number($('slow').value)));
        window.addEventListener('resize', scheduleRender);
        showTokenState();
        render();
        connect();
        pollCluster();
        pollMonitor();
        setInterval(checkStale, 1000);
        setInterval(pollCluster, 5000);
        setInterval(pollMonitor, 5000);
    }

    init();
})();
