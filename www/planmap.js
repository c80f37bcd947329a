// <plan-map>: the custom element of planmap's public contract (see README and DESIGN).
//
// Rust (planmap_core) holds the plan, the view and draws the canvas; this file owns the DOM:
// it fetches `src`, forwards pointer and keyboard events, and builds the accessible parts
// (list, legend, panel, live region) from JSON the core returns. Every listener is registered
// with one AbortController per mount, so destroy() releases them all at once. Text from data
// is only ever set with textContent, never parsed as HTML.
import init, { PlanMap, layerFiles, lastPanic } from './planmap_core.js';
import { CSS } from './planmap-style.js';
import { strings } from './planmap-strings.js';

let wasmReady = null;
const loadWasm = () => (wasmReady ??= init({ module_or_path: new URL('./planmap_core_bg.wasm', import.meta.url) }));

// The extras module (charts with plotters, table rows, CSV) is not needed for the first paint:
// import it when a panel first shows a chart or the table opens.
let chartsReady = null;
const loadCharts = () => (chartsReady ??= import('./planmap_charts.js').then(async (m) => {
  await m.default({ module_or_path: new URL('./planmap_charts_bg.wasm', import.meta.url) });
  return m;
}));

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

let sheet = null;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** createElement with properties, attributes and children; text only through textContent. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('aria-') || k === 'role' || k === 'for' || k === 'tabindex' || k === 'scope') el.setAttribute(k, v === true ? '' : String(v));
    else el[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** An http(s) link from data, or null: javascript:, data: and the like never become links. */
export function safeHref(url) {
  try {
    const u = new URL(String(url), document.baseURI);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

async function fetchText(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res.text();
}

const TAP_SLOP = 6; // px a press may move and still be a tap
const DOUBLE_TAP_MS = 320;

export class PlanMapElement extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'lang', 'theme', 'hash'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [styleSheet()];
    this._newReady();
    this._map = null;
    this._mounted = false;
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

  get _t() {
    return strings(this.getAttribute('lang'));
  }

  connectedCallback() {
    if (!this._mounted) this._mount();
  }

  disconnectedCallback() {
    this.destroy();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this._mounted || oldValue === value) return;
    if (name === 'src') {
      if (this._failed) this._newReady(); // a new src gets a new chance
      this._load();
    }
    else if (name === 'lang') {
      this._call(() => this._map?.setLang(value || 'zh-CN'));
      this._buildChrome();
      this._afterLoadUi();
    } else if (name === 'theme') {
      this._call(() => this._map?.setTheme(value || 'light'));
      this.refreshStyle();
    }
  }

  // ---- mounting and teardown -------------------------------------------------------------

  _mount() {
    this._mounted = true;
    this._abort = new AbortController();
    this._pointers = new Map();
    this._lastTap = null;
    this._plan = null;
    this._selected = null;
    this._frames = 0;
    this._buildChrome();
    const signal = this._abort.signal;
    const c = this._canvas;
    c.addEventListener('pointerdown', (e) => this._onPointerDown(e), { signal });
    c.addEventListener('pointermove', (e) => this._onPointerMove(e), { signal });
    c.addEventListener('pointerup', (e) => this._onPointerUp(e), { signal });
    c.addEventListener('pointercancel', (e) => this._pointers.delete(e.pointerId), { signal });
    c.addEventListener('pointerleave', (e) => this._onPointerLeave(e), { signal });
    c.addEventListener('wheel', (e) => this._onWheel(e), { signal, passive: false });
    c.addEventListener('keydown', (e) => this._onKey(e), { signal });
    c.addEventListener('blur', () => this._call(() => { this._map?.setFocus(undefined); this.invalidate(); }), { signal });
    this.shadowRoot.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && e.target !== c) this._escape();
    }, { signal });
    window.addEventListener('hashchange', () => this._applyHash(), { signal });
    window.addEventListener('beforeprint', () => { if (this._map) this._buildTable(); }, { signal });
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && this._present) this._endPresentation();
    }, { signal });
    this._resizeObserver = new ResizeObserver((entries) => this._onResize(entries[entries.length - 1]));
    try {
      this._resizeObserver.observe(this._stage, { box: 'device-pixel-content-box' });
    } catch {
      this._resizeObserver.observe(this._stage);
    }
    this._load();
  }

  /** Releases every listener, observer, animation frame and the wasm object. */
  destroy() {
    if (!this._mounted) return;
    this._mounted = false;
    this._abort?.abort();
    this._resizeObserver?.disconnect();
    if (this._raf) cancelAnimationFrame(this._raf);
    this._raf = 0;
    if (this._map) {
      try { this._map.free(); } catch { /* already gone after a trap */ }
    }
    this._map = null;
    this._loadToken = (this._loadToken || 0) + 1;
    this.shadowRoot.replaceChildren();
    if (this._frames === 0) this._newReady();
  }

  _buildChrome() {
    const t = this._t;
    const old = this._stage;
    this._canvas ??= h('canvas', { role: 'img', tabindex: 0, 'aria-label': t.loading });
    this._stage = old ?? h('div', { class: 'stage' });
    this._stage.replaceChildren(this._canvas);
    const btn = (label, text, onClick, cls) => {
      const b = h('button', { type: 'button', 'aria-label': label, title: label, text, class: cls });
      b.addEventListener('click', onClick, { signal: this._abort.signal });
      return b;
    };
    const mid = () => [this._size[0] / 2, this._size[1] / 2];
    this._controls = h('div', { class: 'controls', role: 'toolbar', 'aria-label': t.mapControls, 'aria-orientation': 'vertical' },
      btn(t.zoomIn, '+', () => this._zoomBy(1, mid())),
      btn(t.zoomOut, '−', () => this._zoomBy(-1, mid())),
      btn(t.fit, '⤢', () => this.fit()),
      btn(t.table, '▦', () => this.showTable(), 'table-btn'),
      btn(t.present, '▶', () => this.present(), 'present'));
    this._tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    this._note = h('div', { class: 'note' });
    this._message = h('div', { class: 'message', role: 'alert', hidden: true });
    this._legend = h('details', { class: 'legend', open: (this._size?.[0] ?? 800) > 600 });
    this._list = h('details', { class: 'list' });
    this._panel = h('aside', { class: 'panel', hidden: true, 'aria-label': t.details });
    this._caption = h('div', { class: 'caption', hidden: true, 'aria-live': 'polite' });
    this._table = h('section', { class: 'datatable', hidden: true, 'aria-label': t.tableTitle });
    this._live = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
    this._stage.append(this._controls, this._note, this._tooltip, this._legend, this._list, this._panel, this._table, this._caption, this._message);
    this.shadowRoot.replaceChildren(h('div', { class: 'pm' }, this._stage, this._live));
    this._size ??= [0, 0];
  }

  // ---- loading ---------------------------------------------------------------------------

  async _load() {
    const token = (this._loadToken = (this._loadToken || 0) + 1);
    const t = this._t;
    const src = this.getAttribute('src');
    this._message.hidden = true;
    this._failed = false;
    if (!src) return; // nothing to show until a page script sets src
    try {
      await loadWasm();
      if (token !== this._loadToken) return;
      const base = new URL(src, document.baseURI);
      const text = await fetchText(base);
      const files = [];
      for (const name of layerFiles(text)) {
        try {
          files.push(name, await fetchText(new URL(name, base)));
        } catch (e) {
          console.warn(`planmap: ${e.message}`); // the loader names the missing layer
        }
      }
      if (token !== this._loadToken) return;
      if (!this._map) this._map = new PlanMap(this._canvas);
      this._map.setLang(this.getAttribute('lang') || 'zh-CN');
      this._map.setTheme(this.getAttribute('theme') || 'light');
      const name = decodeURIComponent(base.pathname.split('/').pop() || src);
      this._files = { name, text, files };
      this.warnings = JSON.parse(this._map.load(name, text, files));
      this._applyStyle();
      for (const w of this.warnings) console.warn(`planmap: ${w}`);
      this._applySize();
      this._afterLoadUi();
      this._applyHash();
      this.invalidate();
    } catch (e) {
      if (token !== this._loadToken) return;
      this._fail(`${t.loadFailed}${src ? `：${src}` : ''}`, e);
    }
  }

  _afterLoadUi() {
    if (!this._map) return;
    this._plan = JSON.parse(this._map.features());
    if (!this._plan) return;
    const t = this._t;
    const zones = this._plan.areas.filter((a) => a.kind === 'zone');
    this._canvas.setAttribute('aria-label', t.mapLabel(this._plan.title, zones.length, this._plan.points.length));
    this._buildLegend();
    this._buildList();
    const notes = [];
    if (this._plan.schematic) notes.push(t.schematicNote);
    notes.push(...this._plan.credits);
    this._note.textContent = notes.join(' · ');
    this._note.title = notes.join('\n');
    if (this._selected) this._showPanel(this._selected.id);
  }

  /** Shows a readable message in place of the map and fires planmap-error. */
  _fail(message, error) {
    const detail = error?.message ? String(error.message) : error ? String(error) : '';
    this._message.replaceChildren(h('p', { text: message }, detail ? h('span', { class: 'detail', text: detail }) : null));
    this._message.hidden = false;
    this._canvas.setAttribute('aria-label', message);
    const full = detail ? `${message} (${detail})` : message;
    console.error(`planmap: ${full}`);
    this._failed = true;
    this.dispatchEvent(new CustomEvent('planmap-error', { bubbles: true, composed: true, detail: { message: full } }));
    this._rejectReady(new Error(full));
  }

  /** Runs a call into wasm; a panic there becomes planmap-error, not a silent dead widget. */
  _call(fn) {
    if (this._dead) return undefined;
    try {
      return fn();
    } catch (e) {
      const panic = lastPanic();
      if (panic || e instanceof WebAssembly.RuntimeError) {
        this._dead = true;
        this._fail(this._t.internalError, panic || e);
        return undefined;
      }
      throw e;
    }
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
    if (!this._map) return false;
    const drawn = this._call(() => this._map.render());
    if (drawn) {
      this._frames++;
      if (this._frames === 1) {
        this._resolveReady(this);
        this.dispatchEvent(new CustomEvent('planmap-ready', { bubbles: true, composed: true, detail: { warnings: this.warnings || [] } }));
      }
    }
    return !!drawn;
  }

  _onResize(entry) {
    const rect = entry.contentRect;
    const dpr = window.devicePixelRatio || 1;
    let bw = Math.round(rect.width * dpr);
    let bh = Math.round(rect.height * dpr);
    // The device-pixel box is exact where the browser supports it (no blur from rounding);
    // under DPR emulation Chromium reports CSS pixels there, so use it only when it agrees.
    const box = entry.devicePixelContentBoxSize?.[0];
    if (box && Math.abs(box.inlineSize - bw) <= 2 && Math.abs(box.blockSize - bh) <= 2) {
      bw = box.inlineSize;
      bh = box.blockSize;
    }
    this._size = [rect.width, rect.height];
    this._backing = [bw, bh, dpr];
    this._applySize();
    if (this._legend && rect.width > 0 && rect.width <= 600 && !this._legendTouched) this._legend.open = false;
  }

  _applySize() {
    if (!this._map || !this._backing) return;
    const [bw, bh, dpr] = this._backing;
    this._call(() => this._map.resize(this._size[0], this._size[1], dpr, bw, bh));
    // Resizing the backing store clears it: draw in this same frame, not the next.
    this.render();
  }

  // ---- pointer input ---------------------------------------------------------------------

  _xy(e) {
    const r = this._canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  _onPointerDown(e) {
    if (!this._map) return;
    this._canvas.setPointerCapture?.(e.pointerId);
    const [x, y] = this._xy(e);
    this._pointers.set(e.pointerId, { x, y, x0: x, y0: y, t0: performance.now(), type: e.pointerType });
    this._hideTooltip();
  }

  _onPointerMove(e) {
    if (!this._map) return;
    const [x, y] = this._xy(e);
    const p = this._pointers.get(e.pointerId);
    if (!p) {
      if (e.pointerType === 'mouse') this._hover(x, y);
      return;
    }
    if (this._pointers.size === 1) {
      if (Math.hypot(x - p.x0, y - p.y0) > TAP_SLOP || p.moved) {
        p.moved = true;
        this._call(() => this._map.panBy(x - p.x, y - p.y));
        this.invalidate();
      }
    } else if (this._pointers.size === 2) {
      const [a, b] = [...this._pointers.values()];
      const other = a === p ? b : a;
      const before = Math.hypot(p.x - other.x, p.y - other.y);
      const after = Math.hypot(x - other.x, y - other.y);
      if (before > 0 && after > 0) {
        const mid = [(x + other.x) / 2, (y + other.y) / 2];
        const oldMid = [(p.x + other.x) / 2, (p.y + other.y) / 2];
        this._call(() => {
          this._map.panBy(mid[0] - oldMid[0], mid[1] - oldMid[1]);
          this._map.zoomAt(Math.log2(after / before), mid[0], mid[1]);
        });
        this.invalidate();
      }
      p.moved = true;
      other.moved = true;
    }
    p.x = x;
    p.y = y;
  }

  _onPointerUp(e) {
    const p = this._pointers.get(e.pointerId);
    this._pointers.delete(e.pointerId);
    if (!p || p.moved || this._pointers.size > 0) return;
    const [x, y] = this._xy(e);
    const now = performance.now();
    const last = this._lastTap;
    if (last && now - last.t < DOUBLE_TAP_MS && Math.hypot(x - last.x, y - last.y) < 25) {
      this._lastTap = null;
      this._zoomBy(1, [x, y]);
      return;
    }
    this._lastTap = { t: now, x, y };
    const radius = p.type === 'touch' ? 16 : 9;
    const hit = JSON.parse(this._call(() => this._map.pick(x, y, radius)) ?? 'null');
    this._select(hit?.id ?? null, { zoom: false });
  }

  _onPointerLeave(e) {
    if (e.pointerType === 'mouse') {
      this._hideTooltip();
      this._call(() => this._map?.setHover(NaN, NaN, 0));
      this._hoverId = null;
      this.invalidate();
    }
  }

  _hover(x, y) {
    const hit = JSON.parse(this._call(() => this._map.setHover(x, y, 9)) ?? 'null');
    // Pointer moves arrive far more often than the feature under them changes: redraw and
    // rebuild the tooltip only on a change, then just move it.
    if ((hit?.id ?? null) !== (this._hoverId ?? null)) {
      this._hoverId = hit?.id ?? null;
      this.invalidate();
      if (hit && hit.kind !== 'district') {
        const t = this._t;
        const d = JSON.parse(this._map.details(hit.id));
        const sub = [t.kind[hit.kind] ?? hit.kind];
        if (d.category) sub.push(d.category);
        if (d.status) sub.push(t.status[d.status] ?? d.status);
        if (d.schematic) sub.push(t.schematic);
        this._tooltip.replaceChildren(h('div', { text: hit.name }), h('div', { class: 'sub', text: sub.join(' · ') }));
      }
    }
    if (!hit || hit.kind === 'district') return this._hideTooltip();
    this._tooltip.hidden = false;
    const [w, hh] = this._size;
    const tw = this._tooltip.offsetWidth;
    const th = this._tooltip.offsetHeight;
    this._tooltip.style.left = `${Math.min(Math.max(4, x + 14), w - tw - 4)}px`;
    this._tooltip.style.top = `${Math.min(Math.max(4, y + 14), hh - th - 4)}px`;
  }

  _hideTooltip() {
    if (this._tooltip) this._tooltip.hidden = true;
  }

  _onWheel(e) {
    if (!this._map) return;
    e.preventDefault();
    const [x, y] = this._xy(e);
    const unit = e.deltaMode === 1 ? 0.05 : e.deltaMode === 2 ? 1 : 0.0025;
    this._zoomBy(-e.deltaY * unit, [x, y]);
  }

  _zoomBy(dz, [x, y]) {
    this._call(() => this._map?.zoomAt(dz, x, y));
    this.invalidate();
  }

  // ---- keyboard --------------------------------------------------------------------------

  _onKey(e) {
    if (!this._map || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = 60;
    const mid = [this._size[0] / 2, this._size[1] / 2];
    if (this._present && ['ArrowRight', 'PageDown', ' '].includes(e.key)) return this._keyDone(e, () => this.next());
    if (this._present && ['ArrowLeft', 'PageUp'].includes(e.key)) return this._keyDone(e, () => this.prev());
    switch (e.key) {
      case 'ArrowLeft': return this._keyDone(e, () => this._map.panBy(step, 0));
      case 'ArrowRight': return this._keyDone(e, () => this._map.panBy(-step, 0));
      case 'ArrowUp': return this._keyDone(e, () => this._map.panBy(0, step));
      case 'ArrowDown': return this._keyDone(e, () => this._map.panBy(0, -step));
      case '+': case '=': return this._keyDone(e, () => this._map.zoomAt(1, ...mid));
      case '-': case '_': return this._keyDone(e, () => this._map.zoomAt(-1, ...mid));
      case '0': return this._keyDone(e, () => this._map.fit());
      case 'Enter': case ' ': {
        const id = this._map.focusedId();
        if (id) this._keyDone(e, () => this._select(id, { zoom: false }));
        return;
      }
      case 'Escape': return this._keyDone(e, () => this._escape());
      case 'Tab': {
        const f = JSON.parse(this._call(() => this._map.focusStep(!e.shiftKey)) ?? 'null');
        this.invalidate();
        if (f) {
          e.preventDefault(); // move within the map; at either end Tab leaves it as usual
          this._announce(`${this._t.focused}：${f.name}（${this._t.kind[f.kind] ?? f.kind}）`);
        }
        return;
      }
      default:
    }
  }

  _keyDone(e, fn) {
    e.preventDefault();
    this._call(fn);
    this.invalidate();
  }

  _escape() {
    if (this._present) return this._endPresentation();
    if (!this._table.hidden) {
      this._table.hidden = true;
      this._canvas.focus();
      return;
    }
    if (this._selected) this._select(null);
    this._panel.hidden = true;
  }

  _announce(text) {
    // Clearing first makes screen readers repeat an identical message.
    this._live.textContent = '';
    requestAnimationFrame(() => { this._live.textContent = text; });
  }

  // ---- selection, panel, legend, list -----------------------------------------------------

  _select(id, { zoom = false, announce = true } = {}) {
    if (!this._map) return null;
    const f = JSON.parse(this._call(() => this._map.select(id ?? undefined, zoom)) ?? 'null');
    const changed = (f?.id ?? null) !== (this._selected?.id ?? null);
    this._selected = f;
    if (f) this._showPanel(f.id);
    else this._panel.hidden = true;
    this._updateListPressed();
    if (changed) {
      const t = this._t;
      if (announce) this._announce(f ? `${t.selected}：${f.name}（${t.kind[f.kind] ?? f.kind}）` : t.cleared);
      this.dispatchEvent(new CustomEvent('planmap-select', { bubbles: true, composed: true, detail: f ? { id: f.id, kind: f.kind, name: f.name } : { id: null, kind: null, name: null } }));
      this._writeHash();
    }
    this.invalidate();
    return f;
  }

  _showPanel(id) {
    const d = JSON.parse(this._map.details(id));
    if (!d) return;
    const t = this._t;
    const nf = this._numberFormat();
    const close = h('button', { type: 'button', class: 'close', 'aria-label': t.close, title: t.close, text: '✕' });
    close.addEventListener('click', () => this._select(null), { signal: this._abort.signal });
    const meta = [t.kind[d.kind] ?? d.kind];
    if (d.category) meta.push(d.category);
    if (d.status) meta.push(t.status[d.status] ?? d.status);
    if (d.zone) meta.push(d.zone);
    if (d.schematic) meta.push(t.schematic);
    if (d.location) meta.push(d.location === 'approximate' ? t.approximate : t.surveyed);
    const parts = [close, h('h2', { text: d.name, id: 'pm-panel-title' }), h('p', { class: 'meta', text: meta.join(' · ') })];
    if (d.facts?.length) parts.push(h('dl', {}, d.facts.map((f) => [h('dt', { text: f.label }), h('dd', { text: f.text })])));
    const href = d.link ? safeHref(d.link) : null;
    if (href) parts.push(h('p', {}, h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: t.link })));
    if (d.quote?.source) parts.push(h('blockquote', {}, h('span', { text: `“${d.quote.source}”` }), h('cite', { text: `${t.source} · ${d.quote.section}` })));
    if (d.values?.length) {
      const rows = d.values.map((v, i) => {
        const qid = `pm-q-${i}`;
        const btn = h('button', { type: 'button', class: 'quote-btn', text: t.section, 'aria-expanded': 'false', 'aria-controls': qid });
        const quote = h('tr', { hidden: true, id: qid }, h('td', { colSpan: 3 }, h('blockquote', {}, h('span', { text: `“${v.source}”` }), h('cite', { text: v.section }))));
        btn.addEventListener('click', () => {
          quote.hidden = !quote.hidden;
          btn.setAttribute('aria-expanded', String(!quote.hidden));
        }, { signal: this._abort.signal });
        const num = `${nf.format(v.value)}${v.unit ? ` ${v.unit}` : ''}${v.at_least ? ` ${t.atLeast}` : ''}`;
        return [h('tr', { class: v.year === this._year ? 'current-year' : '' }, h('th', { scope: 'row', text: v.name ?? v.indicator }), h('td', { text: `${v.year} ${t.valueKind[v.kind] ?? v.kind}` }), h('td', { class: 'num' }, h('span', { text: num }), ' ', btn)), quote];
      });
      parts.push(h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t.indicator }), h('th', { scope: 'col', text: t.year }), h('th', { scope: 'col', text: t.value }))), h('tbody', {}, rows)));
    } else if (d.kind === 'zone' || d.kind === 'district') {
      parts.push(h('p', { class: 'meta', text: t.noValues }));
    }
    if (d.values?.length) parts.splice(parts.length - 1, 0, ...this._chartSection(d));
    if (d.projects?.length) {
      parts.push(h('h3', { text: t.projectsInZone }), h('ul', { class: 'projects' }, d.projects.map((p) => {
        const b = h('button', { type: 'button', text: p.name });
        b.addEventListener('click', () => this._select(p.id, { zoom: true }), { signal: this._abort.signal });
        return h('li', {}, b);
      })));
    }
    this._panel.replaceChildren(...parts);
    this._panel.setAttribute('aria-labelledby', 'pm-panel-title');
    this._panel.hidden = false;
  }

  /** Progress bars and bar charts of an area's indicators, filled in once the extras module
   * has loaded. */
  _chartSection(d) {
    const t = this._t;
    const box = h('div', { class: 'charts' });
    this._extras().then((ex) => {
      if (!this._map || !box.isConnected) return;
      const co = JSON.parse(ex.chartsOf(d.id));
      if (!co) return;
      const nf = this._numberFormat();
      const jobs = [];
      const figures = [];
      const byId = (id) => d.values.filter((v) => v.indicator === id);
      if (co.progress.length) figures.push(h('h3', { text: t.progress }));
      for (const id of co.progress) {
        const vals = byId(id);
        const target = vals.filter((v) => v.kind === 'target').at(-1);
        const latest = vals.filter((v) => v.kind === 'actual' || v.kind === 'baseline').at(-1);
        const pct = Math.round((latest.value / target.value) * 100);
        const label = t.progressLabel(latest.name, nf.format(latest.value), latest.year, nf.format(target.value), target.year, latest.unit ?? '', pct);
        const c = h('canvas', { class: 'progress', role: 'img', 'aria-label': label });
        c.dataset.indicator = id;
        jobs.push(['drawProgress', c, id, 36]);
        figures.push(h('figure', {}, h('figcaption', { text: latest.name }), c));
      }
      if (co.charts.length) figures.push(h('h3', { text: t.charts }));
      for (const id of co.charts) {
        const v = byId(id)[0];
        // The numbers are in the table below; the bars repeat them for the eye.
        const c = h('canvas', { class: 'chart', 'aria-hidden': 'true' });
        c.dataset.indicator = id;
        jobs.push(['drawChart', c, id, 130]);
        figures.push(h('figure', {}, h('figcaption', { text: `${v.name}（${v.unit}）` }), c));
      }
      box.replaceChildren(...figures);
      const dpr = window.devicePixelRatio || 1;
      for (const [fn, c, id, height] of jobs) ex[fn](c, d.id, id, c.clientWidth || 300, height, dpr);
      this.dispatchEvent(new CustomEvent('planmap-charts', { detail: { area: d.id, count: jobs.length } }));
    }, () => {});
    return [box];
  }

  /** The extras for the loaded plan, in the current language and theme (made once each). */
  _extras() {
    const f = this._files;
    const key = `${this.getAttribute('lang') || 'zh-CN'}|${this.getAttribute('theme') || 'light'}`;
    if (!f) return Promise.reject(new Error('no plan'));
    if (this._extrasFor !== f || this._extrasKey !== key) {
      this._extrasFor = f;
      this._extrasKey = key;
      const [lang, theme] = key.split('|');
      this._extrasPromise = loadCharts().then((m) => new m.Extras(f.name, f.text, f.files, lang, theme));
      this._extrasPromise.catch((e) => console.warn(`planmap: extras unavailable: ${e.message}`));
    }
    return this._extrasPromise;
  }

  _numberFormat() {
    const lang = this.getAttribute('lang') || 'zh-CN';
    return new Intl.NumberFormat(lang.startsWith('en') ? 'en' : 'zh-CN', { maximumFractionDigits: 2 });
  }

  // ---- data table ------------------------------------------------------------------------

  /** Opens the table of every figure (sortable, with a CSV download). */
  async showTable() {
    if (!this._map) return;
    await this._buildTable();
    this._table.hidden = false;
    this._table.querySelector('button')?.focus();
  }

  async _buildTable() {
    const t = this._t;
    const signal = this._abort.signal;
    const ex = await this._extras();
    const rows = JSON.parse(ex.valueRows());
    const cols = [
      ['area', t.area], ['indicator', t.indicator], ['value', t.value, true], ['unit', t.unit], ['year', t.year, true],
      ['kind', t.kindCol], ['section', t.section], ['source', t.quote],
    ];
    const sort = this._tableSort ?? { key: null, dir: 1 };
    if (sort.key) {
      const num = sort.key === 'value' || sort.key === 'year';
      rows.sort((a, b) => sort.dir * (num ? a[sort.key] - b[sort.key] : String(a[sort.key]).localeCompare(String(b[sort.key]), 'zh-CN')));
    }
    const head = cols.map(([key, label]) => {
      const b = h('button', { type: 'button', text: label, title: t.sortBy });
      b.addEventListener('click', () => {
        this._tableSort = { key, dir: sort.key === key ? -sort.dir : 1 };
        this._buildTable().then(() => this._table.querySelector(`th[data-key="${key}"] button`)?.focus());
      }, { signal });
      const th = h('th', { scope: 'col', 'aria-sort': sort.key === key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none' }, b);
      th.dataset.key = key;
      return th;
    });
    const body = rows.map((r) => h('tr', {},
      h('td', { text: r.area }), h('th', { scope: 'row', text: r.indicator }), h('td', { class: 'num', text: r.value_text }),
      h('td', { text: r.unit }), h('td', { class: 'num', text: String(r.year) }), h('td', { text: r.kind }),
      h('td', { text: r.section }), h('td', { class: 'quote', text: r.source })));
    const csv = h('button', { type: 'button', text: t.downloadCSV });
    csv.addEventListener('click', () => this.downloadCSV(), { signal });
    const close = h('button', { type: 'button', text: '✕', 'aria-label': t.close, title: t.close });
    close.addEventListener('click', () => { this._table.hidden = true; this._canvas.focus(); }, { signal });
    this._table.replaceChildren(
      h('header', {}, h('h2', { text: `${t.tableTitle} (${rows.length})` }), csv, close),
      h('table', {}, h('caption', { class: 'sr-only', text: this._plan?.title ?? '' }), h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
  }

  /** Downloads every figure as CSV (UTF-8 with BOM, so Excel reads the Chinese). */
  async downloadCSV() {
    const ex = await this._extras();
    const blob = new Blob([ex.valuesCSV()], { type: 'text/csv;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: 'planmap-values.csv' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    return blob;
  }

  // ---- year ------------------------------------------------------------------------------

  /** Shows the map and panel as of `year` (0 or null: latest values), fading the colours. */
  setYear(year) {
    if (!this._map) return;
    this._year = Number(year) || 0;
    this._call(() => this._map.setYear(this._year));
    const start = performance.now();
    const step = () => {
      const k = reducedMotion() ? 1 : Math.min(1, (performance.now() - start) / 400);
      this._call(() => this._map.setBlend(k));
      this.render();
      if (k < 1 && this._mounted) requestAnimationFrame(step);
    };
    step();
    if (this._yearSelect) this._yearSelect.value = String(this._year);
    if (this._selected) this._showPanel(this._selected.id);
    this._updateScale();
    this._writeHash();
  }

  _updateScale() {
    if (!this._scale) return;
    const t = this._t;
    const sc = this._indicator ? JSON.parse(this._map.legendScale()) : null;
    if (!this._indicator) {
      this._scale.replaceChildren();
      return;
    }
    const nf = this._numberFormat();
    const ramp = h('span', { class: 'ramp', 'aria-hidden': 'true' }, (sc?.stops ?? []).map((c) => { const e = h('span'); e.style.background = c; return e; }));
    this._scale.replaceChildren(
      ...(sc ? [h('span', { text: nf.format(sc.min) }), ramp, h('span', { text: `${nf.format(sc.max)} ${sc.unit}` })] : []),
      h('span', { class: 'nodata', 'aria-hidden': 'true' }), h('span', { text: t.noData }));
  }

  _buildLegend() {
    const t = this._t;
    const p = this._plan;
    const signal = this._abort.signal;
    const summary = h('summary', { text: t.legend });
    summary.addEventListener('click', () => { this._legendTouched = true; }, { signal });
    const items = [];
    const zones = p.areas.filter((a) => a.kind === 'zone');
    if (zones.length) {
      const cb = h('input', { type: 'checkbox', checked: true });
      cb.addEventListener('change', () => { this._call(() => this._map.setLayerVisible('zones', cb.checked)); this.invalidate(); }, { signal });
      const swatches = zones.map((z) => {
        const s = h('span', { class: 'swatch' });
        s.style.background = z.color;
        return h('li', {}, s, h('span', { text: z.name + (z.schematic ? `（${t.schematic}）` : '') }));
      });
      items.push(h('h3', {}, h('label', {}, cb, h('span', { text: t.zones }))), h('ul', {}, swatches));
    }
    if (p.categories.length) {
      items.push(h('h3', { text: t.projects }));
      items.push(h('ul', {}, p.categories.map((c) => {
        const cb = h('input', { type: 'checkbox', checked: true });
        cb.addEventListener('change', () => { this._call(() => this._map.setLayerVisible(c.id, cb.checked)); this.invalidate(); }, { signal });
        return h('li', {}, h('label', {}, cb, symbolIcon(c.symbol, c.color), h('span', { text: `${c.name} (${c.count})` })));
      })));
    }
    if (p.statuses?.length) {
      items.push(h('h3', { text: t.statusFilter }));
      items.push(h('ul', {}, p.statuses.map((st) => {
        const cb = h('input', { type: 'checkbox', checked: true });
        cb.dataset.status = st.id;
        cb.addEventListener('change', () => { this._call(() => this._map.setLayerVisible(`status:${st.id}`, cb.checked)); this.invalidate(); }, { signal });
        return h('li', {}, h('label', {}, cb, h('span', { text: `${t.status[st.id] ?? st.id} (${st.count})` })));
      })));
    }
    const colourable = JSON.parse(this._map.colourable());
    if (colourable.length) {
      const sel = h('select', { 'aria-label': t.colourBy }, h('option', { value: '', text: t.none }), colourable.map((c) => h('option', { value: c.id, text: c.name })));
      sel.value = this._indicator ?? '';
      sel.addEventListener('change', () => this.setIndicator(sel.value || null), { signal });
      const years = h('select', { 'aria-label': t.yearLabel },
        h('option', { value: '0', text: t.latest }), h('option', { value: '2015', text: '2015' }), h('option', { value: '2020', text: '2020' }),
        h('option', { value: '2025', text: `2025${t.targetYear}` }));
      years.value = String(this._year ?? 0);
      years.addEventListener('change', () => this.setYear(Number(years.value)), { signal });
      this._yearSelect = years;
      this._scale = h('div', { class: 'scale' });
      items.push(h('h3', { text: t.colourBy }), sel, h('label', {}, h('span', { text: t.yearLabel }), years), this._scale);
    }
    const pat = h('input', { type: 'checkbox', checked: !!this._patterns });
    pat.addEventListener('change', () => { this._patterns = pat.checked; this._call(() => this._map.setPatterns(pat.checked)); this.invalidate(); }, { signal });
    items.push(h('label', {}, pat, h('span', { text: t.patterns })));
    this._legend.replaceChildren(summary, ...items);
    this._legend.hidden = items.length === 0;
    this._updateScale();
  }

  _buildList() {
    const t = this._t;
    const p = this._plan;
    const signal = this._abort.signal;
    const button = (f) => {
      const b = h('button', { type: 'button', text: f.name || f.id, 'aria-pressed': 'false' });
      b.dataset.id = f.id;
      b.addEventListener('click', () => this._select(f.id, { zoom: true }), { signal });
      return h('li', {}, b);
    };
    const zones = p.areas.filter((a) => a.kind !== 'district');
    const district = p.areas.filter((a) => a.kind === 'district');
    const sections = [];
    if (zones.length || district.length) sections.push(h('h3', { text: t.zones }), h('ul', {}, [...zones, ...district].map(button)));
    if (p.points.length) sections.push(h('h3', { text: t.projects }), h('ul', {}, p.points.map(button)));
    this._list.replaceChildren(h('summary', { text: `${t.list} (${zones.length + district.length + p.points.length})` }), ...sections);
    this._updateListPressed();
  }

  _updateListPressed() {
    for (const b of this._list?.querySelectorAll('button[data-id]') ?? []) b.setAttribute('aria-pressed', String(b.dataset.id === this._selected?.id));
  }

  // ---- hash deep links -------------------------------------------------------------------

  _applyHash() {
    if (!this.hasAttribute('hash') || !this._map) return;
    const params = new URLSearchParams(location.hash.slice(1));
    const ind = params.get('indicator');
    if (ind !== null) this.setIndicator(ind);
    const year = Number(params.get('year'));
    if (year && year !== this._year) this.setYear(year);
    const zone = params.get('zone');
    if (zone && zone !== this._selected?.id) this._select(zone, { zoom: true, announce: false });
    this.invalidate();
  }

  _writeHash() {
    if (!this.hasAttribute('hash')) return;
    const params = new URLSearchParams(location.hash.slice(1));
    if (this._selected) params.set('zone', this._selected.id);
    else params.delete('zone');
    if (this._indicator) params.set('indicator', this._indicator);
    else params.delete('indicator');
    if (this._year) params.set('year', String(this._year));
    else params.delete('year');
    history.replaceState(null, '', `#${params.toString()}`);
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
    const v = (n) => cs.getPropertyValue(n).trim();
    this._call(() => this._map.setStyle(v('--planmap-font'), v('--planmap-bg'), v('--planmap-text'), v('--planmap-zone-colors')));
  }

  /** Selects a zone or project by id (null clears); `{zoom: true}` also zooms to it. */
  select(id, { zoom = false } = {}) {
    return this._select(id, { zoom });
  }

  /** The selection as `{id, kind, name}`, or null. */
  get selected() {
    return this._selected ? { ...this._selected } : null;
  }

  /** `{center: [lon, lat], zoom}` */
  get view() {
    return this._map ? JSON.parse(this._call(() => this._map.getView()) ?? 'null') : null;
  }

  set view(v) {
    if (!this._map || !v) return;
    const [lon, lat] = v.center ?? [NaN, NaN];
    this._call(() => this._map.setView(lon, lat, v.zoom ?? NaN));
    this.invalidate();
  }

  /** Shows the whole plan. */
  fit() {
    this._call(() => this._map?.fit());
    this.invalidate();
  }

  /** Colours areas by an indicator (or a numeric property of a bare GeoJSON); null clears. */
  setIndicator(id) {
    this._indicator = id || null;
    this._call(() => this._map?.setIndicator(this._indicator ?? undefined));
    const sel = this._legend?.querySelector('select');
    if (sel && sel.value !== (this._indicator ?? '')) sel.value = this._indicator ?? '';
    this._updateScale();
    this._writeHash();
    this.invalidate();
  }

  /** The current view as an SVG document: map, legend, title and credits. */
  toSVG() {
    return this._map ? this._call(() => this._map.toSVG()) ?? '' : '';
  }

  /** The current view as a PNG at `scale` × the CSS size (1–4, default 2). */
  async toPNG(scale = 2) {
    if (!this._map || !this._files) throw new Error('no map');
    const k = Math.min(4, Math.max(1, Number(scale) || 2));
    const [w, hh] = this._size;
    const canvas = document.createElement('canvas');
    const bw = Math.round(w * k);
    const bh = Math.round(hh * k);
    const map = new PlanMap(canvas);
    try {
      map.setLang(this.getAttribute('lang') || 'zh-CN');
      map.setTheme(this.getAttribute('theme') || 'light');
      map.load(this._files.name, this._files.text, this._files.files);
      map.resize(w, hh, k, bw, bh);
      map.copyViewFrom(this._map);
      map.renderExport();
    } finally {
      map.free();
    }
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'));
  }

  // ---- presentation ----------------------------------------------------------------------

  /** Full screen, stepping through an overview, each zone and a summary (→/← or PageDown/PageUp). */
  present() {
    if (!this._plan) return;
    this._present = { step: 0 };
    this.setAttribute('data-presenting', '');
    this.requestFullscreen?.().catch(() => {});
    this._canvas.focus();
    this._showStep();
  }

  next() {
    if (!this._present) return;
    this._present.step = Math.min(this._present.step + 1, this._steps().length - 1);
    this._showStep();
  }

  prev() {
    if (!this._present) return;
    this._present.step = Math.max(this._present.step - 1, 0);
    this._showStep();
  }

  _steps() {
    const zones = this._plan.areas.filter((a) => a.kind === 'zone');
    return [{ kind: 'overview' }, ...zones.map((z) => ({ kind: 'zone', zone: z })), { kind: 'summary' }];
  }

  _showStep() {
    const t = this._t;
    const steps = this._steps();
    const s = steps[this._present.step];
    const nav = (label, text, fn) => {
      const b = h('button', { type: 'button', 'aria-label': label, title: label, text });
      b.addEventListener('click', fn, { signal: this._abort.signal });
      return b;
    };
    const counter = `${this._present.step + 1} / ${steps.length}`;
    let title;
    let lines = [];
    if (s.kind === 'zone') {
      this._select(s.zone.id, { zoom: true, announce: false });
      this._panel.hidden = true;
      const d = JSON.parse(this._map.details(s.zone.id));
      title = d.name;
      lines = (d.facts ?? []).slice(0, 2).map((f) => `${f.label}：${f.text}`);
      const nf = this._numberFormat();
      lines.push(...(d.values ?? []).slice(0, 2).map((v) => `${v.name}：${nf.format(v.value)} ${v.unit ?? ''}（${v.year}）`));
    } else {
      this._select(null, { announce: false });
      this.fit();
      title = s.kind === 'overview' ? this._plan.title : t.summary;
      const zones = this._plan.areas.filter((a) => a.kind === 'zone').map((z) => z.name);
      lines = s.kind === 'overview' ? [`${t.zones}：${zones.join('、')}`] : [`${t.zones} ${t.zoneCount(zones.length)} · ${t.projects} ${this._plan.points.length}`];
    }
    this._caption.replaceChildren(
      h('div', { class: 'nav' }, nav(t.prev, '←', () => this.prev()), nav(t.next, '→', () => this.next()), nav(t.exitPresent, '✕', () => this._endPresentation())),
      h('h2', { text: title }), ...lines.map((l) => h('p', { text: l })), h('p', { class: 'meta', text: counter }));
    this._caption.hidden = false;
    if (s.kind === 'zone') {
      // The caption covers the bottom of the stage: fit the zone into what stays visible.
      const covered = this._caption.offsetHeight;
      const [w, hh] = this._size;
      if (hh > covered) {
        this._call(() => {
          this._map.zoomAt(-Math.log2(hh / (hh - covered)), w / 2, hh / 2);
          this._map.panBy(0, -covered / 2);
        });
      }
    }
    this.invalidate();
  }

  _endPresentation() {
    this._present = null;
    this.removeAttribute('data-presenting');
    this._caption.hidden = true;
    if (document.fullscreenElement === this) document.exitFullscreen?.().catch(() => {});
  }
}

function symbolIcon(symbol, color) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-10 -10 20 20');
  svg.setAttribute('class', 'symbol');
  svg.setAttribute('aria-hidden', 'true');
  const shapes = {
    square: 'M-7 -7H7V7H-7Z', diamond: 'M0 -9L9 0L0 9L-9 0Z', triangle: 'M0 -9L8 7H-8Z',
    cross: 'M-3 -8H3V-3H8V3H3V8H-3V3H-8V-3H-3Z', star: 'M0 -10L2.6 -3.6L9.5 -3.1L4.2 1.4L5.9 8.1L0 4.5L-5.9 8.1L-4.2 1.4L-9.5 -3.1L-2.6 -3.6Z',
  };
  const el = shapes[symbol] ? document.createElementNS(ns, 'path') : document.createElementNS(ns, 'circle');
  if (shapes[symbol]) el.setAttribute('d', shapes[symbol]);
  else el.setAttribute('r', '7');
  el.setAttribute('fill', color);
  el.setAttribute('stroke', '#fff');
  el.setAttribute('stroke-width', '1.5');
  svg.append(el);
  return svg;
}

if (!customElements.get('plan-map')) customElements.define('plan-map', PlanMapElement);
