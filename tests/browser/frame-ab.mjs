// A benchmark, never a test (issue 13): two or more builds of planmap side by side on one
// file, by the main thread's CPU time per frame (CDP `Performance.getMetrics` ThreadTime), which
// on a shared machine holds far steadier than wall time. Each build is served on its own (e.g.
// `target/release/xtask serve --port 8801 --dir DIST`, with tests/browser/fixtures/* in
// DIST/test and the bench data in DIST/bench); pages alternate between builds, so each sees the
// same load. A frame is the bench's: one zoom step of ±0.05 level one level in from fit,
// raster flushed. Usage:
//   node frame-ab.mjs [--src ../bench/liaoning.geojson] [--dprs 1,2,3] [--rounds 3] NAME=URL NAME=URL…
import { launch } from './helpers.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i < 0 ? dflt : argv.splice(i, 2)[1];
};
const SRC = opt('--src', '../bench/liaoning.geojson');
const DPRS = opt('--dprs', '1,2').split(',').map(Number);
const ROUNDS = Number(opt('--rounds', '3'));
const FRAMES = 60;
const builds = argv.map((a) => a.split(/=(.*)/s).slice(0, 2));
if (builds.length < 1 || builds.some(([n, u]) => !n || !u)) throw new Error('usage: node frame-ab.mjs [options] NAME=URL…');

/** The bench's zoom steps, `n` of them, each drawn and flushed; returns wall ms per frame. */
const steps = (n) => {
  const el = /** @type {any} */ (document.getElementById('m'));
  const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
  const a = performance.now();
  for (let i = 0; i < n; i++) {
    el._map.zoomAt(i % 20 < 10 ? 0.05 : -0.05, 600, 400);
    el._map.render();
    ctx.getImageData(0, 0, 1, 1);
  }
  return (performance.now() - a) / n;
};

const browser = await launch();
/** @type {Record<string, number[][]>} */
const results = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const dpr of DPRS) {
    for (const [name, base] of r % 2 ? [...builds].reverse() : builds) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: dpr });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(`${base}/test/bench.html`);
      await page.evaluate(async (src) => {
        const el = /** @type {any} */ (document.getElementById('m'));
        el.setAttribute('src', src);
        await el.ready;
        el.fit();
        el._map.zoomAt(1, 600, 400);
      }, SRC);
      await page.evaluate(`(${steps})(20)`); // builds the paths these views join
      const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
      const before = await cpu();
      const wall = await page.evaluate(`(${steps})(${FRAMES})`);
      const after = await cpu();
      await context.close();
      (results[`${name} · DPR ${dpr}`] ??= []).push([((after - before) * 1000) / FRAMES, Number(wall)]);
    }
  }
}
await browser.close();
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${SRC}, ${FRAMES} frames a page, ${ROUNDS} rounds; ms per frame`);
console.log('| build · DPR | CPU, each round | CPU median | wall median |\n| --- | --- | ---: | ---: |');
for (const [k, v] of Object.entries(results).sort()) {
  console.log(`| ${k} | ${v.map((x) => x[0].toFixed(2)).join(' ')} | ${median(v.map((x) => x[0])).toFixed(2)} | ${median(v.map((x) => x[1])).toFixed(2)} |`);
}
