// The Web Worker that reads a large file off the page's thread (issue 13; started by
// planmap-stream.js, one per load, ended when the load ends so its memory goes back). It is
// handed the page's compiled wasm module (what it runs when its own build, below, cannot be had) and the file's
// URL, fetches it (while its wasm compiles), feeds the bytes to the core's FeatureStream as
// they arrive, and posts:
//   {type: 'progress', bytes, features}
//   {type: 'batch', batch: ArrayBuffer, bytes, features}   features read, with their label
//     points and coarse levels of detail worked out here (moved, not copied)
//   {type: 'done', finished: JSON, batch?: ArrayBuffer, bytes, features}
//   {type: 'error', message}
//
// The two-worker pipeline: on a machine with more than one core, where a worker can start a
// worker, this one (the parser) starts a second from this same script (the preparer,
// `role: 'prepare'`) and sends it the batches raw (features only: FeatureStream's `raw`),
// numbered, moved; the preparer prepares each (prepareBatch: projection, levels of detail,
// label point, the costlier half) and sends it back, and the parser passes it on to the page
// in order. So the next chunk is parsed while the last is prepared, and the page sees the
// same messages and the same batches as with one worker. 'done' says how many workers
// prepared (`preparers`: 0 or 1) and which wasm ran (`wasm`: 'worker' or 'page'), for the tests.
//
// The wasm it runs is its own build of the core (planmap_worker_bg.wasm, next to this script:
// the same code at opt-level 3 rather than "z", about three times as fast at reading a file;
// not up front, so its size costs no page anything), fetched and compiled here; where that
// fails (a server without the file, a policy against compiling in a worker) the page's module.
// The same glue drives both (xtask checks they need the same).
// Same origin as the page, so `default-src 'self'` allows it.
import init, { FeatureStream, prepareBatch } from './planmap_core.js';

/** A batch once this many positions wait (≈ 0.8 MB of coordinates: 20–40 ms for the page to take on a loaded machine). */
const BATCH_POSITIONS = 50_000;
/** …or this many features. */
const BATCH_FEATURES = 1_000;
/** Progress without a batch at most this often (ms). */
const PROGRESS_MS = 50;

/**
 * @typedef {{module: WebAssembly.Module, url?: string, name: string, max: number,
 *   cores: number, role?: 'prepare'}} Job
 */

/**
 * A second worker preparing this one's batches, or null where there is one core or a worker
 * cannot start one.
 * @param {WebAssembly.Module} module
 * @param {number} cores the page's `navigator.hardwareConcurrency`
 */
function preparer(module, cores) {
  if (cores < 2 || typeof Worker !== 'function') return null;
  try {
    const w = new Worker(new URL(import.meta.url), { type: 'module', name: 'planmap-prepare' });
    w.postMessage({ role: 'prepare', module });
    return w;
  } catch {
    return null;
  }
}

/**
 * The worker's fast build of the core, compiled (while it downloads, when served as
 * `application/wasm`), or `fallback` (the page's module) when it cannot be had.
 * @param {WebAssembly.Module} fallback
 * @returns {Promise<WebAssembly.Module>}
 */
async function fastModule(fallback) {
  try {
    const res = await fetch(new URL('./planmap_worker_bg.wasm', import.meta.url), { credentials: 'same-origin' });
    if (!res.ok) return fallback;
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    return await (type === 'application/wasm' ? WebAssembly.compileStreaming(res) : WebAssembly.compile(await res.arrayBuffer()));
  } catch {
    return fallback;
  }
}

/** @param {Job} job */
async function run({ module: pages, url, name, max, cores }) {
  const file = new URL(/** @type {string} */ (url));
  // Asked for before the wasm is compiled, so the two overlap.
  const response = fetch(file, { credentials: 'same-origin' });
  response.catch(() => {}); // a failure is reported where it is awaited, below
  const module = await fastModule(pages);
  await init({ module_or_path: module });
  const helper = preparer(module, cores);
  const stream = new FeatureStream(name, max, !!helper);
  let sent = 0;
  let back = 0;
  /** @type {(v?: unknown) => void} */
  let drained = () => {};
  if (helper) {
    helper.onmessage = ({ data }) => {
      if (data.type === 'error') {
        self.postMessage(data);
        return;
      }
      back++;
      // In the order sent (one preparer, first in first out): the page takes them as they come.
      self.postMessage({ type: 'batch', batch: data.batch, bytes: data.bytes, features: data.features }, [data.batch]);
      if (back === sent) drained();
    };
    helper.onerror = (e) => self.postMessage({ type: 'error', message: `worker: ${e.message || 'failed to start'}` });
  }
  /**
   * Hands a batch on: to the preparer (raw) or to the page (prepared).
   * @param {Uint8Array} b
   * @param {number} bytes
   */
  const send = (b, bytes) => {
    const msg = { type: 'batch', batch: b.buffer, bytes, features: stream.features };
    if (helper) {
      sent++;
      helper.postMessage(msg, [b.buffer]);
    } else {
      self.postMessage(msg, [b.buffer]);
    }
  };
  /** @type {Response} */
  let res;
  try {
    res = await response;
  } catch (e) {
    throw new Error(`${file.pathname}: network error (${/** @type {Error} */ (e).message})`);
  }
  if (!res.ok || !res.body) throw new Error(`${file.pathname}: HTTP ${res.status}`);
  const reader = res.body.getReader();
  let bytes = 0;
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (stream.feed(value)) {
      // The rest cannot make it load (too big, not UTF-8, broken JSON): finish says why.
      reader.cancel().catch(() => {});
      break;
    }
    const b = stream.takeBatch(BATCH_POSITIONS, BATCH_FEATURES);
    if (b) {
      send(b, bytes);
      last = performance.now();
    } else if (performance.now() - last > PROGRESS_MS) {
      self.postMessage({ type: 'progress', bytes, features: stream.features });
      last = performance.now();
    }
  }
  const rest = stream.takeBatch(0, 0);
  if (rest) send(rest, bytes);
  const features = stream.features;
  const finished = stream.finish();
  const b = stream.lastBatch(); // the features read at the end
  if (b) send(b, bytes);
  if (helper) {
    if (back < sent) await new Promise((r) => { drained = r; });
    helper.terminate();
  }
  self.postMessage({ type: 'done', finished, bytes, features, preparers: helper ? 1 : 0, wasm: module === pages ? 'page' : 'worker' });
}

/**
 * The preparer: prepares the parser's raw batches, in the order they come.
 * @param {Job} job
 */
async function prepare({ module }) {
  const ready = init({ module_or_path: module });
  self.onmessage = async ({ data }) => {
    try {
      await ready;
      const b = prepareBatch(new Uint8Array(data.batch));
      self.postMessage({ ...data, batch: b.buffer }, [b.buffer]);
    } catch (e) {
      self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}

self.onmessage = ({ data }) => {
  (data.role === 'prepare' ? prepare(data) : run(data))
    .catch((e) => self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
};
