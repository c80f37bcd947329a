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

/// A vertex hashed from its exact coordinates (a collision only adds a junction). This and
/// [`mix`] are inlined always: at opt-level "z" they stayed calls per vertex.
#[inline(always)]
fn vertex_hash(c: Coord<f64>) -> u64 {
    // +0.0 makes -0.0 and 0.0 the same vertex.
    mix(((c.x + 0.0).to_bits()).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (c.y + 0.0).to_bits())
}

/// splitmix64's finaliser: every input bit moves every output bit.
#[inline(always)]
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
/// row; empty when fewer than three remain. Never inlined, for V8's tiering as
/// [`VertexTable::insert_ring`].
#[inline(never)]
fn clean(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    // Copied whole and thinned in place: pushed one by one, a national file's 6.9 million
    // vertices were the largest part of a streamed load's intake on the page (issue 13).
    let c = &ring.0;
    // Rarely is a vertex repeated in a row: looked for first, so the usual ring is one copy
    // (`dedup` walked all of a national file's 6.9 million again, ≈ 50 ms of its intake).
    let mut k = 1;
    while k < c.len() && c[k] != c[k - 1] {
        k += 1;
    }
    let mut out = c.clone();
    if k < c.len() {
        out.dedup();
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        out.clear();
    }
    out
}

/// Whether each vertex of `rings` (all rings' vertices in order, as one list) is a junction:
/// met elsewhere with other neighbours.
///
/// The vertices go into an open-addressing table of their hashes, written out here rather than
/// a `HashMap`: the map's generic probing is many small calls, which V8 runs in its baseline
/// tier on a page's first load (issue 13), where it was most of a province's border network
/// (≈ 45 of Liaoning's first-frame milliseconds); these loops are a few times faster there. Each
/// vertex's slot is kept from the first pass, so the second never hashes or probes again.
fn junctions<'a>(rings: impl Iterator<Item = &'a [Coord<f64>]> + Clone) -> Vec<bool> {
    let vertices: usize = rings.clone().map(<[_]>::len).sum();
    // Under 70% full: linear probing stays short.
    let size = (vertices * 10 / 7 + 1).next_power_of_two().max(16);
    let mut table = VertexTable {
        keys: vec![0u64; size],
        pairs: vec![0u64; size],
        mask: size - 1,
    };
    let mut slots: Vec<u32> = Vec::with_capacity(vertices);
    let mut hashes: Vec<u64> = Vec::new();
    for ring in rings {
        table.insert_ring(ring, &mut hashes, &mut slots);
    }
    slots
        .into_iter()
        .map(|s| table.pairs[s as usize] == JUNCTION)
        .collect()
}

/// The table behind [`junctions`]: each slot a vertex hash (0: empty; a hash of 0 is stored as
/// 1, and a collision only adds a junction) and its neighbour pair.
struct VertexTable {
    keys: Vec<u64>,
    pairs: Vec<u64>,
    mask: usize,
}

impl VertexTable {
    /// Enters `ring`'s vertices with their neighbours, pushing each one's slot.
    ///
    /// One call per ring, never inlined: V8 swaps in a function's optimised code only between
    /// calls, so a loop over a whole province in one call runs in the baseline tier to its end
    /// on a first load, while this is optimised after its first few hundred rings (issue 13).
    #[inline(never)]
    fn insert_ring(&mut self, ring: &[Coord<f64>], hashes: &mut Vec<u64>, slots: &mut Vec<u32>) {
        let n = ring.len();
        hashes.clear();
        hashes.extend(ring.iter().map(|&c| vertex_hash(c).max(1)));
        for k in 0..n {
            // The neighbours before and after, round the ring (no division per vertex).
            let a = hashes[if k == 0 { n - 1 } else { k - 1 }];
            let b = hashes[if k + 1 == n { 0 } else { k + 1 }];
            let pair = mix(a.min(b) ^ mix(a.max(b))) & !1;
            let key = hashes[k];
            let mut slot = key as usize & self.mask;
            loop {
                if self.keys[slot] == 0 {
                    self.keys[slot] = key;
                    self.pairs[slot] = pair;
                    break;
                }
                if self.keys[slot] == key {
                    if self.pairs[slot] != pair {
                        self.pairs[slot] = JUNCTION;
                    }
                    break;
                }
                slot = (slot + 1) & self.mask;
            }
            slots.push(slot as u32);
        }
    }
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
        let junctions = junctions(cleaned.iter().flatten().flatten().map(Vec::as_slice));
        let mut at = 0;

        let mut topo = Topology::default();
        // Arcs by (first, second, last) vertex in their canonical direction.
        let mut index: Map<Vec<u32>> = Map::default();
        for area in &cleaned {
            let mut polys = Vec::with_capacity(area.len());
            for poly in area {
                let mut rings = Vec::with_capacity(poly.len());
                for ring in poly {
                    let refs = topo.ring_arcs(&mut index, ring, &junctions[at..at + ring.len()]);
                    at += ring.len();
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

    /// `ring` (cleaned) as arcs, cut at its junctions (`junction[k]` for its vertex `k`), each
    /// arc interned. One call per ring, never inlined, for V8's tiering as
    /// [`VertexTable::insert_ring`].
    #[inline(never)]
    fn ring_arcs(
        &mut self,
        index: &mut Map<Vec<u32>>,
        ring: &[Coord<f64>],
        junction: &[bool],
    ) -> ArcRing {
        let n = ring.len();
        let mut refs = Vec::new();
        if n == 0 {
            return refs;
        }
        let cuts: Vec<usize> = (0..n).filter(|&k| junction[k]).collect();
        if cuts.is_empty() {
            // One closed arc, from the ring's own first vertex and in its own direction, so a
            // dashed outline keeps its pattern where it was.
            let mut coords = Vec::with_capacity(n + 1);
            coords.extend_from_slice(ring);
            coords.push(ring[0]);
            refs.push(self.intern(index, coords));
        } else {
            for (j, &from) in cuts.iter().enumerate() {
                let to = cuts[(j + 1) % cuts.len()];
                let len = (to + n - from) % n;
                let len = if len == 0 { n } else { len };
                // The ring's vertices from `from`, `len` steps on, wrapping past its end once
                // at most (two slices, no division per vertex).
                let mut coords = Vec::with_capacity(len + 1);
                let tail = (n - from).min(len + 1);
                coords.extend_from_slice(&ring[from..from + tail]);
                coords.extend_from_slice(&ring[..len + 1 - tail]);
                refs.push(self.intern(index, coords));
            }
        }
        refs
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

    /// Junctions by exact coordinates in a std `HashMap`: what [`junctions`]' table must
    /// find (they could differ only on a 64-bit hash collision).
    fn junctions_by_coordinates(rings: &[Vec<Coord<f64>>]) -> Vec<bool> {
        type Key = (u64, u64);
        let key = |c: Coord<f64>| ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits());
        let mut seen: HashMap<Key, Option<(Key, Key)>> = HashMap::new();
        for ring in rings {
            let n = ring.len();
            for k in 0..n {
                let (a, b) = (key(ring[(k + n - 1) % n]), key(ring[(k + 1) % n]));
                let pair = (a.min(b), a.max(b));
                seen.entry(key(ring[k]))
                    .and_modify(|p| {
                        if *p != Some(pair) {
                            *p = None;
                        }
                    })
                    .or_insert(Some(pair));
            }
        }
        rings
            .iter()
            .flatten()
            .map(|&c| seen[&key(c)].is_none())
            .collect()
    }

    #[test]
    fn the_junction_table_finds_what_a_map_of_coordinates_finds() {
        // A lattice of districts with zigzag shared sides (so a junction is where three meet),
        // rings started at different corners, a ring at the origin (hash 0), -0.0 against 0.0,
        // and a spike out and back.
        let zig = |a: i32, b: i32| {
            geo::coord! { x: f64::from(a) + f64::from((b * 7) % 3) * 0.1, y: f64::from(b) + f64::from((a * 5) % 3) * 0.1 }
        };
        let mut rings = Vec::new();
        for i in 0..5 {
            for j in 0..4 {
                let (a0, b0) = (i * 6, j * 6);
                let mut ring = Vec::new();
                for t in 0..6 {
                    ring.push(zig(a0 + t, b0));
                }
                for t in 0..6 {
                    ring.push(zig(a0 + 6, b0 + t));
                }
                for t in 0..6 {
                    ring.push(zig(a0 + 6 - t, b0 + 6));
                }
                for t in 0..6 {
                    ring.push(zig(a0, b0 + 6 - t));
                }
                ring.rotate_left(((i + j) % 4 * 6) as usize);
                rings.push(ring);
            }
        }
        let c = |x: f64, y: f64| geo::coord! { x: x, y: y };
        rings.push(vec![c(0.0, 0.0), c(-1.0, 0.0), c(-1.0, -1.0)]);
        rings.push(vec![c(-0.0, 0.0), c(-1.0, -1.0), c(0.0, -1.0)]);
        rings.push(vec![
            c(50.0, 50.0),
            c(51.0, 50.0),
            c(52.0, 50.0),
            c(51.0, 50.0),
            c(51.0, 51.0),
        ]);
        let found = junctions(rings.iter().map(Vec::as_slice));
        let expected = junctions_by_coordinates(&rings);
        assert_eq!(found, expected);
        let count = expected.iter().filter(|&&j| j).count();
        assert!(
            count > 20 && count < expected.len() / 2,
            "{count} junctions"
        );
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
