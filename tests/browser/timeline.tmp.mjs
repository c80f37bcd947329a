// Temporary: timeline of a streamed load of the china file (worker messages vs ready).
import { launch, BASE } from './helpers.mjs';
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
const page = await context.newPage();
page.setDefaultTimeout(240000);
await page.addInitScript(() => {
  const W = window.Worker;
  window.__log = [];
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', ({ data }) => {
        window.__log.push([performance.now(), data.type, data.bytes, data.features, data.batch ? data.batch.byteLength : 0]);
      });
    }
  };
});
await page.goto(`${BASE}/test/bench.html`);
const out = await page.evaluate(async (src) => {
  const el = document.getElementById('m');
  const t0 = performance.now();
  let taskMax = 0, taskSum = 0, nTasks = 0;
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) { taskMax = Math.max(taskMax, e.duration); taskSum += e.duration; nTasks++; } });
  obs.observe({ type: 'longtask' });
  el.setAttribute('src', src);
  await el.ready;
  el.shadowRoot.querySelector('canvas').getContext('2d').getImageData(0, 0, 1, 1);
  const t1 = performance.now();
  const log = window.__log.map(([t, ...r]) => [Math.round(t - t0), ...r]);
  return { first: t1 - t0, firstBatch: log.find((l) => l[1] === 'batch'), done: log.find((l) => l[1] === 'done'), n: log.length, longTasks: [nTasks, Math.round(taskSum), Math.round(taskMax)], tail: log.slice(-4) };
}, '../bench/china.geojson');
console.log(JSON.stringify(out));
await browser.close();
