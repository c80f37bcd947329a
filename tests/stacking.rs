//! Which area a tap hits where areas overlap: of areas of one kind, the smaller, whichever
//! comes first in the file (the sizes are measured as a pick chooses, issue 13).
use planmap::geom::project;
use planmap::map::PlanView;
use planmap::plan::load;
use std::collections::HashMap;

/// A 0.2° district with a 0.02° one inside it, in the order given.
fn plan(small_first: bool) -> PlanView {
    let big = r#"{"type": "Feature", "id": "big", "properties": {"name": "大区"}, "geometry": {"type": "Polygon", "coordinates": [
        [[10.0, 10.0], [10.2, 10.0], [10.2, 10.2], [10.0, 10.2], [10.0, 10.0]]]}}"#;
    let small = r#"{"type": "Feature", "id": "small", "properties": {"name": "小区"}, "geometry": {"type": "Polygon", "coordinates": [
        [[10.05, 10.05], [10.07, 10.05], [10.07, 10.07], [10.05, 10.07], [10.05, 10.05]]]}}"#;
    let (a, b) = if small_first {
        (small, big)
    } else {
        (big, small)
    };
    let geojson = format!(r#"{{"type": "FeatureCollection", "features": [{a}, {b}]}}"#);
    let l = load("stack.geojson", &geojson, &HashMap::new()).unwrap();
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    PlanView::new(l, [800.0, 600.0])
}

fn tapped(pv: &PlanView, lon: f64, lat: f64) -> Option<String> {
    let px = pv.view.viewport.to_screen(project([lon, lat]));
    pv.pick(px, 1.0).map(|h| pv.describe(h).id)
}

#[test]
fn of_overlapping_areas_a_tap_hits_the_smaller_in_either_order() {
    for small_first in [true, false] {
        let pv = plan(small_first);
        assert_eq!(
            tapped(&pv, 10.06, 10.06).as_deref(),
            Some("small"),
            "inside both ({small_first})"
        );
        assert_eq!(
            tapped(&pv, 10.15, 10.15).as_deref(),
            Some("big"),
            "inside the big one only ({small_first})"
        );
        assert_eq!(tapped(&pv, 10.3, 10.3), None, "outside both");
    }
}
