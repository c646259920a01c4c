/* mysql-probe dashboard: small SVG charts (no library). window.ProbeCharts.line / .bars */
(function (root) {
    'use strict';
    const NS = 'http://www.w3.org/2000/svg';

    function el(name, attrs, parent) {
        const e = document.createElementNS(NS, name);
        for (const k in attrs || {}) {
            e.setAttribute(k, attrs[k]);
        }
        if (parent) {
            parent.appendChild(e);
        }
        return e;
    }

    function niceMax(v) {
        if (!(v > 0)) {
            return 1;
        }
        const p = Math.pow(10, Math.floor(Math.log10(v)));
        for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    function hhmmss(ms) {
        const d = new Date(ms);
        return d.toTimeString().substring(0, 8);
    }

    function tooltip(host) {
        let tip = host.querySelector('.tip');
        if (!tip) {
            tip = document.createElement('div');
            tip.className = 'tip';
            host.appendChild(tip);
        }
        return tip;
    }

    /**
     * A line chart of series [{name, color, points: [{t, v}]}] into host (a div). opts: {fmt, height, title,
     * area (fill under the first series)}.
     */
    function line(host, seriesList, opts) {
        const o = opts || {};
        const W = Math.max(200, host.clientWidth || 300);
        const H = o.height || 150;
        const m = { l: 54, r: 10, t: 8, b: 20 };
        const fmt = o.fmt || ((v) => String(v));
        host.querySelectorAll('svg').forEach((s) => s.remove());
        const svg = el('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'chart-svg' });
        host.appendChild(svg);
        const all = seriesList.flatMap((s) => s.points);
        if (!all.length) {
            el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, svg).textContent =
                'waiting for windows…';
            return;
        }
        let t0 = Math.min(...all.map((p) => p.t));
        let t1 = Math.max(...all.map((p) => p.t));
        if (t1 === t0) {
            t0 -= 1000;
            t1 += 0;
        }
        const vmax = niceMax(Math.max(...all.map((p) => p.v)));
        const x = (t) => m.l + (W - m.l - m.r) * (t - t0) / (t1 - t0);
        const y = (v) => m.t + (H - m.t - m.b) * (1 - v / vmax);
        for (let i = 0; i <= 4; i++) {
            const v = vmax * i / 4;
            el('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: i ? 'grid' : 'axis' }, svg);
            if (i % 2 === 0) {
                el('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, svg).textContent = fmt(v);
            }
        }
        el('text', { x: m.l, y: H - 4, class: 'tick' }, svg).textContent = hhmmss(t0);
        el('text', { x: W - m.r, y: H - 4, 'text-anchor': 'end', class: 'tick' }, svg).textContent = hhmmss(t1);
        seriesList.forEach((s, si) => {
            if (!s.points.length) {
                return;
            }
            const d = s.points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join('');
            if (si === 0 && o.area !== false) {
                const last = s.points[s.points.length - 1];
                const first = s.points[0];
                el('path', {
                    d: d + `L${x(last.t).toFixed(1)},${y(0)}L${x(first.t).toFixed(1)},${y(0)}Z`,
                    fill: s.color, 'fill-opacity': 0.14, stroke: 'none',
                }, svg);
            }
            el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': si === 0 ? 1.8 : 2.2,
                'stroke-linejoin': 'round', class: 'series', 'data-name': s.name }, svg);
            if (s.points.length === 1) {
                el('circle', { cx: x(s.points[0].t), cy: y(s.points[0].v), r: 3, fill: s.color }, svg);
            }
        });
        const cursor = el('line', { y1: m.t, y2: H - m.b, class: 'cursor', visibility: 'hidden' }, svg);
        const tip = tooltip(host);
        svg.addEventListener('mousemove', (ev) => {
            const rect = svg.getBoundingClientRect();
            const t = t0 + (ev.clientX - rect.left - m.l) / (W - m.l - m.r) * (t1 - t0);
            const base = seriesList.find((s) => s.points.length);
            let best = base.points[0];
            for (const p of base.points) {
                if (Math.abs(p.t - t) < Math.abs(best.t - t)) {
                    best = p;
                }
            }
            cursor.setAttribute('x1', x(best.t));
            cursor.setAttribute('x2', x(best.t));
            cursor.setAttribute('visibility', 'visible');
            const lines = seriesList.map((s) => {
                const p = s.points.find((q) => q.t === best.t);
                return p ? `<span style="color:${s.color}">●</span> ${s.name}: <b>${fmt(p.v)}</b>` : '';
            }).filter(Boolean);
            tip.innerHTML = `<div class="tip-t">${hhmmss(best.t)}</div>` + lines.join('<br>');
            tip.style.display = 'block';
            const left = Math.min(x(best.t) + 12, W - tip.offsetWidth - 4);
            tip.style.left = left + 'px';
            tip.style.top = '6px';
        });
        svg.addEventListener('mouseleave', () => {
            cursor.setAttribute('visibility', 'hidden');
            tip.style.display = 'none';
        });
    }

    /** Vertical bars [{lo, hi, count}] (a latency histogram; log-spaced buckets drawn at equal width). */
    function bars(host, list, opts) {
        const o = opts || {};
        const W = Math.max(200, host.clientWidth || 300);
        const H = o.height || 160;
        const m = { l: 40, r: 10, t: 8, b: 22 };
        const fmt = o.fmt || String;
        host.querySelectorAll('svg').forEach((s) => s.remove());
        const svg = el('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'chart-svg' });
        host.appendChild(svg);
        if (!list.length) {
            el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, svg).textContent =
                'no latency histogram in these windows';
            return;
        }
        const cmax = niceMax(Math.max(...list.map((b) => b.count)));
        const bw = (W - m.l - m.r) / list.length;
        const y = (v) => m.t + (H - m.t - m.b) * (1 - v / cmax);
        for (let i = 0; i <= 2; i++) {
            const v = cmax * i / 2;
            el('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: i ? 'grid' : 'axis' }, svg);
            el('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, svg).textContent =
                Number.isInteger(v) ? String(v) : v.toFixed(1);
        }
        const tip = tooltip(host);
        list.forEach((b, i) => {
            const r = el('rect', {
                x: m.l + i * bw + 1, y: y(b.count), width: Math.max(1, bw - 2), height: y(0) - y(b.count),
                class: 'bar' + (b.mark ? ' mark' : ''), rx: 1.5,
            }, svg);
            r.addEventListener('mousemove', () => {
                tip.innerHTML = `${b.hi === 0 ? '0' : fmt(b.lo) + ' – ' + fmt(b.hi)}<br><b>${b.count}</b> statements`;
                tip.style.display = 'block';
                tip.style.left = Math.min(m.l + i * bw + bw, W - tip.offsetWidth - 4) + 'px';
                tip.style.top = '6px';
            });
            r.addEventListener('mouseleave', () => {
                tip.style.display = 'none';
            });
        });
        for (const mk of o.marks || []) {
            const i = list.findIndex((b) => (b.hi === 0 ? mk.v === 0 : mk.v > b.lo && mk.v <= b.hi));
            if (i < 0) {
                continue;
            }
            const mx = m.l + i * bw + bw / 2;
            el('line', { x1: mx, x2: mx, y1: m.t, y2: H - m.b, stroke: mk.color, 'stroke-dasharray': '4 3',
                'stroke-width': 1.5, class: 'mark' }, svg);
            el('text', { x: mx + 3, y: m.t + 9 + 11 * (o.marks.indexOf(mk)), fill: mk.color, class: 'mark-label' }, svg)
                .textContent = mk.label;
        }
        const label = (i, anchor) => {
            const b = list[i];
            el('text', { x: m.l + i * bw + (anchor === 'end' ? bw : 0), y: H - 5, 'text-anchor': anchor,
                class: 'tick' }, svg).textContent = b.hi === 0 ? '0' : fmt(anchor === 'end' ? b.hi : b.lo);
        };
        label(0, 'start');
        if (list.length > 1) {
            label(list.length - 1, 'end');
        }
        if (list.length > 6) {
            const mid = Math.floor(list.length / 2);
            el('text', { x: m.l + mid * bw + bw / 2, y: H - 5, 'text-anchor': 'middle', class: 'tick' }, svg)
                .textContent = fmt(Math.sqrt(list[mid].lo * list[mid].hi));
        }
    }

    root.ProbeCharts = { line, bars, hhmmss };
})(window);
