//! An indicator's values over the years as bars (baseline, result, target), laid out by
//! plotters; and progress to a target as a bar with the numbers written out.

use super::backend::SurfaceBackend;
use super::format::number;
use crate::geom::{Bounds, MeasureText};
use crate::plan::{Area, Direction, IndicatorDef, Lang, Value, ValueKind};
use crate::render::Surface;
use crate::scene::{Align, Color, Theme};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colours and the device-pixel scale of a chart.
#[derive(Clone, Debug)]
pub struct ChartStyle {
    /// Text and value labels.
    pub text: Color,
    /// Axis lines and quiet text.
    pub muted: Color,
    /// Bars of reached values.
    pub bar: Color,
    /// The outline of target bars (drawn unfilled: a target is not a result).
    pub target: Color,
    /// The track of a progress bar.
    pub track: Color,
    /// Device pixels per CSS pixel: every size is multiplied by it.
    pub scale: f64,
}

impl ChartStyle {
    /// The chart colours of a theme at `scale` device pixels per CSS pixel.
    pub fn of(theme: &Theme, scale: f64) -> ChartStyle {
        ChartStyle {
            text: theme.text,
            muted: theme.muted,
            bar: Color::hex(0x0072B2),
            target: theme.text,
            track: theme.context_fill,
            scale: scale.max(0.5),
        }
    }
}

/// The label under a bar: the year, and what kind of value it is unless it is a result.
pub fn bar_label(v: &Value, lang: Lang) -> String {
    let kind = match (v.kind, lang) {
        (ValueKind::Actual, _) => "",
        (ValueKind::Baseline, Lang::Zh) => "基期",
        (ValueKind::Baseline, Lang::En) => " base",
        (ValueKind::Cumulative, Lang::Zh) => "累计",
        (ValueKind::Cumulative, Lang::En) => " total",
        (ValueKind::Target, Lang::Zh) => "目标",
        (ValueKind::Target, Lang::En) => " target",
    };
    format!("{}{kind}", v.year)
}

/// The values of `indicator` on `area`, in year order (baseline before a result of the same year).
pub fn series<'a>(area: &'a Area, indicator: &str) -> Vec<&'a Value> {
    series_of(&area.values, indicator)
}

/// The values of `indicator` among `values`, in year order.
pub fn series_of<'a>(values: &'a [Value], indicator: &str) -> Vec<&'a Value> {
    let mut vals: Vec<&Value> = values.iter().filter(|v| v.indicator == indicator).collect();
    crate::order::sort_by(&mut vals, &|a, b| {
        (a.year, a.kind == ValueKind::Target).cmp(&(b.year, b.kind == ValueKind::Target))
    });
    vals
}

/// Indicators of `area` worth a chart: two values or more.
pub fn charted(area: &Area) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for v in &area.values {
        if !ids.contains(&v.indicator.as_str())
            && area
                .values
                .iter()
                .filter(|w| w.indicator == v.indicator)
                .count()
                >= 2
        {
            ids.push(&v.indicator);
        }
    }
    ids
}

/// The latest reached level and the target of `indicator` on `area`, where the two measure the
/// same thing: a level (actual or baseline) against a target level. A cumulative total against
/// a target for another period is not progress, so it gives `None`.
pub fn progress_pair<'a>(area: &'a Area, def: &IndicatorDef) -> Option<(&'a Value, &'a Value)> {
    progress_of(&area.values, def)
}

/// As [`progress_pair`], among `values`.
pub fn progress_of<'a>(values: &'a [Value], def: &IndicatorDef) -> Option<(&'a Value, &'a Value)> {
    if def.higher_is != Direction::Better {
        return None;
    }
    let vals = series_of(values, &def.id);
    let target = vals.iter().rev().find(|v| v.kind == ValueKind::Target)?;
    let latest = vals.iter().rev().find(|v| {
        matches!(v.kind, ValueKind::Actual | ValueKind::Baseline) && v.year <= target.year
    })?;
    Some((latest, target))
}

/// Draws the bars of `values` (of indicator `def`) in a `size` device-pixel box at `offset`.
/// The unit goes in the chart's caption, not on its axis: a rotated 万平方米 crowds the ticks.
pub fn draw_chart(
    surface: &mut dyn Surface,
    measure: &dyn MeasureText,
    size: [f64; 2],
    offset: [f64; 2],
    values: &[&Value],
    lang: Lang,
    style: &ChartStyle,
) {
    let s = style.scale;
    let n = values.len().max(1) as u32;
    let top = values.iter().map(|v| v.value).fold(0.0, f64::max);
    let ymax = if top > 0.0 { top * 1.22 } else { 1.0 };
    if !(ymax.is_finite() && ymax < 1e100) {
        // plotters' tick search does not end on a range near f64::MAX (found by the mutation
        // pass); the loader caps values far below this, so only a direct caller gets here.
        return;
    }
    let c = |c: Color| RGBAColor(c.r, c.g, c.b, c.a);
    let font = |px: f64, col: Color| TextStyle {
        font: ("sans-serif", px * s).into_font(),
        color: plotters_backend::BackendColor {
            alpha: col.a,
            rgb: (col.r, col.g, col.b),
        },
        pos: Pos::default(),
    };
    let labels: Vec<String> = values.iter().map(|v| bar_label(v, lang)).collect();
    let backend = SurfaceBackend::new(surface, measure, (size[0] as u32, size[1] as u32), offset);
    let root = backend.into_drawing_area();
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin((6.0 * s) as u32)
        .margin_top((14.0 * s) as u32)
        .x_label_area_size((20.0 * s) as u32)
        .y_label_area_size((measure.width(&number(ymax), 11.0 * s) + 10.0 * s) as u32)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0f64..ymax)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(3)
        .x_labels(n as usize)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| number(*y))
        .label_style(font(11.0, style.muted))
        .axis_style(ShapeStyle {
            color: c(style.muted),
            filled: false,
            stroke_width: (s as u32).max(1),
        })
        .bold_line_style(ShapeStyle {
            color: c(style.track),
            filled: false,
            stroke_width: 1,
        })
        .light_line_style(TRANSPARENT)
        .draw();
    let bar_margin = (size[0] / n as f64 * 0.18) as u32;
    let _ = chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let target = v.kind == ValueKind::Target;
        let shape = if target {
            ShapeStyle {
                color: c(style.target),
                filled: false,
                stroke_width: (2.0 * s) as u32,
            }
        } else {
            ShapeStyle {
                color: c(style.bar),
                filled: true,
                stroke_width: 0,
            }
        };
        let i = i as u32;
        let mut r = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), v.value),
            ],
            shape,
        );
        r.set_margin(0, 0, bar_margin, bar_margin);
        r
    }));
    let value_font = font(12.0, style.text).pos(Pos::new(HPos::Center, VPos::Bottom));
    let _ = chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let bound = if v.at_least {
            "+"
        } else if v.at_most {
            "≤"
        } else {
            ""
        };
        let text = if v.at_most {
            format!("{bound}{}", number(v.value))
        } else {
            format!("{}{bound}", number(v.value))
        };
        Text::new(
            text,
            (SegmentValue::CenterOf(i as u32), v.value),
            value_font.clone(),
        )
    }));
}

/// Draws progress of `latest` towards `target` in a `size` device-pixel box at `offset`: a
/// caption with both numbers and the share, and a bar filled to that share.
pub fn draw_progress(
    surface: &mut dyn Surface,
    size: [f64; 2],
    offset: [f64; 2],
    def: &IndicatorDef,
    latest: &Value,
    target: &Value,
    lang: Lang,
    style: &ChartStyle,
) {
    let s = style.scale;
    let share = if target.value > 0.0 {
        latest.value / target.value
    } else {
        0.0
    };
    let unit = def.unit.get(lang);
    let caption = match lang {
        Lang::Zh => format!(
            "{}年 {} / {}年目标 {} {unit}（{}%）",
            latest.year,
            number(latest.value),
            target.year,
            number(target.value),
            number((share * 100.0).round())
        ),
        Lang::En => format!(
            "{} in {} of {} {unit} targeted for {} ({}%)",
            number(latest.value),
            latest.year,
            number(target.value),
            target.year,
            number((share * 100.0).round())
        ),
    };
    let [x, y] = offset;
    let [w, _] = size;
    surface.text(
        [x, y + 8.0 * s],
        &caption,
        12.0 * s,
        style.text,
        None,
        false,
        Align::Start,
    );
    let track = Bounds {
        min: [x, y + 18.0 * s],
        max: [x + w, y + 30.0 * s],
    };
    surface.rect(track, style.track, Some(style.muted));
    let filled = Bounds {
        min: track.min,
        max: [x + w * share.clamp(0.0, 1.0), track.max[1]],
    };
    surface.rect(filled, style.bar, None);
}
