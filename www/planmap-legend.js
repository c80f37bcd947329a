// The legend: zone colours with the zones' layer toggle, project categories and statuses as
// filters, hatched patterns for colour-blind readers, and colouring areas by an indicator in a
// chosen year (the choropleth: its scale, the fade between years, "no data" shown hatched).
import { h, reducedMotion } from './planmap-dom.js';
import { rovingFocus } from './planmap-chrome.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * Builds the legend for the loaded plan.
 * @param {PlanMapElement} el
 */
export function buildLegend(el) {
  const t = el._t;
  const p = el._plan;
  const map = el._map;
  if (!p || !map) return;
  const signal = el._abort.signal;
  const summary = h('summary', { text: t.legend });
  summary.addEventListener('click', () => { el._legendTouched = true; }, { signal });
  /** @type {HTMLElement[]} */
  const items = [];
  /**
   * A checkbox that shows or hides one layer of the map.
   * @param {string} layer
   */
  const toggle = (layer) => {
    const cb = h('input', { type: 'checkbox', checked: true });
    cb.addEventListener('change', () => { el._call(() => el._map?.setLayerVisible(layer, cb.checked)); el.invalidate(); }, { signal });
    return cb;
  };
  const basemap = el._basemap.legendItem(signal);
  if (basemap) items.push(basemap);
  const zones = p.areas.filter((a) => a.kind === 'zone');
  if (zones.length) {
    const cb = toggle('zones');
    const swatches = zones.map((z) => {
      const s = h('span', { class: 'swatch' });
      s.style.background = z.color;
      return h('li', {}, s, h('span', { text: z.name + (z.schematic ? `（${t.schematic}）` : '') }));
    });
    items.push(h('h3', {}, h('label', {}, cb, h('span', { text: t.zones }))), h('ul', {}, swatches));
  }
  const lines = p.lines ?? [];
  if (lines.length) {
    const cb = toggle('lines');
    cb.dataset.layer = 'lines';
    /** @type {Map<string, import('./planmap-element.js').LineInfo[]>} */
    const byClass = new Map();
    for (const l of lines) byClass.set(l.class, [...(byClass.get(l.class) ?? []), l]);
    items.push(h('h3', {}, h('label', {}, cb, h('span', { text: t.lines }))));
    items.push(h('ul', {}, [...byClass].map(([cls, ls]) => h('li', {}, lineIcon(ls[0]),
      h('span', { text: `${t.lineClass[/** @type {keyof typeof t.lineClass} */ (cls)] ?? cls} (${ls.length})` })))));
  }
  if (p.categories.length) {
    items.push(h('h3', { text: t.projects }));
    items.push(h('ul', {}, p.categories.map((c) => {
      const cb = toggle(c.id);
      return h('li', {}, h('label', {}, cb, symbolIcon(c.symbol, c.color), h('span', { text: `${c.name} (${c.count})` })));
    })));
  }
  if (p.statuses?.length) {
    items.push(h('h3', { text: t.statusFilter }));
    items.push(h('ul', {}, p.statuses.map((st) => {
      const cb = toggle(`status:${st.id}`);
      cb.dataset.status = st.id;
      return h('li', {}, h('label', {}, cb, h('span', { text: `${t.status[/** @type {keyof typeof t.status} */ (st.id)] ?? st.id} (${st.count})` })));
    })));
  }
  /** @type {{id: string, name: string}[]} */
  const colourable = JSON.parse(map.colourable());
  if (colourable.length) {
    const sel = h('select', { 'aria-label': t.colourBy }, h('option', { value: '', text: t.none }), colourable.map((c) => h('option', { value: c.id, text: c.name })));
    sel.value = el._indicator ?? '';
    sel.addEventListener('change', () => el.setIndicator(sel.value || null), { signal });
    const years = h('select', { 'aria-label': t.yearLabel },
      h('option', { value: '0', text: t.latest }), h('option', { value: '2015', text: '2015' }), h('option', { value: '2020', text: '2020' }),
      h('option', { value: '2025', text: `2025${t.targetYear}` }));
    years.value = String(el._year ?? 0);
    years.addEventListener('change', () => el.setYear(Number(years.value)), { signal });
    el._yearSelect = years;
    el._scale = h('div', { class: 'scale' });
    items.push(h('h3', { text: t.colourBy }), sel, h('label', {}, h('span', { text: t.yearLabel }), years), el._scale);
  }
  const pat = h('input', { type: 'checkbox', checked: !!el._patterns });
  pat.addEventListener('change', () => { el._patterns = pat.checked; el._call(() => el._map?.setPatterns(pat.checked)); el.invalidate(); }, { signal });
  items.push(h('label', {}, pat, h('span', { text: t.patterns })));
  // Its filters and colour switches are one tab stop, ←/→ between them (issue 12: with each
  // a tab stop, the map was a dozen stops between a keyboard user and the rest of the page).
  const body = h('div', { class: 'legend-body', role: 'toolbar', 'aria-label': t.legend, 'aria-orientation': 'horizontal' }, items);
  rovingFocus(body, signal, 'horizontal');
  el._legend.replaceChildren(summary, body);
  el._legend.hidden = items.length === 0;
  updateScale(el);
}

/**
 * The colour scale under the indicator switch: min, ramp, max and unit, and the "no data" hatch.
 * @param {PlanMapElement} el
 */
export function updateScale(el) {
  if (!el._scale) return;
  const t = el._t;
  const map = el._map;
  /** @type {{min: number, max: number, unit: string, stops: string[]} | null} */
  const sc = el._indicator && map ? JSON.parse(map.legendScale()) : null;
  if (!el._indicator) {
    el._scale.replaceChildren();
    return;
  }
  const nf = el._numberFormat();
  const ramp = h('span', { class: 'ramp', 'aria-hidden': 'true' }, (sc?.stops ?? []).map((c) => { const e = h('span'); e.style.background = c; return e; }));
  el._scale.replaceChildren(
    ...(sc ? [h('span', { text: nf.format(sc.min) }), ramp, h('span', { text: `${nf.format(sc.max)} ${sc.unit}` })] : []),
    h('span', { class: 'nodata', 'aria-hidden': 'true' }), h('span', { text: t.noData }));
}

/**
 * Colours areas by an indicator (or a numeric property of a bare GeoJSON); null clears.
 * @param {PlanMapElement} el
 * @param {string | null} id
 */
export function setIndicator(el, id) {
  el._indicator = id || null;
  el._call(() => el._map?.setIndicator(el._indicator ?? undefined));
  const sel = el._legend?.querySelector('select');
  if (sel && sel.value !== (el._indicator ?? '')) sel.value = el._indicator ?? '';
  updateScale(el);
  el._writeHash();
  el.invalidate();
}

/**
 * Shows the map and panel as of `year` (0 or null: latest values), fading the colours unless
 * the user prefers reduced motion.
 * @param {PlanMapElement} el
 * @param {number | string | null} year
 */
export function setYear(el, year) {
  const map = el._map;
  if (!map) return;
  el._year = Number(year) || 0;
  const y = el._year;
  el._call(() => map.setYear(y));
  const start = performance.now();
  const step = () => {
    const k = reducedMotion() ? 1 : Math.min(1, (performance.now() - start) / 400);
    el._call(() => el._map?.setBlend(k));
    el.render();
    if (k < 1 && el._mounted) requestAnimationFrame(step);
  };
  step();
  if (el._yearSelect) el._yearSelect.value = String(el._year);
  if (el._selected) el._showPanel(el._selected.id);
  updateScale(el);
  el._writeHash();
}

/**
 * A project category's symbol as a small SVG, the shape the map draws.
 * @param {string} symbol
 * @param {string} color
 */
function symbolIcon(symbol, color) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-10 -10 20 20');
  svg.setAttribute('class', 'symbol');
  svg.setAttribute('aria-hidden', 'true');
  /** @type {Record<string, string>} */
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

/**
 * A line's stroke as a small SVG: its casing, then its colour (dashed when it is), as drawn.
 * @param {import('./planmap-element.js').LineInfo} line
 */
function lineIcon(line) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 22 10');
  svg.setAttribute('class', 'line-icon');
  svg.setAttribute('aria-hidden', 'true');
  for (const [color, width, dash] of /** @type {[string, number, string][]} */ ([[line.casing, 6, ''], [line.color, 3, line.dashed ? '4 3' : '']])) {
    const l = document.createElementNS(ns, 'line');
    for (const [k, v] of Object.entries({ x1: '2', y1: '5', x2: '20', y2: '5', stroke: color, 'stroke-width': String(width), 'stroke-linecap': 'round' })) l.setAttribute(k, v);
    if (dash) l.setAttribute('stroke-dasharray', dash);
    svg.append(l);
  }
  return svg;
}
