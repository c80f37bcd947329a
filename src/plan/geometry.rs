//! RFC 7946 geometry objects → geo types, with the checks a map needs: finite, in range,
//! closed rings of at least four positions, nothing empty.

use super::json::kind_of;
use geo::{LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// A geometry the map can draw.
#[derive(Debug, Clone)]
pub(crate) enum Geometry {
    /// One or more positions (Point, MultiPoint).
    Points(Vec<[f64; 2]>),
    /// One or more polygons (Polygon, MultiPolygon).
    Polygons(MultiPolygon<f64>),
}

/// A geometry problem: the path below the geometry (e.g. `.coordinates[0][3]`) and the message.
pub(crate) type GeometryError = (String, String);

/// Parses the `geometry` member of a feature.
pub(crate) fn parse(v: &Value) -> Result<Geometry, GeometryError> {
    let obj = match v {
        Value::Object(o) => o,
        Value::Null => return Err((String::new(), "empty geometry (null)".to_owned())),
        other => {
            return Err((
                String::new(),
                format!("expected a geometry object, found {}", kind_of(other)),
            ))
        }
    };
    let ty = match obj.get("type") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err((
                ".type".into(),
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
        None => return Err((".type".into(), "missing".into())),
    };
    let coords = match ty {
        "Point" | "MultiPoint" | "Polygon" | "MultiPolygon" => {
            obj.get("coordinates").ok_or_else(|| (".coordinates".to_owned(), "missing".to_owned()))?
        }
        "LineString" | "MultiLineString" | "GeometryCollection" => {
            return Err((
                ".type".into(),
                format!("unsupported geometry type \"{ty}\" (planmap draws Polygon, MultiPolygon, Point and MultiPoint)"),
            ))
        }
        other => return Err((".type".into(), format!("unknown geometry type \"{other}\""))),
    };
    let at = |p: String| format!(".coordinates{p}");
    match ty {
        "Point" => position(coords)
            .map(|p| Geometry::Points(vec![p]))
            .map_err(|(p, m)| (at(p), m)),
        "MultiPoint" => {
            let list = array(coords).map_err(|m| (at(String::new()), m))?;
            let pts = list
                .iter()
                .enumerate()
                .map(|(i, c)| position(c).map_err(|(p, m)| (at(format!("[{i}]{p}")), m)))
                .collect::<Result<Vec<_>, _>>()?;
            if pts.is_empty() {
                return Err((at(String::new()), "empty geometry (no positions)".into()));
            }
            Ok(Geometry::Points(pts))
        }
        "Polygon" => polygon(coords)
            .map(|p| Geometry::Polygons(MultiPolygon(vec![p])))
            .map_err(|(p, m)| (at(p), m)),
        _ => {
            let list = array(coords).map_err(|m| (at(String::new()), m))?;
            if list.is_empty() {
                return Err((at(String::new()), "empty geometry (no polygons)".into()));
            }
            let polys = list
                .iter()
                .enumerate()
                .map(|(i, c)| polygon(c).map_err(|(p, m)| (at(format!("[{i}]{p}")), m)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Geometry::Polygons(MultiPolygon(polys)))
        }
    }
}

fn array(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array()
        .ok_or_else(|| format!("expected an array, found {}", kind_of(v)))
}

fn position(v: &Value) -> Result<[f64; 2], GeometryError> {
    let a = array(v).map_err(|m| (String::new(), m))?;
    if a.len() < 2 {
        return Err((
            String::new(),
            format!(
                "a position needs longitude and latitude, found {} number(s)",
                a.len()
            ),
        ));
    }
    let mut out = [0.0; 2];
    for (k, slot) in out.iter_mut().enumerate() {
        let n = a[k].as_f64().ok_or_else(|| {
            (
                format!("[{k}]"),
                format!("expected a number, found {}", kind_of(&a[k])),
            )
        })?;
        if !n.is_finite() {
            return Err((format!("[{k}]"), "not a finite number".into()));
        }
        *slot = n;
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
    Ok(out)
}

fn ring(v: &Value) -> Result<LineString<f64>, GeometryError> {
    let a = array(v).map_err(|m| (String::new(), m))?;
    let pts = a
        .iter()
        .enumerate()
        .map(|(i, c)| position(c).map_err(|(p, m)| (format!("[{i}]{p}"), m)))
        .collect::<Result<Vec<_>, _>>()?;
    if pts.len() < 4 {
        return Err((
            String::new(),
            format!("a ring needs at least 4 positions, found {}", pts.len()),
        ));
    }
    if pts.first() != pts.last() {
        return Err((
            String::new(),
            "ring is not closed (its last position must repeat the first)".into(),
        ));
    }
    Ok(LineString::from(
        pts.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>(),
    ))
}

fn polygon(v: &Value) -> Result<Polygon<f64>, GeometryError> {
    let a = array(v).map_err(|m| (String::new(), m))?;
    if a.is_empty() {
        return Err((
            String::new(),
            "empty geometry (a polygon with no rings)".into(),
        ));
    }
    let rings = a
        .iter()
        .enumerate()
        .map(|(i, r)| ring(r).map_err(|(p, m)| (format!("[{i}]{p}"), m)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut it = rings.into_iter();
    let exterior = it.next().expect("checked non-empty above");
    Ok(Polygon::new(exterior, it.collect()))
}
