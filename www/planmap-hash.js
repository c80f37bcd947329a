// Deep links (opt-in `hash` attribute): the URL hash keeps `zone`, `indicator` and `year`,
// restores them on load and follows hashchange. Other parameters in the hash are kept.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * Applies the hash's zone, indicator and year to the map.
 * @param {PlanMapElement} el
 */
export function applyHash(el) {
  if (!el.hasAttribute('hash') || !el._map) return;
  const params = new URLSearchParams(location.hash.slice(1));
  const ind = params.get('indicator');
  if (ind !== null) el.setIndicator(ind);
  const year = Number(params.get('year'));
  if (year && year !== el._year) el.setYear(year);
  const zone = params.get('zone');
  if (zone && zone !== el._selected?.id) el._select(zone, { zoom: true, announce: false });
  el.invalidate();
}

/**
 * Writes the selection, indicator and year into the hash (replacing the history entry).
 * @param {PlanMapElement} el
 */
export function writeHash(el) {
  if (!el.hasAttribute('hash')) return;
  const params = new URLSearchParams(location.hash.slice(1));
  if (el._selected) params.set('zone', el._selected.id);
  else params.delete('zone');
  if (el._indicator) params.set('indicator', el._indicator);
  else params.delete('indicator');
  if (el._year) params.set('year', String(el._year));
  else params.delete('year');
  history.replaceState(null, '', `#${params.toString()}`);
}
