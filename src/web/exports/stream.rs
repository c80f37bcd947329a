//! Large files, streamed (issue 13): `FeatureStream` reads the bytes as they arrive (in the
//! worker, www/planmap-worker.js, or on the page where no worker can run) and hands out
//! batches; `StreamedPlan` takes the batches on the page, each a short task; `loadStreamed`
//! shows the result. See `plan::stream` and `plan::batch`.

use super::{to_js, PlanMap};
use crate::geom::{prepare, project_area, ProjectedPlan};
use crate::map::PlanView;
use crate::plan::batch::{self, Prepared};
use crate::plan::{self, Area, Finished, LineFeature, Loaded, Plan, PointFeature};
use geo::MultiPolygon;
use wasm_bindgen::prelude::*;

/// Why a file of `len` bytes is refused under a cap of `max` bytes (a page's `max-size`), or
/// `undefined`: the loader's wording.
#[wasm_bindgen(js_name = sizeRefusal)]
pub fn size_refusal(len: f64, max: f64) -> Option<String> {
    plan::size_refusal(len.max(0.0) as usize, max.max(0.0) as usize)
}

/// A file read as its bytes arrive.
#[wasm_bindgen(js_name = FeatureStream)]
pub struct WebFeatureStream {
    inner: plan::FeatureStream,
    name: String,
}

#[wasm_bindgen(js_class = FeatureStream)]
impl WebFeatureStream {
    /// A stream for file `name` (as messages name it), refused past `max_bytes`.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, max_bytes: f64) -> WebFeatureStream {
        let max = if max_bytes.is_finite() && max_bytes > 0.0 {
            max_bytes.min(plan::MAX_FILE_BYTES as f64) as usize
        } else {
            plan::MAX_FILE_BYTES
        };
        WebFeatureStream {
            inner: plan::FeatureStream::new(name, max),
            name: name.to_owned(),
        }
    }

    /// Reads the next bytes of the file; throws when the file cannot be shown (`name: why`,
    /// as the loader says it).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.inner
            .feed(chunk)
            .map_err(|m| JsError::new(&format!("{}: {m}", self.name)))
    }

    /// Features read so far.
    #[wasm_bindgen(getter)]
    pub fn features(&self) -> u32 {
        self.inner.features() as u32
    }

    /// Positions (vertices) read so far.
    #[wasm_bindgen(getter)]
    pub fn positions(&self) -> f64 {
        self.inner.positions() as f64
    }

    /// The features read and not yet handed out, as one batch with each area's label point
    /// and coarse levels of detail worked out here (`geom::prepare`), once at least
    /// `min_positions` positions or `min_features` features wait; else nothing.
    #[wasm_bindgen(js_name = takeBatch)]
    pub fn take_batch(&mut self, min_positions: u32, min_features: u32) -> Option<Vec<u8>> {
        let (features, positions) = self.inner.waiting();
        if features == 0 || (positions < min_positions as usize && features < min_features as usize)
        {
            return None;
        }
        let pieces = self.inner.take();
        let prepared: Vec<Prepared> = pieces.areas.iter().map(|a| prepare(&a.geometry)).collect();
        Some(batch::encode(&pieces, &prepared))
    }

    /// Ends the stream: JSON `{"warnings": […]}`, or `{"manifest": true}` when the file is a
    /// planmap manifest (the page loads it the usual way); throws when nothing can be shown.
    /// Take the last batch after it.
    pub fn finish(&mut self) -> Result<String, JsError> {
        match self.inner.finish() {
            Ok(Finished::Plan { plan, warnings }) => {
                let w: Vec<String> = warnings.iter().map(ToString::to_string).collect();
                Ok(to_js(serde_json::json!({
                    "warnings": w,
                    "title": plan.title.zh,
                    "crs": plan.crs,
                })))
            }
            Ok(Finished::Manifest) => Ok(to_js(serde_json::json!({"manifest": true}))),
            Err(e) => Err(JsError::new(&e.to_string())),
        }
    }
}

/// A streamed plan arriving on the page, batch by batch.
#[wasm_bindgen]
pub struct StreamedPlan {
    areas: Vec<Area>,
    lines: Vec<LineFeature>,
    points: Vec<PointFeature>,
    projected: Vec<MultiPolygon<f64>>,
    prepared: Vec<Prepared>,
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
            projected: Vec::new(),
            prepared: Vec::new(),
        }
    }

    /// Takes one batch (`FeatureStream.takeBatch`): its areas are projected here, a short
    /// task. Returns the number of features it held.
    pub fn ingest(&mut self, bytes: &[u8]) -> Result<u32, JsError> {
        let (pieces, prepared) = batch::decode(bytes).map_err(|m| JsError::new(&m))?;
        let n = pieces.areas.len() + pieces.lines.len() + pieces.points.len();
        self.projected
            .extend(pieces.areas.iter().map(|a| project_area(&a.geometry)));
        self.prepared.extend(prepared);
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
        let proj = ProjectedPlan::assemble(&plan, streamed.projected, streamed.prepared);
        let loaded = Loaded {
            plan,
            diagnostics: Vec::new(),
        };
        let mut pv = PlanView::with_projection(loaded, proj, self.size);
        pv.warnings = warnings.clone();
        self.show(pv);
        Ok(to_js(serde_json::json!(warnings)))
    }
}

thread_local! {
    /// Label texts (and sizes) the next frame will measure, for `measureLabels`.
    static TO_MEASURE: std::cell::RefCell<Vec<(String, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Measures nothing: notes what a frame would measure (and answers with an estimate).
struct Recorder(std::cell::RefCell<Vec<(String, f64)>>);

impl crate::geom::MeasureText for Recorder {
    fn width(&self, text: &str, size: f64) -> f64 {
        self.0.borrow_mut().push((text.to_owned(), size));
        crate::geom::EstimateText.width(text, size)
    }
}

#[wasm_bindgen]
impl PlanMap {
    /// How many label texts the first frame will measure (noted for `measureLabels`): a
    /// national map's first frame measured 3,000 names in one task, most of its time, so a
    /// streamed load measures them beforehand, a slice per task.
    #[wasm_bindgen(js_name = labelsToMeasure)]
    pub fn labels_to_measure(&self) -> u32 {
        let Some(m) = &self.map else { return 0 };
        let rec = Recorder(Default::default());
        let _ = m.scene(&rec);
        let mut all = rec.0.into_inner();
        all.dedup();
        let n = all.len() as u32;
        TO_MEASURE.with(|t| *t.borrow_mut() = all);
        n
    }

    /// Measures up to `count` of the noted label texts into the text-width cache the frames
    /// read; returns how many are left.
    #[wasm_bindgen(js_name = measureLabels)]
    pub fn measure_labels(&self, count: u32) -> u32 {
        use crate::geom::MeasureText;
        TO_MEASURE.with(|t| {
            let mut t = t.borrow_mut();
            for _ in 0..count {
                let Some((text, size)) = t.pop() else { break };
                self.surface.width(&text, size);
            }
            t.len() as u32
        })
    }
}
