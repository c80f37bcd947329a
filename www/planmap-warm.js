// Warming the map's wasm up before its data comes (issue 13). V8 runs a freshly compiled wasm
// function in its baseline tier (Liftoff) and swaps in optimised code (TurboFan, compiled in
// the background once the function has run a while) only from its next call on: a first load
// runs its parse, projection, border network, levels of detail and scene mostly in baseline
// code, at about twice the time the same load takes warm. So when a map is mounted without
// `src` (a page script sets it later), a generated plan (a grid of districts with zigzag
// shared borders, made here: no file, no request) goes through the same calls as a real load,
// on a throwaway map and a detached canvas: one small row of it as soon as the wasm is there
// (one task), then the whole plan three times, one short step per task in the page's idle
// time. Nothing of it shows: no event, no DOM, no request, and the map is freed after each
// run. The first real load anywhere on the page stops it before its next step, so a load waits
// at most for one step in progress (the small run, ≈ 30 ms, the longest). A map with `src`
// from the start gets none: its load begins at once (README, Speed).

import { warmStopped } from './planmap-wasm.js';

/** Districts a side: `N` × `N` of them. */
const N = 8;
/** Lattice steps a district's side: `4K` vertices each, 51,200 in all: over the 50,000 past
 * which the core defers label points (polylabel) past the first frame, as it does Liaoning's
 * (`DEFER_LABELS_OVER`, src/geom/projected.rs). Under it, polylabel on these zigzags made
 * `finishFeed` a task of 50–190 ms here, not 5–20. */
const K = 200;

/** Lattice coordinates to two decimals (a step is 0.01°), then the digits that move a vertex
 * by up to 0.3 of a step: a vertex is written by joining strings, not formatting numbers (the
 * 102,400 `toFixed` calls took a cold page 40–190 ms). */
const LON = Array.from({ length: N * K + 1 }, (_, a) => (120 + a / 100).toFixed(2));
const LAT = LON.map((_, b) => (39 + b / 100).toFixed(2));
const MOVE = ['000', '130', '270', '060', '210', '300', '090'];

/**
 * Row `j` of a FeatureCollection of N × N square districts of `k` lattice steps a side, as
 * UTF-8: the rows one after the other and then `]}` are the file (1.1 MB at `K`, each row a
 * step of the warm-up). Vertex (a, b) of the lattice is always written the same, wherever it
 * is met, so neighbours share their borders exactly; its longitude is moved by a digit string
 * picked by b and its latitude by one picked by a, so the borders zigzag and every level of
 * detail has points to drop.
 * @param {number} j
 * @param {number} [k]
 */
function row(j, k = K) {
  const features = [];
  for (let i = 0; i < N; i++) {
    let [a, b] = [i * k, j * k];
    const ring = [];
    for (const [da, db] of [[1, 0], [0, 1], [-1, 0], [0, -1]]) {
      for (let t = 0; t < k; t++, a += da, b += db) ring.push(`[${LON[a]}${MOVE[b % 7]},${LAT[b]}${MOVE[a % 7]}]`);
    }
    ring.push(ring[0]);
    features.push(`{"type":"Feature","id":"${i}-${j}","properties":{"name":"区${i}${j}"},"geometry":{"type":"Polygon","coordinates":[[${ring}]]}}`);
  }
  return new TextEncoder().encode(`${j ? ',' : '{"type":"FeatureCollection","features":['}${features}`);
}

/** The page's warm-up, run once. @type {Promise<number> | null} */
let warming = null;

/**
 * Warms up the core `core` resolves to, once per page: resolves to the runs completed when
 * done or stopped. `painter` makes a label painter (planmap-sprites.js's `labelPainter`, handed
 * in so this module, import()ed, brings no second copy of it).
 * @param {Promise<import('./planmap-wasm.js').CoreModule>} core
 * @param {typeof import('./planmap-sprites.js').labelPainter} painter
 */
export const warmUp = (core, painter) => (warming ??= run(core, painter));

/** Lets the page's other tasks run: a message to itself, which, unlike a chain of
 * `setTimeout(0)`s, browsers do not hold back 4 ms each from the fifth on. */
const pause = () => new Promise((r) => {
  const c = new MessageChannel();
  c.port1.onmessage = r;
  c.port2.postMessage(0);
});

/** Lattice steps a district's side in the first, small run: 800 vertices in all. */
const FIRST_K = 25;

/**
 * First one row of small districts through a throwaway map as soon as the wasm is there, in
 * one task (≈ 30 ms of work on a first load): V8 compiles, in its baseline tier, the functions
 * a load and a frame call, and the canvas and text code a frame uses runs once. That took
 * ≈ 40 ms off Liaoning's first frame when `src` came after it (issue 13); as one task it is done
 * before the bench page's `src` in every round, where spread over the page's other start-up
 * tasks it seldom was. Then the plan made a row a task (the page's thread is idle while
 * nothing loads) and three runs of it, one step a task (so V8 has run each stage long enough
 * to optimise it).
 * @param {Promise<import('./planmap-wasm.js').CoreModule>} wasm
 * @param {typeof import('./planmap-sprites.js').labelPainter} painter
 * @returns {Promise<number>} the runs completed, the small one included
 */
async function run(wasm, painter) {
  const small = [row(0, FIRST_K), new TextEncoder().encode(']}')];
  const core = await wasm;
  const canvas = document.createElement('canvas');
  let runs = 0;
  if (!(await through(core, canvas, painter, small, [400, 300], true))) return runs;
  runs++;
  const rows = [];
  for (let j = 0; j < N; j++) {
    await pause();
    if (warmStopped()) return runs;
    rows.push(row(j));
  }
  rows.push(new TextEncoder().encode(']}'));
  for (let full = 0; full < 3; full++) {
    if (!(await through(core, canvas, painter, rows, [1200, 800]))) return runs;
    runs++;
  }
  return runs;
}

/**
 * The file `rows` through a throwaway map on `canvas`, as a real load calls them: one call a
 * task, or all in one when `together` (the small run: ≈ 30 ms of work at most, done before a
 * page script's `src` more often than a run spread over the page's other start-up tasks);
 * false when a real load stopped it first.
 * @param {import('./planmap-wasm.js').CoreModule} core
 * @param {HTMLCanvasElement} canvas
 * @param {typeof import('./planmap-sprites.js').labelPainter} painter
 * @param {Uint8Array[]} rows
 * @param {[number, number]} size the map's CSS pixels, drawn at the page's pixel ratio (at 1.5
 *   or more the labels are sprites, planmap-sprites.js: that code is warmed up too)
 * @param {boolean} [together]
 */
async function through(core, canvas, painter, rows, [w, h], together = false) {
  await pause();
  if (warmStopped()) return false;
  const map = new core.PlanMap(canvas);
  try {
    /** @type {(() => unknown)[]} */
    const steps = [() => {
      const dpr = devicePixelRatio || 1;
      map.resize(w, h, dpr, Math.round(w * dpr), Math.round(h * dpr));
      map.setLabelPainter(painter());
      map.beginFeed('warm.geojson');
    }];
    for (const bytes of rows) steps.push(() => map.feed(bytes));
    steps.push(() => map.endFile(), () => map.finishFeed(), () => map.render());
    for (const [i, step] of steps.entries()) {
      if (i > 0 && !together) await pause();
      if (warmStopped()) return false;
      step();
    }
    return true;
  } finally {
    map.free();
  }
}
