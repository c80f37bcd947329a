// Loading `src`: the manifest (or a bare GeoJSON), then each layer file it names, all into
// the core in one call. A missing layer is a warning (the loader names it), a missing
// manifest a readable failure; a late answer for an older `src` is dropped.
//
// Files are fetched as bytes and decoded by the core (decodeBytes), so the widget and
// `cargo xtask validate` agree on every encoding. Layer files must resolve on the page's
// origin under the manifest's folder (the core refuses other names before they are fetched);
// a network failure is reported as such, not as "file not found".
import { loadWasm, resetWasm, lastPanic } from './planmap-wasm.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-wasm.js').CoreModule} CoreModule */

/**
 * The text of `url`, or an error naming its path and the HTTP status or network failure.
 * @param {CoreModule} core
 * @param {URL} url
 */
export async function fetchText(core, url) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new Error(`${url.pathname}: network error (${/** @type {Error} */ (e).message})`);
  }
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  try {
    return core.decodeBytes(bytes);
  } catch (e) {
    throw new Error(`${url.pathname}: ${/** @type {Error} */ (e).message}`);
  }
}

/**
 * Where layer `name` of the manifest at `base` is, or why it is refused: a relative path that
 * stays on the page's origin, under the manifest's folder.
 * @param {CoreModule} core
 * @param {URL} base
 * @param {string} name
 * @returns {URL | string}
 */
export function layerURL(core, base, name) {
  const refused = core.checkLayerPath(name);
  if (refused) return refused;
  const url = new URL(name, base);
  const folder = new URL('./', base);
  if (url.origin !== base.origin || !url.pathname.startsWith(folder.pathname)) {
    return `"${name}" is refused: it resolves outside the manifest's folder`;
  }
  return url;
}

/**
 * Loads the element's `src` and draws it; failures end in planmap-error.
 * @param {PlanMapElement} el
 */
export async function loadPlan(el) {
  const token = (el._loadToken = (el._loadToken || 0) + 1);
  const t = el._t;
  const src = el.getAttribute('src');
  el._message.hidden = true;
  el._failed = false;
  if (!src) return; // nothing to show until a page script sets src
  let loading = false;
  try {
    const core = await loadWasm();
    if (token !== el._loadToken) return;
    lastPanic(core); // a message left by another element's trap is not this load's
    const base = new URL(src, document.baseURI);
    const text = await fetchText(core, base);
    /** @type {string[]} */
    const files = [];
    for (const name of core.layerFiles(text)) {
      const url = layerURL(core, base, name);
      if (typeof url === 'string') {
        console.warn(`planmap: ${url}`);
        continue;
      }
      try {
        files.push(name, await fetchText(core, url));
      } catch (e) {
        console.warn(`planmap: ${/** @type {Error} */ (e).message}`); // the loader names the missing layer
      }
    }
    if (token !== el._loadToken) return;
    if (el._map && el._core !== core) {
      try { el._map.free(); } catch { /* its instance trapped */ }
      el._map = null;
    }
    if (!el._map) {
      el._map = new core.PlanMap(el._canvas);
      el._core = core;
    }
    el._dead = false;
    el._map.setLang(el.getAttribute('lang') || 'zh-CN');
    el._map.setTheme(el.getAttribute('theme') || 'light');
    const name = decodeURIComponent(base.pathname.split('/').pop() || src);
    el._files = { name, text, files };
    loading = true;
    /** @type {string[]} */
    const warnings = JSON.parse(el._map.load(name, text, files));
    loading = false;
    el.warnings = warnings;
    el._applyStyle();
    // Bounded by the core: the first 100 in full, then a count per kind.
    for (const w of warnings) console.warn(`planmap: ${w}`);
    el._applySize();
    el._afterLoadUi();
    el._applyHash();
    el.invalidate();
  } catch (e) {
    if (token !== el._loadToken) return;
    if (el._trapped(e, loading ? src : null)) return;
    el._fail(`${t.loadFailed}${src ? `：${src}` : ''}`, e);
  }
}

export { resetWasm };
