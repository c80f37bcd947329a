// The two wasm modules, each instantiated once per page until it traps: the map
// (planmap_core, needed for the first paint) and the extras (planmap_charts: charts with
// plotters, table rows, CSV), imported only when a panel first shows a chart or the table
// opens. Where their bytes come from is planmap-wasm-source.js's business (files next to it,
// or inline in the standalone build).
//
// After a trap (a Rust panic or an out-of-memory abort) an instance may be left half-way
// through a change, so whoever met it asks for a fresh one (resetWasm(), chartsTrapped()).
// wasm-bindgen's glue keeps its instance in module-level state, so each instance gets its own
// copy of the glue from the factory xtask adds to it (`freshGlue()`, xtask/src/glue.rs), on
// the module compiled once: no second download or compile, and it works the same in the
// split build and in the one-file build, which has no second URL to import the glue from.
// Elements still on an old instance keep it.
import * as coreGlue from './planmap_core.js';
import { coreWasm, chartsWasm } from './planmap-wasm-source.js';

/** @typedef {typeof import('./planmap_core.js')} CoreModule */
/** @typedef {typeof import('./planmap_charts.js')} ChartsModule */
/** @typedef {() => Promise<Response | ArrayBuffer>} WasmSource */

/** The compiled wasm of each source (in the standalone build both sources are one). @type {Map<WasmSource, Promise<WebAssembly.Module>>} */
const compiled = new Map();

/**
 * The compiled module of `source`, compiled once (while it downloads, when served as
 * `application/wasm`); a failed download is tried again next time.
 * @param {WasmSource} source
 * @returns {Promise<WebAssembly.Module>}
 */
function compile(source) {
  let p = compiled.get(source);
  if (!p) {
    p = source().then((w) => (w instanceof Response ? WebAssembly.compileStreaming(w) : WebAssembly.compile(w)));
    compiled.set(source, p);
    p.catch(() => compiled.delete(source));
  }
  return p;
}

/**
 * A new instance of a module: fresh glue state from the glue's factory, on its compiled wasm.
 * @template {CoreModule | ChartsModule} M
 * @param {M} glue
 * @param {WasmSource} source
 * @returns {Promise<M>}
 */
async function instantiate(glue, source) {
  const m = /** @type {M} */ (glue.freshGlue());
  await m.default({ module_or_path: await compile(source) });
  return m;
}

/** The instance new maps are made on (null before the first). @type {CoreModule | null} */
let core = null;

/** @type {Promise<CoreModule> | null} */
let wasmReady = null;

/** Instantiates the map's wasm (once until resetWasm()); resolves to its module. */
export const loadWasm = () => (wasmReady ??= instantiate(coreGlue, coreWasm).then((m) => (core = m), (e) => {
  wasmReady = null; // a failed download is not the last word: the next src tries again
  throw e;
}));

/** Whether a real load has begun on the page: the warm-up (planmap-warm.js, import()ed by a
 * map mounted without `src`) stops before its next step. Kept here, where the load and the
 * warm-up both look, so the warm-up's module is never downloaded by a page that does not
 * need it. */
let realLoad = false;

/** A real load has begun: the warm-up stops. */
export const stopWarm = () => {
  realLoad = true;
};

/** Whether the warm-up is to stop. */
export const warmStopped = () => realLoad;

/** The map's compiled wasm (a promise of it) once loadWasm() has asked for it, else null: the
 * worker that streams large files (planmap-stream.js) is handed it, not a second download.
 * @returns {Promise<WebAssembly.Module> | null} */
export const coreModule = () => compiled.get(coreWasm) ?? null;

/** The next loadWasm() makes a fresh instance: the current one trapped. */
export function resetWasm() {
  wasmReady = null;
}

/**
 * The message of the last panic or failed allocation in `m` (cleared by reading), or null.
 * @param {{lastPanic(): string | undefined} | null} m
 * @returns {string | null}
 */
export function lastPanic(m) {
  try {
    return m?.lastPanic() ?? null;
  } catch {
    return null; // the instance is past answering
  }
}

/** The extras' current instance (null before the first and after a trap). @type {ChartsModule | null} */
let charts = null;

/** @type {Promise<ChartsModule> | null} */
let chartsReady = null;

/** Imports and instantiates the extras module (once until it traps). The promise is the
 * instance's identity: a new one means objects made on the old one are not to be used. */
export const loadCharts = () => (chartsReady ??= import('./planmap_charts.js')
  .then((glue) => instantiate(glue, chartsWasm))
  .then((m) => (charts = m), (e) => {
    chartsReady = null;
    throw e;
  }));

/**
 * After an exception from a call into the extras module: when it was a trap (a panic, an
 * out-of-memory abort, any WebAssembly.RuntimeError), what happened (the panic's message or
 * the error's), and the next loadCharts() makes a fresh instance; null when it was an
 * ordinary error.
 * @param {unknown} e
 * @returns {string | null}
 */
export function chartsTrapped(e) {
  const panic = lastPanic(charts);
  if (!panic && !(e instanceof WebAssembly.RuntimeError)) return null;
  charts = null;
  chartsReady = null;
  return panic || String(e);
}
