// Issue 13: the label painter (planmap-sprites.js) keeps each label's sprite while it is drawn
// frame after frame, however many labels a frame has, and drops the least recently drawn past
// its budget of sprite pixels. A cache of 256 started again past it remade nearly every sprite
// in every frame of all of China's ≈ 500 county labels. Checked on the element's own painter
// by the sprites it makes (OffscreenCanvas.transferToImageBitmap), the bitmaps it closes and
// the pixels it copies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a frame of 600 labels drawn again makes no sprite and copies the same pixels', async () => {
  const { page, errors, context } = await open(browser, 'test/first-frame.html', { size: [800, 600], dpr: 2 });
  await ready(page);
  const r = await page.evaluate(() => {
    const el = /** @type {any} */ (document.getElementById('m'));
    const painter = el._labels;
    let made = 0;
    const transfer = OffscreenCanvas.prototype.transferToImageBitmap;
    OffscreenCanvas.prototype.transferToImageBitmap = function () { made++; return transfer.call(this); };
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1600;
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    /** One frame: 600 labels of 12 px text with a white halo on a 30 × 20 grid. */
    const frame = () => {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 2400, 1600);
      for (let k = 0; k < 600; k++) {
        const [x, y] = [20 + (k % 30) * 39.3, 20 + Math.floor(k / 30) * 38.7];
        painter.paint(ctx, `县${k}`, 'bold 12.0px sans-serif', '#333333', '#ffffff', 'center', x, y, 2);
      }
      return ctx.getImageData(0, 0, 2400, 1600).data;
    };
    const first = frame();
    const madeFirst = made;
    made = 0;
    const second = frame();
    let differ = 0;
    let ink = 0;
    for (let i = 0; i < first.length; i += 4) {
      if (first[i] !== second[i] || first[i + 1] !== second[i + 1] || first[i + 2] !== second[i + 2]) differ++;
      if (first[i] < 128) ink++;
    }
    OffscreenCanvas.prototype.transferToImageBitmap = transfer;
    return { madeFirst, madeSecond: made, differ, ink };
  });
  await context.close();
  assert.deepEqual(errors, []);
  assert.equal(r.madeFirst, 600, 'one sprite a label the first time');
  assert.equal(r.madeSecond, 0, 'none made again');
  assert.ok(r.ink > 600 * 20, `the labels were drawn (${r.ink} dark pixels)`);
  assert.equal(r.differ, 0, 'the second frame copies the same pixels');
});

test('past its budget the painter closes the least recently drawn sprites', async () => {
  const { page, errors, context } = await open(browser, 'test/first-frame.html', { size: [800, 600], dpr: 2 });
  await ready(page);
  const r = await page.evaluate(() => {
    const el = /** @type {any} */ (document.getElementById('m'));
    const painter = el._labels;
    const ctx = /** @type {CanvasRenderingContext2D} */ (new OffscreenCanvas(400, 400).getContext('2d'));
    /** The bitmap each label was copied from, by label. @type {Map<string, ImageBitmap>} */
    const copied = new Map();
    const drawImage = ctx.drawImage.bind(ctx);
    ctx.drawImage = (img, ...a) => {
      copied.set(current, img);
      return drawImage(img, ...a);
    };
    let current = '';
    const paint = (/** @type {string} */ text) => {
      current = text;
      painter.paint(ctx, text, 'bold 60.0px sans-serif', '#333333', '#ffffff', 'left', 10, 50, 2);
    };
    // Big labels (≈ 60,000 device pixels each) until well past 8 million pixels; the first
    // drawn again after every 20 others, as a label that stays in view while others pass.
    for (let k = 0; k < 400; k++) {
      paint(`标签${k}`);
      if (k % 20 === 0) paint('标签0');
    }
    const open = [...copied].filter(([, b]) => b.width > 0);
    const pixels = open.reduce((s, [, b]) => s + b.width * b.height, 0);
    return {
      labels: copied.size,
      open: open.length,
      pixels,
      first: copied.get('标签0')?.width ?? 0,
      second: copied.get('标签1')?.width ?? 0,
      last: copied.get('标签399')?.width ?? 0,
    };
  });
  await context.close();
  assert.deepEqual(errors, []);
  assert.equal(r.labels, 400);
  assert.ok(r.open < r.labels, `${r.open} of ${r.labels} sprites still open: some were dropped`);
  assert.ok(r.pixels <= 8e6, `the open sprites hold ${r.pixels} pixels`);
  assert.ok(r.open > 50, `${r.open} sprites kept, not a cache started again`);
  assert.ok(r.last > 0, 'the last drawn is kept');
  assert.equal(r.second, 0, 'the second drawn, not drawn since, is closed');
  assert.ok(r.first > 0, 'the first, drawn again and again, is kept');
});
