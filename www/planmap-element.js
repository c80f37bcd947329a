// The <plan-map> element: lifecycle, attributes, the public API and the wiring between the
// modules that do the work. Rust (planmap_core) holds the plan and the view and draws the
// canvas; the modules own the DOM:
//
//   planmap-chrome.js    the shadow DOM: stage, canvas, buttons, placeholders, live region
//   planmap-load.js      fetching `src` and its layers, loading them into the core
//   planmap-stream.js    large files read as they arrive, with a progress bar (import()ed by
//                        planmap-load.js for such a file); the reading runs in
//                        planmap-worker.js (a Web Worker, started per large load)
//   planmap-resize.js    the canvas backing store follows the element's size
//   planmap-sprites.js   labels drawn once each into sprites and copied in every frame
//   planmap-pointer.js   drag, pinch, wheel, tap, double-tap, hover tooltip
//   planmap-keys.js      the keyboard on the canvas, Escape anywhere in the element
//   planmap-select.js    the selection and its planmap-select event
//   planmap-panel.js     the details panel of the selected feature, with its charts
//   planmap-extras.js    calls into the extras module (charts, table, CSV), and its traps
//   planmap-legend.js    the legend, layer toggles, indicator colouring and the year
//   planmap-list.js      the list of zones and projects mirroring the canvas
//   planmap-table.js     the table of every figure and its CSV (imported when first used)
//   planmap-present.js   presentation mode (imported when first used)
//   planmap-hash.js      the URL hash (`hash` attribute)
//   planmap-export.js    PNG and SVG exports
//   planmap-inview.js    the free area the panel or sheet leaves, eased selections, the sheet
//   planmap-basemap.js   the opt-in basemap's tiles (imported only when `basemap` is set)
//   planmap-wasm.js      loading the two wasm modules (planmap-wasm-source.js: their bytes)
//   planmap-warm.js      the map's wasm warmed up in idle time while no `src` is set (imported
//                        by a map mounted without `src`)
//   planmap-dom.js       the `h` builder, the link filter, number formatting
//
// The table, presentation mode, the basemap and the warm-up are rarely used and not needed for
// the first frame, so they are `import()`ed when first used, not loaded up front (the bundle
// budget, README "Bundle size"); their entry points below are the only ones that know it.
//
// Every listener is registered with one AbortController per mount (`_abort`), so destroy()
// releases them all at once. State lives on the element (its `_` fields, declared below), so
// each module is a set of functions of the element and any module can be read alone.
import { lastPanic, loadWasm, resetWasm } from './planmap-wasm.js';
import { strings } from './planmap-strings.js';
import { buildChrome, styleSheet, afterLoadUi, announce } from './planmap-chrome.js';
import { loadPlan } from './planmap-load.js';
import { labelPainter } from './planmap-sprites.js';
import { observeSize, applySize } from './planmap-resize.js';
import { attachPointer, zoomBy } from './planmap-pointer.js';
import { attachKeys, escape } from './planmap-keys.js';
import { selectFeature } from './planmap-select.js';
import { showPanel } from './planmap-panel.js';
import { extras } from './planmap-extras.js';
import { setIndicator, setYear, updateScale } from './planmap-legend.js';
import { updateListPressed } from './planmap-list.js';
import { applyHash, writeHash } from './planmap-hash.js';
import { toPNG, toSVG } from './planmap-export.js';
import { updateCovered, hidePanel, easeSelectionOf } from './planmap-inview.js';
import { h, numberFormat } from './planmap-dom.js';
import { buildLegend } from './planmap-legend.js';
import { updateNote } from './planmap-chrome.js';

/** @typedef {import('./planmap_core.js').PlanMap} PlanMap */

/** @type {Promise<typeof import('./planmap-table.js')> | null} */
let tableModule = null;
/** The table module, imported once, when the table first opens (or the page prints); a failed import is tried again next time. */
const tableJs = () => (tableModule ??= import('./planmap-table.js').catch((e) => { tableModule = null; throw e; }));

/** @type {Promise<typeof import('./planmap-present.js')> | null} */
let presentModule = null;
/** The presentation module, imported once, when a presentation first starts (again after a failed import). */
const presentJs = () => (presentModule ??= import('./planmap-present.js').catch((e) => { presentModule = null; throw e; }));

/** The element's attributes that describe the basemap (planmap-basemap.js reads them). */
const BASEMAP_ATTRIBUTES = Object.freeze(['basemap', 'basemap-key', 'basemap-crs', 'basemap-credit', 'review-number']);

/** Outline vertices of deferred label points worked out per task after a large plan's first
 * frame: polylabel on 40,000 takes ≈ 20–30 ms in the wasm here, so the page stays responsive
 * and the final labels follow within a few tasks (Liaoning's 179k: five). */
const SETTLE_VERTICES = 40_000;

/**
 * The basemap as the element sees it: planmap-basemap.js's controller, imported and made only
 * once a `basemap` attribute has a value. Until then it is idle (no tiles, no notes, no legend
 * toggle), which is what the controller itself is without `basemap`, and the page never
 * downloads the tile code.
 */
class LazyBasemap {
  /**
   * @param {HTMLElement} el
   * @param {ConstructorParameters<typeof import('./planmap-basemap.js').BasemapController>[1]} hooks
   */
  constructor(el, hooks) {
    this.el = el;
    this.hooks = hooks;
    /** @type {import('./planmap-basemap.js').BasemapController | null} */
    this.real = null;
    /** @type {Promise<void> | null} */
    this.loading = null;
    this.destroyed = false;
  }

  /** The controller's tile loader (tests read its queue), null while idle. */
  get loader() {
    return this.real?.loader ?? null;
  }

  /** Reads the attributes and (re)starts the basemap: imports the controller the first time one is set. */
  apply() {
    this.destroyed = false;
    if (this.real) return this.real.apply();
    if (!(this.el.getAttribute('basemap') ?? '').trim()) return;
    this.loading ??= import('./planmap-basemap.js').then((m) => {
      this.loading = null;
      if (this.destroyed || this.real) return;
      this.real = new m.BasemapController(this.el, this.hooks);
      this.real.apply();
    }).catch((e) => {
      // The module did not arrive (offline, blocked): no basemap, said once; the next
      // attribute change tries again.
      this.loading = null;
      console.warn(`planmap: the basemap's code could not load: ${e?.message ?? e}`);
    });
  }

  afterFrame() {
    this.real?.afterFrame();
  }

  /** @returns {string[]} */
  notes() {
    return this.real?.notes() ?? [];
  }

  /** @param {AbortSignal} signal */
  legendItem(signal) {
    return this.real?.legendItem(signal) ?? null;
  }

  destroy() {
    this.destroyed = true;
    this.real?.destroy();
  }
}

/**
 * What the core's `features()` returns: the areas and points of the loaded plan.
 * @typedef {{id: string, kind: string, name: string, color: string, schematic?: boolean}} AreaInfo
 * @typedef {{id: string, kind: string, name: string}} PointInfo
 * @typedef {{id: string, kind: string, name: string, class: string, status?: string, schematic?: boolean, drawn: boolean,
 *   color: string, casing: string, dashed: boolean}} LineInfo
 * @typedef {{id: string, name: string, symbol: string, color: string, count: number}} CategoryInfo
 * @typedef {{id: string, count: number}} StatusInfo
 * @typedef {{title: string, schematic: boolean, credits: string[], areas: AreaInfo[],
 *   points: PointInfo[], lines?: LineInfo[], categories: CategoryInfo[], statuses?: StatusInfo[],
 *   drawable?: boolean, warnings?: string[]}} PlanInfo
 */

/**
 * A selected (or focused, or hovered) feature, as the core returns it and `planmap-select`
 * carries it.
 * @typedef {{id: string, kind: string, name: string}} Feature
 */

/**
 * The files of the loaded plan, kept for exports and the extras module: the manifest's name
 * and text, then name, text, name, text… of its layers.
 * @typedef {{name: string, text: string, files: string[]}} PlanFiles
 */

/** @typedef {{step: number}} Presentation */

export class PlanMapElement extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'lang', 'theme', 'hash', ...BASEMAP_ATTRIBUTES];
  }

  constructor() {
    super();
    /** The open shadow root (also `shadowRoot`, typed non-null here). */
    this._root = this.attachShadow({ mode: 'open' });
    this._root.adoptedStyleSheets = [styleSheet()];
    /** @type {Promise<PlanMapElement>} */
    this._ready = Promise.resolve(this);
    /** @type {(el: PlanMapElement) => void} */
    this._resolveReady = () => {};
    /** @type {(e: Error) => void} */
    this._rejectReady = () => {};
    this._newReady();
    /** The core's map object, made on the first load; `null` before and after destroy(). @type {PlanMap | null} */
    this._map = null;
    this._mounted = false;
    /** Set when the core trapped: no further calls into it. */
    this._dead = false;
    /** The wasm module `_map` was made with. @type {import('./planmap-wasm.js').CoreModule | null} */
    this._core = null;
    /** `_map`'s label sprites. @type {ReturnType<import('./planmap-sprites.js').labelPainter> | null} */
    this._labels = null;
    /** Whether the last load failed (a new `src` then gets a new `ready`). */
    this._failed = false;
    /** Aborts every listener of the current mount. @type {AbortController} */
    this._abort = new AbortController();
    /** @type {ResizeObserver | null} */
    this._resizeObserver = null;
    /** The pending animation frame, 0 when none. */
    this._raf = 0;
    /** The pending task working out deferred label points (settleLabels), 0 when none. */
    this._settle = 0;
    /** Frames drawn since mount: the first resolves `ready`. */
    this._frames = 0;
    /** Bumped by each load and destroy, so a late fetch of an old `src` is dropped. */
    this._loadToken = 0;
    /** @type {PlanFiles | null} */
    this._files = null;
    /** The page's warm-up when this element started it (runs completed; a test hook). @type {Promise<number> | null} */
    this._warm = null;
    /** The worker streaming a large file, while it does. @type {Worker | null} */
    this._worker = null;
    /** The loader's warnings for the current plan. @type {string[] | undefined} */
    this.warnings = undefined;
    /** @type {PlanInfo | null} */
    this._plan = null;
    /** @type {Feature | null} */
    this._selected = null;
    /** The indicator areas are coloured by, or null. @type {string | null | undefined} */
    this._indicator = undefined;
    /** The year shown (2015, 2020, 2025; 0 for the latest). @type {number | undefined} */
    this._year = undefined;
    /** Hatched fills for colour-blind readers. */
    this._patterns = false;
    /** @type {Presentation | null} */
    this._present = null;
    /** CSS size of the stage; unset (so the legend starts open) until the first chrome is
     * built. @type {[number, number]} */
    this._size = /** @type {any} */ (null);
    /** Backing store width, height and devicePixelRatio. @type {[number, number, number] | null} */
    this._backing = null;
    /** The CSS size the core last had, to tell a real resize. @type {[number, number] | null} */
    this._sizedAs = null;
    /** The user opened or closed the legend: resizing no longer folds it. */
    this._legendTouched = false;
    /** @type {{key: string | null, dir: number} | null} */
    this._tableSort = null;
    // The shadow DOM's parts, built by planmap-chrome.js (the canvas and stage survive a
    // rebuild for a new language).
    /** @type {HTMLCanvasElement} */ this._canvas = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._stage = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._controls = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._tooltip = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._note = /** @type {any} */ (null);
    /** The box of the map's notes, kept in the free area. @type {HTMLDivElement} */ this._notes = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._message = /** @type {any} */ (null);
    /** Says why the map is empty when the data has nothing to draw. @type {HTMLParagraphElement} */ this._nothing = /** @type {any} */ (null);
    /** @type {HTMLDetailsElement} */ this._legend = /** @type {any} */ (null);
    /** @type {HTMLDetailsElement} */ this._list = /** @type {any} */ (null);
    /** @type {HTMLElement} */ this._panel = /** @type {any} */ (null);
    /** The panel's parts: the sheet's drag handle, the head peek shows, the scrolling body. */
    /** @type {HTMLButtonElement} */ this._sheetHandle = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._panelHead = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._panelBody = /** @type {any} */ (null);
    /** @type {import('./planmap-inview.js').BottomSheet} */ this._sheet = /** @type {any} */ (null);
    /** Stops the selection's eased move under way (a no-op when none). @type {() => void} */
    this._stopEase = () => {};
    /** @type {HTMLDivElement} */ this._caption = /** @type {any} */ (null);
    /** @type {HTMLElement} */ this._table = /** @type {any} */ (null);
    /** @type {HTMLDivElement} */ this._live = /** @type {any} */ (null);
    /** The legend's year switch and colour scale, when the plan has colourable figures. */
    /** @type {HTMLSelectElement | null} */ this._yearSelect = null;
    /** @type {HTMLDivElement | null} */ this._scale = null;
    /** The extras module's object for the loaded plan, language and theme. */
    /** @type {PlanFiles | PlanInfo | null} */ this._extrasFor = null;
    /** @type {string | null} */ this._extrasKey = null;
    /** @type {Promise<import('./planmap_charts.js').Extras> | null} */ this._extrasPromise = null;
    /** The extras module's instance `_extrasPromise` was made on. @type {Promise<unknown> | null} */ this._extrasFrom = null;
    /** The opt-in basemap (planmap-basemap.js): idle, and offline, unless `basemap` is set. */
    this._basemap = new LazyBasemap(this, {
      map: () => this._map,
      call: (fn) => this._call(fn),
      invalidate: () => this.invalidate(),
      noteChanged: () => {
        if (!this._plan || !this._map) return;
        updateNote(this);
        buildLegend(this);
      },
    });
  }

  _newReady() {
    this._ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
    this._ready.catch(() => {}); // rejections are reported as planmap-error; awaiting is optional
  }

  /** Resolves after the first frame is drawn; rejects when the plan cannot be shown. */
  get ready() {
    return this._ready;
  }

  /** The UI strings in the element's language. */
  get _t() {
    return strings(this.getAttribute('lang'));
  }

  connectedCallback() {
    if (!this._mounted) this._mount();
  }

  disconnectedCallback() {
    this.destroy();
  }

  /**
   * @param {string} name
   * @param {string | null} oldValue
   * @param {string | null} value
   */
  attributeChangedCallback(name, oldValue, value) {
    if (!this._mounted || oldValue === value) return;
    if (name === 'src') {
      if (this._failed) {
        // A new src gets a new chance, and its first frame resolves the new `ready` and fires
        // planmap-ready again (a trap can come after frames were drawn).
        this._frames = 0;
        this._newReady();
      }
      this._load();
    }
    else if (name === 'lang') {
      this._call(() => this._map?.setLang(value || 'zh-CN'));
      this._buildChrome();
      this._afterLoadUi();
    } else if (name === 'theme') {
      this._call(() => this._map?.setTheme(value || 'light'));
      this.refreshStyle();
    } else if (BASEMAP_ATTRIBUTES.includes(name)) {
      this._basemap.apply();
    }
  }

  // ---- mounting and teardown -------------------------------------------------------------

  _mount() {
    this._mounted = true;
    this._abort = new AbortController();
    this._plan = null;
    this._selected = null;
    this._frames = 0;
    this._buildChrome();
    const signal = this._abort.signal;
    attachPointer(this, signal);
    attachKeys(this, signal);
    window.addEventListener('hashchange', () => this._applyHash(), { signal });
    window.addEventListener('beforeprint', () => { if (this._map) tableJs().then((m) => m.buildTable(this)).catch(() => {}); }, { signal });
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && this._present) this._endPresentation();
    }, { signal });
    this._resizeObserver = observeSize(this);
    // The wasm is fetched, compiled and instantiated from the moment a map is on the page, not
    // only once its `src` is set: a page script that sets `src` later (after its own data or
    // the user's choice) then waits for the data alone (issue 13). A failure here is tried
    // again, and reported, by the load. Until `src` comes, its code is warmed up
    // (planmap-warm.js); a failed warm-up leaves a fresh instance to the load.
    if (!this.getAttribute('src')) {
      const wasm = loadWasm();
      wasm.catch(() => {}); // a second map's warm-up is the first's, which does not await this one
      // Its module is import()ed: a page whose maps all have `src` never downloads it.
      this._warm = import('./planmap-warm.js').then(
        (m) => m.warmUp(wasm, labelPainter).catch(() => (resetWasm(), -1)),
        () => -1,
      );
    }
    this._load();
  }

  /**
   * Focuses the map itself (the canvas, the element's one tab stop for the map), so
   * `el.focus()` does what a page expects of a focusable widget.
   * @param {FocusOptions} [options]
   */
  focus(options) {
    this._canvas?.focus(options);
  }

  /** Releases every listener, observer, animation frame and the wasm object. */
  destroy() {
    if (!this._mounted) return;
    this._mounted = false;
    this._abort?.abort();
    this._resizeObserver?.disconnect();
    if (this._raf) cancelAnimationFrame(this._raf);
    this._raf = 0;
    clearTimeout(this._settle);
    this._settle = 0;
    if (this._map) {
      try { this._map.free(); } catch { /* already gone after a trap */ }
    }
    this._map = null;
    this._loadToken = (this._loadToken || 0) + 1;
    this._worker?.terminate();
    this._worker = null;
    this._root.replaceChildren();
    this._basemap.destroy();
    if (this._frames === 0) this._newReady();
  }

  _buildChrome() {
    buildChrome(this);
  }

  _afterLoadUi() {
    afterLoadUi(this);
  }

  _load() {
    return loadPlan(this);
  }

  /**
   * Shows a readable message in place of the map and fires planmap-error.
   * @param {string} message
   * @param {unknown} [error]
   */
  _fail(message, error) {
    const e = /** @type {{message?: unknown} | null | undefined} */ (error);
    const detail = e?.message ? String(e.message) : error ? String(error) : '';
    this._message.replaceChildren(h('p', { text: message }, detail ? h('span', { class: 'detail', text: detail }) : null));
    this._message.hidden = false;
    this._canvas.setAttribute('aria-label', message);
    const full = this._report(message, detail);
    this._failed = true;
    this._rejectReady(new Error(full));
  }

  /**
   * Logs `message` (with `detail`, what the error said) and fires planmap-error with it;
   * returns the text sent. The caller shows it where it belongs.
   * @param {string} message
   * @param {string} detail
   */
  _report(message, detail) {
    const full = detail ? `${message} (${detail})` : message;
    console.error(`planmap: ${full}`);
    this.dispatchEvent(new CustomEvent('planmap-error', { bubbles: true, composed: true, detail: { message: full } }));
    return full;
  }

  /**
   * Runs a call into wasm; a panic there becomes planmap-error, not a silent dead widget.
   * @template T
   * @param {() => T} fn
   * @returns {T | undefined}
   */
  _call(fn) {
    if (this._dead) return undefined;
    try {
      return fn();
    } catch (e) {
      if (this._trapped(e, null)) return undefined;
      throw e;
    }
  }

  /**
   * After an exception from the core: when it was a trap (a panic, an out-of-memory abort, any
   * WebAssembly.RuntimeError), reports it once as planmap-error in the widget's language,
   * drops the map and asks for a fresh wasm instance, so a later `src` loads again and later
   * calls return nothing instead of throwing. Returns whether it was a trap.
   * @param {unknown} e
   * @param {string | null} loading the `src` being loaded when it happened, if any
   */
  _trapped(e, loading) {
    const panic = this._core ? lastPanic(this._core) : null;
    if (!panic && !(e instanceof WebAssembly.RuntimeError)) return false;
    const t = this._t;
    const oom = panic?.startsWith('out of memory');
    const what = oom ? t.outOfMemory : t.internalError;
    const message = loading ? `${what}：${loading}` : what;
    this._dead = true;
    this._map = null; // its instance may be half-way through a change: never used again
    this._core = null;
    resetWasm();
    if (this._raf) cancelAnimationFrame(this._raf);
    this._raf = 0;
    this._fail(message, panic || e);
    return true;
  }

  /**
   * The error a call that needs the map rejects with when there is none: no plan loaded yet,
   * or the map stopped at a trap (until a new `src` loads).
   */
  _unavailable() {
    return new Error(this._dead
      ? 'planmap: the map stopped after an internal error (see planmap-error); set src to load it again'
      : 'planmap: no plan is loaded');
  }

  // ---- drawing ---------------------------------------------------------------------------

  /** Schedules one frame; several changes before it draw once. */
  invalidate() {
    if (this._raf || !this._mounted) return;
    this._raf = requestAnimationFrame(() => {
      this._raf = 0;
      this.render();
    });
  }

  /** Draws now, synchronously (for tests and benchmarks). Returns true when a frame was drawn. */
  render() {
    const map = this._map;
    if (!map) return false;
    // A load's first frame draws its labels in place and leaves their sprites for after it.
    const drawn = this._call(() => this._labels?.frame(this._frames === 0, () => map.render()) ?? map.render());
    if (drawn) {
      this._basemap.afterFrame();
      this._frames++;
      if (this._frames === 1) {
        this._resolveReady(this);
        this.dispatchEvent(new CustomEvent('planmap-ready', { bubbles: true, composed: true, detail: { warnings: this.warnings || [] } }));
      }
      this._settleLabels();
    }
    return !!drawn;
  }

  /**
   * After a frame of a large plan drawn with estimated label points (the core defers
   * polylabel past the first frame, issue 13): works the final ones out in tasks of about
   * `SETTLE_VERTICES` outline vertices each, then draws again with them.
   */
  _settleLabels() {
    const map = this._map;
    if (this._settle || !map || !this._call(() => map.settleLabels(0))) return;
    const step = () => {
      this._settle = 0;
      if (this._map !== map || !this._mounted) return; // a newer load or destroy() took over
      const left = this._call(() => map.settleLabels(SETTLE_VERTICES));
      if (left) this._settle = setTimeout(step, 0);
      else if (left === 0) this.invalidate();
    };
    this._settle = setTimeout(step, 0);
  }

  _applySize() {
    applySize(this);
  }

  // ---- wiring between the modules --------------------------------------------------------

  /**
   * @param {string | null | undefined} id
   * @param {{zoom?: boolean, announce?: boolean, keyboard?: boolean}} [options]
   */
  _select(id, options) {
    return selectFeature(this, id, options);
  }

  _updateCovered() {
    updateCovered(this);
  }

  _hidePanel() {
    hidePanel(this);
  }

  _easeSelection() {
    easeSelectionOf(this);
  }

  /** @param {string} id */
  _showPanel(id) {
    showPanel(this, id);
  }

  _updateListPressed() {
    updateListPressed(this);
  }

  _updateScale() {
    updateScale(this);
  }

  /** @param {string} text */
  _announce(text) {
    announce(this, text);
  }

  _escape() {
    escape(this);
  }

  /**
   * @param {number} dz
   * @param {[number, number]} at
   */
  _zoomBy(dz, at) {
    zoomBy(this, dz, at);
  }

  _extras() {
    return extras(this);
  }

  _numberFormat() {
    return numberFormat(this.getAttribute('lang'));
  }

  _applyHash() {
    applyHash(this);
  }

  _writeHash() {
    writeHash(this);
  }

  _endPresentation() {
    if (this._present) presentJs().then((m) => m.endPresentation(this));
  }

  // ---- public API ------------------------------------------------------------------------

  /** Re-reads the CSS custom properties that style the canvas (`--planmap-font`,
   * `--planmap-bg`, `--planmap-text`, `--planmap-zone-colors`: a comma-separated list) after a
   * page changes them. */
  refreshStyle() {
    if (!this._map) return;
    this._applyStyle();
    this._afterLoadUi();
    this.invalidate();
  }

  _applyStyle() {
    const cs = getComputedStyle(this);
    /** @param {string} n */
    const v = (n) => cs.getPropertyValue(n).trim();
    this._call(() => this._map?.setStyle(v('--planmap-font'), v('--planmap-bg'), v('--planmap-text'), v('--planmap-zone-colors')));
  }

  /**
   * Selects a zone or project by id (null clears) and eases it into the part of the map the
   * panel leaves free; `{zoom: true}` fits it to that part.
   * @param {string | null} id
   * @param {{zoom?: boolean}} [options]
   */
  select(id, { zoom = false } = {}) {
    return this._select(id, { zoom });
  }

  /** The selection as `{id, kind, name}`, or null. */
  get selected() {
    return this._selected ? { ...this._selected } : null;
  }

  /** `{center: [lon, lat], zoom}` @returns {{center: [number, number], zoom: number} | null} */
  get view() {
    const map = this._map;
    return map ? JSON.parse(this._call(() => map.getView()) ?? 'null') : null;
  }

  set view(v) {
    const map = this._map;
    if (!map || !v) return;
    const [lon, lat] = v.center ?? [NaN, NaN];
    this._call(() => map.setView(lon, lat, v.zoom ?? NaN));
    this.invalidate();
  }

  /** Shows the whole plan (in the part of the map an open panel leaves free). */
  fit() {
    this._stopEase();
    this._call(() => this._map?.fit());
    this.invalidate();
  }

  /**
   * Colours areas by an indicator (or a numeric property of a bare GeoJSON); null clears.
   * @param {string | null} id
   */
  setIndicator(id) {
    setIndicator(this, id);
  }

  /**
   * Shows the map and panel as of `year` (0 or null: latest values), fading the colours.
   * @param {number | string | null} year
   */
  setYear(year) {
    setYear(this, year);
  }

  /** Opens the table of every figure (sortable, with a CSV download). */
  showTable() {
    return tableJs().then((m) => m.showTable(this));
  }

  /** Downloads every figure as CSV (UTF-8 with BOM, so Excel reads the Chinese). */
  downloadCSV() {
    return tableJs().then((m) => m.downloadCSV(this));
  }

  /** The current view as an SVG document: map, legend, title and credits. */
  toSVG() {
    return toSVG(this);
  }

  /**
   * The current view as a PNG at `scale` × the CSS size (1–4, default 2).
   * @param {number} [scale]
   */
  toPNG(scale = 2) {
    return toPNG(this, scale);
  }

  /**
   * Full screen, stepping through an overview, each zone and a summary (→/← or
   * PageDown/PageUp). Resolves once the overview shows (the mode's module is imported on first
   * use).
   * @returns {Promise<void>}
   */
  present() {
    if (!this._plan) return Promise.resolve();
    // Asked now, while the click that called present() still counts as a user gesture.
    this.requestFullscreen?.().catch(() => {});
    return presentJs().then((m) => m.present(this));
  }

  /** The next step of the presentation. */
  next() {
    if (this._present) presentJs().then((m) => m.next(this));
  }

  /** The previous step of the presentation. */
  prev() {
    if (this._present) presentJs().then((m) => m.prev(this));
  }
}
