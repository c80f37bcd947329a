// The Web Worker that reads a large file off the page's thread (issue 13; started by
// planmap-stream.js, one per load, ended when the load ends so its memory goes back). It is
// handed the page's compiled wasm module (no second download or compile) and the response's
// body (or, where a browser cannot move a stream, the URL), feeds the bytes to the core's
// FeatureStream as they arrive, and posts:
//   {type: 'progress', bytes, features}
//   {type: 'batch', batch: ArrayBuffer, bytes, features}   features read, with their label
//     points and coarse levels of detail worked out here (moved, not copied)
//   {type: 'done', finished: JSON, batch?: ArrayBuffer, bytes, features}
//   {type: 'error', message}
// Same origin as the page, so `default-src 'self'` allows it.
import init, { FeatureStream } from './planmap_core.js';

/** A batch once this many positions wait (≈ 0.8 MB of coordinates: 20–40 ms for the page to take on a loaded machine). */
const BATCH_POSITIONS = 50_000;
/** …or this many features. */
const BATCH_FEATURES = 1_000;
/** Progress without a batch at most this often (ms). */
const PROGRESS_MS = 50;

/**
 * @typedef {{module: WebAssembly.Module, body?: ReadableStream<Uint8Array>, url?: string,
 *   name: string, max: number}} Job
 */

/** @param {Job} job */
async function run({ module, body, url, name, max }) {
  await init({ module_or_path: module });
  const stream = new FeatureStream(name, max);
  if (!body) {
    const res = await fetch(/** @type {string} */ (url), { credentials: 'same-origin' });
    if (!res.ok || !res.body) throw new Error(`${new URL(/** @type {string} */ (url)).pathname}: HTTP ${res.status}`);
    body = res.body;
  }
  const reader = body.getReader();
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
      self.postMessage({ type: 'batch', batch: b.buffer, bytes, features: stream.features }, [b.buffer]);
      last = performance.now();
    } else if (performance.now() - last > PROGRESS_MS) {
      self.postMessage({ type: 'progress', bytes, features: stream.features });
      last = performance.now();
    }
  }
  const rest = stream.takeBatch(0, 0);
  if (rest) self.postMessage({ type: 'batch', batch: rest.buffer, bytes, features: stream.features }, [rest.buffer]);
  const features = stream.features;
  const finished = stream.finish();
  const b = stream.lastBatch(); // the features read at the end
  const batch = b?.buffer;
  self.postMessage({ type: 'done', finished, batch, bytes, features }, batch ? [batch] : []);
}

self.onmessage = ({ data }) => {
  run(data).catch((e) => self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
};
