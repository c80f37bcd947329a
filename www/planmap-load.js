// Loading `src`: the manifest (or a bare GeoJSON) with the wasm, then every layer file it
// names in parallel, each fed to the core's incremental reader chunk by chunk as it arrives
// (beginFeed, feed, endFile … finishFeed). A missing layer is a warning (the loader names it),
// a missing manifest a readable failure; a late answer for an older `src` is dropped.
//
// Files go to the core as bytes and are decoded there, as `cargo xtask validate` decodes
// them, so the two agree on every encoding. Layer files must resolve on the page's
// origin under the manifest's folder (the core refuses other names before they are fetched);
// a network failure is reported as such, not as "file not found".
//
// A large file (over 8 MB, or of unknown size) is streamed instead, off the page's thread, in a
// worker that hands its features over in batches (planmap-stream.js, import()ed then: most
// pages never load it); the element's `max-size` (MB) lowers the size cap, said before the
// download when the server sends the length.
import { loadWasm, resetWasm, lastPanic, stopWarm } from './planmap-wasm.js';
import { labelPainter } from './planmap-sprites.js';

/** Files larger than this (bytes, as the server announces them) are streamed. */
export const STREAM_ABOVE = 8 * 1024 * 1024;

/** The default cap on a file's size (bytes): the core's, 256 MB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Lets the page's other tasks (input first) run. */
export const pause = () => new Promise((r) => setTimeout(r, 0));

/**
 * The element's cap on a file's size in bytes: its `max-size` attribute (megabytes) when that
 * is a positive number below the default, else the default. The attribute only lowers it.
 * @param {PlanMapElement} el
 */
export function maxBytes(el) {
  const mb = Number(el.getAttribute('max-size'));
  if (!Number.isFinite(mb) || mb <= 0) return DEFAULT_MAX_BYTES;
  return Math.min(DEFAULT_MAX_BYTES, Math.round(mb * 1024 * 1024));
}

/**
 * Whether `res` is read by streaming: large, or of unknown size.
 * @param {Response} res
 */
export function streams(res) {
  if (!res.body) return false;
  const len = res.headers.get('content-length');
  if (len === null) return true;
  return Number(len) > STREAM_ABOVE;
}

/**
 * The element's map on instance `core`: one made on an older instance (which trapped, or was
 * replaced) is freed and a new one made, so no call crosses instances.
 * @param {PlanMapElement} el
 * @param {CoreModule} core
 * @returns {InstanceType<CoreModule['PlanMap']>}
 */
export function mapOn(el, core) {
  if (el._map && el._core !== core) {
    try { el._map.free(); } catch { /* its instance trapped */ }
    el._map = null;
  }
  if (!el._map) {
    el._map = new core.PlanMap(el._canvas);
    el._core = core;
    // Labels as sprites, each drawn once and copied (planmap-sprites.js).
    el._labels = labelPainter();
    el._map.setLabelPainter(el._labels);
  }
  return el._map;
}

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-wasm.js').CoreModule} CoreModule */

/** A file that could not be fetched: `message` names its path, `reason` says why alone (for
 * the core's warning, which names the layer itself). */
class FetchError extends Error {
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
 * The response for `url`, or a FetchError naming its path and the HTTP status or network
 * failure.
 * @param {URL} url
 * @returns {Promise<Response>}
 */
async function fetchOk(url) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new FetchError(url, `network error (${/** @type {Error} */ (e).message})`);
  }
  if (!res.ok) throw new FetchError(url, `HTTP ${res.status}`);
  return res;
}

/** Bytes handed to the core per call (issue 13). A busy page reads the body 2 MB at a time, and
 * V8 runs new wasm in its baseline tier until the optimised code, compiled in the background
 * once a function has run a while, is there, and uses that from the next call on: a first
 * 2 MB call ran baseline to its end (50–75 ms on Liaoning, against ≈ 15 optimised). */
const FEED_SLICE = 64 * 1024;

/**
 * Feeds the body of `res` to the core's reader of the current file as its chunks arrive, so
 * the parse overlaps the download (issue 13). Returns the chunks (kept for the exports and
 * the extras, which read the files again), or null when a newer `src` took over.
 * @param {PlanMapElement} el
 * @param {number} token
 * @param {URL} url
 * @param {Response} res
 * @returns {Promise<Uint8Array[] | null>}
 */
async function feedBody(el, token, url, res) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  const map = /** @type {NonNullable<PlanMapElement['_map']>} */ (el._map);
  if (!res.body) {
    const all = new Uint8Array(await res.arrayBuffer());
    if (token !== el._loadToken) return null;
    map.feed(all);
    return [all];
  }
  const reader = res.body.getReader();
  for (;;) {
    /** @type {ReadableStreamReadResult<Uint8Array>} */
    let r;
    try {
      r = await reader.read();
    } catch (e) {
      throw new FetchError(url, `network error (${/** @type {Error} */ (e).message})`);
    }
    if (token !== el._loadToken) {
      reader.cancel().catch(() => {});
      return null;
    }
    if (r.done) return chunks;
    chunks.push(r.value);
    // Read to the end even when the file has failed: the message names its full size or a
    // bad byte further on, as the validator's does.
    for (let at = 0; at < r.value.length; at += FEED_SLICE) map.feed(r.value.subarray(at, at + FEED_SLICE));
  }
}

/**
 * One file's bytes from its chunks.
 * @param {Uint8Array[]} chunks
 */
function joined(chunks) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Text of a file that loaded: UTF-8, or UTF-16 with its byte order mark (the core refused
 * anything else before this is asked).
 * @param {Uint8Array} b
 */
function textOf(b) {
  const enc = b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : b[0] === 0xfe && b[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(enc, { fatal: true }).decode(b);
}

/**
 * The loaded files as the exports and the extras read them (`{name, text, files}`), decoded
 * only when first asked for: the first frame never waits on it.
 * @param {string} name
 * @param {Uint8Array[]} entry
 * @param {[string, Uint8Array[]][]} layers
 */
function lazyFiles(name, entry, layers) {
  /** @type {string | null} */
  let text = null;
  /** @type {string[] | null} */
  let files = null;
  return {
    name,
    get text() {
      return (text ??= textOf(joined(entry)));
    },
    get files() {
      if (!files) {
        files = [];
        for (const [n, chunks] of layers) {
          try {
            files.push(n, textOf(joined(chunks)));
          } catch { /* the loader skipped it too */ }
        }
      }
      return files;
    },
  };
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
  stopWarm();
  let loading = false;
  try {
    const base = new URL(src, document.baseURI);
    // The wasm and the entry file download together, then every layer at once: one after the
    // other they cost a round trip each, most of a slow phone's wait (issue 13).
    let [core, res] = await Promise.all([loadWasm(), fetchOk(base)]);
    if (token !== el._loadToken) return;
    lastPanic(core); // a message left by another element's trap is not this load's
    const name = decodeURIComponent(base.pathname.split('/').pop() || src);
    const max = maxBytes(el);
    const refused = res.headers.get('content-encoding') ? null : core.sizeRefusal(Number(res.headers.get('content-length')) || 0, max);
    if (refused) {
      res.body?.cancel().catch(() => {});
      throw new Error(`${name}: ${refused}`);
    }
    if (streams(res)) {
      // Large (or of unknown size): read as it arrives, off the page's thread (issue 13).
      loading = true;
      const { streamPlan } = await import('./planmap-stream.js');
      const warnings = await streamPlan(el, core, res, base, name, token, { mapOn, pause, max });
      loading = false;
      if (warnings === null || token !== el._loadToken) return;
      if (warnings !== 'manifest') return await shown(el, warnings, null, pause);
      res = await fetchOk(base); // a manifest after all: read the usual way, with its layers
      if (token !== el._loadToken) return;
    }
    const map = mapOn(el, core);
    el._dead = false;
    // Parsed as it arrives, from bytes, once (no text copy, no second parse for the layers'
    // names): the core reads each feature as soon as its bytes are in.
    loading = true;
    map.beginFeed(name, max);
    const entry = await feedBody(el, token, base, res);
    if (!entry) return;
    /** @type {string[]} */
    let names;
    try {
      names = map.endFile();
    } catch (e) {
      throw new Error(`${base.pathname}: ${/** @type {Error} */ (e).message}`);
    }
    loading = false;
    // Each layer's response, or why there is none (refused, network error, HTTP status): the
    // core then skips it with that reason among the warnings, never as "file not found".
    const responses = names.map((layer) => {
      const url = layerURL(core, base, layer);
      if (typeof url === 'string') return url;
      return fetchOk(url).then((r) => /** @type {[URL, Response]} */ ([url, r]), (e) => {
        const err = /** @type {Error & {reason?: string}} */ (e);
        return err.reason ?? err.message;
      });
    });
    /** @type {[string, Uint8Array[]][]} */
    const layers = [];
    for (const [i, layer] of names.entries()) {
      const got = await responses[i];
      if (token !== el._loadToken) return;
      loading = true;
      map.beginFile(layer);
      if (typeof got === 'string') {
        map.abortFile(got);
        loading = false;
        continue;
      }
      /** @type {Uint8Array[] | null} */
      let chunks;
      try {
        chunks = await feedBody(el, token, got[0], got[1]);
      } catch (e) {
        if (token !== el._loadToken) return;
        const err = /** @type {Error & {reason?: string}} */ (e);
        if (!err.reason) throw e; // not the network: a trap, reported as one
        map.abortFile(err.reason);
        loading = false;
        continue;
      }
      if (!chunks) return;
      map.endFile();
      loading = false;
      layers.push([layer, chunks]);
    }
    if (token !== el._loadToken) return;
    map.setLang(el.getAttribute('lang') || 'zh-CN');
    map.setTheme(el.getAttribute('theme') || 'light');
    loading = true;
    /** @type {string[]} */
    const warnings = JSON.parse(map.finishFeed());
    loading = false;
    await shown(el, warnings, lazyFiles(name, entry, layers));
  } catch (e) {
    if (token !== el._loadToken) return;
    if (el._trapped(e, loading ? src : null)) return;
    el._fail(`${t.loadFailed}${src ? `：${src}` : ''}`, e);
  }
}

/**
 * After a load: the warnings said, the first frame drawn, the chrome built for the plan.
 * @param {PlanMapElement} el
 * @param {string[]} warnings
 * @param {import('./planmap-element.js').PlanFiles | null} files what exports and the extras
 *   read the files from (null for a streamed file, which is not kept)
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
