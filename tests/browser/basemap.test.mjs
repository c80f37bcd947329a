// Issue 11: a street basemap from the deployer's tile service, against a tile server started
// here on loopback (tileserver.mjs: each tile shows its z/x/y, a grid and a magenta ring around
// one WGS-84 point). The page is served by the xtask server under the strict CSP; `?tiles=`
// adds the two loopback tile origins to its img-src and nothing else (xtask/src/serve.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, BASE, SHOTS } from './helpers.mjs';
import { startTiles, TILE_BG, GRID, RING_RADIUS } from './tileserver.mjs';

/** wandergis/coordtransform's published pair: WGS-84 (116.404, 39.915) is GCJ-02 (116.41024449916938, 39.91640428150164). */
const WGS = [116.404, 39.915];
const GCJ = [116.41024449916938, 39.91640428150164];
const CREDIT = '测试瓦片';
const REVIEW = 'GS(2099)0001号';

let browser;
let tiles;
before(async () => {
  browser = await launch();
  tiles = await startTiles({ mark: WGS });
});
after(async () => {
  await browser?.close();
  await tiles?.close();
});

const page = (file) => `test/${file}?tiles=${tiles.corsUrl},${tiles.plainUrl}`;

/** Sets the basemap attributes on #m (the test's way of being a page author). */
async function setBasemap(p, url, extra = {}) {
  await p.evaluate(([url, extra]) => {
    const el = document.getElementById('m');
    for (const [k, v] of Object.entries(extra)) el.setAttribute(k, v);
    el.setAttribute('basemap', url);
  }, [url, { 'basemap-crs': 'wgs84', 'basemap-credit': CREDIT, 'review-number': REVIEW, ...extra }]);
  // The element imports the basemap's code when `basemap` is first set: until then the map
  // has no basemap (it wants no tiles, and still fills the neighbours).
  await p.waitForFunction(() => !document.getElementById('m')._basemap.loading, null, { timeout: 10000 });
}

/**
 * Waits until the view wants no more tiles (each loaded or failed), drawing as it goes. The
 * element imports the basemap's code when `basemap` is first set, so until that import has
 * run the map has no basemap yet and wants nothing: wait for it first.
 */
async function settled(p) {
  await p.waitForFunction(() => {
    const el = document.getElementById('m');
    el.render();
    return el._map && !el._basemap.loading && JSON.parse(el._map.wantedTiles()).length === 0;
  }, null, { timeout: 20000, polling: 100 });
  await p.evaluate(() => document.getElementById('m').render());
}

/**
 * Pixel statistics of the map's canvas, counted in the page (no pixel array crosses to node):
 * `tileBg` pixels exactly the tile background, `grid` pixels near the grid colour (tiles drawn
 * scaled blend it), `blank` cells of 16×16 device px that are nine tenths the light theme's
 * background (label halos are that colour too, but never fill a cell).
 */
async function stats(p) {
  return p.evaluate(([bg, grid]) => {
    const c = document.getElementById('m').shadowRoot.querySelector('canvas');
    const { width: w, height: h } = c;
    const d = c.getContext('2d').getImageData(0, 0, w, h).data;
    let tileBg = 0;
    let nearGrid = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === bg[0] && d[i + 1] === bg[1] && d[i + 2] === bg[2]) tileBg++;
      if (Math.abs(d[i] - grid[0]) + Math.abs(d[i + 1] - grid[1]) + Math.abs(d[i + 2] - grid[2]) < 30) nearGrid++;
    }
    let blank = 0;
    for (let cy = 0; cy + 16 <= h; cy += 16) for (let cx = 0; cx + 16 <= w; cx += 16) {
      let n = 0;
      for (let y = cy; y < cy + 16; y++) for (let x = cx; x < cx + 16; x++) {
        const i = (y * w + x) * 4;
        if (d[i] === 0xf4 && d[i + 1] === 0xf6 && d[i + 2] === 0xf8) n++;
      }
      if (n > 230) blank++;
    }
    return { tileBg, grid: nearGrid, blank };
  }, [TILE_BG, GRID]);
}

/** All canvas pixels (device px), for the ring search. */
async function canvasPixels(p) {
  return p.evaluate(() => {
    const c = document.getElementById('m').shadowRoot.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return { w: c.width, h: c.height, k: c.width / c.clientWidth, data: Array.from(d) };
  });
}

const same = (d, i, c) => d[i] === c[0] && d[i + 1] === c[1] && d[i + 2] === c[2];

/** Count of pixels exactly of colour `c` in decoded RGBA `data`. */
function countColour({ w, h, data }, c, step = 3) {
  let n = 0;
  for (let y = 0; y < h; y += step) for (let x = 0; x < w; x += step) if (same(data, (y * w + x) * 4, c)) n++;
  return n;
}

test('without a basemap no request leaves the page but src, and the tile servers hear nothing', async () => {
  const before = tiles.state.log.cors.length + tiles.state.log.plain.length;
  const requests = [];
  const { page: p, context, errors } = await open(browser, 'test/basemap.html', { size: [800, 600] });
  p.on('request', (r) => requests.push(r.url()));
  await ready(p);
  await p.evaluate(() => { const el = document.getElementById('m'); el.view = { center: el.view.center, zoom: el.view.zoom + 2 }; el.render(); });
  await p.waitForTimeout(300);
  const origin = new URL(BASE).origin;
  for (const u of requests) assert.equal(new URL(u).origin, origin, u);
  // Every request the page made, including those before the listener: the resource timing list.
  const all = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(all.some((u) => u.endsWith('plan.json')));
  for (const u of all) assert.equal(new URL(u).origin, origin, u);
  assert.equal(tiles.state.log.cors.length + tiles.state.log.plain.length, before);
  assert.equal(await p.evaluate(() => document.getElementById('m').shadowRoot.querySelector('.note').textContent.includes('底图')), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('tiles appear under the zones; the legend hides them; credit and 审图号 show bottom-left; no CSP violation', async () => {
  const { page: p, context, errors } = await open(browser, page('basemap.html'), { size: [1000, 700] });
  await ready(p);
  assert.equal((await stats(p)).tileBg, 0);
  await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}.png`);
  await settled(p);
  const px = await stats(p);
  // The tiles show, unchanged, outside the district (neighbours are no longer filled) …
  assert.ok(px.tileBg > 10000, `tile background pixels: ${px.tileBg}`);
  assert.ok(px.grid > 1000, `grid pixels: ${px.grid}`);
  assert.equal(px.blank, 0, 'no empty background left');
  // … and under each zone, tinted: the zone is drawn over them, and their grid and labels
  // show through (more colours in the zone than with the basemap hidden).
  const shown = await zoneColours(p);
  assert.equal(shown.length, 5);
  for (const z of shown) {
    assert.ok(z.n > 400, `${z.id}: ${z.n} pixels inside`);
    assert.equal(z.tileBg, 0, `${z.id}: the zone tints the tiles`);
  }
  // Credit and 审图号 in the note at the bottom left, planmap's own credits kept.
  const note = await p.evaluate(() => {
    const el = document.getElementById('m');
    const n = el.shadowRoot.querySelector('.note');
    const r = n.getBoundingClientRect();
    const e = el.getBoundingClientRect();
    return { text: n.textContent, left: r.left - e.left, bottom: e.bottom - r.bottom, visible: r.width > 0 && getComputedStyle(n).visibility !== 'hidden' };
  });
  assert.ok(note.text.includes(`底图：${CREDIT} · 审图号：${REVIEW}`), note.text);
  assert.ok(note.text.includes('行政区划轮廓：AMap'), note.text);
  assert.ok(note.visible && note.left < 20 && note.bottom < 20, JSON.stringify(note));
  // Nothing of the chrome covers the credit.
  const covered = await p.evaluate(() => {
    const root = document.getElementById('m').shadowRoot;
    const n = root.querySelector('.note').getBoundingClientRect();
    const hits = [];
    for (const sel of ['.controls', '.legend', '.list', '.panel']) {
      const el = root.querySelector(sel);
      if (!el || el.hidden) continue;
      const r = el.getBoundingClientRect();
      if (r.width && r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom) hits.push(sel);
    }
    return hits;
  });
  assert.deepEqual(covered, []);
  await p.screenshot({ path: `${SHOTS}basemap-tiles.png` });
  // In print too.
  await p.emulateMedia({ media: 'print' });
  const printed = await p.evaluate(() => {
    const n = document.getElementById('m').shadowRoot.querySelector('.note');
    const r = n.getBoundingClientRect();
    return { text: n.textContent, shown: getComputedStyle(n).display !== 'none' && r.width > 0 && r.height > 0 };
  });
  assert.ok(printed.shown && printed.text.includes(`审图号：${REVIEW}`), JSON.stringify(printed));
  await p.emulateMedia({ media: 'screen' });
  // The legend's toggle hides the basemap.
  await p.evaluate(() => {
    const root = document.getElementById('m').shadowRoot;
    root.querySelector('.legend').open = true;
    root.querySelector('.legend input[data-layer="basemap"]').click();
    document.getElementById('m').render();
  });
  assert.equal((await stats(p)).tileBg, 0);
  const hidden = await zoneColours(p);
  for (const [k, z] of shown.entries()) {
    assert.ok(z.colours > hidden[k].colours + 2, `${z.id}: ${z.colours} colours over the tiles, ${hidden[k].colours} without`);
  }
  assert.deepEqual(await p.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Per zone: pixels of a 60×60 px box at its label point that hit the zone, their distinct
 * colours, and how many are the bare tile colour. */
async function zoneColours(p) {
  return p.evaluate(() => {
    const el = document.getElementById('m');
    const zones = JSON.parse(el._map.features()).areas.filter((a) => a.kind === 'zone');
    const c = el.shadowRoot.querySelector('canvas');
    const k = c.width / c.clientWidth;
    const g = c.getContext('2d');
    return zones.map((z) => {
      const [x0, y0] = JSON.parse(el._map.screenPoint(z.id));
      const colours = new Set();
      let tileBg = 0;
      let n = 0;
      for (let dy = -30; dy < 30; dy++) for (let dx = -30; dx < 30; dx++) {
        const x = x0 + dx;
        const y = y0 + dy;
        if (JSON.parse(el._map.pick(x, y, 0))?.id !== z.id) continue;
        const d = g.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
        colours.add(`${d[0]},${d[1]},${d[2]}`);
        if (d[0] === 236 && d[1] === 226 && d[2] === 198) tileBg++;
        n++;
      }
      return { id: z.id, n, colours: colours.size, tileBg };
    });
  });
}

/** Least-squares circle through the points (Kåsa): robust when a label hides part of it. */
function fitCircle(pts) {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sxz = 0, syz = 0, sz = 0;
  const n = pts.length;
  for (const [x, y] of pts) {
    const z = x * x + y * y;
    sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; sxz += x * z; syz += y * z; sz += z;
  }
  // Solve [sxx sxy sx; sxy syy sy; sx sy n] [a b c] = [sxz syz sz]; centre (a/2, b/2).
  const m = [[sxx, sxy, sx, sxz], [sxy, syy, sy, syz], [sx, sy, n, sz]];
  for (let i = 0; i < 3; i++) {
    const piv = m[i][i];
    for (let j = i; j < 4; j++) m[i][j] /= piv;
    for (let r = 0; r < 3; r++) if (r !== i) { const f = m[r][i]; for (let j = i; j < 4; j++) m[r][j] -= f * m[i][j]; }
  }
  const [a, b, c] = [m[0][3], m[1][3], m[2][3]];
  return { cx: a / 2, cy: b / 2, r: Math.sqrt(c + (a * a + b * b) / 4) };
}

test('a WGS-84 point on the tiles lies under the GCJ-02 position of the same place, within 2 px at zoom 16', async () => {
  const { page: p, context, errors } = await open(browser, page('beijing.html'), { size: [600, 400] });
  await ready(p);
  await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}.png`);
  await p.evaluate((c) => { const el = document.getElementById('m'); el.view = { center: c, zoom: 16 }; }, GCJ);
  await settled(p);
  const view = await p.evaluate(() => document.getElementById('m').view);
  assert.equal(view.zoom, 16);
  assert.ok(Math.abs(view.center[0] - GCJ[0]) < 1e-7 && Math.abs(view.center[1] - GCJ[1]) < 1e-7, 'the view reports the plan\'s own system');
  const px = await canvasPixels(p);
  const ring = [];
  for (let y = 0; y < px.h; y++) for (let x = 0; x < px.w; x++) {
    const i = (y * px.w + x) * 4;
    if (px.data[i] > 200 && px.data[i + 1] < 90 && px.data[i + 2] > 200) ring.push([(x + 0.5) / px.k, (y + 0.5) / px.k]);
  }
  assert.ok(ring.length > 100, `ring pixels: ${ring.length}`);
  const c = fitCircle(ring);
  assert.ok(Math.abs(c.r - RING_RADIUS) < 2, `ring radius ${c.r}`);
  const at = await p.evaluate(() => JSON.parse(document.getElementById('m')._map.screenPoint('p1')));
  const d = Math.hypot(c.cx - at[0], c.cy - at[1]);
  assert.ok(d < 2, `ring centre (${c.cx.toFixed(2)}, ${c.cy.toFixed(2)}) vs point (${at[0].toFixed(2)}, ${at[1].toFixed(2)}): ${d.toFixed(2)} px`);
  await p.screenshot({ path: `${SHOTS}basemap-alignment.png` });
  assert.deepEqual(await p.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('zooming in never shows a blank where a parent tile is loaded; tiles that left the view are cancelled', async () => {
  const { page: p, context, errors } = await open(browser, page('basemap.html'), { size: [800, 600] });
  await ready(p);
  // Before any tile arrives the background shows: the check below can fail.
  tiles.state.delay = () => 1500;
  await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}.png`);
  await p.evaluate(() => document.getElementById('m').render());
  const empty = await stats(p);
  assert.ok(empty.blank > 100, JSON.stringify(empty));
  tiles.state.delay = () => 0;
  await settled(p);
  assert.equal((await stats(p)).blank, 0);
  const z0 = await p.evaluate(() => Math.round(document.getElementById('m').view.zoom));
  tiles.state.delay = (z) => (z > z0 ? 8000 : 0);
  const requested = tiles.state.log.cors.length;
  await p.evaluate(() => { const el = document.getElementById('m'); el.view = { center: el.view.center, zoom: Math.round(el.view.zoom) + 1 }; el.render(); });
  for (let k = 0; k < 5; k++) {
    await p.waitForTimeout(150);
    await p.evaluate(() => document.getElementById('m').render());
    assert.equal((await stats(p)).blank, 0, `frame ${k}: blank where the parent is loaded`);
  }
  const deeper = tiles.state.log.cors.slice(requested).filter((u) => u.startsWith(`/t/${z0 + 1}/`));
  assert.ok(deeper.length >= 1, 'the children were asked for and are still on their way');
  const inflight = await p.evaluate(() => document.getElementById('m')._basemap.loader.pending.length);
  assert.ok(inflight >= 1 && inflight <= 4, `${inflight} requests at once`);
  // Zoom out past where we came from: the slow children left the view and are cancelled.
  const aborted = [];
  p.on('requestfailed', (r) => aborted.push([r.url(), r.failure()?.errorText]));
  await p.evaluate((z) => { const el = document.getElementById('m'); el.view = { center: el.view.center, zoom: z - 1 }; el.render(); }, z0);
  await p.waitForTimeout(300);
  const pending = await p.evaluate(() => document.getElementById('m')._basemap.loader.pending);
  assert.ok(pending.every((k) => Number(k.split('/')[1]) <= z0), `still loading: ${pending}`);
  const key = (u) => new URL(u, 'http://x').pathname.replace(/^\/t\//, '').replace(/\.png$/, '');
  const wasSlow = new Set(deeper.map(key));
  assert.ok(aborted.some(([u, e]) => wasSlow.has(key(u)) && /ABORTED/.test(e ?? '')), JSON.stringify(aborted));
  tiles.state.delay = () => 0;
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 404 tile leaves a quiet gap and a one-line note; the plan keeps working', async () => {
  tiles.state.missing = (z, x, y) => (x + y) % 3 === 0;
  const { page: p, context, errors } = await open(browser, page('basemap.html'), { size: [800, 600] });
  await ready(p);
  await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}.png`);
  await settled(p);
  const note = await p.evaluate(() => document.getElementById('m').shadowRoot.querySelector('.note').textContent);
  assert.match(note, /底图：\d+ 个瓦片未能加载/);
  assert.ok((await stats(p)).tileBg > 5000, 'the other tiles show');
  await p.evaluate(() => document.getElementById('m').select('c6'));
  assert.equal(await p.evaluate(() => document.getElementById('m').selected.id), 'c6');
  tiles.state.missing = () => false;
  // Console errors from the 404 responses themselves are the browser's, not the page's.
  assert.deepEqual(errors.filter((e) => !/404|Failed to load resource/.test(e)), []);
  await context.close();
});

/** Exports a PNG (scale 1) and decodes it in the page, kept there as `name`: its size, its
 * pixels of the exact tile background, and the export frame's texts. */
async function exportPng(p, name) {
  return p.evaluate(async ([name, bg]) => {
    const el = document.getElementById('m');
    const blob = await el.toPNG(1);
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
    (window.__png ??= {})[name] = d;
    let tileBg = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === bg[0] && d[i + 1] === bg[1] && d[i + 2] === bg[2]) tileBg++;
    return { w: bmp.width, h: bmp.height, tileBg, labels: el._map.exportLabelTexts() };
  }, [name, TILE_BG]);
}

/** Pixels that differ between two kept PNGs of width `w`, and the first row where they do. */
async function pngDiff(p, a, b, w) {
  return p.evaluate(([a, b, w]) => {
    const [x, y] = [window.__png[a], window.__png[b]];
    let diff = 0;
    let top = Infinity;
    for (let i = 0; i < x.length; i += 4) {
      if (Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]) > 30) {
        diff++;
        top = Math.min(top, Math.floor(i / 4 / w));
      }
    }
    return { diff, top };
  }, [a, b, w]);
}

test('PNG and SVG carry the credit and 审图号; with CORS the PNG has the tiles, without it leaves them out and says so', async () => {
  const { page: p, context, errors } = await open(browser, page('basemap.html'), { size: [800, 600] });
  await ready(p);
  const none = await exportPng(p, 'none');
  assert.equal(none.tileBg, 0);
  await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}.png`);
  await settled(p);
  const a = await exportPng(p, 'a');
  assert.ok(a.tileBg > 10000, `the tiles are in the PNG: ${a.tileBg}`);
  assert.ok(a.labels.includes(`底图：${CREDIT} · 审图号：${REVIEW}`), a.labels.join(' | '));
  assert.ok(a.labels.some((l) => l.includes('行政区划轮廓：AMap')));
  assert.ok(!a.labels.some((l) => l.includes('CORS')));
  // The credit line is drawn into the PNG's footer: without credit and 审图号, the same export
  // differs only in the bottom band.
  await p.evaluate(() => { const el = document.getElementById('m'); el.setAttribute('basemap-credit', ''); el.setAttribute('review-number', ''); });
  await settled(p);
  const b = await exportPng(p, 'b');
  assert.ok(!b.labels.some((l) => l.includes('审图号')));
  const { diff, top } = await pngDiff(p, 'a', 'b', a.w);
  assert.ok(diff > 100, `${diff} pixels of credit text`);
  assert.ok(top > a.h - 100, `the difference starts at y=${top} of ${a.h}: in the footer`);
  const svg = await p.evaluate(() => { const el = document.getElementById('m'); el.setAttribute('basemap-credit', '测试瓦片'); el.setAttribute('review-number', 'GS(2099)0001号'); return el.toSVG(); });
  assert.ok(svg.includes(`底图：${CREDIT} · 审图号：${REVIEW}`));
  assert.ok(svg.includes('SVG 不含底图瓦片'));
  assert.ok(svg.includes('行政区划轮廓：AMap'));
  assert.ok(!svg.includes(tiles.corsUrl), 'no tile URL in the SVG');
  // The server without CORS: the page shows its tiles (loaded again without crossOrigin, so
  // the page's own canvas can no longer be read) …
  const requested = tiles.state.log.plain.length;
  await setBasemap(p, `${tiles.plainUrl}/t/{z}/{x}/{y}.png`);
  await settled(p);
  assert.ok(tiles.state.log.plain.length > requested);
  assert.ok(await p.evaluate(() => document.getElementById('m')._map.tilesHeld()) > 0);
  const tainted = await p.evaluate(() => {
    const c = document.getElementById('m').shadowRoot.querySelector('canvas');
    try { c.getContext('2d').getImageData(0, 0, 1, 1); return 'readable'; } catch (e) { return e.name; }
  });
  assert.equal(tainted, 'SecurityError', 'tiles without CORS are drawn on the page');
  // … and the PNG export leaves the basemap out, says so in its footer, and throws nothing.
  const c = await exportPng(p, 'c');
  assert.equal(c.tileBg, 0);
  assert.ok(c.labels.includes('底图未包含：瓦片服务未允许跨域读取（CORS）'), c.labels.join(' | '));
  assert.ok(c.labels.includes(`底图：${CREDIT} · 审图号：${REVIEW}`));
  assert.deepEqual(await p.evaluate(() => window.__cspViolations), []);
  // The browser's own console lines for the refused crossOrigin attempts (before the loader
  // learnt the origin sends no CORS headers) are expected; nothing else.
  assert.deepEqual(errors.filter((e) => !/CORS|Access-Control-Allow-Origin|Failed to load resource: net::ERR_FAILED/.test(e)), []);
  await context.close();
});

test('look at it: phone (390×844, DPR 3) and desktop (1440×900) with the test tiles', async () => {
  for (const [name, size, dpr] of [['phone', [390, 844], 3], ['desktop', [1440, 900], 1]]) {
    const { page: p, context, errors } = await open(browser, page('basemap.html'), { size, dpr, touch: dpr > 1 });
    await ready(p);
    await setBasemap(p, `${tiles.corsUrl}/t/{z}/{x}/{y}{r}.png`);
    await settled(p);
    if (dpr > 1) assert.ok(tiles.state.log.cors.some((u) => u.endsWith('@2x.png')), 'DPR 3 asks for @2x tiles where the template has {r}');
    await p.waitForTimeout(200);
    await p.screenshot({ path: `${SHOTS}basemap-${name}.png` });
    assert.deepEqual(await p.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
