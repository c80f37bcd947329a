// Issue 4: selection by pointer and keyboard, zoom, resize, a hidden tab, touch and hover.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, colourCount, events, featurePoint, clearPoint, darkPixels, SHOTS, openDemo } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const demo = (opts = {}) => openDemo(browser, opts);

test('clicking a zone\'s label point selects it: event, outline pixels, panel', async () => {
  const { page, context, errors } = await demo();
  const before = await darkPixels(page);
  const [x, y] = await featurePoint(page, 'beizhanbei');
  await page.mouse.click(x, y);
  const sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.at(-1).detail, { id: 'beizhanbei', kind: 'zone', name: '北站北现代金融片区' });
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const afterSel = await darkPixels(page);
  assert.ok(afterSel > before + 200, `the selection outline is drawn (${before} → ${afterSel} near-black pixels)`);
  const panel = await page.evaluate(() => {
    const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
    return { hidden: p.hidden, title: p.querySelector('h2')?.textContent };
  });
  assert.deepEqual(panel, { hidden: false, title: '北站北现代金融片区' });
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').selected.id), 'beizhanbei');
  await page.screenshot({ path: `${SHOTS}selected-desktop.png` });
  // A click on empty map (east of the district, clear of the panel, legend and controls)
  // clears it.
  await page.mouse.click(1100, 700);
  assert.equal((await events(page, 'planmap-select')).at(-1).detail.id, null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('] moves through zones, Enter selects, Esc clears', async () => {
  const { page, context } = await demo();
  await page.evaluate(() => document.querySelector('plan-map').focus());
  await page.keyboard.press(']');
  await page.keyboard.press(']');
  await page.keyboard.press('Enter');
  let sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.at(-1).detail, { id: 'beiyunhe', kind: 'zone', name: '北运河文商旅片区' });
  const live = await page.evaluate(() => new Promise((r) => setTimeout(r, 100)).then(() => document.querySelector('plan-map').shadowRoot.querySelector('[role=status]').textContent));
  assert.match(live, /北运河文商旅片区/, 'the selection is announced');
  await page.keyboard.press('Escape');
  sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.at(-1).detail, { id: null, kind: null, name: null });
  const focused = await page.evaluate(() => document.querySelector('plan-map').shadowRoot.activeElement?.tagName);
  assert.equal(focused, 'CANVAS', 'focus stays on the map');
  await context.close();
});

test('wheel zooms about the pointer; keys pan and zoom; fit() restores; view is settable', async () => {
  const { page, context } = await demo();
  const el = () => page.evaluate(() => document.querySelector('plan-map').view);
  const v0 = await el();
  const [x, y] = await featurePoint(page, 'c6');
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, -400);
  const v1 = await el();
  assert.ok(v1.zoom > v0.zoom + 0.5, `wheel up zooms in (${v0.zoom} → ${v1.zoom})`);
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('canvas').focus());
  await page.keyboard.press('ArrowRight');
  const v2 = await el();
  assert.ok(v2.center[0] > v1.center[0], 'ArrowRight moves the view east');
  await page.keyboard.press('-');
  assert.ok((await el()).zoom < v2.zoom - 0.9);
  await page.evaluate(() => document.querySelector('plan-map').fit());
  const v3 = await el();
  assert.ok(Math.abs(v3.zoom - v0.zoom) < 1e-9);
  await page.evaluate(() => { document.querySelector('plan-map').view = { center: [123.43, 41.86], zoom: 13.5 }; });
  const v4 = await el();
  assert.ok(Math.abs(v4.center[0] - 123.43) < 1e-9 && Math.abs(v4.center[1] - 41.86) < 1e-9 && v4.zoom === 13.5, JSON.stringify(v4));
  await context.close();
});

test('resizing the container resizes the backing store and redraws', async () => {
  const { page, context } = await demo({ dpr: 2 });
  await page.evaluate(() => { document.querySelector('plan-map').style.height = '450px'; document.querySelector('plan-map').style.width = '500px'; });
  await page.waitForFunction(() => document.querySelector('plan-map').shadowRoot.querySelector('canvas').width === 1000);
  const dims = await page.evaluate(() => { const c = document.querySelector('plan-map').shadowRoot.querySelector('canvas'); return [c.width, c.height]; });
  assert.deepEqual(dims, [1000, 900]);
  assert.ok(await colourCount(page) > 20);
  await context.close();
});

test('a map first shown inside a hidden tab draws once the tab is shown', async () => {
  const { page, context, errors } = await open(browser, 'test/hidden.html', { size: [800, 600] });
  await page.waitForTimeout(300);
  assert.equal((await events(page, 'planmap-ready')).length, 0, 'nothing to draw while hidden');
  await page.evaluate(() => document.getElementById('tab').classList.remove('tab-hidden'));
  assert.equal(await ready(page), true);
  assert.ok(await colourCount(page) > 20, 'drawn after being shown');
  const labels = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
  assert.ok(labels.includes('C6科创走廊片区'), 'fitted to its real size');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tap selects and opens the bottom sheet; its close button dismisses it', async () => {
  const { page, context } = await demo({ size: [390, 844], dpr: 3, touch: true });
  const [x, y] = await clearPoint(page, 'c6', 16);
  await page.touchscreen.tap(x, y);
  const sel = await events(page, 'planmap-select');
  assert.equal(sel.at(-1).detail.id, 'c6');
  const sheet = await page.evaluate(() => {
    const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
    const r = p.getBoundingClientRect();
    return { hidden: p.hidden, bottom: Math.round(r.bottom), height: r.height, text: p.textContent };
  });
  assert.equal(sheet.hidden, false);
  assert.match(sheet.text, /首府未来城产城融合示范项目/, 'the zone\'s figures with their quote');
  await page.screenshot({ path: `${SHOTS}sheet-phone.png` });
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .close').click());
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel').hidden), true);
  assert.equal((await events(page, 'planmap-select')).at(-1).detail.id, null);
  await context.close();
});

test('hovering a zone with a mouse highlights it and shows a tooltip', async () => {
  const { page, context } = await demo();
  const [x, y] = await featurePoint(page, 'changjiangjie');
  await page.mouse.move(x, y);
  const tip = await page.evaluate(() => {
    const t = document.querySelector('plan-map').shadowRoot.querySelector('.tooltip');
    return { hidden: t.hidden, text: t.textContent };
  });
  assert.equal(tip.hidden, false);
  assert.match(tip.text, /长江街现代商贸片区/);
  await context.close();
});

test('select(id) from script, layer toggles and the accessible list', async () => {
  const { page, context } = await demo();
  const f = await page.evaluate(() => document.querySelector('plan-map').select('tawan_night_market', { zoom: true }));
  assert.deepEqual(f, { id: 'tawan_night_market', kind: 'project', name: '塔湾兴顺国际夜市' });
  const list = await page.evaluate(() => [...document.querySelector('plan-map').shadowRoot.querySelectorAll('.list button')].map((b) => [b.textContent, b.getAttribute('aria-pressed')]));
  assert.ok(list.length >= 46, 'zones, district and every project are in the list');
  assert.deepEqual(list.find(([t]) => t === '塔湾兴顺国际夜市'), ['塔湾兴顺国际夜市', 'true']);
  // Hiding the zones layer removes their labels from the canvas.
  await page.evaluate(() => document.querySelector('plan-map').select(null));
  await page.evaluate(() => document.querySelector('plan-map').fit());
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend h3 input').click());
  const labels = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
  assert.ok(!labels.includes('C6科创走廊片区'));
  await context.close();
});

test('the legend filters projects by status', async () => {
  const { page, context } = await demo();
  const before = await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelectorAll('.legend input[data-status]').length);
  assert.equal(before, 4, 'operating, under construction, planned, existing');
  const label = await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-status="planned"]').parentElement.textContent);
  assert.match(label, /^规划 \(\d+\)$/);
  await page.evaluate(() => { const el = document.querySelector('plan-map'); el.view = { center: [123.39, 41.84], zoom: 14.5 }; el.render(); });
  const labelsBefore = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
  assert.ok(labelsBefore.some((l) => l.startsWith('舍利塔文旅休闲示范区')), labelsBefore.join(','));
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-status="planned"]').click());
  await page.evaluate(() => document.querySelector('plan-map').render());
  const labelsAfter = await page.evaluate(() => document.querySelector('plan-map')._map.labelTexts());
  assert.ok(!labelsAfter.some((l) => l.startsWith('舍利塔文旅休闲示范区')), 'a planned project is hidden');
  assert.ok(labelsAfter.includes('塔湾兴顺国际夜市'), 'an operating one stays');
  await context.close();
});
