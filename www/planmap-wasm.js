// The two wasm modules, each initialised once per page: the map (planmap_core, needed for the
// first paint) and the extras (planmap_charts: charts with plotters, table rows, CSV), imported
// only when a panel first shows a chart or the table opens. Where their bytes come from is
// planmap-wasm-source.js's business (files next to it, or inline in the standalone build).
import init from './planmap_core.js';
import { coreWasm, chartsWasm } from './planmap-wasm-source.js';

export { PlanMap, layerFiles, lastPanic } from './planmap_core.js';

/** @type {Promise<unknown> | null} */
let wasmReady = null;

/** Compiles and instantiates the map's wasm (once). */
export const loadWasm = () => (wasmReady ??= coreWasm().then((source) => init({ module_or_path: source })));

/** @typedef {typeof import('./planmap_charts.js')} ChartsModule */

/** @type {Promise<ChartsModule> | null} */
let chartsReady = null;

/** Imports and instantiates the extras module (once). */
export const loadCharts = () => (chartsReady ??= import('./planmap_charts.js').then(async (m) => {
  await m.default({ module_or_path: await chartsWasm() });
  return m;
}));
