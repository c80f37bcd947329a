//! wasm-bindgen glue: the `PlanMap` class the `<plan-map>` element (www/planmap.js) drives.
//!
//! DOM listeners live in the element's JS, registered with one AbortController that
//! `destroy()` aborts, so Rust owns no `Closure` that could leak. Rust keeps the state and does
//! all drawing; JS forwards events and builds the accessible DOM from the JSON given here.

use super::canvas::CanvasSurface;
use crate::basemap::{Basemap, TileId, TileSource};
use crate::geom::Crs;
use crate::geom::{unproject, Hit};
use crate::map::PlanView;
use crate::plan::{self, Lang};
use crate::render::draw;
use crate::scene::ThemeName;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

mod stream;

/// Test hook: panics, so the browser tests can check the element's recovery.
#[wasm_bindgen(js_name = __testPanic)]
pub fn test_panic() {
    panic!("forced by __testPanic");
}

/// Test hook: allocates until memory runs out, so the browser tests can check the element's
/// recovery from an out-of-memory trap.
#[wasm_bindgen(js_name = __testOutOfMemory)]
pub fn test_out_of_memory() -> usize {
    super::trap::exhaust_memory()
}

/// `null` when `name` may be a layer file, else why it is refused.
#[wasm_bindgen(js_name = checkLayerPath)]
pub fn check_layer_path(name: &str) -> Option<String> {
    plan::check_layer_path(name).err()
}

/// One map on one canvas.
#[wasm_bindgen]
pub struct PlanMap {
    surface: CanvasSurface,
    map: Option<PlanView>,
    size: [f64; 2],
    theme: ThemeName,
    lang: Lang,
    overrides: crate::scene::Overrides,
    /// A plan being read as its bytes arrive (`beginFeed` … `finishFeed`).
    feed: Option<plan::PlanFeed>,
}

fn to_js(v: serde_json::Value) -> String {
    v.to_string()
}

#[wasm_bindgen]
impl PlanMap {
    /// Binds to `canvas`.
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<PlanMap, JsError> {
        let ctx = canvas
            .get_context("2d")
            .map_err(|_| JsError::new("canvas 2D context unavailable"))?
            .ok_or_else(|| JsError::new("canvas 2D context unavailable"))?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| JsError::new("canvas 2D context unavailable"))?;
        Ok(PlanMap {
            surface: CanvasSurface::new(ctx),
            map: None,
            size: [0.0, 0.0],
            theme: ThemeName::Light,
            lang: Lang::Zh,
            overrides: Default::default(),
            feed: None,
        })
    }

    /// Loads a plan: the entry file's name and text, and the layer files it names as a flat
    /// array `[name, text, name, text, …]`. Returns the warnings as JSON; throws the errors.
    pub fn load(&mut self, name: &str, text: &str, files: Vec<String>) -> Result<String, JsError> {
        let mut map = HashMap::new();
        for pair in files.chunks(2) {
            if let [k, v] = pair {
                map.insert(k.clone(), v.clone());
            }
        }
        let loaded = plan::load(name, text, &map).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(self.show(loaded, false))
    }

    /// Starts reading a plan as its bytes arrive: entry file `name` first (`feed` its bytes,
    /// then `endFile`, which names the layer files a manifest wants), then each layer
    /// (`beginFile`, `feed`, `endFile`), then `finishFeed`. The plan shown until then stays.
    /// `max_bytes` caps each file (a page's `max-size`; the default cap when absent).
    #[wasm_bindgen(js_name = beginFeed)]
    pub fn begin_feed(&mut self, name: &str, max_bytes: Option<f64>) {
        let max = max_bytes
            .filter(|m| m.is_finite() && *m > 0.0)
            .map_or(plan::MAX_FILE_BYTES, |m| {
                (m as usize).min(plan::MAX_FILE_BYTES)
            });
        self.feed = Some(plan::PlanFeed::with_limit(name, max));
    }

    /// The next bytes of the current file, as they arrive (any cut, even inside a character).
    /// Returns the features read so far in all files.
    pub fn feed(&mut self, bytes: &[u8]) -> u32 {
        self.feed.as_mut().map_or(0, |f| f.feed(bytes) as u32)
    }

    /// `true` once the current file cannot load whatever follows (too big, not UTF-8, broken
    /// JSON): its download may stop, if the message need not name the file's full size or a
    /// bad byte further on (the element reads on, so its message is the validator's).
    #[wasm_bindgen(js_name = fileFailed)]
    pub fn file_failed(&self) -> bool {
        self.feed.as_ref().is_some_and(|f| f.file_failed())
    }

    /// Ends the current file. After the entry file: the layer files to feed next, in that
    /// order (each a relative path inside the manifest's folder). Throws, with the reason,
    /// when the entry file's bytes are no text planmap reads (too big, GBK, invalid UTF-8,
    /// UTF-16 without a byte order mark).
    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) -> Result<Vec<String>, JsError> {
        let Some(f) = self.feed.as_mut() else {
            return Ok(Vec::new());
        };
        let names = f.end_file();
        match f.unreadable() {
            Some(m) => Err(JsError::new(m)),
            None => Ok(names),
        }
    }

    /// Starts layer file `name` (one `endFile` named; layers never begun are "not found").
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str) -> bool {
        self.feed.as_mut().is_some_and(|f| f.begin_file(name))
    }

    /// The current file's download failed (`message` says how): a layer is skipped with that
    /// warning, the entry file fails the load.
    #[wasm_bindgen(js_name = abortFile)]
    pub fn abort_file(&mut self, message: &str) {
        if let Some(f) = self.feed.as_mut() {
            f.abort_file(message);
        }
    }

    /// Ends the fed plan and shows it: the same result as `load` on the same files (the
    /// warnings as JSON; throws the errors).
    #[wasm_bindgen(js_name = finishFeed)]
    pub fn finish_feed(&mut self) -> Result<String, JsError> {
        let f = self
            .feed
            .take()
            .ok_or_else(|| JsError::new("nothing is being loaded"))?;
        let loaded = f.finish().map_err(|e| JsError::new(&e.to_string()))?;
        // The page's load: a large plan's label points come after its first frame
        // (`settleLabels`, issue 13).
        Ok(self.show(loaded, true))
    }

    /// Works out deferred label points for about `budget` outline vertices (at least one
    /// area's; none for 0); returns how many are left, so `settleLabels(0)` asks whether a
    /// frame was drawn with estimates (a large plan's first, issue 13). At 0 left, the next
    /// frame has the final labels.
    #[wasm_bindgen(js_name = settleLabels)]
    pub fn settle_labels(&self, budget: u32) -> u32 {
        self.map.as_ref().map_or(0, |m| {
            m.settle_labels(budget as usize).min(u32::MAX as usize) as u32
        })
    }

    /// Makes `loaded` the map's plan, its label points deferred when `defer`
    /// ([`PlanView::first_paint`]); returns its warnings as JSON.
    fn show(&mut self, loaded: plan::Loaded, defer: bool) -> String {
        let warnings: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        self.show_view(PlanView::shown(loaded, self.size, defer));
        to_js(serde_json::json!(warnings))
    }
}

impl PlanMap {
    /// Puts a loaded plan on the canvas, with the theme, language, style and basemap set
    /// before it came.
    fn show_view(&mut self, mut pv: PlanView) {
        pv.view.theme = self.theme;
        pv.view.lang = self.lang;
        pv.view.overrides = self.overrides.clone();
        pv.view.dpr = self.surface.dpr;
        // A basemap set before (or for a previous plan) stays, converted for this plan.
        pv.set_basemap(self.map.as_ref().and_then(|m| m.basemap.clone()));
        if pv.conversion().is_some() {
            pv.fit();
        }
        let origin = pv.proj.extent.center();
        self.surface.reset(pv.plan.areas.len(), origin);
        self.map = Some(pv);
    }
}

#[wasm_bindgen]
impl PlanMap {
    /// Follows the canvas' CSS size and device pixel ratio; sizes the backing store to match
    /// (plotters-canvas and the 2D context do not).
    pub fn resize(
        &mut self,
        width: f64,
        height: f64,
        dpr: f64,
        backing_width: u32,
        backing_height: u32,
    ) {
        self.size = [width.max(0.0), height.max(0.0)];
        // Draw at the scale the backing store really has, whatever the DPR claims, so the
        // picture always fills the canvas exactly.
        self.surface.dpr = if width >= 1.0 && backing_width > 0 {
            backing_width as f64 / width
        } else if dpr.is_finite() && dpr > 0.0 {
            dpr
        } else {
            1.0
        };
        if let Some(c) = self.surface.ctx.canvas() {
            c.set_width(backing_width);
            c.set_height(backing_height);
        }
        if let Some(m) = &mut self.map {
            m.view.dpr = self.surface.dpr;
            m.resize(self.size);
        }
    }

    /// Draws the current view now (the element calls it from requestAnimationFrame; tests and
    /// benchmarks call it directly). Returns false when there is nothing to draw yet.
    pub fn render(&mut self) -> bool {
        self.draw_frame(false)
    }

    /// Sets what draws the labels (the element's `labelPainter()`, `planmap-sprites.js`: an
    /// object with `paint(ctx, text, font, color, halo, align, x, y, dpr)`); none draws none.
    #[wasm_bindgen(js_name = setLabelPainter)]
    pub fn set_label_painter(&mut self, painter: Option<super::canvas::LabelPainter>) {
        self.surface.labels = painter;
    }

    /// Label texts of the current frame (for tests and the accessible summary).
    #[wasm_bindgen(js_name = labelTexts)]
    pub fn label_texts(&self) -> Vec<String> {
        self.map
            .as_ref()
            .map(|m| {
                m.scene(&self.surface)
                    .label_texts()
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Label texts of the export frame, footer included (for tests: what `toPNG` writes).
    #[wasm_bindgen(js_name = exportLabelTexts)]
    pub fn export_label_texts(&self) -> Vec<String> {
        self.map
            .as_ref()
            .map(|m| {
                m.export_scene(&self.surface)
                    .label_texts()
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Shows the whole plan.
    pub fn fit(&mut self) {
        if let Some(m) = &mut self.map {
            m.fit();
        }
    }

    /// Pans by a drag of `dx, dy` CSS pixels.
    #[wasm_bindgen(js_name = panBy)]
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        if let Some(m) = &mut self.map {
            m.pan_by(dx, dy);
        }
    }

    /// Zooms by `dz` levels about CSS pixel (x, y).
    #[wasm_bindgen(js_name = zoomAt)]
    pub fn zoom_at(&mut self, dz: f64, x: f64, y: f64) {
        if let Some(m) = &mut self.map {
            m.zoom_at(dz, [x, y]);
        }
    }

    /// The view as JSON `{center: [lon, lat], zoom}`.
    #[wasm_bindgen(js_name = getView)]
    pub fn get_view(&self) -> String {
        match &self.map {
            // In the plan's own system, whatever the basemap's: a page's saved view stays valid.
            Some(m) => to_js(
                serde_json::json!({"center": m.to_plan_lonlat(unproject(m.viewport().center)), "zoom": m.viewport().zoom}),
            ),
            None => "null".into(),
        }
    }

    /// Sets the view; clamped to the plan.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        if let Some(m) = &mut self.map {
            m.stop();
            if lon.is_finite() && lat.is_finite() {
                let shown = m.to_display_lonlat([lon, lat]);
                m.view.viewport.set_center_lonlat(shown);
            }
            if zoom.is_finite() {
                m.view.viewport.zoom = zoom;
            }
            m.clamp();
        }
    }

    /// The feature under CSS pixel (x, y) as JSON `{id, kind, name}` or `null`.
    pub fn pick(&self, x: f64, y: f64, radius: f64) -> String {
        match &self.map {
            Some(m) => match m.pick([x, y], radius) {
                Some(h) => feature_json(m, h),
                None => "null".into(),
            },
            None => "null".into(),
        }
    }

    /// Hover highlight at (x, y) (`NaN` clears). Returns the hovered feature as JSON
    /// `{id, kind, name}` or `null`: one hit test per pointer move serves both the highlight
    /// and the element's tooltip.
    #[wasm_bindgen(js_name = setHover)]
    pub fn set_hover(&mut self, x: f64, y: f64, radius: f64) -> String {
        let Some(m) = &mut self.map else {
            return "null".into();
        };
        let h = if x.is_finite() {
            m.pick([x, y], radius)
        } else {
            None
        };
        m.view.hovered = h;
        h.map_or("null".into(), |h| feature_json(m, h))
    }

    /// Selects feature `id` (`None` or an unknown id clears) and brings it into the free area
    /// (see `setCovered`): fitted to it with `zoom`, else moved only when outside it and zoomed
    /// out only when it does not fit. With `animate` the move waits for `ease(t)` calls (the
    /// element's animation frames); without, it happens at once. Returns `{id, kind, name}`
    /// JSON of the selection or `null`.
    pub fn select(&mut self, id: Option<String>, zoom: bool, animate: bool) -> String {
        let Some(m) = &mut self.map else {
            return "null".into();
        };
        let hit = id.as_deref().and_then(|i| m.find(i));
        m.select(hit, zoom);
        if !animate {
            m.ease(1.0);
        }
        hit.map_or("null".into(), |h| feature_json(m, h))
    }

    /// Moves the easing a selection started to `t` (0 to 1, eased by the caller); false when
    /// there is none or it has finished.
    pub fn ease(&mut self, t: f64) -> bool {
        self.map.as_mut().is_some_and(|m| m.ease(t))
    }

    /// `true` while a selection's easing waits for `ease` calls.
    pub fn moving(&self) -> bool {
        self.map.as_ref().is_some_and(PlanView::moving)
    }

    /// Ends an easing where it is (the user took the map).
    pub fn stop(&mut self) {
        if let Some(m) = &mut self.map {
            m.stop();
        }
    }

    /// Sets the screen rectangles (CSS pixels, as flat `[x0, y0, x1, y1, …]`) that the element's
    /// bottom sheet, side panel or caption cover; selections, `fit` and the pan limits use the
    /// rest. The view does not move.
    #[wasm_bindgen(js_name = setCovered)]
    pub fn set_covered(&mut self, rects: Vec<f64>) {
        if let Some(m) = &mut self.map {
            m.set_covered(rects_of(&rects));
        }
    }

    /// Sets the screen rectangles (CSS pixels, as flat `[x0, y0, x1, y1, …]`) of the element's
    /// buttons, toggles and notes over the canvas: no label is placed under them.
    #[wasm_bindgen(js_name = setChrome)]
    pub fn set_chrome(&mut self, rects: Vec<f64>) {
        if let Some(m) = &mut self.map {
            m.set_chrome(rects_of(&rects));
        }
    }

    /// The free area as JSON `[x0, y0, x1, y1]` (CSS pixels), or `null` before a plan.
    #[wasm_bindgen(js_name = freeArea)]
    pub fn free_area(&self) -> String {
        match &self.map {
            Some(m) => {
                let f = m.free_area();
                to_js(serde_json::json!([f.min[0], f.min[1], f.max[0], f.max[1]]))
            }
            None => "null".into(),
        }
    }

    /// A feature's bounding box on screen as JSON `[x0, y0, x1, y1]` (CSS pixels), or `null`.
    #[wasm_bindgen(js_name = screenBox)]
    pub fn screen_box(&self, id: &str) -> String {
        let Some(m) = &self.map else {
            return "null".into();
        };
        match m.find(id) {
            Some(h) => {
                let b = m.bounds_of(h);
                let a = m.viewport().to_screen(b.min);
                let c = m.viewport().to_screen(b.max);
                to_js(serde_json::json!([
                    a[0].min(c[0]),
                    a[1].min(c[1]),
                    a[0].max(c[0]),
                    a[1].max(c[1])
                ]))
            }
            None => "null".into(),
        }
    }

    /// Moves keyboard focus (Tab / Shift+Tab). Returns the focused feature's JSON, or `null`
    /// when focus leaves the list.
    #[wasm_bindgen(js_name = focusStep)]
    pub fn focus_step(&mut self, forward: bool) -> String {
        let Some(m) = &mut self.map else {
            return "null".into();
        };
        match m.focus_step(forward) {
            Some(h) => feature_json(m, h),
            None => "null".into(),
        }
    }

    /// Sets keyboard focus to feature `id` (or clears it).
    #[wasm_bindgen(js_name = setFocus)]
    pub fn set_focus(&mut self, id: Option<String>) {
        if let Some(m) = &mut self.map {
            m.view.focused = id.as_deref().and_then(|i| m.find(i));
        }
    }

    /// The focused feature's id.
    #[wasm_bindgen(js_name = focusedId)]
    pub fn focused_id(&self) -> Option<String> {
        let m = self.map.as_ref()?;
        m.view.focused.map(|h| m.describe(h).id)
    }

    /// The screen position (CSS pixels) of a feature's anchor, as JSON `[x, y]` or `null`.
    #[wasm_bindgen(js_name = screenPoint)]
    pub fn screen_point(&self, id: &str) -> String {
        let Some(m) = &self.map else {
            return "null".into();
        };
        match m.find(id) {
            Some(h) => to_js(serde_json::json!(m.viewport().to_screen(m.anchor(h)))),
            None => "null".into(),
        }
    }

    /// Sets the theme: `light`, `dark` or `contrast`.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, theme: &str) {
        self.theme = ThemeName::parse(theme);
        if let Some(m) = &mut self.map {
            m.view.theme = self.theme;
        }
    }

    /// Applies the page's CSS custom properties (as the element reads them): a font list for
    /// labels and colours over the theme's. Empty or unreadable values keep the theme's.
    #[wasm_bindgen(js_name = setStyle)]
    pub fn set_style(&mut self, font: &str, background: &str, text: &str, zones: &str) {
        let font = font.trim();
        self.surface.set_font_family(if font.is_empty() {
            crate::render::FONT_FAMILY
        } else {
            font
        });
        self.overrides = crate::scene::Overrides {
            background: crate::scene::Color::parse_css(background),
            text: crate::scene::Color::parse_css(text),
            zones: zones
                .split(',')
                .filter_map(crate::scene::Color::parse_css)
                .collect(),
        };
        if let Some(m) = &mut self.map {
            m.view.overrides = self.overrides.clone();
        }
    }

    /// Sets the language: `zh-CN` or `en`.
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: &str) {
        self.lang = Lang::from_tag(lang);
        if let Some(m) = &mut self.map {
            m.view.lang = self.lang;
        }
    }

    /// Colours areas by indicator `id` (`None` clears).
    #[wasm_bindgen(js_name = setIndicator)]
    pub fn set_indicator(&mut self, id: Option<String>) {
        if let Some(m) = &mut self.map {
            m.view.indicator = id.filter(|s| !s.is_empty());
        }
    }

    /// Shows values of `year` (0: the latest values). The colours start from the previous
    /// year's; `setBlend` moves them (the element animates it, or jumps to 1 when the user
    /// prefers reduced motion).
    #[wasm_bindgen(js_name = setYear)]
    pub fn set_year(&mut self, year: i32) {
        if let Some(m) = &mut self.map {
            let new = (year != 0).then_some(year);
            if new != m.view.year {
                m.view.year_from = m.view.year;
                m.view.year = new;
                m.view.blend = 0.0;
            }
        }
    }

    /// How far the colours have moved to the new year, 0 to 1.
    #[wasm_bindgen(js_name = setBlend)]
    pub fn set_blend(&mut self, t: f64) {
        if let Some(m) = &mut self.map {
            m.view.blend = if t.is_finite() {
                t.clamp(0.0, 1.0)
            } else {
                1.0
            };
        }
    }

    /// Shows or hides a layer: `zones`, a category id, or `status:<status>`.
    #[wasm_bindgen(js_name = setLayerVisible)]
    pub fn set_layer_visible(&mut self, key: &str, visible: bool) {
        if let Some(m) = &mut self.map {
            m.view.hidden.retain(|h| h != key);
            if !visible {
                m.view.hidden.push(key.to_owned());
            }
        }
    }

    /// Hatches zones as well as colouring them.
    #[wasm_bindgen(js_name = setPatterns)]
    pub fn set_patterns(&mut self, on: bool) {
        if let Some(m) = &mut self.map {
            m.view.patterns = on;
        }
    }

    /// The plan's features, categories and indicators as JSON.
    pub fn features(&self) -> String {
        self.map
            .as_ref()
            .map_or("null".into(), |m| m.features_json())
    }

    /// Details of feature `id` as JSON, or `null`.
    pub fn details(&self, id: &str) -> String {
        let Some(m) = &self.map else {
            return "null".into();
        };
        m.find(id).map_or("null".into(), |h| m.details_json(h))
    }

    /// The colour scale of the choropleth now shown, JSON `{min, max, stops: [css], unit}`, or
    /// `null` when no area has a value.
    #[wasm_bindgen(js_name = legendScale)]
    pub fn legend_scale(&self) -> String {
        let Some(m) = &self.map else {
            return "null".into();
        };
        let Some(id) = &m.view.indicator else {
            return "null".into();
        };
        let Some((lo, hi)) = crate::scene::value_range(&m.plan, id, m.view.year) else {
            return "null".into();
        };
        let stops: Vec<String> = (0..5)
            .map(|k| crate::scene::sequential(k as f64 / 4.0).to_string())
            .collect();
        let unit = m
            .plan
            .indicator(id)
            .map(|d| d.unit.get(m.view.lang).to_owned())
            .unwrap_or_default();
        to_js(serde_json::json!({"min": lo, "max": hi, "stops": stops, "unit": unit}))
    }

    /// Indicators (or, for a bare GeoJSON, numeric properties) that colour at least one area,
    /// JSON `[{id, name}]`, for the choropleth control.
    #[wasm_bindgen(js_name = colourable)]
    pub fn colourable(&self) -> String {
        let Some(m) = &self.map else {
            return "[]".into();
        };
        let mut out: Vec<serde_json::Value> = Vec::new();
        for d in &m.plan.indicators {
            if crate::scene::value_range(&m.plan, &d.id, None).is_some() {
                out.push(serde_json::json!({"id": d.id, "name": d.name.get(m.view.lang)}));
            }
        }
        // First-seen order, one hash look-up per property: linear however many areas.
        let mut props: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for a in &m.plan.areas {
            for (k, _) in &a.numbers {
                if seen.insert(k.as_str()) {
                    props.push(k);
                }
            }
        }
        out.extend(
            props
                .into_iter()
                .map(|p| serde_json::json!({"id": p, "name": p})),
        );
        to_js(serde_json::json!(out))
    }

    /// The current view as an SVG document with title, legend and credits.
    #[wasm_bindgen(js_name = toSVG)]
    pub fn to_svg(&self) -> String {
        self.map
            .as_ref()
            .map(|m| m.to_svg(&self.surface))
            .unwrap_or_default()
    }

    /// Draws the export frame (title, legend, credits) on this canvas; the element uses it on
    /// an offscreen canvas for `toPNG`.
    #[wasm_bindgen(js_name = renderExport)]
    pub fn render_export(&mut self) -> bool {
        self.draw_frame(true)
    }

    /// Draws the export frame (title, legend, credits) of the current view on another canvas
    /// at `width`×`height` CSS pixels and `dpr` (`toPNG`), lending it this map's plan for the
    /// one frame: a streamed national plan's text is not kept to load a second copy from, and
    /// a second copy would double its memory. This map's canvas, caches and view are as they
    /// were afterwards. False when there is no plan or nothing to draw.
    #[wasm_bindgen(js_name = renderExportOn)]
    pub fn render_export_on(
        &mut self,
        canvas: HtmlCanvasElement,
        width: f64,
        height: f64,
        dpr: f64,
        backing_width: u32,
        backing_height: u32,
    ) -> Result<bool, JsError> {
        let Some(m) = &self.map else {
            return Ok(false);
        };
        let view = m.view.clone();
        let (areas, origin) = (m.plan.areas.len(), m.proj.extent.center());
        let mut other = PlanMap::new(canvas)?;
        other.resize(width, height, dpr, backing_width, backing_height);
        other.surface.reset(areas, origin);
        other.surface.tiles = self.surface.tiles.clone();
        other.surface.labels = self.surface.labels.clone();
        std::mem::swap(&mut self.surface, &mut other.surface);
        let size = std::mem::replace(&mut self.size, other.size);
        if let Some(m) = &mut self.map {
            m.view.viewport.size = self.size;
        }
        let drawn = self.draw_frame(true);
        std::mem::swap(&mut self.surface, &mut other.surface);
        self.size = size;
        if let Some(m) = &mut self.map {
            m.view = view;
        }
        Ok(drawn)
    }

    /// Puts a basemap under the plan: `crs` of its tiles (`wgs84` or `gcj02`), its number of
    /// layers, zoom range, whether it has @2x tiles, its credit and 审图号. The plan is
    /// converted once into the tiles' system when they differ. Tiles come from the element's
    /// loader (`wantedTiles`, `tileLoaded`, `tileFailed`).
    #[wasm_bindgen(js_name = setBasemap)]
    #[allow(clippy::too_many_arguments)]
    pub fn set_basemap(
        &mut self,
        crs: &str,
        layers: u8,
        min_zoom: u8,
        max_zoom: u8,
        retina: bool,
        credit: &str,
        review_number: &str,
    ) {
        let mut b = Basemap::new(
            TileSource {
                min_zoom: min_zoom.min(max_zoom),
                max_zoom,
                retina,
            },
            layers,
            Crs::parse(crs).unwrap_or(Crs::Wgs84),
        );
        b.credit = credit.to_owned();
        b.review_number = review_number.to_owned();
        self.surface.tiles.clear();
        if let Some(m) = &mut self.map {
            m.set_basemap(Some(b));
            let origin = m.proj.extent.center();
            self.surface.reset(m.plan.areas.len(), origin);
        }
    }

    /// Takes the basemap away: the plan goes back to its own coordinates.
    #[wasm_bindgen(js_name = clearBasemap)]
    pub fn clear_basemap(&mut self) {
        self.surface.tiles.clear();
        if let Some(m) = &mut self.map {
            if m.basemap.is_some() {
                m.set_basemap(None);
                let origin = m.proj.extent.center();
                self.surface.reset(m.plan.areas.len(), origin);
            }
        }
    }

    /// Shows or hides the basemap (the legend's toggle).
    #[wasm_bindgen(js_name = setBasemapVisible)]
    pub fn set_basemap_visible(&mut self, on: bool) {
        if let Some(m) = &mut self.map {
            m.show_basemap(on);
        }
    }

    /// The tiles the current view needs and has not got, centre first, as JSON
    /// `[[layer, z, x, y], …]`.
    #[wasm_bindgen(js_name = wantedTiles)]
    pub fn wanted_tiles(&self) -> String {
        let Some(m) = &self.map else {
            return "[]".into();
        };
        let v: Vec<[u32; 4]> = m
            .wanted_tiles()
            .into_iter()
            .map(|(l, t)| [u32::from(l), u32::from(t.z), t.x, t.y])
            .collect();
        to_js(serde_json::json!(v))
    }

    /// Hands over a loaded tile; `cors` says whether it was fetched with CORS (readable back).
    /// Returns how many tiles the memory cap evicted.
    #[wasm_bindgen(js_name = tileLoaded)]
    pub fn tile_loaded(
        &mut self,
        layer: u8,
        z: u8,
        x: u32,
        y: u32,
        img: HtmlImageElement,
        cors: bool,
    ) -> u32 {
        let Some(b) = self.map.as_mut().and_then(|m| m.basemap.as_mut()) else {
            return 0;
        };
        let key = (layer, TileId { z, x, y });
        let bytes = (img.natural_width() as usize) * (img.natural_height() as usize) * 4;
        let evicted = b.loaded(key, bytes.max(1), cors);
        self.surface.tiles.insert(key, img);
        for k in &evicted {
            self.surface.tiles.remove(k);
        }
        evicted.len() as u32
    }

    /// A tile failed (404, timeout, blocked): a quiet gap, not asked for again.
    #[wasm_bindgen(js_name = tileFailed)]
    pub fn tile_failed(&mut self, layer: u8, z: u8, x: u32, y: u32) {
        if let Some(b) = self.map.as_mut().and_then(|m| m.basemap.as_mut()) {
            b.failed((layer, TileId { z, x, y }));
        }
    }

    /// Tiles held in memory (for tests of the cap).
    #[wasm_bindgen(js_name = tilesHeld)]
    pub fn tiles_held(&self) -> u32 {
        self.surface.tiles.len() as u32
    }

    /// The basemap's credit line in the map's language (`底图：… · 审图号：…`), empty without one.
    #[wasm_bindgen(js_name = basemapCredit)]
    pub fn basemap_credit(&self) -> String {
        self.map
            .as_ref()
            .and_then(|m| {
                m.basemap
                    .as_ref()
                    .map(|b| crate::map::basemap_credit(m.view.lang, b))
            })
            .unwrap_or_default()
    }
}

impl PlanMap {
    /// Draws the map's frame, or the export frame with title, legend and credits; false when
    /// there is no plan or no size yet.
    fn draw_frame(&mut self, export: bool) -> bool {
        let Some(m) = &self.map else { return false };
        if self.size[0] < 1.0 || self.size[1] < 1.0 {
            return false;
        }
        let scene = if export {
            m.export_scene(&self.surface)
        } else {
            m.scene(&self.surface)
        };
        draw(&scene, &m.proj, &mut self.surface);
        if let Some(b) = self.map.as_mut().and_then(|m| m.basemap.as_mut()) {
            b.touch(&scene.items);
        }
        true
    }
}

fn feature_json(m: &PlanView, h: Hit) -> String {
    let f = m.describe(h);
    to_js(serde_json::json!({"id": f.id, "kind": f.kind, "name": f.name}))
}

/// Rectangles from the flat `[x0, y0, x1, y1, …]` the element sends (any corner order; any
/// with a non-finite number left out).
fn rects_of(flat: &[f64]) -> Vec<crate::geom::Bounds> {
    flat.chunks_exact(4)
        .filter(|r| r.iter().all(|v| v.is_finite()))
        .map(|r| crate::geom::Bounds {
            min: [r[0].min(r[2]), r[1].min(r[3])],
            max: [r[0].max(r[2]), r[1].max(r[3])],
        })
        .collect()
}
