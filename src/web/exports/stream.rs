//! Large files, streamed (issue 13): `FeatureStream` reads the bytes as they arrive (in the
//! worker, www/planmap-worker.js, or on the page where no worker can run) and hands out
//! batches; `StreamedPlan` takes the batches on the page, each a short task; `loadStreamed`
//! shows the result. See `plan::stream` and `plan::batch`.

use super::{to_js, PlanMap};
use crate::geom::{prepare_with_outline, ProjectedPlan, StreamedAreas};
use crate::map::PlanView;
use crate::plan::batch::{self, Prepared};
use crate::plan::{self, Area, AreaRole, LineFeature, Loaded, Plan, PointFeature};
use wasm_bindgen::prelude::*;

/// Why a file of `len` bytes is refused under a cap of `max` bytes (a page's `max-size`), or
/// `undefined`: the loader's wording.
#[wasm_bindgen(js_name = sizeRefusal)]
pub fn size_refusal(len: f64, max: f64) -> Option<String> {
    plan::size_refusal(len.max(0.0) as usize, max.max(0.0) as usize)
}

/// A file read as its bytes arrive (the core's `PlanFeed`), its features handed out in
/// batches.
#[wasm_bindgen(js_name = FeatureStream)]
pub struct WebFeatureStream {
    inner: Option<plan::PlanFeed>,
    /// Batches hold the features only, for a second worker's `prepareBatch` (the two-worker
    /// pipeline: parse and prepare overlap).
    raw: bool,
}

#[wasm_bindgen(js_class = FeatureStream)]
impl WebFeatureStream {
    /// A stream for file `name` (as messages name it), refused past `max_bytes`; with `raw`
    /// its batches are not prepared (see `prepareBatch`).
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, max_bytes: f64, raw: bool) -> WebFeatureStream {
        let max = if max_bytes.is_finite() && max_bytes > 0.0 {
            max_bytes.min(plan::MAX_FILE_BYTES as f64) as usize
        } else {
            plan::MAX_FILE_BYTES
        };
        WebFeatureStream {
            inner: Some(plan::PlanFeed::with_limit(name, max)),
            raw,
        }
    }

    /// Reads the next bytes of the file. Returns `true` once the file cannot load whatever
    /// follows (too big, not UTF-8, broken JSON): the download may stop.
    pub fn feed(&mut self, chunk: &[u8]) -> bool {
        self.inner.as_mut().is_some_and(|f| {
            f.feed(chunk);
            f.file_failed()
        })
    }

    /// Features read so far.
    #[wasm_bindgen(getter)]
    pub fn features(&self) -> u32 {
        self.inner.as_ref().map_or(0, |f| f.features_read() as u32)
    }

    /// The features read and not yet handed out, as one batch with each area's label point
    /// and coarse levels of detail worked out here (`geom::prepare`), once at least
    /// `min_positions` positions or `min_features` features wait; else nothing.
    #[wasm_bindgen(js_name = takeBatch)]
    pub fn take_batch(&mut self, min_positions: u32, min_features: u32) -> Option<Vec<u8>> {
        let f = self.inner.as_mut()?;
        let (features, positions) = f.waiting();
        if features == 0 || (positions < min_positions as usize && features < min_features as usize)
        {
            return None;
        }
        Some(encode(&f.take_pieces(), self.raw))
    }

    /// Ends the stream: JSON `{"warnings": […], "title", "crs", "batch"?}` (the last features
    /// in `lastBatch`), or `{"manifest": true}` when the file is a planmap manifest (the page
    /// loads it the usual way, its layers with it); throws when nothing can be shown.
    pub fn finish(&mut self) -> Result<String, JsError> {
        let mut f = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("the stream has ended"))?;
        if !f.end_file().is_empty() {
            return Ok(to_js(serde_json::json!({"manifest": true})));
        }
        // The last features, read when the file ended.
        let last = f.take_pieces();
        let loaded = f.finish().map_err(|e| JsError::new(&e.to_string()))?;
        let mut plan = loaded.plan;
        let mut rest = batch::Pieces {
            areas: std::mem::take(&mut plan.areas),
            lines: std::mem::take(&mut plan.lines),
            points: std::mem::take(&mut plan.points),
        };
        rest.areas.splice(0..0, last.areas);
        rest.lines.splice(0..0, last.lines);
        rest.points.splice(0..0, last.points);
        LAST.with(|l| *l.borrow_mut() = (!rest.is_empty()).then(|| encode(&rest, self.raw)));
        let w: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        Ok(to_js(serde_json::json!({
            "warnings": w,
            "title": plan.title.zh,
            "crs": plan.crs,
        })))
    }

    /// The last batch, after `finish` (the features read at the file's end, or a Feature or
    /// bare geometry read whole); nothing when none are left.
    #[wasm_bindgen(js_name = lastBatch)]
    pub fn last_batch(&mut self) -> Option<Vec<u8>> {
        LAST.with(|l| l.borrow_mut().take())
    }
}

thread_local! {
    /// `finish`'s last batch until `lastBatch` takes it.
    static LAST: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// `pieces` as one batch, with what is prepared for each area (its projected outline too,
/// as level 0), or with nothing prepared when `raw`.
fn encode(pieces: &batch::Pieces, raw: bool) -> Vec<u8> {
    let prepared: Vec<Prepared> = pieces
        .areas
        .iter()
        .map(|a| {
            if raw {
                Prepared::default()
            } else {
                prepare_with_outline(&a.geometry)
            }
        })
        .collect();
    batch::encode(pieces, &prepared)
}

/// A raw batch (`FeatureStream` made with `raw`) prepared as `takeBatch` prepares one: the
/// second worker of the two-worker pipeline calls this while the first parses on. The same
/// bytes as the one-worker path (decode and encode are exact).
#[wasm_bindgen(js_name = prepareBatch)]
pub fn prepare_batch(bytes: &[u8]) -> Result<Vec<u8>, JsError> {
    let (pieces, _) = batch::decode(bytes).map_err(|m| JsError::new(&m))?;
    Ok(encode(&pieces, false))
}

/// A streamed plan arriving on the page, batch by batch.
#[wasm_bindgen]
pub struct StreamedPlan {
    areas: Vec<Area>,
    lines: Vec<LineFeature>,
    points: Vec<PointFeature>,
    /// The areas' projection, put together as they come (`geom::StreamedAreas`).
    projected: StreamedAreas,
}

impl Default for StreamedPlan {
    fn default() -> Self {
        StreamedPlan::new()
    }
}

#[wasm_bindgen]
impl StreamedPlan {
    /// Nothing yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> StreamedPlan {
        StreamedPlan {
            areas: Vec::new(),
            lines: Vec::new(),
            points: Vec::new(),
            projected: StreamedAreas::default(),
        }
    }

    /// Takes one batch (`FeatureStream.takeBatch`), a short task: its areas come projected. Returns the number of features it held.
    pub fn ingest(&mut self, bytes: &[u8]) -> Result<u32, JsError> {
        let (pieces, prepared) = batch::decode(bytes).map_err(|m| JsError::new(&m))?;
        let n = pieces.areas.len() + pieces.lines.len() + pieces.points.len();
        for mut p in prepared {
            // The outline as the worker projected it (level 0; `takeBatch` always sends it).
            if p.levels.first().is_none_or(|l| l.0 != 0) {
                return Err(JsError::new(
                    "a feature batch without its projected outlines",
                ));
            }
            let outline = p.levels.remove(0).1;
            self.projected.push(outline, p);
        }
        self.areas.extend(pieces.areas);
        self.lines.extend(pieces.lines);
        self.points.extend(pieces.points);
        Ok(n as u32)
    }

    /// Features taken so far.
    #[wasm_bindgen(getter)]
    pub fn features(&self) -> u32 {
        (self.areas.len() + self.lines.len() + self.points.len()) as u32
    }
}

#[wasm_bindgen]
impl PlanMap {
    /// Shows a streamed plan: its batches (consumed), and from the `finish()` JSON of its
    /// stream its title, coordinate system and warnings. Returns the warnings as JSON.
    #[wasm_bindgen(js_name = loadStreamed)]
    pub fn load_streamed(
        &mut self,
        streamed: StreamedPlan,
        title: String,
        crs: String,
        warnings: Vec<String>,
    ) -> Result<String, JsError> {
        let plan = Plan {
            title: plan::Text::plain(title),
            crs,
            areas: streamed.areas,
            lines: streamed.lines,
            points: streamed.points,
            ..Plan::default()
        };
        let proj = ProjectedPlan::assembled(&plan, streamed.projected);
        let loaded = Loaded {
            plan,
            diagnostics: Vec::new(),
        };
        let mut pv = PlanView::with_projection(loaded, proj, self.size);
        pv.warnings = warnings.clone();
        self.show_view(pv);
        Ok(to_js(serde_json::json!(warnings)))
    }
}

#[wasm_bindgen]
impl PlanMap {
    /// Measures the names of `streamed`'s areas from the `from`th on, at the sizes the first
    /// frame will try them at ([`crate::scene::area_label_sizes`], in this map's language,
    /// theme and font), into the text-width cache the frames read; returns the areas taken so
    /// far (the next call's `from`). Called after each batch: a national map's first frame
    /// measured its 3,000 names (three sizes each) in one task, most of its time, and measured
    /// after the last batch they held it up by 0.3 s; between batches they cost the page
    /// ≈ 1 ms a batch while the workers parse on (issue 13). Each name is measured once, at its
    /// role's largest size, and the others are worked out from it.
    #[wasm_bindgen(js_name = measureNames)]
    pub fn measure_names(&self, streamed: &StreamedPlan, from: u32) -> u32 {
        let scale = crate::scene::Theme::of(self.theme).font_scale;
        // Each name once, at its role's largest size: the smaller ones are worked out from it
        // (`CanvasSurface::widths`).
        for role in [AreaRole::Zone, AreaRole::Area, AreaRole::Context] {
            let Some([size, ..]) = crate::scene::area_label_sizes(role, scale) else {
                continue;
            };
            let names = streamed.areas.iter().skip(from as usize);
            self.surface.measure(
                names
                    .filter(|a| a.role == role)
                    .map(|a| a.name.get(self.lang)),
                size,
            );
        }
        streamed.areas.len() as u32
    }
}
