//! Which feature is under the pointer: an R-tree of bounding boxes narrows the search, an
//! exact point-in-polygon test decides. Points win over areas (they sit on top), zones over the
//! district, smaller areas over larger ones.

use super::projected::ProjectedPlan;
use crate::plan::{AreaRole, Plan};
use geo::{Area as _, Intersects, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// A hit: an index into `plan.areas` or `plan.points`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// `plan.areas[i]`.
    Area(usize),
    /// `plan.points[i]`.
    Point(usize),
}

/// Spatial indexes over the selectable features of a plan.
pub struct HitIndex {
    areas: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    points: RTree<GeomWithData<[f64; 2], usize>>,
    /// Stacking rank of each area: higher is on top.
    rank: Vec<(u8, f64)>,
}

impl std::fmt::Debug for HitIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HitIndex({} areas, {} points)",
            self.areas.size(),
            self.points.size()
        )
    }
}

impl HitIndex {
    /// Indexes the selectable areas (all but context) and every point.
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
        let rank = plan
            .areas
            .iter()
            .zip(&proj.areas)
            .map(|(a, g)| {
                let layer = match a.role {
                    AreaRole::Context => 0,
                    AreaRole::Boundary => 1,
                    AreaRole::Area => 2,
                    AreaRole::Zone => 3,
                };
                (layer, g.unsigned_area())
            })
            .collect();
        HitIndex {
            areas: RTree::bulk_load(areas),
            points: RTree::bulk_load(points),
            rank,
        }
    }

    /// The topmost feature at projected point `p`: the nearest point within `radius` metres
    /// that `visible_point` accepts, else the topmost area containing `p` (its edge counts as
    /// inside, so a click on an outline is not lost).
    pub fn pick(
        &self,
        p: [f64; 2],
        radius: f64,
        visible_point: &dyn Fn(usize) -> bool,
        visible_area: &dyn Fn(usize) -> bool,
        proj: &ProjectedPlan,
    ) -> Option<Hit> {
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
        self.areas
            .locate_in_envelope_intersecting(&AABB::from_point(p))
            .map(|g| g.data)
            .filter(|&i| visible_area(i) && proj.areas[i].intersects(&pt))
            .max_by(|&a, &b| {
                let (la, sa) = self.rank[a];
                let (lb, sb) = self.rank[b];
                la.cmp(&lb).then(sb.total_cmp(&sa))
            })
            .map(Hit::Area)
    }
}
