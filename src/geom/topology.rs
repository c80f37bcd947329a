//! The border network of a plan's areas: every ring cut into arcs at its junctions (where the
//! rings it borders change), each arc kept once however many rings run along it. Two things
//! follow (issue 13): a border shared by two districts is simplified once, so both sides of it
//! stay the same line at every level of detail (no slivers, no doubled lines), and it is
//! stroked once per frame instead of once per area.
//!
//! Junctions are found as TopoJSON finds them: a vertex whose neighbours differ from one
//! occurrence to the next. Vertices are compared by their exact coordinates, so borders shared
//! in the data (the same vertices on both sides, as in AMap's district files) become shared
//! arcs; borders drawn twice with different vertices stay two arcs and are stroked twice.

use geo::{Coord, LineString, MultiLineString, MultiPolygon};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One use of an arc by a ring: which arc, and whether the ring runs along it backwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArcRef {
    /// Index into [`Topology::arcs`].
    pub arc: u32,
    /// The ring runs from the arc's last vertex to its first.
    pub reversed: bool,
}

/// A ring as the arcs it runs along, in order.
pub type ArcRing = Vec<ArcRef>;

/// The border network of a set of areas.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    /// Every arc at full detail: a run of border from junction to junction (or a whole ring
    /// without junctions, closed), never a repeated vertex in a row.
    pub arcs: Vec<LineString<f64>>,
    /// `rings[i]`: area `i`'s polygons, each its rings (exterior first) as arcs. A ring with
    /// fewer than three distinct vertices has no arcs.
    pub rings: Vec<Vec<Vec<ArcRing>>>,
}

/// A vertex hashed from its exact coordinates (a collision only adds a junction).
fn vertex_hash(c: Coord<f64>) -> u64 {
    // +0.0 makes -0.0 and 0.0 the same vertex.
    mix(((c.x + 0.0).to_bits()).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (c.y + 0.0).to_bits())
}

/// splitmix64's finaliser: every input bit moves every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Keys here are already hashes: the map uses them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b) ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Marks a vertex met with different neighbours.
const JUNCTION: u64 = u64::MAX;

/// A ring's distinct vertices in order, without the closing repeat or repeated vertices in a
/// row; empty when fewer than three remain.
fn clean(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    // Copied whole and thinned in place: pushed one by one, a national file's 6.9 million
    // vertices were the largest part of a streamed load's intake on the page (issue 13).
    let mut out = ring.0.clone();
    out.dedup();
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        out.clear();
    }
    out
}

impl Topology {
    /// The border network of `areas`.
    pub fn new(areas: &[MultiPolygon<f64>]) -> Topology {
        let cleaned: Vec<Vec<Vec<Vec<Coord<f64>>>>> = areas
            .iter()
            .map(|mp| {
                mp.iter()
                    .map(|p| {
                        std::iter::once(p.exterior())
                            .chain(p.interiors())
                            .map(clean)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // Each vertex with its neighbours (as an unordered pair), or JUNCTION once they differ.
        // Sized for every vertex up front: growing it rehashed all of them again and again (a
        // tenth of a province's border network, issue 13).
        let vertices = cleaned.iter().flatten().flatten().map(Vec::len).sum();
        let mut seen: Map<u64> = Map::with_capacity_and_hasher(vertices, Default::default());
        for ring in cleaned.iter().flatten().flatten() {
            let n = ring.len();
            for k in 0..n {
                let (a, b) = (
                    vertex_hash(ring[(k + n - 1) % n]),
                    vertex_hash(ring[(k + 1) % n]),
                );
                let pair = mix(a.min(b) ^ mix(a.max(b))) & !1;
                seen.entry(vertex_hash(ring[k]))
                    .and_modify(|p| {
                        if *p != pair {
                            *p = JUNCTION;
                        }
                    })
                    .or_insert(pair);
            }
        }
        let is_junction = |c: Coord<f64>| seen.get(&vertex_hash(c)) == Some(&JUNCTION);

        let mut topo = Topology::default();
        // Arcs by (first, second, last) vertex in their canonical direction.
        let mut index: Map<Vec<u32>> = Map::default();
        for area in &cleaned {
            let mut polys = Vec::with_capacity(area.len());
            for poly in area {
                let mut rings = Vec::with_capacity(poly.len());
                for ring in poly {
                    let n = ring.len();
                    let cuts: Vec<usize> = (0..n).filter(|&k| is_junction(ring[k])).collect();
                    let mut refs = Vec::new();
                    if n == 0 {
                    } else if cuts.is_empty() {
                        // One closed arc, from the ring's own first vertex and in its own
                        // direction, so a dashed outline keeps its pattern where it was.
                        let coords: Vec<Coord<f64>> = (0..=n).map(|k| ring[k % n]).collect();
                        refs.push(topo.intern(&mut index, coords));
                    } else {
                        for (j, &from) in cuts.iter().enumerate() {
                            let to = cuts[(j + 1) % cuts.len()];
                            let len = (to + n - from) % n;
                            let len = if len == 0 { n } else { len };
                            let coords: Vec<Coord<f64>> =
                                (0..=len).map(|k| ring[(from + k) % n]).collect();
                            refs.push(topo.intern(&mut index, coords));
                        }
                    }
                    rings.push(refs);
                }
                polys.push(rings);
            }
            topo.rings.push(polys);
        }
        topo
    }

    /// Each ring its own closed arc, with no search for shared borders: for a streamed plan
    /// (all of China's counties, millions of vertices), where finding junctions would be one
    /// long task on the page's thread and the worker has already simplified each ring. Shared
    /// borders are then stroked once per side, as before the border network.
    pub fn unshared(areas: &[MultiPolygon<f64>]) -> Topology {
        let mut topo = Topology::default();
        for mp in areas {
            topo.push_unshared(mp);
        }
        topo
    }

    /// Adds area `mp` as [`Topology::unshared`] adds each: a streamed plan's, batch by batch.
    pub fn push_unshared(&mut self, mp: &MultiPolygon<f64>) {
        let mut polys = Vec::with_capacity(mp.0.len());
        for p in mp {
            let mut rings = Vec::with_capacity(1 + p.interiors().len());
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let mut coords = clean(ring);
                let mut refs = Vec::new();
                if let Some(&first) = coords.first() {
                    coords.push(first);
                    refs.push(ArcRef {
                        arc: self.arcs.len() as u32,
                        reversed: false,
                    });
                    self.arcs.push(LineString(coords));
                }
                rings.push(refs);
            }
            polys.push(rings);
        }
        self.rings.push(polys);
    }

    /// The arc with `coords` (in either direction; a closed one from any vertex), added if new.
    fn intern(&mut self, index: &mut Map<Vec<u32>>, coords: Vec<Coord<f64>>) -> ArcRef {
        let closed = coords.first() == coords.last();
        // Open arcs are stored and keyed in one direction of the two; closed ones are keyed by
        // their canonical form and stored as the first ring had them.
        let canon = if closed {
            canonical_ring(&coords)
        } else {
            coords.clone()
        };
        let n = canon.len();
        let h = |c: Coord<f64>| vertex_hash(c);
        let forward = (h(canon[0]), h(canon[1]));
        let backward = (h(canon[n - 1]), h(canon[n - 2]));
        let flip = !closed && backward < forward;
        let (first, second) = if flip { backward } else { forward };
        let last = if flip { h(canon[0]) } else { h(canon[n - 1]) };
        let key = mix(first ^ mix(second ^ mix(last)));
        let ids = index.entry(key).or_default();
        for &id in ids.iter() {
            let arc = &self.arcs[id as usize].0;
            if arc.len() != n {
                continue;
            }
            if closed {
                if arc.first() == arc.last() && canonical_ring(arc) == canon {
                    // The same ring: is it run the other way round?
                    let at = arc.iter().position(|c| *c == coords[0]).unwrap_or(0);
                    return ArcRef {
                        arc: id,
                        reversed: arc[at + 1] != coords[1],
                    };
                }
            } else if arc.iter().eq(coords.iter()) {
                return ArcRef {
                    arc: id,
                    reversed: false,
                };
            } else if arc.iter().eq(coords.iter().rev()) {
                return ArcRef {
                    arc: id,
                    reversed: true,
                };
            }
        }
        let id = self.arcs.len() as u32;
        ids.push(id);
        let mut coords = coords;
        if flip {
            coords.reverse();
        }
        self.arcs.push(LineString(coords));
        ArcRef {
            arc: id,
            reversed: flip,
        }
    }

    /// The distinct arcs of area `i`.
    pub fn arcs_of(&self, i: usize) -> Vec<u32> {
        let mut ids: Vec<u32> = self.rings[i]
            .iter()
            .flatten()
            .flatten()
            .map(|r| r.arc)
            .collect();
        crate::order::sort_by(&mut ids, &|a, b| a.cmp(b));
        ids.dedup();
        ids
    }
}

/// A closed ring from its smallest vertex, in the direction whose second vertex is the smaller
/// of its two neighbours: the same for one ring however it was started or run.
fn canonical_ring(ring: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let n = ring.len() - 1;
    let less = |a: &Coord<f64>, b: &Coord<f64>| (a.x, a.y) < (b.x, b.y);
    let mut start = 0;
    for k in 1..n {
        if less(&ring[k], &ring[start]) {
            start = k;
        }
    }
    let next = ring[(start + 1) % n];
    let prev = ring[(start + n - 1) % n];
    let step = if less(&prev, &next) { n - 1 } else { 1 };
    (0..=n).map(|k| ring[(start + k * step) % n]).collect()
}

/// `arc` as the pieces a stroke needs: split where it would run again along one of its own
/// segments (a spike that goes out and back, as quantised data has), so no segment is
/// stroked twice.
pub fn stroke_parts(arc: &LineString<f64>) -> MultiLineString<f64> {
    let key = |a: Coord<f64>, b: Coord<f64>| {
        let (x, y) = (vertex_hash(a), vertex_hash(b));
        mix(x.min(y) ^ mix(x.max(y)))
    };
    let mut seen: Map<()> = Map::default();
    let mut parts = Vec::new();
    let mut part: Vec<Coord<f64>> = Vec::new();
    for w in arc.0.windows(2) {
        if w[0] == w[1] {
            continue;
        }
        if seen.insert(key(w[0], w[1]), ()).is_some() {
            if part.len() > 1 {
                parts.push(LineString(std::mem::take(&mut part)));
            }
            part.clear();
            continue;
        }
        if part.last() != Some(&w[0]) {
            if part.len() > 1 {
                parts.push(LineString(std::mem::take(&mut part)));
            }
            part.clear();
            part.push(w[0]);
        }
        part.push(w[1]);
    }
    if part.len() > 1 {
        parts.push(LineString(part));
    }
    MultiLineString(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + 1.0, y: y),
            (x: x + 1.0, y: y + 1.0),
            (x: x, y: y + 1.0),
            (x: x, y: y),
        ]])
    }

    #[test]
    fn two_squares_share_one_arc() {
        let t = Topology::new(&[square(0.0, 0.0), square(1.0, 0.0)]);
        // The shared side, and the rest of each square.
        assert_eq!(t.arcs.len(), 3, "{:?}", t.arcs);
        let shared: Vec<u32> = t
            .arcs_of(0)
            .into_iter()
            .filter(|a| t.arcs_of(1).contains(a))
            .collect();
        assert_eq!(shared.len(), 1);
        let arc = &t.arcs[shared[0] as usize].0;
        assert_eq!(arc.len(), 2);
        assert!(arc.iter().all(|c| c.x == 1.0));
    }

    #[test]
    fn a_ring_without_neighbours_is_one_closed_arc_and_an_enclave_shares_its_hole() {
        let outer = polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 9.0, y: 0.0), (x: 9.0, y: 9.0), (x: 0.0, y: 9.0)],
            interiors: [[(x: 3.0, y: 3.0), (x: 3.0, y: 6.0), (x: 6.0, y: 6.0), (x: 6.0, y: 3.0)]],
        ];
        let inner =
            polygon![(x: 6.0, y: 3.0), (x: 6.0, y: 6.0), (x: 3.0, y: 6.0), (x: 3.0, y: 3.0)];
        let t = Topology::new(&[MultiPolygon(vec![outer]), MultiPolygon(vec![inner])]);
        assert_eq!(t.arcs.len(), 2);
        assert_eq!(t.arcs_of(1), vec![t.rings[0][0][1][0].arc]);
        assert_eq!(t.arcs[1].0.first(), t.arcs[1].0.last(), "closed");
    }

    #[test]
    fn a_spike_is_stroked_once() {
        let arc = LineString::from(vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (2.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
        ]);
        let parts = stroke_parts(&arc);
        let segments: usize = parts.0.iter().map(|p| p.0.len() - 1).sum();
        assert_eq!(segments, 3, "{parts:?}");
    }
}
