// A benchmark, never a test (issue 13): the map's part of a cold first load, steady enough to
// compare builds by. A page's first load of a large file runs the wasm mostly in V8's baseline
// tier (Liftoff: the optimised code comes too late to matter), and on a shared two-core machine
// its wall time swings by a third from run to run with whatever else is running. Here the same
// calls a page makes (`beginFeed`, `feed` in 64 KB chunks, `endFile`, `finishFeed`, `render`)
// run in Node with V8 held to that tier (`--liftoff-only`) and no background threads, on a
// canvas that does nothing (no raster: the wasm's own work only), timed by CPU time; the
// minimum of several runs of each build, the builds taken in turn. Differences of a few per
// cent between builds hold from run to run, where the browser's first frame needs dozens of
// rounds to show them (firstframe-ab.mjs checks the result there).
// Usage (after `cargo xtask bench` has left the data in dist/bench, or `node bench-data.mjs DIR`):
//   node --liftoff-only --single-threaded coldload.mjs [--file F] [--runs 7] [--rounds 2] DIST [DIST…]
// where each DIST is a `dist/` (copy one aside to compare a change with it).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k < 0 ? fallback : args.splice(k, 2)[1];
};
const file = option('--file', '../../dist/bench/liaoning.geojson');
const runs = Number(option('--runs', '7'));
const rounds = Number(option('--rounds', '2'));
const dists = (args.length ? args : ['../../dist']).map((d) => resolve(d));

/** A 2D context that draws nothing: what the core calls on it answers as a canvas would. */
class Context {
  /** @param {object} canvas */
  constructor(canvas) {
    this.canvas = canvas;
  }
  /** @param {string} text */
  measureText(text) {
    return { width: text.length * 12, actualBoundingBoxAscent: 10, actualBoundingBoxDescent: 3 };
  }
  getImageData() {
    return { data: new Uint8ClampedArray(4) };
  }
  getTransform() {
    return { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  }
  createLinearGradient() {
    return { addColorStop() {} };
  }
  createPattern() {
    return {};
  }
}
const nothing = () => {};
/** @param {object} canvas */
const context = (canvas) => new Proxy(new Context(canvas), {
  get: (t, k) => (k in t ? /** @type {any} */ (t)[k] : nothing),
  set: () => true,
});
Object.assign(globalThis, {
  CanvasRenderingContext2D: Context,
  Path2D: class {
    addPath() {}
  },
});

const bytes = readFileSync(resolve(file));
const CHUNK = 65536;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** @type {Map<string, {feed: number[], finish: number[], render: number[]}>} */
const times = new Map(dists.map((d) => [d, { feed: [], finish: [], render: [] }]));
/** Each build's glue, on its own compiled wasm. */
const glues = new Map();
for (const d of dists) {
  const glue = await import(`${d}/planmap_core.js?${encodeURIComponent(d)}`);
  glue.initSync({ module: readFileSync(`${d}/planmap_core_bg.wasm`) });
  glues.set(d, glue);
}
for (let round = 0; round < rounds; round++) {
  for (const d of dists) {
    const glue = glues.get(d);
    const t = /** @type {{feed: number[], finish: number[], render: number[]}} */ (times.get(d));
    for (let r = 0; r < runs; r++) {
      const canvas = { width: 0, height: 0, getContext: () => context(canvas) };
      const map = new glue.PlanMap(canvas);
      map.resize(1200, 800, 1, 1200, 800);
      let a = cpu();
      map.beginFeed('bench.geojson');
      for (let i = 0; i < bytes.length; i += CHUNK) map.feed(bytes.subarray(i, i + CHUNK));
      map.endFile();
      let b = cpu();
      t.feed.push(b - a);
      a = b;
      map.finishFeed();
      b = cpu();
      t.finish.push(b - a);
      a = b;
      map.render();
      t.render.push(cpu() - a);
      map.free();
    }
  }
}
const min = (/** @type {number[]} */ xs) => Math.min(...xs);
console.log(`${file}: CPU ms, the least of ${runs * rounds} runs (V8 ${process.versions.v8}${process.execArgv.length ? `, ${process.execArgv.join(' ')}` : ''})`);
for (const [d, t] of times) {
  const [feed, finish, render] = [min(t.feed), min(t.finish), min(t.render)];
  console.log(`  feed ${feed.toFixed(1).padStart(6)}  finishFeed ${finish.toFixed(1).padStart(6)}  render ${render.toFixed(1).padStart(6)}  all ${(feed + finish + render).toFixed(1).padStart(6)}  ${d}`);
}
