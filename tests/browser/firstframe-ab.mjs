// A benchmark, never a test (issue 13): Liaoning's first frame, two planmap builds and ECharts
// in turn, round after round, so a shared machine's load falls on all of them alike; prints the
// medians and the ratios to ECharts. Each page is set up as `cargo xtask bench` sets it (`src`
// set right after load). Variants:
//   new      the build at PLANMAP_URL (a dist/ with the bench data: `cargo xtask bench` leaves one)
//   base     another build at PLANMAP_BASE_URL (`cargo xtask serve --port N --dir OTHER_DIST`)
//   warm     the build at PLANMAP_URL with its code warm: Shenyang loaded in a second element
//            a second before (what the first frame costs once V8 has compiled and optimised it)
//   echarts  ECharts 5 on the same file
// SRC picks the file (default Liaoning; `../bench/china.geojson` for all of China). For a streamed
// file each planmap run also prints where the page's thread went: the worker's messages taken
// (count, ms in all, longest), from the last message to `loadStreamed`'s end, from there to
// `ready` (the labels measured, the first frame drawn).
// With HTML=1 the map has `src` from the start, as if written in the page's HTML (set as the
// parser inserts the element, before the element's script runs), and the figure is from
// navigation to the first frame: the case the element's warm-up (planmap-warm.js) cannot help.
// ECharts has no such case here: leave it out of V.
// EXTRA_FLAGS adds Chromium switches (helpers.mjs), e.g. EXTRA_FLAGS=--js-flags=--liftoff-only
// (V8's baseline tier only: on Liaoning the same first frame as the default, 247 against 240
// ms on 2026-11-27, so a cold first load never gets the optimised code in time).
// QUIET=1 leaves out each run's notes (the CPU medians stay).
// Usage: PLANMAP_URL=… [PLANMAP_BASE_URL=…] [N=12] [DPR=1] [V=base,new,echarts] [HTML=1] [SRC=…] [EXTRA_FLAGS=…] node firstframe-ab.mjs
import { launch, BASE } from './helpers.mjs';
import { loadavg } from 'node:os';

const N = Number(process.env.N ?? 12);
const DPR = Number(process.env.DPR ?? 1);
const variants = (process.env.V ?? 'base,new,echarts').split(',');
const SRC = process.env.SRC ?? '../bench/liaoning.geojson';
const HTML = process.env.HTML === '1';
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const browser = await launch();
/** @type {Record<string, number[]>} */
const res = Object.fromEntries(variants.map((v) => [v, []]));
/** @type {Record<string, (number | string)[]>} */
const warmRuns = Object.fromEntries(variants.map((v) => [v, []]));
/** @type {Record<string, number[]>} */
const cpus = Object.fromEntries(variants.map((v) => [v, []]));
/** @type {Record<string, string[]>} */
const notes = Object.fromEntries(variants.map((v) => [v, []]));
console.log(`start ${new Date().toISOString()}, load average ${load()}`);
try {
  for (let i = 0; i < N; i++) {
    for (const v of variants) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: DPR });
      const page = await context.newPage();
      // The page's side of a streamed load: each worker message's handler timed.
      await page.addInitScript(() => {
        const W = window.Worker;
        /** @type {{took: number[], last: number}} */
        const log = { took: [], last: NaN };
        Object.assign(window, { __stream: log });
        window.Worker = class extends W {
          set onmessage(f) {
            super.onmessage = (e) => {
              const a = performance.now();
              f(e);
              log.last = performance.now();
              log.took.push(log.last - a);
            };
          }
          get onmessage() { return super.onmessage; }
        };
      });
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
      const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value * 1000;
      const cpu0 = await cpu();
      // The renderers' CPU time (the page's threads and its workers'), in ms.
      const renderers = async () => {
        const b = await browser.newBrowserCDPSession();
        const { processInfo } = await b.send('SystemInfo.getProcessInfo');
        await b.detach();
        return 1000 * processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
      };
      const all0 = await renderers();
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
      const out = await page.evaluate(HTML ? async () => {
        await document.getElementById('m').ready;
        return { ms: /** @type {any} */ (window).__readyAt, note: '' };
      } : v === 'echarts' ? async (src) => {
        const t0 = performance.now();
        const geo = await (await fetch(src)).json();
        echarts.registerMap('bench', geo);
        const chart = echarts.init(document.getElementById('e'), null, { renderer: 'canvas', devicePixelRatio });
        chart.setOption({ animation: false, series: [{ type: 'map', map: 'bench', roam: true, label: { show: true }, zoom: 1 }] });
        document.querySelector('#e canvas').getContext('2d').getImageData(0, 0, 1, 1);
        return { ms: performance.now() - t0 };
      } : async (src) => {
        const el = document.getElementById('m');
        const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
        let loaded = NaN;
        let map = null;
        Object.defineProperty(el, '_map', {
          configurable: true,
          get: () => map,
          set(m) {
            if (m && typeof m.loadStreamed === 'function' && !m.__timed) {
              const f = m.loadStreamed.bind(m);
              m.loadStreamed = (...a) => {
                const r = f(...a);
                loaded = performance.now();
                return r;
              };
              m.__timed = true;
            }
            map = m;
          },
        });
        const t0 = performance.now();
        el.setAttribute('src', src);
        await el.ready;
        ctx.getImageData(0, 0, 1, 1);
        const end = performance.now();
        const { took, last } = /** @type {any} */ (window).__stream;
        const sum = took.reduce((a, b) => a + b, 0);
        const memory = (await el._core.default()).memory.buffer.byteLength / 1048576;
        const note = took.length
          ? `${took.length} messages ${sum.toFixed(0)} ms (longest ${Math.max(...took).toFixed(0)}), last at ${(last - t0).toFixed(0)}, +${(loaded - last).toFixed(0)} to loadStreamed, +${(end - loaded).toFixed(0)} to pixels; wasm memory ${memory.toFixed(0)} MB`
          : '';
        return { ms: end - t0, note };
      }, SRC);
      res[v].push(out.ms);
      // The page's main thread's CPU time for the whole load (the machine is shared: wall
      // times swing with its load, CPU time less).
      cpus[v].push((await cpu()) - cpu0);
      notes[v].push(`${out.note ? `${out.note}; ` : ''}main thread CPU ${cpus[v].at(-1)?.toFixed(0)} ms, renderer CPU ${((await renderers()) - all0).toFixed(0)} ms`);
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
  if (!process.env.QUIET) for (const n of notes[v]) console.log(`         ${n}`);
  console.log(`         main thread CPU median ${median(cpus[v]).toFixed(0)} ms (from load to the figure's end, the warm-up's steps before src included)`);
}
if (res.echarts) {
  for (const v of variants.filter((v) => v !== 'echarts')) console.log(`${v} / ECharts: ${(median(res[v]) / median(res.echarts)).toFixed(2)}`);
}
console.log(`end ${new Date().toISOString()}, load average ${load()}`);
