// The details panel of the selected feature: its kind and status, facts, link, the plan's
// sentence, every figure with a button that opens its verbatim source, progress bars and bar
// charts (drawn by the extras module once it has loaded), and the projects in a zone.
import { h, safeHref } from './planmap-dom.js';
import { withExtras, ExtrasTrap } from './planmap-extras.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * A figure as the core's `details()` returns it.
 * @typedef {{indicator: string, name?: string, value: number, unit?: string, year: number,
 *   kind: string, at_least?: boolean, source: string, section: string}} Value
 */

/**
 * What the core's `details(id)` returns for a feature.
 * @typedef {{id: string, kind: string, name: string, category?: string, status?: string,
 *   zone?: string, schematic?: boolean, location?: string, link?: string,
 *   facts?: {label: string, text: string}[], quote?: {source: string, section: string},
 *   values?: Value[], projects?: {id: string, name: string}[], lines?: {id: string, name: string}[],
 *   class?: string}} Details
 */

/**
 * Fills and opens the panel for feature `id`.
 * @param {PlanMapElement} el
 * @param {string} id
 */
export function showPanel(el, id) {
  const map = el._map;
  if (!map) return;
  /** @type {Details | null} */
  const d = JSON.parse(map.details(id));
  if (!d) return;
  const t = el._t;
  const signal = el._abort.signal;
  const nf = el._numberFormat();
  const close = h('button', { type: 'button', class: 'close', 'aria-label': t.close, title: t.close, text: '✕' });
  close.addEventListener('click', () => { el._select(null); el._canvas.focus(); }, { signal });
  const meta = [t.kind[/** @type {keyof typeof t.kind} */ (d.kind)] ?? d.kind];
  if (d.kind === 'line') meta.push(t.lineClass[/** @type {keyof typeof t.lineClass} */ (d.class)] ?? d.category ?? '');
  else if (d.category) meta.push(d.category);
  if (d.status) meta.push(t.status[/** @type {keyof typeof t.status} */ (d.status)] ?? d.status);
  if (d.zone) meta.push(d.zone);
  if (d.schematic) meta.push(d.kind === 'line' ? t.schematicCourse : t.schematic);
  if (d.location) meta.push(d.location === 'approximate' ? t.approximate : t.surveyed);
  // The head: what the phone's sheet shows at its peek height.
  const head = [close, h('h2', { text: d.name, id: 'pm-panel-title' }), h('p', { class: 'meta', text: meta.join(' · ') })];
  const key = keyFigure(d, t, nf);
  if (key) head.push(h('p', { class: 'key', text: key }));
  /** @type {HTMLElement[]} */
  const parts = [];
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
      }, { signal });
      const num = `${nf.format(v.value)}${v.unit ? ` ${v.unit}` : ''}${v.at_least ? ` ${t.atLeast}` : ''}`;
      const kind = t.valueKind[/** @type {keyof typeof t.valueKind} */ (v.kind)] ?? v.kind;
      return [h('tr', { class: v.year === el._year ? 'current-year' : '' }, h('th', { scope: 'row', text: v.name ?? v.indicator }), h('td', { text: `${v.year} ${kind}` }), h('td', { class: 'num' }, h('span', { text: num }), ' ', btn)), quote];
    });
    parts.push(h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t.indicator }), h('th', { scope: 'col', text: t.year }), h('th', { scope: 'col', text: t.value }))), h('tbody', {}, rows)));
  } else if (d.kind === 'zone' || d.kind === 'district') {
    parts.push(h('p', { class: 'meta', text: t.noValues }));
  }
  if (d.values?.length) parts.splice(parts.length - 1, 0, ...chartSection(el, /** @type {Details & {values: Value[]}} */ (d)));
  for (const [title, list] of /** @type {[string, {id: string, name: string}[] | undefined][]} */ ([[t.projectsInZone, d.projects], [t.linesInZone, d.lines]])) {
    if (!list?.length) continue;
    parts.push(h('h3', { text: title }), h('ul', { class: 'projects' }, list.map((p) => {
      const b = h('button', { type: 'button', text: p.name });
      // A click from Enter or Space has no pointer position (detail 0): a keyboard selection.
      b.addEventListener('click', (e) => el._select(p.id, { zoom: true, keyboard: e.detail === 0 }), { signal });
      return h('li', {}, b);
    })));
  }
  el._panelHead.replaceChildren(...head);
  el._panelBody.replaceChildren(...parts);
  el._panelBody.scrollTop = 0;
  el._panel.setAttribute('aria-labelledby', 'pm-panel-title');
  el._panel.hidden = false;
  el._sheet.set(el._sheet.state, false);
  el._updateCovered();
}

/**
 * The one figure the sheet's peek shows under the name: an area's first value as the plan
 * states it (value, unit, year, kind), else a feature's first fact; '' when there is none.
 * @param {Details} d
 * @param {ReturnType<typeof import('./planmap-strings.js').strings>} t
 * @param {Intl.NumberFormat} nf
 */
function keyFigure(d, t, nf) {
  const v = d.values?.[0];
  if (v) {
    const kind = t.valueKind[/** @type {keyof typeof t.valueKind} */ (v.kind)] ?? v.kind;
    return `${v.name ?? v.indicator}：${nf.format(v.value)}${v.unit ? ` ${v.unit}` : ''}${v.at_least ? ` ${t.atLeast}` : ''}（${v.year} ${kind}）`;
  }
  const f = d.facts?.[0];
  return f ? `${f.label}：${f.text}` : '';
}

/**
 * Progress bars and bar charts of an area's indicators, filled in once the extras module
 * has loaded; fires planmap-charts when they are drawn.
 * @param {PlanMapElement} el
 * @param {Details & {values: Value[]}} d
 * @returns {HTMLElement[]}
 */
function chartSection(el, d) {
  const t = el._t;
  const box = h('div', { class: 'charts' });
  withExtras(el, t.drawingCharts(d.name), (ex) => {
    if (!el._map || !box.isConnected) return;
    /** @type {{progress: string[], charts: string[]} | null} */
    const co = JSON.parse(ex.chartsOf(d.id));
    if (!co) return;
    const nf = el._numberFormat();
    /** @type {['drawProgress' | 'drawChart', HTMLCanvasElement, string, number][]} */
    const jobs = [];
    /** @type {HTMLElement[]} */
    const figures = [];
    /** @param {string} id */
    const byId = (id) => d.values.filter((v) => v.indicator === id);
    if (co.progress.length) figures.push(h('h3', { text: t.progress }));
    for (const id of co.progress) {
      const vals = byId(id);
      const target = /** @type {Value} */ (vals.filter((v) => v.kind === 'target').at(-1));
      const latest = /** @type {Value} */ (vals.filter((v) => v.kind === 'actual' || v.kind === 'baseline').at(-1));
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
    el.dispatchEvent(new CustomEvent('planmap-charts', { detail: { area: d.id, count: jobs.length } }));
  }).catch((e) => {
    // A trap is reported (planmap-error) and said where the charts would be; anything else
    // (the module could not be fetched) leaves the table of figures to speak alone.
    if (e instanceof ExtrasTrap && box.isConnected) box.replaceChildren(h('p', { class: 'charts-error', text: e.message }));
  });
  return [box];
}
