// The table of every figure of the plan (sortable by any column, with the verbatim source of
// each) and its CSV download; both come from the extras module. Printing builds it so the
// printed page carries the numbers under the map.
import { h } from './planmap-dom.js';
import { withExtras, ExtrasTrap } from './planmap-extras.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * A row of the extras module's `valueRows()`.
 * @typedef {{area: string, indicator: string, value: number, value_text: string, unit: string,
 *   year: number, kind: string, section: string, source: string}} Row
 */

/**
 * Opens the table of every figure (sortable, with a CSV download).
 * @param {PlanMapElement} el
 */
export async function showTable(el) {
  if (!el._map) throw el._unavailable();
  const reveal = () => {
    el._table.hidden = false;
    el._table.querySelector('button')?.focus();
  };
  try {
    await buildTable(el);
  } catch (e) {
    if (e instanceof ExtrasTrap) reveal(); // it says what happened
    throw e;
  }
  reveal();
}

/**
 * The table's place after a trap in the extras module: what happened, and a close button.
 * @param {PlanMapElement} el
 * @param {string} message
 */
function tableTrapped(el, message) {
  const t = el._t;
  const close = h('button', { type: 'button', text: '✕', 'aria-label': t.close, title: t.close });
  close.addEventListener('click', () => { el._table.hidden = true; el._canvas.focus(); }, { signal: el._abort.signal });
  el._table.replaceChildren(h('header', {}, h('h2', { text: t.tableTitle }), close), h('p', { class: 'charts-error', text: message }));
}

/**
 * Builds (or rebuilds, sorted) the table.
 * @param {PlanMapElement} el
 * @returns {Promise<void>}
 */
export async function buildTable(el) {
  const t = el._t;
  const signal = el._abort.signal;
  /** @type {Row[]} */
  let rows;
  try {
    rows = JSON.parse(await withExtras(el, t.buildingTable, (ex) => ex.valueRows()));
  } catch (e) {
    if (e instanceof ExtrasTrap) tableTrapped(el, e.message);
    throw e;
  }
  /** @type {[keyof Row, string, boolean?][]} */
  const cols = [
    ['area', t.area], ['indicator', t.indicator], ['value', t.value, true], ['unit', t.unit], ['year', t.year, true],
    ['kind', t.kindCol], ['section', t.section], ['source', t.quote],
  ];
  const sort = el._tableSort ?? { key: null, dir: 1 };
  if (sort.key) {
    const key = /** @type {keyof Row} */ (sort.key);
    const num = key === 'value' || key === 'year';
    rows.sort((a, b) => sort.dir * (num ? Number(a[key]) - Number(b[key]) : String(a[key]).localeCompare(String(b[key]), 'zh-CN')));
  }
  const head = cols.map(([key, label]) => {
    const b = h('button', { type: 'button', text: label, title: t.sortBy });
    b.addEventListener('click', () => {
      el._tableSort = { key, dir: sort.key === key ? -sort.dir : 1 };
      buildTable(el).then(() => /** @type {HTMLElement | null} */ (el._table.querySelector(`th[data-key="${key}"] button`))?.focus(), () => {});
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
  csv.addEventListener('click', () => el.downloadCSV().catch(() => {}), { signal });
  const close = h('button', { type: 'button', text: '✕', 'aria-label': t.close, title: t.close });
  close.addEventListener('click', () => { el._table.hidden = true; el._canvas.focus(); }, { signal });
  el._table.replaceChildren(
    h('header', {}, h('h2', { text: `${t.tableTitle} (${rows.length})` }), csv, close),
    h('table', {}, h('caption', { class: 'sr-only', text: el._plan?.title ?? '' }), h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
}

/**
 * Downloads every figure as CSV (UTF-8 with BOM, so Excel reads the Chinese).
 * @param {PlanMapElement} el
 */
export async function downloadCSV(el) {
  if (!el._map) throw el._unavailable();
  const csv = await withExtras(el, el._t.buildingCSV, (ex) => ex.valuesCSV());
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const a = h('a', { href: URL.createObjectURL(blob), download: 'planmap-values.csv' });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  return blob;
}
