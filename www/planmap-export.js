// Exports of the current view: SVG from the core as it is, PNG drawn by the map's core object
// on an offscreen canvas at `scale` × the CSS size (print resolution), so the page's map is
// never resized or redrawn for it.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * The current view as an SVG document: map, legend, title and credits ('' before a load).
 * @param {PlanMapElement} el
 * @returns {string}
 */
export function toSVG(el) {
  const map = el._map;
  return map ? el._call(() => map.toSVG()) ?? '' : '';
}

/**
 * The current view as a PNG at `scale` × the CSS size (1–4, default 2).
 * @param {PlanMapElement} el
 * @param {number} scale
 * @returns {Promise<Blob>}
 */
export async function toPNG(el, scale) {
  const view = el._map;
  if (!view || el._dead) throw el._unavailable();
  const k = Math.min(4, Math.max(1, Number(scale) || 2));
  const [w, hh] = el._size;
  const canvas = document.createElement('canvas');
  // Drawn from the plan the map holds, lent for one frame: a streamed plan has no text to
  // load a second copy from, and a national one would take its memory twice.
  const drawn = el._call(() => view.renderExportOn(canvas, w, hh, k, Math.round(w * k), Math.round(hh * k)));
  if (!drawn) throw el._unavailable();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'));
}
