// The two wasm modules, each initialised once per page: the map (planmap_core, needed for the
// first paint) and the extras (planmap_charts: charts with plotters, table rows, CSV), imported
// only when a panel first shows a chart or the table opens. Where their bytes come from is
// planmap-wasm-source.js's business (files next to it, or inline in the standalone build).
//
// After a trap (a Rust panic or an out-of-memory abort) an instance may be left half-way
// through a change, so the element that met it asks for a fresh one with resetWasm(): the
// glue is imported again under a new URL, which gives a new module record and so a new
// instance with its own memory. Elements still on the old instance keep it.
import * as first from './planmap_core.js';
import { coreWasm, chartsWasm } from './planmap-wasm-source.js';

/** @typedef {typeof import('./planmap_core.js')} CoreModule */

/** The instance new maps are made on. @type {CoreModule} */
let core = first;
/** How many fresh instances were made. */
let generation = 0;

/** @type {Promise<CoreModule> | null} */
let wasmReady = null;

/** The map's compiled wasm, kept for the worker that streams large files (planmap-stream.js):
 * a module is handed over, not downloaded and compiled again. @type {WebAssembly.Module | null} */
let compiled = null;

/** Compiles and instantiates the map's wasm (once per generation); resolves to its module. */
export const loadWasm = () => (wasmReady ??= (async () => {
  /** @type {CoreModule} */
  const m = generation === 0 ? first : await import(`./planmap_core.js?instance=${generation}`);
  if (!compiled) {
    // Compiled here (while it downloads, from a response) rather than by the glue, to keep it;
    // a fresh instance after a trap reuses it.
    const src = await coreWasm();
    compiled = src instanceof Response ? await WebAssembly.compileStreaming(src) : await WebAssembly.compile(src);
  }
  await m.default({ module_or_path: compiled });
  core = m;
  return m;
})());

/** The map's compiled wasm once loadWasm() has run, else null. */
export const coreModule = () => compiled;

/** The next loadWasm() makes a fresh instance: the current one trapped. */
export function resetWasm() {
  generation++;
  wasmReady = null;
}

/**
 * The message of the last panic or failed allocation in `m` (cleared by reading), or null.
 * @param {CoreModule} [m]
 * @returns {string | null}
 */
export function lastPanic(m = core) {
  try {
    return m.lastPanic() ?? null;
  } catch {
    return null; // the instance is past answering
  }
}

/** @param {string} text */
export const layerFiles = (text) => core.layerFiles(text);

/** @typedef {typeof import('./planmap_charts.js')} ChartsModule */

/** @type {Promise<ChartsModule> | null} */
let chartsReady = null;

/** Imports and instantiates the extras module (once). */
export const loadCharts = () => (chartsReady ??= import('./planmap_charts.js').then(async (m) => {
  await m.default({ module_or_path: await chartsWasm() });
  return m;
}));
