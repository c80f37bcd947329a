// Issue 2: the demo loads in real Chromium, draws a real picture at the right resolution, and a
// broken src gives a readable message and planmap-error while the page keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, colourCount, events, SHOTS } from './helpers.mjs';

const ZONES = ['C6科创走廊片区', '北运河文商旅片区', '北站北现代金融片区', '长江街现代商贸片区', '北部大学城双创片区'];
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, size, dpr, touch] of [['desktop', [1440, 900], 1, false], ['phone', [390, 844], 3, true], ['tablet', [820, 1180], 2, true], ['browser zoom 125%', [1152, 720], 1.25, false]]) {
  test(`demo at ${name} ${size.join('×')} DPR ${dpr}: ready, not blank, crisp, all zone names`, async () => {
    const { page, errors, context } = await open(browser, 'index.html', { size, dpr, touch });
    assert.equal(await ready(page), true);
    const readyEvents = await events(page, 'planmap-ready');
    assert.equal(readyEvents.length, 1, 'planmap-ready fires once');
    assert.ok(await colourCount(page) > 20, 'the canvas shows a picture, not a flat fill');
    const dims = await page.evaluate(() => {
      const c = document.querySelector('plan-map').shadowRoot.querySelector('canvas');
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
    });
    assert.equal(dims.w, Math.round(dims.cw * dpr), 'backing width = DPR × CSS width');
    assert.equal(dims.h, Math.round(dims.ch * dpr), 'backing height = DPR × CSS height');
    const labels = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
    for (const z of ZONES) assert.ok(labels.includes(z), `${z} is labelled on the map (${labels.join(', ')})`);
    await page.screenshot({ path: `${SHOTS}smoke-${name.replace(/\W+/g, '-')}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the embed page works with the two lines and the strict CSP header', async () => {
  const { page, errors, context } = await open(browser, 'embed.html', { size: [1440, 900] });
  const res = await page.request.get(page.url());
  assert.match(res.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(await ready(page), true);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.ok(await colourCount(page) > 20);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a src that 404s shows a message in the element\'s language and fires planmap-error; the page keeps working', async () => {
  const { page, context } = await open(browser, 'test/missing.html', { size: [800, 900] });
  await page.waitForFunction(() => window.__events.filter((e) => e.type === 'planmap-error').length === 2);
  const errs = await events(page, 'planmap-error');
  for (const e of errs) assert.match(e.detail.message, /does-not-exist\.json.*404/);
  const texts = await page.evaluate(() => ['zh', 'en'].map((id) => {
    const m = document.getElementById(id).shadowRoot.querySelector('.message');
    return { hidden: m.hidden, text: m.textContent, role: m.getAttribute('role') };
  }));
  assert.equal(texts[0].hidden, false);
  assert.match(texts[0].text, /无法加载地图数据/);
  assert.match(texts[1].text, /Could not load the map data/);
  assert.equal(texts[0].role, 'alert');
  const rejected = await page.evaluate(() => document.getElementById('zh').ready.then(() => 'resolved', (e) => e.message));
  assert.match(rejected, /404/);
  await page.click('#after');
  assert.equal(await page.textContent('#after'), '1', 'the host page still works');
  await context.close();
});

test('lang="en" puts the map, legend, list and messages in English', async () => {
  const { page, errors, context } = await open(browser, 'index.html', { size: [1440, 900] });
  await ready(page);
  await page.evaluate(() => document.querySelector('plan-map').setAttribute('lang', 'en'));
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const en = await page.evaluate(() => {
    const el = document.querySelector('plan-map');
    const root = el.shadowRoot;
    return {
      labels: el._map.labelTexts(),
      legend: root.querySelector('.legend summary').textContent,
      list: root.querySelector('.list summary').textContent,
      zoom: root.querySelector('.controls button').getAttribute('aria-label'),
      aria: root.querySelector('canvas').getAttribute('aria-label'),
    };
  });
  for (const z of ['C6 Sci-Tech Corridor', 'North Canal Culture, Commerce & Tourism', 'Changjiang Street Modern Commerce']) assert.ok(en.labels.includes(z), `${z}: ${en.labels}`);
  assert.deepEqual([en.legend, en.zoom], ['Legend', 'Zoom in']);
  // 5 zones, the district, 2 lines (北运河, 黄河北大街) and 41 projects.
  assert.match(en.list, /^Zones and projects \(49\)$/);
  assert.match(en.aria, /^Huanggu District, Shenyang: 14th Five-Year Plan \(2022 update\): map with 5 development zones and 41 projects/);
  await page.evaluate(() => document.querySelector('plan-map').select('c6'));
  assert.match(await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel').textContent), /Development zone · schematic outline/);
  assert.deepEqual(errors, []);
  await context.close();
});
