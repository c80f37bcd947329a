//! Charts and progress bars drawn from known values of the default plan, checked on the
//! geometry and text they produce, and the choropleth's "no data" fill.

use planmap::chart::{draw_chart, draw_progress, progress_pair, series, ChartStyle};
use planmap::geom::EstimateText;
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Lang, Loaded};
use planmap::render::{Command, Recorder, Surface, SvgSurface};
use planmap::scene::{Item, Paint, Theme, ThemeName};
use std::path::Path;

fn huanggu() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    load("plan.json", &text, &DirSource(dir)).unwrap()
}

fn texts(rec: &Recorder) -> Vec<String> {
    rec.commands
        .iter()
        .filter_map(|c| {
            if let Command::Text(_, t, _, _) = c {
                Some(t.clone())
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn high_tech_enterprises_chart_has_bars_in_proportion_and_a_target_outline() {
    let l = huanggu();
    let district = l.plan.area("huanggu").unwrap();
    let vals = series(district, "high_tech_enterprises");
    let style = ChartStyle::of(&Theme::of(ThemeName::Light), 1.0);
    let mut rec = Recorder::default();
    // Large enough that whole-pixel bar heights (plotters' coordinates) resolve 15 of 500.
    draw_chart(
        &mut rec,
        &EstimateText,
        [600.0, 500.0],
        [0.0, 0.0],
        &vals,
        Lang::Zh,
        &style,
    );

    // Filled bars are the reached values (15, 170), in the bar colour.
    let bars: Vec<_> = rec
        .commands
        .iter()
        .filter_map(|c| {
            if let Command::Rect(b, col) = c {
                (*col == style.bar).then_some(*b)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(bars.len(), 2, "{:?}", rec.commands);
    let h = |b: &planmap::geom::Bounds| b.max[1] - b.min[1];
    assert!(bars[0].max[0] < bars[1].min[0], "2015 left of 2020");
    // The base of every bar is the same axis line.
    assert!((bars[0].max[1] - bars[1].max[1]).abs() < 1.5);

    // The target is an outline (a closed polyline) taller than the 2020 bar by 500/170.
    let outline = rec
        .commands
        .iter()
        .filter_map(|c| {
            if let Command::Polyline(p, col) = c {
                (p.len() == 5 && *col == style.target).then_some(p.clone())
            } else {
                None
            }
        })
        .next()
        .expect("target outline");
    let th = outline
        .iter()
        .map(|p| p[1])
        .fold(f64::NEG_INFINITY, f64::max)
        - outline.iter().map(|p| p[1]).fold(f64::INFINITY, f64::min);
    // Heights in proportion to the values, to the pixel.
    assert!(
        (h(&bars[1]) - th * 170.0 / 500.0).abs() <= 1.5,
        "170: {} vs target {th}",
        h(&bars[1])
    );
    assert!(
        (h(&bars[0]) - th * 15.0 / 500.0).abs() <= 1.5,
        "15: {} vs target {th}",
        h(&bars[0])
    );
    assert!(th > 200.0);

    let t = texts(&rec);
    for label in ["2015基期", "2020", "2025目标", "15", "170", "500+"] {
        assert!(t.iter().any(|x| x == label), "{label} missing from {t:?}");
    }
}

#[test]
fn english_chart_labels() {
    let l = huanggu();
    let district = l.plan.area("huanggu").unwrap();
    let vals = series(district, "carrier_area");
    let mut rec = Recorder::default();
    draw_chart(
        &mut rec,
        &EstimateText,
        [320.0, 160.0],
        [0.0, 0.0],
        &vals,
        Lang::En,
        &ChartStyle::of(&Theme::of(ThemeName::Light), 1.0),
    );
    let t = texts(&rec);
    for label in ["2015 base", "2020", "2025 target", "3.4", "45", "100"] {
        assert!(t.iter().any(|x| x == label), "{label} missing from {t:?}");
    }
}

#[test]
fn progress_to_the_high_tech_target_is_34_percent() {
    let l = huanggu();
    let district = l.plan.area("huanggu").unwrap();
    let def = l.plan.indicator("high_tech_enterprises").unwrap();
    let (latest, target) = progress_pair(district, def).expect("170 of 500");
    assert_eq!((latest.value, target.value), (170.0, 500.0));
    let style = ChartStyle::of(&Theme::of(ThemeName::Light), 2.0);
    let mut rec = Recorder::default();
    draw_progress(
        &mut rec,
        [300.0, 40.0],
        [0.0, 0.0],
        def,
        latest,
        target,
        Lang::Zh,
        &style,
    );
    let rects: Vec<_> = rec
        .commands
        .iter()
        .filter_map(|c| {
            if let Command::Rect(b, col) = c {
                Some((*b, *col))
            } else {
                None
            }
        })
        .collect();
    let track = rects.iter().find(|(_, c)| *c == style.track).unwrap().0;
    let fill = rects.iter().find(|(_, c)| *c == style.bar).unwrap().0;
    let share = (fill.max[0] - fill.min[0]) / (track.max[0] - track.min[0]);
    assert!((share - 0.34).abs() < 1e-9, "{share}");
    assert_eq!(texts(&rec), ["2020年 170 / 2025年目标 500 家（34%）"]);
}

#[test]
fn no_progress_bar_where_result_and_target_measure_different_things() {
    let l = huanggu();
    let district = l.plan.area("huanggu").unwrap();
    // 175 old communities renovated 2016–2020 (cumulative) vs 231 planned for 2021–2025.
    assert!(progress_pair(
        district,
        l.plan.indicator("old_communities_renovated").unwrap()
    )
    .is_none());
    // Approval time: lower is better; a share of the target would read backwards.
    assert!(progress_pair(district, l.plan.indicator("approval_days").unwrap()).is_none());
}

#[test]
fn chart_svg_parses_and_escapes() {
    let l = huanggu();
    let district = l.plan.area("huanggu").unwrap();
    let mut svg = SvgSurface::new();
    svg.begin([320.0, 160.0], Theme::of(ThemeName::Light).background);
    draw_chart(
        &mut svg,
        &EstimateText,
        [320.0, 160.0],
        [0.0, 0.0],
        &series(district, "high_tech_enterprises"),
        Lang::Zh,
        &ChartStyle::of(&Theme::of(ThemeName::Light), 1.0),
    );
    let out = svg.finish();
    assert!(out.contains(">2025目标</text>") && out.contains(">500+</text>"));
    assert_eq!(out.matches("<svg").count(), 1);
}

#[test]
fn choropleth_colours_zones_with_a_value_and_hatches_the_others() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    pv.view.indicator = Some("shoufu_tech_enterprises".into());
    let scene = pv.scene(&EstimateText);
    let mut solid = Vec::new();
    let mut hatched = Vec::new();
    for item in &scene.items {
        if let Item::Area { index, style, .. } = item {
            let a = &pv.plan.areas[*index];
            if a.role != planmap::plan::AreaRole::Zone {
                continue;
            }
            match &style.fill {
                Paint::Solid(_) => solid.push(a.id.as_str()),
                Paint::Hatch { .. } => hatched.push(a.id.as_str()),
                Paint::None => {}
            }
        }
    }
    assert_eq!(solid, ["c6"], "only C6 has a value for this indicator");
    assert_eq!(
        hatched.len(),
        4,
        "the rest read as no data, not as a colour"
    );
}
