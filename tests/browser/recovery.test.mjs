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
  { kind: 'panic', lang: 'zh-CN', says: /^绘制“皇姑区”的图表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapOnDraw\)$/, shown: '绘制“皇姑区”的图表时出现内部错误' },
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
      (await loadCharts()).__testTrapOnDraw(kind);
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
    (await el._extrasFrom).__testTrapOnDraw('panic'); // the charts' own instance of the one module
    el.select('huanggu');
  });
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'planmap-error'));
  const errs = await events(page, 'planmap-error');
  assert.equal(errs.length, 1);
  assert.match(errs[0].detail.message, /^绘制“皇姑区”的图表时出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testTrapOnDraw\)$/);
  // The map is another instance: it draws and selects on.
  assert.deepEqual(await page.evaluate(() => {
    const el = document.querySelector('plan-map');
    return { render: el.render(), select: el.select('c6')?.id ?? el.selected?.id };
  }), { render: true, select: 'c6' });
  assert.equal(await drawn(), 9);
  assert.equal((await events(page, 'planmap-error')).length, 1);
  assert.ok(errors.every((e) => /^console: planmap/.test(e)), errors.join('\n'));
  await context.close();
});
