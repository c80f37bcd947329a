// The selection: one feature (zone, district, project, line) or none. Selecting tells the
// core, opens or closes the details panel, updates the list, announces the change, fires
// planmap-select and writes the URL hash.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-element.js').Feature} Feature */

/**
 * Selects `id` (null or undefined clears); returns the selected feature or null.
 * @param {PlanMapElement} el
 * @param {string | null | undefined} id
 * @param {{zoom?: boolean, announce?: boolean}} [options] `zoom` also zooms to it;
 *   `announce: false` keeps the live region quiet (deep links, presentation steps)
 * @returns {Feature | null}
 */
export function selectFeature(el, id, { zoom = false, announce = true } = {}) {
  const map = el._map;
  if (!map) return null;
  /** @type {Feature | null} */
  const f = JSON.parse(el._call(() => map.select(id ?? undefined, zoom, false)) ?? 'null');
  const changed = (f?.id ?? null) !== (el._selected?.id ?? null);
  el._selected = f;
  if (f) el._showPanel(f.id);
  else el._panel.hidden = true;
  el._updateListPressed();
  if (changed) {
    const t = el._t;
    if (announce) el._announce(f ? `${t.selected}：${f.name}（${t.kind[/** @type {keyof typeof t.kind} */ (f.kind)] ?? f.kind}）` : t.cleared);
    el.dispatchEvent(new CustomEvent('planmap-select', { bubbles: true, composed: true, detail: f ? { id: f.id, kind: f.kind, name: f.name } : { id: null, kind: null, name: null } }));
    el._writeHash();
  }
  el.invalidate();
  return f;
}
