//! Which feature is under the pointer: an R-tree of bounding boxes narrows the search, an
//! exact point-in-polygon test (or, for lines, the distance to the course) decides. Points win
//! over lines, lines over areas (the order they are drawn in), zones over the district, smaller
//! areas over larger ones.

use super::projected::ProjectedPlan;
use crate::plan::{AreaRole, Plan};
use geo::{Area as _, Intersects, MultiLineString, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// A hit: an index into `plan.areas` or `plan.points`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// `plan.areas[i]`.
    Area(usize),
    /// `plan.points[i]`.
    Point(usize),
    /// `plan.lines[i]`.
    Line(usize),
}

/// Which features may be hit (hidden layers may not), by index into the plan's lists.
#[allow(missing_debug_implementations)]
pub struct Visible<'a> {
    /// `plan.points[i]` is shown.
    pub point: &'a dyn Fn(usize) -> bool,
    /// `plan.areas[i]` is shown.
    pub area: &'a dyn Fn(usize) -> bool,
    /// `plan.lines[i]` is shown.
    pub line: &'a dyn Fn(usize) -> bool,
}

/// Spatial indexes over the selectable features of a plan.
pub struct HitIndex {
    areas: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    points: RTree<GeomWithData<[f64; 2], usize>>,
    lines: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    /// Stacking layer of each area: higher is on top (among areas of one layer, the smaller).
    /// The sizes are measured when a pick has to choose, not here: all of China's 6.9 million
    /// vertices were walked between its last batch and its first frame (issue 13).
    layers: Vec<u8>,
}

impl std::fmt::Debug for HitIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HitIndex({} areas, {} points, {} lines)",
            self.areas.size(),
            self.points.size(),
            self.lines.size()
        )
    }
}

impl HitIndex {
    /// Indexes the selectable areas (all but context), every point and every line with a course.
    pub fn new(plan: &Plan, proj: &ProjectedPlan) -> HitIndex {
        let areas = plan
            .areas
            .iter()
            .enumerate()
            // A feature whose geometry was null has nothing to hit (and empty bounds).
            .filter(|(_, a)| a.role != AreaRole::Context && !a.geometry.0.is_empty())
            .map(|(i, _)| {
                GeomWithData::new(
                    Rectangle::from_corners(proj.area_bounds[i].min, proj.area_bounds[i].max),
                    i,
                )
            })
            .collect();
        let points = proj
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(*p, i))
            .collect();
        let lines = proj
            .line_bounds
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, b)| GeomWithData::new(Rectangle::from_corners(b.min, b.max), i))
            .collect();
        let layers = plan
            .areas
            .iter()
            .map(|a| match a.role {
                AreaRole::Context => 0,
                AreaRole::Boundary => 1,
                AreaRole::Area => 2,
                AreaRole::Zone => 3,
            })
            .collect();
        HitIndex {
            areas: RTree::bulk_load(areas),
            points: RTree::bulk_load(points),
            lines: RTree::bulk_load(lines),
            layers,
        }
    }

    /// The topmost feature at projected point `p`: the nearest point within `radius` metres
    /// that `visible.point` accepts, else the nearest line whose course passes within
    /// `line_radius` metres, else the topmost area containing `p` (its edge counts as inside,
    /// so a click on an outline is not lost).
    pub fn pick(
        &self,
        p: [f64; 2],
        radius: f64,
        line_radius: f64,
        visible: &Visible<'_>,
        proj: &ProjectedPlan,
    ) -> Option<Hit> {
        let (visible_point, visible_area) = (visible.point, visible.area);
        let r2 = radius * radius;
        let near = self
            .points
            .nearest_neighbor_iter(&p)
            .take_while(|g| {
                let q = g.geom();
                (q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2) <= r2
            })
            .find(|g| visible_point(g.data));
        if let Some(g) = near {
            return Some(Hit::Point(g.data));
        }
        let pt = Point::new(p[0], p[1]);
        let r = line_radius;
        let near_line = self
            .lines
            .locate_in_envelope_intersecting(&AABB::from_corners(
                [p[0] - r, p[1] - r],
                [p[0] + r, p[1] + r],
            ))
            .map(|g| g.data)
            .filter(|&i| (visible.line)(i))
            .map(|i| (i, distance_to_line(&proj.lines[i], p)))
            .filter(|(_, d)| *d <= r)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((i, _)) = near_line {
            return Some(Hit::Line(i));
        }
        self.areas
            .locate_in_envelope_intersecting(&AABB::from_point(p))
            .map(|g| g.data)
            .filter(|&i| visible_area(i) && proj.areas[i].intersects(&pt))
            .max_by(|&a, &b| {
                let size = |i: usize| proj.areas[i].unsigned_area();
                self.layers[a]
                    .cmp(&self.layers[b])
                    .then_with(|| size(b).total_cmp(&size(a)))
            })
            .map(Hit::Area)
    }
}

/// The distance from `p` to the nearest segment of `ml`. Written out rather than taken from
/// geo's generic `Distance`, which costs several kilobytes of wasm for this one use.
fn distance_to_line(ml: &MultiLineString<f64>, p: [f64; 2]) -> f64 {
    let mut best = f64::INFINITY;
    for part in &ml.0 {
        for seg in part.lines() {
            let (a, b) = ([seg.start.x, seg.start.y], [seg.end.x, seg.end.y]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
            best = best.min(qx.hypot(qy));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_to_a_polyline_is_to_its_nearest_segment_or_end() {
        let ml = MultiLineString(vec![vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)].into()]);
        assert_eq!(
            distance_to_line(&ml, [5.0, 3.0]),
            3.0,
            "beside the first segment"
        );
        assert_eq!(distance_to_line(&ml, [13.0, 5.0]), 3.0, "beside the second");
        assert_eq!(
            distance_to_line(&ml, [-3.0, -4.0]),
            5.0,
            "beyond an end: to the end"
        );
        assert_eq!(distance_to_line(&ml, [10.0, 0.0]), 0.0, "at the vertex");
    }
}
