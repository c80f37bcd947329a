// What is selected stays in view (issue 14): the rectangles the open panels cover, the free
// area the map keeps for itself and its overlays, the eased move of a selection, and the
// phone's bottom sheet with its two heights.
//
// The free area is computed by the core (PlanMap.freeArea, one definition for selections, fit
// and pan limits) and published on the stage as four CSS custom properties,
// --pm-free-top/right/bottom/left: the insets, in px, from each edge of the canvas. Every
// overlay that must stay readable (the credits and the 示意 note, a basemap's credit and 审图号)
// sits in `.mapnotes`, which the stylesheet places inside those insets; the zoom buttons and the
// list follow them too. So a new overlay needs no code here: put it in `.mapnotes`.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */

/** @typedef {{ ease(t: number): boolean, moving(): boolean, stop(): void }} MovingMap */

const reducedMotion = () => !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * Tells the core which rectangles the panel (or sheet) and a presentation caption cover, and
 * publishes the free area to the stylesheet (--pm-free-*), which keeps the notes, the zoom
 * buttons and the list in it. With a panel open, the notes riding on its edge and the list and
 * legend toggles in their corners count as covered too, so a selection is shown clear of them;
 * with nothing open they stay overlays and the plan keeps its full-size fit.
 * @param {PlanMapElement} el
 */
export function updateCovered(el) {
  const map = el._map;
  if (!map || !el._stage) return;
  const rects = coveredRects(el._canvas, [el._panel, el._caption]);
  el._call(() => map.setCovered(new Float64Array(rects)));
  // Labels keep out from under the buttons, the toggles and the notes (and an open panel).
  const labelFree = coveredRects(el._canvas, [el._controls, el._notes, el._list?.querySelector('summary'), el._legend?.querySelector('summary'), el._panel, el._caption]);
  el._call(() => map.setChrome(new Float64Array(labelFree)));
  const row = publishFreeArea(el._stage, JSON.parse(el._call(() => map.freeArea()) ?? 'null'), el._size);
  el._controls.setAttribute('aria-orientation', row ? 'horizontal' : 'vertical');
  if (rects.length) {
    const chrome = [el._notes, el._list?.querySelector('summary'), el._legend];
    el._call(() => map.setCovered(new Float64Array([...rects, ...coveredRects(el._canvas, chrome)])));
  }
}

/**
 * Closes the panel; focus inside it goes back to the map. The map stays where it is.
 * @param {PlanMapElement} el
 */
export function hidePanel(el) {
  const inside = el._panel.contains(el._root.activeElement);
  el._panel.hidden = true;
  updateCovered(el);
  if (inside) el._canvas.focus();
}

/**
 * The sheet changed height: the free area follows; once it settles, the selection is brought
 * into the new free area if it is no longer inside it.
 * @param {PlanMapElement} el
 * @param {boolean} settled
 */
export function roomChanged(el, settled) {
  const map = el._map;
  updateCovered(el);
  const sel = el._selected;
  if (settled && sel && map) {
    el._call(() => map.select(sel.id, false, true));
    easeSelectionOf(el);
  }
  el.invalidate();
}

/**
 * Runs the move the core's last `select(…, animate = true)` started, frame by frame, or at
 * once under prefers-reduced-motion; a new move or fit() stops the one under way.
 * @param {PlanMapElement} el
 */
export function easeSelectionOf(el) {
  el._stopEase();
  const map = el._map;
  if (!map) return;
  el._stopEase = easeSelection(map, {
    reduced: reducedMotion(),
    draw: () => el.render(),
    call: (fn) => el._call(fn),
  });
}

/**
 * The screen rectangles, relative to `canvas` and in CSS px, that the visible elements among
 * `covering` cover, as the flat list `[x0, y0, x1, y1, …]` PlanMap.setCovered takes.
 * @param {HTMLElement} canvas
 * @param {(HTMLElement | null | undefined)[]} covering
 * @returns {number[]}
 */
export function coveredRects(canvas, covering) {
  const c = canvas.getBoundingClientRect();
  const out = [];
  for (const el of covering) {
    if (!el || el.hidden || !el.isConnected) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    out.push(r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top);
  }
  return out;
}

/**
 * Publishes the free area `[x0, y0, x1, y1]` on `stage` as --pm-free-top/right/bottom/left.
 * @param {HTMLElement} stage
 * @param {number[] | null} free
 * @param {[number, number]} size the canvas' CSS size
 * @returns {boolean} whether the zoom buttons go in a row (see COLUMN_ROOM)
 */
export function publishFreeArea(stage, free, [w, hh]) {
  const [x0, y0, x1, y1] = free ?? [0, 0, w, hh];
  /** @param {number} v */
  const px = (v) => `${Math.max(0, Math.round(v))}px`;
  stage.style.setProperty('--pm-free-top', px(y0));
  stage.style.setProperty('--pm-free-left', px(x0));
  stage.style.setProperty('--pm-free-right', px(w - x1));
  stage.style.setProperty('--pm-free-bottom', px(hh - y1));
  // Too short a free part for the column of zoom buttons under the legend toggle (10 + 44 +
  // 8 px above it, 5 buttons of 40 px with 6 px gaps, 34 px under it): lay them in a row.
  const compact = y1 - y0 < COLUMN_ROOM;
  stage.toggleAttribute('data-compact', compact);
  return compact;
}

/** The free height (px) the zoom buttons need to stand as a column. */
const COLUMN_ROOM = 320;

/** Ease-out cubic: quick start, gentle landing. @param {number} k */
const easeOut = (k) => 1 - (1 - k) ** 3;

/**
 * Runs the move a selection started (PlanMap.select(…, animate = true)): one ease step per
 * animation frame over `duration` ms, or the whole move at once when `reduced`. `draw` renders
 * each frame. Returns a function that stops the move where it is.
 * @param {MovingMap} map
 * @param {{ reduced: boolean, draw: () => void, call?: (fn: () => unknown) => unknown, duration?: number }} opts
 * @returns {() => void}
 */
export function easeSelection(map, { reduced, draw, call = (fn) => fn(), duration = 380 }) {
  let raf = 0;
  if (!call(() => map.moving())) return () => {};
  if (reduced) {
    call(() => map.ease(1));
    draw();
    return () => {};
  }
  const start = performance.now();
  const step = () => {
    raf = 0;
    const k = Math.min(1, (performance.now() - start) / duration);
    const more = call(() => map.ease(easeOut(k)));
    draw();
    if (more && k < 1) raf = requestAnimationFrame(step);
  };
  raf = requestAnimationFrame(step);
  return () => {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    call(() => map.stop());
  };
}

/**
 * The phone's bottom sheet: a drag handle and two heights. Peek shows the header (name and key
 * figure); full shows everything but leaves the top of the map free for the zoom buttons, the
 * list and the credits. The handle is a button (Enter or Space toggles, as a click does) that
 * can also be dragged; on release the sheet settles at the nearer height. On a wide screen the
 * same panel is a side panel: the handle is hidden and nothing here sets its height.
 */
export class BottomSheet {
  /**
   * @param {HTMLElement} panel the .panel element
   * @param {HTMLButtonElement} handle the .sheet-handle button inside it
   * @param {HTMLElement} head the part of the panel peek shows
   * @param {{ signal: AbortSignal, labels: { expand: string, collapse: string },
   *   onChange: (settled: boolean) => void }} opts onChange runs after every height change:
   *   `settled` false while a finger drags it, true once it has a height again
   */
  constructor(panel, handle, head, { signal, labels, onChange }) {
    this.panel = panel;
    this.handle = handle;
    this.head = head;
    this.labels = labels;
    this.onChange = onChange;
    /** @type {'peek' | 'full'} */
    this.state = 'peek';
    /** @type {{ y0: number, h0: number, id: number, moved: boolean } | null} */
    this.drag = null;
    this.dragged = false;
    handle.addEventListener('click', () => {
      if (this.dragged) { this.dragged = false; return; }
      this.set(this.state === 'peek' ? 'full' : 'peek');
    }, { signal });
    handle.addEventListener('pointerdown', (e) => {
      handle.setPointerCapture?.(e.pointerId);
      this.drag = { y0: e.clientY, h0: panel.getBoundingClientRect().height, id: e.pointerId, moved: false };
    }, { signal });
    handle.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d || d.id !== e.pointerId) return;
      const dy = e.clientY - d.y0;
      if (!d.moved && Math.abs(dy) < 6) return;
      d.moved = true;
      const [lo, hi] = this.heights();
      panel.style.height = `${Math.round(Math.min(hi, Math.max(lo, d.h0 - dy)))}px`;
      this.onChange(false);
    }, { signal });
    /** @param {PointerEvent} e */
    const end = (e) => {
      const d = this.drag;
      if (!d || d.id !== e.pointerId) return;
      this.drag = null;
      if (!d.moved) return;
      this.dragged = true; // the click that follows a drag does not toggle
      setTimeout(() => { this.dragged = false; }, 0);
      const [lo, hi] = this.heights();
      const now = panel.getBoundingClientRect().height;
      this.set(now - lo < hi - now ? 'peek' : 'full');
    };
    handle.addEventListener('pointerup', end, { signal });
    handle.addEventListener('pointercancel', end, { signal });
  }

  /** `true` when the panel is laid out as a bottom sheet (the stylesheet shows the handle). */
  isSheet() {
    return !this.panel.hidden && getComputedStyle(this.handle).display !== 'none';
  }

  /** The peek and full heights in px. Full leaves the larger of 320 px and 40% of the stage
   * free above it (room for the legend toggle, the zoom buttons' 224 px column and the
   * notes), but is always taller than peek. */
  heights() {
    const stage = this.panel.parentElement?.getBoundingClientRect().height ?? 0;
    // The head never scrolls (the body below it does), so its offset is its place.
    const peek = Math.ceil(this.head.offsetTop + this.head.offsetHeight + 8);
    const full = Math.max(peek + 80, stage - Math.max(320, stage * 0.4));
    return [Math.min(peek, stage - 60), Math.min(full, stage - 60)];
  }

  /**
   * Sets the height, 'peek' or 'full' (a side panel keeps its own); `notify` false when the
   * caller updates the map itself (a panel just filled).
   * @param {'peek' | 'full'} state
   * @param {boolean} [notify]
   */
  set(state, notify = true) {
    this.state = state;
    this.panel.dataset.sheet = state;
    const full = state === 'full';
    this.handle.setAttribute('aria-expanded', String(full));
    this.handle.setAttribute('aria-label', full ? this.labels.collapse : this.labels.expand);
    this.handle.title = full ? this.labels.collapse : this.labels.expand;
    this.layout();
    if (notify) this.onChange(true);
  }

  /** Applies the state's height (after a resize, or new content in the header). */
  layout() {
    if (!this.isSheet()) {
      this.panel.style.height = '';
      return;
    }
    const [peek, full] = this.heights();
    this.panel.style.height = `${this.state === 'full' ? full : peek}px`;
  }
}
