// Shared set-up for the browser tests: the system Chromium over CDP (playwright-core), the
// dist/ server that `cargo xtask test` starts (PLANMAP_URL), and small pixel helpers.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.PLANMAP_URL ?? 'http://127.0.0.1:8080';
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** Chromium features off for every page: Playwright's own list (playwright-core 1.65's
 * chromiumSwitches, Edge's two included: Chromium keeps only the last `--disable-features`, so
 * ours must repeat it, as harness.test.mjs checks), then the omnibox popup's WebUI. Headless
 * Chromium 156 opens a window per context, and with it loads chrome://omnibox-popup.top-chrome/
 * and its AI-mode page in a renderer of their own, just as the test page loads: ≈ 120–140 ms
 * of CPU that, on a two-core machine, took turns with every page's first frame (README,
 * Speed). A user's browser loads that popup once per window, not with each page. */
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
  'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup',
];

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--hide-scrollbars', '--font-render-hinting=none',
  `--disable-features=${DISABLED_FEATURES.join(',')}`];

/** Launches Chromium (with the switches in EXTRA_FLAGS, space-separated, added: benchmarks
 * and experiments, e.g. `--js-flags=--liftoff-only`); the caller closes it. */
export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...FLAGS, ...(process.env.EXTRA_FLAGS ? process.env.EXTRA_FLAGS.split(' ') : [])], headless: true });
}

/** A page of `size` [w, h] at `dpr`, failing the test on any page error; `errors` collects console errors. */
export async function open(browser, path, { size = [1440, 900], dpr = 1, touch = false } = {}) {
  const context = await browser.newContext({ viewport: { width: size[0], height: size[1] }, deviceScaleFactor: dpr, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // Every planmap-* event that reaches the window, with its target's id, from the first moment.
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ['planmap-ready', 'planmap-select', 'planmap-error']) {
      window.addEventListener(type, (e) => window.__events.push({ type, target: e.target.id || e.target.tagName, detail: e.detail }));
    }
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // The DOM is what a test queries; the map's own readiness is awaited through `el.ready`.
  // Waiting for 'load' (every module, the wasm, the fonts) made the first test after a cold
  // Chromium start time out (issue 12).
  await page.goto(`${BASE}/${path}`, { waitUntil: 'domcontentloaded' });
  return { page, context, errors };
}

/** Waits for the first <plan-map> (or `selector`) to be ready. */
export async function ready(page, selector = 'plan-map') {
  await page.waitForFunction((s) => document.querySelector(s)?.ready !== undefined, selector);
  return page.evaluate((s) => document.querySelector(s).ready.then(() => true), selector);
}

/** RGBA of the canvas backing store at CSS pixel (x, y) of the element. */
export async function pixel(page, x, y, selector = 'plan-map') {
  return page.evaluate(([s, x, y]) => {
    const el = document.querySelector(s);
    const c = el.shadowRoot.querySelector('canvas');
    const k = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
    return [d[0], d[1], d[2], d[3]];
  }, [selector, x, y]);
}

/** Number of distinct colours in a coarse grid over the canvas: 1 means blank. */
export async function colourCount(page, selector = 'plan-map') {
  return page.evaluate((s) => {
    const c = document.querySelector(s).shadowRoot.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let y = 0; y < c.height; y += 7) for (let x = 0; x < c.width; x += 7) {
      const i = (y * c.width + x) * 4;
      seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return seen.size;
  }, selector);
}

/** Screen point of a feature's label anchor inside the element, in page coordinates. */
export async function featurePoint(page, id, selector = 'plan-map') {
  return page.evaluate(([s, id]) => {
    const el = document.querySelector(s);
    const c = el.shadowRoot.querySelector('canvas');
    const r = c.getBoundingClientRect();
    const p = el._map ? JSON.parse(el._map.screenPoint(id)) : null;
    return p ? [r.left + p[0], r.top + p[1]] : null;
  }, [selector, id]);
}

/** The planmap-* events recorded so far, optionally of one type. */
export async function events(page, type) {
  const all = await page.evaluate(() => window.__events);
  return type ? all.filter((e) => e.type === type) : all;
}

/**
 * The renderer main thread's tasks over `over` ms of wall time in a Chromium trace
 * (`browser.startTracing` with the `toplevel` category), each with its wall and thread (CPU)
 * time in ms: on a shared machine a task's wall time counts the time it waited for a core; its
 * thread time says what it did.
 */
export function mainThreadTasks(trace, over) {
  const events = trace.traceEvents ?? trace;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && /RunTask$/.test(e.name) && e.dur > over * 1000)
    .map((e) => ({ wall: Math.round(e.dur / 1000), cpu: Math.round((e.tdur ?? e.dur) / 1000) }));
}

/** Count of canvas pixels darker than `level` (all channels), e.g. selection outlines. */
export async function darkPixels(page, level = 40, selector = 'plan-map') {
  return page.evaluate(([s, level]) => {
    const c = document.querySelector(s).shadowRoot.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < level && d[i + 1] < level && d[i + 2] < level) n++;
    return n;
  }, [selector, level]);
}

/** A page point inside feature `id` where a tap of `radius` px hits that feature and nothing
 * else (searched outward from its label point), or null. */
export async function clearPoint(page, id, radius = 16, selector = 'plan-map') {
  return page.evaluate(([s, id, radius]) => {
    const el = document.querySelector(s);
    const r = el.shadowRoot.querySelector('canvas').getBoundingClientRect();
    const [x0, y0] = JSON.parse(el._map.screenPoint(id));
    for (let d = 0; d < 200; d += 4) {
      for (let k = 0; k < 16; k++) {
        const a = (k / 16) * 2 * Math.PI;
        const x = x0 + d * Math.cos(a);
        const y = y0 + d * Math.sin(a);
        if (JSON.parse(el._map.pick(x, y, radius))?.id === id) return [r.left + x, r.top + y];
        if (d === 0) break;
      }
    }
    return null;
  }, [selector, id, radius]);
}

/** The demo page at desktop size (or `opts`), once its map is ready. */
export async function openDemo(browser, opts = {}) {
  const o = await open(browser, 'index.html', { size: [1440, 900], ...opts });
  await ready(o.page);
  return o;
}
