// Loading `src`: the manifest (or a bare GeoJSON) with the wasm, then every layer file it
// names in parallel, all into the core in one call; a large file (over 8 MB, or of unknown
// size) is streamed instead, off the page's thread (planmap-stream.js). A missing layer is a warning (the loader
// names it), a missing manifest a readable failure; a late answer for an older `src` is dropped.
//
// Files are fetched as bytes and decoded by the core (decodeFile), so the widget and
// `cargo xtask validate` agree on every encoding. Layer files must resolve on the page's
// origin under the manifest's folder (the core refuses other names before they are fetched);
// a network failure is reported as such, not as "file not found".
import { loadWasm, resetWasm, lastPanic } from './planmap-wasm.js';
import { maxBytes, streams, streamPlan, pause } from './planmap-stream.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-wasm.js').CoreModule} CoreModule */

/**
 * The response for `url` (its headers in), or an error naming its path and the HTTP status or
 * network failure.
 * @param {URL} url
 * @returns {Promise<Response>}
 */
async function open(url) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new Error(`${url.pathname}: network error (${/** @type {Error} */ (e).message})`);
  }
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return res;
}

/**
 * The bytes of `url`, or an error naming its path and the HTTP status or network failure.
 * @param {URL} url
 * @returns {Promise<Uint8Array>}
 */
async function fetchBytes(url) {
  return new Uint8Array(await (await open(url)).arrayBuffer());
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
    throw new Error(`${url.pathname}: ${/** @type {Error} */ (e).message}`);
  }
}

/**
 * The text of `url` (fetched, then decoded by the core), within the element's size cap.
 * @param {CoreModule} core
 * @param {URL} url
 * @param {number} max
 */
async function fetchText(core, url, max) {
  const bytes = await fetchBytes(url);
  const refused = core.sizeRefusal(bytes.length, max);
  if (refused) throw new Error(`${url.pathname}: ${refused}`);
  return decodeFile(core, url, bytes);
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
    let [core, res] = await Promise.all([loadWasm(), open(base)]);
    if (token !== el._loadToken) return;
    lastPanic(core); // a message left by another element's trap is not this load's
    const name = decodeURIComponent(base.pathname.split('/').pop() || src);
    const max = maxBytes(el);
    const announced = Number(res.headers.get('content-length'));
    const refused = res.headers.get('content-encoding') ? null : core.sizeRefusal(announced || 0, max);
    if (refused) throw new Error(`${name}: ${refused}`);
    if (streams(res)) {
      // Large (or of unknown size): read as it arrives, off the page's thread (issue 13).
      loading = true;
      const warnings = await streamPlan(el, core, res, base, name, token);
      loading = false;
      if (warnings === null || token !== el._loadToken) return;
      if (warnings !== 'manifest') return await shown(el, warnings, null, pause);
      res = await open(base); // a manifest after all: its layers, the usual way
    }
    const manifest = new Uint8Array(await res.arrayBuffer());
    if (token !== el._loadToken) return;
    const tooBig = core.sizeRefusal(manifest.length, max);
    if (tooBig) throw new Error(`${name}: ${tooBig}`);
    const text = decodeFile(core, base, manifest);
    const names = core.layerFiles(text);
    const texts = await Promise.all(names.map((name) => {
      const url = layerURL(core, base, name);
      if (typeof url === 'string') {
        console.warn(`planmap: ${url}`);
        return null;
      }
      return fetchText(core, url, max).catch((e) => {
        console.warn(`planmap: ${/** @type {Error} */ (e).message}`); // the loader names the missing layer
        return null;
      });
    }));
    /** @type {string[]} */
    const files = [];
    names.forEach((name, i) => {
      const layer = texts[i];
      if (layer !== null) files.push(name, layer);
    });
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
    loading = true;
    /** @type {string[]} */
    const warnings = JSON.parse(el._map.load(name, text, files));
    loading = false;
    await shown(el, warnings, { name, text, files });
  } catch (e) {
    if (token !== el._loadToken) return;
    if (el._trapped(e, loading ? src : null)) return;
    el._fail(`${t.loadFailed}${src ? `：${src}` : ''}`, e);
  }
}

/**
 * After a load: the warnings said, the chrome built for the plan, the first frame asked for.
 * @param {PlanMapElement} el
 * @param {string[]} warnings
 * @param {import('./planmap-element.js').PlanFiles | null} files what exports and the extras
 *   reload from (null for a streamed file, which is not kept as text)
 * @param {() => Promise<unknown>} [between] awaited before and after the first frame (a streamed
 *   plan's: its style, the frame, its thousands of list entries are then a task each, none long)
 */
async function shown(el, warnings, files, between) {
  el._files = files;
  el.warnings = warnings;
  // Before the first frame: a basemap in another system converts the plan first.
  el._basemap.apply();
  el._applyStyle();
  // Bounded by the core: the first 100 in full, then a count per kind.
  for (const w of warnings) console.warn(`planmap: ${w}`);
  const map = el._map;
  const stale = () => el._map !== map || !el._mounted; // a newer load or destroy() took over
  if (between) await between();
  if (stale()) return;
  el._applySize();
  if (between) await between();
  if (stale()) return;
  el._afterLoadUi();
  el._applyHash();
  el.invalidate();
}

export { resetWasm };
