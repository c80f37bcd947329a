//! Ramer–Douglas–Peucker simplification giving exactly what geo's `Simplify` gives, in a
//! fraction of its time (issue 13: simplifying every county of China was half of a streamed
//! load's work, most of it in `hypot`, which geo calls once per point per recursion step and
//! which in WebAssembly is a software routine).
//!
//! The result is the same to the bit (`tests/simplify.rs` compares it with geo's), so it
//! stands in for geo's everywhere: a streamed load's prepared levels ([`super::prepare`]), the
//! border network's arcs and the lines, simplified lazily. The farthest point of each step is
//! found on cheap distances (the same perpendicular distance geo computes, with the segment's
//! length worked out once; `sqrt` of the squared distance where geo measures to an end point),
//! and only the points within a hair (10⁻⁹, relative) of the farthest are measured again
//! exactly as geo measures them, to pick the one geo picks (the last of the farthest).

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// geo's `POLYGON_INITIAL_MIN`: a ring is never culled below 4 positions.
const RING_MIN: usize = 4;
/// geo's `LINE_STRING_INITIAL_MIN`.
const LINE_MIN: usize = 2;

/// `l` simplified as `geo::Simplify::simplify(l, epsilon)` simplifies a line string (an
/// arc of the border network, a line feature).
pub fn line(l: &LineString<f64>, epsilon: f64) -> LineString<f64> {
    rdp(l, epsilon, LINE_MIN)
}

/// `mp` simplified as `geo::Simplify::simplify(mp, epsilon)` simplifies it.
pub fn multipolygon(mp: &MultiPolygon<f64>, epsilon: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(
        mp.0.iter()
            .map(|p| {
                Polygon::new(
                    rdp(p.exterior(), epsilon, RING_MIN),
                    p.interiors()
                        .iter()
                        .map(|r| rdp(r, epsilon, RING_MIN))
                        .collect(),
                )
            })
            .collect(),
    )
}

/// One line or ring, never culled below `min` positions, as geo's `rdp` simplifies it.
fn rdp(r: &LineString<f64>, epsilon: f64, min: usize) -> LineString<f64> {
    let c = &r.0;
    if epsilon <= 0.0 || c.len() <= 2 {
        return r.clone();
    }
    let mut out = Vec::new();
    let mut len = c.len();
    let mut cheap = Vec::new();
    emit(c, epsilon, min, &mut len, &mut out, &mut cheap);
    out.push(c[c.len() - 1]);
    LineString::new(out)
}

/// geo's `compute_rdp` on `c` (3 or more positions), its result but the last position pushed
/// onto `out`; `len` is the simplified length so far (never below `min`); `cheap` is
/// [`farthest`]'s scratch.
fn emit(
    c: &[Coord<f64>],
    epsilon: f64,
    min: usize,
    len: &mut usize,
    out: &mut Vec<Coord<f64>>,
    cheap: &mut Vec<f64>,
) {
    if c.len() <= 2 {
        out.push(c[0]);
        return;
    }
    let (i, d) = farthest(c, cheap);
    if d > epsilon {
        emit(&c[..=i], epsilon, min, len, out, cheap);
        emit(&c[i..], epsilon, min, len, out, cheap);
        return;
    }
    let culled = *len - (c.len() - 2);
    if culled < min {
        out.extend_from_slice(&c[..c.len() - 1]);
        return;
    }
    *len = culled;
    out.push(c[0]);
}

/// geo's distance from `p` to the segment `a`–`b` (`point_line_euclidean_distance`), given
/// the segment's length `h` (`dx.hypot(dy)`, as geo computes it, so the perpendicular case
/// is exact); where geo measures to an end point with `hypot`, `exact` says whether to do so
/// too or to take the cheaper `sqrt` of the squared distance (within a few units in the last
/// place).
#[inline(always)]
fn distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>, h: f64, exact: bool) -> f64 {
    let end = |e: Coord<f64>| {
        let (x, y) = (e.x - p.x, e.y - p.y);
        if exact {
            x.hypot(y)
        } else {
            (x * x + y * y).sqrt()
        }
    };
    if a == b {
        return end(a);
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let d2 = dx * dx + dy * dy;
    let r = ((p.x - a.x) * dx + (p.y - a.y) * dy) / d2;
    if r <= 0.0 {
        return end(a);
    }
    if r >= 1.0 {
        return end(b);
    }
    let s = ((a.y - p.y) * dx - (a.x - p.x) * dy) / d2;
    s.abs() * h
}

/// The index (among `1..len-1`) and distance of the point of `c` farthest from the segment
/// between its ends, as geo's fold picks it: the last of the farthest.
///
/// One pass works out every point's cheap distance, kept in `cheap` (a scratch buffer), and
/// the largest; the second only reads them back to measure exactly the few within a hair of
/// it (measuring every point twice was half of a national file's simplification, issue 13).
fn farthest(c: &[Coord<f64>], cheap: &mut Vec<f64>) -> (usize, f64) {
    let (a, b) = (c[0], c[c.len() - 1]);
    let h = (b.x - a.x).hypot(b.y - a.y);
    let inner = &c[1..c.len() - 1];
    cheap.clear();
    // (Extended, not pushed: at opt-level "z" a push stays a call per point.)
    cheap.extend(inner.iter().map(|&p| distance(p, a, b, h, false)));
    let mut max = 0.0f64;
    for &d in cheap.iter() {
        if d >= max {
            max = d;
        }
    }
    // Coordinates beyond any map's: every point measured as geo measures it (a point whose
    // distance is NaN is never the farthest, for geo as here).
    let threshold = if max.is_finite() {
        max * (1.0 - 1e-9)
    } else {
        f64::NEG_INFINITY
    };
    let mut best = (0usize, 0.0f64);
    for (k, (&p, &d)) in inner.iter().zip(cheap.iter()).enumerate() {
        if d >= threshold {
            let d = distance(p, a, b, h, true);
            if d >= best.1 {
                best = (k + 1, d);
            }
        }
    }
    best
}
