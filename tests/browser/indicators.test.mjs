// Issue 5: the district's figures in the panel, charts and progress, the data table and CSV,
// the choropleth and the year switch, and provenance from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, pixel, SHOTS, openDemo } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const demo = (opts = {}) => openDemo(browser, opts);

const panel = (page, fn) => page.evaluate(fn);

test('selecting the district shows its figures, progress bars and charts', async () => {
  const { page, context, errors } = await demo({ dpr: 2 });
  await page.evaluate(() => new Promise((r) => { const el = document.querySelector('plan-map'); el.addEventListener('planmap-charts', r, { once: true }); el.select('huanggu'); }));
  const info = await panel(page, () => {
    const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
    const rows = [...p.querySelectorAll('tbody tr:not([hidden])')].map((tr) => tr.textContent);
    const progress = [...p.querySelectorAll('canvas.progress')].map((c) => c.getAttribute('aria-label'));
    const charts = [...p.querySelectorAll('canvas.chart')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
      return { w: c.width, cw: c.clientWidth, ink };
    });
    return { rows, progress, charts };
  });
  assert.equal(info.rows.length, 62, 'one row per district value');
  assert.ok(info.rows.some((r) => r.includes('地区生产总值') && r.includes('569.7')));
  assert.ok(info.progress.some((l) => l.includes('170') && l.includes('500') && l.includes('34%')), info.progress.join(' | '));
  assert.equal(info.charts.length, 6);
  for (const c of info.charts) {
    assert.equal(c.w, c.cw * 2, 'charts are drawn at DPR 2');
    assert.ok(c.ink > 500, 'the chart has content');
  }
  await page.screenshot({ path: `${SHOTS}district-panel.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a value\'s quote opens from the keyboard', async () => {
  const { page, context } = await demo();
  await page.evaluate(() => document.querySelector('plan-map').select('huanggu'));
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .quote-btn').focus());
  await page.keyboard.press('Enter');
  const q = await panel(page, () => {
    const b = document.querySelector('plan-map').shadowRoot.querySelector('.panel .quote-btn');
    const row = document.querySelector('plan-map').shadowRoot.getElementById(b.getAttribute('aria-controls'));
    return { expanded: b.getAttribute('aria-expanded'), hidden: row.hidden, text: row.textContent };
  });
  assert.deepEqual([q.expanded, q.hidden], ['true', false]);
  assert.match(q.text, /2020年,皇姑区预计地区生产总值完成569.7 亿元/);
  assert.match(q.text, /第一章 第一节/);
  await context.close();
});

test('the data table has one row per value, sorts, and the CSV has a BOM and every row', async () => {
  const { page, context } = await demo();
  await page.evaluate(() => document.querySelector('plan-map').showTable());
  const t = await panel(page, () => {
    const tb = document.querySelector('plan-map').shadowRoot.querySelector('.datatable');
    return { hidden: tb.hidden, rows: tb.querySelectorAll('tbody tr').length, heads: [...tb.querySelectorAll('thead th')].map((th) => th.textContent) };
  });
  assert.equal(t.hidden, false);
  assert.equal(t.rows, 65);
  assert.deepEqual(t.heads, ['区域', '指标', '数值', '单位', '年份', '类型', '出处', '规划原文']);
  // Sort by value, descending after two clicks.
  for (let k = 0; k < 2; k++) {
    await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.datatable th[data-key="value"] button').click());
    await page.waitForTimeout(50);
  }
  const sorted = await panel(page, () => {
    const tb = document.querySelector('plan-map').shadowRoot.querySelector('.datatable');
    return { sort: tb.querySelector('th[data-key="value"]').getAttribute('aria-sort'), first: tb.querySelector('tbody tr td.num').textContent };
  });
  assert.deepEqual(sorted, { sort: 'descending', first: '5,711' });
  const csv = await page.evaluate(async () => {
    const blob = await document.querySelector('plan-map').downloadCSV();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    return { bom: [...bytes.slice(0, 3)], lines: text.split('\r\n').filter((l) => l).length, quoted: text.includes('"') };
  });
  assert.deepEqual(csv.bom, [0xef, 0xbb, 0xbf]);
  assert.equal(csv.lines, 66, 'a header and 65 rows');
  assert.ok(csv.quoted, 'quotes with commas are quoted');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.datatable').hidden), true);
  await context.close();
});

test('setIndicator colours the zones and shows a scale; the year switch changes values and the hash', async () => {
  const { page, context } = await demo();
  const at = await page.evaluate(() => { const el = document.querySelector('plan-map'); return JSON.parse(el._map.screenPoint('c6')); });
  const probe = [at[0] + 30, at[1] + 40];
  const before = await pixel(page, ...probe);
  await page.evaluate(() => document.querySelector('plan-map').setIndicator('shoufu_tech_enterprises'));
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const coloured = await pixel(page, ...probe);
  assert.notDeepEqual(coloured, before, 'C6 changes colour');
  const scale = await panel(page, () => document.querySelector('plan-map').shadowRoot.querySelector('.legend .scale').textContent);
  assert.match(scale, /40/);
  assert.match(scale, /无数据/);
  assert.match(await page.evaluate(() => location.hash), /indicator=shoufu_tech_enterprises/);
  // 2015: the plan gives no figure for C6 then: the zone turns to the no-data hatch.
  await page.evaluate(() => document.querySelector('plan-map').setYear(2015));
  await page.waitForTimeout(500);
  const hatched = await pixel(page, ...probe);
  assert.notDeepEqual(hatched, coloured, 'no 2015 value: the colour goes');
  assert.match(await page.evaluate(() => location.hash), /year=2015/);
  await page.evaluate(() => document.querySelector('plan-map').select('huanggu'));
  const current = await panel(page, () => [...document.querySelector('plan-map').shadowRoot.querySelectorAll('.panel tr.current-year th')].map((th) => th.textContent));
  assert.deepEqual(current, ['高新技术企业', '双创载体', '双创（孵化）载体面积'], '2015 rows are the baselines');
  await page.screenshot({ path: `${SHOTS}choropleth-2015.png` });
  await context.close();
});

test('in English, with its long units ("100 million yuan"), every figure and its source button stay inside the panel, figures unbroken', async () => {
  for (const size of [[1440, 900], [390, 844]]) {
    const { page, context, errors } = await demo({ size });
    await page.evaluate(() => document.querySelector('plan-map').setAttribute('lang', 'en'));
    await ready(page);
    await page.evaluate(() => new Promise((r) => { const el = document.querySelector('plan-map'); el.addEventListener('planmap-charts', r, { once: true }); el.select('huanggu'); }));
    const cells = await panel(page, () => {
      const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
      const right = p.getBoundingClientRect().right;
      return [...p.querySelectorAll('td.num')].map((td) => ({
        text: td.textContent,
        past: Math.max(...[...td.querySelectorAll('button, .figure')].map((e) => e.getBoundingClientRect().right)) - right,
        figureLines: td.querySelector('.figure').getClientRects().length, // one box per line it spans
      }));
    });
    assert.ok(cells.some((c) => c.text.includes('100 million yuan')), 'the long unit is shown');
    // The progress bars and charts sit in the panel's flow (a loading box's class once pulled
    // them out over the sheet's header).
    const placed = await panel(page, () => [...document.querySelector('plan-map').shadowRoot.querySelectorAll('.panel .charts canvas')].map((c) => getComputedStyle(c).position));
    assert.ok(placed.length >= 3, `${placed.length} chart canvases`);
    assert.deepEqual(placed.filter((p) => p !== 'static'), [], 'chart canvases are in the flow of the panel');
    for (const c of cells) {
      assert.ok(c.past <= 0.5, `${size}: "${c.text}" reaches ${c.past.toFixed(1)} px past the panel's edge`);
      assert.ok(c.figureLines <= 1, `${size}: the figure of "${c.text}" is broken over lines`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
