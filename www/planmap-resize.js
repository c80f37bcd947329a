// The canvas's backing store follows the element's size in device pixels, so the map is
// sharp at any devicePixelRatio; a phone's first layout or a shown tab refits an unmoved view
// (the core decides).

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/**
 * Watches the stage's size; the caller disconnects the observer.
 * @param {PlanMapElement} el
 */
export function observeSize(el) {
  const observer = new ResizeObserver((entries) => onResize(el, entries[entries.length - 1]));
  try {
    observer.observe(el._stage, { box: 'device-pixel-content-box' });
  } catch {
    observer.observe(el._stage);
  }
  return observer;
}

/**
 * @param {PlanMapElement} el
 * @param {ResizeObserverEntry} entry
 */
function onResize(el, entry) {
  const rect = entry.contentRect;
  const dpr = window.devicePixelRatio || 1;
  let bw = Math.round(rect.width * dpr);
  let bh = Math.round(rect.height * dpr);
  // The device-pixel box is exact where the browser supports it (no blur from rounding);
  // under DPR emulation Chromium reports CSS pixels there, so use it only when it agrees.
  const box = entry.devicePixelContentBoxSize?.[0];
  if (box && Math.abs(box.inlineSize - bw) <= 2 && Math.abs(box.blockSize - bh) <= 2) {
    bw = box.inlineSize;
    bh = box.blockSize;
  }
  el._size = [rect.width, rect.height];
  el._backing = [bw, bh, dpr];
  applySize(el);
  if (el._legend && rect.width > 0 && rect.width <= 600 && !el._legendTouched) el._legend.open = false;
}

/**
 * Gives the core the current size and draws at once.
 * @param {PlanMapElement} el
 */
export function applySize(el) {
  const map = el._map;
  if (!map || !el._backing) return;
  const [bw, bh, dpr] = el._backing;
  const was = el._sizedAs;
  el._sizedAs = [el._size[0], el._size[1]];
  el._call(() => map.resize(el._size[0], el._size[1], dpr, bw, bh));
  // The sheet's heights and the free area depend on the stage's size; what is selected stays
  // in view when it changes (a rotated phone, full screen for a presentation).
  el._sheet?.layout();
  el._updateCovered();
  const sel = el._selected;
  if (sel && was && (was[0] !== el._size[0] || was[1] !== el._size[1])) {
    el._stopEase();
    el._call(() => map.select(sel.id, false, false));
  }
  // Resizing the backing store clears it: draw in this same frame, not the next.
  el.render();
}
