// Where the wasm comes from in the split build: the files next to this module. (The
// standalone build replaces this module with one that holds the wasm inline; see
// xtask/src/standalone.rs.)

/** The map's wasm, as the glue's init takes it. */
export const coreWasm = () => wasmFile(new URL('./planmap_core_bg.wasm', import.meta.url));

/** The worker that streams large files (planmap-worker.js); the standalone build has none
 * (one file) and streams on the page. @returns {URL | null} */
export const workerURL = () => new URL('./planmap-worker.js', import.meta.url);

/** The extras' wasm (charts, table, CSV). */
export const chartsWasm = () => wasmFile(new URL('./planmap_charts_bg.wasm', import.meta.url));

/**
 * Fetches a wasm file: the response itself when the server says `application/wasm` (the
 * browser compiles it while it downloads), else its bytes. Old IIS and nginx defaults send
 * `application/octet-stream`, which `instantiateStreaming` rejects; the glue would then log a
 * warning before falling back to the bytes, so take the bytes at once, quietly.
 * @param {URL} url
 * @returns {Promise<Response | ArrayBuffer>}
 */
async function wasmFile(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/wasm' ? res : res.arrayBuffer();
}
