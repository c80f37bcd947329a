// `cargo xtask bench`: planmap beside ECharts 5 and Leaflet 1.9 on the same GeoJSON, in one
// headless Chromium run (software raster, no GPU), and the citizen's-phone figure.
// A benchmark, never a test: it prints numbers and fails on none of them. Compare ratios within
// one run; absolute times on a shared 2-core machine are noisy.
//
// Usage (xtask serves dist/ and sets PLANMAP_URL; the data comes from bench-data.mjs):
//   node bench.mjs [--only frames|memory|phone|labels] [--cases huanggu,shenyang,liaoning,china] [--out FILE]
import { launch, BASE } from './helpers.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ONLY = arg('--only');
const OUT = arg('--out');

// [key, label, src relative to dist/test/, frames per series, peers run on it]
const CASES = [
  ['huanggu', 'Huanggu plan (13 areas, 41 points)', '../data/huanggu/plan.json', 60, false],
  ['shenyang', 'Shenyang (13 districts, 27k vertices, 0.8 MB)', '../bench/shenyang.geojson', 60, true],
  ['liaoning', 'Liaoning (100 districts, 179k vertices, 5.2 MB)', '../bench/liaoning.geojson', 40, true],
  ['china', 'All-China county level (3,253 features, 6.89 M vertices, 211 MB)', '../bench/china.geojson', 6, true],
].filter(([key]) => !arg('--cases') || arg('--cases').split(',').includes(key));
const DPRS = [1, 2];
/** First frames timed on fresh pages per case, peer and DPR, the median reported: one sample
 * swung by a third from run to run on this shared machine. All of China gets one (each takes
 * seconds, and its ratio is far from its line). */
const FIRST_FRAME_RUNS = 7;
const SIZE = { width: 1200, height: 800 };
const TIMEOUT_MS = 240_000;

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

/**
 * Samples the page's JS heap in use (CDP Performance.getMetrics) every 100 ms until stopped,
 * keeping the largest. The renderer answers between tasks, so the peak inside one long task can
 * be missed: the column is "largest seen", plus planmap's wasm memory, which never shrinks.
 */
async function heapSampler(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const sample = async () => {
    try {
      const { metrics } = await cdp.send('Performance.getMetrics');
      peak = Math.max(peak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
    } catch { /* page closing */ }
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    sample,
    async stop() {
      running = false;
      await loop;
      await sample();
      return peak;
    },
  };
}

/**
 * The largest peak resident memory (VmHWM, MB) among the browser's renderer processes: the
 * page's JS heap, its wasm memory, a worker's and Blink's together, as the system sees them.
 */
async function rendererPeak(browser) {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    let peak = 0;
    for (const p of processInfo.filter((p) => p.type === 'renderer')) {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    }
    return peak || NaN;
  } catch {
    return NaN;
  }
}

/** Runs `fn(page)` on a fresh page of the bench size at `dpr`, with heap sampling. */
async function onPage(browser, path, dpr, fn) {
  const context = await browser.newContext({ viewport: SIZE, deviceScaleFactor: dpr });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The main thread's CPU time in ms (CDP ThreadTime), for a page to read around its frames:
  // on a shared machine it holds far steadier than wall time, which counts other processes' turns.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.exposeFunction('__threadTime', async () => 1000 * ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN));
  // A navigation that stalls (the test server has been seen to leave a module request
  // unanswered under load) is tried again rather than ending the whole run.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${BASE}/test/${path}`, { timeout: 30_000 });
      break;
    } catch (e) {
      if (attempt === 3) {
        await context.close();
        return { error: `page did not load: ${(e.message || String(e)).split('\n')[0]}` };
      }
      console.log(` (navigation stalled, trying again)`);
    }
  }
  // Long tasks from here on (the page's own start-up excluded, the same for every peer).
  await page.evaluate(() => {
    const seen = [];
    const observer = new PerformanceObserver((l) => seen.push(...l.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    // Long tasks so far: waits for the running task to end and be reported first.
    window.__longTasks = async () => {
      await new Promise((r) => setTimeout(r, 50));
      return [...seen, ...observer.takeRecords().map((e) => e.duration)];
    };
  });
  const heap = await heapSampler(page);
  try {
    const r = await Promise.race([
      fn(page),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)),
    ]);
    r.heap = (await heap.stop()) + (r.wasmBytes ?? 0);
    r.rss = await rendererPeak(browser);
    return r;
  } catch (e) {
    await heap.stop();
    return { error: (e.message || String(e)).split('\n')[0] };
  } finally {
    if (errors.length) console.log(`  page errors on ${path}: ${errors.slice(0, 3).join(' | ')}`);
    await context.close();
  }
}

// Each peer: fetch the file, build its model ("load"), draw the first frame with the raster
// flushed ("first frame", from the start of the fetch), then fit, zoom in one level and time
// `frames` zoom steps of ±0.05 level about the centre, each with the raster flushed.

async function planmapCase(page, src, frames) {
  return page.evaluate(async ([src, frames]) => {
    const el = document.getElementById('m');
    let loaded = NaN;
    // Record when the core's load returns: the element creates the map and then loads into it.
    let map = null;
    Object.defineProperty(el, '_map', {
      configurable: true,
      get: () => map,
      set(v) {
        if (v && !v.__timed) {
          // Whichever way the plan comes in: whole, fed, or streamed in a worker.
          for (const fn of ['load', 'finishFeed', 'loadStreamed']) {
            if (typeof v[fn] !== 'function') continue;
            const f = v[fn].bind(v);
            v[fn] = (...a) => {
              const r = f(...a);
              loaded = performance.now();
              return r;
            };
          }
          v.__timed = true;
        }
        map = v;
      },
    });
    const canvas = el.shadowRoot.querySelector('canvas');
    const ctx = canvas.getContext('2d');
    const flush = () => ctx.getImageData(0, 0, 1, 1);
    const t0 = performance.now();
    el.setAttribute('src', src);
    try {
      await el.ready;
    } catch (e) {
      return { refused: String(e.message || e) };
    }
    flush();
    const firstFrame = performance.now() - t0;
    // The warm-up runs done when `src` came (planmap-warm.js; it stopped then), or '-' for none.
    const warm = await el._warm ?? '-';
    const longTasks = await window.__longTasks();
    // The live instance's memory (its glue's init returns the exports once initialised).
    const wasmBytes = (await el._core.default()).memory.buffer.byteLength;
    el.fit();
    map.zoomAt(1, 600, 400);
    map.render();
    const times = [];
    const cpu0 = await window.__threadTime();
    for (let i = 0; i < frames; i++) {
      const a = performance.now();
      map.zoomAt(i % 20 < 10 ? 0.05 : -0.05, 600, 400);
      map.render();
      flush();
      times.push(performance.now() - a);
    }
    const cpu = (await window.__threadTime() - cpu0) / frames;
    return { load: loaded - t0, firstFrame, times, cpu, longTasks, wasmBytes, warm };
  }, [src, frames]);
}

async function echartsCase(page, src, frames) {
  return page.evaluate(async ([src, frames]) => {
    const t0 = performance.now();
    const geo = await (await fetch(src)).json();
    echarts.registerMap('bench', geo);
    const load = performance.now() - t0;
    const chart = echarts.init(document.getElementById('e'), null, { renderer: 'canvas', devicePixelRatio });
    chart.setOption({ animation: false, series: [{ type: 'map', map: 'bench', roam: true, label: { show: true }, zoom: 1 }] });
    const ctx = document.querySelector('#e canvas').getContext('2d');
    ctx.getImageData(0, 0, 1, 1);
    const firstFrame = performance.now() - t0;
    const longTasks = await window.__longTasks();
    let zoom = 2;
    chart.setOption({ series: [{ zoom }] });
    const times = [];
    const cpu0 = await window.__threadTime();
    for (let i = 0; i < frames; i++) {
      const a = performance.now();
      zoom *= 2 ** (i % 20 < 10 ? 0.05 : -0.05);
      chart.setOption({ series: [{ zoom }] }, { lazyUpdate: false });
      ctx.getImageData(0, 0, 1, 1);
      times.push(performance.now() - a);
    }
    const cpu = (await window.__threadTime() - cpu0) / frames;
    return { load, firstFrame, times, cpu, longTasks };
  }, [src, frames]);
}

async function leafletCase(page, src, frames) {
  return page.evaluate(async ([src, frames]) => {
    const t0 = performance.now();
    const geo = await (await fetch(src)).json();
    // Feature by feature, so the one feature Leaflet rejects ("Invalid LatLng") is skipped and
    // counted rather than taking the whole file down.
    const layer = L.geoJSON(null, { style: { weight: 1.5, color: '#555', fillColor: '#9ecae1', fillOpacity: 0.6 } });
    const skipped = [];
    for (const f of geo.features) {
      try {
        layer.addData(f);
      } catch (e) {
        skipped.push(`${f.properties?.name ?? f.id}: ${e.message}`);
      }
    }
    const load = performance.now() - t0;
    const map = L.map('l', { preferCanvas: true, zoomSnap: 0, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false });
    map.fitBounds(layer.getBounds(), { animate: false });
    layer.addTo(map);
    const canvas = document.querySelector('#l canvas');
    const ctx = canvas.getContext('2d');
    ctx.getImageData(0, 0, 1, 1);
    const firstFrame = performance.now() - t0;
    const longTasks = await window.__longTasks();
    let zoom = map.getZoom() + 1;
    map.setZoom(zoom, { animate: false });
    const times = [];
    const cpu0 = await window.__threadTime();
    for (let i = 0; i < frames; i++) {
      const a = performance.now();
      zoom += i % 20 < 10 ? 0.05 : -0.05;
      map.setZoom(zoom, { animate: false });
      ctx.getImageData(0, 0, 1, 1);
      times.push(performance.now() - a);
    }
    const cpu = (await window.__threadTime() - cpu0) / frames;
    return { load, firstFrame, times, cpu, longTasks, skipped };
  }, [src, frames]);
}

/**
 * Memory over time (issue 13): planmap on `src`, zoomed in two levels and out again `cycles`
 * times about the centre, each step drawn with the raster flushed. Measured after a forced GC
 * (CDP HeapProfiler.collectGarbage) once one cycle has filled the caches of both views, and again
 * after the cycles: the JS heap in use (CDP Performance.getMetrics), planmap's wasm memory and
 * the renderer process' resident memory (Path2D and canvas memory live outside the JS heap;
 * read from /proc, so Linux only).
 */
async function planmapMemory(page, src, cycles = 200) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const browserCdp = await page.context().browser().newBrowserCDPSession();
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo').catch(() => ({ processInfo: [] }));
  const renderers = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const rss = () => {
    // The renderer of this page is the one whose memory moves; report the largest.
    let most = NaN;
    for (const pid of renderers) {
      try {
        const bytes = 1024 * Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        if (!(most >= bytes)) most = bytes;
      } catch { /* not on Linux, or gone */ }
    }
    return most;
  };
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const wasm = await page.evaluate(async () => (await document.getElementById('m')._core.default()).memory.buffer.byteLength);
    return { js: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN, wasm, rss: rss() };
  };
  const ok = await page.evaluate(async (src) => {
    const el = document.getElementById('m');
    el.setAttribute('src', src);
    try { await el.ready; } catch { return false; }
    const map = el._map;
    const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
    window.__cycle = (n) => {
      for (let i = 0; i < n; i++) {
        map.zoomAt(2, 600, 400);
        map.render();
        ctx.getImageData(0, 0, 1, 1);
        map.zoomAt(-2, 600, 400);
        map.render();
        ctx.getImageData(0, 0, 1, 1);
      }
    };
    el.fit();
    window.__cycle(1);
    return true;
  }, src);
  if (!ok) return { error: 'did not load' };
  const before = await measure();
  const t0 = Date.now();
  // In batches, so no single evaluate outlives the protocol's patience on the national file.
  for (let done = 0; done < cycles; done += 10) await page.evaluate((n) => window.__cycle(n), Math.min(10, cycles - done));
  const seconds = (Date.now() - t0) / 1000;
  const after = await measure();
  return { before, after, cycles, seconds };
}

/** planmap told the machine has one core: the national file parsed and prepared in one
 * worker, as before the two-worker pipeline (issue 13), for a same-run comparison. */
async function planmapOneWorker(page, src, frames) {
  await page.evaluate(() => Object.defineProperty(navigator, 'hardwareConcurrency', { value: 1 }));
  return planmapCase(page, src, frames);
}

const PEERS = [
  ['planmap', 'bench.html', planmapCase],
  ['planmap, one worker', 'bench.html', planmapOneWorker, 'china'],
  ['ECharts 5', 'bench-echarts.html', echartsCase],
  ['Leaflet 1.9', 'bench-leaflet.html?nocsp', leafletCase],
];

async function framesTable(browser) {
  const rows = [];
  const notes = new Set();
  for (const [key, label, src, frames, peers] of CASES) {
    const ran = (peers ? PEERS : PEERS.slice(0, 1)).filter((p) => !p[3] || p[3] === key);
    /** Each peer's result at each DPR. @type {Map<string, Record<number, any>>} */
    const results = new Map();
    for (const [peer, path, fn] of ran) {
      const r = {};
      for (const dpr of DPRS) {
        process.stdout.write(`  ${key} · ${peer} · DPR ${dpr}…`);
        const out = await onPage(browser, path, dpr, (page) => fn(page, src, frames));
        console.log(out.error ? ` error: ${out.error}` : out.refused ? ` refused` : ` ${out.firstFrame.toFixed(0)} ms first frame`);
        if (!out.error && !out.refused) {
          out.firstFrames = [out.firstFrame];
          out.warmRuns = [out.warm];
        }
        r[dpr] = out;
        if (out.refused || out.error) break; // the same answer at DPR 2
      }
      results.set(peer, r);
    }
    // More first frames, each on a fresh page (no frames after it), taken in rounds of every
    // peer and ratio in turn: a shared machine's load then falls on all peers alike, as it
    // would not with one peer's runs all before the next's.
    for (let round = 1; key !== 'china' && round < FIRST_FRAME_RUNS; round++) {
      for (const [peer, path, fn] of ran) {
        for (const dpr of DPRS) {
          const out = results.get(peer)[dpr];
          if (!out?.firstFrames) continue;
          const more = await onPage(browser, path, dpr, (page) => fn(page, src, 0));
          if (more.error || more.refused) continue;
          out.firstFrames.push(more.firstFrame);
          out.warmRuns.push(more.warm);
        }
      }
    }
    for (const [peer] of ran) {
      const r = results.get(peer);
      for (const dpr of DPRS) {
        const out = r[dpr];
        if (!out?.firstFrames) continue;
        out.firstFrame = quantile(out.firstFrames, 0.5);
        const warm = out.warmRuns[0] !== undefined ? `; warm-up runs done before src: ${out.warmRuns.join(', ')}` : '';
        if (out.firstFrames.length > 1) console.log(`  ${key} · ${peer} · DPR ${dpr}: first frame ${out.firstFrame.toFixed(0)} ms (median of ${out.firstFrames.map((x) => x.toFixed(0)).join(', ')}${warm})`);
      }
      const one = r[1];
      if (one?.skipped?.length) notes.add(`${peer} on ${key}: skipped ${one.skipped.length} feature(s): ${one.skipped.join('; ')}`);
      rows.push({ key, label, peer, r });
    }
  }
  return { rows, notes: [...notes] };
}

async function memoryTable(browser) {
  const rows = [];
  for (const [key, label, src] of CASES) {
    process.stdout.write(`  memory · ${key}…`);
    const out = await onPage(browser, 'bench.html', 1, (page) => planmapMemory(page, src));
    console.log(out.error ? ` error: ${out.error}` : ` JS ${mb(out.before.js)} → ${mb(out.after.js)} MB, wasm ${mb(out.before.wasm)} → ${mb(out.after.wasm)} MB`);
    rows.push({ key, label, out });
  }
  return rows;
}

/**
 * The citizen's phone: 390×844 at DPR 3, touch, Chromium throttled to a quarter of this CPU and
 * a 1.6 Mbit/s link with 150 ms round trips (CDP Network.emulateNetworkConditions and
 * Emulation.setCPUThrottlingRate), from navigation to the demo's `ready`, fresh cache each time.
 */
async function phone(browser, runs = 3) {
  // `runs` grows (up to 6) when a run fails, so three good ones are measured when possible.
  const results = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6e6 / 8),
      uploadThroughput: (0.75e6 / 8),
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    let requests = 0;
    const encodings = new Map();
    cdp.on('Network.responseReceived', (e) => {
      const enc = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
      encodings.set(enc, (encodings.get(enc) ?? 0) + 1);
    });
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
    await page.addInitScript(() => {
      window.addEventListener('planmap-ready', () => { window.__readyAt = performance.now(); }, { once: true });
    });
    try {
      await page.goto(`${BASE}/`, { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__readyAt !== undefined, null, { polling: 100, timeout: 60_000 });
      const readyAt = await page.evaluate(() => window.__readyAt);
      results.push({ readyAt, bytes, requests, encodings: [...encodings].map(([k, v]) => `${k} ×${v}`).join(', ') });
    } catch (e) {
      // Said in the report, not averaged in: see onPage on stalled navigations.
      console.log(`  phone run ${i + 1} failed: ${(e.message || String(e)).split('\n')[0]}`);
      if (runs < 6) runs += 1;
    }
    await context.close();
  }
  return results;
}

// ---- report ------------------------------------------------------------------------------

const ms = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');
const mb = (x) => (Number.isFinite(x) && x > 0 ? (x / 1048576).toFixed(0) : '—');

function machine() {
  let chromium = '';
  try {
    chromium = execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* named as unknown */ }
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${chromium || 'Chromium'} headless (software raster, no GPU), Node ${process.version}; load average at the start ${loadavg().map((x) => x.toFixed(1)).join(' ')} (a machine shared with other engineers' builds)`;
}

function render(table, phoneRuns, memory) {
  const lines = [];
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  lines.push(`# planmap benchmark`, '', `Measured ${date} by \`cargo xtask bench\` on ${machine()}.`, '');
  if (table) {
    lines.push('1200×800 CSS px. **load**: fetch and parse into the library\'s model (ECharts: `registerMap`, which defers its geometry parse to the first frame); '
      + `**first frame**: from setting \`src\` (peers: starting the fetch) to pixels on the canvas, fetch, wasm start-up and parse included, the median of ${FIRST_FRAME_RUNS} fresh pages, taken in rounds of every peer and ratio in turn (all of China: one; the runs are in the command's output); `
      + '**frame**: one zoom step of ±0.05 level one level in from the fitted view, raster flushed (`getImageData`); '
      + '**frame CPU**: the main thread\'s CPU time per frame over the same steps (CDP `ThreadTime`; the canvas is rasterised on that thread, so on a quiet machine it matches the wall time, and on a shared one it leaves out other processes\' turns); '
      + '**heap**: largest JS heap in use seen (CDP samples every 100 ms), plus planmap\'s wasm memory; '
      + '**peak RSS**: the renderer process\'s peak resident memory (VmHWM: JS heaps, wasm, a worker, Blink; the larger of DPR 1 and 2); '
      + '**long tasks**: tasks over 50 ms until the first frame, count and longest. Times in ms, at DPR 1 unless marked.', '');
    lines.push('| data | library | load | first frame | frame p50 | frame p95 | frame CPU | frame p50 DPR 2 | frame p95 DPR 2 | frame CPU DPR 2 | first frame DPR 2 | heap MB | peak RSS MB | long tasks |');
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const { label, peer, r } of table.rows) {
      const a = r[1];
      const b = r[2] ?? {};
      if (a.refused || a.error) {
        lines.push(`| ${label} | ${peer} | ${a.refused ? `refused: “${a.refused}”` : `failed: ${a.error}`} | | | | | | | | | | | |`);
        continue;
      }
      const lt = a.longTasks ?? [];
      lines.push(`| ${label} | ${peer} | ${ms(a.load)} | ${ms(a.firstFrame)} | ${ms(quantile(a.times, 0.5))} | ${ms(quantile(a.times, 0.95))} | ${ms(a.cpu)} | ${ms(quantile(b.times ?? [], 0.5))} | ${ms(quantile(b.times ?? [], 0.95))} | ${ms(b.cpu)} | ${ms(b.firstFrame)} | ${mb(Math.max(a.heap ?? 0, b.heap ?? 0))} | ${mb(Math.max(a.rss || 0, b.rss || 0))} | ${lt.length ? `${lt.length}, longest ${ms(Math.max(...lt))}` : '0'} |`);
    }
    lines.push('');
    for (const n of table.notes) lines.push(`- ${n}`);
    if (table.notes.length) lines.push('');
  }
  if (memory?.length) {
    const pct = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? `${(((b - a) / a) * 100).toFixed(1)}%` : '—');
    const mb1 = (x) => (Number.isFinite(x) && x > 0 ? (x / 1048576).toFixed(1) : '—');
    lines.push('**Memory over time** (planmap, DPR 1): zoomed in two levels and out again 200 times about the centre, each view drawn with the raster flushed; '
      + 'measured after a forced GC (CDP `HeapProfiler.collectGarbage`) once one cycle has filled the caches, and again after the 200. '
      + '**JS heap**: in use (CDP `Performance.getMetrics`); **wasm**: planmap\'s linear memory; **renderer**: the page\'s renderer process resident memory (Path2D and canvas memory are outside the JS heap). MB.', '');
    lines.push('| data | JS heap | after 200 | growth | wasm | after 200 | growth | renderer | after 200 | growth | 200 cycles took |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { label, out } of memory) {
      if (out.error) {
        lines.push(`| ${label} | ${out.error} | | | | | | | | | |`);
        continue;
      }
      const { before: a, after: b } = out;
      lines.push(`| ${label} | ${mb1(a.js)} | ${mb1(b.js)} | ${pct(a.js, b.js)} | ${mb1(a.wasm)} | ${mb1(b.wasm)} | ${pct(a.wasm, b.wasm)} | ${mb1(a.rss)} | ${mb1(b.rss)} | ${pct(a.rss, b.rss)} | ${out.seconds.toFixed(0)} s |`);
    }
    lines.push('');
  }
  if (phoneRuns?.length) {
    const ready = phoneRuns.map((p) => p.readyAt);
    lines.push(`**Citizen's phone** (Huanggu demo page, 390×844 at DPR 3, 4× CPU throttling, 1.6 Mbit/s down / 750 kbit/s up, 150 ms round trip, cache disabled): navigation → \`ready\` `
      + `median **${(quantile(ready, 0.5) / 1000).toFixed(2)} s** (runs: ${ready.map((x) => (x / 1000).toFixed(2)).join(', ')} s); `
      + `${(phoneRuns[0].bytes / 1024).toFixed(0)} KB over the wire in ${phoneRuns[0].requests} requests (Content-Encoding: ${phoneRuns[0].encodings}).`, '');
  }
  return lines.join('\n');
}

/**
 * `--only labels`: what the labels cost in a frame, planmap alone. In one page per ratio, the
 * same zoom steps as the frames above; at each, the view is drawn once untimed (its joined
 * paths built), then timed three ways in turn, raster flushed: labels as the element draws
 * them (sprites from DPR 1.5), labels drawn in place with strokeText and fillText (as the core
 * drew them before the sprites), and no labels — so the three see the same load.
 */
async function labelsTable(browser) {
  const lines = ['| data | DPR | labels | frame p50, sprites | text in place | no labels |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const [key, label, src, frames, peers] of CASES) {
    if (!peers) continue;
    for (const dpr of [1, 2, 3]) {
      process.stdout.write(`  labels · ${key} · DPR ${dpr}…`);
      const out = await onPage(browser, 'bench.html', dpr, (page) => page.evaluate(async ([src, frames]) => {
        const el = document.getElementById('m');
        el.setAttribute('src', src);
        await el.ready;
        const map = el._map;
        const ctx = el.shadowRoot.querySelector('canvas').getContext('2d');
        const inPlace = {
          paint(c, text, font, color, halo, align, x, y, k) {
            c.setTransform(k, 0, 0, k, 0, 0);
            Object.assign(c, { font, textAlign: align, textBaseline: 'middle', lineWidth: 3.5, lineJoin: 'miter', miterLimit: 2 });
            if (halo) {
              c.strokeStyle = halo;
              c.strokeText(text, x, y);
            }
            c.fillStyle = color;
            c.fillText(text, x, y);
          },
        };
        const painters = [el._labels, inPlace, { paint() {} }];
        el.fit();
        map.zoomAt(1, 600, 400);
        const times = painters.map(() => []);
        for (let i = 0; i < frames; i++) {
          map.zoomAt(i % 20 < 10 ? 0.05 : -0.05, 600, 400);
          // Drawn once first, so the paths this view joins are built before any is timed;
          // then each way in turn, a different one first at every step.
          map.setLabelPainter(painters[2]);
          map.render();
          for (let j = 0; j < 3; j++) {
            const which = (i + j) % 3;
            map.setLabelPainter(painters[which]);
            const a = performance.now();
            map.render();
            ctx.getImageData(0, 0, 1, 1);
            times[which].push(performance.now() - a);
          }
        }
        map.setLabelPainter(el._labels);
        return { times, labels: map.labelTexts().length };
      }, [src, frames]));
      if (out.error) {
        console.log(` error: ${out.error}`);
        continue;
      }
      const [s, t, n] = out.times.map((x) => quantile(x, 0.5).toFixed(1));
      console.log(` ${s} / ${t} / ${n} ms`);
      lines.push(`| ${label} | ${dpr} | ${out.labels} | ${s} | ${t} | ${n} |`);
    }
  }
  return lines.join('\n');
}

const browser = await launch();
let labels = null;
let table = null;
let phoneRuns = null;
let memory = null;
try {
  if (ONLY === 'labels') {
    console.log('labels:');
    labels = await labelsTable(browser);
  }
  if (!ONLY || ONLY === 'frames') {
    console.log('frames:');
    table = await framesTable(browser);
  }
  if (!ONLY || ONLY === 'memory') {
    console.log('memory over time:');
    memory = await memoryTable(browser);
  }
  if (!ONLY || ONLY === 'phone') {
    console.log('phone…');
    phoneRuns = await phone(browser);
  }
} finally {
  await browser.close();
}
const report = labels ? `${render(null, null, null)}\n${labels}` : render(table, phoneRuns, memory);
console.log(`\n${report}`);
if (OUT) {
  writeFileSync(OUT, `${report}\n`);
  console.log(`written to ${OUT}`);
}
