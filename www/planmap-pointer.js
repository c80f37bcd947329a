// Pointer and wheel input on the canvas: drag pans, two pointers pinch, the wheel zooms about
// the cursor, a tap selects (with a larger radius for touch), a double tap zooms in, and a
// mouse hovering shows a tooltip. Pointer state lives here, per mount.
import { h } from './planmap-dom.js';

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-element.js').Feature} Feature */

/** A pressed pointer: where it is, where it went down, when, and whether it has moved. */
/** @typedef {{x: number, y: number, x0: number, y0: number, t0: number, type: string, moved?: boolean}} Press */

const TAP_SLOP = 6; // px a press may move and still be a tap
const DOUBLE_TAP_MS = 320;

/**
 * Registers the canvas's pointer and wheel listeners on `signal`.
 * @param {PlanMapElement} el
 * @param {AbortSignal} signal
 */
export function attachPointer(el, signal) {
  /** @type {Map<number, Press>} */
  const pointers = new Map();
  /** @type {{t: number, x: number, y: number} | null} */
  let lastTap = null;
  /** The feature under the mouse, so the tooltip is rebuilt only when it changes. @type {string | null} */
  let hoverId = null;
  const c = el._canvas;

  /** @param {MouseEvent} e @returns {[number, number]} */
  const xy = (e) => {
    const r = c.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };

  const hideTooltip = () => {
    if (el._tooltip) el._tooltip.hidden = true;
  };

  /** @param {PointerEvent} e */
  const onDown = (e) => {
    if (!el._map) return;
    c.setPointerCapture?.(e.pointerId);
    const [x, y] = xy(e);
    pointers.set(e.pointerId, { x, y, x0: x, y0: y, t0: performance.now(), type: e.pointerType });
    hideTooltip();
  };

  /** @param {PointerEvent} e */
  const onMove = (e) => {
    const map = el._map;
    if (!map) return;
    const [x, y] = xy(e);
    const p = pointers.get(e.pointerId);
    if (!p) {
      if (e.pointerType === 'mouse') hover(x, y);
      return;
    }
    if (pointers.size === 1) {
      if (Math.hypot(x - p.x0, y - p.y0) > TAP_SLOP || p.moved) {
        p.moved = true;
        el._call(() => map.panBy(x - p.x, y - p.y));
        el.invalidate();
      }
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const other = a === p ? b : a;
      const before = Math.hypot(p.x - other.x, p.y - other.y);
      const after = Math.hypot(x - other.x, y - other.y);
      if (before > 0 && after > 0) {
        const mid = [(x + other.x) / 2, (y + other.y) / 2];
        const oldMid = [(p.x + other.x) / 2, (p.y + other.y) / 2];
        el._call(() => {
          map.panBy(mid[0] - oldMid[0], mid[1] - oldMid[1]);
          map.zoomAt(Math.log2(after / before), mid[0], mid[1]);
        });
        el.invalidate();
      }
      p.moved = true;
      other.moved = true;
    }
    p.x = x;
    p.y = y;
  };

  /** @param {PointerEvent} e */
  const onUp = (e) => {
    const p = pointers.get(e.pointerId);
    pointers.delete(e.pointerId);
    if (!p || p.moved || pointers.size > 0) return;
    const [x, y] = xy(e);
    const now = performance.now();
    const last = lastTap;
    if (last && now - last.t < DOUBLE_TAP_MS && Math.hypot(x - last.x, y - last.y) < 25) {
      lastTap = null;
      el._zoomBy(1, [x, y]);
      return;
    }
    lastTap = { t: now, x, y };
    const radius = p.type === 'touch' ? 16 : 9;
    /** @type {Feature | null} */
    const hit = JSON.parse(el._call(() => el._map?.pick(x, y, radius)) ?? 'null');
    el._select(hit?.id ?? null, { zoom: false });
  };

  /** @param {PointerEvent} e */
  const onLeave = (e) => {
    if (e.pointerType === 'mouse') {
      hideTooltip();
      el._call(() => el._map?.setHover(NaN, NaN, 0));
      hoverId = null;
      el.invalidate();
    }
  };

  /**
   * The tooltip of the feature under the mouse (none for the district: it is everywhere).
   * @param {number} x
   * @param {number} y
   */
  const hover = (x, y) => {
    const map = el._map;
    if (!map) return;
    /** @type {Feature | null} */
    const hit = JSON.parse(el._call(() => map.setHover(x, y, 9)) ?? 'null');
    // Pointer moves arrive far more often than the feature under them changes: redraw and
    // rebuild the tooltip only on a change, then just move it.
    if ((hit?.id ?? null) !== (hoverId ?? null)) {
      hoverId = hit?.id ?? null;
      el.invalidate();
      if (hit && hit.kind !== 'district') {
        const t = el._t;
        const d = JSON.parse(map.details(hit.id));
        const sub = [t.kind[/** @type {keyof typeof t.kind} */ (hit.kind)] ?? hit.kind];
        if (hit.kind === 'line') sub.push(t.lineClass[/** @type {keyof typeof t.lineClass} */ (d.class)] ?? d.category);
        else if (d.category) sub.push(d.category);
        if (d.status) sub.push(t.status[/** @type {keyof typeof t.status} */ (d.status)] ?? d.status);
        if (d.schematic) sub.push(hit.kind === 'line' ? t.schematicCourse : t.schematic);
        el._tooltip.replaceChildren(h('div', { text: hit.name }), h('div', { class: 'sub', text: sub.join(' · ') }));
      }
    }
    if (!hit || hit.kind === 'district') return hideTooltip();
    el._tooltip.hidden = false;
    const [w, hh] = el._size;
    const tw = el._tooltip.offsetWidth;
    const th = el._tooltip.offsetHeight;
    el._tooltip.style.left = `${Math.min(Math.max(4, x + 14), w - tw - 4)}px`;
    el._tooltip.style.top = `${Math.min(Math.max(4, y + 14), hh - th - 4)}px`;
  };

  /** @param {WheelEvent} e */
  const onWheel = (e) => {
    if (!el._map) return;
    e.preventDefault();
    const [x, y] = xy(e);
    const unit = e.deltaMode === 1 ? 0.05 : e.deltaMode === 2 ? 1 : 0.0025;
    el._zoomBy(-e.deltaY * unit, [x, y]);
  };

  c.addEventListener('pointerdown', onDown, { signal });
  c.addEventListener('pointermove', onMove, { signal });
  c.addEventListener('pointerup', onUp, { signal });
  c.addEventListener('pointercancel', (e) => pointers.delete(e.pointerId), { signal });
  c.addEventListener('pointerleave', onLeave, { signal });
  c.addEventListener('wheel', onWheel, { signal, passive: false });
}

/**
 * Zooms by `dz` (a power of two) about the point `at` of the canvas.
 * @param {PlanMapElement} el
 * @param {number} dz
 * @param {[number, number]} at
 */
export function zoomBy(el, dz, [x, y]) {
  el._call(() => el._map?.zoomAt(dz, x, y));
  el.invalidate();
}
