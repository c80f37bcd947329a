// Presentation mode, for a projector: full screen, the map chrome hidden (the credits stay,
// above the caption), stepping through an overview, each zone (fitted above a large caption
// with its first facts and figures) and a summary. →/← or PageDown/PageUp step
// (planmap-keys.js), Escape or leaving full screen ends it.
import { h } from './planmap-dom.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-element.js').AreaInfo} AreaInfo */
/** @typedef {import('./planmap-panel.js').Details} Details */
/** @typedef {{kind: 'overview'} | {kind: 'zone', zone: AreaInfo} | {kind: 'summary'}} Step */

/**
 * Starts the presentation at its overview (the element has asked for full screen already,
 * within the user's gesture).
 * @param {PlanMapElement} el
 */
export function present(el) {
  if (!el._plan) return;
  el._present = { step: 0 };
  el.setAttribute('data-presenting', '');
  el._canvas.focus();
  showStep(el);
}

/** @param {PlanMapElement} el */
export function next(el) {
  if (!el._present) return;
  el._present.step = Math.min(el._present.step + 1, steps(el).length - 1);
  showStep(el);
}

/** @param {PlanMapElement} el */
export function prev(el) {
  if (!el._present) return;
  el._present.step = Math.max(el._present.step - 1, 0);
  showStep(el);
}

/**
 * @param {PlanMapElement} el
 * @returns {Step[]}
 */
function steps(el) {
  const zones = (el._plan?.areas ?? []).filter((a) => a.kind === 'zone');
  return [{ kind: 'overview' }, ...zones.map((z) => /** @type {Step} */ ({ kind: 'zone', zone: z })), { kind: 'summary' }];
}

/** @param {PlanMapElement} el */
function showStep(el) {
  const t = el._t;
  const plan = el._plan;
  const map = el._map;
  const present = el._present;
  if (!plan || !map || !present) return;
  const all = steps(el);
  const s = all[present.step];
  /**
   * @param {string} label
   * @param {string} text
   * @param {() => void} fn
   */
  const nav = (label, text, fn) => {
    const b = h('button', { type: 'button', 'aria-label': label, title: label, text });
    b.addEventListener('click', fn, { signal: el._abort.signal });
    return b;
  };
  const counter = `${present.step + 1} / ${all.length}`;
  let title;
  /** @type {string[]} */
  let lines = [];
  /** @type {string | null} */
  let zone = null;
  if (s.kind === 'zone') {
    /** @type {Details} */
    const d = JSON.parse(map.details(s.zone.id));
    title = d.name;
    lines = (d.facts ?? []).slice(0, 2).map((f) => `${f.label}：${f.text}`);
    const nf = el._numberFormat();
    lines.push(...(d.values ?? []).slice(0, 2).map((v) => `${v.name}：${nf.format(v.value)} ${v.unit ?? ''}（${v.year}）`));
    zone = s.zone.id;
  } else {
    title = s.kind === 'overview' ? plan.title : t.summary;
    const zones = plan.areas.filter((a) => a.kind === 'zone').map((z) => z.name);
    lines = s.kind === 'overview' ? [`${t.zones}：${zones.join('、')}`] : [`${t.zones} ${t.zoneCount(zones.length)} · ${t.projects} ${plan.points.length}`];
  }
  el._caption.replaceChildren(
    h('div', { class: 'nav' }, nav(t.prev, '←', () => el.prev()), nav(t.next, '→', () => el.next()), nav(t.exitPresent, '✕', () => endPresentation(el))),
    h('h2', { text: title }), ...lines.map((l) => h('p', { text: l })), h('p', { class: 'meta', text: counter }));
  el._caption.hidden = false;
  // The caption covers the bottom of the stage: the zone (or the whole plan) is fitted into
  // the part above it, like any selection into the part a panel leaves free.
  el._updateCovered();
  if (zone) {
    el._select(zone, { zoom: true, announce: false });
  } else {
    el._select(null, { announce: false });
    el.fit();
  }
  el.invalidate();
}

/**
 * Ends the presentation (and full screen, when it is the element's).
 * @param {PlanMapElement} el
 */
export function endPresentation(el) {
  el._present = null;
  el.removeAttribute('data-presenting');
  el._caption.hidden = true;
  el._updateCovered();
  if (document.fullscreenElement === el) document.exitFullscreen?.().catch(() => {});
}
