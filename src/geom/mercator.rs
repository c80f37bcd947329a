//! Spherical Web Mercator (EPSG:3857), the projection every web map uses, so a plan drawn here
//! lines up with any tile map a page may put beside it.

/// The sphere's radius in metres (WGS-84 semi-major axis, as EPSG:3857 defines it).
pub const EARTH_RADIUS: f64 = 6_378_137.0;

/// Latitudes beyond this map to infinity; the square Web Mercator world stops here.
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Longitude/latitude in degrees → metres east/north of (0°, 0°). Latitude is clamped to
/// ±[`MAX_LATITUDE`] so that a pole never yields an infinite coordinate.
///
/// ```
/// let [x, y] = planmap::geom::project([123.44, 41.82]);
/// let [lon, lat] = planmap::geom::unproject([x, y]);
/// assert!((lon - 123.44).abs() < 1e-9 && (lat - 41.82).abs() < 1e-9);
/// ```
pub fn project([lon, lat]: [f64; 2]) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = EARTH_RADIUS * lon.to_radians();
    let y = EARTH_RADIUS * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln();
    [x, y]
}

/// Metres → longitude/latitude in degrees; the inverse of [`project`].
pub fn unproject([x, y]: [f64; 2]) -> [f64; 2] {
    let lon = (x / EARTH_RADIUS).to_degrees();
    let lat = (2.0 * (y / EARTH_RADIUS).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    [lon, lat]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_the_world() {
        for lon in [-180.0, -73.9, 0.0, 123.44, 179.9] {
            for lat in [-85.0, -33.9, 0.0, 41.82, 85.0] {
                let back = unproject(project([lon, lat]));
                assert!(
                    (back[0] - lon).abs() < 1e-9 && (back[1] - lat).abs() < 1e-9,
                    "{lon},{lat} → {back:?}"
                );
            }
        }
    }

    #[test]
    fn known_values() {
        // The world is 2πR wide: 180° east is πR.
        assert!((project([180.0, 0.0])[0] - std::f64::consts::PI * EARTH_RADIUS).abs() < 1e-6);
        let o = project([0.0, 0.0]);
        assert!(o[0].abs() < 1e-6 && o[1].abs() < 1e-6);
        // North is up (positive y) and grows faster than linearly.
        let y40 = project([0.0, 40.0])[1];
        let y80 = project([0.0, 80.0])[1];
        assert!(y40 > 0.0 && y80 > 2.0 * y40);
    }

    #[test]
    fn poles_are_clamped_not_infinite() {
        let [_, y] = project([0.0, 90.0]);
        assert!(y.is_finite());
        assert_eq!(project([0.0, 90.0]), project([0.0, MAX_LATITUDE]));
    }
}
