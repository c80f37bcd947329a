// The extras module's object for the element's plan (charts, table rows, CSV: planmap_charts,
// loaded lazily by planmap-wasm.js), and every call into it: a trap there (a Rust panic, an
// out-of-memory abort) becomes one planmap-error saying what was being done, in the widget's
// language, and the next call runs on a fresh instance. The map is another wasm instance and
// keeps working.
import { loadCharts, chartsTrapped } from './planmap-wasm.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap_charts.js').Extras} Extras */

/** A trap in the extras module, already reported as planmap-error; `message` is what the
 * widget shows. */
export class ExtrasTrap extends Error {}

/** Exceptions already reported, with the message shown: callers awaiting one trapped promise
 * report it once. @type {WeakMap<object, string>} */
const reported = new WeakMap();

/**
 * The extras for the loaded plan, in the current language and theme, on the extras module's
 * current instance (made once each).
 * @param {PlanMapElement} el
 * @returns {Promise<Extras>}
 */
export function extras(el) {
  // A streamed plan's text is not kept (a national file is hundreds of MB): its extras are
  // made from the loaded map's list of areas, all a bare file's table and charts read.
  const f = el._files ?? (el._map ? el._plan : null);
  const key = `${el.getAttribute('lang') || 'zh-CN'}|${el.getAttribute('theme') || 'light'}`;
  if (!f) return Promise.reject(new Error('no plan'));
  const module = loadCharts();
  if (el._extrasFor !== f || el._extrasKey !== key || el._extrasFrom !== module || !el._extrasPromise) {
    el._extrasFor = f;
    el._extrasKey = key;
    el._extrasFrom = module;
    const [lang, theme] = key.split('|');
    el._extrasPromise = module.then((m) => ('text' in f
      ? new m.Extras(f.name, f.text, f.files, lang, theme)
      : m.Extras.ofAreas(f.title, f.areas.map((a) => a.id), f.areas.map((a) => a.name), lang, theme)));
    el._extrasPromise.catch((e) => console.warn(`planmap: extras unavailable: ${e.message}`));
  }
  return el._extrasPromise;
}

/**
 * `fn` on the plan's extras. After a trap in the extras module (making them, or in `fn`),
 * fires one planmap-error ("internal error while `what`", in the widget's language) and
 * rejects with an ExtrasTrap carrying the message the widget shows; other errors reject as
 * they are.
 * @template T
 * @param {PlanMapElement} el
 * @param {string} what what was being done, in the widget's language (`t.drawingCharts(name)`)
 * @param {(ex: Extras) => T} fn
 * @returns {Promise<T>}
 */
export async function withExtras(el, what, fn) {
  try {
    return fn(await extras(el));
  } catch (e) {
    const seen = e instanceof Object ? reported.get(e) : undefined;
    if (seen) throw new ExtrasTrap(seen);
    const panic = chartsTrapped(e);
    if (panic === null) throw e;
    const t = el._t;
    const message = t.extrasError(what, panic.startsWith('out of memory'));
    el._extrasPromise = null;
    el._report(message, panic);
    if (e instanceof Object) reported.set(e, message);
    throw new ExtrasTrap(message);
  }
}
