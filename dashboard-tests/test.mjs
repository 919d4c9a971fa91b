// Browser tests of the dashboard against a running coordinator (DASHBOARD_BASE_URL), seeded here
// through the public API with UI fixtures (lib/fixtures.mjs). Run through ./run.sh, which starts
// the coordinator from its jar.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seed } from './lib/fixtures.mjs';
import { Suite, launch, assert, assertEqual } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ART = process.env.DASHBOARD_ARTIFACTS || path.join(here, 'artifacts');
const base = (process.env.DASHBOARD_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const origin = new URL(base).origin;
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function waitFor(fn, { timeout = 10_000, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const num = (s) => {
  const m = /-?\d[\d,]*(\.\d+)?/.exec(s || '');
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
};

// a latency as the dashboard prints it (97.6 µs, 0.217 ms, 1.25 s) back in milliseconds
const parseMs = (s) => {
  const m = /(-?\d[\d,]*(?:\.\d+)?)\s*(µs|ms|s)\b/.exec(s || '');
  return m ? Number(m[1].replace(/,/g, '')) * { µs: 1e-3, ms: 1, s: 1e3 }[m[2]] : NaN;
};

// what a raw double looks like when it reaches the page unformatted (0.15167600000000003)
const RAW_DOUBLE = /\d\.\d{6,}/;

function checkOrder(values, dir, what) {
  const vals = values.filter((v) => !Number.isNaN(v));
  const blanksLast = values.slice(vals.length).every((v) => Number.isNaN(v));
  assert(blanksLast, `${what}: blank cells sort last (${values.join(', ')})`);
  for (let i = 1; i < vals.length; i++) {
    assert(dir > 0 ? vals[i - 1] <= vals[i] : vals[i - 1] >= vals[i], `${what} sorted ${dir > 0 ? 'ascending' : 'descending'}: ${vals.join(', ')}`);
  }
  assert(vals.length >= 2, `${what}: at least two values to sort`);
}

console.log(`dashboard tests against ${base}`);
console.log('seeding UI fixtures through the public API (simulated worker)…');
// the coordinator under test generated its admin token at first start; run.sh passes it on
const token = process.env.DASHBOARD_TOKEN || '';
const fx = await seed(base, { token, log: (m) => console.log(`  fixture: ${m}`) });
const { api } = fx;
const trials = (await api.get(`/api/v1/jobs/${fx.jobId}/trials?size=500&sort=seq`)).items;
const frontier = await api.get(`/api/v1/jobs/${fx.jobId}/frontier`);
const measuredOn = (deviceId, runtime) => trials.filter((t) => Number.isFinite(t.accuracy)
  && (t.measurements || []).some((m) => m.deviceId === deviceId && (!runtime || m.runtime === runtime)));
const measured = measuredOn(fx.deviceId);
const deviceFrontier = frontier.devices.find((d) => d.deviceId === fx.deviceId);
const failedTrial = trials.find((t) => t.state === 'FAILED');
const estimatedTrial = trials.find((t) => (t.measurements || []).some((m) => m.metrics && m.metrics.estimated === true));
console.log(`  fixture: ${trials.length} trials, ${measured.length} measured on the device, ${deviceFrontier.points.length} on the frontier`);

// the dashboard's own formatting module (plain ES module, no DOM): expectations are written with it
const format = await import(pathToFileURL(path.join(here, '..', 'service', 'src', 'main', 'resources', 'static', 'js', 'format.js')).href);
// A trial built by the real agent, as the real coordinator served it, recorded by the worker's
// EndToEndTest (DashboardTrialRecording keeps it in step with what real builds send). The fixture
// worker above only makes up metrics; this is what the trial page must show for a real build.
const realTrial = JSON.parse(fs.readFileSync(path.join(here, 'recorded', 'real-trial.json'), 'utf8')).trial;

const { context, close } = await launch({ viewport: LAPTOP, token });
const foreign = [];
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') {
    foreign.push(url.href);
    return route.abort();
  }
  return route.continue();
});
const page = await context.newPage();
// the coordinator under test never saw the recorded trial: its page gets it exactly as recorded
await page.route((url) => url.pathname === `/api/v1/trials/${realTrial.id}`, (route) => route.fulfill({ json: realTrial }));
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
let current = page;

const go = async (hash, p = page) => {
  await p.goto(`${base}/${hash}`);
  await p.locator('main h1').first().waitFor();
};

const suite = new Suite('dashboard', ART);
let createdJobId = null;

suite.test('jobs list shows the seeded job with state, progress and best point', async () => {
  await go('#/jobs');
  const row = page.locator(`tr[data-job-id="${fx.jobId}"]`);
  await row.waitFor();
  await waitFor(async () => (await row.textContent()).includes('COMPLETED'), { message: 'COMPLETED state in the row' });
  const text = await row.textContent();
  assert(text.includes(`${trials.filter((t) => t.state === 'DONE').length}/${trials.length}`), `progress done/total in "${text}"`);
  assert(text.includes('1 failed'), `failed count in "${text}"`);
  assert(text.includes('fixture-mnist-cnn'), 'model name');
  await waitFor(async () => !(await row.locator('td[data-label="Best point"]').textContent()).includes('none yet'), { message: 'best point filled in' });
});

suite.test('frontier plot per device and runtime shows one point per measured trial, frontier highlighted, target and floor drawn', async () => {
  await go(`#/jobs/${fx.jobId}`);
  await waitFor(async () => (await page.locator('[data-testid=device-frontier]').count()) === frontier.devices.length, { message: 'one plot per (target device, runtime)' });
  // the phone offers two runtimes: two frontiers of the same builds
  assertEqual(frontier.devices.filter((d) => d.deviceId === fx.phoneDeviceId).map((d) => d.runtime).sort().join(','), 'frontier-jvm,onnxruntime', 'phone runtimes');
  for (const df of frontier.devices) {
    const expected = measuredOn(df.deviceId, df.runtime);
    const card = page.locator(`[data-testid=device-frontier][data-device-id="${df.deviceId}"][data-runtime="${df.runtime}"]`);
    assert((await card.locator('h2').textContent()).includes(df.runtime), `card names its runtime ${df.runtime}`);
    await card.locator('[data-testid=plot-point]').first().waitFor();
    const points = card.locator('[data-testid=plot-point]');
    await waitFor(async () => (await points.count()) === expected.length, { message: `${expected.length} plot points on ${df.deviceId}` });
    assertEqual(await points.count(), df.measured, 'plot points = DeviceFrontier.measured');
    assertEqual(await card.locator('[data-testid=plot-point][data-frontier=true]').count(), df.points.length, 'highlighted frontier points');
    const ids = new Set(await points.evaluateAll((els) => els.map((e) => e.getAttribute('data-trial-id'))));
    for (const t of expected) assert(ids.has(t.id), `trial #${t.seq} plotted`);
    assert(!ids.has(failedTrial.id), 'failed trial not plotted');
    // the plotted latency is this device's: the point's label carries it
    const t0 = expected[0];
    const label = await card.locator(`[data-testid=plot-point][data-trial-id="${t0.id}"]`).getAttribute('aria-label');
    const ms = t0.measurements.find((m) => m.deviceId === df.deviceId && m.runtime === df.runtime).medianMs;
    assert(Math.abs(parseMs(label.split('latency')[1]) - ms) < 0.01 * ms + 0.01, `point latency is the device's with this runtime (${label} vs ${ms})`);
    assertEqual(await card.locator('[data-testid=latency-target-line]').count(), 1, 'latency target line');
    assertEqual(await card.locator('[data-testid=accuracy-floor-line]').count(), frontier.accuracyFloor != null ? 1 : 0, 'accuracy floor line');
    if (df.recommended) {
      assertEqual(await card.locator('[data-testid=recommended-marker]').count(), 1, 'recommended marker');
      assertEqual(await card.locator('.pt-recommended').getAttribute('data-trial-id'), df.recommended.trialId, 'recommended point is the API one');
    }
    if (df.points.length > 1) assertEqual(await card.locator('[data-testid=frontier-line]').count(), 1, 'frontier line');
    assertEqual((await card.locator('[data-testid=measured-count]').textContent()).trim(), String(df.measured), 'measured count shown');
  }
});

suite.test('plot points are keyboard-focusable, show the configuration on focus, Enter opens the trial', async () => {
  await go(`#/jobs/${fx.jobId}`);
  const card = page.locator(`[data-testid=device-frontier][data-device-id="${fx.deviceId}"]`);
  await card.locator('[data-testid=plot-point]').first().waitFor();
  // Tab from the heading until a plot point has focus: points must be reachable by keyboard alone
  await page.locator('main h1').focus();
  let onPoint = false;
  for (let i = 0; i < 40 && !onPoint; i++) {
    await page.keyboard.press('Tab');
    onPoint = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid') === 'plot-point');
  }
  assert(onPoint, 'a plot point is reachable with Tab');
  // the first point Tab reaches may sit in either device's plot (their order is not fixed): use its card
  const [focusedDevice, focusedRuntime] = await page.evaluate(() => {
    const c = document.activeElement.closest('[data-testid=device-frontier]');
    return [c.getAttribute('data-device-id'), c.getAttribute('data-runtime')];
  });
  const tip = page.locator(`[data-testid=device-frontier][data-device-id="${focusedDevice}"][data-runtime="${focusedRuntime}"]`).locator('.plot-tip');
  await tip.waitFor({ state: 'visible' });
  const firstId = await page.evaluate(() => document.activeElement.getAttribute('data-trial-id'));
  const t = trials.find((x) => x.id === firstId);
  const tipText = await tip.textContent();
  assert(tipText.includes(`Trial #${t.seq}`) && tipText.includes('Accuracy') && tipText.includes('Latency'), `tooltip content: ${tipText}`);
  assert(tipText.includes(t.config && Object.keys(t.config).length ? (t.config.layers ? Object.keys(t.config.layers)[0] : 'default') : 'dense baseline'), `tooltip shows the configuration: ${tipText}`);
  await page.keyboard.press('ArrowRight');
  const nextId = await page.evaluate(() => document.activeElement.getAttribute('data-trial-id'));
  if (measuredOn(focusedDevice, focusedRuntime).length > 1) assert(nextId && nextId !== firstId, 'ArrowRight moves to another point');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`#/trials/${nextId}$`));
  await page.locator('h1', { hasText: 'Trial #' }).waitFor();
});

suite.test('clicking a plot point opens its trial; the trial page shows metrics and the artifact link', async () => {
  await go(`#/jobs/${fx.jobId}`);
  const rec = deviceFrontier.recommended || deviceFrontier.points[0];
  const pt = page.locator(`[data-testid=device-frontier][data-device-id="${fx.deviceId}"] [data-testid=plot-point][data-trial-id="${rec.trialId}"]`);
  await pt.waitFor();
  await pt.hover();
  await page.locator('.plot-tip:visible').first().waitFor();
  await pt.click();
  await page.waitForURL(new RegExp(`#/trials/${rec.trialId}$`));
  const body = page.locator('main');
  await body.locator('text=Latency per device').waitFor();
  const text = await body.textContent();
  assert(text.includes('MEASURED'.toLowerCase()) || text.toLowerCase().includes('measured'), 'accuracy marked as measured');
  const link = body.locator('a.artifact-link');
  assertEqual(await link.getAttribute('href'), `/api/v1/trials/${rec.trialId}/artifact`, 'artifact link');
  // the page downloads it with its bearer token (a plain link cannot carry one); without it: 401
  const res = await page.request.get(`${base}/api/v1/trials/${rec.trialId}/artifact`, { headers: { Authorization: `Bearer ${token}` } });
  assertEqual(res.status(), 200, 'artifact downloads');
  assertEqual((await page.request.get(`${base}/api/v1/trials/${rec.trialId}/artifact`)).status(), 401, 'artifact needs the token');
  assert((await res.text()).startsWith('FRART fixture artifact'), 'artifact bytes are the fixture ones');
});

suite.test("a real agent's build: the trial page shows its per-layer table and accuracy before and after fine-tuning", async () => {
  const bm = realTrial.buildMetrics;
  const layers = bm.compression.layers;
  assert(layers.length > 0, 'the recorded build has a compression report with layers');
  await go(`#/trials/${realTrial.id}`);
  const table = page.locator('[data-testid=layer-table]');
  await table.waitFor({ timeout: 5_000 }); // an empty report draws no table: this fails then
  const rows = table.locator('tbody tr');
  assertEqual(await rows.count(), layers.length, 'one row per layer of the real compression report');
  for (const [i, l] of layers.entries()) {
    const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim());
    assertEqual(cells.slice(0, 4).join(' | '), [l.name, l.op, l.pruning, l.quantization].join(' | '), `layer ${l.name}: name, op, pruning, quantization`);
    assertEqual(cells[4], `${format.fmtCount(l.keptParams)} of ${format.fmtCount(l.params)}`, `layer ${l.name}: kept params`);
    assertEqual(cells[5], `${format.fmtCount(l.keptMacs)} of ${format.fmtCount(l.macs)}`, `layer ${l.name}: kept MACs`);
    assertEqual(cells[6], format.fmtFraction(l.sparsity), `layer ${l.name}: sparsity`);
  }
  assert(layers.some((l) => l.pruning !== 'none'), 'the recorded build prunes at least one layer');
  const ft = page.locator('[data-testid=fine-tune-accuracy]');
  assertEqual(await ft.locator('[data-testid=accuracy-before]').textContent(), format.fmtPct(bm.accuracyBeforeFineTune), 'validation accuracy before fine-tuning');
  assertEqual(await ft.locator('[data-testid=accuracy-after]').textContent(), format.fmtPct(realTrial.validationAccuracy), 'validation accuracy after fine-tuning');
  const text = await page.locator('main').innerText();
  assert(!RAW_DOUBLE.test(text), `no unformatted double on the real trial page: ${RAW_DOUBLE.exec(text)}`);
  for (const m of realTrial.measurements || []) assert(text.includes(format.fmtMs(m.medianMs)), `median ${format.fmtMs(m.medianMs)} (${m.runtime}) shown`);
});

suite.test("latency stdev: a runtime that reports none shows a dash, not \"0 ms\"", async () => {
  assertEqual(format.fmtStdevMs(0.01613, 0.03143, 0.05211), '16.1 µs', 'a measured stdev');
  assertEqual(format.fmtStdevMs(undefined, 0.1, 0.2), '–', 'no stdev sent');
  assertEqual(format.fmtStdevMs(null), '–', 'null stdev');
  assertEqual(format.fmtStdevMs(0, 0.11485, 0.19865), '–', 'a zero stdev next to a p10..p90 spread is not a measurement');
  assertEqual(format.fmtStdevMs(0, 0.5, 0.5), '0 ms', 'identical samples: a real zero');
  // the real agent's frontier-native timing carries stdevMs 0 with p10 < p90 (its harness computes no stdev)
  const native = (realTrial.measurements || []).find((m) => m.runtime === 'frontier-native');
  assert(native && native.metrics.p90Ms > native.metrics.p10Ms, 'the recorded trial has a frontier-native timing with a spread');
  await go(`#/trials/${realTrial.id}`);
  const cells = page.locator('[data-testid=latency-stdev]');
  await cells.first().waitFor();
  const shown = await cells.allTextContents();
  assertEqual(shown.length, realTrial.measurements.length, 'one stdev cell per measurement');
  for (const [i, m] of realTrial.measurements.entries()) {
    const x = m.metrics || {};
    const want = m.runtime === 'frontier-native' && !(x.stdevMs > 0) ? '–' : format.fmtMs(x.stdevMs);
    assertEqual(shown[i].trim(), want, `stdev of ${m.runtime}`);
  }
  assert(!shown.some((t) => t.trim() === '0 ms'), `no "0 ms" stdev: ${shown.join(', ')}`);
  assert(shown.some((t) => /\d/.test(t)), 'runtimes that measure a stdev still show it');
});

// what a reader at this width cannot see: the page scrolling sideways, or any box inside it that
// scrolls sideways (a .table-wrap keeps a too-wide table from widening the page, but hides its columns)
const sidewaysScroll = (p) => p.evaluate(() => {
  const out = [];
  const page = document.scrollingElement.scrollWidth - window.innerWidth;
  if (page > 0) out.push(`page ${page}px`);
  for (const el of document.querySelectorAll('main *')) {
    if (!el.getClientRects().length || el.closest('details:not([open])')) continue;
    const ox = getComputedStyle(el).overflowX;
    if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth - el.clientWidth}px`);
    }
  }
  return out;
});

suite.test('phone (390 px): the layer table stacks into labelled rows, nothing scrolls sideways, every value visible', async () => {
  const layers = realTrial.buildMetrics.compression.layers;
  const labels = ['Layer', 'Op', 'Pruning', 'Quantization', 'Kept params', 'Kept MACs', 'Sparsity'];
  await page.setViewportSize(PHONE);
  try {
    await go(`#/trials/${realTrial.id}`);
    const table = page.locator('[data-testid=layer-table]');
    await table.locator('tbody tr').first().waitFor();
    const width = await page.evaluate(() => window.innerWidth);
    assertEqual(width, PHONE.width, 'phone viewport');
    const scrollW = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert(scrollW <= width, `no horizontal page scroll: scrollWidth ${scrollW} > innerWidth ${width}`);
    assertEqual((await sidewaysScroll(page)).join(', '), '', 'nothing on the trial page scrolls sideways');
    assert(!(await table.locator('thead').isVisible()) || (await table.locator('thead').boundingBox()).width <= 1, 'column headers hidden (each value is labelled instead)');
    const rows = table.locator('tbody tr');
    assertEqual(await rows.count(), layers.length, 'one stacked row per layer');
    for (const [i, l] of layers.entries()) {
      const cells = await rows.nth(i).locator('td').evaluateAll((tds) => tds.map((td) => {
        const r = td.getBoundingClientRect();
        return { text: td.innerText.trim(), label: getComputedStyle(td, '::before').content, left: r.left, right: r.right, top: r.top,
          height: r.height, clipped: td.scrollWidth > td.clientWidth + 1, display: getComputedStyle(td).display };
      }));
      const want = [l.name, l.op, l.pruning, l.quantization, `${format.fmtCount(l.keptParams)} of ${format.fmtCount(l.params)}`,
        `${format.fmtCount(l.keptMacs)} of ${format.fmtCount(l.macs)}`, format.fmtFraction(l.sparsity)];
      for (const [j, c] of cells.slice(0, 7).entries()) {
        const where = `layer ${l.name}, ${labels[j]}`;
        assertEqual(c.text, want[j], `${where}: value`);
        assertEqual(c.label, `"${labels[j]}"`, `${where}: labelled`);
        assertEqual(c.display, 'block', `${where}: stacked`);
        assert(c.height > 0 && c.left >= 0 && c.right <= width && !c.clipped, `${where}: visible inside the viewport (${JSON.stringify(c)})`);
      }
      for (let j = 1; j < 7; j++) assert(cells[j].top > cells[j - 1].top, `layer ${l.name}: ${labels[j]} below ${labels[j - 1]}`);
    }
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ART, 'phone-real-trial-layers.png'), fullPage: true });
    await page.locator('section[aria-labelledby=tr-layers]').screenshot({ path: path.join(ART, 'phone-layer-table.png') });
  } finally {
    await page.setViewportSize(LAPTOP);
  }
  // the laptop keeps the table: headers shown, a row's values side by side
  await go(`#/trials/${realTrial.id}`);
  const table = page.locator('[data-testid=layer-table]');
  await table.locator('tbody tr').first().waitFor();
  assert(await table.locator('thead').isVisible(), 'laptop: column headers shown');
  const tops = await table.locator('tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => [getComputedStyle(td).display, Math.round(td.getBoundingClientRect().top)]));
  assert(tops.every(([d, t]) => d === 'table-cell' && t === tops[0][1]), `laptop: one row per layer, values side by side (${JSON.stringify(tops)})`);
});

suite.test('numbers are formatted for people: three significant digits and a unit', async () => {
  const cases = [
    [format.fmtMs(0.15167600000000003), '0.152 ms'], [format.fmtMs(0.0976), '97.6 µs'], [format.fmtMs(0.217), '0.217 ms'],
    [format.fmtMs(15.24), '15.2 ms'], [format.fmtMs(1250), '1.25 s'], [format.fmtMs(999.96), '1.00 s'], [format.fmtMs(2.9983), '3.00 ms'], [format.fmtMs(null), '–'],
    [format.fmtPct(91.4321), '91.4 %'], [format.fmtPct(9.8765), '9.88 %'], [format.fmtPct(100), '100 %'],
    [format.fmtFraction(0.55594), '55.6 %'], [format.fmtPp(2.5), '2.5 pp'],
    [format.fmtBytes(512), '512 B'], [format.fmtBytes(1556), '1.52 KiB'], [format.fmtBytes(155_648), '152 KiB'],
    [format.fmtBytes(1_048_000), '0.999 MiB'], [format.fmtBytes(1.5 * 2 ** 20), '1.50 MiB'],
    [format.fmtCount(4640), '4,640'], [format.fmtCount(200_832), '201 k'], [format.fmtCount(1_110_000), '1.11 M'],
    [format.fmtTick(0.15000000000000002, 0.05), '0.15'], [format.fmtTick(2, 0.5), '2.0'],
  ];
  for (const [got, want] of cases) assertEqual(got, want, 'formatted');
  const measuredTrial = measured[0];
  for (const hash of ['#/jobs', `#/jobs/${fx.jobId}`, `#/trials/${measuredTrial.id}`, '#/devices']) {
    await go(hash);
    await page.waitForTimeout(700); // first poll drawn
    const text = await page.locator('main').innerText();
    assert(!RAW_DOUBLE.test(text), `no unformatted double on ${hash}: ${RAW_DOUBLE.exec(text)}`);
  }
});

suite.test('the demo\'s baseline job is labelled "baseline" and shows no latency target', async () => {
  await go('#/jobs');
  const row = page.locator(`tr[data-job-id="${fx.baselineJobId}"]`);
  await row.locator('[data-testid=baseline-job]').waitFor();
  const placeholder = /1,?000,?000|≤/;
  const rowText = await row.textContent();
  assert(!placeholder.test(rowText), `no placeholder target in the baseline row: ${rowText}`);
  const userTarget = await page.locator(`tr[data-job-id="${fx.jobId}"] td[data-label="Target"]`).textContent();
  assertEqual(userTarget, '≤ 1.60 ms, −2.5 pp', "a user's job keeps its target");
  await go(`#/jobs/${fx.baselineJobId}`);
  await page.locator('[data-testid=job-state] [data-testid=baseline-job]').waitFor();
  const settings = page.locator('section[aria-labelledby=settings-h]');
  await settings.locator('text=Purpose').waitFor();
  assertEqual(await settings.locator('[data-testid=latency-target]').count(), 0, 'no latency target in the settings');
  await page.locator('[data-testid=device-frontier] [data-testid=plot-point]').first().waitFor();
  assertEqual(await page.locator('[data-testid=latency-target-line]').count(), 0, 'no latency target line on the baseline plot');
  const text = await page.locator('main').innerText();
  assert(!/1,?000,?000/.test(text), `no placeholder target anywhere on the baseline job page: ${text.slice(0, 400)}`);
  await go(`#/jobs/${fx.jobId}`);
  await page.locator('[data-testid=latency-target]', { hasText: '1.60 ms' }).waitFor();
});

suite.test('trial table sorts by column (headers and the Sort by control)', async () => {
  await go(`#/jobs/${fx.jobId}`);
  const table = page.locator('[data-testid=trial-table]');
  await table.locator('tbody tr[data-trial-id]').first().waitFor();
  await waitFor(async () => (await table.locator('tbody tr[data-trial-id]').count()) === trials.length, { message: 'all trials listed' });
  const col = async (key, parse = num) => (await table.locator(`tbody td[data-col="${key}"]`).allTextContents()).map(parse);
  const header = (key) => table.locator(`button[data-sort-key="${key}"]`);
  const th = (key) => table.locator('th', { has: page.locator(`button[data-sort-key="${key}"]`) });

  await header('accuracy').click();
  assertEqual(await th('accuracy').getAttribute('aria-sort'), 'ascending', 'aria-sort after one click');
  checkOrder(await col('accuracy'), 1, 'accuracy');
  await header('accuracy').press('Enter'); // keyboard works on the header button too
  assertEqual(await th('accuracy').getAttribute('aria-sort'), 'descending', 'aria-sort after two clicks');
  checkOrder(await col('accuracy'), -1, 'accuracy');
  const latKey = `lat:${fx.deviceId}:frontier-jvm`; // one latency column per (device, runtime)
  await header(latKey).click();
  checkOrder(await col(latKey, parseMs), 1, 'latency');
  await header('sizeBytes').click();
  assertEqual(await th('accuracy').getAttribute('aria-sort'), 'none', 'only one column sorted');
  await page.selectOption('#trials-sort', 'seq');
  await page.click('#trials-sort-dir');
  checkOrder(await col('seq'), -1, 'seq via Sort by');
});

suite.test('trial table filters by state and text; failed trials show reason and kind; fidelity and estimated latency shown', async () => {
  await go(`#/jobs/${fx.jobId}`);
  const table = page.locator('[data-testid=trial-table]');
  await waitFor(async () => (await table.locator('tbody tr[data-trial-id]').count()) === trials.length, { message: 'all trials listed' });
  await page.selectOption('#trials-state', 'FAILED');
  await waitFor(async () => (await table.locator('tbody tr[data-trial-id]').count()) === 1, { message: 'one failed trial' });
  const failedRow = table.locator(`tr[data-trial-id="${failedTrial.id}"]`);
  const ft = await failedRow.textContent();
  assert(ft.includes('COMPILE_ERROR') && ft.includes(failedTrial.error.slice(0, 30)), `failed row shows kind and reason: ${ft}`);
  await page.selectOption('#trials-state', '');
  await page.fill('#trials-text', 'COMPILE_ERROR');
  await waitFor(async () => (await table.locator('tbody tr[data-trial-id]').count()) === 1, { message: 'text filter' });
  await page.fill('#trials-text', 'no-such-thing-xyz');
  await table.locator('text=No trial matches the filter.').waitFor();
  await page.fill('#trials-text', '');
  await waitFor(async () => (await table.locator('tbody tr[data-trial-id]').count()) === trials.length, { message: 'filter cleared' });
  const estRow = table.locator(`tr[data-trial-id="${estimatedTrial.id}"] td[data-col="lat:${fx.deviceId}:frontier-jvm"]`);
  assert((await estRow.textContent()).toLowerCase().includes('estimated'), 'estimated latency labelled');
  const other = measured.find((t) => t.id !== estimatedTrial.id);
  assert(!(await table.locator(`tr[data-trial-id="${other.id}"] td[data-col="lat:${fx.deviceId}:frontier-jvm"]`).textContent()).toLowerCase().includes('estimated'), 'measured latency not labelled estimated');
  const fid = await table.locator(`tr[data-trial-id="${other.id}"] td[data-col="fidelity"]`).textContent();
  assertEqual(num(fid), other.fidelity, 'fidelity shown');
  assertEqual(await table.locator(`tr[data-trial-id="${other.id}"] a.artifact-link`).getAttribute('href'), `/api/v1/trials/${other.id}/artifact`, 'artifact link per trial');
  // the failed trial's own page leads with its reason
  await table.locator(`tr[data-trial-id="${failedTrial.id}"] td[data-col="seq"] a`).click();
  await page.waitForURL(new RegExp(`#/trials/${failedTrial.id}$`));
  const err = page.locator('[data-testid=trial-error]');
  await err.waitFor();
  const et = await err.textContent();
  assert(et.includes('COMPILE_ERROR') && et.includes(failedTrial.error), `trial page shows the failure: ${et}`);
});

suite.test('an invalid job form shows client-side errors next to the fields', async () => {
  await go('#/jobs/new');
  await page.locator('#job-form').waitFor();
  await page.fill('#f-latency', '');
  await page.fill('#f-fid-min', '2');
  await page.fill('#f-fid-max', '1');
  await page.fill('#f-seed', '1.5');
  await page.click('#f-submit');
  for (const id of ['f-model', 'f-devices', 'f-latency', 'f-fid-max', 'f-seed']) {
    const err = page.locator(`#${id}-error`);
    assert(await err.isVisible(), `error shown for ${id}`);
    assert((await err.textContent()).length > 3, `error text for ${id}`);
    assertEqual(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true', `${id} aria-invalid`);
  }
  assert(await page.locator('#form-errors').isVisible(), 'error summary shown');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  assertEqual(focused, 'f-model', 'focus moves to the first invalid field');
  assert(/#\/jobs\/new/.test(page.url()), 'stays on the form');
  await page.screenshot({ path: path.join(ART, 'laptop-new-job-errors.png'), fullPage: true });
});

suite.test('server problem+json errors are shown next to the offending field', async () => {
  await go('#/jobs/new?novalidate'); // client checks off: let the coordinator judge
  await page.locator('#job-form').waitFor();
  await page.selectOption('#f-model', fx.modelId);
  await page.check(`#f-devices input[value="${fx.deviceId}"]`);
  await page.fill('#f-latency', '-5');
  await page.fill('#f-max-trials', '0');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/jobs') && r.request().method() === 'POST'),
    page.click('#f-submit'),
  ]);
  assertEqual(resp.status(), 400, 'server rejects the job');
  const problem = await resp.json();
  await page.locator('#f-latency-error').waitFor({ state: 'visible' });
  const fields = (problem.errors || []).map((e) => e.field).concat(problem.field ? [problem.field] : []);
  assert(fields.includes('latencyTargetMs'), `problem names latencyTargetMs: ${JSON.stringify(problem)}`);
  const latMsg = (problem.errors || []).find((e) => e.field === 'latencyTargetMs');
  assert((await page.locator('#f-latency-error').textContent()).includes(latMsg ? latMsg.message : problem.detail), 'server message next to the latency field');
  if (fields.includes('budget.maxTrials')) assert(await page.locator('#f-max-trials-error').isVisible(), 'server message next to max trials');
  assert((await page.locator('#form-errors').textContent()).includes('400'), 'summary names the refusal');
});

suite.test('a job can be submitted from the form and its page follows live progress', async () => {
  await go('#/jobs/new');
  await page.locator('#job-form').waitFor();
  await page.selectOption('#f-model', fx.modelId);
  await page.check(`#f-devices input[value="${fx.deviceId}"]`);
  await page.fill('#f-latency', '2.5');
  await page.fill('#f-drop', '1.5');
  await page.fill('#f-max-trials', '6');
  await page.fill('#f-seed', '42');
  await page.fill('#f-fid-min', '0.5');
  await page.fill('#f-fid-max', '2');
  await page.click('#f-submit');
  await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
  createdJobId = /#\/jobs\/([0-9a-f-]{36})$/.exec(page.url())[1];
  const job = await api.get(`/api/v1/jobs/${createdJobId}`);
  assertEqual(job.latencyTargetMs, 2.5, 'latency target stored');
  assertEqual(job.maxAccuracyDrop, 1.5, 'max drop stored');
  assertEqual(job.budget.maxTrials, 6, 'max trials stored');
  assertEqual(job.seed, 42, 'seed stored');
  assertEqual(job.fidelity.min, 0.5, 'fidelity min stored');
  assertEqual(job.deviceIds.join(), fx.deviceId, 'devices stored');
  await page.locator('[data-testid=job-state] .badge').waitFor();
  // the simulated worker completes one trial while the page is open: it must appear without a reload
  const card = page.locator(`[data-testid=device-frontier][data-device-id="${fx.deviceId}"]`);
  await card.waitFor();
  assertEqual(await card.locator('[data-testid=plot-point]').count(), 0, 'no points yet');
  await waitFor(async () => {
    await fx.worker.step({ max: 1, waitSeconds: 0 });
    const p = (await api.get(`/api/v1/jobs/${createdJobId}`)).progress || {};
    return (p.done || 0) >= 1;
  }, { timeout: 30_000, message: 'one trial done by the fixture worker' });
  await waitFor(async () => (await card.locator('[data-testid=plot-point]').count()) >= 1, { timeout: 8_000, message: 'the new point appears by polling' });
  await waitFor(async () => num(await page.locator('[data-testid=job-progress] [data-testid=progress-done]').textContent()) >= 1, { timeout: 8_000, message: 'progress updates by polling' });
});

suite.test('cancel asks for confirmation, then cancels the job', async () => {
  assert(createdJobId, 'a job was created by the previous test');
  const state = (await api.get(`/api/v1/jobs/${createdJobId}`)).state;
  assert(['PROFILING', 'RUNNING'].includes(state), `job still running (${state})`);
  await go(`#/jobs/${createdJobId}`);
  const btn = page.locator('#cancel-job');
  await btn.waitFor({ state: 'visible' });
  await btn.click();
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.click('#confirm-no');
  await dialog.waitFor({ state: 'hidden' });
  assert(['PROFILING', 'RUNNING'].includes((await api.get(`/api/v1/jobs/${createdJobId}`)).state), 'keeping does not cancel');
  await btn.click();
  await dialog.waitFor({ state: 'visible' });
  await page.click('#confirm-yes');
  await page.locator('[data-testid=job-state]', { hasText: 'CANCELLED' }).waitFor();
  assertEqual((await api.get(`/api/v1/jobs/${createdJobId}`)).state, 'CANCELLED', 'job cancelled on the server');
  await btn.waitFor({ state: 'hidden' });
});

suite.test('devices view shows online/offline, last heartbeat and hardware', async () => {
  await fx.api.post(`/api/v1/devices/${fx.deviceId}/heartbeat`);
  await go('#/devices');
  const on = page.locator(`[data-device-id="${fx.deviceId}"]`);
  const off = page.locator(`[data-device-id="${fx.offlineDeviceId}"]`);
  await on.waitFor();
  assertEqual((await on.locator('[data-testid=device-status]').textContent()).trim(), 'online', 'online device');
  assertEqual((await off.locator('[data-testid=device-status]').textContent()).trim(), 'offline', 'offline device');
  const text = await on.textContent();
  assert(/just now|\d+ s ago/.test(text), `relative heartbeat time: ${text}`);
  assert(text.includes('Fixture CPU 8-core') && text.includes('256 bit') && text.includes('amd64'), 'hardware profile');
  assert((await off.textContent()).includes('never'), 'never heartbeated');
});

suite.test('without a token the dashboard asks for one; a wrong one is refused, the right one stored and sent', async () => {
  // a browser that never signed in, against the real coordinator: its 401s drive the dialog
  const fresh = await launch({ viewport: LAPTOP });
  const seen = [];
  try {
    const p = await fresh.context.newPage();
    p.on('request', (r) => { if (r.url().includes('/api/v1/')) seen.push(r.headers().authorization || ''); });
    await p.goto(`${base}/#/devices`);
    await p.locator('#token-dialog').waitFor({ state: 'visible' });
    assert(await p.locator('label[for=token-input]').isVisible(), 'token input labelled');
    await p.fill('#token-input', 'frt_not-a-token');
    await p.click('#token-dialog button[value=save]');
    await p.locator('#token-error').waitFor({ state: 'visible' });
    assert((await p.locator('#token-error').textContent()).includes('rejected'), 'a wrong token is reported as rejected');
    await p.fill('#token-input', token);
    await p.click('#token-dialog button[value=save]');
    await p.locator(`[data-device-id="${fx.deviceId}"]`).waitFor();
    assert(seen.includes(`Bearer ${token}`), 'bearer token sent after entering it');
    assertEqual(await p.evaluate(() => localStorage.getItem('frontier.token')), token, 'token stored');
  } finally {
    await fresh.close();
  }
});

suite.test('controls are labelled and keyboard-reachable', async () => {
  for (const hash of ['#/jobs/new', `#/jobs/${fx.jobId}`, '#/jobs']) {
    await go(hash);
    await page.waitForTimeout(300);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
      .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.id || el.name || el.outerHTML.slice(0, 60)));
    assertEqual(unlabelled.join(', '), '', `unlabelled controls on ${hash}`);
    const fakeButtons = await page.evaluate(() => [...document.querySelectorAll('main [onclick], main div[role=button]')].length);
    assertEqual(fakeButtons, 0, `no click-only divs on ${hash}`);
  }
  await go(`#/jobs/${fx.jobId}`);
  await waitFor(async () => (await page.locator('[data-testid=plot-point][tabindex="0"]').count()) === frontier.devices.length, { message: 'every plot drawn' });
  const pts = await page.locator('[data-testid=plot-point]').evaluateAll((els) => els.map((e) => [e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')]));
  assert(pts.every(([tab, role, label]) => (tab === '0' || tab === '-1') && role === 'button' && label && label.startsWith('Trial')), 'points focusable buttons with labels');
  assertEqual(pts.filter(([tab]) => tab === '0').length, frontier.devices.length, 'one tab stop per plot (arrow keys move between points)');
});

async function screenshots(viewport, prefix) {
  await page.setViewportSize(viewport);
  const shots = [
    ['jobs', '#/jobs'], ['job', `#/jobs/${fx.jobId}`], ['new-job', '#/jobs/new'], ['devices', '#/devices'],
    ['trial', `#/trials/${(deviceFrontier.recommended || deviceFrontier.points[0]).trialId}`],
    ['real-trial', `#/trials/${realTrial.id}`],
  ];
  for (const [name, hash] of shots) {
    await go(hash);
    await page.waitForTimeout(700); // first poll drawn
    if (name === 'job') await page.locator('[data-testid=plot-point]').first().waitFor();
    if (name === 'real-trial') await page.locator('[data-testid=layer-table] tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${prefix} ${name}: no horizontal page scroll (overflow ${overflow}px)`);
    if (viewport === PHONE) assertEqual((await sidewaysScroll(page)).join(', '), '', `${prefix} ${name}: nothing scrolls sideways`);
    await page.screenshot({ path: path.join(ART, `${prefix}-${name}.png`), fullPage: true });
  }
  await go(`#/jobs/${fx.jobId}`);
  const pt = page.locator('[data-testid=plot-point][tabindex="0"]').first();
  await pt.waitFor();
  await pt.scrollIntoViewIfNeeded();
  await pt.focus();
  await page.locator('.plot-tip:visible').first().waitFor();
  await page.screenshot({ path: path.join(ART, `${prefix}-job-tooltip.png`) });
}

suite.test('laptop screenshots (1366 px) without horizontal overflow', () => screenshots(LAPTOP, 'laptop'));
suite.test('phone screenshots (390 px) without horizontal overflow', () => screenshots(PHONE, 'phone'));

suite.test('no script errors and nothing fetched from outside the coordinator', async () => {
  assertEqual(pageErrors.join(' | '), '', 'uncaught page errors');
  assertEqual(foreign.join(', '), '', 'requests to other origins');
});

let ok = false;
try {
  ok = await suite.run(() => current);
} finally {
  await close();
}
console.log(`artifacts (screenshots, junit.xml): ${ART}`);
process.exit(ok ? 0 : 1);
