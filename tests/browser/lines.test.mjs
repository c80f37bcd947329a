// Issue 10: lines are features like the others. A bare LineString is a valid src and draws
// ink along its course; the canal is selected by a tap beside it on a phone; Tab reaches a
// line; the legend hides the lines layer; the SVG export holds each line's path and name;
// a file with nothing to draw says so instead of showing an empty canvas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, events, openDemo, SHOTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * CSS-pixel positions (inside the element's canvas) of lon/lat points under the element's
 * current view: Web Mercator at 256·2^zoom pixels per world, as the map draws.
 */
async function toScreen(page, selector, lonlats) {
  return page.evaluate(([s, pts]) => {
    const el = document.querySelector(s);
    const c = el.shadowRoot.querySelector('canvas');
    const { center, zoom } = el.view;
    const world = 256 * 2 ** zoom;
    const merc = ([lon, lat]) => {
      const phi = (lat * Math.PI) / 180;
      return [((lon + 180) / 360) * world, ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * world];
    };
    const [cx, cy] = merc(center);
    return pts.map((p) => { const [x, y] = merc(p); return [x - cx + c.clientWidth / 2, y - cy + c.clientHeight / 2]; });
  }, [selector, lonlats]);
}

/** Canvas pixels within `tol` of colour `rgb`, over the whole canvas or a box of CSS px. */
async function inkCount(page, selector, rgb, tol = 24, box = null) {
  return page.evaluate(([s, rgb, tol, box]) => {
    const c = document.querySelector(s).shadowRoot.querySelector('canvas');
    const k = c.width / c.clientWidth;
    const [x0, y0, w, hh] = box ? [box[0] * k, box[1] * k, box[2] * k, box[3] * k].map(Math.round) : [0, 0, c.width, c.height];
    const d = c.getContext('2d').getImageData(Math.max(0, x0), Math.max(0, y0), Math.max(1, w), Math.max(1, hh)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol) n++;
    }
    return n;
  }, [selector, rgb, tol, box]);
}

const CANAL_BLUE = [0x1f, 0x78, 0xc8];
const LINE_MAGENTA = [0xaa, 0x33, 0x77];
const CANAL = [[123.387, 41.8385], [123.398, 41.8365], [123.411, 41.8365], [123.4185, 41.842], [123.435, 41.8445], [123.452, 41.846]];

test('a bare LineString file as src draws ink along its course and nowhere else', async () => {
  const { page, context, errors } = await open(browser, 'test/line.html', { size: [800, 900] });
  await ready(page, '#line');
  const course = [[123.40, 41.80], [123.45, 41.85], [123.50, 41.82]];
  const samples = [];
  for (let s = 0; s < course.length - 1; s++) {
    for (const t of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      samples.push([course[s][0] + t * (course[s + 1][0] - course[s][0]), course[s][1] + t * (course[s + 1][1] - course[s][1])]);
    }
  }
  const pts = await toScreen(page, '#line', samples);
  for (const [x, y] of pts) {
    const n = await inkCount(page, '#line', LINE_MAGENTA, 30, [x - 3, y - 3, 7, 7]);
    assert.ok(n >= 4, `ink at (${x.toFixed(0)}, ${y.toFixed(0)}): ${n} line pixels`);
  }
  // 40 px beside the course (perpendicular enough: straight down from each sample) is blank.
  for (const [x, y] of pts.slice(0, 5)) {
    assert.equal(await inkCount(page, '#line', LINE_MAGENTA, 30, [x - 3, y + 40, 7, 7]), 0);
  }
  const warnings = await page.evaluate(() => document.querySelector('#line')._plan?.warnings ?? []);
  assert.deepEqual(warnings, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file with nothing to draw shows why instead of an empty canvas, and lists its feature', async () => {
  const { page, context, errors } = await open(browser, 'test/line.html', { size: [800, 900] });
  await ready(page, '#nothing');
  const st = await page.evaluate(() => {
    const root = document.querySelector('#nothing').shadowRoot;
    const msg = root.querySelector('.nothing');
    return { shown: !!msg && !msg.hidden && msg.getBoundingClientRect().height > 0, text: msg?.textContent ?? '',
      listed: [...root.querySelectorAll('.list button[data-id]')].map((b) => b.textContent) };
  });
  assert.ok(st.shown, 'a message is shown');
  assert.match(st.text, /null/);
  assert.deepEqual(st.listed, ['未定位的项目']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('tapping 3 px beside the canal selects it on a 390×844 phone at DPR 3', async () => {
  const { page, context, errors } = await openDemo(browser, { size: [390, 844], dpr: 3, touch: true });
  // A spot on the canal's course where a 3 px offset reaches the canal and nothing on top
  // of it (a project marker nearby would win, as it is drawn above).
  const samples = [];
  for (let s = 0; s < CANAL.length - 1; s++) for (const t of [0.25, 0.5, 0.75]) samples.push([CANAL[s][0] + t * (CANAL[s + 1][0] - CANAL[s][0]), CANAL[s][1] + t * (CANAL[s + 1][1] - CANAL[s][1])]);
  const pts = await toScreen(page, 'plan-map', samples);
  const spot = await page.evaluate((pts) => {
    const el = document.querySelector('plan-map');
    const r = el.shadowRoot.querySelector('canvas').getBoundingClientRect();
    for (const [x, y] of pts) {
      const under = document.elementFromPoint(r.left + x, r.top + y - 3);
      if (under !== el) continue;
      const inner = el.shadowRoot.elementFromPoint(r.left + x, r.top + y - 3);
      if (inner?.tagName !== 'CANVAS') continue;
      if (JSON.parse(el._map.pick(x, y - 3, 16))?.id === 'beiyunhe_canal') return [r.left + x, r.top + y - 3];
    }
    return null;
  }, pts);
  assert.ok(spot, 'some stretch of the canal is clear of markers and panels');
  await page.touchscreen.tap(spot[0], spot[1]);
  const sel = await events(page, 'planmap-select');
  assert.deepEqual(sel.at(-1)?.detail, { id: 'beiyunhe_canal', kind: 'line', name: '北运河（新开河）' });
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const panel = await page.evaluate(() => {
    const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
    return { hidden: p.hidden, title: p.querySelector('h2')?.textContent, text: p.textContent };
  });
  assert.equal(panel.hidden, false);
  assert.equal(panel.title, '北运河（新开河）');
  assert.match(panel.text, /第四章 第一节/, 'the quote\'s section');
  assert.match(panel.text, /北运河文商旅片区/, 'its zone');
  assert.match(panel.text, /示意/, 'its course is a sketch');
  await page.screenshot({ path: `${SHOTS}line-selected-phone.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('] reaches the canal after the zones and the district; Enter selects it', async () => {
  const { page, context } = await openDemo(browser);
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('canvas').focus());
  let focused = null;
  for (let k = 0; k < 10 && focused !== 'beiyunhe_canal'; k++) {
    await page.keyboard.press(']'); // the map is one tab stop; ] walks its features (issue 12)
    focused = await page.evaluate(() => document.querySelector('plan-map')._map.focusedId());
  }
  assert.equal(focused, 'beiyunhe_canal');
  await page.keyboard.press('Enter');
  assert.deepEqual((await events(page, 'planmap-select')).at(-1).detail, { id: 'beiyunhe_canal', kind: 'line', name: '北运河（新开河）' });
  const listed = await page.evaluate(() => [...document.querySelector('plan-map').shadowRoot.querySelectorAll('.list button[data-id]')].map((b) => b.dataset.id));
  assert.ok(listed.includes('beiyunhe_canal') && listed.includes('huanghe_north_street'), 'the list names the lines');
  await context.close();
});

test('the legend\'s lines toggle removes the lines\' pixels and brings them back', async () => {
  const { page, context } = await openDemo(browser);
  const render = () => page.evaluate(() => { document.querySelector('plan-map').render(); });
  await render();
  const shown = await inkCount(page, 'plan-map', CANAL_BLUE, 12);
  assert.ok(shown > 150, `the canal is drawn (${shown} px)`);
  const box = await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-layer="lines"]')?.parentElement.textContent);
  assert.ok(box, 'the legend has a lines toggle');
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-layer="lines"]').click());
  await render();
  const hidden = await inkCount(page, 'plan-map', CANAL_BLUE, 12);
  assert.ok(hidden < 5, `hidden: ${hidden} canal pixels left`);
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-layer="lines"]').click());
  await render();
  assert.ok(await inkCount(page, 'plan-map', CANAL_BLUE, 12) > 150);
  await context.close();
});

test('the SVG export holds each line\'s open path and its name', async () => {
  const { page, context } = await openDemo(browser);
  const out = await page.evaluate(() => {
    const text = document.querySelector('plan-map').toSVG();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const bad = doc.querySelector('parsererror');
    const lines = [...doc.querySelectorAll('path')].filter((p) => p.querySelector('title')).map((p) => ({
      name: p.querySelector('title').textContent, vertices: (p.getAttribute('d').match(/[ML]/g) ?? []).length,
      closed: /Z/.test(p.getAttribute('d')), fill: p.getAttribute('fill') }));
    return { bad: !!bad, lines };
  });
  assert.equal(out.bad, false);
  assert.deepEqual(out.lines, [
    { name: '北运河（新开河）', vertices: 6, closed: false, fill: 'none' },
    { name: '黄河北大街', vertices: 2, closed: false, fill: 'none' },
  ]);
  await context.close();
});

test('the PNG export draws the lines, and not once they are hidden', async () => {
  const { page, context } = await openDemo(browser);
  const bluePixels = () => page.evaluate(async ([rgb]) => {
    const blob = await document.querySelector('plan-map').toPNG(1);
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) <= 12 && Math.abs(d[i + 1] - rgb[1]) <= 12 && Math.abs(d[i + 2] - rgb[2]) <= 12) n++;
    return n;
  }, [CANAL_BLUE]);
  const shown = await bluePixels();
  assert.ok(shown > 150, `the canal is in the PNG (${shown} px)`);
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.legend input[data-layer="lines"]').click());
  const hidden = await bluePixels();
  // A few pixels of the same blue are antialiased edges of other things (the legend).
  assert.ok(hidden * 20 < shown, `hidden lines stay out of the PNG (${shown} → ${hidden} px)`);
  await context.close();
});
