// Loading `src`: the manifest (or a bare GeoJSON) with the wasm, then every layer file it
// names in parallel, all into the core in one call. A missing layer is a warning (the loader
// names it), a missing manifest a readable failure; a late answer for an older `src` is dropped.
//
// Files are fetched as bytes and decoded by the core (decodeFile), so the widget and
// `cargo xtask validate` agree on every encoding. Layer files must resolve on the page's
// origin under the manifest's folder (the core refuses other names before they are fetched);
// a network failure is reported as such, not as "file not found".
import { loadWasm, resetWasm, lastPanic } from './planmap-wasm.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-wasm.js').CoreModule} CoreModule */

/** A file that could not be fetched or read: `message` names its path, `reason` says why. */
class FileError extends Error {
  /**
   * @param {URL} url
   * @param {string} reason
   */
  constructor(url, reason) {
    super(`${url.pathname}: ${reason}`);
    this.reason = reason;
  }
}

/**
 * The bytes of `url`, or a FileError naming its path and the HTTP status or network failure.
 * @param {URL} url
 * @returns {Promise<Uint8Array>}
 */
async function fetchBytes(url) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new FileError(url, `network error (${/** @type {Error} */ (e).message})`);
  }
  if (!res.ok) throw new FileError(url, `HTTP ${res.status}`);
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new FileError(url, `network error (${/** @type {Error} */ (e).message})`); // cut off mid-body
  }
}

/**
 * Fetches the layer files `names` of the manifest at `base` in parallel: their texts as
 * `[name, text, …]`, and why the others could not be had as `[name, reason, …]` (refused,
 * network error, HTTP status, encoding), for the core to report each under its layer.
 * @param {CoreModule} core
 * @param {URL} base
 * @param {string[]} names
 * @returns {Promise<{files: string[], failed: string[]}>}
 */
async function fetchLayers(core, base, names) {
  const got = await Promise.all(names.map(async (name) => {
    const url = layerURL(core, base, name);
    if (typeof url === 'string') return { name, error: url };
    try {
      return { name, text: await fetchText(core, url) };
    } catch (e) {
      const err = /** @type {Error & {reason?: string}} */ (e);
      return { name, error: err.reason ?? err.message };
    }
  }));
  /** @type {string[]} */
  const files = [];
  /** @type {string[]} */
  const failed = [];
  for (const g of got) {
    if (g.text !== undefined) files.push(g.name, g.text);
    else failed.push(g.name, /** @type {string} */ (g.error));
  }
  return { files, failed };
}

/**
 * A file's bytes as text, decoded by the core as the validator decodes them (UTF-8; UTF-16 and
 * GBK named as such in the error), or an error naming its path.
 * @param {CoreModule} core
 * @param {URL} url
 * @param {Uint8Array} bytes
 */
function decodeFile(core, url, bytes) {
  try {
    return core.decodeFile(bytes);
  } catch (e) {
    throw new FileError(url, /** @type {Error} */ (e).message);
  }
}

/**
 * The text of `url` (fetched, then decoded by the core).
 * @param {CoreModule} core
 * @param {URL} url
 */
async function fetchText(core, url) {
  return decodeFile(core, url, await fetchBytes(url));
}

/**
 * Where layer `name` of the manifest at `base` is, or why it is refused: a relative path that
 * stays on the page's origin, under the manifest's folder.
 * @param {CoreModule} core
 * @param {URL} base
 * @param {string} name
 * @returns {URL | string}
 */
function layerURL(core, base, name) {
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
    const base = new URL(src, document.baseURI);
    // The wasm and the manifest download together, then every layer at once: one after the
    // other they cost a round trip each, most of a slow phone's wait (issue 13).
    const [core, manifest] = await Promise.all([loadWasm(), fetchBytes(base)]);
    if (token !== el._loadToken) return;
    lastPanic(core); // a message left by another element's trap is not this load's
    const text = decodeFile(core, base, manifest);
    // The core names each layer that could not be had, with the reason, among the warnings.
    const { files, failed } = await fetchLayers(core, base, core.layerFiles(text));
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
    const warnings = JSON.parse(el._map.load(name, text, files, failed));
    loading = false;
    el.warnings = warnings;
    // Before the first frame: a basemap in another system converts the plan first.
    el._basemap.apply();
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
