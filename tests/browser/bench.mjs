// `cargo xtask bench`: frame times of planmap in headless Chromium (software raster, no GPU).
// A benchmark, not a test: it prints numbers and never fails on them. Compare ratios within one
// run; absolute times on this machine are noisy.
import { launch, BASE } from './helpers.mjs';

const CASES = [
  ['Huanggu plan (13 areas, 41 points)', '../data/huanggu/plan.json'],
  ['Shenyang, 13 districts (bare GeoJSON)', '../bench/shenyang.geojson'],
];
const DPRS = [1, 2];
const FRAMES = 120;

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95) };
}

const browser = await launch();
const rows = [];
for (const dpr of DPRS) for (const [label, src] of CASES) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: dpr });
  await page.goto(`${BASE}/test/bench.html`);
  const result = await page.evaluate(async ([src, FRAMES]) => {
    const el = document.getElementById('m');
    const t0 = performance.now();
    el.setAttribute('src', src);
    await el.ready;
    const firstFrame = performance.now() - t0;
    const map = el._map;
    const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
    const flush = () => ctx.getImageData(0, 0, 1, 1); // make the raster happen inside the timing
    const time = (step, withRaster) => {
      const out = [];
      for (let i = 0; i < FRAMES; i++) {
        const a = performance.now();
        step(i);
        map.render();
        if (withRaster) flush();
        out.push(performance.now() - a);
      }
      flush();
      return out;
    };
    el.fit();
    map.zoomAt(1, 600, 400);
    const issue = time((i) => map.panBy(i % 20 < 10 ? 4 : -4, 0), false);
    const pan = time((i) => map.panBy(i % 20 < 10 ? 4 : -4, 0), true);
    const zoom = time((i) => map.zoomAt(i % 20 < 10 ? 0.05 : -0.05, 600, 400), true);
    return { firstFrame, issue, pan, zoom };
  }, [src, FRAMES]);
  rows.push([`${label}, DPR ${dpr}`, result.firstFrame, stats(result.issue), stats(result.pan), stats(result.zoom)]);
  await page.close();
}

// The same Shenyang GeoJSON in ECharts 5 (canvas renderer), panned the same way through its
// roam: a peer on the same data in the same run, for a ratio rather than an absolute claim.
const peers = [];
for (const dpr of DPRS) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: dpr });
  await page.goto(`${BASE}/test/bench-echarts.html`);
  const r = await page.evaluate(async (FRAMES) => {
    const geo = await (await fetch('../bench/shenyang.geojson')).json();
    const t0 = performance.now();
    echarts.registerMap('shenyang', geo);
    const chart = echarts.init(document.getElementById('e'), null, { renderer: 'canvas', devicePixelRatio: devicePixelRatio });
    chart.setOption({ animation: false, series: [{ type: 'map', map: 'shenyang', roam: true, label: { show: true }, zoom: 2 }] });
    const ctx = document.querySelector('#e canvas').getContext('2d');
    ctx.getImageData(0, 0, 1, 1);
    const firstFrame = performance.now() - t0;
    const out = [];
    for (let i = 0; i < FRAMES; i++) {
      const a = performance.now();
      const c = chart.getOption().series[0].center ?? [123.4, 41.8];
      chart.setOption({ series: [{ center: [c[0] + (i % 20 < 10 ? 0.002 : -0.002), c[1]] }] }, { lazyUpdate: false });
      ctx.getImageData(0, 0, 1, 1);
      out.push(performance.now() - a);
    }
    return { firstFrame, pan: out };
  }, FRAMES);
  peers.push([`ECharts 5, Shenyang, DPR ${dpr}`, r.firstFrame, stats(r.pan)]);
  await page.close();
}
await browser.close();

const f = (x) => x.toFixed(2).padStart(7);
console.log(`\nplanmap frame times, 1200×800 CSS px at DPR 2, ${FRAMES} frames each (ms):`);
console.log(`${'case'.padEnd(48)} ${'first frame'.padStart(12)} ${'issue only'.padStart(11)} ${'pan median'.padStart(11)} ${'pan p95'.padStart(8)} ${'zoom median'.padStart(12)}`);
for (const [label, first, issue, pan, zoom] of rows) {
  console.log(`${label.padEnd(48)} ${f(first).padStart(12)} ${f(issue.median).padStart(11)} ${f(pan.median).padStart(11)} ${f(pan.p95).padStart(8)} ${f(zoom.median).padStart(12)}`);
}
for (const [label, first, pan] of peers) {
  console.log(`${label.padEnd(48)} ${f(first).padStart(12)} ${''.padStart(11)} ${f(pan.median).padStart(11)} ${f(pan.p95).padStart(8)}`);
}
console.log('first frame: from setting src to `ready` (fetch, parse, project, index, draw; ECharts: from parsed JSON).');
console.log('issue only: planmap building and issuing the frame, without waiting for the canvas raster; other columns include the raster.');
