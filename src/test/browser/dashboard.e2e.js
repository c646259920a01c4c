// End-to-end test of the dashboard in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core;
// no browser download). Run by DashboardIT against the packaged probe capturing a real workload:
//
//   PROBE_URL=http://127.0.0.1:PORT/ EXPECT='[{"template": "...", "count": 20, "errors": 0}, ...]' \
//   SCREENSHOT=target/dashboard.png [CHROMIUM=/usr/bin/chromium] [MONITOR=1] node dashboard.e2e.js
//
// Exits 0 when every check passed, 1 with the failed check (and a screenshot of the moment) otherwise.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.PROBE_URL || 'http://127.0.0.1:8667/';
const expected = JSON.parse(process.env.EXPECT || '[]');
const shot = process.env.SCREENSHOT || 'dashboard.png';
const exe = process.env.CHROMIUM || '/usr/bin/chromium';
const monitorOn = process.env.MONITOR === '1';
const token = process.env.TOKEN || '';
const WAIT = Number(process.env.WAIT_MS || 30000);

function check(cond, msg) {
    if (!cond) {
        throw new Error('check failed: ' + msg);
    }
    console.log('ok - ' + msg);
}

async function rowCounts(page) {
    return page.$$eval('#top-table tbody tr[data-key]', (trs) => trs.map((tr) => ({
        template: tr.dataset.template, count: Number(tr.dataset.count),
        errors: Number(tr.querySelector('[data-col=errors]').textContent),
    })));
}

/** Waits until every expected template shows its expected count. */
async function waitForCounts(page, timeout) {
    try {
        await page.waitForFunction((exp) => {
            const rows = [...document.querySelectorAll('#top-table tbody tr[data-key]')];
            return exp.every((e) => rows.some((r) => r.dataset.template === e.template
                && Number(r.dataset.count) === e.count));
        }, expected, { timeout, polling: 250 });
    } catch (e) {
        throw new Error('expected templates not shown: ' + JSON.stringify(await rowCounts(page)));
    }
}

/** A node that sees no traffic and runs no monitor: empty table, zero loss, "not enabled". */
async function idleNode(page) {
    await page.waitForFunction(() => window.probeDashboard.store.reports.length >= 2, null, { timeout: WAIT });
    check(await page.isVisible('#top-empty'), 'no traffic: the table says it waits for statements');
    check(await page.$$eval('#top-table tbody tr[data-key]', (r) => r.length) === 0, 'no traffic: no rows');
    check((await page.textContent('#health-badge')).startsWith('no loss'), 'no traffic: health "no loss"');
    await page.waitForFunction(() => document.getElementById('monitor-state').textContent === 'not enabled',
        null, { timeout: 10000 });
    check(true, 'monitor off: the panel says "not enabled"');
    await page.waitForSelector('#cluster-body .node', { timeout: 10000 });
    check(await page.$$eval('#chart-qps path.series', (p) => p.length) === 1, 'no traffic: the node\'s QPS line');
    await page.screenshot({ path: shot, fullPage: true });
    console.log('screenshot: ' + shot);
}

async function main() {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: exe,
        headless: true,
        viewport: { width: 1600, height: 1000 },
        deviceScaleFactor: 1,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
        if (m.type() === 'error') {
            problems.push('console error: ' + m.text());
        }
    });
    const offsite = [];
    page.on('request', (r) => {
        const u = new URL(r.url());
        if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !u.protocol.startsWith('data')) {
            offsite.push(r.url());
        }
    });
    try {
        await page.goto(url, { waitUntil: 'load' });
        check((await page.title()).startsWith('mysql-probe'), 'the page is served at /');
        if (token) {
            // 0. the probe has auth.token: the page asks for it, a wrong one is refused and asked again, the
            //    right one (kept in sessionStorage) brings the data
            await page.waitForSelector('#auth:not([hidden])', { timeout: 10000 });
            check(true, 'without the token the page asks for it');
            check(await page.$$eval('#top-table tbody tr[data-key]', (r) => r.length) === 0,
                'without the token no template is shown');
            await page.fill('#auth-token', 'wrong-' + token);
            await page.click('#auth-save');
            await page.waitForFunction(() => !document.getElementById('auth').hidden
                && document.getElementById('auth-msg').textContent.includes('refused'), null, { timeout: 10000 });
            check(true, 'a wrong token is refused and the page asks again');
            await page.fill('#auth-token', token);
            await page.click('#auth-save');
            check(await page.evaluate(() => sessionStorage.getItem('mysqlprobe.token')) === token,
                'the token is kept in sessionStorage');
            // the browser logs the refused requests and upgrades
            problems.splice(0, problems.length, ...problems.filter((p) => !/401|WebSocket/.test(p)));
        }
        await page.waitForSelector('#conn[data-state=ok]', { timeout: 10000 });
        check(await page.isHidden('#auth'), 'no token prompt while connected');
        check(true, 'the websocket to /collector is live');

        if (!expected.length) {
            await idleNode(page);
            return;
        }

        // 1. the expected templates with the expected counts (summed over the windows the page kept)
        await waitForCounts(page, WAIT);
        const rows = await rowCounts(page);
        for (const e of expected) {
            const r = rows.find((x) => x.template === e.template);
            check(r && r.count === e.count, `"${e.template}" shows count ${e.count}`);
            if (e.errors != null) {
                check(r.errors === e.errors, `"${e.template}" shows ${e.errors} errors`);
            }
        }

        // 2. sorting by count: descending, then ascending on a second click
        await page.click('#top-table th[data-sort=count]');
        let counts = (await rowCounts(page)).map((r) => r.count);
        check(counts.length >= expected.length && counts.every((c, i) => i === 0 || counts[i - 1] >= c),
            'sorted by count, descending: ' + counts.join(' '));
        check(await page.$eval('#top-table th[data-sort=count]', (th) => th.classList.contains('sorted')
            && th.dataset.dir === 'desc'), 'the count header shows the sort');
        await page.click('#top-table th[data-sort=count]');
        counts = (await rowCounts(page)).map((r) => r.count);
        check(counts.every((c, i) => i === 0 || counts[i - 1] <= c), 'second click: ascending: ' + counts.join(' '));
        await page.click('#top-table th[data-sort=count]');

        // 3. the text filter
        const first = expected[0];
        await page.fill('#f-text', first.template.split(/\s+/).slice(-4).join(' '));
        const filtered = await rowCounts(page);
        check(filtered.some((r) => r.template === first.template) && filtered.length < rows.length,
            `the text filter keeps "${first.template}" (${filtered.length} of ${rows.length} rows)`);
        await page.fill('#f-text', '');

        // 4. the detail view of a template with errors, then of the first template
        const withErrors = expected.find((e) => e.errors > 0);
        if (withErrors) {
            await page.click(`#top-table tbody tr[data-template="${withErrors.template.replace(/"/g, '\\"')}"]`);
            await page.waitForSelector('#detail:not([hidden])');
            check((await page.textContent('#d-template')) === withErrors.template, 'detail: the full template');
            check((await page.textContent('[data-stat=errors] .v')) === String(withErrors.errors), 'detail: errors');
            const errs = await page.textContent('#d-errors');
            check(withErrors.errno == null || errs.includes(String(withErrors.errno)),
                `detail: errors by errno show ${withErrors.errno}`);
        }
        await page.click(`#top-table tbody tr[data-template="${first.template.replace(/"/g, '\\"')}"]`);
        await page.waitForFunction((t) => document.getElementById('d-template').textContent === t, first.template);
        check((await page.textContent('[data-stat=count] .v')) === String(first.count), 'detail: the count');
        for (const t of first.tables || []) {
            check((await page.textContent('#d-tables')).includes(t), 'detail: table ' + t);
        }
        check(await page.$$eval('#d-chart-hist rect.bar', (b) => b.length) > 0, 'detail: a latency histogram');
        check(await page.$$eval('#d-chart-lat path.series', (p) => p.length) === 3,
            'detail: p50/p95/p99 over time');
        check((await page.textContent('#d-users')).includes(first.user || ''), 'detail: top users');
        check(await page.$$eval('#chart-qps path.series', (p) => p.length) === 2,
            'over time: node and selected template');

        // 5. health: no loss
        const health = await page.$$eval('#health-body [data-counter]', (cs) =>
            Object.fromEntries(cs.map((c) => [c.dataset.counter, { v: Number(c.dataset.value), red: c.classList.contains('bad') }])));
        for (const f of ['kernel_dropped', 'interface_dropped', 'queue_dropped', 'stream_gaps', 'decode_errors',
            'unknown_statement_ids']) { // the last: statements under a prepared-statement placeholder
            check(health[f] && health[f].v === 0 && !health[f].red, `health: ${f} = 0, not red`);
        }
        check((await page.textContent('#health-badge')).startsWith('no loss'), 'health: the "no loss" badge');

        // 6. cluster and monitor panels
        await page.waitForSelector('#cluster-body .node', { timeout: 10000 });
        check((await page.textContent('#cluster-mode')) === 'standalone', 'cluster: the topology (standalone)');
        if (monitorOn) {
            await page.waitForSelector('#monitor-body tr[data-server]', { timeout: 10000 });
            check((await page.textContent('#monitor-body')).includes('ONLINE'), 'monitor: the backend is ONLINE');
            if (process.env.DEAD_BACKEND) {
                await page.waitForSelector('#monitor-body .errline', { timeout: 15000 });
                check((await page.textContent('#monitor-body .errlist')).includes(process.env.DEAD_BACKEND),
                    'monitor: the recent errors of the dead backend ' + process.env.DEAD_BACKEND);
            }
        } else {
            await page.waitForFunction(() => document.getElementById('monitor-state').textContent === 'not enabled');
            check(true, 'monitor: not enabled');
        }

        // 7. the socket drops: a banner, a reconnect with ?since=, and no window counted twice
        const before = await rowCounts(page);
        await page.evaluate(() => window.probeDashboard.socket.close(4000, 'test'));
        await page.waitForSelector('#banner:not([hidden])', { timeout: 5000 });
        check((await page.textContent('#banner')).includes('Reconnecting'), 'a dropped socket shows a banner');
        await page.screenshot({ path: shot.replace(/\.png$/, '-reconnecting.png') });
        await page.waitForSelector('#conn[data-state=ok]', { timeout: 15000 });
        await page.waitForSelector('#banner[hidden]', { state: 'attached', timeout: 5000 });
        await page.waitForTimeout(1500);
        const after = await rowCounts(page);
        for (const e of expected) {
            const b = before.find((r) => r.template === e.template);
            const a = after.find((r) => r.template === e.template);
            check(a && a.count === b.count, `after the reconnect "${e.template}" still counts ${b.count}`);
        }

        // 8. a reload: the backlog replays (?since=0) with the same counts; sort and selection come from the URL
        check(/[#&]t=/.test(await page.evaluate(() => location.hash)) && /sort=count/.test(await page.evaluate(() => location.hash)),
            'the URL fragment holds the sort and the selected template');
        await page.reload({ waitUntil: 'load' });
        await page.waitForFunction((t) => document.getElementById('d-template').textContent === t
            && !document.getElementById('detail').hidden, first.template, { timeout: 15000 });
        await waitForCounts(page, 10000);
        check(true, 'after a reload the backlog replays every expected template with its count');
        check(await page.$eval('#top-table th[data-sort=count]', (th) => th.dataset.dir === 'desc'),
            'after a reload: still sorted by count');

        // 9. the admin token: a wrong one is refused (401), the right one applies a change (sent as a Bearer header)
        if (token) {
            await page.click('#settings-btn');
            await page.fill('#token', 'wrong-' + token);
            await page.click('#token-save');
            await page.fill('#period', '2');
            await page.click('#period-apply');
            await page.waitForFunction(() => /^4\d\d/.test(document.getElementById('settings-msg').textContent));
            check((await page.textContent('#settings-msg')).startsWith('401'), 'a wrong token: the change is refused (401)');
            await page.fill('#token', token);
            await page.click('#token-save');
            check(await page.evaluate(() => sessionStorage.getItem('mysqlprobe.token')) === token,
                'the token is kept in sessionStorage');
            await page.fill('#period', '2');
            await page.click('#period-apply');
            await page.waitForFunction(() => /^applied/.test(document.getElementById('settings-msg').textContent));
            check((await page.textContent('#settings-msg')).includes('"report_period_ms":2000'),
                'with the token: report_period_ms changed to 2000');
            await page.waitForFunction(() => {
                const r = window.probeDashboard.store.latest();
                return r && r.window.end_ms - r.window.start_ms === 2000;
            }, null, { timeout: 10000 });
            check(true, 'the next windows are 2 s long');
            await page.evaluate(() => window.scrollTo(0, 0));
            await page.screenshot({ path: shot.replace(/\.png$/, '-settings.png') });
            await page.click('#settings-btn');
        }

        if (token) {
            // the browser logs each request and upgrade refused with the wrong token
            problems.splice(0, problems.length, ...problems.filter((p) => !/401|WebSocket connection/.test(p)));
        }
        check(problems.length === 0, 'no page or console errors' + (problems.length ? ': ' + problems.join('; ') : ''));
        check(offsite.length === 0, 'no request leaves the probe' + (offsite.length ? ': ' + offsite.join(' ') : ''));

        // the screenshot: the detail of the first template, whole page
        await page.mouse.move(0, 0);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(400);
        await page.screenshot({ path: shot, fullPage: true });
        console.log('screenshot: ' + shot);
    } catch (e) {
        try {
            await page.screenshot({ path: shot.replace(/\.png$/, '-failed.png'), fullPage: true });
        } catch (ignored) {
            // the page may be gone
        }
        throw e;
    } finally {
        await context.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
    }
}

main().then(() => process.exit(0), (e) => {
    console.error(e.stack || String(e));
    process.exit(1);
});
