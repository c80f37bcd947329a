// The keyboard: on the canvas, arrows pan, +/− zoom, 0 fits, Tab walks the features (and
// leaves the map at either end), Enter or Space selects, Escape clears; in a presentation
// →/←, PageDown/PageUp and Space step. Escape anywhere in the element closes what is open.

/** @typedef {import('./planmap-element.js').PlanMapElement} PlanMapElement */
/** @typedef {import('./planmap-element.js').Feature} Feature */

/** CSS px an arrow key pans. */
const PAN_STEP = 60;

/**
 * Registers the keyboard listeners on `signal`.
 * @param {PlanMapElement} el
 * @param {AbortSignal} signal
 */
export function attachKeys(el, signal) {
  const c = el._canvas;
  c.addEventListener('keydown', (e) => onKey(el, e), { signal });
  c.addEventListener('blur', () => el._call(() => { el._map?.setFocus(undefined); el.invalidate(); }), { signal });
  el._root.addEventListener('keydown', (e) => {
    if (/** @type {KeyboardEvent} */ (e).key === 'Escape' && e.target !== c) escape(el);
  }, { signal });
}

/**
 * @param {PlanMapElement} el
 * @param {KeyboardEvent} e
 */
function onKey(el, e) {
  const map = el._map;
  if (!map || e.altKey || e.ctrlKey || e.metaKey) return;
  const step = PAN_STEP;
  const mid = [el._size[0] / 2, el._size[1] / 2];
  /** @param {() => void} fn */
  const done = (fn) => {
    e.preventDefault();
    el._call(fn);
    el.invalidate();
  };
  if (el._present && ['ArrowRight', 'PageDown', ' '].includes(e.key)) return done(() => el.next());
  if (el._present && ['ArrowLeft', 'PageUp'].includes(e.key)) return done(() => el.prev());
  switch (e.key) {
    case 'ArrowLeft': return done(() => map.panBy(step, 0));
    case 'ArrowRight': return done(() => map.panBy(-step, 0));
    case 'ArrowUp': return done(() => map.panBy(0, step));
    case 'ArrowDown': return done(() => map.panBy(0, -step));
    case '+': case '=': return done(() => map.zoomAt(1, mid[0], mid[1]));
    case '-': case '_': return done(() => map.zoomAt(-1, mid[0], mid[1]));
    case '0': return done(() => map.fit());
    case 'Enter': case ' ': {
      const id = map.focusedId();
      if (id) done(() => { el._select(id, { zoom: false, keyboard: true }); });
      return;
    }
    case 'Escape': return done(() => escape(el));
    case 'Tab': {
      /** @type {Feature | null} */
      const f = JSON.parse(el._call(() => map.focusStep(!e.shiftKey)) ?? 'null');
      el.invalidate();
      if (f) {
        e.preventDefault(); // move within the map; at either end Tab leaves it as usual
        const t = el._t;
        el._announce(`${t.focused}：${f.name}（${t.kind[/** @type {keyof typeof t.kind} */ (f.kind)] ?? f.kind}）`);
      }
      return;
    }
    default:
  }
}

/**
 * Escape: leaves a presentation, else closes the table, else clears the selection and panel.
 * @param {PlanMapElement} el
 */
export function escape(el) {
  if (el._present) return el._endPresentation();
  if (!el._table.hidden) {
    el._table.hidden = true;
    el._canvas.focus();
    return;
  }
  if (el._selected) el._select(null);
  el._hidePanel();
}
