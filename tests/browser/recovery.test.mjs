// Issue 12, recovery beyond the map module: a trap in the charts module is one planmap-error
// and the next charts draw on a fresh instance while the map goes on; the one-file build
// recovers from a trap like the split build; network and cross-origin failures are named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { launch, open, ready, colourCount, events, SHOTS } from './helpers.mjs';

const DIST = process.env.PLANMAP_DIST ?? new URL('../../dist/', import.meta.url).pathname;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Selects `id` and resolves with the planmap-charts detail once its charts are drawn. */
function chartsOf(page, id) {
  return page.evaluate((id) => new Promise((resolve) => {
    const el = document.getElementById('map');
    el.addEventListener('planmap-charts', (e) => resolve(e.detail), { once: true });
    el.select(id);
  }), id);
}

/** How many of the panel's chart canvases have anything drawn on them. */
function drawnCharts(page) {
  return page.evaluate(() => [...document.getElementById('map').shadowRoot.querySelectorAll('.charts canvas')].filter((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
    return false;
  }).length);
}

const CHART_TRAPS = [
  { kind: 'panic', lang: 'zh-CN', says: /^绘制“皇姑区”的图表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapNextCall\)$/, shown: '绘制“皇姑区”的图表时出现内部错误' },
  { kind: 'oom', lang: 'en', says: /^Out of memory while drawing the charts of Huanggu District \(out of memory \(an allocation of \d+ bytes failed\)\)$/, shown: 'Out of memory while drawing the charts of Huanggu District' },
];

for (const { kind, lang, says, shown } of CHART_TRAPS) {
  test(`a trap (${kind}) in the charts module is one planmap-error in the panel's language; the map goes on and the next charts draw`, { timeout: 180000 }, async () => {
    const { page, context, errors } = await open(browser, 'test/keyboard.html', { size: [1440, 900] });
    await ready(page);
    await page.evaluate((lang) => document.getElementById('map').setAttribute('lang', lang), lang);
    // The district's charts draw before the trap (the extras module is loaded and working).
    assert.equal((await chartsOf(page, 'huanggu')).count, 9);
    await page.evaluate(() => document.getElementById('map').select(null));
    // Arm the charts module's test hook: its next chart draw traps.
    await page.evaluate(async (kind) => {
      const { loadCharts } = await import(new URL('../planmap-wasm.js', location.href).href);
      window.__trapped = await loadCharts();
      window.__trapped.__testTrapNextCall(kind);
      document.getElementById('map').select('huanggu');
    }, kind);
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'planmap-error'));
    await page.waitForTimeout(300); // a second event would come now
    const errs = await events(page, 'planmap-error');
    assert.equal(errs.length, 1, JSON.stringify(errs));
    assert.match(errs[0].detail.message, says);
    const box = await page.evaluate(() => document.getElementById('map').shadowRoot.querySelector('.panel .charts')?.textContent);
    assert.equal(box, shown, 'the panel says what happened where the charts would be');
    await page.screenshot({ path: `${SHOTS}charts-trap-${kind}-desktop.png` });
    // The map goes on: it draws, selects, and shows no failure message.
    const map = await page.evaluate(() => {
      const el = document.getElementById('map');
      return { render: el.render(), select: el.select('c6')?.id ?? el.selected?.id, message: el.shadowRoot.querySelector('.message').hidden };
    });
    assert.deepEqual(map, { render: true, select: 'c6', message: true });
    assert.ok(await colourCount(page) > 20, 'the map is drawn');
    // The next charts draw, on a fresh instance of the charts module.
    assert.equal((await chartsOf(page, 'huanggu')).count, 9);
    assert.equal(await drawnCharts(page), 9, 'every chart canvas has pixels');
    assert.equal(await page.evaluate(async () => {
      const { loadCharts } = await import(new URL('../planmap-wasm.js', location.href).href);
      return (await loadCharts()) !== window.__trapped;
    }), true, 'they were drawn by a fresh instance of the charts module, not the one that trapped');
    // The table (the same module) works too, and nothing more was reported.
    const rows = await page.evaluate(async () => {
      const el = document.getElementById('map');
      await el.showTable();
      return el.shadowRoot.querySelectorAll('.datatable tbody tr').length;
    });
    assert.ok(rows >= 60, `${rows} rows`);
    assert.equal((await events(page, 'planmap-error')).length, 1);
    // No stale panic text in a later, unrelated error.
    await page.evaluate(() => document.getElementById('map').setAttribute('src', 'missing.json'));
    await page.waitForFunction(() => window.__events.filter((e) => e.type === 'planmap-error').length === 2);
    const second = (await events(page, 'planmap-error'))[1].detail.message;
    assert.match(second, /missing\.json: HTTP 404\)$/);
    assert.ok(!/forced|out of memory/.test(second), second);
    assert.ok(errors.every((e) => /^console: (planmap|.*404)/.test(e)), errors.join('\n'));
    await context.close();
  });
}

/** A folder in dist/ holding the standalone file alone next to the data, as deployed. */
function standaloneFolder(name) {
  const dir = `${DIST}/${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const f of ['planmap.standalone.js', 'favicon.svg']) cpSync(`${DIST}/${f}`, `${dir}/${f}`);
  cpSync(`${DIST}/test/alone.html`, `${dir}/index.html`);
  cpSync(`${DIST}/test/fixtures.css`, `${dir}/fixtures.css`);
  cpSync(`${DIST}/data`, `${dir}/data`, { recursive: true });
  return `${name}/index.html`;
}

for (const [hook, says] of [['__testPanic', /^地图出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testPanic\)$/], ['__testOutOfMemory', /^内存不足，地图无法继续 \(out of memory \(an allocation of \d+ bytes failed\)\)$/]]) {
  test(`the one-file build recovers from a trap (${hook}) like the split build: one planmap-error, then the plan loads again`, { timeout: 180000 }, async () => {
    const { page, context, errors } = await open(browser, standaloneFolder('alone-trap'), { size: [1440, 900] });
    await ready(page);
    const later = await page.evaluate((hook) => {
      const el = document.querySelector('plan-map');
      el._call(() => el._core[hook]());
      return { select: el.select('c6'), render: el.render(), svg: el.toSVG() };
    }, hook);
    assert.deepEqual(later, { select: null, render: false, svg: '' });
    const errs = await events(page, 'planmap-error');
    assert.equal(errs.length, 1, JSON.stringify(errs));
    assert.match(errs[0].detail.message, says);
    // The plan loads again, on a fresh instance made from the inlined wasm.
    await page.evaluate(() => {
      const el = document.querySelector('plan-map');
      el.shadowRoot.querySelector('canvas').getContext('2d').clearRect(0, 0, 1e4, 1e4);
      el.setAttribute('src', 'data/huanggu/plan.json?again');
    });
    assert.equal(await ready(page), true);
    const again = await page.evaluate(() => {
      const el = document.querySelector('plan-map');
      return { zones: el._plan.areas.filter((a) => a.kind === 'zone').length, select: el.select('c6')?.id ?? el.selected?.id, message: el.shadowRoot.querySelector('.message').hidden };
    });
    assert.deepEqual(again, { zones: 5, select: 'c6', message: true });
    assert.ok(await colourCount(page) > 20, 'the zones are drawn again');
    assert.equal((await events(page, 'planmap-error')).length, 1);
    assert.ok(errors.every((e) => /^console: planmap/.test(e)), errors.join('\n'));
    await context.close();
  });
}

test('in the one-file build a trap in the charts part leaves the map working and the next charts draw', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, standaloneFolder('alone-charts-trap'), { size: [1440, 900] });
  await ready(page);
  const drawn = () => page.evaluate(() => new Promise((resolve) => {
    const el = document.querySelector('plan-map');
    el.addEventListener('planmap-charts', (e) => resolve(e.detail.count), { once: true });
    el.select(null);
    el.select('huanggu');
  }));
  assert.equal(await drawn(), 9);
  await page.evaluate(async () => {
    const el = document.querySelector('plan-map');
    el.select(null);
    window.__trapped = await el._extrasFrom; // the charts' own instance of the one module
    window.__trapped.__testTrapNextCall('panic');
    el.select('huanggu');
  });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'planmap-error'));
  const errs = await events(page, 'planmap-error');
  assert.equal(errs.length, 1);
  assert.match(errs[0].detail.message, /^绘制“皇姑区”的图表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapNextCall\)$/);
  // The map is another instance: it draws and selects on.
  assert.deepEqual(await page.evaluate(() => {
    const el = document.querySelector('plan-map');
    return { render: el.render(), select: el.select('c6')?.id ?? el.selected?.id };
  }), { render: true, select: 'c6' });
  assert.equal(await drawn(), 9);
  assert.deepEqual(await page.evaluate(async () => {
    const el = document.querySelector('plan-map');
    const charts = await el._extrasFrom;
    return { fresh: charts !== window.__trapped, map: charts !== el._core };
  }), { fresh: true, map: true }, 'a fresh charts instance, apart from the map\'s');
  assert.equal((await events(page, 'planmap-error')).length, 1);
  assert.ok(errors.every((e) => /^console: planmap/.test(e)), errors.join('\n'));
  await context.close();
});

/** Sets the src of the map of test/nosrc.html and resolves with the planmap-ready or
 * planmap-error event that follows. */
function load(page, src) {
  return page.evaluate((src) => new Promise((resolve) => {
    const el = document.getElementById('map');
    const done = (e) => resolve({ type: e.type, detail: e.detail });
    el.addEventListener('planmap-ready', done, { once: true });
    el.addEventListener('planmap-error', done, { once: true });
    customElements.whenDefined('plan-map').then(() => el.setAttribute('src', src));
    el.setAttribute('src', src);
  }), src);
}

test('a layer on another origin is refused, named and never requested; the rest of the plan draws', { timeout: 120000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/nosrc.html');
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  // Anything that did leave for the other origin would be seen here (and answered).
  await context.route(/^https?:\/\/other\.example\//, (route) => { requested.push(`routed ${route.request().url()}`); route.fulfill({ status: 200, body: '{}' }); });
  const manifest = JSON.parse(await (await page.request.get(new URL('/data/huanggu/plan.json', page.url()).href)).text());
  manifest.layers.projects = 'http://other.example/projects.geojson';
  manifest.layers.lines = '//other.example/lines.geojson';
  await page.route('**/data/huanggu/cross-origin.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(manifest) }));
  const ev = await load(page, '../data/huanggu/cross-origin.json');
  assert.equal(ev.type, 'planmap-ready', JSON.stringify(ev.detail));
  const refused = ev.detail.warnings.filter((w) => /other\.example/.test(w));
  assert.deepEqual(refused, [
    'cross-origin.json: layers.lines: "//other.example/lines.geojson" is refused: it is absolute; a layer must be a relative path inside the manifest\'s folder; layer skipped',
    'cross-origin.json: layers.projects: "http://other.example/projects.geojson" is refused: it names a scheme or drive (a URL or C:), not a file beside the manifest; a layer must be a relative path inside the manifest\'s folder; layer skipped',
  ]);
  assert.deepEqual(requested.filter((u) => /other\.example/.test(u)), [], 'no request left for the other origin');
  const plan = await page.evaluate(() => { const p = document.getElementById('map')._plan; return { zones: p.areas.filter((a) => a.kind === 'zone').length, points: p.points.length, lines: p.lines?.length ?? 0 }; });
  assert.deepEqual(plan, { zones: 5, points: 0, lines: 0 });
  assert.ok(await colourCount(page, '#map') > 20, 'the zones are drawn');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a layer lost to the network is reported as a network error naming it, not "file not found"; the rest draws', { timeout: 120000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/nosrc.html');
  await page.route('**/data/huanggu/zones.geojson', (route) => route.abort('internetdisconnected'));
  await page.route('**/data/huanggu/lines.geojson', (route) => route.abort('namenotresolved'));
  const ev = await load(page, '../data/huanggu/plan.json');
  assert.equal(ev.type, 'planmap-ready', JSON.stringify(ev.detail));
  const named = ev.detail.warnings.filter((w) => /^(zones|lines)\.geojson:/.test(w));
  assert.deepEqual(named, [
    'zones.geojson: network error (Failed to fetch); layer "zones" skipped',
    'lines.geojson: network error (Failed to fetch); layer "lines" skipped',
  ]);
  assert.ok(!ev.detail.warnings.some((w) => /not found/.test(w)), ev.detail.warnings.join('\n'));
  const plan = await page.evaluate(() => { const p = document.getElementById('map')._plan; return { zones: p.areas.filter((a) => a.kind === 'zone').length, district: p.areas.some((a) => a.kind === 'district'), points: p.points.length }; });
  assert.equal(plan.zones, 0);
  assert.equal(plan.district, true, 'the boundary layer came');
  assert.ok(plan.points > 40, `${plan.points} projects drawn`);
  assert.ok(await colourCount(page, '#map') > 10, 'the map is drawn');
  assert.ok(errors.every((e) => /ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED/.test(e)), errors.join('\n'));
  await context.close();
});

test('a src lost to the network fails with a message saying network error, in the widget and in planmap-error', { timeout: 120000 }, async () => {
  const { page, context } = await open(browser, 'test/nosrc.html');
  await page.route('**/test/unreachable.json', (route) => route.abort('connectionrefused'));
  const ev = await load(page, 'unreachable.json');
  assert.equal(ev.type, 'planmap-error');
  assert.equal(ev.detail.message, '无法加载地图数据：unreachable.json (/test/unreachable.json: network error (Failed to fetch))');
  const shown = await page.evaluate(() => { const m = document.getElementById('map').shadowRoot.querySelector('.message'); return m.hidden ? null : m.textContent; });
  assert.equal(shown, '无法加载地图数据：unreachable.json/test/unreachable.json: network error (Failed to fetch)');
  await context.close();
});

test('after a trap every later call returns quietly or rejects with a clear error, keys and pointer throw nothing, and a new src brings it all back', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/keyboard.html');
  await ready(page);
  const after = await page.evaluate(async () => {
    const el = document.getElementById('map');
    el._call(() => el._core.__testPanic());
    /** What each call did: its value, or the message it threw or rejected with. */
    const out = {};
    const run = async (name, f) => {
      try {
        const v = await f();
        out[name] = v instanceof Blob ? `Blob ${v.type}` : v ?? null;
      } catch (e) {
        out[name] = `threw ${e.message}`;
      }
    };
    await run('render', () => el.render());
    await run('select', () => el.select('c6'));
    await run('view', () => el.view);
    await run('setView', () => { el.view = { center: [123.4, 41.8], zoom: 3 }; });
    await run('fit', () => el.fit());
    await run('setIndicator', () => el.setIndicator('gdp'));
    await run('setYear', () => el.setYear(2020));
    await run('present', () => { el.present(); el.next(); el.prev(); });
    await run('refreshStyle', () => el.refreshStyle());
    await run('lang', () => el.setAttribute('lang', 'en'));
    await run('toSVG', () => el.toSVG());
    await run('toPNG', () => el.toPNG());
    await run('showTable', () => el.showTable());
    await run('downloadCSV', () => el.downloadCSV());
    return out;
  });
  const stopped = 'threw planmap: the map stopped after an internal error (see planmap-error); set src to load it again';
  assert.deepEqual(after, {
    render: false, select: null, view: null, setView: null, fit: null, setIndicator: null, setYear: null, present: null,
    refreshStyle: null, lang: null, toSVG: '', toPNG: stopped, showTable: stopped, downloadCSV: stopped,
  });
  // The keyboard and the pointer on the canvas throw nothing either.
  await page.focus('#before');
  await page.keyboard.press('Tab');
  for (const k of [']', 'Enter', 'ArrowLeft', '+', '0', 'Escape']) await page.keyboard.press(k);
  const box = await page.evaluate(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; });
  await page.mouse.move(box[0], box[1]);
  await page.mouse.move(box[0] + 20, box[1] + 10);
  await page.mouse.click(box[0], box[1]);
  await page.mouse.wheel(0, -200);
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForTimeout(300);
  assert.equal((await events(page, 'planmap-error')).length, 1);
  assert.deepEqual(errors.filter((e) => !/^console: planmap: (internal error: panicked|The map hit an internal error|地图出现内部错误)/.test(e)), []);
  // A new src: every call works again.
  await page.evaluate(() => document.getElementById('map').setAttribute('src', '../data/huanggu/plan.json?again'));
  assert.equal(await ready(page, '#map'), true);
  const again = await page.evaluate(async () => {
    const el = document.getElementById('map');
    const png = await el.toPNG(1);
    await el.showTable();
    const csv = await el.downloadCSV();
    return {
      select: el.select('c6')?.id ?? el.selected?.id, render: el.render(), svg: el.toSVG().startsWith('<svg'),
      png: [png.type, png.size > 1000], rows: el.shadowRoot.querySelectorAll('.datatable tbody tr').length > 60, csv: csv.size > 1000,
    };
  });
  assert.deepEqual(again, { select: 'c6', render: true, svg: true, png: ['image/png', true], rows: true, csv: true });
  await context.close();
});

test('a trap while the table fills is one planmap-error, said in the table; the next opening fills it', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/keyboard.html');
  await ready(page);
  const r = await page.evaluate(async () => {
    const el = document.getElementById('map');
    const { loadCharts } = await import(new URL('../planmap-wasm.js', location.href).href);
    (await loadCharts()).__testTrapNextCall('panic');
    const first = await el.showTable().then(() => 'resolved', (e) => `rejected ${e.message}`);
    const table = el.shadowRoot.querySelector('.datatable');
    const shown = { hidden: table.hidden, text: table.querySelector('p')?.textContent };
    table.hidden = true;
    await el.showTable();
    return { first, shown, rows: table.querySelectorAll('tbody tr').length };
  });
  assert.deepEqual(r.first, 'rejected 生成数据表时出现内部错误');
  assert.deepEqual(r.shown, { hidden: false, text: '生成数据表时出现内部错误' });
  assert.ok(r.rows >= 60, `${r.rows} rows on the fresh instance`);
  const errs = await events(page, 'planmap-error');
  assert.equal(errs.length, 1);
  assert.match(errs[0].detail.message, /^生成数据表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapNextCall\)$/);
  assert.ok(errors.every((e) => /^console: planmap/.test(e)), errors.join('\n'));
  await context.close();
});
