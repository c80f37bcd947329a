//! The two coordinate systems plans and basemaps come in: WGS-84 (GPS, 天地图's CGCS2000, which
//! equals WGS-84 at map scales) and GCJ-02 (the offset system of Chinese commercial maps, in
//! which the Huanggu outlines from AMap are). Inside China the two differ by a few hundred
//! metres (≈ 578 m around Shenyang), so a plan drawn naively over the other system's streets
//! sits half a kilometre off. Outside China's box the offset is zero.
//!
//! Written from the published forward formula (semi-major axis 6378245, ee =
//! 0.00669342162296594323, the polynomial and sine terms on (λ − 105°, φ − 35°)). It has no
//! closed inverse; [`gcj02_to_wgs84`] iterates the forward formula to a fixed point, which
//! converges to well under a millimetre in a few steps. The maintained crates that do this
//! (e.g. `coordtransform`) embed an ODbL boundary mask whose attribution every page would have
//! to carry; the rectangle here is what the issue asks for and what tile providers use.

use std::f64::consts::PI;

/// Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses it.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared.
#[allow(clippy::excessive_precision)] // the published constant, digit for digit
const EE: f64 = 0.006_693_421_622_965_943_23;

/// A coordinate system of longitude/latitude degrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// WGS-84 (and CGCS2000, equal to it at map scales).
    Wgs84,
    /// GCJ-02, the offset system of Chinese commercial web maps.
    Gcj02,
}

impl Crs {
    /// Reads a manifest's `crs` or a `basemap-crs` attribute: `GCJ-02`/`gcj02`, and
    /// `WGS-84`/`wgs84`/`CGCS2000`/`EPSG:4326`/`EPSG:4490`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Crs> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ':')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match k.as_str() {
            "gcj02" => Some(Crs::Gcj02),
            "wgs84" | "cgcs2000" | "epsg:4326" | "epsg:4490" | "crs84" => Some(Crs::Wgs84),
            _ => None,
        }
    }

    /// Converts `lonlat` from this system to `to`.
    pub fn convert(self, to: Crs, lonlat: [f64; 2]) -> [f64; 2] {
        match (self, to) {
            (Crs::Wgs84, Crs::Gcj02) => wgs84_to_gcj02(lonlat),
            (Crs::Gcj02, Crs::Wgs84) => gcj02_to_wgs84(lonlat),
            _ => lonlat,
        }
    }
}

/// `true` outside the rectangle in which GCJ-02 applies an offset.
pub fn outside_china([lon, lat]: [f64; 2]) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * x.abs().sqrt()
        + (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0
        + (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0
        + (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0
}

fn offset_lon(x: f64, y: f64) -> f64 {
    300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * x.abs().sqrt()
        + (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0
        + (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0
        + (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0
}

/// WGS-84 → GCJ-02 (identity outside China).
///
/// ```
/// let [lon, lat] = planmap::geom::wgs84_to_gcj02([116.404, 39.915]);
/// assert!((lon - 116.41024449916938).abs() < 1e-9 && (lat - 39.91640428150164).abs() < 1e-9);
/// ```
pub fn wgs84_to_gcj02(p: [f64; 2]) -> [f64; 2] {
    if outside_china(p) || !p[0].is_finite() || !p[1].is_finite() {
        return p;
    }
    let [lon, lat] = p;
    let (x, y) = (lon - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = offset_lat(x, y) * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = offset_lon(x, y) * 180.0 / (A / sqrt_magic * rad.cos() * PI);
    [lon + dlon, lat + dlat]
}

/// GCJ-02 → WGS-84 (identity outside China): the point whose forward transform is `p`, found
/// by fixed-point iteration (the offset changes by millimetres over its own size, so each
/// step shrinks the error about a thousandfold).
pub fn gcj02_to_wgs84(p: [f64; 2]) -> [f64; 2] {
    if outside_china(p) || !p[0].is_finite() || !p[1].is_finite() {
        return p;
    }
    let mut w = p;
    for _ in 0..10 {
        let f = wgs84_to_gcj02(w);
        let d = [p[0] - f[0], p[1] - f[1]];
        w = [w[0] + d[0], w[1] + d[1]];
        if d[0].abs() < 1e-12 && d[1].abs() < 1e-12 {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres between two nearby lon/lat points (equirectangular; exact enough under 1 km).
    fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
        let r = 6_371_008.8;
        let lat = ((a[1] + b[1]) / 2.0).to_radians();
        let dx = (a[0] - b[0]).to_radians() * lat.cos() * r;
        let dy = (a[1] - b[1]).to_radians() * r;
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn published_vectors() {
        // wandergis/coordtransform's README example.
        let g = wgs84_to_gcj02([116.404, 39.915]);
        assert!((g[0] - 116.410_244_499_169_38).abs() < 1e-9, "{g:?}");
        assert!((g[1] - 39.916_404_281_501_64).abs() < 1e-9, "{g:?}");
        // hujiulong/gcoord's test, given to 8 decimals (cut, not rounded): within one unit of the last.
        let g = wgs84_to_gcj02([123.0, 45.0]);
        assert!((g[0] - 123.006_075_41).abs() < 1e-8, "{g:?}");
        assert!((g[1] - 45.001_978_15).abs() < 1e-8, "{g:?}");
    }

    #[test]
    fn the_offset_around_shenyang_is_about_580_metres_east_and_north() {
        let w = [123.42, 41.84];
        let g = wgs84_to_gcj02(w);
        let d = metres(w, g);
        assert!((540.0..620.0).contains(&d), "{d} m");
        assert!(g[0] > w[0] && g[1] > w[1]);
    }

    #[test]
    fn round_trip_within_half_a_metre_across_china() {
        let mut worst: f64 = 0.0;
        let mut lon = 73.0;
        while lon <= 135.0 {
            let mut lat = 18.0;
            while lat <= 53.5 {
                let w = [lon, lat];
                let back = gcj02_to_wgs84(wgs84_to_gcj02(w));
                worst = worst.max(metres(w, back));
                // And the other way round: a GCJ-02 point's WGS-84 position maps back onto it.
                let g = [lon, lat];
                worst = worst.max(metres(wgs84_to_gcj02(gcj02_to_wgs84(g)), g));
                lat += 0.75;
            }
            lon += 0.75;
        }
        assert!(worst < 0.5, "worst round trip {worst} m");
        // Far tighter in fact; a regression to a one-step inverse (metres off) would show here.
        assert!(worst < 0.01, "worst round trip {worst} m");
    }

    #[test]
    fn identity_outside_china() {
        for p in [[2.35, 48.85], [-74.0, 40.7], [139.7, 35.7], [151.2, -33.9]] {
            assert_eq!(wgs84_to_gcj02(p), p);
            assert_eq!(gcj02_to_wgs84(p), p);
        }
        assert!(wgs84_to_gcj02([f64::NAN, 40.0])[0].is_nan());
    }

    #[test]
    fn parses_the_names_in_use() {
        assert_eq!(Crs::parse("GCJ-02"), Some(Crs::Gcj02));
        assert_eq!(Crs::parse("gcj02"), Some(Crs::Gcj02));
        assert_eq!(Crs::parse("WGS-84"), Some(Crs::Wgs84));
        assert_eq!(Crs::parse("wgs84"), Some(Crs::Wgs84));
        assert_eq!(Crs::parse("CGCS2000"), Some(Crs::Wgs84));
        assert_eq!(Crs::parse("EPSG:4326"), Some(Crs::Wgs84));
        assert_eq!(Crs::parse("BD-09"), None);
        let p = [123.4, 41.8];
        assert_eq!(Crs::Gcj02.convert(Crs::Gcj02, p), p);
        assert_eq!(Crs::Wgs84.convert(Crs::Gcj02, p), wgs84_to_gcj02(p));
    }
}
