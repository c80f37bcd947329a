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
//
// The two-worker pipeline (a job with `port`): on a machine with more than one core the page
// starts two of these. The parser (`role: 'parse'`) reads the file and sends its batches raw
// (features only) down the MessagePort `port` as {id, batch}, then {id, batch?, end: true},
// and posts only progress, 'done' (without batch, with `batches`: how many it sent) and
// errors to the page. The preparer (`role: 'prepare'`) takes them off its end of the port,
// prepares each (prepareBatch: label point, levels of detail; the parser's most costly half)
// and posts {type: 'batch', id, batch} to the page, then {type: 'end', batches}. So the next
// chunk is parsed while the last is prepared. Batches are numbered and move (transferables),
// and the plan the page assembles is the one-worker path's, byte for byte.
// Same origin as the page, so `default-src 'self'` allows it.
import init, { FeatureStream, prepareBatch } from './planmap_core.js';

/** A batch once this many positions wait (≈ 0.8 MB of coordinates: 20–40 ms for the page to take on a loaded machine). */
const BATCH_POSITIONS = 50_000;
/** …or this many features. */
const BATCH_FEATURES = 1_000;
/** Progress without a batch at most this often (ms). */
const PROGRESS_MS = 50;

/**
 * @typedef {{module: WebAssembly.Module, body?: ReadableStream<Uint8Array>, url?: string,
 *   name: string, max: number, role?: 'parse' | 'prepare', port?: MessagePort}} Job
 */

/** @param {Job} job */
async function run({ module, body, url, name, max, port }) {
  await init({ module_or_path: module });
  const stream = new FeatureStream(name, max, !!port);
  let id = 0;
  /**
   * Hands a batch on: to the preparer (raw) or to the page (prepared).
   * @param {Uint8Array} b
   * @param {number} bytes
   */
  const send = (b, bytes) => {
    if (port) {
      port.postMessage({ id: id++, batch: b.buffer }, [b.buffer]);
      self.postMessage({ type: 'progress', bytes, features: stream.features });
    } else {
      self.postMessage({ type: 'batch', batch: b.buffer, bytes, features: stream.features }, [b.buffer]);
    }
  };
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
  const batch = b?.buffer;
  if (port) {
    port.postMessage({ id: id++, batch, end: true }, batch ? [batch] : []);
    self.postMessage({ type: 'done', finished, bytes, features, batches: id });
  } else {
    self.postMessage({ type: 'done', finished, batch, bytes, features }, batch ? [batch] : []);
  }
}

/**
 * The preparer: prepares the parser's raw batches in order as they come down `port`.
 * @param {Job} job
 */
async function prepare({ module, port }) {
  await init({ module_or_path: module });
  const p = /** @type {MessagePort} */ (port);
  p.onmessage = ({ data }) => {
    try {
      if (data.batch) {
        const b = prepareBatch(new Uint8Array(data.batch));
        self.postMessage({ type: 'batch', id: data.id, batch: b.buffer }, [b.buffer]);
      }
      if (data.end) self.postMessage({ type: 'end', batches: data.id + 1 });
    } catch (e) {
      self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}

self.onmessage = ({ data }) => {
  (data.role === 'prepare' ? prepare(data) : run(data))
    .catch((e) => self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
};
