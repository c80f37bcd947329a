//! RFC 7946 geometry objects → geo types, with the checks a map needs: finite, in range,
//! closed rings of at least four positions, lines of at least two. Every geometry type is
//! read, GeometryCollections recursively; `null` and empty coordinate arrays are a feature
//! without a shape (RFC 7946 §3.2 and §3.1: processors may treat empty as null), not an error.

use super::json::kind_of;
use super::raw::{GeomList, RawGeom, Tok, OVERFLOW_KIND};
use geo::{LineString, MultiLineString, MultiPolygon, Polygon};
use serde_json::Value;

/// What a geometry draws: its points, lines and polygons (a GeometryCollection may hold all
/// three; a null or empty geometry holds none).
#[derive(Debug, Clone)]
pub(crate) struct Shapes {
    /// Point, MultiPoint.
    pub(crate) points: Vec<[f64; 2]>,
    /// LineString, MultiLineString.
    pub(crate) lines: MultiLineString<f64>,
    /// Polygon, MultiPolygon.
    pub(crate) polygons: MultiPolygon<f64>,
    /// Degenerate parts left out, each with its path below the geometry and why: a ring of
    /// fewer than 4 positions among good ones (all of China's county file has seven features
    /// with such slivers; dropping the whole feature lost a district for a zero-area part).
    pub(crate) dropped: Vec<GeometryError>,
    /// The geometry has a type and an empty `coordinates` array (RFC 7946 allows it; the
    /// feature is listed, not drawn, and the loader names it).
    pub(crate) empty: bool,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            points: Vec::new(),
            lines: MultiLineString(Vec::new()),
            polygons: MultiPolygon(Vec::new()),
            dropped: Vec::new(),
            empty: false,
        }
    }
}

impl Shapes {
    /// `true` for a null or empty geometry: the feature is kept, with nothing to draw.
    pub(crate) fn is_empty(&self) -> bool {
        self.points.is_empty() && self.lines.0.is_empty() && self.polygons.0.is_empty()
    }

    fn merge(&mut self, other: Shapes, at: &str) {
        self.points.extend(other.points);
        self.lines.0.extend(other.lines.0);
        self.polygons.0.extend(other.polygons.0);
        self.dropped.extend(
            other
                .dropped
                .into_iter()
                .map(|(p, m)| (format!("{at}{p}"), m)),
        );
    }
}

/// A geometry problem: the path below the geometry (e.g. `.coordinates[0][3]`) and the message.
pub(crate) type GeometryError = (String, String);

/// The geometry types of RFC 7946 §1.4.
pub(crate) const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Parses the `geometry` member of a feature (or a bare geometry object), as read by
/// [`super::raw`].
pub(crate) fn parse(g: RawGeom) -> Result<Shapes, GeometryError> {
    let obj = match g {
        RawGeom::Object(o) => o,
        RawGeom::Null => return Ok(Shapes::default()),
        RawGeom::Parsed(s) => return Ok(s),
        RawGeom::Other(kind) => {
            return Err((
                String::new(),
                format!("expected a geometry object or null, found {kind}"),
            ))
        }
    };
    let ty = match &obj.ty {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err((
                ".type".into(),
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
        None => return Err((".type".into(), "missing".into())),
    };
    if ty == "GeometryCollection" {
        let list = match obj.geometries {
            Some(GeomList::Array(a)) => a,
            Some(GeomList::Other(kind)) => {
                return Err((
                    ".geometries".into(),
                    format!("expected an array, found {kind}"),
                ))
            }
            None => return Err((".geometries".into(), "missing".into())),
        };
        let mut out = Shapes::default();
        for (i, g) in list.into_iter().enumerate() {
            if matches!(g, RawGeom::Null) {
                return Err((
                    format!(".geometries[{i}]"),
                    "expected a geometry object, found null".into(),
                ));
            }
            let at = format!(".geometries[{i}]");
            out.merge(parse(g).map_err(|(p, m)| (format!("{at}{p}"), m))?, &at);
        }
        return Ok(out);
    }
    if !GEOMETRY_TYPES.contains(&ty) {
        return Err((".type".into(), format!("unknown geometry type \"{ty}\"")));
    }
    let coords = obj
        .coordinates
        .as_ref()
        .ok_or_else(|| (".coordinates".to_owned(), "missing".to_owned()))?;
    let coords = Node::root(&coords.0);
    let at = |(p, m): GeometryError| (format!(".coordinates{p}"), m);
    if matches!(coords, Node::Arr([])) {
        return Ok(Shapes {
            empty: true,
            ..Shapes::default()
        });
    }
    let mut out = Shapes::default();
    let mut dropped = Vec::new();
    match ty {
        "Point" => out.points.push(position(coords).map_err(at)?),
        "MultiPoint" => out.points = each(coords, position).map_err(at)?,
        "LineString" => out.lines.0.push(line(coords).map_err(at)?),
        "MultiLineString" => out.lines.0 = each(coords, line).map_err(at)?,
        "Polygon" => out
            .polygons
            .0
            .push(polygon(coords, &mut dropped).map_err(at)?),
        _ => out.polygons.0 = multipolygon(coords, &mut dropped).map_err(at)?,
    }
    out.dropped = dropped
        .into_iter()
        .map(|(p, m)| (format!(".coordinates{p}"), m))
        .collect();
    Ok(out)
}

/// `true` for the error of a ring too short to enclose anything: a degenerate part, left out
/// when the shape has others.
fn is_short_ring(m: &str) -> bool {
    m.starts_with("a ring needs at least 4 positions")
}

/// The polygons of a MultiPolygon; a polygon whose outer ring is degenerate is left out (and
/// noted in `dropped`) when another is good.
fn multipolygon(
    v: Node,
    dropped: &mut Vec<GeometryError>,
) -> Result<Vec<Polygon<f64>>, GeometryError> {
    let list = array(v).map_err(|m| (String::new(), m))?;
    let mut out = Vec::new();
    let mut left_out: Vec<GeometryError> = Vec::new();
    for (i, c) in Node::children(list).enumerate() {
        let mut inner = Vec::new();
        match polygon(c, &mut inner) {
            Ok(p) => {
                out.push(p);
                dropped.extend(inner.into_iter().map(|(p, m)| (format!("[{i}]{p}"), m)));
            }
            Err((p, m)) if p == "[0]" && is_short_ring(&m) => {
                left_out.push((format!("[{i}]{p}"), m))
            }
            Err((p, m)) => return Err((format!("[{i}]{p}"), m)),
        }
    }
    if out.is_empty() {
        if let Some(first) = left_out.first() {
            // Nothing good: the feature is skipped, as for any broken geometry.
            return Err(first.clone());
        }
    }
    dropped.extend(left_out.into_iter().map(|(p, m)| {
        (
            p,
            format!("{m}; this polygon is not drawn, the rest of the feature is"),
        )
    }));
    Ok(out)
}

/// A view of one value of a coordinates token list.
#[derive(Clone, Copy, Debug)]
enum Node<'a> {
    Num(f64),
    Other(&'static str),
    /// An array: the tokens of its contents.
    Arr(&'a [Tok]),
}

impl<'a> Node<'a> {
    /// The value the list starts with, and how many tokens it spans.
    fn first(toks: &'a [Tok]) -> (Node<'a>, usize) {
        match toks.first() {
            Some(Tok::Num(x)) => (Node::Num(*x), 1),
            Some(Tok::Other(k)) => (Node::Other(k), 1),
            Some(Tok::Arr(n)) => {
                let n = *n as usize;
                (Node::Arr(&toks[1..1 + n]), 1 + n)
            }
            None => (Node::Other("null"), 0),
        }
    }

    fn root(toks: &'a [Tok]) -> Node<'a> {
        Self::first(toks).0
    }

    fn kind(&self) -> &'static str {
        match self {
            Node::Num(_) => "a number",
            Node::Other(k) => k,
            Node::Arr(_) => "an array",
        }
    }

    /// The members of an array, in order.
    fn children(toks: &'a [Tok]) -> impl Iterator<Item = Node<'a>> + 'a {
        let mut rest = toks;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let (n, used) = Node::first(rest);
            rest = &rest[used..];
            Some(n)
        })
    }
}

/// A number, with the message for anything else (an overflowing number among them).
fn finite(v: Node) -> Result<f64, String> {
    match v {
        Node::Num(x) => Ok(x),
        Node::Other(OVERFLOW_KIND) => Err("not a finite number (beyond ±1.8e308)".to_owned()),
        other => Err(format!("expected a number, found {}", other.kind())),
    }
}

/// Reads every member of array `v` with `f`, the path of a failure naming the member.
fn each<T>(v: Node, f: fn(Node) -> Result<T, GeometryError>) -> Result<Vec<T>, GeometryError> {
    let list = array(v).map_err(|m| (String::new(), m))?;
    Node::children(list)
        .enumerate()
        .map(|(i, c)| f(c).map_err(|(p, m)| (format!("[{i}]{p}"), m)))
        .collect()
}

fn array<'a>(v: Node<'a>) -> Result<&'a [Tok], String> {
    match v {
        Node::Arr(a) => Ok(a),
        other => Err(format!("expected an array, found {}", other.kind())),
    }
}

fn position(v: Node) -> Result<[f64; 2], GeometryError> {
    let list = array(v).map_err(|m| (String::new(), m))?;
    let mut a = [Node::Other("null"); 2];
    let mut len = 0;
    for (k, c) in Node::children(list).enumerate() {
        if k < 2 {
            a[k] = c;
        }
        len += 1;
    }
    if len < 2 {
        return Err((
            String::new(),
            format!(
                "a position needs longitude and latitude, found {} number(s)",
                len
            ),
        ));
    }
    let mut out = [0.0; 2];
    // A third number (altitude) and beyond are allowed and ignored: a flat map has no use
    // for them (RFC 7946 §3.1.1).
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = match a[k] {
            Node::Num(n) => n,
            Node::Arr(_) => {
                return Err((
                    format!("[{k}]"),
                    "expected a number, found an array (nested one level too deep for this geometry type?)".into(),
                ))
            }
            other => return Err((format!("[{k}]"), finite(other).unwrap_err())),
        };
    }
    // Altitude and beyond are ignored, but must still be numbers: `[lon, lat, "x"]` is no
    // position.
    for (k, extra) in Node::children(list).enumerate().skip(2) {
        if let Err(m) = finite(extra) {
            return Err((format!("[{k}]"), m));
        }
    }
    let [lon, lat] = out;
    let hint = " (projected coordinates? planmap reads longitude/latitude in degrees)";
    if !(-180.0..=180.0).contains(&lon) {
        return Err((
            "[0]".into(),
            format!("longitude {lon} is outside -180..180{hint}"),
        ));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err((
            "[1]".into(),
            format!("latitude {lat} is outside -90..90{hint}"),
        ));
    }
    // Web Mercator ends at ±85.05113°: nearer the poles everything would flatten onto the
    // map's edge without a word (issue 12). Refused, with the reason.
    if lat.abs() > crate::geom::MAX_LATITUDE {
        return Err((
            "[1]".into(),
            format!("latitude {lat} is beyond ±85.05113°, where the map's projection (Web Mercator) ends"),
        ));
    }
    Ok(out)
}

fn positions(v: Node) -> Result<LineString<f64>, GeometryError> {
    if let Node::Arr([Tok::Num(_), ..]) = v {
        // `[lon, lat]` given for a line or a ring: one level of nesting too few.
        return Err((
            "[0]".into(),
            "expected an array, found a number (a position where a list of positions belongs?)"
                .into(),
        ));
    }
    if let Some(line) = plain_positions(v) {
        return Ok(line);
    }
    let pts = each(v, position)?;
    // A jump of more than 180° of longitude between neighbours is a shape crossing the
    // antimeridian, which drawn as given becomes a band around the world (issue 12). RFC 7946
    // §3.1.9 says to split such shapes; refused with that advice.
    if let Some(i) = pts
        .windows(2)
        .position(|w| (w[1][0] - w[0][0]).abs() > 180.0)
    {
        return Err((
            format!("[{}]", i + 1),
            format!(
                "crosses the antimeridian (longitude {} to {}); split it at ±180° (RFC 7946 §3.1.9)",
                pts[i][0],
                pts[i + 1][0]
            ),
        ));
    }
    Ok(LineString::from(
        pts.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>(),
    ))
}

/// The common case of [`positions`] in one pass (issue 13: the parse of a province's 179k
/// positions went through a list of arrays first): every member exactly `[lon, lat]`, in
/// range, no neighbours a jump across the antimeridian apart. Anything else is `None`, and
/// [`positions`] reads it the long way, with its message.
fn plain_positions(v: Node) -> Option<LineString<f64>> {
    let Node::Arr(toks) = v else { return None };
    let mut out = Vec::with_capacity(toks.len() / 3);
    let mut last = f64::NAN;
    for t in toks.chunks(3) {
        let [Tok::Arr(2), Tok::Num(x), Tok::Num(y)] = t else {
            return None;
        };
        let (x, y) = (*x, *y);
        if !(x.abs() <= 180.0 && y.abs() <= crate::geom::MAX_LATITUDE) || (x - last).abs() > 180.0 {
            return None;
        }
        last = x;
        out.push(geo::coord! { x: x, y: y });
    }
    Some(LineString(out))
}

fn line(v: Node) -> Result<LineString<f64>, GeometryError> {
    let l = positions(v)?;
    if l.0.len() < 2 {
        return Err((
            String::new(),
            format!("a line needs at least 2 positions, found {}", l.0.len()),
        ));
    }
    Ok(l)
}

fn ring(v: Node) -> Result<LineString<f64>, GeometryError> {
    let r = positions(v)?;
    if r.0.len() < 4 {
        return Err((
            String::new(),
            format!("a ring needs at least 4 positions, found {}", r.0.len()),
        ));
    }
    if r.0.first() != r.0.last() {
        return Err((
            String::new(),
            "ring is not closed (its last position must repeat the first)".into(),
        ));
    }
    Ok(r)
}

/// A polygon; a hole too short to enclose anything is left out (noted in `dropped`).
fn polygon(v: Node, dropped: &mut Vec<GeometryError>) -> Result<Polygon<f64>, GeometryError> {
    let list = array(v).map_err(|m| (String::new(), m))?;
    let mut rings = Vec::new();
    for (k, r) in Node::children(list).enumerate() {
        match ring(r) {
            Ok(r) => rings.push(r),
            Err((p, m)) if k > 0 && p.is_empty() && is_short_ring(&m) => dropped.push((
                format!("[{k}]"),
                format!("{m}; this hole is not drawn, the rest of the feature is"),
            )),
            Err((p, m)) => return Err((format!("[{k}]{p}"), m)),
        }
    }
    let mut rings = rings.into_iter();
    let Some(exterior) = rings.next() else {
        return Err((
            String::new(),
            "empty geometry (a polygon with no rings)".into(),
        ));
    };
    Ok(Polygon::new(exterior, rings.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of positions as tokens, each position its numbers.
    fn toks(positions: &[&[f64]]) -> Vec<Tok> {
        let mut out = vec![Tok::Arr(0)];
        for p in positions {
            out.push(Tok::Arr(p.len() as u32));
            out.extend(p.iter().map(|&x| Tok::Num(x)));
        }
        out[0] = Tok::Arr(out.len() as u32 - 1);
        out
    }

    /// What `positions` gives the long way, member by member.
    fn long_way(t: &[Tok]) -> Result<LineString<f64>, GeometryError> {
        let pts = each(Node::root(t), position)?;
        Ok(LineString::from(
            pts.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>(),
        ))
    }

    #[test]
    fn plain_positions_read_as_the_long_way_does() {
        let t = toks(&[
            &[123.25, 41.5],
            &[100.0, -85.0],
            &[-0.0, 0.0],
            &[-180.0, 85.05],
            &[0.0, 0.0],
            &[123.25, 41.5],
        ]);
        let fast = plain_positions(Node::root(&t)).expect("plain");
        assert_eq!(fast, long_way(&t).unwrap());
        assert_eq!(positions(Node::root(&t)).unwrap(), fast);
        let empty = toks(&[]);
        assert_eq!(plain_positions(Node::root(&empty)).unwrap().0.len(), 0);
    }

    #[test]
    fn anything_but_plain_positions_takes_the_long_way_with_its_message() {
        for (list, message) in [
            (toks(&[&[1.0, 2.0, 30.0], &[3.0, 4.0]]), None),
            (toks(&[&[1.0, 2.0], &[3.0]]), Some("a position needs longitude and latitude, found 1 number(s)")),
            (toks(&[&[181.0, 2.0]]), Some("longitude 181 is outside -180..180 (projected coordinates? planmap reads longitude/latitude in degrees)")),
            (toks(&[&[1.0, 89.0]]), Some("latitude 89 is beyond ±85.05113°, where the map's projection (Web Mercator) ends")),
            (toks(&[&[179.0, 2.0], &[-179.0, 2.0]]), Some("crosses the antimeridian (longitude 179 to -179); split it at ±180° (RFC 7946 §3.1.9)")),
        ] {
            assert!(plain_positions(Node::root(&list)).is_none(), "{list:?}");
            let got = positions(Node::root(&list));
            match message {
                None => assert_eq!(got.unwrap(), long_way(&list).unwrap()),
                Some(m) => assert_eq!(got.unwrap_err().1, m),
            }
        }
    }
}
