// The selection: one feature (zone, district, project, line) or none. Selecting opens or
// closes the details panel, tells the core what the panel covers and what is selected, eases
// the feature into the part of the map left free (planmap-inview.js), updates the list,
// announces the change, fires planmap-select and writes the URL hash.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-element.js').Feature} Feature */

/**
 * Selects `id` (null or undefined clears); returns the selected feature or null.
 * @param {PlanMapElement} el
 * @param {string | null | undefined} id
 * @param {{zoom?: boolean, announce?: boolean, keyboard?: boolean}} [options] `zoom` fits it
 *   to the free part of the map; `announce: false` keeps the live region quiet (deep links,
 *   presentation steps); `keyboard`: the user selected with the keyboard, so focus follows
 *   into the panel (a pointer or a script leaves focus where it is)
 * @returns {Feature | null}
 */
export function selectFeature(el, id, { zoom = false, announce = true, keyboard = false } = {}) {
  const map = el._map;
  if (!map) return null;
  // The panel opens first, so the core knows what it covers when it places the feature.
  const known = id ? el._call(() => map.details(id)) : null;
  if (id && known && known !== 'null' && !el._present) {
    if (el._panel.hidden) el._sheet.state = 'peek';
    el._showPanel(id);
  } else {
    el._hidePanel();
  }
  el._updateCovered();
  /** @type {Feature | null} */
  const f = JSON.parse(el._call(() => map.select(id ?? undefined, zoom, true)) ?? 'null');
  el._easeSelection();
  const changed = (f?.id ?? null) !== (el._selected?.id ?? null);
  el._selected = f;
  if (f && keyboard && !el._panel.hidden) el._panel.focus();
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
