// Exports of the current view: SVG from the core as it is, PNG drawn by a second core object
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
  const [view, core, files] = [el._map, el._core, el._files];
  if (!view || !files || !core || el._dead) throw el._unavailable();
  const k = Math.min(4, Math.max(1, Number(scale) || 2));
  const [w, hh] = el._size;
  const canvas = document.createElement('canvas');
  const bw = Math.round(w * k);
  const bh = Math.round(hh * k);
  /** @type {import('./planmap_core.js').PlanMap | null} */
  let map = null;
  try {
    // A trap in here is reported once (planmap-error) and the export rejects cleanly.
    const drawn = el._call(() => {
      map = new core.PlanMap(canvas); // the same instance as el._map, for copyViewFrom
      map.setLang(el.getAttribute('lang') || 'zh-CN');
      map.setTheme(el.getAttribute('theme') || 'light');
      map.load(files.name, files.text, files.files);
      map.resize(w, hh, k, bw, bh);
      map.copyViewFrom(view);
      map.renderExport();
      return true;
    });
    if (!drawn) throw el._unavailable();
  } finally {
    if (map && !el._dead) /** @type {import('./planmap_core.js').PlanMap} */ (map).free(); // a trapped instance is dropped whole
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'));
}
