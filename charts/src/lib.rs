//! planmap's second wasm module: what a details panel and the data table need beyond the map
//! (plotters charts, progress bars, the rows and CSV of every figure). The map's first paint
//! needs none of it, so `<plan-map>` imports this module when a panel first shows a chart or
//! the table opens: the bundle a page loads up front stays small, and these cost one extra
//! request, once.
//!
//! It loads the plan itself, from the same files the element already fetched, with the same
//! loader, so nothing is passed between the modules but the files' text.

use planmap::chart;
use planmap::plan::{load, Area, Lang, Plan};
use planmap::scene::{Theme, ThemeName};
use std::collections::HashMap;

/// A plan loaded for the panel: its charts, progress bars and table.
#[derive(Debug)]
pub struct Extras {
    /// The plan.
    pub plan: Plan,
    /// Labels' language.
    pub lang: Lang,
    /// Colours.
    pub theme: Theme,
}

impl Extras {
    /// Loads the plan from its entry file and `[name, text, …]` layer files.
    pub fn load(
        name: &str,
        text: &str,
        files: &[String],
        lang: &str,
        theme: &str,
    ) -> Option<Extras> {
        let map: HashMap<String, String> = files
            .chunks(2)
            .filter_map(|p| {
                if let [k, v] = p {
                    Some((k.clone(), v.clone()))
                } else {
                    None
                }
            })
            .collect();
        let plan = load(name, text, &map).ok()?.plan;
        Some(Extras {
            plan,
            lang: Lang::from_tag(lang),
            theme: Theme::of(ThemeName::parse(theme)),
        })
    }

    /// The extras of a streamed plan, from the loaded map's list of its areas (`[id, name]`)
    /// instead of its text, which is not kept: a streamed file is always a bare GeoJSON, whose
    /// areas carry no indicator values, so ids and names are all the table and charts read.
    pub fn of_areas(title: &str, areas: &[(String, String)], lang: &str, theme: &str) -> Extras {
        let plan = Plan {
            title: planmap::plan::Text::plain(title.to_owned()),
            areas: areas
                .iter()
                .map(|(id, name)| Area {
                    id: id.clone(),
                    name: planmap::plan::Text::plain(name.clone()),
                    role: planmap::plan::AreaRole::Area,
                    geometry: geo::MultiPolygon(Vec::new()),
                    schematic: false,
                    values: Vec::new(),
                    facts: Vec::new(),
                    quote: None,
                    numbers: Vec::new(),
                    link: None,
                })
                .collect(),
            ..Plan::default()
        };
        Extras {
            plan,
            lang: Lang::from_tag(lang),
            theme: Theme::of(ThemeName::parse(theme)),
        }
    }

    /// The area with `id`.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.plan.area(id)
    }

    /// `{charts: [id], progress: [id]}`: which indicators of `area` get a bar chart (two values
    /// or more) and which a progress bar (a result and a comparable target).
    pub fn charts_of(&self, area: &str) -> serde_json::Value {
        let Some(a) = self.area(area) else {
            return serde_json::Value::Null;
        };
        let progress: Vec<&str> = self
            .plan
            .indicators
            .iter()
            .filter(|d| chart::progress_pair(a, d).is_some())
            .map(|d| d.id.as_str())
            .collect();
        serde_json::json!({"charts": chart::charted(a), "progress": progress})
    }
}

#[cfg(target_arch = "wasm32")]
#[allow(unreachable_pub)]
mod web {
    use super::Extras as Inner;
    use planmap::chart::{draw_chart, draw_progress, progress_pair, series, ChartStyle};
    use planmap::render::{Surface, SvgSurface};
    use planmap::web::canvas::CanvasSurface;
    use wasm_bindgen::prelude::*;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

    /// The panel's extras for one plan.
    #[wasm_bindgen]
    pub struct Extras(Inner);

    thread_local! {
        /// The trap the next call forces ("panic" or "oom"), armed by the test hook.
        static TRAP_ON_DRAW: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    }

    /// Test hook: the next call that draws or lists figures (`drawChart`, `drawProgress`,
    /// `chartSVG`, `valueRows`, `valuesCSV`) panics (`kind` "panic") or runs out of memory
    /// ("oom"), so the browser tests can check the element's recovery from a trap in this
    /// module where it would really happen: while a panel draws its charts, or the table fills.
    #[wasm_bindgen(js_name = __testTrapNextCall)]
    pub fn test_trap_next_call(kind: &str) {
        TRAP_ON_DRAW.with(|t| *t.borrow_mut() = Some(kind.to_owned()));
    }

    /// Springs the trap the test hook armed, if any.
    fn trap_if_armed() {
        match TRAP_ON_DRAW.with(|t| t.borrow_mut().take()).as_deref() {
            Some("oom") => {
                planmap::web::trap::exhaust_memory();
            }
            Some(_) => panic!("forced by __testTrapNextCall"),
            None => {}
        }
    }

    /// Two surfaces on one canvas: one draws, the other measures text (same fonts).
    fn surfaces(
        canvas: &HtmlCanvasElement,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> Option<(CanvasSurface, CanvasSurface)> {
        canvas.set_width((width * dpr).round().max(1.0) as u32);
        canvas.set_height((height * dpr).round().max(1.0) as u32);
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some((CanvasSurface::new(ctx.clone()), CanvasSurface::new(ctx)))
    }

    impl Extras {
        /// Sizes `canvas` for `width`×`height` CSS pixels at `dpr` and clears it: a surface to
        /// draw on, one to measure with, and the size in device pixels.
        fn prepare(
            &self,
            canvas: &HtmlCanvasElement,
            width: f64,
            height: f64,
            dpr: f64,
        ) -> Option<(CanvasSurface, CanvasSurface, [f64; 2])> {
            let (mut surface, measure) = surfaces(canvas, width, height, dpr)?;
            let size = [(width * dpr).round(), (height * dpr).round()];
            surface.begin(size, self.0.theme.background.alpha(0.0));
            Some((surface, measure, size))
        }
    }

    #[wasm_bindgen]
    impl Extras {
        /// Loads the plan from the files the element fetched (`files`: `[name, text, …]`).
        #[wasm_bindgen(constructor)]
        pub fn new(
            name: &str,
            text: &str,
            files: Vec<String>,
            lang: &str,
            theme: &str,
        ) -> Result<Extras, JsError> {
            Inner::load(name, text, &files, lang, theme)
                .map(Extras)
                .ok_or_else(|| JsError::new("the plan did not load"))
        }

        /// The extras of a streamed plan, from its title and its areas' ids and names (two
        /// arrays of one length): see `Extras::of_areas`.
        #[wasm_bindgen(js_name = ofAreas)]
        pub fn of_areas(
            title: &str,
            ids: Vec<String>,
            names: Vec<String>,
            lang: &str,
            theme: &str,
        ) -> Extras {
            let areas: Vec<(String, String)> = ids.into_iter().zip(names).collect();
            Extras(Inner::of_areas(title, &areas, lang, theme))
        }

        /// `{charts: [id], progress: [id]}` of area `area`, JSON.
        #[wasm_bindgen(js_name = chartsOf)]
        pub fn charts_of(&self, area: &str) -> String {
            self.0.charts_of(area).to_string()
        }

        /// Draws the bars of `indicator` on `area` into `canvas` of `width`×`height` CSS pixels
        /// at `dpr`, sizing its backing store. False when there is nothing to draw.
        #[wasm_bindgen(js_name = drawChart)]
        pub fn draw_chart(
            &self,
            canvas: HtmlCanvasElement,
            area: &str,
            indicator: &str,
            width: f64,
            height: f64,
            dpr: f64,
        ) -> bool {
            trap_if_armed();
            let Some(a) = self.0.area(area) else {
                return false;
            };
            let values = series(a, indicator);
            let Some((mut surface, measure, size)) = self.prepare(&canvas, width, height, dpr)
            else {
                return false;
            };
            draw_chart(
                &mut surface,
                &measure,
                size,
                [0.0, 0.0],
                &values,
                self.0.lang,
                &ChartStyle::of(&self.0.theme, dpr),
            );
            !values.is_empty()
        }

        /// Draws progress of `indicator` on `area` towards its target; false when the plan
        /// gives no comparable result and target.
        #[wasm_bindgen(js_name = drawProgress)]
        pub fn draw_progress(
            &self,
            canvas: HtmlCanvasElement,
            area: &str,
            indicator: &str,
            width: f64,
            height: f64,
            dpr: f64,
        ) -> bool {
            trap_if_armed();
            let (Some(a), Some(def)) = (self.0.area(area), self.0.plan.indicator(indicator)) else {
                return false;
            };
            let Some((latest, target)) = progress_pair(a, def) else {
                return false;
            };
            let Some((mut surface, _, size)) = self.prepare(&canvas, width, height, dpr) else {
                return false;
            };
            draw_progress(
                &mut surface,
                size,
                [0.0, 0.0],
                def,
                latest,
                target,
                self.0.lang,
                &ChartStyle::of(&self.0.theme, dpr),
            );
            true
        }

        /// The chart of `indicator` on `area` as an SVG document of `width`×`height`.
        #[wasm_bindgen(js_name = chartSVG)]
        pub fn chart_svg(&self, area: &str, indicator: &str, width: f64, height: f64) -> String {
            trap_if_armed();
            let Some(a) = self.0.area(area) else {
                return String::new();
            };
            let mut svg = SvgSurface::new();
            svg.begin([width, height], self.0.theme.background);
            draw_chart(
                &mut svg,
                &planmap::geom::EstimateText,
                [width, height],
                [0.0, 0.0],
                &series(a, indicator),
                self.0.lang,
                &ChartStyle::of(&self.0.theme, 1.0),
            );
            svg.finish()
        }

        /// Every figure of the plan as table rows, JSON.
        #[wasm_bindgen(js_name = valueRows)]
        pub fn value_rows(&self) -> String {
            trap_if_armed();
            serde_json::json!(planmap::table::rows(&self.0.plan, self.0.lang)).to_string()
        }

        /// The same rows as CSV, UTF-8 with a byte-order mark.
        #[wasm_bindgen(js_name = valuesCSV)]
        pub fn values_csv(&self) -> String {
            trap_if_armed();
            planmap::table::csv(
                &planmap::table::rows(&self.0.plan, self.0.lang),
                self.0.lang,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Extras;

    #[test]
    fn loads_the_default_plan_and_names_its_charts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/huanggu");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        let text = read("plan.json");
        let files: Vec<String> = planmap::plan::layer_files(&text)
            .into_iter()
            .flat_map(|f| [f.clone(), read(&f)])
            .collect();
        let e = Extras::load("plan.json", &text, &files, "zh-CN", "light").unwrap();
        let co = e.charts_of("huanggu");
        assert_eq!(
            co["progress"],
            serde_json::json!([
                "high_tech_enterprises",
                "carrier_area",
                "xinchuang_park_enterprises"
            ])
        );
        assert!(co["charts"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("high_tech_enterprises")));
    }
}
