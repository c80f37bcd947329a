//! Every RFC 7946 text is a valid `src`: a FeatureCollection, a Feature, each bare geometry
//! type, a GeometryCollection (its members drawn), positions with altitude, and features whose
//! geometry is null (kept for the list, the panel and the table, with no shape). Expected
//! values come from the format's rules and the inputs written here.

use planmap::geom::EstimateText;
use planmap::map::PlanView;
use planmap::plan::{load, LineClass, Loaded, Location, Severity};
use std::collections::HashMap;

fn ok(name: &str, text: &str) -> Loaded {
    load(name, text, &HashMap::new()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (areas, points, lines) of a loaded plan.
fn counts(l: &Loaded) -> (usize, usize, usize) {
    (l.plan.areas.len(), l.plan.points.len(), l.plan.lines.len())
}

const POINT: &str = r#"{"type": "Point", "coordinates": [123.4, 41.8]}"#;
const MULTIPOINT: &str = r#"{"type": "MultiPoint", "coordinates": [[123.4, 41.8], [123.5, 41.9]]}"#;
const LINESTRING: &str =
    r#"{"type": "LineString", "coordinates": [[123.4, 41.8], [123.45, 41.82], [123.5, 41.9]]}"#;
const MULTILINESTRING: &str = r#"{"type": "MultiLineString", "coordinates": [[[123.4, 41.8], [123.45, 41.82]], [[123.46, 41.83], [123.5, 41.9]]]}"#;
const POLYGON: &str = r#"{"type": "Polygon", "coordinates": [[[123.4, 41.8], [123.5, 41.8], [123.5, 41.9], [123.4, 41.8]]]}"#;
const MULTIPOLYGON: &str = r#"{"type": "MultiPolygon", "coordinates": [[[[123.4, 41.8], [123.5, 41.8], [123.5, 41.9], [123.4, 41.8]]], [[[123.6, 41.8], [123.7, 41.8], [123.7, 41.9], [123.6, 41.8]]]]}"#;

/// Each geometry type with what it becomes: (areas, points, lines).
fn every_type() -> Vec<(&'static str, String, (usize, usize, usize))> {
    vec![
        ("Point", POINT.into(), (0, 1, 0)),
        ("MultiPoint", MULTIPOINT.into(), (0, 2, 0)),
        ("LineString", LINESTRING.into(), (0, 0, 1)),
        ("MultiLineString", MULTILINESTRING.into(), (0, 0, 1)),
        ("Polygon", POLYGON.into(), (1, 0, 0)),
        ("MultiPolygon", MULTIPOLYGON.into(), (1, 0, 0)),
        (
            "GeometryCollection",
            format!(
                r#"{{"type": "GeometryCollection", "geometries": [{POINT}, {LINESTRING}, {POLYGON}, {{"type": "GeometryCollection", "geometries": [{MULTIPOINT}]}}]}}"#
            ),
            (1, 3, 1),
        ),
    ]
}

#[test]
fn every_geometry_type_loads_bare_and_inside_a_feature_without_a_warning() {
    for (ty, geometry, expected) in every_type() {
        let bare = ok("bare.geojson", &geometry);
        assert_eq!(counts(&bare), expected, "bare {ty}");
        assert!(
            bare.diagnostics.is_empty(),
            "bare {ty}: {:?}",
            bare.diagnostics
        );
        let feature = format!(
            r#"{{"type": "Feature", "id": "x", "properties": {{"name": "某路"}}, "geometry": {geometry}}}"#
        );
        let f = ok("feature.geojson", &feature);
        assert_eq!(counts(&f), expected, "Feature with a {ty}");
        assert!(
            f.diagnostics.is_empty(),
            "Feature {ty}: {:?}",
            f.diagnostics
        );
        let collection = format!(r#"{{"type": "FeatureCollection", "features": [{feature}]}}"#);
        assert_eq!(
            counts(&ok("fc.geojson", &collection)),
            expected,
            "FeatureCollection with a {ty}"
        );
    }
}

#[test]
fn a_geometry_collections_members_are_all_drawn_and_named_after_the_feature() {
    let (_, gc, _) = every_type().pop().unwrap();
    let text = format!(
        r#"{{"type": "Feature", "id": "mix", "properties": {{"name": "混合"}}, "geometry": {gc}}}"#
    );
    let l = ok("gc.geojson", &text);
    // The polygon comes first and keeps the id; the others take a suffix.
    assert_eq!(l.plan.areas[0].id, "mix");
    assert_eq!(l.plan.lines[0].id, "mix-line");
    let ids: Vec<&str> = l.plan.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["mix-point-0", "mix-point-1", "mix-point-2"]);
    assert!(l.plan.points.iter().all(|p| p.name.zh == "混合"));
    assert_eq!(l.plan.lines[0].geometry.0[0].0.len(), 3);
    // Drawn: the area, the line and the points are all in the frame.
    let pv = PlanView::new(l, [400.0, 300.0]);
    let scene = pv.scene(&EstimateText);
    assert!(scene
        .items
        .iter()
        .any(|i| matches!(i, planmap::scene::Item::Area { .. })));
    assert!(scene
        .items
        .iter()
        .any(|i| matches!(i, planmap::scene::Item::Marker { .. })));
}

#[test]
fn altitude_and_further_numbers_of_a_position_are_dropped() {
    let text =
        r#"{"type": "LineString", "coordinates": [[123.4, 41.8, 35.5], [123.5, 41.9, 40.0, 7]]}"#;
    let l = ok("z.geojson", text);
    let coords: Vec<(f64, f64)> = l.plan.lines[0].geometry.0[0]
        .0
        .iter()
        .map(|c| (c.x, c.y))
        .collect();
    assert_eq!(coords, [(123.4, 41.8), (123.5, 41.9)]);
    let p = ok(
        "p.geojson",
        r#"{"type": "Point", "coordinates": [123.4, 41.8, 12]}"#,
    );
    assert_eq!(p.plan.points[0].lonlat, [123.4, 41.8]);
}

#[test]
fn a_null_geometry_keeps_its_name_and_values_with_no_shape() {
    let text = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "id": "a", "properties": {"name": "甲区", "population": 1200, "note": "x"}, "geometry": null},
      {"type": "Feature", "id": "road", "properties": {"name": "乙路", "highway": "primary", "length_km": 3.5}, "geometry": {"type": "LineString", "coordinates": [[123.4, 41.8], [123.5, 41.9]]}}
    ]}"#;
    let l = ok("null.geojson", text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let a = &l.plan.areas[0];
    assert_eq!((a.id.as_str(), a.name.zh.as_str()), ("a", "甲区"));
    assert!(a.geometry.0.is_empty());
    assert_eq!(a.numbers, [("population".to_owned(), 1200.0)]);
    let line = &l.plan.lines[0];
    assert_eq!(
        line.category, "highway",
        "an OSM key names the kind of line"
    );
    assert_eq!(line.style_class(), LineClass::Road);
    assert_eq!(line.numbers, [("length_km".to_owned(), 3.5)]);

    // The widget lists it, selects it, describes it, draws around it, never moves to NaN.
    let mut pv = PlanView::new(l, [400.0, 300.0]);
    let f: serde_json::Value = serde_json::from_str(&pv.features_json()).unwrap();
    assert_eq!(f["areas"][0]["name"], "甲区");
    assert_eq!(f["lines"][0]["kind"], "line");
    let hit = pv.find("a").expect("selectable by id");
    let d: serde_json::Value = serde_json::from_str(&pv.details_json(hit)).unwrap();
    assert_eq!(d["numbers"][0][0], "population");
    assert_eq!(d["numbers"][0][1], 1200.0);
    let before = pv.view.viewport;
    while pv.focus_step(true).is_some() {}
    pv.zoom_to(hit);
    assert!(pv.view.viewport.center.iter().all(|c| c.is_finite()));
    assert!(pv.view.viewport.zoom.is_finite());
    assert_eq!(
        pv.view.viewport.zoom, before.zoom,
        "zooming to a shapeless feature keeps the view"
    );
    assert!(pv.to_svg(&EstimateText).contains("<title>乙路</title>"));
}

#[test]
fn a_file_with_nothing_drawable_is_valid_and_says_why() {
    for (text, why) in [
        (
            r#"{"type": "Feature", "properties": {"name": "空"}, "geometry": null}"#,
            "nothing to draw: every feature's geometry is null or empty",
        ),
        (
            r#"{"type": "GeometryCollection", "geometries": []}"#,
            "nothing to draw: every feature's geometry is null or empty",
        ),
        (
            r#"{"type": "MultiPolygon", "coordinates": []}"#,
            "nothing to draw: every feature's geometry is null or empty",
        ),
        (
            r#"{"type": "FeatureCollection", "features": []}"#,
            "nothing to draw: the file has no features",
        ),
    ] {
        let l = ok("empty.geojson", text);
        let msgs: Vec<String> = l.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(msgs, [format!("empty.geojson: {why}")], "{text}");
        assert_eq!(l.diagnostics[0].severity, Severity::Warning);
        assert!(!l.plan.has_shapes());
        // The widget still builds frames and exports for it.
        let pv = PlanView::new(l, [300.0, 200.0]);
        let f: serde_json::Value = serde_json::from_str(&pv.features_json()).unwrap();
        assert_eq!(f["drawable"], false);
        let _ = pv.to_svg(&EstimateText);
    }
}

#[test]
fn invalid_bare_geometries_keep_precise_errors_at_their_own_paths() {
    for (text, msg) in [
        (
            r#"{"type": "MultiLineString", "coordinates": [[[123.4, 41.8], [123.5, 41.9]], [[123.4, 41.8]]]}"#,
            "b.geojson: coordinates[1]: a line needs at least 2 positions, found 1",
        ),
        (
            r#"{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [400, 41.8]}]}"#,
            "b.geojson: geometries[0].coordinates[0]: longitude 400 is outside -180..180 (projected coordinates? planmap reads longitude/latitude in degrees)",
        ),
        (
            r#"{"type": "Polygon"}"#,
            "b.geojson: coordinates: missing",
        ),
    ] {
        let e = load("b.geojson", text, &HashMap::new()).unwrap_err();
        assert_eq!(e.to_string(), msg);
    }
}

#[test]
fn a_manifest_lines_layer_reads_course_quality_status_and_zone() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken/lines-manifest");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let l = load("plan.json", &text, &planmap::plan::DirSource(dir)).unwrap();
    let road = l.plan.line("road").unwrap();
    assert_eq!(road.zone.as_deref(), Some("z1"));
    assert_eq!(
        (road.schematic, road.location),
        (false, Location::Approximate)
    );
    assert_eq!(road.style_class(), LineClass::Road);
    let canal = l.plan.line("canal").unwrap();
    assert!(canal.schematic && canal.dashed());
    assert_eq!(canal.style_class(), LineClass::Water);
    let unplaced = l.plan.line("unplaced").unwrap();
    assert!(
        unplaced.geometry.0.is_empty(),
        "a null course is listed, not drawn"
    );
    assert!(
        l.plan.has_schematic(),
        "a schematic line makes the map say 示意"
    );
}
