// The basemap's tile loader: reads the element's `basemap*` attributes into a tile source,
// fetches only the tiles the map asks for (a few at a time, nearest the centre first), cancels
// those that left the view, and hands each decoded image to the wasm map, which decides what
// to draw (a loaded parent stretched while a child loads) and what to keep (an LRU under a
// memory cap). Nothing here runs, and no request leaves the page, unless `basemap` is set:
// the element imports this module only then (LazyBasemap in planmap-element.js).
import { h } from './planmap-dom.js';

/**
 * @typedef {object} BasemapSource
 * @property {string[]} templates XYZ URL templates, one per layer, drawn in order
 * @property {string[]} subdomains values of `{s}`
 * @property {'wgs84' | 'gcj02'} crs the system the tiles are drawn in
 * @property {number} minZoom
 * @property {number} maxZoom
 * @property {boolean} retina the templates have `{r}` (`@2x` tiles on high-DPI screens)
 * @property {string} credit who made the tiles
 */

/**
 * @typedef {object} BasemapAttributes
 * @property {string | null} basemap `basemap`: an XYZ template or a preset name
 * @property {string | null} key `basemap-key`: the 天地图 `tk`
 * @property {string | null} crs `basemap-crs`: `wgs84` or `gcj02`
 * @property {string | null} credit `basemap-credit`
 */

/**
 * 天地图's WMTS in the Web Mercator matrix set (`_w`), as a KVP GetTile template.
 * @param {string} layer `vec`, `cva`, `img` or `cia`
 */
const TIANDITU = (layer) =>
  `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
  '&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={k}';

/**
 * The presets: streets or imagery, each with its labels layer, CGCS2000 (= WGS-84 at map scales).
 * @type {Readonly<Record<string, {layers: string[], credit: string}>>}
 */
export const PRESETS = Object.freeze({
  'tianditu-vec': { layers: ['vec', 'cva'], credit: '天地图' },
  'tianditu-img': { layers: ['img', 'cia'], credit: '天地图' },
});

/**
 * Reads the attributes into a tile source, or says what is wrong with them.
 * @param {BasemapAttributes} a
 * @returns {{source: BasemapSource | null, error: string | null}}
 */
export function basemapSource(a) {
  const value = (a.basemap ?? '').trim();
  if (!value) return { source: null, error: null };
  const preset = Object.hasOwn(PRESETS, value) ? PRESETS[value] : null;
  const crsAttr = (a.crs ?? '').trim().toLowerCase().replace(/[^a-z0-9]/g, '');
  if (crsAttr && crsAttr !== 'wgs84' && crsAttr !== 'gcj02') {
    return { source: null, error: `basemap-crs="${a.crs}": expected wgs84 or gcj02` };
  }
  if (preset) {
    const key = (a.key ?? '').trim();
    if (!key) return { source: null, error: `basemap="${value}" needs basemap-key (the 天地图 tk)` };
    return {
      source: {
        templates: preset.layers.map((l) => TIANDITU(l).replace('{k}', encodeURIComponent(key))),
        subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
        crs: /** @type {'wgs84' | 'gcj02'} */ (crsAttr || 'wgs84'),
        minZoom: 1,
        maxZoom: 18,
        retina: false,
        credit: (a.credit ?? '').trim() || preset.credit,
      },
      error: null,
    };
  }
  let url;
  try {
    url = new URL(value.replace(/[{}]/g, (c) => (c === '{' ? '%7B' : '%7D')), document.baseURI);
  } catch {
    return { source: null, error: `basemap="${value}": not a URL template or a preset (tianditu-vec, tianditu-img)` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { source: null, error: `basemap="${value}": only http(s) tile URLs` };
  }
  for (const p of ['{z}', '{x}', '{y}']) {
    if (!value.includes(p)) return { source: null, error: `basemap="${value}": the template needs ${p}` };
  }
  const key = (a.key ?? '').trim();
  return {
    source: {
      templates: [value.replaceAll('{k}', encodeURIComponent(key))],
      subdomains: ['a', 'b', 'c'],
      crs: /** @type {'wgs84' | 'gcj02'} */ (crsAttr || 'wgs84'),
      minZoom: 1,
      maxZoom: 18,
      retina: value.includes('{r}'),
      credit: (a.credit ?? '').trim(),
    },
    error: null,
  };
}

/**
 * The URL of one tile. A tile always uses the same subdomain, so the browser's cache serves it.
 * @param {string} template
 * @param {number} z
 * @param {number} x
 * @param {number} y
 * @param {{subdomains: string[], retina: boolean}} o `retina`: ask for `@2x` where there is `{r}`
 */
export function tileUrl(template, z, x, y, o) {
  const s = o.subdomains.length ? o.subdomains[(x + y) % o.subdomains.length] : '';
  return template
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{y}', String(y))
    .replaceAll('{s}', s)
    .replaceAll('{r}', o.retina ? '@2x' : '');
}

/**
 * What the loader needs of the wasm map (the element passes its calls through its panic guard).
 * @typedef {object} TileSink
 * @property {() => number[][]} wanted `[[layer, z, x, y], …]` the view needs, centre first
 * @property {(layer: number, z: number, x: number, y: number, img: HTMLImageElement, cors: boolean) => void} loaded
 * @property {(layer: number, z: number, x: number, y: number) => void} failed
 */

/** Fetches tiles for one map. */
export class TileLoader {
  /**
   * @param {BasemapSource} source
   * @param {TileSink} sink
   * @param {{onChange: () => void, onNote: (failed: number) => void, dpr?: () => number,
   *   concurrency?: number, timeout?: number}} o `onChange` after a tile arrives (redraw);
   *   `onNote` with the number of tiles that failed so far
   */
  constructor(source, sink, o) {
    this.source = source;
    this.sink = sink;
    this.o = o;
    this.concurrency = o.concurrency ?? 4;
    this.timeout = o.timeout ?? 10000;
    /** @type {Map<string, {img: HTMLImageElement, timer: number}>} in flight, by `layer/z/x/y` */
    this.inflight = new Map();
    /** Origins known to send no CORS headers: their tiles load without crossOrigin. */
    this.opaque = new Set();
    /** Origins known to send CORS headers: a failure there is the tile's own. */
    this.cors = new Set();
    this.failures = 0;
    this.destroyed = false;
  }

  /** Requests of the current moment (for tests): `layer/z/x/y` keys in flight. */
  get pending() {
    return [...this.inflight.keys()];
  }

  /** Call after every frame: cancels what left the view, starts what it needs. */
  update() {
    if (this.destroyed) return;
    const wanted = this.sink.wanted();
    const keys = new Set(wanted.map((w) => w.join('/')));
    for (const [k, r] of this.inflight) {
      if (!keys.has(k)) this.cancel(k, r);
    }
    for (const w of wanted) {
      if (this.inflight.size >= this.concurrency) break;
      const k = w.join('/');
      if (!this.inflight.has(k)) this.start(k, w, null);
    }
  }

  /**
   * @param {string} k
   * @param {number[]} w
   * @param {boolean | null} cors null: as the origin is known to behave, else CORS first
   */
  start(k, [layer, z, x, y], cors) {
    const dpr = this.o.dpr ? this.o.dpr() : 1;
    const url = tileUrl(this.source.templates[layer], z, x, y, { subdomains: this.source.subdomains, retina: this.source.retina && dpr > 1.25 });
    const origin = new URL(url, document.baseURI).origin;
    const withCors = cors ?? !this.opaque.has(origin);
    const img = new Image();
    if (withCors) img.crossOrigin = 'anonymous';
    img.decoding = 'async';
    img.referrerPolicy = 'strict-origin-when-cross-origin';
    const done = () => {
      clearTimeout(r.timer);
      img.onload = img.onerror = null;
      this.inflight.delete(k);
    };
    const r = {
      img,
      timer: setTimeout(() => {
        done();
        img.src = '';
        this.fail(layer, z, x, y);
      }, this.timeout),
    };
    img.onload = () => {
      done();
      if (this.destroyed) return;
      if (withCors) this.cors.add(origin);
      else this.opaque.add(origin);
      this.sink.loaded(layer, z, x, y, img, withCors);
      this.o.onChange();
    };
    img.onerror = () => {
      done();
      if (this.destroyed) return;
      // A server without CORS headers fails a crossOrigin load; the page may still show its
      // tiles (exports then leave them out), so try once without, unless CORS is known to work.
      if (withCors && !this.cors.has(origin) && !this.opaque.has(origin)) {
        this.start(k, [layer, z, x, y], false);
        return;
      }
      this.fail(layer, z, x, y);
    };
    this.inflight.set(k, r);
    img.src = url;
  }

  /**
   * @param {number} layer
   * @param {number} z
   * @param {number} x
   * @param {number} y
   */
  fail(layer, z, x, y) {
    if (this.destroyed) return;
    this.failures += 1;
    this.sink.failed(layer, z, x, y);
    this.o.onNote(this.failures);
    this.o.onChange();
  }

  /**
   * Stops a request whose tile left the view (changing `src` aborts the fetch).
   * @param {string} k
   * @param {{img: HTMLImageElement, timer: number}} r
   */
  cancel(k, r) {
    clearTimeout(r.timer);
    r.img.onload = r.img.onerror = null;
    r.img.src = '';
    this.inflight.delete(k);
  }

  /** Cancels everything; the loader does nothing more. */
  destroy() {
    this.destroyed = true;
    for (const [k, r] of this.inflight) this.cancel(k, r);
  }
}


/**
 * The basemap's own few strings, by language.
 * @type {Record<string, {layer: string, failed: (n: number) => string, bad: string}>}
 */
const STRINGS = {
  'zh-CN': { layer: '底图', failed: (n) => `底图：${n} 个瓦片未能加载`, bad: '底图设置有误' },
  en: { layer: 'Basemap', failed: (n) => `Basemap: ${n} tile${n === 1 ? '' : 's'} could not be loaded`, bad: 'Basemap setting ignored' },
};

/**
 * What the controller needs of the wasm map.
 * @typedef {object} BasemapMap
 * @property {(crs: string, layers: number, minZoom: number, maxZoom: number, retina: boolean, credit: string, review: string) => void} setBasemap
 * @property {() => void} clearBasemap
 * @property {(on: boolean) => void} setBasemapVisible
 * @property {() => string} wantedTiles
 * @property {(layer: number, z: number, x: number, y: number, img: HTMLImageElement, cors: boolean) => number} tileLoaded
 * @property {(layer: number, z: number, x: number, y: number) => void} tileFailed
 * @property {() => string} basemapCredit
 */

/**
 * The basemap of one `<plan-map>`: reads its attributes, drives the loader, and gives the element
 * the credit line, the failure note and the legend toggle. The element calls `apply` after a
 * load or an attribute change, `afterFrame` after each frame, and `destroy` when it goes.
 */
export class BasemapController {
  /**
   * @param {HTMLElement} el the element (its attributes are read)
   * @param {{map: () => BasemapMap | null, call: <T>(fn: () => T) => T | undefined,
   *   invalidate: () => void, noteChanged: () => void}} hooks `call` runs a wasm call through the
   *   element's panic guard; `noteChanged` after the credit or the failure note changed
   */
  constructor(el, hooks) {
    this.el = el;
    this.hooks = hooks;
    /** @type {TileLoader | null} */
    this.loader = null;
    this.error = null;
    this.failures = 0;
    this.visible = true;
    this.key = '';
  }

  get t() {
    return (this.el.getAttribute('lang') || 'zh-CN').startsWith('en') ? STRINGS.en : STRINGS['zh-CN'];
  }

  /** `true` when a basemap is set (and valid). */
  get active() {
    return !!this.loader;
  }

  /** Reads the attributes and (re)starts the basemap; without `basemap`, stops everything. */
  apply() {
    const map = this.hooks.map();
    if (!map) return;
    const attrs = {
      basemap: this.el.getAttribute('basemap'),
      key: this.el.getAttribute('basemap-key'),
      crs: this.el.getAttribute('basemap-crs'),
      credit: this.el.getAttribute('basemap-credit'),
    };
    const { source, error } = basemapSource(attrs);
    const review = (this.el.getAttribute('review-number') ?? '').trim();
    const key = JSON.stringify([source, review]);
    if (key === this.key && !error) return; // same basemap: keep the tiles
    this.key = key;
    this.loader?.destroy();
    this.loader = null;
    this.failures = 0;
    this.error = error;
    if (error) console.warn(`planmap: ${error}`);
    if (!source) {
      this.hooks.call(() => map.clearBasemap());
    } else {
      this.hooks.call(() => map.setBasemap(source.crs, source.templates.length, source.minZoom, source.maxZoom, source.retina, source.credit, review));
      this.hooks.call(() => map.setBasemapVisible(this.visible));
      this.loader = new TileLoader(source, {
        wanted: () => JSON.parse(this.hooks.call(() => map.wantedTiles()) ?? '[]'),
        loaded: (l, z, x, y, img, cors) => this.hooks.call(() => map.tileLoaded(l, z, x, y, img, cors)),
        failed: (l, z, x, y) => this.hooks.call(() => map.tileFailed(l, z, x, y)),
      }, {
        onChange: () => this.hooks.invalidate(),
        onNote: (n) => { this.failures = n; this.hooks.noteChanged(); },
        dpr: () => window.devicePixelRatio || 1,
      });
    }
    this.hooks.noteChanged();
    this.hooks.invalidate();
  }

  /** After each frame: fetch what the view now needs, cancel what left it. */
  afterFrame() {
    if (this.visible) this.loader?.update();
  }

  /** The lines the map's note shows for the basemap: its credit and 审图号, then any problem. */
  notes() {
    const map = this.hooks.map();
    const out = [];
    if (this.loader && map) {
      const credit = this.hooks.call(() => map.basemapCredit());
      if (credit) out.push(credit);
    }
    if (this.error) out.push(`${this.t.bad}: ${this.error}`);
    if (this.failures) out.push(this.t.failed(this.failures));
    return out;
  }

  /**
   * The legend's toggle, or null without a basemap.
   * @param {AbortSignal} signal
   */
  legendItem(signal) {
    if (!this.loader) return null;
    const cb = h('input', { type: 'checkbox', checked: this.visible });
    cb.dataset.layer = 'basemap';
    cb.addEventListener('change', () => {
      this.visible = cb.checked;
      const map = this.hooks.map();
      if (map) this.hooks.call(() => map.setBasemapVisible(cb.checked));
      if (!cb.checked) this.loader?.update(); // nothing wanted now: cancels what is in flight
      this.hooks.invalidate();
    }, { signal });
    return h('h3', {}, h('label', {}, cb, h('span', { text: this.t.layer })));
  }

  /** Stops every request. */
  destroy() {
    this.loader?.destroy();
    this.loader = null;
    this.key = '';
  }
}
