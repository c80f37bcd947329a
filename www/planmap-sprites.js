// Label sprites (issue 13). The core hands every label to this painter. At 1.5 or more
// device pixels per CSS pixel a label (its halo, a stroked outline of every glyph, and its
// text) is drawn once into a canvas of its own at that ratio and copied with drawImage at a
// whole device pixel: 1:1, never scaled, so as sharp as text drawn in place, where the halo's
// strokeText was half of a frame's raster on Liaoning at DPR 2. The copy sits within half a
// device pixel (a quarter of a CSS pixel) of where the text would be. At DPR 1 half a pixel
// would show, and halos cost a quarter as much: labels are drawn in place, as before.
// The scene still decides what each label says and where (SVG export is unchanged).
// A load's first frame has no sprites yet. Making them there (a canvas sized, drawn and moved
// off per label) was ≈ 25 ms of Liaoning's DPR 2 first-frame draw; that frame now draws its
// labels in place, at the device pixel their sprites will be copied to, and the sprites are
// made in tasks after it, for the frames of a gesture. The glyphs are rasterised either way
// (at the flush instead): the first frame came 9 ms sooner over 30 same-run rounds (185 → 176).

/**
 * Device pixels of sprites kept (4 bytes each: 32 MB), the least recently drawn dropped past
 * it. A count of 256 with the cache started again past it remade almost every sprite in every
 * frame of all of China's counties (≈ 500 labels a frame; half its time at DPR 2, issue 13).
 */
const BUDGET = 8e6;

/** How long a task making sprites after a first frame runs before it yields, ms. */
const SLICE_MS = 8;

/**
 * A painter for one map (PlanMap.setLabelPainter), with its cache. A sprite is keyed by all
 * that decides its pixels (ratio, font, colours, alignment, text): a theme, language or font
 * change misses and draws afresh.
 */
export function labelPainter() {
  /** @type {Map<string, [ImageBitmap, number, number]>} in the order last drawn */
  const cache = new Map();
  let pixels = 0;
  /** Where each font's alphabetic baseline is below the middle of the line, for each context
   * drawn on (a font's metric: the same for any text; the map's, or an export's).
   * @type {WeakMap<CanvasRenderingContext2D, Map<string, number>>} */
  const drops = new WeakMap();
  /** The canvas every sprite is drawn on in turn, made once: a first frame at DPR 2 spent
   * 5 of its ms making a context for each of Liaoning's 100 labels (issue 13). Each sprite is
   * moved off it (transferToImageBitmap), which leaves it blank. @type {OffscreenCanvasRenderingContext2D | null} */
  let board = null;
  /** `font`'s drop on `ctx`, measured (with `text`) the first time.
   * @param {CanvasRenderingContext2D} ctx @param {string} text @param {string} font */
  const dropOf = (ctx, text, font) => {
    let fonts = drops.get(ctx);
    if (!fonts) drops.set(ctx, (fonts = new Map()));
    let drop = fonts.get(font);
    if (drop === undefined) fonts.set(font, (drop = baselineDrop(ctx, text, font)));
    return drop;
  };
  /** `key`'s sprite, made now on the board. @param {string} key
   * @param {CanvasRenderingContext2D} ctx @param {string} text @param {string} font
   * @param {string} color @param {string} halo @param {CanvasTextAlign} align @param {number} dpr */
  const make = (key, ctx, text, font, color, halo, align, dpr) => {
    board ??= /** @type {OffscreenCanvasRenderingContext2D} */ (new OffscreenCanvas(1, 1).getContext('2d'));
    const s = sprite(board, text, font, color, halo, align, dpr, dropOf(ctx, text, font));
    pixels += s[0].width * s[0].height;
    for (const [k, [b]] of cache) {
      if (pixels <= BUDGET) break;
      cache.delete(k);
      pixels -= b.width * b.height;
      b.close();
    }
    return s;
  };
  /** Whether labels with no sprite are drawn in place (see `frame`). */
  let inPlace = false;
  /** The labels drawn in place whose sprites are still to make: `make`'s arguments.
   * @type {Parameters<typeof make>[]} */
  const owed = [];
  /** The task making them, or 0. */
  let making = 0;
  /** Makes owed sprites for about `SLICE_MS`, then goes on in a task of its own: all of
   * China's ≈ 500 labels at DPR 2 in one task would be a long one. */
  const makeOwed = () => {
    making = 0;
    const until = performance.now() + SLICE_MS;
    while (owed.length && performance.now() < until) {
      const a = /** @type {Parameters<typeof make>} */ (owed.pop());
      // A frame since may have made it (or the ratio or theme changed: then it waits until drawn).
      if (!cache.has(a[0])) cache.set(a[0], make(...a));
    }
    if (owed.length) making = setTimeout(makeOwed, 0);
  };
  return {
    /**
     * Runs `draw`, one frame of the map. When it is a load's `first` frame, a label that
     * has no sprite is drawn on `ctx` itself, at the whole device pixel its sprite would be
     * copied to and with the baseline the sprite would have (the same pixels, within
     * antialiasing), and its sprite is made in tasks after the frame, a few ms at a time.
     * @template T @param {boolean} first @param {() => T} draw @returns {T}
     */
    frame(first, draw) {
      inPlace = first;
      try {
        return draw();
      } finally {
        inPlace = false;
      }
    },
    /**
     * Draws `text` anchored at (x, y) CSS pixels on `ctx` at `dpr`: its halo (none if empty),
     * then the text.
     * @param {CanvasRenderingContext2D} ctx @param {string} text @param {string} font
     * @param {string} color @param {string} halo @param {CanvasTextAlign} align
     * @param {number} x @param {number} y @param {number} dpr
     */
    paint(ctx, text, font, color, halo, align, x, y, dpr) {
      if (dpr < 1.5) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        draw(ctx, text, font, color, halo, align, x, y);
        return;
      }
      const key = `${dpr} ${font} ${color} ${halo} ${align} ${text}`;
      let s = cache.get(key);
      if (s) cache.delete(key);
      else if (inPlace) {
        const drop = dropOf(ctx, text, font);
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        draw(ctx, text, font, color, halo, align, Math.round(x * dpr) / dpr, Math.round(y * dpr) / dpr + drop, 'alphabetic');
        owed.push([key, ctx, text, font, color, halo, align, dpr]);
        making ||= setTimeout(makeOwed, 0);
        return;
      } else s = make(key, ctx, text, font, color, halo, align, dpr);
      cache.set(key, s);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(s[0], Math.round(x * dpr) + s[1], Math.round(y * dpr) + s[2]);
    },
  };
}

/**
 * Halo and text, as the map's own canvas strokes: 3.5 px, miter joins of limit 2; `y` is the
 * middle of the line, or the alphabetic baseline when `baseline` says so.
 * @param {CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D} ctx @param {string} text
 * @param {string} font @param {string} color @param {string} halo @param {CanvasTextAlign} align
 * @param {number} x @param {number} y @param {CanvasTextBaseline} [baseline]
 */
function draw(ctx, text, font, color, halo, align, x, y, baseline = 'middle') {
  ctx.font = font;
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.lineWidth = 3.5;
  ctx.lineJoin = 'miter';
  ctx.miterLimit = 2;
  if (halo) {
    ctx.strokeStyle = halo;
    ctx.strokeText(text, x, y);
  }
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

/**
 * How far below the middle of the line `page` puts the alphabetic baseline of `text`, in CSS
 * pixels: a metric of the font (both baselines are the font's), measured once per font.
 * Chromium rounds a font's ascent and descent differently from one canvas context to
 * another (in some page loads, more often under load, a context had them a pixel apart:
 * 9.44 / 7.56 against 8.44 / 8.56 for the same font), so a sprite drawn on its own canvas at
 * 'middle' could sit a pixel off from the same text on the map. The middle is taken from the
 * map's own context and the sprite is drawn at the alphabetic baseline, which no rounding moves.
 * @param {CanvasRenderingContext2D} page @param {string} text @param {string} font
 */
function baselineDrop(page, text, font) {
  page.font = font;
  page.textBaseline = 'alphabetic';
  const above = page.measureText(text).actualBoundingBoxAscent;
  page.textBaseline = 'middle';
  return above - page.measureText(text).actualBoundingBoxAscent;
}

/**
 * A label drawn on the board `ctx` (sized to it, then moved off as a bitmap of its own) with
 * its anchor on a whole device pixel, and where its top left corner is from the anchor, in
 * device pixels.
 * `drop`: where the font's alphabetic baseline is below the middle of the map's line
 * (baselineDrop).
 * @param {OffscreenCanvasRenderingContext2D} ctx @param {string} text @param {string} font
 * @param {string} color @param {string} halo @param {CanvasTextAlign} align @param {number} dpr
 * @param {number} drop
 * @returns {[ImageBitmap, number, number]}
 */
function sprite(ctx, text, font, color, halo, align, dpr, drop) {
  const c = ctx.canvas;
  ctx.font = font;
  ctx.textAlign = align;
  ctx.textBaseline = 'alphabetic';
  const m = ctx.measureText(text);
  // The ink, and room for the halo (its miters reach a line width out) and the antialiasing.
  const pad = (halo ? 3.5 : 0) + 1;
  const x0 = Math.floor(-(m.actualBoundingBoxLeft + pad) * dpr);
  const y0 = Math.floor((drop - m.actualBoundingBoxAscent - pad) * dpr);
  c.width = Math.ceil((m.actualBoundingBoxRight + pad) * dpr) - x0;
  c.height = Math.ceil((drop + m.actualBoundingBoxDescent + pad) * dpr) - y0;
  // (Sizing the canvas reset its state.)
  ctx.setTransform(dpr, 0, 0, dpr, -x0, -y0);
  draw(ctx, text, font, color, halo, align, 0, drop, 'alphabetic');
  // A bitmap of its own: drawing it needs no snapshot of a canvas that could still change.
  return [c.transferToImageBitmap(), x0, y0];
}
