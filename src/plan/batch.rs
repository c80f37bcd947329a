//! Features in a compact binary batch, for a worker to hand to the page (issue 13): the
//! coordinates as little-endian f64 with ring lengths, each feature's properties as a small
//! JSON head, and what the worker prepared for drawing (label point, coarse outlines). A batch
//! is one `ArrayBuffer`, moved (not copied) between threads, and read back into the model's
//! types exactly: `decode(encode(x)) == x`.
//!
//! Layout (all numbers little-endian): `PMB1`, three u32 counts (areas, lines, points), then
//! each area (head, multipolygon, prepared), each line (head, multilinestring), each point
//! (head). A head is a u32 length and JSON; a multipolygon a u32 count of polygons, each a u32
//! count of rings, each a u32 count of positions and two f64 per position; prepared is the
//! label point (two f64), a u8 count of levels, each a u8 level and a multipolygon.

use super::model::*;
use super::stream::Pieces;
use super::text::Text;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 4] = b"PMB1";

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

#[derive(Serialize, Deserialize)]
struct AreaHead {
    id: String,
    name: Text,
    role: AreaRole,
    schematic: bool,
    values: Vec<Value>,
    facts: Vec<Fact>,
    quote: Option<Quote>,
    numbers: Vec<(String, f64)>,
    link: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct LineHead {
    id: String,
    name: Text,
    category: String,
    status: Option<String>,
    zone: Option<String>,
    schematic: bool,
    location: Location,
    quote: Option<Quote>,
    priority: i32,
    facts: Vec<Fact>,
    numbers: Vec<(String, f64)>,
    link: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct PointHead {
    id: String,
    name: Text,
    lonlat: [f64; 2],
    category: String,
    status: Option<String>,
    zone: Option<String>,
    location: Location,
    quote: Option<Quote>,
    priority: i32,
    facts: Vec<Fact>,
    link: Option<String>,
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
        head(
            &mut out,
            &AreaHead {
                id: a.id.clone(),
                name: a.name.clone(),
                role: a.role,
                schematic: a.schematic,
                values: a.values.clone(),
                facts: a.facts.clone(),
                quote: a.quote.clone(),
                numbers: a.numbers.clone(),
                link: a.link.clone(),
            },
        );
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
        head(
            &mut out,
            &LineHead {
                id: l.id.clone(),
                name: l.name.clone(),
                category: l.category.clone(),
                status: l.status.clone(),
                zone: l.zone.clone(),
                schematic: l.schematic,
                location: l.location,
                quote: l.quote.clone(),
                priority: l.priority,
                facts: l.facts.clone(),
                numbers: l.numbers.clone(),
                link: l.link.clone(),
            },
        );
        u32_(&mut out, l.geometry.0.len());
        for part in &l.geometry.0 {
            ring(&mut out, part);
        }
    }
    for p in &pieces.points {
        head(
            &mut out,
            &PointHead {
                id: p.id.clone(),
                name: p.name.clone(),
                lonlat: p.lonlat,
                category: p.category.clone(),
                status: p.status.clone(),
                zone: p.zone.clone(),
                location: p.location,
                quote: p.quote.clone(),
                priority: p.priority,
                facts: p.facts.clone(),
                link: p.link.clone(),
            },
        );
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
        let h: AreaHead = r.head()?;
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
            id: h.id,
            name: h.name,
            role: h.role,
            geometry,
            schematic: h.schematic,
            values: h.values,
            facts: h.facts,
            quote: h.quote,
            numbers: h.numbers,
            link: h.link,
        });
    }
    for _ in 0..nl {
        let h: LineHead = r.head()?;
        let n = r.u32()?;
        let mut parts = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            parts.push(r.ring()?);
        }
        pieces.lines.push(LineFeature {
            id: h.id,
            name: h.name,
            geometry: MultiLineString(parts),
            category: h.category,
            status: h.status,
            zone: h.zone,
            schematic: h.schematic,
            location: h.location,
            quote: h.quote,
            priority: h.priority,
            facts: h.facts,
            numbers: h.numbers,
            link: h.link,
        });
    }
    for _ in 0..np {
        let h: PointHead = r.head()?;
        pieces.points.push(PointFeature {
            id: h.id,
            name: h.name,
            lonlat: h.lonlat,
            category: h.category,
            status: h.status,
            zone: h.zone,
            location: h.location,
            quote: h.quote,
            priority: h.priority,
            facts: h.facts,
            link: h.link,
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

fn head<T: Serialize>(out: &mut Vec<u8>, h: &T) {
    let json = serde_json::to_vec(h).unwrap_or_default();
    u32_(out, json.len());
    out.extend_from_slice(&json);
}

fn ring(out: &mut Vec<u8>, l: &LineString<f64>) {
    u32_(out, l.0.len());
    for c in &l.0 {
        f64_(out, c.x);
        f64_(out, c.y);
    }
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
    fn head<T: for<'de> Deserialize<'de>>(&mut self) -> Result<T, String> {
        let n = self.u32()?;
        serde_json::from_slice(self.take(n)?).map_err(|e| format!("a feature batch's head: {e}"))
    }
    fn ring(&mut self) -> Result<LineString<f64>, String> {
        let n = self.u32()?;
        let raw = self.take(n.checked_mul(16).ok_or("a feature batch cut short")?)?;
        Ok(LineString(
            raw.chunks_exact(16)
                .map(|c| {
                    let mut x = [0; 8];
                    let mut y = [0; 8];
                    x.copy_from_slice(&c[..8]);
                    y.copy_from_slice(&c[8..]);
                    Coord {
                        x: f64::from_le_bytes(x),
                        y: f64::from_le_bytes(y),
                    }
                })
                .collect(),
        ))
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
