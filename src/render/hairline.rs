//! Solid borders as one-device-pixel lines (hairlines) side by side.
//!
//! Chromium rasterises a line at most a device pixel wide without building a stroke's outline,
//! which on a province's borders is several times cheaper than a true stroke of a few pixels
//! (`cargo xtask bench`): so a solid opaque border `w` device pixels wide is drawn as hairlines
//! a pixel or less apart, across the line. Across means along the normal, which differs per
//! segment; rather than a brush of hairlines in every direction (a disc of offsets: 5 at DPR 2,
//! 13 at DPR 3), each border is cut into runs of segments of one of four directions, 45° apart,
//! and each run is drawn with offsets along its direction's normal only: `ceil(w)` hairlines
//! (3 at DPR 2, 5 at DPR 3), which the raster's cost follows (it goes by segments drawn, not by
//! pixels). A segment is at most 22.5° off its direction's, so its hairlines are at least
//! cos 22.5° ≈ 0.92 of their spacing apart across it: the line is 0.92–1 of its width, where
//! the disc brush made a diagonal 0.8 of it at DPR 2.

use geo::Coord;

/// How many directions borders are cut by.
pub const DIRECTIONS: usize = 4;

/// The most hairlines a line is drawn with: one this many device pixels wide or more is a
/// true stroke, which costs about as much.
pub const MOST_HAIRLINES: usize = 13;

/// tan 22.5°: a segment within 22.5° of an axis is of that axis' direction.
const TAN_22_5: f64 = 0.414_213_562_373_095_1;

/// Which of the four directions a segment (`dx`, `dy`) is nearest, in the coordinates it is
/// given in: 0 along x, 1 along y, 2 the diagonal where `dx` and `dy` have one sign, 3 the other.
pub(crate) fn direction(dx: f64, dy: f64) -> usize {
    let (ax, ay) = (dx.abs(), dy.abs());
    if ay <= ax * TAN_22_5 {
        0
    } else if ax <= ay * TAN_22_5 {
        1
    } else if (dx > 0.0) == (dy > 0.0) {
        2
    } else {
        3
    }
}

/// Calls `run(d, coords)` for each stretch of `line` whose segments are all of direction `d`,
/// in order: together they hold every segment exactly once. A segment of no length stays in
/// the stretch it is in (it draws nothing either way).
pub(super) fn for_each_run(line: &[Coord<f64>], mut run: impl FnMut(usize, &[Coord<f64>])) {
    let mut start = 0;
    let mut current = None;
    for i in 1..line.len() {
        let (dx, dy) = (line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
        if dx == 0.0 && dy == 0.0 {
            continue;
        }
        let d = direction(dx, dy);
        match current {
            Some(c) if c != d => {
                run(c, &line[start..i]);
                start = i - 1;
            }
            _ => {}
        }
        current = Some(d);
    }
    if let Some(c) = current {
        run(c, &line[start..]);
    }
}

/// How to draw a line `width` device pixels wide whose segments are of direction `d` in the
/// coordinates `t` (a `setTransform` matrix) maps to the screen: `n` hairlines, the k-th
/// offset by `(k - (n - 1) / 2) · step` device pixels, `step` along the direction's normal on
/// the screen: `ceil(width)` of them evenly over `±(width - 1) / 2`, so one-pixel lines at most
/// a pixel apart leave no gap. `None` when over [`MOST_HAIRLINES`] would be needed, or `width` is not a
/// positive number (a true stroke then).
pub fn brush(width: f64, d: usize, t: &[f64; 6]) -> Option<(usize, [f64; 2])> {
    if !(width.is_finite() && width > 0.0) {
        return None;
    }
    let n = width.max(1.0).ceil() as usize;
    if n > MOST_HAIRLINES {
        return None;
    }
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let [ux, uy] = [[1.0, 0.0], [0.0, 1.0], [h, h], [h, -h]][d & 3];
    let (sx, sy) = (t[0] * ux + t[2] * uy, t[1] * ux + t[3] * uy);
    let len = (sx * sx + sy * sy).sqrt();
    let spacing = if n > 1 {
        (width - 1.0) / (n - 1) as f64
    } else {
        0.0
    };
    if !(len > 0.0 && len.is_finite()) {
        return Some((n, [0.0, spacing]));
    }
    Some((n, [-sy / len * spacing, sx / len * spacing]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_string;

    /// Unit vector at `deg` degrees.
    fn at(deg: f64) -> [f64; 2] {
        let r = deg.to_radians();
        [r.cos(), r.sin()]
    }

    #[test]
    fn each_direction_takes_the_segments_within_22_5_degrees_of_it() {
        for deg in [0.0, 10.0, 22.0, 180.0, 190.0, -20.0] {
            let [x, y] = at(deg);
            assert_eq!(direction(x, y), 0, "{deg}°");
        }
        for deg in [90.0, 80.0, 100.0, 270.0, 68.0] {
            let [x, y] = at(deg);
            assert_eq!(direction(x, y), 1, "{deg}°");
        }
        for deg in [45.0, 24.0, 66.0, 225.0] {
            let [x, y] = at(deg);
            assert_eq!(direction(x, y), 2, "{deg}°");
        }
        for deg in [135.0, -45.0, 115.0, 315.0] {
            let [x, y] = at(deg);
            assert_eq!(direction(x, y), 3, "{deg}°");
        }
    }

    #[test]
    fn runs_hold_every_segment_once_each_in_its_direction() {
        // A zigzag border with a repeated point, and a closed ring.
        let zig = line_string![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 0.1), (x: 2.0, y: 0.1),
            (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 2.0, y: 4.0), (x: 0.0, y: 4.0),
        ];
        let ring = line_string![
            (x: 10.0, y: 0.0), (x: 11.0, y: 0.0), (x: 11.0, y: 1.0), (x: 10.0, y: 0.0),
        ];
        let key = |s: &[Coord<f64>; 2]| [s[0].x, s[0].y, s[1].x, s[1].y].map(f64::to_bits);
        for line in [&zig, &ring] {
            let mut drawn: Vec<[Coord<f64>; 2]> = Vec::new();
            let mut runs = Vec::new();
            for_each_run(&line.0, |d, run| {
                assert!(run.len() >= 2);
                for w in run.windows(2) {
                    if w[0] != w[1] {
                        assert_eq!(direction(w[1].x - w[0].x, w[1].y - w[0].y), d);
                        drawn.push([w[0], w[1]]);
                    }
                }
                runs.push((d, run.len()));
            });
            let mut expected: Vec<[Coord<f64>; 2]> = line
                .0
                .windows(2)
                .filter(|w| w[0] != w[1])
                .map(|w| [w[0], w[1]])
                .collect();
            drawn.sort_by_key(key);
            expected.sort_by_key(key);
            assert_eq!(drawn, expected);
            // Runs alternate in direction: consecutive segments of one stay one run.
            assert!(runs.windows(2).all(|r| r[0].0 != r[1].0), "{runs:?}");
        }
        // The two flat segments at the start (and the repeated point after them) are one run.
        let mut first = None;
        for_each_run(&zig.0, |d, run| {
            first.get_or_insert((d, run.len()));
        });
        assert_eq!(first, Some((0, 4)));
    }

    /// The offsets of `brush`'s hairlines.
    fn offsets(width: f64, d: usize, t: &[f64; 6]) -> Vec<[f64; 2]> {
        let (n, [sx, sy]) = brush(width, d, t).unwrap();
        let mid = (n - 1) as f64 / 2.0;
        (0..n)
            .map(|k| [(k as f64 - mid) * sx, (k as f64 - mid) * sy])
            .collect()
    }

    /// Spread of `offsets` across a segment at `deg` degrees on the screen, and the largest
    /// gap between neighbours there, in device pixels.
    fn across(offsets: &[[f64; 2]], deg: f64) -> (f64, f64) {
        let [x, y] = at(deg);
        let mut d: Vec<f64> = offsets.iter().map(|o| -o[0] * y + o[1] * x).collect();
        d.sort_by(f64::total_cmp);
        let gap = d.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
        (d[d.len() - 1] - d[0], gap)
    }

    #[test]
    fn hairlines_cover_the_width_across_every_segment_without_gaps() {
        // The map's transform flips y (north up): directions 2 and 3 swap on the screen.
        for t in [
            [2.0, 0.0, 0.0, -2.0, 5.0, 7.0],
            [3.0, 0.0, 0.0, 3.0, 0.0, 0.0],
        ] {
            for width in [1.0, 1.5, 2.0, 3.0, 4.5, 6.0] {
                for tenth in 0..3600 {
                    let deg = tenth as f64 / 10.0;
                    let [x, y] = at(deg);
                    // The segment in map coordinates that lands at `deg` on the screen.
                    let (mx, my) = (x / t[0], y / t[3]);
                    let d = direction(mx, my);
                    let offsets = offsets(width, d, &t);
                    assert_eq!(offsets.len(), width.ceil() as usize);
                    let (spread, gap) = across(&offsets, deg);
                    // Hairlines one pixel wide: the spread plus one is the line's width.
                    let covered = spread + 1.0;
                    assert!(
                        covered >= 0.92 * width - 1e-9 && covered <= width + 1e-9,
                        "width {width} at {deg}°: {covered}"
                    );
                    assert!(gap <= 1.0 + 1e-9, "width {width} at {deg}°: gap {gap}");
                }
            }
        }
    }

    #[test]
    fn a_line_too_wide_or_not_a_width_is_left_to_a_true_stroke() {
        let t = [1.0, 0.0, 0.0, -1.0, 0.0, 0.0];
        assert_eq!(brush(1.0, 0, &t), Some((1, [0.0, 0.0])));
        assert_eq!(brush(0.5, 1, &t).unwrap().0, 1);
        assert_eq!(brush(3.0, 0, &t).unwrap().0, 3, "DPR 2: was 5");
        assert_eq!(brush(4.5, 0, &t).unwrap().0, 5, "DPR 3: was 13");
        assert_eq!(brush(13.0, 0, &t).unwrap().0, 13);
        assert_eq!(brush(13.5, 0, &t), None);
        assert_eq!(brush(f64::NAN, 0, &t), None);
        assert_eq!(brush(0.0, 0, &t), None);
    }
}
