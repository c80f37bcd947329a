// Large files, streamed (issue 13): every county of China is 201 MB of GeoJSON, which read
// whole would hold the page for seconds and take several times its size in memory. A file
// over STREAM_ABOVE (or of unknown size) is read as it arrives, feature by feature, in a Web
// Worker (planmap-worker.js) that is handed the page's compiled wasm module and the file's
// URL (the page reads the response's headers only; the worker fetches the file itself); the
// worker sends the features back in binary batches that the page takes one short task each,
// and a progress bar in the element counts bytes and features. Where no
// worker can run (the one-file build, a page that forbids workers) the same reader runs on
// the page, a slice of the file per task. The small files of a plan keep the usual path.
import { h } from './planmap-dom.js';
import { coreModule } from './planmap-wasm.js';
import { workerURL } from './planmap-wasm-source.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-wasm.js').CoreModule} CoreModule */

/** A batch once this many positions wait (≈ 1.6 MB of coordinates: a few ms to take). */
const BATCH_POSITIONS = 50_000;
/** …or this many features. */
const BATCH_FEATURES = 1_000;

/** On the page, the reader takes at most this many bytes per task. */
const SLICE = 256 * 1024;

/**
 * The body's length when the server says it and sends the bytes as they are (not compressed:
 * then Content-Length counts the compressed bytes), else null.
 * @param {Response} res
 */
export function announcedLength(res) {
  const len = res.headers.get('content-length');
  if (len === null || res.headers.get('content-encoding')) return null;
  const n = Number(len);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * The progress bar: bytes (of the total when known) and features read.
 */
class Progress {
  /**
   * @param {PlanMapElement} el
   * @param {number | null} total
   */
  constructor(el, total) {
    this.el = el;
    this.total = total;
    const lang = el.getAttribute('lang') || 'zh-CN';
    this.mb = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.count = new Intl.NumberFormat(lang);
    this.bar = h('progress', { max: total ?? 1, 'aria-label': el._t.loading });
    if (total === null) this.bar.removeAttribute('value'); // indeterminate
    this.text = h('span', { class: 'count' });
    this.box = h('div', { class: 'load-progress', role: 'status' }, this.bar, this.text);
    el._stage.append(this.box);
    el._stage.classList.add('streaming'); // the legend and list wait for the plan
    this.update(0, 0);
  }

  /**
   * @param {number} bytes
   * @param {number} features
   */
  update(bytes, features) {
    if (this.total !== null) this.bar.value = Math.min(bytes, this.total);
    const mb = (/** @type {number} */ n) => this.mb.format(n / 1048576);
    this.text.textContent = this.el._t.streaming(mb(bytes), this.total === null ? null : mb(this.total), this.count.format(features));
    this.box.dataset.bytes = String(bytes);
    this.box.dataset.features = String(features);
  }

  remove() {
    this.box.remove();
    this.el._stage.classList.remove('streaming');
  }
}

/**
 * Reads a large file into the element's map, streamed. Resolves to the warnings, or to
 * 'manifest' when the file turned out to be a planmap manifest (its layers are fetched the
 * usual way), or to null when a newer load took over; rejects with the reason nothing can be
 * shown.
 * @param {PlanMapElement} el
 * @param {CoreModule} core
 * @param {Response} res
 * @param {URL} url
 * @param {string} name
 * @param {number} token
 * @param {{mapOn: typeof import('./planmap-load.js').mapOn, pause: () => Promise<unknown>, max: number}} loader
 *   the loader's own helpers and the size cap (bytes), handed in: this module is import()ed only for a large file, and
 *   importing the loader back would put it in a file of its own up front
 * @returns {Promise<string[] | 'manifest' | null>}
 */
export async function streamPlan(el, core, res, url, name, token, { mapOn, pause, max }) {
  const progress = new Progress(el, announcedLength(res));
  const streamed = new core.StreamedPlan();
  // The map the plan will show in, set up first: each batch's area names are measured as it
  // comes in (a national map's 3,000 names measured after the last batch held its first
  // frame up by 0.3 s), in the language, theme and font that frame draws with.
  const map = mapOn(el, core);
  el._dead = false;
  map.setLang(el.getAttribute('lang') || 'zh-CN');
  map.setTheme(el.getAttribute('theme') || 'light');
  el._applyStyle();
  let measured = 0;
  /** Takes a batch, a short task, and measures its names. @param {Uint8Array} batch */
  const take = (batch) => {
    streamed.ingest(batch);
    measured = map.measureNames(streamed, measured);
  };
  let taken = false;
  try {
    const module = await coreModule();
    const worker = workerURL();
    const finished = worker && module && typeof Worker === 'function'
      ? await inWorker(el, worker, module, res, url, name, max, take, progress, token)
      : await onPage(el, core, res, name, max, pause, take, progress, token);
    if (finished === null || token !== el._loadToken) return null;
    const f = JSON.parse(finished);
    if (f.manifest) return 'manifest';
    taken = true; // loadStreamed consumes it
    return JSON.parse(map.loadStreamed(streamed, f.title, f.crs, f.warnings));
  } finally {
    if (!taken) streamed.free();
    progress.remove();
  }
}

/**
 * Streams in a worker; resolves to the stream's finish() JSON, or null when superseded.
 * @param {PlanMapElement} el
 * @param {URL} script
 * @param {WebAssembly.Module} module
 * @param {Response} res
 * @param {URL} url
 * @param {string} name
 * @param {number} max the size cap, bytes
 * @param {(batch: Uint8Array) => void} take takes a batch into the plan
 * @param {Progress} progress
 * @param {number} token
 * @returns {Promise<string | null>}
 */
function inWorker(el, script, module, res, url, name, max, take, progress, token) {
  const worker = new Worker(script, { type: 'module', name: 'planmap' });
  el._worker?.terminate();
  el._worker = worker;
  return new Promise((resolve, reject) => {
    const end = () => {
      worker.terminate(); // its memory goes with it
      if (el._worker === worker) el._worker = null;
    };
    worker.onmessage = ({ data }) => {
      if (token !== el._loadToken) {
        end();
        resolve(null);
        return;
      }
      try {
        if (data.batch) {
          take(new Uint8Array(data.batch));
          // Copied into the core: its memory goes back now rather than at the next GC (the
          // batches are all of China's coordinates again, 233 MB).
          data.batch.transfer?.(0);
        }
      } catch (e) {
        end();
        reject(e);
        return;
      }
      if (data.type === 'error') {
        end();
        reject(new Error(data.message));
      } else if (data.type === 'done') {
        end();
        el._stage.dataset.preparers = data.preparers; // for the tests, with the wasm the worker ran
        el._stage.dataset.wasm = data.wasm;
        progress.update(data.bytes, data.features);
        resolve(data.finished);
      } else {
        progress.update(data.bytes, data.features);
      }
    };
    worker.onerror = (e) => {
      end();
      reject(new Error(`worker: ${e.message || 'failed to start'}`));
    };
    const cores = navigator.hardwareConcurrency || 1;
    // The page has read the headers only; the worker asks for the file itself. A moved
    // ReadableStream is piped through the page in Chromium (read here, each chunk copied to the
    // worker), and all of China's 211 MB then lay on the page as garbage until a GC (README,
    // Speed: "A streamed file goes to the worker by its URL").
    res.body?.cancel().catch(() => {});
    worker.postMessage({ module, url: url.href, name, max, cores });
  });
}

/**
 * Streams on the page, a slice per task (no worker); resolves as inWorker does.
 * @param {PlanMapElement} el
 * @param {CoreModule} core
 * @param {Response} res
 * @param {string} name
 * @param {number} max the size cap, bytes
 * @param {() => Promise<unknown>} pause yields to the page's other tasks
 * @param {(batch: Uint8Array) => void} take takes a batch into the plan
 * @param {Progress} progress
 * @param {number} token
 * @returns {Promise<string | null>}
 */
async function onPage(el, core, res, name, max, pause, take, progress, token) {
  const stream = new core.FeatureStream(name, max, false);
  try {
    const reader = /** @type {ReadableStream<Uint8Array>} */ (res.body).getReader();
    let bytes = 0;
    const batch = (/** @type {number} */ min, /** @type {number} */ minFeatures) => {
      const b = stream.takeBatch(min, minFeatures);
      if (b) take(b);
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let at = 0; at < value.length; at += SLICE) {
        if (token !== el._loadToken) {
          reader.cancel().catch(() => {});
          return null;
        }
        const slice = value.subarray(at, at + SLICE);
        const failed = stream.feed(slice);
        bytes += slice.length;
        if (failed) {
          // The rest cannot make it load (too big, not UTF-8, broken JSON): finish says why.
          reader.cancel().catch(() => {});
          return stream.finish();
        }
        batch(BATCH_POSITIONS / 4, BATCH_FEATURES / 4);
        progress.update(bytes, stream.features);
        await pause(); // the page's input comes first
      }
    }
    batch(0, 0);
    const finished = stream.finish();
    const last = stream.lastBatch();
    if (last) take(last);
    return finished;
  } finally {
    stream.free();
  }
}
