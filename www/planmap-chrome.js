// The element's shadow DOM: the stage with the canvas, the map buttons, and the empty places
// the other modules fill (tooltip, the notes box, legend, list, panel with its sheet handle,
// table, caption, message, live region). Rebuilt when the language changes; the canvas and the stage survive the rebuild.
import { CSS } from './planmap-style.js';
import { h } from './planmap-dom.js';
import { buildLegend } from './planmap-legend.js';
import { buildList } from './planmap-list.js';
import { BottomSheet, roomChanged } from './planmap-inview.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/** @type {CSSStyleSheet | null} */
let sheet = null;

/** The element's styles, one constructed sheet shared by every instance (no inline style, so
 * no CSP 'unsafe-inline'). */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/**
 * Builds (or rebuilds, in the current language) the shadow DOM.
 * @param {PlanMapElement} el
 */
export function buildChrome(el) {
  const t = el._t;
  const old = el._stage;
  el._canvas ??= h('canvas', { role: 'img', tabindex: 0, 'aria-label': t.loading });
  el._stage = old ?? h('div', { class: 'stage' });
  el._stage.replaceChildren(el._canvas);
  /**
   * @param {string} label
   * @param {string} text
   * @param {() => void} onClick
   * @param {string} [cls]
   */
  const btn = (label, text, onClick, cls) => {
    const b = h('button', { type: 'button', 'aria-label': label, title: label, text, class: cls });
    b.addEventListener('click', onClick, { signal: el._abort.signal });
    return b;
  };
  /** @returns {[number, number]} */
  const mid = () => [el._size[0] / 2, el._size[1] / 2];
  el._controls = h('div', { class: 'controls', role: 'toolbar', 'aria-label': t.mapControls, 'aria-orientation': 'vertical' },
    btn(t.zoomIn, '+', () => el._zoomBy(1, mid())),
    btn(t.zoomOut, '−', () => el._zoomBy(-1, mid())),
    btn(t.fit, '⤢', () => el.fit()),
    btn(t.table, '▦', () => el.showTable().catch(() => {}), 'table-btn'), // a failure is reported as planmap-error
    btn(t.present, '▶', () => el.present(), 'present'));
  rovingFocus(el._controls, el._abort.signal);
  el._tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  el._note = h('div', { class: 'note' });
  // The map's own notes: the 示意 note and credits now, a basemap's credit and 审图号 too; the
  // stylesheet keeps this box inside the free area (planmap-inview.js).
  el._notes = h('div', { class: 'mapnotes' }, el._note);
  el._message = h('div', { class: 'message', role: 'alert', hidden: true });
  el._nothing = h('p', { class: 'nothing', role: 'note', hidden: true });
  el._legend = h('details', { class: 'legend', open: (el._size?.[0] ?? 800) > 600 });
  el._list = h('details', { class: 'list' });
  // The panel: a bottom sheet on phones (the handle shows there), a side panel otherwise. Its
  // head (name, kind, key figure) stays put; its body scrolls. Focusable, for a keyboard
  // selection to move into.
  el._panel = h('aside', { class: 'panel', hidden: true, 'aria-label': t.details, tabindex: -1 });
  el._sheetHandle = h('button', { type: 'button', class: 'sheet-handle', 'aria-expanded': 'false', 'aria-label': t.expandSheet, title: t.expandSheet });
  el._panelHead = h('div', { class: 'head' });
  el._panelBody = h('div', { class: 'body' });
  el._panel.append(el._sheetHandle, el._panelHead, el._panelBody);
  el._sheet = new BottomSheet(el._panel, el._sheetHandle, el._panelHead, {
    signal: el._abort.signal,
    labels: { expand: t.expandSheet, collapse: t.collapseSheet },
    onChange: (settled) => roomChanged(el, settled),
  });
  el._caption = h('div', { class: 'caption', hidden: true, 'aria-live': 'polite' });
  el._table = h('section', { class: 'datatable', hidden: true, 'aria-label': t.tableTitle });
  el._live = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
  el._stage.append(el._controls, el._notes, el._tooltip, el._legend, el._list, el._panel, el._table, el._caption, el._message, el._nothing);
  el._root.replaceChildren(h('div', { class: 'pm' }, el._stage, el._live));
  el._size ??= [0, 0];
}

/**
 * Fills the parts that depend on the loaded plan: the canvas's label, legend, list, the
 * schematic note and credits, and the open panel.
 * @param {PlanMapElement} el
 */
export function afterLoadUi(el) {
  if (!el._map) return;
  el._plan = JSON.parse(el._map.features());
  if (!el._plan) return;
  const t = el._t;
  const zones = el._plan.areas.filter((a) => a.kind === 'zone');
  el._canvas.setAttribute('aria-label', t.mapLabel(el._plan.title, zones.length, el._plan.points.length));
  buildLegend(el);
  buildList(el);
  updateNote(el);
  // Valid data with no shape at all (null geometries, an empty collection): say why the map is
  // empty, and keep the list, whose entries still open their details.
  const why = (el.warnings ?? []).find((w) => w.includes('nothing to draw'));
  el._nothing.hidden = el._plan.drawable !== false;
  el._nothing.replaceChildren(h('span', { text: t.nothingToDraw }), why ? h('span', { class: 'detail', text: why }) : '');
  if (el._selected) el._showPanel(el._selected.id);
}

/**
 * The note at the bottom left: the 示意 note, the plan's credits, and a basemap's credit with its
 * 审图号 (and a line when its tiles fail).
 * @param {PlanMapElement} el
 */
export function updateNote(el) {
  if (!el._plan) return;
  const notes = [];
  if (el._plan.schematic) notes.push(el._t.schematicNote);
  notes.push(...el._plan.credits);
  notes.push(...el._basemap.notes());
  el._note.textContent = notes.join(' · ');
  el._note.title = notes.join('\n');
}

/**
 * Says `text` through the live region.
 * @param {PlanMapElement} el
 * @param {string} text
 */
export function announce(el, text) {
  // Clearing first makes screen readers repeat an identical message.
  el._live.textContent = '';
  requestAnimationFrame(() => { el._live.textContent = text; });
}

/**
 * Makes a toolbar one tab stop (issue 12: the map must not be a wall of tab stops): the
 * last-focused control is tabbable, arrows, Home and End move among the controls (WAI-ARIA
 * toolbar pattern). A horizontal bar leaves Up and Down to the controls (a select's own keys).
 * @param {HTMLElement} bar
 * @param {AbortSignal} signal
 * @param {'vertical' | 'horizontal'} [orientation]
 */
export function rovingFocus(bar, signal, orientation = 'vertical') {
  const controls = /** @type {HTMLElement[]} */ ([...bar.querySelectorAll('button, input, select')]);
  controls.forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
  bar.addEventListener('focusin', (e) => {
    if (!controls.includes(/** @type {HTMLElement} */ (e.target))) return;
    for (const b of controls) b.tabIndex = b === e.target ? 0 : -1;
  }, { signal });
  /** @type {Record<string, number>} */
  const steps = orientation === 'vertical'
    ? { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }
    : { ArrowRight: 1, ArrowLeft: -1 };
  bar.addEventListener('keydown', (e) => {
    const k = controls.indexOf(/** @type {HTMLElement} */ (e.target));
    if (k < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const visible = controls.filter((b) => b.offsetParent !== null);
    const at = visible.indexOf(controls[k]);
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? visible.length - 1 : e.key in steps ? at + steps[e.key] : undefined;
    if (to === undefined || !visible.length) return;
    e.preventDefault();
    visible[(to + visible.length) % visible.length].focus();
  }, { signal });
}
