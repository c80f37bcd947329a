//! planmap's chart module. The map's first paint does not need plotters, so charts live in a
//! second wasm module that `<plan-map>` imports when a details panel first shows one: the
//! bundle a page loads up front stays small, and a chart costs one extra request, once.
//!
//! Input is the JSON `PlanMap.chartData(area, indicator)` returns: the indicator's definition,
//! its values, the language and the theme.

use planmap::plan::{IndicatorDef, Lang, Value};
use planmap::scene::{Theme, ThemeName};
use serde::Deserialize;

/// What one chart needs.
#[derive(Debug, Deserialize)]
pub struct ChartData {
    /// The indicator.
    pub def: IndicatorDef,
    /// Its values on one area.
    pub values: Vec<Value>,
    /// `zh-CN` or `en`.
    pub lang: String,
    /// `light`, `dark` or `contrast`.
    pub theme: String,
}

impl ChartData {
    /// Parses `chartData` JSON.
    pub fn parse(json: &str) -> Option<ChartData> {
        serde_json::from_str(json).ok()
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        Lang::from_tag(&self.lang)
    }

    /// The theme's colours.
    pub fn theme(&self) -> Theme {
        Theme::of(ThemeName::parse(&self.theme))
    }

    /// The values in year order.
    pub fn series(&self) -> Vec<&Value> {
        planmap::chart::series_of(&self.values, &self.def.id)
    }
}

#[cfg(target_arch = "wasm32")]
#[allow(unreachable_pub)]
mod web {
    use super::ChartData;
    use planmap::chart::{draw_chart, draw_progress, ChartStyle};
    use planmap::render::{Surface, SvgSurface};
    use planmap::web::canvas::CanvasSurface;
    use wasm_bindgen::prelude::*;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

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

    /// Draws the bars of `data` (chartData JSON) into `canvas` of `width`×`height` CSS pixels
    /// at `dpr`, sizing its backing store. False when there is nothing to draw.
    #[wasm_bindgen(js_name = drawChart)]
    pub fn draw_chart_js(
        canvas: HtmlCanvasElement,
        data: &str,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> bool {
        let Some(d) = ChartData::parse(data) else {
            return false;
        };
        let Some((mut surface, measure)) = surfaces(&canvas, width, height, dpr) else {
            return false;
        };
        let size = [(width * dpr).round(), (height * dpr).round()];
        let theme = d.theme();
        surface.begin(size, theme.background.alpha(0.0));
        draw_chart(
            &mut surface,
            &measure,
            size,
            [0.0, 0.0],
            &d.def,
            &d.series(),
            d.lang(),
            &ChartStyle::of(&theme, dpr),
        );
        !d.values.is_empty()
    }

    /// Draws progress towards the target of `data` into `canvas`; false when the values give
    /// no comparable result and target.
    #[wasm_bindgen(js_name = drawProgress)]
    pub fn draw_progress_js(
        canvas: HtmlCanvasElement,
        data: &str,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> bool {
        let Some(d) = ChartData::parse(data) else {
            return false;
        };
        let Some((latest, target)) = planmap::chart::progress_of(&d.values, &d.def) else {
            return false;
        };
        let Some((mut surface, _)) = surfaces(&canvas, width, height, dpr) else {
            return false;
        };
        let size = [(width * dpr).round(), (height * dpr).round()];
        let theme = d.theme();
        surface.begin(size, theme.background.alpha(0.0));
        draw_progress(
            &mut surface,
            size,
            [0.0, 0.0],
            &d.def,
            latest,
            target,
            d.lang(),
            &ChartStyle::of(&theme, dpr),
        );
        true
    }

    /// The chart of `data` as an SVG document of `width`×`height`, for export.
    #[wasm_bindgen(js_name = chartSVG)]
    pub fn chart_svg(data: &str, width: f64, height: f64) -> String {
        let Some(d) = ChartData::parse(data) else {
            return String::new();
        };
        let theme = d.theme();
        let mut svg = SvgSurface::new();
        svg.begin([width, height], theme.background);
        draw_chart(
            &mut svg,
            &planmap::geom::EstimateText,
            [width, height],
            [0.0, 0.0],
            &d.def,
            &d.series(),
            d.lang(),
            &ChartStyle::of(&theme, 1.0),
        );
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::ChartData;

    #[test]
    fn parses_what_chart_data_sends() {
        let json = r#"{"def": {"id": "x", "name": {"zh": "高新技术企业", "en": "High-tech"}, "unit": {"zh": "家"}, "higher_is": "better"},
            "values": [{"indicator": "x", "value": 500, "year": 2025, "kind": "target", "source": "s", "section": "t", "at_least": true},
                       {"indicator": "x", "value": 170, "year": 2020, "kind": "actual", "source": "s", "section": "t"}],
            "lang": "en", "theme": "dark"}"#;
        let d = ChartData::parse(json).unwrap();
        assert_eq!(
            d.series().iter().map(|v| v.value).collect::<Vec<_>>(),
            [170.0, 500.0]
        );
        assert_eq!(d.lang(), planmap::plan::Lang::En);
        assert!(d.values[0].at_least && !d.values[1].at_least);
    }
}
