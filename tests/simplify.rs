//! `geom::simplify` (every level of detail: a streamed file's outlines in the worker, the
//! border network's arcs and the lines when first drawn) gives exactly what geo's `Simplify`
//! gives: the same positions, to the bit, at every level's tolerance.

use geo::{Coord, LineString, MultiPolygon, Polygon, Simplify};
use planmap::geom::{project_area, simplify, LOD_TOLERANCES};
use planmap::plan::{load_bytes, DirSource};

/// Both as polygons and each ring as a line string (geo's minimum is 4 positions for a
/// ring, 2 for a line), open too.
fn check(mp: &MultiPolygon<f64>, what: &str) {
    for &t in LOD_TOLERANCES.iter().chain(&[0.0, 1e-9, 1e7]) {
        let ours = simplify::multipolygon(mp, t);
        let geos = mp.simplify(t);
        assert_eq!(ours, geos, "{what} at tolerance {t}");
        for p in &mp.0 {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                assert_eq!(
                    simplify::line(r, t),
                    r.simplify(t),
                    "{what}: a ring as a line at {t}"
                );
                let open = LineString::new(r.0[..r.0.len().saturating_sub(1)].to_vec());
                assert_eq!(
                    simplify::line(&open, t),
                    open.simplify(t),
                    "{what}: open, at {t}"
                );
            }
        }
    }
}

#[test]
fn the_plans_outlines_simplify_as_geo_simplifies_them() {
    let mut n = 0;
    for f in ["boundary", "context", "zones"] {
        let bytes = std::fs::read(format!("data/huanggu/{f}.geojson")).unwrap();
        let l = load_bytes(f, &bytes, &DirSource("data/huanggu".into())).unwrap();
        for a in &l.plan.areas {
            check(&project_area(&a.geometry), &format!("{f} {}", a.id));
            n += 1;
        }
    }
    assert!(n > 10, "outlines checked: {n}");
}

/// A ring of `n` positions wandering around a circle (a small deterministic generator), with
/// repeated positions and collinear runs, where ties between farthest points happen.
fn wiggly(n: usize, seed: u64, scale: f64) -> LineString<f64> {
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = scale * (1.0 + 0.3 * next());
            Coord {
                x: (r * a.cos()).round(),
                y: (r * a.sin()).round(),
            }
        })
        .collect();
    for i in (3..n).step_by(7) {
        pts[i] = pts[i - 1]; // a repeated position
    }
    for i in (5..n.saturating_sub(2)).step_by(11) {
        pts[i] = Coord {
            x: (pts[i - 1].x + pts[i + 1].x) / 2.0,
            y: (pts[i - 1].y + pts[i + 1].y) / 2.0,
        };
    }
    pts.push(pts[0]);
    LineString::new(pts)
}

#[test]
fn generated_rings_with_ties_simplify_as_geo_simplifies_them() {
    for (k, n) in [3usize, 4, 5, 8, 50, 400, 3000].into_iter().enumerate() {
        for scale in [10.0, 5_000.0, 2e6] {
            let outer = wiggly(n, k as u64 + 1, scale);
            let hole = wiggly(n / 2 + 3, k as u64 + 99, scale / 3.0);
            let mp = MultiPolygon::new(vec![
                Polygon::new(outer, vec![hole]),
                Polygon::new(wiggly(n + 1, 7, scale / 10.0), vec![]),
            ]);
            check(&mp, &format!("{n} positions at {scale}"));
        }
    }
    // A square's corners are all equally far from its closing point's degenerate segment.
    let square = LineString::from(vec![
        (0.0, 0.0),
        (1.0, 0.0),
        (1.0, 1.0),
        (0.0, 1.0),
        (0.0, 0.0),
    ]);
    check(
        &MultiPolygon::new(vec![Polygon::new(square, vec![])]),
        "a square",
    );
}
