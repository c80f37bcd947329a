// A benchmark, never a test (issue 13): Liaoning's first frame, two planmap builds and ECharts
// in turn, round after round, so a shared machine's load falls on all of them alike; prints the
// medians and the ratios to ECharts. Each page is set up as `cargo xtask bench` sets it (`src`
// set right after load). Variants:
//   new      the build at PLANMAP_URL (a dist/ with the bench data: `cargo xtask bench` leaves one)
//   base     another build at PLANMAP_BASE_URL (`cargo xtask serve --port N --dir OTHER_DIST`)
//   warm     the build at PLANMAP_URL with its code warm: Shenyang loaded in a second element
//            a second before (what the first frame costs once V8 has compiled and optimised it)
//   echarts  ECharts 5 on the same file
// With HTML=1 the map has `src` from the start, as if written in the page's HTML (set as the
// parser inserts the element, before the element's script runs), and the figure is from
// navigation to the first frame: the case the element's warm-up (planmap-warm.js) cannot help.
// ECharts has no such case here: leave it out of V.
// Usage: PLANMAP_URL=… [PLANMAP_BASE_URL=…] [N=12] [DPR=1] [V=base,new,echarts] [HTML=1] node firstframe-ab.mjs
import { launch, BASE } from './helpers.mjs';
import { loadavg } from 'node:os';

const N = Number(process.env.N ?? 12);
const DPR = Number(process.env.DPR ?? 1);
const variants = (process.env.V ?? 'base,new,echarts').split(',');
const SRC = '../bench/liaoning.geojson';
const HTML = process.env.HTML === '1';
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const browser = await launch();
/** @type {Record<string, number[]>} */
const res = Object.fromEntries(variants.map((v) => [v, []]));
/** @type {Record<string, (number | string)[]>} */
const warmRuns = Object.fromEntries(variants.map((v) => [v, []]));
console.log(`start ${new Date().toISOString()}, load average ${load()}`);
try {
  for (let i = 0; i < N; i++) {
    for (const v of variants) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: DPR });
      const page = await context.newPage();
      const base = v === 'base' ? process.env.PLANMAP_BASE_URL : BASE;
      if (HTML) {
        await page.addInitScript((src) => {
          new MutationObserver((_, o) => {
            const m = document.getElementById('m');
            if (m) {
              m.setAttribute('src', src);
              o.disconnect();
            }
          }).observe(document, { childList: true, subtree: true });
          // When the first frame is drawn (the event fires as it is), its pixels flushed.
          addEventListener('planmap-ready', (e) => {
            /** @type {any} */ (e.target).shadowRoot.querySelector('canvas').getContext('2d').getImageData(0, 0, 1, 1);
            /** @type {any} */ (window).__readyAt = performance.now();
          }, { once: true });
        }, SRC);
      }
      await page.goto(`${base}/test/${v === 'echarts' ? 'bench-echarts.html' : 'bench.html'}`);
      // As the bench does before it measures: an evaluate and a CDP session.
      await page.evaluate(() => document.readyState);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('Performance.getMetrics');
      if (v === 'warm') {
        await page.evaluate(async () => {
          const w = document.createElement('plan-map');
          w.style.cssText = 'position:absolute;left:0;top:0;width:300px;height:200px';
          document.body.append(w);
          w.setAttribute('src', '../bench/shenyang.geojson');
          await w.ready;
          await new Promise((r) => setTimeout(r, 1000));
          w.remove();
        });
      }
      res[v].push(await page.evaluate(HTML ? async () => {
        await document.getElementById('m').ready;
        return /** @type {any} */ (window).__readyAt;
      } : v === 'echarts' ? async (src) => {
        const t0 = performance.now();
        const geo = await (await fetch(src)).json();
        echarts.registerMap('bench', geo);
        const chart = echarts.init(document.getElementById('e'), null, { renderer: 'canvas', devicePixelRatio });
        chart.setOption({ animation: false, series: [{ type: 'map', map: 'bench', roam: true, label: { show: true }, zoom: 1 }] });
        document.querySelector('#e canvas').getContext('2d').getImageData(0, 0, 1, 1);
        return performance.now() - t0;
      } : async (src) => {
        const el = document.getElementById('m');
        const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
        const t0 = performance.now();
        el.setAttribute('src', src);
        await el.ready;
        ctx.getImageData(0, 0, 1, 1);
        return performance.now() - t0;
      }, SRC));
      // How many runs of the warm-up (planmap-warm.js) were done when `src` came (none before it).
      if (v !== 'echarts') warmRuns[v].push(await page.evaluate(() => document.getElementById('m')._warm ?? '-'));
      await context.close();
    }
  }
} finally {
  await browser.close();
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`DPR ${DPR}, ${N} rounds; first frame${HTML ? ' from navigation, src in the HTML' : ''}, ms`);
for (const v of variants) {
  const runs = v === 'echarts' ? '' : `  warm-up runs done: ${warmRuns[v].join(' ')}`;
  console.log(`${v.padEnd(8)} median ${median(res[v]).toFixed(0)}  [${res[v].map((x) => x.toFixed(0)).join(' ')}]${runs}`);
}
if (res.echarts) {
  for (const v of variants.filter((v) => v !== 'echarts')) console.log(`${v} / ECharts: ${(median(res[v]) / median(res.echarts)).toFixed(2)}`);
}
console.log(`end ${new Date().toISOString()}, load average ${load()}`);
