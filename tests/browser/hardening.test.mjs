// Issue 12: a keyboard model that is not a wall, el.focus(), recovery after a trap in the
// wasm, and a page that keeps answering with 100,000 points.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, events } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('Tab passes the map in at most 6 presses; ] and [ reach and Enter selects every zone and project', { timeout: 180000 }, async () => {
  const { page, context, errors } = await open(browser, 'test/keyboard.html');
  await ready(page);
  await page.focus('#before');
  let presses = 0;
  while (presses < 30) {
    await page.keyboard.press('Tab');
    presses++;
    if (await page.evaluate(() => document.activeElement?.id === 'after')) break;
  }
  assert.ok(presses <= 6, `Tab from the control before the map reaches the one after it in ${presses} presses`);

  await page.evaluate(() => document.getElementById('map').focus());
  assert.equal(await page.evaluate(() => document.getElementById('map').shadowRoot.activeElement?.tagName), 'CANVAS', 'el.focus() focuses the map');

  const expected = await page.evaluate(() => {
    const p = document.getElementById('map')._plan;
    return [...p.areas.filter((a) => a.kind === 'zone' || a.kind === 'district').map((a) => a.id), ...p.points.map((x) => x.id)];
  });
  assert.ok(expected.length > 40, `${expected.length} features`);
  const seen = new Set();
  for (let i = 0; i < expected.length + 5; i++) {
    await page.keyboard.press(']');
    seen.add(await page.evaluate(() => document.getElementById('map')._map.focusedId()));
  }
  assert.deepEqual(expected.filter((id) => !seen.has(id)), [], '] reaches every zone, the district and every project');
  const live = await page.evaluate(() => new Promise((r) => setTimeout(r, 100)).then(() => document.getElementById('map').shadowRoot.querySelector('[role=status]').textContent));
  assert.match(live, /^焦点：/, 'the focused feature is announced');
  // Walk back to the last project with [, select it with Enter.
  const last = expected.at(-1);
  for (let i = 0; i < expected.length && (await page.evaluate(() => document.getElementById('map')._map.focusedId())) !== last; i++) {
    await page.keyboard.press('[');
  }
  // The focus ring: the canvas outline is drawn when focus came from the keyboard (checked
  // before Enter, which takes focus into the details panel: issue 14).
  const outline = await page.evaluate(() => getComputedStyle(document.getElementById('map').shadowRoot.querySelector('canvas')).outlineStyle);
  assert.equal(outline, 'solid');
  await page.keyboard.press('Enter');
  const sel = await events(page, 'planmap-select');
  assert.equal(sel.at(-1).detail.id, last);
  assert.equal(sel.at(-1).detail.kind, 'project');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [hook, says] of [['__testPanic', /^地图出现内部错误 \(planmap: internal error: panicked at [^]*forced by __testPanic\)$/], ['__testOutOfMemory', /^内存不足，地图无法继续 \(out of memory \(an allocation of \d+ bytes failed\)\)$/]]) {
  test(`a trap (${hook}) is one clear planmap-error; later calls return quietly; a new src loads on a fresh instance`, { timeout: 180000 }, async () => {
    const { page, context, errors } = await open(browser, 'test/keyboard.html');
    await ready(page);
    const r = await page.evaluate((hook) => {
      const el = document.getElementById('map');
      el._call(() => el._core[hook]());
      // Later calls neither throw nor draw.
      const later = { select: el.select('c6'), render: el.render(), svg: el.toSVG() };
      return later;
    }, hook);
    assert.deepEqual(r, { select: null, render: false, svg: '' });
    const errs = await events(page, 'planmap-error');
    assert.equal(errs.length, 1, JSON.stringify(errs));
    assert.match(errs[0].detail.message, says);
    const shown = await page.evaluate(() => document.getElementById('map').shadowRoot.querySelector('.message').textContent);
    assert.match(shown, /^(地图出现内部错误|内存不足，地图无法继续)/, 'the message is shown in the widget, in its language');
    // The plan loads again, on a fresh wasm instance.
    await page.evaluate(() => document.getElementById('map').setAttribute('src', './../data/huanggu/plan.json'));
    await ready(page, '#map');
    const again = await page.evaluate(() => {
      const el = document.getElementById('map');
      return { zones: el._plan.areas.filter((a) => a.kind === 'zone').length, select: el.select('c6')?.id ?? el.selected?.id };
    });
    assert.deepEqual(again, { zones: 5, select: 'c6' });
    // No stale panic text in a later, unrelated error.
    await page.evaluate(() => document.getElementById('map').setAttribute('src', 'missing.json'));
    await page.waitForFunction(() => window.__events.filter((e) => e.type === 'planmap-error').length === 2);
    const second = (await events(page, 'planmap-error'))[1].detail.message;
    assert.ok(!/forced|out of memory/.test(second), second);
    assert.match(second, /missing\.json: HTTP 404/);
    // The page's own console errors are the reported ones only.
    assert.ok(errors.every((e) => /planmap|unreachable|404|RuntimeError/.test(e)), errors.join('\n'));
    await context.close();
  });
}

test('100,000 points keep the page answering: a frame within 1 s of setting src, a key within 100 ms', { timeout: 300000 }, async () => {
  const { page, context } = await open(browser, 'test/keyboard.html');
  await ready(page);
  const side = 317;
  const features = [];
  for (let i = 0; i < 100000; i++) {
    features.push({ type: 'Feature', properties: { name: `点 ${i}` }, geometry: { type: 'Point', coordinates: [123.3 + (i % side) * 1e-4, 41.8 + Math.floor(i / side) * 1e-4] } });
  }
  const body = JSON.stringify({ type: 'FeatureCollection', features });
  await page.route('**/test/big.geojson', (route) => route.fulfill({ status: 200, contentType: 'application/geo+json', body }));
  const before = await page.evaluate(() => document.getElementById('map')._plan.points.length);
  const frame = await page.evaluate(() => new Promise((resolve) => {
    const el = document.getElementById('map');
    const t0 = performance.now();
    el.setAttribute('src', 'big.geojson');
    requestAnimationFrame(() => resolve(performance.now() - t0));
  }));
  assert.ok(frame < 1000, `a frame ${frame.toFixed(0)} ms after setting src`);
  // ready resolved with the first plan; the new src is in once its points are listed.
  await page.waitForFunction((n) => document.getElementById('map')._plan?.points.length !== n, before, { timeout: 120000 });
  assert.equal(await page.evaluate(() => document.getElementById('map')._plan.points.length), 100000);
  const key = await page.evaluate(() => {
    const el = document.getElementById('map');
    el.focus();
    const c = el.shadowRoot.querySelector('canvas');
    const t0 = performance.now();
    c.dispatchEvent(new KeyboardEvent('keydown', { key: ']', bubbles: true, cancelable: true }));
    return performance.now() - t0;
  });
  assert.ok(key < 100, `a key press handled in ${key.toFixed(1)} ms`);
  await context.close();
});
