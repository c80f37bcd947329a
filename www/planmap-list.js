// The list of zones, the district and the projects: buttons that select (and zoom to) what
// the canvas shows, for keyboards and screen readers; the selected one is aria-pressed.
import { h } from './planmap-dom.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * Builds the list for the loaded plan.
 * @param {PlanMapElement} el
 */
export function buildList(el) {
  const t = el._t;
  const p = el._plan;
  if (!p) return;
  const signal = el._abort.signal;
  /** @param {{id: string, name: string}} f */
  const button = (f) => {
    const b = h('button', { type: 'button', text: f.name || f.id, 'aria-pressed': 'false' });
    b.dataset.id = f.id;
    // A click from Enter or Space has no pointer position (detail 0): a keyboard selection.
    b.addEventListener('click', (e) => el._select(f.id, { zoom: true, keyboard: e.detail === 0 }), { signal });
    return h('li', {}, b);
  };
  const zones = p.areas.filter((a) => a.kind !== 'district');
  const district = p.areas.filter((a) => a.kind === 'district');
  const sections = [];
  if (zones.length || district.length) sections.push(h('h3', { text: t.zones }), h('ul', {}, [...zones, ...district].map(button)));
  const lines = p.lines ?? [];
  if (lines.length) sections.push(h('h3', { text: t.lines }), h('ul', {}, lines.map(button)));
  if (p.points.length) sections.push(h('h3', { text: t.projects }), h('ul', {}, p.points.map(button)));
  el._list.replaceChildren(h('summary', { text: `${t.list} (${zones.length + district.length + lines.length + p.points.length})` }), ...sections);
  updateListPressed(el);
}

/**
 * Marks the selected feature's button as pressed.
 * @param {PlanMapElement} el
 */
export function updateListPressed(el) {
  /** @type {NodeListOf<HTMLButtonElement> | never[]} */
  const buttons = el._list?.querySelectorAll('button[data-id]') ?? [];
  for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.id === el._selected?.id));
}
