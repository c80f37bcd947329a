// Issue 14: what is selected stays in view. The map makes room for the bottom sheet (phone)
// and the details panel (desktop); the credits stay whole and readable whatever is open; focus
// goes into the panel only for a keyboard selection and comes back to the map on close.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, clearPoint, SHOTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { size: [390, 844], dpr: 3, touch: true };
const DESKTOP = { size: [1440, 900], dpr: 1 };

async function demo(opts, { path = 'index.html', theme, reduced = true } = {}) {
  const o = await open(browser, path, opts);
  // Most tests look at where a selection ends; reduced motion makes it land at once.
  if (reduced) await o.page.emulateMedia({ reducedMotion: 'reduce' });
  if (theme) await o.page.evaluate((t) => document.querySelector('plan-map').setAttribute('theme', t), theme);
  await ready(o.page);
  return o;
}

/** Waits until no selection is easing and a frame has been drawn. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('plan-map')._map.moving(), null, { timeout: 5000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Rectangles relative to the canvas (CSS px): canvas, panel, note, controls, list summary. */
function layout(page) {
  return page.evaluate(() => {
    const root = document.querySelector('plan-map').shadowRoot;
    const c = root.querySelector('canvas').getBoundingClientRect();
    const rel = (el) => {
      if (!el || el.hidden || getComputedStyle(el).display === 'none') return null;
      const r = el.getBoundingClientRect();
      return [r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top];
    };
    const note = root.querySelector('.note');
    return {
      canvas: [0, 0, c.width, c.height],
      panel: rel(root.querySelector('.panel')),
      note: rel(note),
      noteCut: note ? note.scrollWidth > note.clientWidth + 1 || note.scrollHeight > note.clientHeight + 1 : null,
      noteText: note?.textContent ?? '',
      controls: [...root.querySelectorAll('.controls button')].map(rel),
      list: rel(root.querySelector('.list > summary')),
      free: JSON.parse(document.querySelector('plan-map')._map.freeArea()),
    };
  });
}

const overlaps = (a, b) => !!a && !!b && a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
const inside = (a, b) => a[0] >= b[0] - 0.5 && a[1] >= b[1] - 0.5 && a[2] <= b[2] + 0.5 && a[3] <= b[3] + 0.5;

/**
 * Samples feature `id` on a grid over its screen box: the share of its interior (by the hit
 * test) that lies in `region`, and among those samples the share whose pixel is the zone's fill
 * (not the sheet's or panel's colours, not the background).
 */
function sampleZone(page, id, region) {
  return page.evaluate(([id, region]) => {
    const el = document.querySelector('plan-map');
    const m = el._map;
    const canvas = el.shadowRoot.querySelector('canvas');
    const k = canvas.width / canvas.clientWidth;
    const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const [x0, y0, x1, y1] = JSON.parse(m.screenBox(id));
    const colour = JSON.parse(m.features()).areas.find((a) => a.id === id).color;
    const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    let total = 0; let inRegion = 0; let filled = 0;
    const n = 40;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const x = x0 + ((i + 0.5) / n) * (x1 - x0);
      const y = y0 + ((j + 0.5) / n) * (y1 - y0);
      // Inside the zone by its geometry (the hit test works in map coordinates, so it answers
      // on or off the canvas, under the sheet too).
      if (JSON.parse(m.pick(x, y, 0))?.id !== id) continue;
      total++;
      if (x < region[0] || x > region[2] || y < region[1] || y > region[3]) continue;
      inRegion++;
      const p = (Math.floor(y * k) * canvas.width + Math.floor(x * k)) * 4;
      const px = [img[p], img[p + 1], img[p + 2]];
      // The fill is the zone colour laid over the district at the theme's opacity: its hue
      // leans toward the zone colour. Accept pixels closer to the zone colour than the plain
      // district fill is.
      const d = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      if (d(px, rgb) < d([255, 255, 255], rgb) - 20) filled++;
    }
    return { total, inRegion, filled };
  }, [id, region]);
}

test('phone 390×844: select(c6) leaves C6 above the sheet, drawn there, never zoomed in', async () => {
  const { page, context, errors } = await demo(PHONE);
  const zoom0 = (await page.evaluate(() => document.querySelector('plan-map').view)).zoom;
  await page.evaluate(() => document.querySelector('plan-map').select('c6'));
  await settled(page);
  const l = await layout(page);
  assert.ok(l.panel, 'the sheet is open');
  const sheetTop = l.panel[1];
  assert.ok(sheetTop > 200 && sheetTop < l.canvas[3], `sheet top ${sheetTop}`);
  // The free area ends at the sheet, or at the notes that ride on its edge.
  assert.ok(l.note[3] <= sheetTop + 0.5, `the notes (${l.note}) sit above the sheet (${sheetTop})`);
  assert.ok(Math.abs(l.free[3] - l.note[1]) < 1, `the free area (${l.free}) ends at the notes (${l.note})`);
  const [lx, ly] = await page.evaluate(() => JSON.parse(document.querySelector('plan-map')._map.screenPoint('c6')));
  assert.ok(ly < sheetTop && ly > 0 && lx > 0 && lx < 390, `label point (${lx}, ${ly}) above the sheet`);
  const box = await page.evaluate(() => JSON.parse(document.querySelector('plan-map')._map.screenBox('c6')));
  const clip = [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(390, box[2]), Math.min(sheetTop, box[3])];
  const share = ((clip[2] - clip[0]) * (clip[3] - clip[1])) / ((box[2] - box[0]) * (box[3] - box[1]));
  assert.ok(share >= 0.9, `${(share * 100).toFixed(1)}% of C6's box above the sheet (${box.map(Math.round)})`);
  const s = await sampleZone(page, 'c6', [0, 0, 390, sheetTop]);
  assert.ok(s.total > 100, `C6 sampled (${s.total})`);
  assert.ok(s.inRegion / s.total >= 0.9, `${s.inRegion} of ${s.total} samples of C6 above the sheet`);
  assert.ok(s.filled / s.inRegion >= 0.8, `${s.filled} of ${s.inRegion} of them show C6's fill`);
  const zoom1 = (await page.evaluate(() => document.querySelector('plan-map').view)).zoom;
  assert.ok(zoom1 <= zoom0 + 1e-9, `never zoomed in (${zoom0} → ${zoom1})`);
  await page.screenshot({ path: `${SHOTS}inview-phone-peek.png` });
  // The full sheet covers where C6 was: it moves (and zooms out) to stay above it.
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').click());
  await settled(page);
  const full = await layout(page);
  assert.ok(full.panel[1] < box[3], `the full sheet (top ${full.panel[1]}) reaches where C6 was (bottom ${box[3]})`);
  const s2 = await sampleZone(page, 'c6', [0, 0, 390, full.panel[1]]);
  assert.ok(s2.inRegion / s2.total >= 0.9, `full sheet: ${s2.inRegion} of ${s2.total} samples of C6 above it`);
  assert.ok(s2.filled / s2.inRegion >= 0.8, `full sheet: ${s2.filled} of ${s2.inRegion} show C6's fill`);
  const zoom2 = (await page.evaluate(() => document.querySelector('plan-map').view)).zoom;
  assert.ok(zoom2 <= zoom1 + 1e-9, `never zoomed in (${zoom1} → ${zoom2})`);
  await page.screenshot({ path: `${SHOTS}inview-phone-full-c6.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('phone: the sheet has a handle and two heights; the free part, the zoom buttons and the list follow', async () => {
  const { page, context } = await demo(PHONE);
  await page.evaluate(() => document.querySelector('plan-map').select('huanggu'));
  await settled(page);
  const handle = () => page.evaluate(() => {
    const b = document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle');
    const r = b.getBoundingClientRect();
    return { visible: r.width > 40 && r.height >= 24 && getComputedStyle(b).display !== 'none', expanded: b.getAttribute('aria-expanded'), label: b.getAttribute('aria-label') };
  });
  const h0 = await handle();
  assert.deepEqual([h0.visible, h0.expanded], [true, 'false']);
  const peek = await layout(page);
  // Peek shows the name and the key figure, not the whole panel.
  const head = await page.evaluate(() => {
    const p = document.querySelector('plan-map').shadowRoot.querySelector('.panel');
    const pr = p.getBoundingClientRect();
    const vis = (sel) => { const r = p.querySelector(sel)?.getBoundingClientRect(); return !!r && r.height > 0 && r.bottom <= pr.bottom + 0.5; };
    return { name: vis('h2'), key: vis('.key'), keyText: p.querySelector('.key')?.textContent };
  });
  assert.deepEqual([head.name, head.key], [true, true], JSON.stringify(head));
  assert.match(head.keyText, /\d/, 'the district\'s key figure has a number');
  // Toggle with the handle (a button: keyboard and click alike).
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').click());
  await settled(page);
  const full = await layout(page);
  assert.equal((await handle()).expanded, 'true');
  assert.ok(full.panel[1] < peek.panel[1] - 100, `full (${full.panel[1]}) is taller than peek (${peek.panel[1]})`);
  assert.ok(full.note[3] <= full.panel[1] + 0.5 && Math.abs(full.free[3] - full.note[1]) < 1,
    `the free part (${full.free}) follows the sheet (${full.panel[1]}) and the notes on its edge (${full.note})`);
  const box = await page.evaluate(() => JSON.parse(document.querySelector('plan-map')._map.screenBox('huanggu')));
  assert.ok(box[3] <= full.panel[1] + 0.5 && box[1] >= -0.5, `the district moved above the full sheet: ${box.map(Math.round)}`);
  for (const l of [peek, full]) {
    for (const b of l.controls) assert.ok(b && !overlaps(b, l.panel) && inside(b, l.canvas), `zoom buttons reachable: ${b} vs sheet ${l.panel}`);
    assert.ok(!overlaps(l.list, l.panel), 'the list toggle is reachable');
  }
  await page.screenshot({ path: `${SHOTS}inview-phone-full.png` });
  // Drag the handle down: back to peek.
  const hb = await page.evaluate(() => { const r = document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; });
  await page.mouse.move(hb[0], hb[1]);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(hb[0], hb[1] + k * 40);
  await page.mouse.up();
  await settled(page);
  assert.equal((await handle()).expanded, 'false', 'dragged down to peek');
  assert.ok(Math.abs((await layout(page)).panel[1] - peek.panel[1]) < 2);
  // And up again: full.
  const hb2 = await page.evaluate(() => { const r = document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; });
  await page.mouse.move(hb2[0], hb2[1]);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(hb2[0], hb2[1] - k * 40);
  await page.mouse.up();
  await settled(page);
  assert.equal((await handle()).expanded, 'true', 'dragged up to full');
  await context.close();
});

test('desktop 1440×900: the selected zone lies right of the panel', async () => {
  const { page, context, errors } = await demo(DESKTOP);
  for (const id of ['beiyunhe', 'daxuecheng']) {
    // Drag the map left so the zone lies partly where the panel opens.
    await page.evaluate((id) => {
      const el = document.querySelector('plan-map');
      el.select(null);
      const [x0] = JSON.parse(el._map.screenBox(id));
      el._map.panBy(200 - x0, 0);
      el.render();
    }, id);
    const under = await page.evaluate((id) => JSON.parse(document.querySelector('plan-map')._map.screenBox(id)), id);
    assert.ok(under[0] < 370, `${id} starts under the panel's place: ${under.map(Math.round)}`);
    await page.evaluate((id) => document.querySelector('plan-map').select(id), id);
    await settled(page);
    const l = await layout(page);
    const box = await page.evaluate((id) => JSON.parse(document.querySelector('plan-map')._map.screenBox(id)), id);
    assert.ok(box[0] >= l.panel[2] - 0.5 && box[2] <= 1440.5, `${id} ${box.map(Math.round)} right of the panel ending at ${l.panel[2]}`);
    const s = await sampleZone(page, id, [l.panel[2], 0, 1440, 900]);
    assert.ok(s.inRegion === s.total && s.total > 100, `${id}: ${s.inRegion} of ${s.total} samples right of the panel`);
    // Lines (北运河's canal runs through its zone), markers and labels cover some of a narrow
    // zone's fill; under the panel none of it would show.
    assert.ok(s.filled / s.inRegion >= 0.6, `${id}: ${s.filled} of ${s.inRegion} show its fill`);
  }
  await page.screenshot({ path: `${SHOTS}inview-desktop.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('closing the panel does not move the map back; fit() does', async () => {
  const { page, context } = await demo(DESKTOP);
  const v0 = await page.evaluate(() => document.querySelector('plan-map').view);
  // 北运河 dragged to the far left, where the panel opens.
  await page.evaluate(() => { const el = document.querySelector('plan-map'); el._map.panBy(-400, 0); el.render(); });
  const vDragged = await page.evaluate(() => document.querySelector('plan-map').view);
  await page.evaluate(() => document.querySelector('plan-map').select('beiyunhe'));
  await settled(page);
  const v1 = await page.evaluate(() => document.querySelector('plan-map').view);
  assert.notDeepEqual(v1, vDragged, '北运河 was under the panel, so the map moved');
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .close').click());
  await settled(page);
  assert.deepEqual(await page.evaluate(() => document.querySelector('plan-map').view), v1);
  await page.evaluate(() => document.querySelector('plan-map').fit());
  const v2 = await page.evaluate(() => document.querySelector('plan-map').view);
  assert.ok(Math.abs(v2.zoom - v0.zoom) < 1e-9 && Math.abs(v2.center[0] - v0.center[0]) < 1e-9, JSON.stringify([v0, v2]));
  await context.close();
});

test('the selection eases over several frames, and jumps under prefers-reduced-motion', async () => {
  const moving = async (reduced) => {
    const { page, context } = await demo(DESKTOP, { reduced });
    const r = await page.evaluate(() => {
      const el = document.querySelector('plan-map');
      const z0 = el.view.zoom;
      el.select('daxuecheng', { zoom: true });
      return { moving: el._map.moving(), same: el.view.zoom === z0 };
    });
    const frames = await page.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('plan-map');
      const seen = new Set([el.view.zoom]);
      const tick = () => { seen.add(el.view.zoom); if (el._map.moving()) requestAnimationFrame(tick); else resolve(seen.size); };
      requestAnimationFrame(tick);
    }));
    await context.close();
    return { ...r, frames };
  };
  const eased = await moving(false);
  assert.equal(eased.moving, true, 'a move is under way after select');
  assert.ok(eased.frames >= 4, `several intermediate zooms (${eased.frames})`);
  const jumped = await moving(true);
  assert.deepEqual([jumped.moving, jumped.same], [false, false], 'with reduced motion it is there at once');
});

test('a deep link on a phone shows its zone above the sheet', async () => {
  const { page, context } = await demo(PHONE, { path: 'index.html#zone=changjiangjie' });
  await settled(page);
  const l = await layout(page);
  const box = await page.evaluate(() => JSON.parse(document.querySelector('plan-map')._map.screenBox('changjiangjie')));
  assert.ok(l.panel && box[3] <= l.panel[1] + 0.5 && box[1] >= -0.5, `${box.map(Math.round)} above ${l.panel?.[1]}`);
  await context.close();
});

test('a tap selects and keeps the tapped zone above the sheet', async () => {
  const { page, context } = await demo(PHONE);
  // 长江街 lies low on the phone's fitted map, near where the sheet opens.
  const p = await clearPoint(page, 'changjiangjie', 16);
  await page.touchscreen.tap(p[0], p[1]);
  await settled(page);
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').selected?.id), 'changjiangjie');
  const l = await layout(page);
  const [, y] = await page.evaluate(() => JSON.parse(document.querySelector('plan-map')._map.screenPoint('changjiangjie')));
  assert.ok(y < l.panel[1], `label point ${y} above the sheet at ${l.panel[1]}`);
  await context.close();
});

for (const theme of ['light', 'dark', 'contrast']) {
  for (const [name, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`credits whole and uncovered with the ${name === 'phone' ? 'sheet' : 'panel'} open, theme ${theme}`, async () => {
      const { page, context } = await demo(opts, { theme });
      const check = async (what) => {
        const l = await layout(page);
        assert.match(l.noteText, /示意/, 'the 示意 note is there');
        assert.match(l.noteText, /AMap/, 'the outlines\' credit is there');
        assert.ok(inside(l.note, l.canvas), `${what}: note ${l.note} inside the canvas ${l.canvas}`);
        assert.equal(l.noteCut, false, `${what}: note not cut`);
        assert.ok(!overlaps(l.note, l.panel), `${what}: note ${l.note} clear of the panel ${l.panel}`);
        for (const b of l.controls) assert.ok(!overlaps(l.note, b), `${what}: note clear of the buttons`);
      };
      await check('nothing open');
      await page.evaluate(() => document.querySelector('plan-map').select('c6'));
      await settled(page);
      await check('selected');
      if (name === 'phone') {
        await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').click());
        await settled(page);
        await check('full sheet');
      }
      await page.screenshot({ path: `${SHOTS}inview-credits-${name}-${theme}.png` });
      await context.close();
    });
  }
}

test('keyboard selection moves focus into the panel and Esc brings it back; a click does not', async () => {
  const { page, context } = await demo(DESKTOP);
  const active = () => page.evaluate(() => {
    const a = document.querySelector('plan-map').shadowRoot.activeElement;
    return a ? (a.closest('.panel') ? 'panel' : a.tagName) : null;
  });
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('canvas').focus());
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').selected?.id), 'c6');
  assert.equal(await active(), 'panel', 'Enter on the map moves focus into the panel');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').selected), null);
  assert.equal(await active(), 'CANVAS', 'Esc returns focus to the map');
  // The list, from the keyboard: into the panel; its close button: back to the map.
  await page.evaluate(() => { const l = document.querySelector('plan-map').shadowRoot.querySelector('.list'); l.open = true; l.querySelector('button[data-id="beiyunhe"]').focus(); });
  await page.keyboard.press('Enter');
  assert.equal(await active(), 'panel');
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .close').focus());
  await page.keyboard.press('Enter');
  assert.equal(await active(), 'CANVAS', 'closing returns focus to the map');
  // A mouse click on the map selects without taking focus into the panel.
  await page.evaluate(() => { document.querySelector('plan-map').shadowRoot.querySelector('.list').open = false; });
  const [x, y] = await clearPoint(page, 'changjiangjie', 9);
  await page.mouse.click(x, y);
  assert.equal(await page.evaluate(() => document.querySelector('plan-map').selected?.id), 'changjiangjie');
  assert.notEqual(await active(), 'panel', 'a click leaves focus where it was');
  // select() from script neither.
  await page.evaluate(() => document.querySelector('plan-map').select('c6'));
  assert.notEqual(await active(), 'panel');
  await context.close();
});

test('presentation fits each zone above its caption, with the credits above it too', async () => {
  const { page, context } = await demo(DESKTOP);
  await page.evaluate(() => document.querySelector('plan-map').present());
  for (let k = 0; k < 5; k++) {
    await page.keyboard.press('ArrowRight');
    await settled(page);
    const r = await page.evaluate(() => {
      const el = document.querySelector('plan-map');
      const root = el.shadowRoot;
      const c = root.querySelector('canvas').getBoundingClientRect();
      const cap = root.querySelector('.caption').getBoundingClientRect();
      const note = root.querySelector('.note').getBoundingClientRect();
      return { id: el.selected?.id, box: JSON.parse(el._map.screenBox(el.selected.id)), capTop: cap.top - c.top, note: [note.top - c.top, note.bottom - c.top] };
    });
    assert.ok(r.box[1] >= -0.5 && r.box[3] <= r.capTop + 0.5, `${r.id} ${r.box.map(Math.round)} above the caption at ${r.capTop}`);
    assert.ok(r.note[1] <= r.capTop + 0.5 && r.note[0] >= 0, `the credits (${r.note}) above the caption`);
  }
  await context.close();
});

test('a short map (the embed page on a phone): with the sheet full the buttons line up in a row, clear of everything', async () => {
  const { page, context } = await demo(PHONE, { path: 'embed.html' });
  await page.evaluate(() => document.querySelector('plan-map').select('beiyunhe'));
  await page.evaluate(() => document.querySelector('plan-map').shadowRoot.querySelector('.panel .sheet-handle').click());
  await settled(page);
  const l = await layout(page);
  const legend = await page.evaluate(() => {
    const root = document.querySelector('plan-map').shadowRoot;
    const c = root.querySelector('canvas').getBoundingClientRect();
    const r = root.querySelector('.legend').getBoundingClientRect();
    return [r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top];
  });
  assert.ok(l.canvas[3] < 600, `a short map (${l.canvas[3]} px)`);
  for (const b of l.controls) {
    assert.ok(inside(b, l.canvas), `button ${b} inside the map`);
    for (const [what, r] of [['sheet', l.panel], ['legend toggle', legend], ['list toggle', l.list], ['notes', l.note]]) {
      assert.ok(!overlaps(b, r), `button ${b} clear of the ${what} ${r}`);
    }
  }
  assert.ok(inside(l.note, l.canvas) && !overlaps(l.note, l.panel) && !l.noteCut, `notes ${l.note} whole and clear of the sheet`);
  await page.locator('plan-map').screenshot({ path: `${SHOTS}inview-embed-full.png` });
  await context.close();
});
