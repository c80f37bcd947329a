// Issue 13: a frame joins each layer's cached paths into one path per fill and per border
// direction (Path2D.addPath). Those joined paths are kept while drawn in the last 32 frames, so
// a view drawn again after others (zooming in and back out, as a gesture does) joins nothing
// anew; keeping only the frame before rejoined all of China's borders in nearly half the bench's
// frames. Checked by the paths each frame joins (addPath) or makes (new Path2D: a level's
// first batch of borders is written in one pass).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a view drawn again a few frames later joins no path anew', async () => {
  const { page, errors, context } = await open(browser, 'test/first-frame.html', { size: [800, 600], dpr: 2 });
  await ready(page);
  const adds = await page.evaluate(() => {
    const el = /** @type {any} */ (document.getElementById('m'));
    const map = el._map;
    let n = 0;
    const add = Path2D.prototype.addPath;
    Path2D.prototype.addPath = function (...a) { n++; return add.apply(this, a); };
    // Paths made count too: a layer's first frame at a level writes its borders' joined paths
    // in one pass, without addPath.
    const P = window.Path2D;
    window.Path2D = class extends P {
      /** @param {any[]} a */
      constructor(...a) { super(...a); n++; }
    };
    /** Paths joined or made in one frame drawn after `zoom` levels about the middle. */
    const frame = (/** @type {number} */ zoom) => {
      n = 0;
      if (zoom) map.zoomAt(zoom, 400, 300);
      map.render();
      return n;
    };
    const out = {
      first: frame(0),
      // One level in (another level of detail: other paths), and out again to the first view.
      zoomedIn: frame(1),
      back: frame(-1),
      again: frame(0),
      zoomedInAgain: frame(1),
    };
    Path2D.prototype.addPath = add;
    window.Path2D = P;
    return out;
  });
  await context.close();
  assert.deepEqual(errors, []);
  assert.ok(adds.zoomedIn > 0, `zoomed in, the borders are made or joined at another level (${adds.zoomedIn} paths)`);
  assert.equal(adds.back, 0, 'back at the first view, its joined paths serve again');
  assert.equal(adds.again, 0);
  assert.equal(adds.zoomedInAgain, 0, 'and the zoomed-in ones two frames later');
});
