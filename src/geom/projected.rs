//! The plan in projected metres, computed once per load: what frames, hit tests and labels
//! work on, so no frame re-projects a vertex.

use super::crs::Crs;
use super::mercator::project_interpolated;
use super::simplify;
use super::topology::{ArcRef, Topology};
use super::viewport::Bounds;
use crate::plan::batch::Prepared;
use crate::plan::{AreaRole, Plan};
use geo::{
    Area as _, Coord, Euclidean, Length, LineString, MapCoords, MultiLineString, MultiPolygon,
    Polygon,
};
use std::cell::OnceCell;

/// Simplification tolerances of the levels of detail, in projected metres. Level 0 is the
/// outline as loaded; level k+1 drops vertices closer than `LOD_TOLERANCES[k]` to the line.
/// A factor of two apart, so the level drawn is never more than twice as fine as the screen
/// needs (a factor of four drew up to four times the vertices; a frame's raster time grows with
/// them), up to what a whole country needs at its fitted view.
pub const LOD_TOLERANCES: [f64; 12] = [
    4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0,
];

/// Levels of detail: full plus one per tolerance.
pub const LEVELS: usize = LOD_TOLERANCES.len() + 1;

/// How far (in CSS pixels, or device pixels where those are larger) a simplified outline may
/// stray from the real one: about the 1.5 CSS px border's own width, as Leaflet's default
/// `smoothFactor` of 1. In CSS pixels, so a phone at DPR 2 or 3 draws the outline a desktop
/// does, crisp at its own resolution: the borders' raster goes by the segments drawn, and
/// outlines a device pixel fine cost a DPR 3 frame half its time (issue 13; README, Speed).
const LOD_MAX_ERROR_PX: f64 = 1.0;

/// An area at one simplified level: its outline and the arcs its rings run along.
#[derive(Clone, Debug)]
struct AreaLevel {
    /// The outline from the simplified arcs, without rings smaller than the tolerance (under a
    /// pixel at the views that draw this level). Empty at level 0: the outline as
    /// loaded is `areas[i]`.
    geometry: MultiPolygon<f64>,
    /// The arcs of the rings kept, each once.
    arcs: Vec<u32>,
    /// The outline's edges: each arc the rings kept run along, as a [`use_of`], as many
    /// times as they run along it one way more than the other (an arc between two of the
    /// area's own polygons cancels out).
    edges: Vec<u32>,
}

/// An arc's use by a ring that runs around what it encloses counterclockwise (an exterior; a
/// hole clockwise): the arc's index, shifted, and 1 when that runs against the arc.
fn use_of(r: &ArcRef, sense: bool) -> u32 {
    r.arc << 1 | u32::from(r.reversed == sense)
}

/// `uses` (see [`use_of`]) sorted: each arc once, and the uses left when one each way cancel.
fn distinct_and_net(mut uses: Vec<u32>) -> (Vec<u32>, Vec<u32>) {
    crate::order::sort_by(&mut uses, &|a, b| a.cmp(b));
    let mut distinct: Vec<u32> = Vec::with_capacity(uses.len());
    let mut net = Vec::new();
    for run in uses.chunk_by(|a, b| a >> 1 == b >> 1) {
        distinct.push(run[0] >> 1);
        let against = run.iter().filter(|u| *u & 1 == 1).count();
        let along = run.len() - against;
        let u = run[0] & !1 | u32::from(against > along);
        net.extend(std::iter::repeat_n(u, along.abs_diff(against)));
    }
    (distinct, net)
}

/// Whether `ring` (closed) runs as it should for its place: counterclockwise for an exterior
/// (`k` 0), clockwise for a hole, by the sign of its area (the shoelace formula, about its
/// first vertex so metres at 10⁷ keep their precision).
fn runs_as_it_should(ring: &LineString<f64>, k: usize) -> bool {
    let c = &ring.0;
    let o = c.first().copied().unwrap_or(Coord { x: 0.0, y: 0.0 });
    let twice: f64 = c
        .windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum();
    (twice >= 0.0) == (k == 0)
}

/// Every area and point of a plan in Web Mercator metres, with label anchors.
#[derive(Clone, Debug)]
pub struct ProjectedPlan {
    /// `plan.areas[i]` projected.
    pub areas: Vec<MultiPolygon<f64>>,
    /// The border network of the areas: each shared border is one arc, simplified once and
    /// stroked once (issue 13).
    pub topology: Topology,
    /// `arc_lods[a][k]`: arc `a` simplified to `LOD_TOLERANCES[k - 1]` (k ≥ 1), when first
    /// drawn.
    arc_lods: Vec<[OnceCell<LineString<f64>>; LEVELS]>,
    /// The bounds of each arc, so a frame strokes only the borders in view.
    pub arc_bounds: Vec<Bounds>,
    /// `lods[i][k]`: area `i` at level `k`, assembled from its simplified arcs, for drawing
    /// zoomed out: a city of 13 districts has ~60,000 vertices, most of them inside one pixel
    /// there. Each level is made when first drawn, not at load: a frame draws one level, and
    /// simplifying every level up front was most of a province's load (issue 13).
    lods: Vec<[OnceCell<AreaLevel>; LEVELS]>,
    /// The bounds of each area.
    pub area_bounds: Vec<Bounds>,
    /// The best label point of each area: the pole of inaccessibility of its largest polygon,
    /// the point inside it farthest from its edges. Worked out at load, or (a large plan loaded
    /// for the page: [`ProjectedPlan::deferring_labels`]) by [`ProjectedPlan::settle_labels`].
    labels: Vec<OnceCell<[f64; 2]>>,
    /// What stands in for a label point not worked out yet: the first frame of a large plan is
    /// drawn with these (issue 13). Empty when every label was made at load.
    estimates: Vec<[f64; 2]>,
    /// `plan.points[i]` projected.
    pub points: Vec<[f64; 2]>,
    /// `plan.lines[i]` projected.
    pub lines: Vec<MultiLineString<f64>>,
    /// `line_lods[i][k]`: `lines[i]` simplified to `LOD_TOLERANCES[k]`, as for areas.
    pub line_lods: Vec<Vec<MultiLineString<f64>>>,
    /// The bounds of each line (empty for a line whose geometry was null).
    pub line_bounds: Vec<Bounds>,
    /// Where each line is "at" for the keyboard and `select(id, {zoom})`: halfway along its
    /// longest part (NaN for a line without a course).
    pub line_anchors: Vec<[f64; 2]>,
    /// What the view may show: everything but the context layer (or everything, when the plan
    /// is only context), so clamping keeps the plan itself in sight.
    pub extent: Bounds,
    /// A streamed plan's: deferred label points are worked out on its prepared levels
    /// ([`ProjectedPlan::assemble`]), as the worker would have.
    label_from_levels: bool,
}

impl ProjectedPlan {
    /// Projects `plan`.
    pub fn new(plan: &Plan) -> ProjectedPlan {
        ProjectedPlan::converted(plan, None)
    }

    /// Projects `plan`, first converting every coordinate `from` one system `to` another when
    /// given (a GCJ-02 plan over WGS-84 tiles): once per load or basemap change, never per
    /// frame.
    pub fn converted(plan: &Plan, conversion: Option<(Crs, Crs)>) -> ProjectedPlan {
        ProjectedPlan::projected(plan, conversion, false)
    }

    /// Projects `plan` for a first frame as soon as can be (issue 13): a plan of more than
    /// [`DEFER_LABELS_OVER`] vertices is labelled at the middle of each area's bounds first,
    /// and polylabel on the full outlines (most of a province's
    /// projection: ≈ 50 of 65 ms natively on Liaoning's 179k vertices) waits for
    /// [`ProjectedPlan::settle_labels`], which the page runs after the first frame. Once
    /// settled, every label point is the one [`ProjectedPlan::new`] gives.
    pub fn deferring_labels(plan: &Plan) -> ProjectedPlan {
        ProjectedPlan::projected(plan, None, true)
    }

    /// [`ProjectedPlan::converted`], or with its label points deferred when `defer` (as
    /// [`ProjectedPlan::deferring_labels`]).
    pub fn projected(plan: &Plan, conversion: Option<(Crs, Crs)>, defer: bool) -> ProjectedPlan {
        let to_plane = |p: [f64; 2]| match conversion {
            Some((from, to)) => project_interpolated(from.convert(to, p)),
            None => project_interpolated(p),
        };
        let areas: Vec<MultiPolygon<f64>> = plan
            .areas
            .iter()
            .map(|a| {
                a.geometry.map_coords(|c| {
                    let [x, y] = to_plane([c.x, c.y]);
                    geo::coord! { x: x, y: y }
                })
            })
            .collect();
        let defer = defer && areas.iter().map(vertices).sum::<usize>() > DEFER_LABELS_OVER;
        let labels = areas
            .iter()
            .map(|a| match defer {
                true => OnceCell::new(),
                false => OnceCell::from(label_point(a)),
            })
            .collect();
        let topology = Topology::new(&areas);
        let mut pp = ProjectedPlan::with_areas(plan, areas, topology, labels, to_plane);
        if defer {
            // The estimates: the middle of each area's bounds, free (inside most districts;
            // for the first frame only).
            pp.estimates = pp.area_bounds.iter().map(Bounds::center).collect();
        }
        pp
    }

    /// Where area `i` is labelled now: its label point, or its estimate while that is not
    /// worked out yet.
    pub fn label_point(&self, i: usize) -> [f64; 2] {
        match self.labels[i].get() {
            Some(p) => *p,
            None => self.estimates[i],
        }
    }

    /// How many label points are still estimates.
    pub fn labels_pending(&self) -> usize {
        self.labels.iter().filter(|l| l.get().is_none()).count()
    }

    /// Works out deferred label points, in area order, until about `budget` outline vertices
    /// have been searched (at least one area's when `budget` > 0; none at 0; `usize::MAX`
    /// for all), so the page can spread the work over tasks of its choosing. Returns how many
    /// are still pending.
    pub fn settle_labels(&self, budget: usize) -> usize {
        let mut spent = 0;
        for (i, l) in self.labels.iter().enumerate() {
            if l.get().is_some() {
                continue;
            }
            if spent >= budget {
                break;
            }
            let outline = self.label_outline(i);
            spent += vertices(outline).max(1);
            let _ = l.set(label_point(outline));
        }
        self.labels_pending()
    }

    /// The projection of a streamed plan (issue 13), from its areas already projected
    /// ([`project_area`]) and what a worker prepared for each ([`prepare`]): label points and
    /// the coarse levels of detail, so nothing here walks millions of vertices but the
    /// bounds. (The page puts the same together batch by batch: [`StreamedAreas`].)
    pub fn assemble(
        plan: &Plan,
        areas: Vec<MultiPolygon<f64>>,
        prepared: Vec<Prepared>,
    ) -> ProjectedPlan {
        let mut parts = StreamedAreas::default();
        for (a, p) in areas.into_iter().zip(prepared) {
            parts.push(a, p);
        }
        ProjectedPlan::assembled(plan, parts)
    }

    /// A streamed plan's projection from its areas as they arrived ([`StreamedAreas`]).
    pub fn assembled(plan: &Plan, parts: StreamedAreas) -> ProjectedPlan {
        let StreamedAreas {
            areas,
            topology,
            area_bounds,
            arc_bounds,
            arc_lods,
            labels,
            vertices,
        } = parts;
        let mut pp = ProjectedPlan::with_parts(
            plan,
            areas,
            topology,
            labels,
            project_interpolated,
            (area_bounds, arc_bounds, arc_lods),
        );
        pp.label_from_levels = true;
        // A label point the worker left to the page (NaN: [`prepare_with_outline`]) is
        // worked out from the prepared levels by `settle_labels`, after the first frame when
        // the plan is large, at once when it is small (as a plan fed on the page).
        if pp.labels_pending() > 0 {
            pp.estimates = pp.area_bounds.iter().map(Bounds::center).collect();
            if vertices <= DEFER_LABELS_OVER {
                pp.settle_labels(usize::MAX);
            }
        }
        pp
    }

    /// The outline area `i`'s label point is worked out on: the outline itself, or for a
    /// streamed plan the one the worker would have used ([`prepared_label`]): the finest of
    /// its prepared levels with at most [`LABEL_FULL_DETAIL_MAX`] vertices, as drawn.
    fn label_outline(&self, i: usize) -> &MultiPolygon<f64> {
        let mut m = &self.areas[i];
        if self.label_from_levels {
            for &k in &PREPARED_LEVELS {
                if vertices(m) <= LABEL_FULL_DETAIL_MAX {
                    break;
                }
                m = self.geometry(i, usize::from(k));
            }
        }
        m
    }

    fn with_areas(
        plan: &Plan,
        areas: Vec<MultiPolygon<f64>>,
        topology: Topology,
        labels: Vec<OnceCell<[f64; 2]>>,
        to_plane: impl Fn([f64; 2]) -> [f64; 2],
    ) -> ProjectedPlan {
        let area_bounds: Vec<Bounds> = areas.iter().map(multipolygon_bounds).collect();
        let arc_lods = topology.arcs.iter().map(|_| Default::default()).collect();
        let arc_bounds = topology.arcs.iter().map(ring_bounds).collect();
        let parts = (area_bounds, arc_bounds, arc_lods);
        ProjectedPlan::with_parts(plan, areas, topology, labels, to_plane, parts)
    }

    /// [`ProjectedPlan::with_areas`] with the areas' bounds, the arcs' bounds and their
    /// levels already worked out.
    fn with_parts(
        plan: &Plan,
        areas: Vec<MultiPolygon<f64>>,
        topology: Topology,
        labels: Vec<OnceCell<[f64; 2]>>,
        to_plane: impl Fn([f64; 2]) -> [f64; 2],
        (area_bounds, arc_bounds, arc_lods): ArcParts,
    ) -> ProjectedPlan {
        let lods = areas.iter().map(|_| Default::default()).collect();
        let points: Vec<[f64; 2]> = plan.points.iter().map(|p| to_plane(p.lonlat)).collect();
        let lines: Vec<MultiLineString<f64>> = plan
            .lines
            .iter()
            .map(|l| {
                l.geometry.map_coords(|c| {
                    let [x, y] = to_plane([c.x, c.y]);
                    geo::coord! { x: x, y: y }
                })
            })
            .collect();
        let line_lods = lines
            .iter()
            .map(|l| {
                LOD_TOLERANCES
                    .iter()
                    .map(|t| {
                        MultiLineString::new(l.0.iter().map(|p| simplify::line(p, *t)).collect())
                    })
                    .collect()
            })
            .collect();
        let line_bounds: Vec<Bounds> = lines.iter().map(line_bounds).collect();
        let line_anchors = lines.iter().map(halfway).collect();
        let mut extent = Bounds::EMPTY;
        for (a, b) in plan.areas.iter().zip(&area_bounds) {
            if a.role != AreaRole::Context {
                extent.union(b);
            }
        }
        for p in &points {
            extent.extend(*p);
        }
        for b in &line_bounds {
            extent.union(b);
        }
        if extent.is_empty() {
            for b in &area_bounds {
                extent.union(b);
            }
        }
        ProjectedPlan {
            areas,
            topology,
            arc_lods,
            arc_bounds,
            lods,
            area_bounds,
            labels,
            estimates: Vec::new(),
            points,
            lines,
            line_lods,
            line_bounds,
            line_anchors,
            extent,
            label_from_levels: false,
        }
    }

    /// The level of detail to draw at `scale` pixels per metre (the view's CSS pixels per
    /// metre, times the device pixel ratio where that is under 1): the coarsest whose error
    /// stays within a pixel (0 = full detail).
    pub fn lod_for(scale: f64) -> usize {
        LOD_TOLERANCES
            .iter()
            .take_while(|t| *t * scale <= LOD_MAX_ERROR_PX)
            .count()
    }

    /// Area `i` at level of detail `lod`, made now if this is its first use: the rings from
    /// its simplified arcs, so a border shared with a neighbour is the same line on both sides.
    pub fn geometry(&self, i: usize, lod: usize) -> &MultiPolygon<f64> {
        if lod == 0 {
            &self.areas[i]
        } else {
            &self.level(i, lod).geometry
        }
    }

    /// The arcs area `i`'s outline runs along at level `lod` (each once; rings dropped at that
    /// level drop theirs).
    pub fn area_arcs(&self, i: usize, lod: usize) -> &[u32] {
        &self.level(i, lod).arcs
    }

    /// Arc `a` at level `lod`, simplified now if this is its first use. Its ends (junctions)
    /// never move, so the arcs of a ring still meet at every level.
    pub fn arc(&self, a: usize, lod: usize) -> &LineString<f64> {
        if lod == 0 {
            &self.topology.arcs[a]
        } else {
            self.arc_lods[a][lod]
                .get_or_init(|| simplify::line(&self.topology.arcs[a], LOD_TOLERANCES[lod - 1]))
        }
    }

    fn level(&self, i: usize, lod: usize) -> &AreaLevel {
        self.lods[i][lod].get_or_init(|| {
            // Level 0 is the outline as loaded (`areas[i]`), every ring kept.
            let tolerance = if lod == 0 {
                0.0
            } else {
                LOD_TOLERANCES[lod - 1]
            };
            let mut uses = Vec::new();
            let mut polygons = Vec::new();
            for poly in &self.topology.rings[i] {
                let mut kept: Vec<LineString<f64>> = Vec::with_capacity(poly.len());
                for (k, refs) in poly.iter().enumerate() {
                    let ring = self.ring(refs, lod);
                    let [w, h] = ring_bounds(&ring).size();
                    // Under the tolerance across: under a pixel wherever this level is
                    // drawn, so not drawn at all (nor its arcs stroked).
                    if lod == 0 || ring.0.len() >= 4 && w.max(h) >= tolerance {
                        let sense = runs_as_it_should(&ring, k);
                        uses.extend(refs.iter().map(|r| use_of(r, sense)));
                        if lod > 0 {
                            kept.push(ring);
                        }
                    } else if k == 0 {
                        // A polygon whose exterior is dropped goes with its holes.
                        break;
                    }
                }
                if !kept.is_empty() {
                    let exterior = kept.remove(0);
                    polygons.push(Polygon::new(exterior, kept));
                }
            }
            let (arcs, edges) = distinct_and_net(uses);
            AreaLevel {
                geometry: MultiPolygon(polygons),
                arcs,
                edges,
            }
        })
    }

    /// The outline of areas `ids` together at level `lod`, as rings for a nonzero fill: the
    /// arcs on the edge of the group chained into rings, counterclockwise around what is
    /// inside and clockwise around holes, without the borders inside it. Areas of one fill
    /// tile the plane, so filling their outline paints what filling each would, with a
    /// fraction of the edges (a province's districts: its coast and its border). Nonzero, not
    /// even-odd: Chromium fills all of China's counties' outline in half the time by it (issue
    /// 13), and where two areas' borders overlap (drawn twice in the data) the overlap is
    /// filled rather than left out.
    pub fn outline(&self, ids: &[usize], lod: usize) -> MultiPolygon<f64> {
        let uses = ids
            .iter()
            .flat_map(|&i| self.level(i, lod).edges.iter().copied());
        let (_, edges) = distinct_and_net(uses.collect());
        let key = |c: &Coord<f64>| (c.x.to_bits(), c.y.to_bits());
        // Each edge's vertices the way the outline runs along it.
        let arcs: Vec<Vec<Coord<f64>>> = edges
            .iter()
            .map(|&u| {
                let mut a = self.arc((u >> 1) as usize, lod).0.clone();
                if u & 1 == 1 {
                    a.reverse();
                }
                a
            })
            .collect();
        // Open arcs by where they start; closed ones are rings already.
        let mut starts: std::collections::HashMap<(u64, u64), Vec<usize>> = Default::default();
        let mut used = vec![false; arcs.len()];
        let mut rings = Vec::new();
        for (k, a) in arcs.iter().enumerate() {
            match (a.first(), a.last()) {
                (Some(p), Some(q)) if p != q => starts.entry(key(p)).or_default().push(k),
                _ => {
                    used[k] = true;
                    if a.len() >= 4 {
                        rings.push(Polygon::new(LineString(a.clone()), vec![]));
                    }
                }
            }
        }
        for k in 0..arcs.len() {
            if used[k] {
                continue;
            }
            used[k] = true;
            let mut ring: Vec<Coord<f64>> = arcs[k].clone();
            let start = ring[0];
            // Walk from arc to the arc that starts where it ends until the ring closes (or,
            // in data whose borders do not meet, until no arc goes on: the fill closes it).
            // Where several start at one junction any will do: a nonzero fill counts edges,
            // not which ring they are in.
            while let Some(&end) = ring.last() {
                if end == start {
                    break;
                }
                let next = starts
                    .get(&key(&end))
                    .and_then(|c| c.iter().copied().find(|&j| !used[j]));
                let Some(j) = next else { break };
                used[j] = true;
                ring.extend_from_slice(&arcs[j][1..]);
            }
            if ring.len() >= 3 {
                rings.push(Polygon::new(LineString(ring), vec![]));
            }
        }
        MultiPolygon(rings)
    }

    /// A ring from its arcs at level `lod`, closed, without repeated vertices in a row.
    fn ring(&self, refs: &[ArcRef], lod: usize) -> LineString<f64> {
        let mut out: Vec<Coord<f64>> = Vec::new();
        let mut push = |c: &Coord<f64>| {
            if out.last() != Some(c) {
                out.push(*c);
            }
        };
        for r in refs {
            let arc = &self.arc(r.arc as usize, lod).0;
            if r.reversed {
                arc.iter().rev().for_each(&mut push);
            } else {
                arc.iter().for_each(&mut push);
            }
        }
        if let Some(first) = out.first().copied() {
            if out.last() != Some(&first) {
                out.push(first);
            }
        }
        LineString(out)
    }

    /// How many simplified outlines (area × level) exist so far: what laziness saved.
    pub fn levels_computed(&self) -> usize {
        self.lods
            .iter()
            .flat_map(|l| &l[1..])
            .filter(|l| l.get().is_some())
            .count()
    }

    /// How many simplified arcs (arc × level) exist so far: a streamed plan's prepared ones
    /// are there before its first frame.
    pub fn arc_levels_computed(&self) -> usize {
        self.arc_lods
            .iter()
            .flat_map(|l| &l[1..])
            .filter(|l| l.get().is_some())
            .count()
    }

    /// Line `i` at level of detail `lod`.
    pub fn line(&self, i: usize, lod: usize) -> &MultiLineString<f64> {
        if lod == 0 {
            &self.lines[i]
        } else {
            &self.line_lods[i][lod - 1]
        }
    }
}

/// The bounds of each area, the bounds of each arc, and each arc's levels of detail.
type ArcParts = (
    Vec<Bounds>,
    Vec<Bounds>,
    Vec<[OnceCell<LineString<f64>>; LEVELS]>,
);

/// A streamed plan's areas as they arrive on the page (issue 13): each outline projected (by
/// the worker), its rings as arcs of an unshared border network ([`Topology::unshared`]), the
/// bounds and the prepared levels, put together batch by batch, so that the plan is assembled
/// at its end ([`ProjectedPlan::assembled`]) without walking millions of vertices in one task
/// (a national file's 6.9 million: 0.2–0.4 s of the page's thread before its first frame).
#[derive(Default)]
pub struct StreamedAreas {
    areas: Vec<MultiPolygon<f64>>,
    topology: Topology,
    area_bounds: Vec<Bounds>,
    arc_bounds: Vec<Bounds>,
    arc_lods: Vec<[OnceCell<LineString<f64>>; LEVELS]>,
    labels: Vec<OnceCell<[f64; 2]>>,
    vertices: usize,
}

impl StreamedAreas {
    /// Adds the next area: its outline in projected metres and what the worker prepared.
    pub fn push(&mut self, area: MultiPolygon<f64>, prepared: Prepared) {
        let i = self.areas.len();
        let first = self.topology.arcs.len();
        self.topology.push_unshared(&area);
        for arc in &self.topology.arcs[first..] {
            self.arc_bounds.push(ring_bounds(arc));
            self.arc_lods.push(Default::default());
        }
        // Each ring is its own arc, in the order of the area's polygons and rings, and the
        // worker simplified each ring in that order: its levels are the arcs' levels.
        let arcs: Vec<Option<u32>> = self.topology.rings[i]
            .iter()
            .flatten()
            .map(|refs| refs.first().map(|r| r.arc))
            .collect();
        for (k, m) in prepared.levels {
            let k = usize::from(k);
            if !(1..LEVELS).contains(&k) {
                continue;
            }
            let rings = m.0.into_iter().flat_map(|poly| {
                let (exterior, interiors) = poly.into_inner();
                std::iter::once(exterior).chain(interiors)
            });
            for (arc, ring) in arcs.iter().zip(rings) {
                if let Some(a) = arc {
                    let _ = self.arc_lods[*a as usize][k].set(ring);
                }
            }
        }
        let label = prepared.label;
        self.labels.push(match label.iter().all(|c| c.is_finite()) {
            true => OnceCell::from(label),
            false => OnceCell::new(),
        });
        // The area's bounds are its exteriors' ([`multipolygon_bounds`]): from their arcs'
        // bounds, just worked out, rather than another walk over every vertex; from the
        // outline itself when an exterior made no arc (fewer than three distinct vertices).
        let mut bounds = Bounds::EMPTY;
        for poly in &self.topology.rings[i] {
            match poly.first().and_then(|refs| refs.first()) {
                Some(r) => bounds.union(&self.arc_bounds[r.arc as usize]),
                None => {
                    bounds = multipolygon_bounds(&area);
                    break;
                }
            }
        }
        self.area_bounds.push(bounds);
        self.vertices += vertices(&area);
        self.areas.push(area);
    }
}

/// The levels of detail a streamed load prepares off the page's thread ([`prepare`]): 512 m
/// and every coarser one, what a national map draws from its fitted view (a fitted China is
/// about 6 km a CSS pixel) to two zoom levels in, so no first frame simplifies millions of
/// vertices in one task. A view that needs a finer level shows a few dozen counties, whose
/// arcs the page simplifies as they are drawn. Preparing from 128 m (three levels more)
/// was half the preparation of all of China (707 against 327 ms, `cargo run --release
/// --example stream_time`) and an eighth of its batches' bytes (264 against 232 MB), all
/// before the first frame, on cores the parse needs (issue 13).
pub const PREPARED_LEVELS: [u8; 4] = [9, 10, 11, 12];

/// Outlines with more vertices than this get their label point from the finest prepared
/// level that has at most this many (512 m, else a coarser one): polylabel on every
/// county of China at full detail was most of a streamed load's work (seconds), and the
/// label of an area that large sits where a pixel is hundreds of metres.
const LABEL_FULL_DETAIL_MAX: usize = 1024;

/// Plans with more area vertices than this have their label points worked out after the
/// first frame ([`ProjectedPlan::deferring_labels`]): polylabel on a city (Shenyang, 27k) costs
/// ≈ 10 ms natively, on a province (Liaoning, 179k) ≈ 70, the larger part of its projection.
pub const DEFER_LABELS_OVER: usize = 50_000;

/// The vertices of `mp`'s rings.
fn vertices(mp: &MultiPolygon<f64>) -> usize {
    mp.0.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

/// Area `mp` (lon/lat) in projected metres, as [`ProjectedPlan::new`] projects it.
pub fn project_area(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.map_coords(|c| {
        let [x, y] = project_interpolated([c.x, c.y]);
        geo::coord! { x: x, y: y }
    })
}

/// What a streamed load works out for area `mp` (lon/lat) where the work does not hold up the
/// page (a worker): its label point and its [`PREPARED_LEVELS`], exactly as
/// [`ProjectedPlan::geometry`] would simplify them.
pub fn prepare(mp: &MultiPolygon<f64>) -> Prepared {
    let mut p = prepare_with_outline(mp);
    p.label = prepared_label(&p.levels);
    p.levels.remove(0);
    p
}

/// The label point of an area from what [`prepare_with_outline`] made of it: polylabel on the
/// finest outline of at most [`LABEL_FULL_DETAIL_MAX`] vertices (else the coarsest).
pub fn prepared_label(levels: &[(u8, MultiPolygon<f64>)]) -> [f64; 2] {
    let outline = levels
        .iter()
        .map(|(_, m)| m)
        .find(|m| vertices(m) <= LABEL_FULL_DETAIL_MAX)
        .or(levels.last().map(|(_, m)| m));
    outline.map_or([f64::NAN; 2], label_point)
}

/// [`prepare`], with the outline itself in projected metres ([`project_area`]) first, as
/// level 0 (the worker projects it anyway, and the page need not project it again: a
/// national file's 6.9 million positions were seconds of the page's thread), and without the
/// label point (NaN): polylabel was 1.4 of a national file's 3.4 s of preparation, on the
/// way to the first frame, which is drawn with estimates; the page works the points out
/// after it ([`ProjectedPlan::assemble`], [`ProjectedPlan::settle_labels`]) on the same
/// level of the outline as it draws it (without rings under that level's tolerance).
pub fn prepare_with_outline(mp: &MultiPolygon<f64>) -> Prepared {
    let mut levels: Vec<(u8, MultiPolygon<f64>)> = Vec::with_capacity(PREPARED_LEVELS.len() + 1);
    levels.push((0, project_area(mp)));
    // The finest level from the outline itself; each coarser one from the level before it:
    // simplifying millions of vertices once instead of three times (a coarser level strays
    // at most the finer one's tolerance more: 512 m on 2 km, at a fifth of a pixel).
    for &k in &PREPARED_LEVELS {
        let from = &levels[levels.len() - 1].1;
        let simplified = simplify::multipolygon(from, LOD_TOLERANCES[usize::from(k) - 1]);
        levels.push((k, simplified));
    }
    Prepared {
        label: [f64::NAN; 2],
        levels,
    }
}

fn ring_bounds(l: &LineString<f64>) -> Bounds {
    let mut b = Bounds::EMPTY;
    for c in l.coords() {
        b.extend([c.x, c.y]);
    }
    b
}

fn line_bounds(ml: &MultiLineString<f64>) -> Bounds {
    let mut b = Bounds::EMPTY;
    for c in ml.0.iter().flat_map(|l| l.coords()) {
        b.extend([c.x, c.y]);
    }
    b
}

/// The point halfway along the longest part of `ml`, measured along the line (NaN if empty).
pub fn halfway(ml: &MultiLineString<f64>) -> [f64; 2] {
    let Some(part) =
        ml.0.iter()
            .max_by(|a, b| Euclidean.length(*a).total_cmp(&Euclidean.length(*b)))
    else {
        return [f64::NAN; 2];
    };
    along(part, 0.5)
}

/// The point at fraction `t` (0 to 1) of the length of `l`.
pub fn along(l: &LineString<f64>, t: f64) -> [f64; 2] {
    let total = Euclidean.length(l);
    let mut left = total * t.clamp(0.0, 1.0);
    for seg in l.lines() {
        let len = Euclidean.length(&seg);
        if left <= len && len > 0.0 {
            let k = left / len;
            return [
                seg.start.x + k * (seg.end.x - seg.start.x),
                seg.start.y + k * (seg.end.y - seg.start.y),
            ];
        }
        left -= len;
    }
    l.0.last().map_or([f64::NAN; 2], |c| [c.x, c.y])
}

fn multipolygon_bounds(mp: &MultiPolygon<f64>) -> Bounds {
    let mut b = Bounds::EMPTY;
    for p in mp {
        for c in p.exterior().coords() {
            b.extend([c.x, c.y]);
        }
    }
    b
}

/// The pole of inaccessibility of the largest polygon (by area), found by polylabel to a
/// tolerance of a thousandth of its size; falls back to the bounds' centre for degenerate
/// shapes, which polylabel rejects.
fn label_point(mp: &MultiPolygon<f64>) -> [f64; 2] {
    let largest: Option<&Polygon<f64>> = mp
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
    let Some(poly) = largest else {
        return multipolygon_bounds(mp).center();
    };
    let b = multipolygon_bounds(&MultiPolygon(vec![poly.clone()]));
    let [w, h] = b.size();
    let tolerance = |side: f64| (side / 1000.0).max(1e-6);
    if w.min(h) * 1000.0 >= w.max(h) {
        return match polylabel::polylabel(poly, &tolerance(w.max(h))) {
            Ok(p) if p.x().is_finite() && p.y().is_finite() => [p.x(), p.y()],
            _ => b.center(),
        };
    }
    // polylabel first covers the bounds with square cells as wide as their shorter side: a
    // sliver 10⁻⁹° wide and 0.04° tall needed 74 million cells and ran out of memory (found by
    // `cargo xtask fuzz`, tests/broken/sliver.geojson). So a sliver is searched stretched to
    // a square: one cell to start with. A stretch keeps inside inside, so the point mapped
    // back lies in the sliver. geo's `InteriorPoint` did this job before, and brought its
    // whole `Relate` machinery (intersection matrices, geometry graphs, an R-tree, a sweep
    // line) into the map's wasm: 61 KB of its 474 (twiggy on `cargo xtask size --names`).
    let side = w.max(h);
    if !(w > 0.0 && h > 0.0 && side.is_finite()) {
        return b.center();
    }
    let (sx, sy) = (side / w, side / h);
    let square =
        poly.map_coords(|c| geo::coord! { x: (c.x - b.min[0]) * sx, y: (c.y - b.min[1]) * sy });
    match polylabel::polylabel(&square, &tolerance(side)) {
        Ok(p) if p.x().is_finite() && p.y().is_finite() => {
            [b.min[0] + p.x() / sx, b.min[1] + p.y() / sy]
        }
        _ => b.center(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Point};

    #[test]
    fn level_of_detail_keeps_the_error_within_a_device_pixel() {
        assert_eq!(ProjectedPlan::lod_for(1.0), 0, "zoomed in: full detail");
        for scale in [0.0001, 0.001, 0.01, 0.05] {
            let k = ProjectedPlan::lod_for(scale);
            if k > 0 {
                assert!(
                    LOD_TOLERANCES[k - 1] * scale <= 1.0,
                    "scale {scale}: level {k} strays"
                );
            }
            if k < LOD_TOLERANCES.len() {
                assert!(
                    LOD_TOLERANCES[k] * scale > 1.0,
                    "scale {scale}: a coarser level was allowed"
                );
            }
        }
    }

    #[test]
    fn label_point_of_a_sliver_lies_inside_it_without_a_huge_search() {
        // A thin "V", a millionth as wide as it is tall, with a gap between its arms: the
        // bounding-box centre lies outside it. Unstretched, polylabel would start with a million cells.
        let v = Polygon::new(
            vec![
                (0.0, 0.0),
                (1e-6, 1.0),
                (0.8e-6, 1.0),
                (0.5e-6, 0.2),
                (0.2e-6, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]
            .into(),
            vec![],
        );
        let p = label_point(&MultiPolygon(vec![v.clone()]));
        assert!(v.contains(&Point::new(p[0], p[1])), "{p:?}");
        assert!(
            !v.contains(&Point::new(0.5e-6, 0.5)),
            "the bbox centre is outside"
        );
        // Degenerate (no width at all): the bounds' centre, on the line.
        let flat = Polygon::new(vec![(1.0, 0.0), (1.0, 4.0), (1.0, 0.0)].into(), vec![]);
        assert_eq!(label_point(&MultiPolygon(vec![flat])), [1.0, 2.0]);
    }

    #[test]
    fn label_point_of_a_c_shape_lies_inside_it() {
        // A "C": its bounding-box centre is in the gap, outside the shape.
        let c = Polygon::new(
            vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 2.0),
                (2.0, 2.0),
                (2.0, 8.0),
                (10.0, 8.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]
            .into(),
            vec![],
        );
        let mp = MultiPolygon(vec![c.clone()]);
        let p = label_point(&mp);
        assert!(c.contains(&Point::new(p[0], p[1])), "{p:?}");
        assert!(
            !c.contains(&Point::new(5.0, 5.0)),
            "the bbox centre is outside, so this test means something"
        );
    }
}
