//! The Canvas 2D surface. Each area's outline and each border arc is built once per plan and
//! level as a `Path2D` in projected metres relative to a local origin (f32 inside the browser
//! loses metres at 1e7, not at 1e4); a frame joins those of a layer into one path per fill and
//! one per stroke (`addPath`, no per-vertex call crosses into JS) and draws each through one
//! `setTransform`: a province is a handful of `fill` and `stroke` calls, not two per district.

use crate::basemap::{TileId, TileKey};
use crate::geom::{stroke_parts, Bounds, MeasureText, LEVELS as LODS};
use crate::render::{
    brush, direction_paths_data, line_path_data, path_data, Surface, DIRECTIONS, FONT_FAMILY,
    MOST_HAIRLINES,
};
use crate::scene::{Align, AreaStyle, Color, LineStyle, Paint, Symbol};
use geo::{LineString, MultiLineString, MultiPolygon};
use std::cell::RefCell;
use std::collections::HashMap;
#[cfg(feature = "exports")]
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule, HtmlImageElement, Path2d};

#[cfg(feature = "exports")]
#[wasm_bindgen]
extern "C" {
    /// The element's label painter (`www/planmap-sprites.js`).
    #[derive(Clone)]
    pub type LabelPainter;
    /// Draws `text` anchored at (`x`, `y`) CSS pixels on `ctx` at `dpr`: halo (none if
    /// empty), then text, as `strokeText` and `fillText` would.
    #[wasm_bindgen(method)]
    #[allow(clippy::too_many_arguments)]
    fn paint(
        this: &LabelPainter,
        ctx: &CanvasRenderingContext2d,
        text: &str,
        font: &str,
        color: &str,
        halo: &str,
        align: &str,
        x: f64,
        y: f64,
        dpr: f64,
    );
}

/// Canvas drawing state that outlives a frame: the path cache and the text-width cache.
#[allow(missing_debug_implementations)]
pub struct CanvasSurface {
    pub(crate) ctx: CanvasRenderingContext2d,
    /// Device pixels per CSS pixel: the transform every primitive is drawn through.
    pub dpr: f64,
    origin: [f64; 2],
    /// `paths[index * LODS + lod]`, built on first use.
    paths: Vec<Option<Path2d>>,
    /// `line_paths[index * LODS + lod]`, likewise.
    line_paths: Vec<Option<Path2d>>,
    /// `arc_paths[(arc * LODS + lod) * ARC_SLOTS + slot]`: border arcs, likewise, whole
    /// (slot 0, for true strokes) or the runs of one direction (slot 1 + d, for hairlines).
    arc_paths: Vec<Option<Path2d>>,
    /// Levels of detail whose first border batch was written in one pass (bit `lod`): the
    /// next batch at that level is joined from the arcs' own paths, made then and kept.
    one_pass_lods: u32,
    /// Joined paths by what they join, with the frame each was last drawn in: reused when a
    /// layer joins the same paths again (a pan or a small zoom, or a gesture coming back over
    /// views it drew), dropped once not drawn for [`KEEP_FRAMES`]. Joining all of China's
    /// borders anew took a frame 30-60 ms where reusing them took 7 (issue 13).
    batches: HashMap<BatchKey, (Path2d, u32)>,
    /// The frame being drawn, counted from the surface's first.
    frame: u32,
    /// The CSS font list for labels (`--planmap-font` on the element, else `FONT_FAMILY`).
    pub font_family: String,
    /// Each label text's width per pixel of font size, measured once at the first size asked
    /// (bold, the wider). A name is tried at three sizes; a canvas' advance widths grow in
    /// proportion to the size (`labels.test.mjs` checks it to within a pixel), so measuring
    /// once instead of three times cut a national file's name measuring to a third (issue 13).
    widths: RefCell<HashMap<String, f64>>,
    /// Decoded basemap tiles the loader handed over; which stay is the basemap's LRU's call.
    pub(crate) tiles: HashMap<TileKey, HtmlImageElement>,
    /// The element's label painter (`www/planmap-sprites.js`), which draws each label (at
    /// DPR 1.5 and up once into a sprite, then copies it at whole device pixels, where
    /// `strokeText` would outline every glyph of every halo in every frame). The map's own
    /// canvas and its exports always have one; without one no label is drawn. The chart
    /// module (no `exports` feature) draws its few labels itself.
    #[cfg(feature = "exports")]
    pub(crate) labels: Option<LabelPainter>,
}

/// What a joined path holds: areas (`FILLS`) or arcs (borders: an [`ARC_SLOTS`] slot), their
/// level and their indices.
type BatchKey = (usize, usize, Vec<usize>);

/// How many frames a joined path is kept without being drawn: half a second of a gesture.
const KEEP_FRAMES: u32 = 32;

/// The batch kind of areas' fills; a border batch's kind is its arcs' slot.
const FILLS: usize = ARC_SLOTS;

/// Paths kept per border arc and level: the whole arc, then its runs of each direction.
const ARC_SLOTS: usize = 1 + DIRECTIONS;

/// The translation a cached path's coordinates go through: projected metres less `origin`,
/// written as the numbers are (exactly `x - ox`: the matrix's ones and zeros add nothing), so
/// no copy of an outline is made to be written (issue 13).
fn to_local([ox, oy]: [f64; 2]) -> [f64; 6] {
    [1.0, 0.0, 0.0, 1.0, -ox, -oy]
}

impl CanvasSurface {
    /// A surface on `ctx`, at one device pixel per unit until `dpr` is set.
    pub fn new(ctx: CanvasRenderingContext2d) -> CanvasSurface {
        CanvasSurface {
            ctx,
            dpr: 1.0,
            origin: [0.0, 0.0],
            paths: Vec::new(),
            line_paths: Vec::new(),
            arc_paths: Vec::new(),
            one_pass_lods: 0,
            batches: HashMap::new(),
            frame: 0,
            font_family: FONT_FAMILY.to_owned(),
            widths: RefCell::new(HashMap::new()),
            tiles: HashMap::new(),
            #[cfg(feature = "exports")]
            labels: None,
        }
    }

    /// Sets the labels' font list; widths measured in another are forgotten (a streamed
    /// plan's names are measured before its first frame).
    pub fn set_font_family(&mut self, family: &str) {
        if self.font_family != family {
            self.font_family = family.to_owned();
            self.widths.get_mut().clear();
        }
    }

    /// Drops cached paths: a new plan has new geometry. `origin` should be near its middle.
    #[cfg_attr(not(feature = "exports"), allow(dead_code))]
    pub(crate) fn reset(&mut self, areas: usize, origin: [f64; 2]) {
        self.paths = vec![None; areas * LODS];
        self.line_paths.clear();
        self.arc_paths.clear();
        self.one_pass_lods = 0;
        self.batches.clear();
        self.origin = origin;
    }

    /// The path of border arc `arc` at `lod` in `slot` (0: whole; 1 + d: its runs of direction
    /// d), built on first use from its stroke parts (every direction's at once: one cut).
    fn arc_path(
        &mut self,
        arc: usize,
        lod: usize,
        slot: usize,
        geometry: &LineString<f64>,
    ) -> Option<Path2d> {
        let key = (arc * LODS + lod) * ARC_SLOTS + slot;
        let runs = key - slot + 1;
        if runs + DIRECTIONS > self.arc_paths.len() {
            self.arc_paths.resize(runs + DIRECTIONS, None);
        }
        if self.arc_paths[key].is_none() {
            let parts = stroke_parts(geometry);
            let local = to_local(self.origin);
            let path = |d: &str| Path2d::new_with_path_string(d).ok();
            if slot == 0 {
                self.arc_paths[key] = path(&line_path_data(&parts, Some(&local), 2));
            } else {
                let data = direction_paths_data([&parts], Some(&local), 2);
                for (d, text) in data.iter().enumerate() {
                    self.arc_paths[runs + d] = path(text);
                }
            }
        }
        self.arc_paths[key].clone()
    }

    /// The joined paths of `arcs` at `lod`, one a direction, written in one pass straight from
    /// their outlines for the first batch at that level (a layer's first frame): four `Path2D`s
    /// made instead of four for each arc and each joined again (a province's first frame made
    /// ≈ 1,200 and joined as many, issue 13). A later batch at the level, another set of arcs
    /// as a view moves, is joined from the arcs' own paths, made then and kept for the frames
    /// after ([`CanvasSurface::arc_path`]): a pan rewrites no text.
    fn write_direction_batches(
        &mut self,
        arcs: &[usize],
        lod: usize,
        geometries: &[&LineString<f64>],
    ) {
        // (A single arc is its own path: `joined` takes it as it is.)
        let bit = 1u32 << lod.min(31);
        if arcs.len() < 2 || self.one_pass_lods & bit != 0 {
            return;
        }
        self.one_pass_lods |= bit;
        let parts: Vec<MultiLineString<f64>> = geometries.iter().map(|g| stroke_parts(g)).collect();
        let data = direction_paths_data(&parts, Some(&to_local(self.origin)), 2);
        for (d, text) in data.iter().enumerate() {
            if let Ok(path) = Path2d::new_with_path_string(text) {
                self.batches
                    .insert((1 + d, lod, arcs.to_vec()), (path, self.frame));
            }
        }
    }

    /// One path joining `parts` (built by `part(k)` on first use), kept for the next frame.
    fn joined(
        &mut self,
        key: BatchKey,
        mut part: impl FnMut(&mut Self, usize) -> Option<Path2d>,
    ) -> Option<Path2d> {
        if let Some(p) = self.reuse(&key) {
            return Some(p);
        }
        let n = key.2.len();
        let joined = if n == 1 {
            part(self, 0)?
        } else {
            let joined = Path2d::new().ok()?;
            for k in 0..n {
                if let Some(p) = part(self, k) {
                    joined.add_path(&p);
                }
            }
            joined
        };
        self.batches.insert(key, (joined.clone(), self.frame));
        Some(joined)
    }

    /// The joined path kept for `key`, marked drawn in this frame.
    fn reuse(&mut self, key: &BatchKey) -> Option<Path2d> {
        let (p, at) = self.batches.get_mut(key)?;
        *at = self.frame;
        Some(p.clone())
    }

    /// Fills `path` (local coordinates, drawn through `t`) with `paint` by `rule`.
    fn fill_path(&mut self, path: &Path2d, t: &[f64; 6], paint: &Paint, rule: CanvasWindingRule) {
        self.set_local_transform(t);
        let k = self.dpr;
        match paint {
            Paint::None => {}
            Paint::Solid(col) => {
                self.ctx.set_fill_style_str(&css(*col));
                self.ctx.fill_with_path_2d_and_winding(path, rule);
            }
            Paint::Hatch {
                background,
                line,
                angle,
            } => {
                self.ctx.save();
                self.ctx.clip_with_path_2d_and_winding(path, rule);
                self.ctx.set_fill_style_str(&css(*background));
                self.ctx.fill_with_path_2d_and_winding(path, rule);
                // Lines in screen space, so their spacing is the same at every zoom.
                self.screen();
                let w = self
                    .ctx
                    .canvas()
                    .map(|c| c.width() as f64 / k)
                    .unwrap_or(0.0);
                let h = self
                    .ctx
                    .canvas()
                    .map(|c| c.height() as f64 / k)
                    .unwrap_or(0.0);
                let r = (w * w + h * h).sqrt();
                let _ = self.ctx.translate(w / 2.0, h / 2.0);
                let _ = self.ctx.rotate(angle.to_radians());
                self.ctx.begin_path();
                let mut x = -r;
                while x <= r {
                    self.ctx.move_to(x, -r);
                    self.ctx.line_to(x, r);
                    x += 8.0;
                }
                self.ctx.set_stroke_style_str(&css(*line));
                self.ctx.set_line_width(2.0);
                self.ctx.stroke();
                self.ctx.restore();
                self.set_local_transform(t);
            }
        }
    }

    /// Strokes `path` (local coordinates, drawn through `t`) `width` CSS pixels wide, dashed
    /// with `dash` CSS pixels when given.
    fn stroke_path(
        &mut self,
        path: &Path2d,
        t: &[f64; 6],
        color: Color,
        width: f64,
        dash: Option<[f64; 2]>,
    ) {
        self.set_local_transform(t);
        // Line widths are in user space, which is metres here: divide by the scale.
        let s = t[0].abs().max(1e-12);
        self.ctx.set_stroke_style_str(&css(color));
        self.ctx.set_line_width(width / s);
        let dash = match dash {
            Some([on, off]) => js_sys::Array::of2(&JsValue::from(on / s), &JsValue::from(off / s)),
            None => js_sys::Array::new(),
        };
        let _ = self.ctx.set_line_dash(&dash);
        self.ctx.stroke_with_path(path);
        let _ = self.ctx.set_line_dash(&js_sys::Array::new());
    }

    /// Maps the cached paths' local coordinates (relative to `origin`, kept small so f32
    /// paths stay exact) through the frame's transform `t`, at device pixels.
    fn set_local_transform(&self, t: &[f64; 6]) {
        let [a, b, c, d, e, f] = *t;
        let [ox, oy] = self.origin;
        let (e, f) = (e + a * ox + c * oy, f + b * ox + d * oy);
        let k = self.dpr;
        let _ = self
            .ctx
            .set_transform(k * a, k * b, k * c, k * d, k * e, k * f);
    }

    fn path(&mut self, index: usize, lod: usize, geometry: &MultiPolygon<f64>) -> Option<Path2d> {
        let key = index * LODS + lod;
        if key >= self.paths.len() {
            self.paths.resize(key + 1, None);
        }
        if self.paths[key].is_none() {
            let local = to_local(self.origin);
            self.paths[key] =
                Path2d::new_with_path_string(&path_data(geometry, Some(&local), 2)).ok();
        }
        self.paths[key].clone()
    }

    fn line_path(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiLineString<f64>,
    ) -> Option<Path2d> {
        let key = index * LODS + lod;
        if key >= self.line_paths.len() {
            self.line_paths.resize(key + 1, None);
        }
        if self.line_paths[key].is_none() {
            let local = to_local(self.origin);
            self.line_paths[key] =
                Path2d::new_with_path_string(&line_path_data(geometry, Some(&local), 2)).ok();
        }
        self.line_paths[key].clone()
    }

    /// Starts a path through `points` (screen pixels), not closed.
    fn trace(&self, points: &[[f64; 2]]) {
        self.ctx.begin_path();
        for (k, p) in points.iter().enumerate() {
            if k == 0 {
                self.ctx.move_to(p[0], p[1])
            } else {
                self.ctx.line_to(p[0], p[1])
            }
        }
    }

    fn font(&self, size: f64, bold: bool) -> String {
        format!(
            "{}{size:.1}px {}",
            if bold { "bold " } else { "" },
            self.font_family
        )
    }

    fn screen(&self) {
        let _ = self
            .ctx
            .set_transform(self.dpr, 0.0, 0.0, self.dpr, 0.0, 0.0);
    }
}

fn css(c: Color) -> String {
    c.to_string()
}

impl CanvasSurface {
    /// Measures each of `texts` not measured yet, at `size` (the font set once for all: a
    /// streamed plan's names, batch by batch).
    #[cfg_attr(not(feature = "exports"), allow(dead_code))]
    pub(crate) fn measure<'a>(&self, texts: impl Iterator<Item = &'a str>, size: f64) {
        let mut font_set = false;
        for text in texts {
            if text.is_empty() || self.widths.borrow().contains_key(text) {
                continue;
            }
            if !font_set {
                self.ctx.set_font(&self.font(size, true));
                font_set = true;
            }
            self.measure_now(text, size);
        }
    }

    /// Width per pixel of font size of `text` measured at `size` in the font already set, kept.
    fn measure_now(&self, text: &str, size: f64) -> f64 {
        // The size the font string says (`font` writes a tenth of a pixel).
        let size = (size * 10.0).round() / 10.0;
        let per_px = match self.ctx.measure_text(text) {
            Ok(m) if size > 0.0 => m.width() / size,
            _ => crate::geom::EstimateText.width(text, 1.0),
        };
        self.widths.borrow_mut().insert(text.to_owned(), per_px);
        per_px
    }
}

impl MeasureText for CanvasSurface {
    fn width(&self, text: &str, size: f64) -> f64 {
        let cached = self.widths.borrow().get(text).copied();
        let per_px = cached.unwrap_or_else(|| {
            self.ctx.set_font(&self.font(size, true));
            self.measure_now(text, size)
        });
        per_px * size
    }
}

impl Surface for CanvasSurface {
    fn begin(&mut self, size: [f64; 2], background: Color) {
        self.frame = self.frame.wrapping_add(1);
        self.screen();
        self.ctx.set_fill_style_str(&css(background));
        self.ctx.fill_rect(0.0, 0.0, size[0], size[1]);
        // Miter joins (limit 2: sharp corners bevel, so jagged borders get no spikes): round joins
        // cost a third more raster time on 60,000-vertex city outlines (`cargo xtask bench`).
        self.ctx.set_line_join("miter");
        self.ctx.set_miter_limit(2.0);
    }

    fn fill(
        &mut self,
        indices: &[usize],
        lod: usize,
        outline: &dyn Fn() -> MultiPolygon<f64>,
        t: &[f64; 6],
        paint: &Paint,
    ) {
        let key = (FILLS, lod, indices.to_vec());
        let path = match self.reuse(&key) {
            Some(p) => p,
            None => {
                let local = to_local(self.origin);
                let Ok(p) = Path2d::new_with_path_string(&path_data(&outline(), Some(&local), 2))
                else {
                    return;
                };
                self.batches.insert(key, (p.clone(), self.frame));
                p
            }
        };
        // The outline's rings run so a nonzero fill paints them (`ProjectedPlan::outline`).
        self.fill_path(&path, t, paint, CanvasWindingRule::Nonzero);
    }

    fn borders(
        &mut self,
        arcs: &[usize],
        lod: usize,
        geometries: &[&LineString<f64>],
        t: &[f64; 6],
        style: &LineStyle,
    ) {
        // Solid opaque borders as hairlines side by side, each direction's runs with hairlines
        // across it (`render::brush`): the same line, a fraction of a true stroke's raster.
        let width = style.width * self.dpr;
        let solid = style.dash.is_none() && style.color.a >= 1.0;
        // (`brush` takes 1 hairline a device pixel, up to MOST_HAIRLINES.)
        if solid && width > 0.0 && width <= MOST_HAIRLINES as f64 {
            let s = t[0].abs().max(1e-12);
            self.ctx.set_stroke_style_str(&css(style.color));
            // Just under a device pixel, so rounding never makes it a (slow) stroke.
            self.ctx.set_line_width(0.99 / (s * self.dpr));
            self.write_direction_batches(arcs, lod, geometries);
            for d in 0..DIRECTIONS {
                let slot = 1 + d;
                let Some(path) = self.joined((slot, lod, arcs.to_vec()), |s, k| {
                    s.arc_path(arcs[k], lod, slot, geometries[k])
                }) else {
                    continue;
                };
                let Some((n, [sx, sy])) = brush(width, d, t) else {
                    continue;
                };
                let mid = (n - 1) as f64 / 2.0;
                for k in 0..n {
                    let at = (k as f64 - mid) / self.dpr;
                    let shifted = [t[0], t[1], t[2], t[3], t[4] + at * sx, t[5] + at * sy];
                    self.set_local_transform(&shifted);
                    self.ctx.stroke_with_path(&path);
                }
            }
            return;
        }
        let Some(path) = self.joined((0, lod, arcs.to_vec()), |s, k| {
            s.arc_path(arcs[k], lod, 0, geometries[k])
        }) else {
            return;
        };
        self.stroke_path(&path, t, style.color, style.width, style.dash);
    }

    fn area(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiPolygon<f64>,
        t: &[f64; 6],
        style: &AreaStyle,
    ) {
        let Some(path) = self.path(index, lod, geometry) else {
            return;
        };
        self.fill_path(&path, t, &style.fill, CanvasWindingRule::Evenodd);
        if let Some(col) = style.stroke {
            let dash = style.dashed.then_some([6.0, 4.0]);
            self.stroke_path(&path, t, col, style.stroke_width, dash);
        }
    }

    fn line(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiLineString<f64>,
        t: &[f64; 6],
        style: &LineStyle,
        _: Option<&str>,
    ) {
        let Some(path) = self.line_path(index, lod, geometry) else {
            return;
        };
        self.set_local_transform(t);
        // Widths and dashes are in user space, which is metres here: divide by the scale,
        // so a line is as wide at every zoom.
        let s = t[0].abs().max(1e-12);
        self.ctx.set_stroke_style_str(&css(style.color));
        self.ctx.set_line_width(style.width / s);
        let dash = match style.dash {
            Some([on, off]) => js_sys::Array::of2(&JsValue::from(on / s), &JsValue::from(off / s)),
            None => js_sys::Array::new(),
        };
        let _ = self.ctx.set_line_dash(&dash);
        self.ctx.set_line_join("round");
        self.ctx.set_line_cap("round");
        self.ctx.stroke_with_path(&path);
        self.ctx.set_line_join("miter");
        self.ctx.set_line_cap("butt");
        let _ = self.ctx.set_line_dash(&js_sys::Array::new());
        self.screen();
    }

    fn marker(
        &mut self,
        at: [f64; 2],
        symbol: Symbol,
        radius: f64,
        fill: Color,
        stroke: Color,
        stroke_width: f64,
    ) {
        self.screen();
        self.ctx.begin_path();
        if symbol == Symbol::Circle {
            let _ = self
                .ctx
                .arc(at[0], at[1], radius, 0.0, std::f64::consts::TAU);
        } else {
            self.trace(&symbol.outline(at, radius));
            self.ctx.close_path();
        }
        if fill.a > 0.0 {
            self.ctx.set_fill_style_str(&css(fill));
            self.ctx.fill();
        }
        self.ctx.set_stroke_style_str(&css(stroke));
        self.ctx.set_line_width(stroke_width);
        self.ctx.stroke();
    }

    fn text(
        &mut self,
        at: [f64; 2],
        text: &str,
        size: f64,
        color: Color,
        halo: Option<Color>,
        bold: bool,
        align: Align,
    ) {
        let font = self.font(size, bold);
        let align = match align {
            Align::Start => "left",
            Align::Center => "center",
            Align::End => "right",
        };
        #[cfg(feature = "exports")]
        if let Some(p) = &self.labels {
            let halo = halo.map_or(String::new(), css);
            let [x, y] = at;
            p.paint(
                &self.ctx,
                text,
                &font,
                &css(color),
                &halo,
                align,
                x,
                y,
                self.dpr,
            );
        }
        #[cfg(not(feature = "exports"))]
        {
            self.screen();
            self.ctx.set_font(&font);
            self.ctx.set_text_align(align);
            self.ctx.set_text_baseline("middle");
            if let Some(h) = halo {
                self.ctx.set_stroke_style_str(&css(h));
                self.ctx.set_line_width(3.5);
                let _ = self.ctx.stroke_text(text, at[0], at[1]);
            }
            self.ctx.set_fill_style_str(&css(color));
            let _ = self.ctx.fill_text(text, at[0], at[1]);
        }
    }

    fn tile(&mut self, layer: u8, tile: TileId, src: [f64; 4], dst: Bounds) {
        let Some(img) = self.tiles.get(&(layer, tile)) else {
            return;
        };
        let (w, h) = (
            f64::from(img.natural_width()),
            f64::from(img.natural_height()),
        );
        if w < 1.0 || h < 1.0 {
            return;
        }
        // Edges snapped to device pixels, so neighbouring tiles meet without a hairline seam.
        let k = self.dpr;
        let [x0, y0] = [(dst.min[0] * k).round(), (dst.min[1] * k).round()];
        let [x1, y1] = [(dst.max[0] * k).round(), (dst.max[1] * k).round()];
        let _ = self.ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        let _ = self
            .ctx
            .draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                img,
                src[0] * w,
                src[1] * h,
                src[2] * w,
                src[3] * h,
                x0,
                y0,
                x1 - x0,
                y1 - y0,
            );
    }

    fn rect(&mut self, b: Bounds, fill: Color, stroke: Option<Color>) {
        self.screen();
        let [w, h] = b.size();
        self.ctx.set_fill_style_str(&css(fill));
        self.ctx.fill_rect(b.min[0], b.min[1], w, h);
        if let Some(s) = stroke {
            self.ctx.set_stroke_style_str(&css(s));
            self.ctx.set_line_width(1.0);
            self.ctx.stroke_rect(b.min[0], b.min[1], w, h);
        }
    }

    fn polyline(&mut self, points: &[[f64; 2]], color: Color, width: f64) {
        self.screen();
        self.trace(points);
        self.ctx.set_stroke_style_str(&css(color));
        self.ctx.set_line_width(width);
        self.ctx.stroke();
    }

    fn polygon(&mut self, points: &[[f64; 2]], fill: Color) {
        self.screen();
        self.trace(points);
        self.ctx.close_path();
        self.ctx.set_fill_style_str(&css(fill));
        self.ctx.fill();
    }

    fn end(&mut self) {
        let now = self.frame;
        self.batches
            .retain(|_, (_, at)| now.wrapping_sub(*at) < KEEP_FRAMES);
    }
}
