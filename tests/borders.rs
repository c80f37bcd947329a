//! Shared borders are stroked once (issue 13): a border between two districts used to be
//! stroked by each of them, and stroking was most of a frame's raster time. Checked on the 13
//! districts of Shenyang (AMap's outlines, whose neighbours share their border vertices) through
//! the recording surface, against a count made here from the outlines as drawn.

mod common;
use common::drawn_areas;
use geo::MultiPolygon;
use planmap::geom::{EstimateText, Hit};
use planmap::map::PlanView;
use planmap::plan::load;
use planmap::render::{draw, Command, Recorder};
use planmap::scene::{Item, Paint};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn shenyang(size: [f64; 2]) -> PlanView {
    let shared = std::env::var_os("PLANMAP_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let path = shared.join("geodata/shenyang-districts.geojson");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let l = load("shenyang-districts.geojson", &text, &HashMap::new()).unwrap();
    assert_eq!(l.plan.areas.len(), 13);
    PlanView::new(l, size)
}

type Point = (u64, u64);

/// The undirected segments of `mp`'s rings between distinct vertices, by exact coordinates.
fn segments(mp: &MultiPolygon<f64>, into: &mut HashSet<(Point, Point)>) -> usize {
    let mut n = 0;
    for p in mp {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for w in ring.0.windows(2) {
                let a = (w[0].x.to_bits(), w[0].y.to_bits());
                let b = (w[1].x.to_bits(), w[1].y.to_bits());
                if a != b {
                    n += 1;
                    into.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    n
}

/// What a frame strokes: (segments in `Borders` calls, the areas whose whole ring is drawn).
fn stroked(pv: &PlanView) -> (usize, Vec<usize>, Vec<Command>) {
    let mut rec = Recorder::default();
    draw(&pv.scene(&EstimateText), &pv.proj, &mut rec);
    let segments = rec
        .commands
        .iter()
        .map(|c| match c {
            Command::Borders { segments, .. } => *segments,
            _ => 0,
        })
        .sum();
    let whole = rec
        .commands
        .iter()
        .filter_map(|c| match c {
            Command::Area(i, _) => Some(*i),
            _ => None,
        })
        .collect();
    (segments, whole, rec.commands)
}

#[test]
fn shared_borders_are_stroked_once_at_every_level() {
    let mut pv = shenyang([1200.0, 800.0]);
    let mut levels = HashSet::new();
    // The fitted city and closer in, at desktop and phone densities: several levels, full
    // detail included.
    for (zoom_in, dpr) in [(0.0, 1.0), (0.0, 3.0), (1.5, 1.0), (3.0, 2.0)] {
        pv.fit();
        pv.view.dpr = dpr;
        let c = [600.0, 400.0];
        pv.zoom_at(zoom_in, c);
        let scene = pv.scene(&EstimateText);
        let drawn = drawn_areas(&scene);
        let lod = drawn[0].1;
        levels.insert(lod);
        // Every district is in view at the fitted view; closer in, the frame strokes only the
        // borders in view, so the count is made on the whole city at the fitted view only.
        if zoom_in > 0.0 {
            let (n, _, _) = stroked(&pv);
            assert!(n > 0, "zoomed in {zoom_in}: nothing stroked");
            continue;
        }
        assert_eq!(drawn.len(), 13);
        let mut distinct = HashSet::new();
        let per_ring: usize = drawn
            .iter()
            .map(|&(i, lod)| segments(pv.proj.geometry(i, lod), &mut distinct))
            .sum();
        let (n, whole, commands) = stroked(&pv);
        assert!(whole.is_empty(), "no area stroked alone: {commands:?}");
        assert_eq!(n, distinct.len(), "level {lod} at DPR {dpr}");
        assert!(
            n * 10 < per_ring * 7,
            "level {lod}: {n} stroked of {per_ring} in the rings: shared borders are a large part"
        );
        // One fill and one stroke for the 13 districts, which share one style.
        let fills = commands
            .iter()
            .filter(|c| matches!(c, Command::Fill(..)))
            .count();
        let strokes = commands
            .iter()
            .filter(|c| matches!(c, Command::Borders { .. }))
            .count();
        assert_eq!((fills, strokes), (1, 1), "{commands:?}");
    }
    // At full detail too: the same count from the outlines as loaded.
    pv.fit();
    pv.view.dpr = 1.0;
    let mut distinct = HashSet::new();
    let per_ring: usize = (0..13)
        .map(|i| segments(pv.proj.geometry(i, 0), &mut distinct))
        .sum();
    let full: usize = (0..pv.proj.topology.arcs.len())
        .map(|a| {
            planmap::geom::stroke_parts(pv.proj.arc(a, 0))
                .0
                .iter()
                .map(|p| p.0.len() - 1)
                .sum::<usize>()
        })
        .sum();
    assert_eq!(full, distinct.len());
    assert!(full * 10 < per_ring * 7, "{full} of {per_ring}");
    assert!(levels.len() >= 2, "levels seen: {levels:?}");
}

#[test]
fn a_selected_district_is_outlined_whole_on_top_of_the_borders() {
    let mut pv = shenyang([1200.0, 800.0]);
    let i = pv
        .plan
        .areas
        .iter()
        .position(|a| a.name.get(planmap::plan::Lang::Zh) == "皇姑区")
        .unwrap();
    pv.view.selected = Some(Hit::Area(i));
    let (_, whole, commands) = stroked(&pv);
    assert_eq!(whole, vec![i]);
    let last_borders = commands
        .iter()
        .rposition(|c| matches!(c, Command::Borders { .. }))
        .unwrap();
    let outline = commands
        .iter()
        .position(|c| matches!(c, Command::Area(..)))
        .unwrap();
    assert!(
        outline > last_borders,
        "the selection outline is drawn over the borders"
    );
    let Command::Area(_, style) = &commands[outline] else {
        unreachable!()
    };
    assert_eq!(style.fill, Paint::None);
    assert!(style.stroke_width >= 3.0);
}

/// Inside `mp` by the even-odd rule (a ray to the right crosses its rings an odd number of
/// times), as a canvas fills it.
fn inside_even_odd(mp: &MultiPolygon<f64>, p: [f64; 2]) -> bool {
    let mut odd = false;
    for poly in mp {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.y > p[1]) != (b.y > p[1]) {
                    let x = a.x + (p[1] - a.y) / (b.y - a.y) * (b.x - a.x);
                    if x > p[0] {
                        odd = !odd;
                    }
                }
            }
        }
    }
    odd
}

/// `nx` × `ny` sample points over the box at `min` of `size`, each off its cell's corner by an
/// odd fraction so none falls on a lattice of round coordinates (where ring vertices sit).
fn grid(min: [f64; 2], size: [f64; 2], nx: usize, ny: usize) -> impl Iterator<Item = [f64; 2]> {
    (0..ny).flat_map(move |gy| {
        (0..nx).map(move |gx| {
            [
                min[0] + size[0] * (gx as f64 + 0.37) / nx as f64,
                min[1] + size[1] * (gy as f64 + 0.61) / ny as f64,
            ]
        })
    })
}

/// How many times `mp`'s rings wind around `p` (counterclockwise counts up): a canvas's
/// nonzero fill paints `p` when it is not 0.
fn winding(mp: &MultiPolygon<f64>, p: [f64; 2]) -> i32 {
    let mut n = 0;
    for poly in mp {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            // Rings are closed when filled, whether or not the last vertex repeats the first.
            let c = &ring.0;
            for k in 0..c.len() {
                let (a, b) = (c[k], c[(k + 1) % c.len()]);
                let side = (b.x - a.x) * (p[1] - a.y) - (p[0] - a.x) * (b.y - a.y);
                if a.y <= p[1] && b.y > p[1] && side > 0.0 {
                    n += 1;
                } else if a.y > p[1] && b.y <= p[1] && side < 0.0 {
                    n -= 1;
                }
            }
        }
    }
    n
}

#[test]
fn one_fill_of_the_districts_outline_paints_what_their_own_fills_paint() {
    let mut pv = shenyang([1200.0, 800.0]);
    for dpr in [1.0, 2.0] {
        pv.fit();
        pv.view.dpr = dpr;
        let scene = pv.scene(&EstimateText);
        let lod = scene
            .items
            .iter()
            .find_map(|i| match i {
                Item::Area { lod, .. } => Some(*lod),
                _ => None,
            })
            .unwrap();
        let ids: Vec<usize> = (0..13).collect();
        let outline = pv.proj.outline(&ids, lod);
        let vertices = |mp: &MultiPolygon<f64>| -> usize {
            mp.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| r.0.len())
                .sum()
        };
        let each: usize = ids
            .iter()
            .map(|&i| vertices(pv.proj.geometry(i, lod)))
            .sum();
        assert!(
            vertices(&outline) * 2 < each,
            "the outline has {} vertices, the districts {each}",
            vertices(&outline)
        );
        // Sampled on a grid over the city: inside the outline (by the nonzero rule the canvas
        // fills it by) exactly where inside a district.
        let b = pv.proj.extent;
        let [w, h] = b.size();
        let mut inside = 0;
        for p in grid(b.min, [w, h], 120, 80) {
            let any = ids
                .iter()
                .any(|&i| inside_even_odd(pv.proj.geometry(i, lod), p));
            assert_eq!(winding(&outline, p) != 0, any, "level {lod}, {p:?}");
            inside += usize::from(any);
        }
        assert!(inside > 3000, "{inside} of 9600 samples inside the city");
    }
}

/// Three areas whose rings run every which way: A a square frame (its exterior clockwise and
/// its hole counterclockwise, against RFC 7946's rule), B the square in A's hole (sharing its
/// vertices), C a square beside A (sharing its side), clockwise.
const FRAME_HOLE_SIDE: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [
    [[123.0, 41.0], [123.0, 41.3], [123.3, 41.3], [123.3, 41.0], [123.0, 41.0]],
    [[123.1, 41.1], [123.2, 41.1], [123.2, 41.2], [123.1, 41.2], [123.1, 41.1]]]}},
  {"type": "Feature", "properties": {"name": "B"}, "geometry": {"type": "Polygon", "coordinates": [
    [[123.1, 41.1], [123.2, 41.1], [123.2, 41.2], [123.1, 41.2], [123.1, 41.1]]]}},
  {"type": "Feature", "properties": {"name": "C"}, "geometry": {"type": "Polygon", "coordinates": [
    [[123.3, 41.0], [123.3, 41.3], [123.4, 41.3], [123.4, 41.0], [123.3, 41.0]]]}}
]}"#;

#[test]
fn the_outline_winds_once_around_its_areas_and_not_around_their_holes() {
    let l = load("frame.geojson", FRAME_HOLE_SIDE, &HashMap::new()).unwrap();
    assert_eq!(l.plan.areas.len(), 3);
    let pv = PlanView::new(l, [800.0, 600.0]);
    // Sampled over the plan's extent and a fifth of it around.
    let e = pv.proj.extent;
    let [w, h] = e.size().map(|s| s * 1.4);
    let b = planmap::geom::Bounds {
        min: [e.min[0] - w / 7.0, e.min[1] - h / 7.0],
        max: [e.max[0] + w / 7.0, e.max[1] + h / 7.0],
    };
    for ids in [
        vec![0],
        vec![0, 2],
        vec![0, 1, 2],
        vec![1, 2],
        vec![2, 0, 1],
    ] {
        let outline = pv.proj.outline(&ids, 0);
        // A frame and its hole's square together have no hole: one ring around all of them.
        if ids.len() == 3 {
            assert_eq!(outline.0.len(), 1, "{outline:?}");
        }
        let (mut inside, mut outside) = (0, 0);
        for p in grid(b.min, [w, h], 80, 60) {
            let any = ids
                .iter()
                .any(|&i| inside_even_odd(pv.proj.geometry(i, 0), p));
            // Once around what is inside (a nonzero fill paints it once), never the other
            // way round, not at all around what is not.
            assert_eq!(winding(&outline, p), i32::from(any), "{ids:?} at {p:?}");
            if any {
                inside += 1;
            } else {
                outside += 1;
            }
        }
        assert!(
            inside > 100 && outside > 100,
            "{ids:?}: {inside} in, {outside} out"
        );
    }
}

/// A layer's first frame writes its borders' paths of each direction in one pass over all its
/// arcs (`direction_paths_data`, issue 13); later frames join each arc's own paths (the same
/// function on one arc). The two must be the same path: here, on Shenyang's border arcs through
/// the translation the canvas uses, each direction's text is the arcs' texts joined.
#[test]
fn borders_written_in_one_pass_are_the_arcs_paths_joined() {
    use planmap::geom::stroke_parts;
    use planmap::render::{direction_paths_data, DIRECTIONS};
    let view = shenyang([800.0, 600.0]);
    let parts: Vec<_> = view.proj.topology.arcs.iter().map(stroke_parts).collect();
    assert!(parts.len() > 20, "{} arcs", parts.len());
    let t = [1.0, 0.0, 0.0, 1.0, -13_740_000.0, -5_130_000.0];
    let together = direction_paths_data(&parts, Some(&t), 2);
    let mut nonempty = 0;
    for (d, text) in together.iter().enumerate().take(DIRECTIONS) {
        let joined: String = parts
            .iter()
            .map(|p| direction_paths_data([p], Some(&t), 2)[d].clone())
            .collect();
        assert_eq!(*text, joined, "direction {d}");
        nonempty += usize::from(!text.is_empty());
    }
    assert_eq!(nonempty, DIRECTIONS, "every direction has segments");
}
