//! Lines as features: drawn in CSS pixels at every zoom above the areas and below the points,
//! styled by kind and dashed when schematic or planned, hit within a few pixels of the stroke,
//! reached by the keyboard, labelled beside the line, exported with their path and name.

mod common;
use common::label_boxes;
use planmap::geom::{project, EstimateText, Hit};
use planmap::map::PlanView;
use planmap::plan::load;
use planmap::render::{draw, Command, Recorder};
use planmap::scene::{Item, LineStyle};
use std::collections::HashMap;

/// A zone (0.1° square) crossed west–east by a road with a bend at (10.05, 10.05), a schematic
/// canal along its north, and a point on the road.
fn plan() -> PlanView {
    plan_sized([390.0, 844.0])
}

fn plan_sized(size: [f64; 2]) -> PlanView {
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "zone", "properties": {"name": "示范片区"}, "geometry": {"type": "Polygon", "coordinates": [
        [[10.0, 10.0], [10.1, 10.0], [10.1, 10.1], [10.0, 10.1], [10.0, 10.0]]]}},
      {"type": "Feature", "id": "road", "properties": {"name": "黄河北大街", "category": "road"}, "geometry": {"type": "LineString", "coordinates": [
        [10.01, 10.04], [10.05, 10.05], [10.09, 10.04]]}},
      {"type": "Feature", "id": "canal", "properties": {"name": "北运河", "category": "canal", "geometry": "schematic"}, "geometry": {"type": "LineString", "coordinates": [
        [10.0, 10.08], [10.1, 10.08]]}},
      {"type": "Feature", "id": "poi", "properties": {"name": "站"}, "geometry": {"type": "Point", "coordinates": [10.09, 10.04]}}
    ]}"#;
    let l = load("lines.geojson", geojson, &HashMap::new()).unwrap();
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    PlanView::new(l, size)
}

fn screen(pv: &PlanView, lon: f64, lat: f64) -> [f64; 2] {
    pv.view.viewport.to_screen(project([lon, lat]))
}

fn id(pv: &PlanView, hit: Option<Hit>) -> Option<String> {
    hit.map(|h| pv.describe(h).id)
}

#[test]
fn a_tap_hits_a_line_within_its_tolerance_of_the_stroke_and_not_beyond() {
    let pv = plan();
    // The canal runs west–east: a pixel north of it is straight up on screen.
    let on = screen(&pv, 10.03, 10.08);
    let up = |d: f64| [on[0], on[1] - d];
    // A mouse (radius 9): the casing's half width (3.5) plus 4.5 px.
    assert_eq!(
        id(&pv, pv.pick(up(0.0), 9.0)).as_deref(),
        Some("canal"),
        "on the line"
    );
    assert_eq!(
        id(&pv, pv.pick(up(3.0), 9.0)).as_deref(),
        Some("canal"),
        "3 px off"
    );
    assert_eq!(
        id(&pv, pv.pick(up(7.5), 9.0)).as_deref(),
        Some("canal"),
        "7.5 px off"
    );
    assert_eq!(
        id(&pv, pv.pick(up(10.0), 9.0)).as_deref(),
        Some("zone"),
        "10 px off: the zone under it"
    );
    // A finger (radius 16) gets 11.5 px.
    assert_eq!(id(&pv, pv.pick(up(10.0), 16.0)).as_deref(), Some("canal"));
    assert_eq!(id(&pv, pv.pick(up(13.0), 16.0)).as_deref(), Some("zone"));
    // The road's bend: at the vertex, and 3 px beyond it (outside the angle).
    let bend = screen(&pv, 10.05, 10.05);
    assert_eq!(
        id(&pv, pv.pick(bend, 9.0)).as_deref(),
        Some("road"),
        "at the vertex"
    );
    assert_eq!(
        id(&pv, pv.pick([bend[0], bend[1] - 3.0], 9.0)).as_deref(),
        Some("road")
    );
    // A point on the line wins: it is drawn on top.
    let poi = screen(&pv, 10.09, 10.04);
    assert_eq!(id(&pv, pv.pick(poi, 9.0)).as_deref(), Some("poi"));
    // Beyond the road's western end by 3 px is still the road (round cap), by 12 px not.
    let end = screen(&pv, 10.01, 10.04);
    assert_eq!(
        id(&pv, pv.pick([end[0] - 3.0, end[1]], 9.0)).as_deref(),
        Some("road")
    );
    assert_eq!(
        id(&pv, pv.pick([end[0] - 12.0, end[1]], 9.0)).as_deref(),
        Some("zone")
    );
}

#[test]
fn the_tolerance_is_in_css_pixels_at_every_zoom() {
    let mut pv = plan();
    let centre = screen(&pv, 10.03, 10.08);
    for _ in 0..6 {
        let on = screen(&pv, 10.03, 10.08);
        if on[1] > 20.0 && on[1] < 824.0 && on[0] > 0.0 && on[0] < 390.0 {
            assert_eq!(
                id(&pv, pv.pick([on[0], on[1] - 3.0], 16.0)).as_deref(),
                Some("canal")
            );
            assert_ne!(
                id(&pv, pv.pick([on[0], on[1] - 14.0], 16.0)).as_deref(),
                Some("canal")
            );
        }
        pv.zoom_at(1.0, centre);
    }
}

fn line_styles(pv: &PlanView, index: usize) -> Vec<LineStyle> {
    pv.scene(&EstimateText)
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Line {
                index: k, style, ..
            } if *k == index => Some(style.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn lines_stroke_with_the_same_width_at_every_zoom() {
    let mut pv = plan();
    let first = line_styles(&pv, 0);
    assert_eq!(first.len(), 2, "a casing and a stroke");
    assert!(first[0].width > first[1].width, "the casing is wider");
    let centre = [195.0, 422.0];
    for _ in 0..8 {
        pv.zoom_at(0.5, centre);
        let now = line_styles(&pv, 0);
        if !now.is_empty() {
            assert_eq!(now, first, "at zoom {}", pv.view.viewport.zoom);
        }
    }
    // And in the export, whose coordinates are CSS pixels.
    let svg = pv.to_svg(&EstimateText);
    assert!(svg.contains(&format!("stroke-width=\"{}\"", first[1].width)));
}

#[test]
fn lines_sit_above_areas_and_below_points() {
    let pv = plan();
    let mut rec = Recorder::default();
    draw(&pv.scene(&EstimateText), &pv.proj, &mut rec);
    let pos = |f: &dyn Fn(&Command) -> bool| rec.commands.iter().position(f).unwrap();
    let rpos = |f: &dyn Fn(&Command) -> bool| rec.commands.iter().rposition(f).unwrap();
    let last_area = rpos(&|c| {
        matches!(
            c,
            Command::Area(..) | Command::Fill(..) | Command::Borders { .. }
        )
    });
    let first_line = pos(&|c| matches!(c, Command::Line(..)));
    let last_line = rpos(&|c| matches!(c, Command::Line(..)));
    let first_marker = pos(&|c| matches!(c, Command::Marker(..)));
    assert!(last_area < first_line && last_line < first_marker);
}

#[test]
fn a_river_and_a_road_differ_and_a_schematic_line_is_dashed() {
    let pv = plan();
    let road = line_styles(&pv, 0);
    let canal = line_styles(&pv, 1);
    assert_ne!(road[1].color, canal[1].color);
    assert_eq!(road[1].dash, None, "the road is built and its course known");
    assert!(canal[1].dash.is_some(), "the canal's course is schematic");
}

#[test]
fn selecting_and_hovering_a_line_draws_it_on_top_of_the_others() {
    let mut pv = plan();
    pv.view.selected = pv.find("road");
    let styles = line_styles(&pv, 0);
    assert_eq!(styles.len(), 4, "casing, stroke, selection, stroke again");
    assert_eq!(styles[3], styles[1]);
    assert!(styles[2].width > styles[0].width);
    let scene = pv.scene(&EstimateText);
    let last_line = scene
        .items
        .iter()
        .rposition(|i| matches!(i, Item::Line { .. }))
        .unwrap();
    assert!(matches!(
        scene.items[last_line],
        Item::Line { index: 0, .. }
    ));
}

#[test]
fn keyboard_order_reaches_lines_after_the_areas_and_before_the_points() {
    let pv = plan();
    let ids: Vec<String> = pv
        .focus_order()
        .into_iter()
        .map(|h| pv.describe(h).id)
        .collect();
    assert_eq!(ids, ["zone", "road", "canal", "poi"]);
    let road = pv.describe(pv.find("road").unwrap());
    assert_eq!((road.kind, road.name.as_str()), ("line", "黄河北大街"));
}

#[test]
fn a_hidden_lines_layer_is_not_drawn_hit_or_reached() {
    let mut pv = plan();
    pv.view.hidden.push("lines".into());
    assert!(line_styles(&pv, 0).is_empty() && line_styles(&pv, 1).is_empty());
    let on = screen(&pv, 10.03, 10.08);
    assert_eq!(id(&pv, pv.pick(on, 16.0)).as_deref(), Some("zone"));
    assert!(!pv.focus_order().iter().any(|h| matches!(h, Hit::Line(_))));
    assert!(!pv.scene(&EstimateText).label_texts().contains(&"北运河"));
}

#[test]
fn details_and_the_feature_list_describe_a_line() {
    let pv = plan();
    let d: serde_json::Value =
        serde_json::from_str(&pv.details_json(pv.find("canal").unwrap())).unwrap();
    assert_eq!(d["kind"], "line");
    assert_eq!(d["name"], "北运河");
    assert_eq!(d["class"], "water");
    assert_eq!(d["schematic"], true);
    let f: serde_json::Value = serde_json::from_str(&pv.features_json()).unwrap();
    let names: Vec<&str> = f["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["黄河北大街", "北运河"]);
}

#[test]
fn the_svg_export_has_each_lines_path_and_name() {
    let pv = plan();
    let svg = pv.to_svg(&EstimateText);
    for name in ["黄河北大街", "北运河"] {
        assert!(
            svg.contains(&format!("<title>{name}</title></path>")),
            "{name}"
        );
    }
    // The road's path: three vertices, open (no Z), through its bend.
    let bend = screen(&pv, 10.05, 10.05);
    let needle = format!("L{:.1} {:.1}L", bend[0], bend[1]);
    let road = svg
        .split("<path")
        .find(|p| p.contains("黄河北大街"))
        .unwrap();
    assert!(road.contains(&needle), "{road}");
    assert!(!road.contains('Z'));
    assert!(road.contains("fill=\"none\""));
}

#[test]
fn a_lines_label_sits_beside_it_and_never_on_the_zone_label_at_any_zoom() {
    for size in [[390.0, 844.0], [1440.0, 900.0]] {
        let mut pv = plan_sized(size);
        pv.view.detail_zoom = 0.0; // every name wants to show
        let mut shown = 0;
        for step in 0..14 {
            let boxes = label_boxes(&pv);
            let zone = boxes.iter().find(|(t, _)| t == "示范片区").map(|b| b.1);
            for (t, b) in boxes
                .iter()
                .filter(|(t, _)| t == "北运河" || t == "黄河北大街")
            {
                shown += 1;
                if let Some(z) = zone {
                    assert!(!b.intersects(&z), "{t} on the zone's name at step {step}");
                }
                // Beside the canal: its box is within 6 px + its height of the line, above
                // or below it, and does not cover it.
                if t == "北运河" {
                    let y = screen(&pv, 10.05, 10.08)[1];
                    assert!(
                        b.max[1] <= y - 5.0 || b.min[1] >= y + 5.0,
                        "{t} covers its line"
                    );
                    assert!(
                        b.min[1] >= y - 30.0 && b.max[1] <= y + 30.0,
                        "{t} far from its line"
                    );
                }
            }
            pv.zoom_at(0.5, [size[0] / 2.0, size[1] / 2.0]);
        }
        assert!(shown > 10, "line names were shown {shown} times");
    }
}

#[test]
fn the_export_legend_names_each_line_beside_a_swatch_in_its_colours() {
    let pv = plan();
    let scene = pv.export_scene(&EstimateText);
    let road =
        planmap::scene::line_styles(&pv.plan.lines[0], &planmap::scene::Theme::of(pv.view.theme));
    let swatches: Vec<(f64, planmap::scene::Color)> = scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Polyline { points, color, .. } => Some((points[0][1], *color)),
            _ => None,
        })
        .collect();
    // Casing then stroke, for each of the two lines, one row apart.
    assert_eq!(swatches.len(), 4);
    assert_eq!((swatches[0].1, swatches[1].1), (road.0.color, road.1.color));
    let label_at = |name: &str| {
        scene.items.iter().find_map(|i| match i {
            Item::Label { at, text, .. } if text == name && at[0] < 60.0 => Some(at[1]),
            _ => None,
        })
    };
    assert_eq!(label_at("黄河北大街"), Some(swatches[0].0));
    assert_eq!(label_at("北运河"), Some(swatches[2].0));
    let svg = pv.to_svg(&EstimateText);
    assert!(
        svg.contains("<polyline points=\"13.0,"),
        "the swatches are in the SVG"
    );
}
