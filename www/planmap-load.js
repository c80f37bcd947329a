// Loading `src`: the manifest (or a bare GeoJSON) with the wasm, then every layer file it
// names in parallel, all into the core in one call. A missing layer is a warning (the loader
// names it), a missing manifest a readable failure; a late answer for an older `src` is dropped.
import { loadWasm, layerFiles, PlanMap } from './planmap-wasm.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * The text of `url`, or an error naming its path and the HTTP status.
 * @param {URL} url
 */
export async function fetchText(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  return decodeText(new Uint8Array(await res.arrayBuffer()), res.headers.get('content-type'), url.pathname);
}

/** Chinese legacy encodings a server may name in its Content-Type (all read as GB18030). */
const GB = ['gbk', 'gb2312', 'gb18030', 'x-gbk', 'euc-cn'];

/**
 * A data file's bytes as text. GeoJSON is UTF-8 (RFC 8259): a UTF-8 or UTF-16 byte order mark
 * is honoured and dropped; a server's `charset=GBK` is believed only when the bytes are not
 * UTF-8 (servers often name GBK for files saved as UTF-8); anything else that is not UTF-8 is
 * an error that says so, rather than a map of garbled names.
 * @param {Uint8Array} bytes
 * @param {string | null} contentType
 * @param {string} path for the message
 */
export function decodeText(bytes, contentType, path) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a UTF-8 BOM
  } catch {
    const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
    if (charset && GB.includes(charset)) {
      console.warn(`planmap: ${path} is ${charset.toUpperCase()}, not UTF-8; read as the server says (save it as UTF-8)`);
      return new TextDecoder('gb18030').decode(bytes);
    }
    throw new Error(`${path}: not UTF-8 text${charset ? ` (the server says charset=${charset})` : ''}; GeoJSON must be saved as UTF-8`);
  }
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
  try {
    const base = new URL(src, document.baseURI);
    // The wasm and the manifest download together, then every layer at once: one after the
    // other they cost a round trip each, most of a slow phone's wait (issue 13).
    const [, text] = await Promise.all([loadWasm(), fetchText(base)]);
    if (token !== el._loadToken) return;
    const names = layerFiles(text);
    const texts = await Promise.all(names.map((name) => fetchText(new URL(name, base)).catch((e) => {
      console.warn(`planmap: ${/** @type {Error} */ (e).message}`); // the loader names the missing layer
      return null;
    })));
    /** @type {string[]} */
    const files = [];
    names.forEach((name, i) => {
      const layer = texts[i];
      if (layer !== null) files.push(name, layer);
    });
    if (token !== el._loadToken) return;
    if (!el._map) el._map = new PlanMap(el._canvas);
    el._map.setLang(el.getAttribute('lang') || 'zh-CN');
    el._map.setTheme(el.getAttribute('theme') || 'light');
    const name = decodeURIComponent(base.pathname.split('/').pop() || src);
    el._files = { name, text, files };
    /** @type {string[]} */
    const warnings = JSON.parse(el._map.load(name, text, files));
    el.warnings = warnings;
    // Before the first frame: a basemap in another system converts the plan first.
    el._basemap.apply();
    el._applyStyle();
    for (const w of warnings) console.warn(`planmap: ${w}`);
    el._applySize();
    el._afterLoadUi();
    el._applyHash();
    el.invalidate();
  } catch (e) {
    if (token !== el._loadToken) return;
    el._fail(`${t.loadFailed}${src ? `：${src}` : ''}`, e);
  }
}
