//! Features in a compact binary batch, for a worker to hand to the page (issue 13): the
//! coordinates as little-endian f64 with ring lengths, each feature's properties as a small
//! head (its properties: strings as length and UTF-8, numbers as they are), and what the
//! worker prepared for drawing (label point, coarse outlines). A batch
//! is one `ArrayBuffer`, moved (not copied) between threads, and read back into the model's
//! types exactly: `decode(encode(x)) == x`.
//!
//! Layout (all numbers little-endian): `PMB1`, three u32 counts (areas, lines, points), then
//! each area (head, multipolygon, prepared), each line (head, multilinestring), each point
//! (head). Not JSON: serde's derived readers for the heads cost the page's wasm 38 KB
//! gzipped. A string is a u32 length and its bytes; a multipolygon a u32 count of polygons, each a u32
//! count of rings, each a u32 count of positions and two f64 per position; prepared is the
//! label point (two f64), a u8 count of levels, each a u8 level and a multipolygon (level 0,
//! when there, is the outline itself in projected metres, so the page need not project it).

use super::model::*;
use super::text::Text;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};

const MAGIC: &[u8; 4] = b"PMB1";

/// Features read and handed out before the plan's end ([`PlanFeed::take_pieces`](super::PlanFeed::take_pieces)).
#[derive(Debug, Default)]
pub struct Pieces {
    /// Areas (a bare file's polygons).
    pub areas: Vec<Area>,
    /// Lines.
    pub lines: Vec<LineFeature>,
    /// Points.
    pub points: Vec<PointFeature>,
}

impl Pieces {
    /// How many positions (vertices) the pieces hold.
    pub fn positions(&self) -> usize {
        positions_in(&self.areas, &self.lines, self.points.len())
    }

    /// `true` when there is nothing.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }
}

/// What a malformed batch is called (only a bug could make one).
const BAD: &str = "a malformed feature batch";

/// What the producer of a batch worked out for drawing an area, in projected metres (see
/// `geom::ProjectedPlan`): its label point and simplified outlines at some levels of detail,
/// so the page's first frame simplifies nothing.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Prepared {
    /// The area's label point.
    pub label: [f64; 2],
    /// `(level, outline)`: the outline simplified as level `level` of detail simplifies it.
    pub levels: Vec<(u8, MultiPolygon<f64>)>,
}

/// Writes `pieces` (and for each area, what was prepared for it) as one batch.
///
/// # Panics
/// When `prepared` does not have one entry per area.
pub fn encode(pieces: &Pieces, prepared: &[Prepared]) -> Vec<u8> {
    assert_eq!(pieces.areas.len(), prepared.len(), "one Prepared per area");
    let levels: usize = prepared
        .iter()
        .flat_map(|p| &p.levels)
        .map(|(_, m)| positions(m))
        .sum();
    let mut out = Vec::with_capacity(
        16 + (pieces.positions() + levels) * 16
            + (pieces.areas.len() + pieces.lines.len() + pieces.points.len()) * 160,
    );
    out.extend_from_slice(MAGIC);
    for n in [pieces.areas.len(), pieces.lines.len(), pieces.points.len()] {
        u32_(&mut out, n);
    }
    for (a, p) in pieces.areas.iter().zip(prepared) {
        let w = &mut out;
        str_(w, &a.id);
        text(w, &a.name);
        w.push(match a.role {
            AreaRole::Context => 0,
            AreaRole::Boundary => 1,
            AreaRole::Zone => 2,
            AreaRole::Area => 3,
        });
        w.push(u8::from(a.schematic));
        u32_(w, a.values.len());
        for v in &a.values {
            str_(w, &v.indicator);
            f64_(w, v.value);
            w.extend_from_slice(&v.year.to_le_bytes());
            w.push(match v.kind {
                ValueKind::Baseline => 0,
                ValueKind::Actual => 1,
                ValueKind::Cumulative => 2,
                ValueKind::Target => 3,
            });
            str_(w, &v.source);
            str_(w, &v.section);
            w.push(
                u8::from(v.at_least) | u8::from(v.at_most) << 1 | u8::from(v.approximately) << 2,
            );
        }
        facts(w, &a.facts);
        quote(w, &a.quote);
        numbers(w, &a.numbers);
        opt_str(w, &a.link);
        multipolygon(&mut out, &a.geometry);
        f64_(&mut out, p.label[0]);
        f64_(&mut out, p.label[1]);
        out.push(p.levels.len().min(255) as u8);
        for (k, m) in p.levels.iter().take(255) {
            out.push(*k);
            multipolygon(&mut out, m);
        }
    }
    for l in &pieces.lines {
        let w = &mut out;
        str_(w, &l.id);
        text(w, &l.name);
        str_(w, &l.category);
        opt_str(w, &l.status);
        opt_str(w, &l.zone);
        w.push(u8::from(l.schematic));
        w.push(u8::from(l.location == Location::Surveyed));
        quote(w, &l.quote);
        w.extend_from_slice(&l.priority.to_le_bytes());
        facts(w, &l.facts);
        numbers(w, &l.numbers);
        opt_str(w, &l.link);
        u32_(&mut out, l.geometry.0.len());
        for part in &l.geometry.0 {
            ring(&mut out, part);
        }
    }
    for p in &pieces.points {
        let w = &mut out;
        str_(w, &p.id);
        text(w, &p.name);
        f64_(w, p.lonlat[0]);
        f64_(w, p.lonlat[1]);
        str_(w, &p.category);
        opt_str(w, &p.status);
        opt_str(w, &p.zone);
        w.push(u8::from(p.location == Location::Surveyed));
        quote(w, &p.quote);
        w.extend_from_slice(&p.priority.to_le_bytes());
        facts(w, &p.facts);
        opt_str(w, &p.link);
    }
    out
}

/// Reads a batch [`encode`] wrote: the features and each area's prepared drawing data.
pub fn decode(bytes: &[u8]) -> Result<(Pieces, Vec<Prepared>), String> {
    let mut r = Reader { b: bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err("not a planmap feature batch".into());
    }
    let (na, nl, np) = (r.u32()?, r.u32()?, r.u32()?);
    let mut pieces = Pieces::default();
    let mut prepared = Vec::with_capacity(na.min(1 << 20));
    pieces.areas.reserve_exact(na.min(1 << 20));
    for _ in 0..na {
        let id = r.string()?;
        let name = r.text()?;
        let role = match r.u8()? {
            0 => AreaRole::Context,
            1 => AreaRole::Boundary,
            2 => AreaRole::Zone,
            3 => AreaRole::Area,
            _ => return Err(BAD.into()),
        };
        let schematic = r.u8()? != 0;
        let n = r.u32()?;
        let mut values = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let indicator = r.string()?;
            let value = r.f64()?;
            let year = r.i32()?;
            let kind = match r.u8()? {
                0 => ValueKind::Baseline,
                1 => ValueKind::Actual,
                2 => ValueKind::Cumulative,
                3 => ValueKind::Target,
                _ => return Err(BAD.into()),
            };
            let (source, section) = (r.string()?, r.string()?);
            let flags = r.u8()?;
            values.push(Value {
                indicator,
                value,
                year,
                kind,
                source,
                section,
                at_least: flags & 1 != 0,
                at_most: flags & 2 != 0,
                approximately: flags & 4 != 0,
            });
        }
        let (facts, quote, numbers, link) = (r.facts()?, r.quote()?, r.numbers()?, r.opt_string()?);
        let geometry = r.multipolygon()?;
        let label = [r.f64()?, r.f64()?];
        let n = r.take(1)?[0];
        let mut levels = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let k = r.take(1)?[0];
            levels.push((k, r.multipolygon()?));
        }
        prepared.push(Prepared { label, levels });
        pieces.areas.push(Area {
            id,
            name,
            role,
            geometry,
            schematic,
            values,
            facts,
            quote,
            numbers,
            link,
        });
    }
    for _ in 0..nl {
        let id = r.string()?;
        let name = r.text()?;
        let category = r.string()?;
        let (status, zone) = (r.opt_string()?, r.opt_string()?);
        let schematic = r.u8()? != 0;
        let location = r.location()?;
        let quote = r.quote()?;
        let priority = r.i32()?;
        let (facts, numbers, link) = (r.facts()?, r.numbers()?, r.opt_string()?);
        let n = r.u32()?;
        let mut parts = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            parts.push(r.ring()?);
        }
        pieces.lines.push(LineFeature {
            id,
            name,
            geometry: MultiLineString(parts),
            category,
            status,
            zone,
            schematic,
            location,
            quote,
            priority,
            facts,
            numbers,
            link,
        });
    }
    for _ in 0..np {
        let id = r.string()?;
        let name = r.text()?;
        let lonlat = [r.f64()?, r.f64()?];
        let category = r.string()?;
        let (status, zone) = (r.opt_string()?, r.opt_string()?);
        let location = r.location()?;
        let quote = r.quote()?;
        let priority = r.i32()?;
        let (facts, link) = (r.facts()?, r.opt_string()?);
        pieces.points.push(PointFeature {
            id,
            name,
            lonlat,
            category,
            status,
            zone,
            location,
            quote,
            priority,
            facts,
            link,
        });
    }
    if r.at != bytes.len() {
        return Err(format!(
            "a feature batch with {} bytes after its end",
            bytes.len() - r.at
        ));
    }
    Ok((pieces, prepared))
}

/// The positions (vertices) of these areas, lines and `points` points: what the stream
/// counts against its cap and the worker sizes its batches by.
pub(crate) fn positions_in(areas: &[Area], lines: &[LineFeature], points: usize) -> usize {
    let areas: usize = areas.iter().map(|a| positions(&a.geometry)).sum();
    let lines: usize = lines
        .iter()
        .flat_map(|l| &l.geometry.0)
        .map(|l| l.0.len())
        .sum();
    areas + lines + points
}

fn positions(m: &MultiPolygon<f64>) -> usize {
    m.0.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

fn u32_(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn f64_(out: &mut Vec<u8>, x: f64) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn str_(out: &mut Vec<u8>, s: &str) {
    u32_(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn opt_str(out: &mut Vec<u8>, s: &Option<String>) {
    match s {
        Some(s) => {
            out.push(1);
            str_(out, s);
        }
        None => out.push(0),
    }
}

fn text(out: &mut Vec<u8>, t: &Text) {
    str_(out, &t.zh);
    opt_str(out, &t.en);
}

fn facts(out: &mut Vec<u8>, facts: &[Fact]) {
    u32_(out, facts.len());
    for f in facts {
        text(out, &f.label);
        text(out, &f.text);
    }
}

fn quote(out: &mut Vec<u8>, q: &Option<Quote>) {
    match q {
        Some(q) => {
            out.push(1);
            str_(out, &q.source);
            str_(out, &q.section);
        }
        None => out.push(0),
    }
}

fn numbers(out: &mut Vec<u8>, numbers: &[(String, f64)]) {
    u32_(out, numbers.len());
    for (k, v) in numbers {
        str_(out, k);
        f64_(out, *v);
    }
}

fn ring(out: &mut Vec<u8>, l: &LineString<f64>) {
    u32_(out, l.0.len());
    coords_to_le(out, &l.0);
}

// A position is two f64, x then y, in 16 bytes: as `Coord<f64>` lies in memory (checked
// here, when compiled), so on a little-endian machine (wasm, x86, most ARM) a ring's
// positions are copied to and from a batch whole. A national file's 16 million positions
// read one by one were a large part of the page's intake (issue 13).
const _: () = assert!(
    std::mem::size_of::<Coord<f64>>() == 16
        && std::mem::offset_of!(Coord<f64>, x) == 0
        && std::mem::offset_of!(Coord<f64>, y) == 8
);

/// Appends `coords` as little-endian f64 pairs.
fn coords_to_le(out: &mut Vec<u8>, coords: &[Coord<f64>]) {
    if cfg!(target_endian = "little") {
        // SAFETY: `Coord<f64>` is 16 bytes, x at 0 and y at 8 (asserted above), with no
        // padding, so the slice's memory is its positions' f64 in order, in this machine's
        // (little-endian) byte order; the view lives no longer than `coords`.
        let bytes = unsafe {
            std::slice::from_raw_parts(coords.as_ptr().cast::<u8>(), std::mem::size_of_val(coords))
        };
        out.extend_from_slice(bytes);
    } else {
        for c in coords {
            f64_(out, c.x);
            f64_(out, c.y);
        }
    }
}

/// Positions from `bytes` (a multiple of 16: little-endian f64 pairs), as [`coords_to_le`]
/// wrote them.
fn coords_from_le(bytes: &[u8]) -> Vec<Coord<f64>> {
    let n = bytes.len() / 16;
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(n);
    if cfg!(target_endian = "little") {
        // SAFETY: `out` has room for `n` positions, 16 bytes each (asserted above), and every
        // bit pattern is an f64, so copying `n * 16` bytes over them makes `n` initialised
        // positions; `bytes` and `out` do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.as_mut_ptr().cast::<u8>(), n * 16);
            out.set_len(n);
        }
    } else {
        for c in bytes.chunks_exact(16) {
            let f = |k: usize| f64::from_le_bytes(c[k..k + 8].try_into().unwrap_or_default());
            out.push(Coord { x: f(0), y: f(8) });
        }
    }
    out
}

fn multipolygon(out: &mut Vec<u8>, m: &MultiPolygon<f64>) {
    u32_(out, m.0.len());
    for p in &m.0 {
        u32_(out, 1 + p.interiors().len());
        ring(out, p.exterior());
        for r in p.interiors() {
            ring(out, r);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.b.len());
        let end = end.ok_or_else(|| "a feature batch cut short".to_owned())?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<usize, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn f64(&mut self) -> Result<f64, String> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn i32(&mut self) -> Result<i32, String> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| BAD.to_owned())
    }
    fn opt_string(&mut self) -> Result<Option<String>, String> {
        Ok(match self.u8()? {
            0 => None,
            _ => Some(self.string()?),
        })
    }
    fn text(&mut self) -> Result<Text, String> {
        Ok(Text {
            zh: self.string()?,
            en: self.opt_string()?,
        })
    }
    fn facts(&mut self) -> Result<Vec<Fact>, String> {
        let n = self.u32()?;
        let mut out = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            out.push(Fact {
                label: self.text()?,
                text: self.text()?,
            });
        }
        Ok(out)
    }
    fn quote(&mut self) -> Result<Option<Quote>, String> {
        Ok(match self.u8()? {
            0 => None,
            _ => Some(Quote {
                source: self.string()?,
                section: self.string()?,
            }),
        })
    }
    fn numbers(&mut self) -> Result<Vec<(String, f64)>, String> {
        let n = self.u32()?;
        let mut out = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            out.push((self.string()?, self.f64()?));
        }
        Ok(out)
    }
    fn location(&mut self) -> Result<Location, String> {
        Ok(if self.u8()? != 0 {
            Location::Surveyed
        } else {
            Location::Approximate
        })
    }
    fn ring(&mut self) -> Result<LineString<f64>, String> {
        let n = self.u32()?;
        let bytes = self.take(n.checked_mul(16).ok_or("a feature batch cut short")?)?;
        Ok(LineString(coords_from_le(bytes)))
    }
    fn multipolygon(&mut self) -> Result<MultiPolygon<f64>, String> {
        let n = self.u32()?;
        let mut polys = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let rings = self.u32()?;
            if rings == 0 {
                return Err("a feature batch's polygon without rings".into());
            }
            let exterior = self.ring()?;
            let mut interiors = Vec::with_capacity((rings - 1).min(1 << 16));
            for _ in 1..rings {
                interiors.push(self.ring()?);
            }
            polys.push(Polygon::new(exterior, interiors));
        }
        Ok(MultiPolygon(polys))
    }
}
