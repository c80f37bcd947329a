//! Spherical Web Mercator (EPSG:3857), the projection every web map uses, so a plan drawn here
//! lines up with any tile map a page may put beside it.

use std::sync::OnceLock;

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

/// [`project`] for the vertices of a plan's outlines: the same x, and y from a table of
/// northings every 0.01° of latitude with their slopes (cubic Hermite between nodes), within
/// 10⁻⁷ m of [`project`]'s up to 60° and 10⁻⁵ m up to its limit. `tan` and `ln` for each of a
/// province's 179k vertices were a fifth of its load on a page's first run, in V8's baseline
/// tier (issue 13); a node is worked out once per process, when a latitude first needs it.
/// A vertex's value depends on its latitude alone, never on what else was projected, so a
/// plan loaded whole and one streamed in batches get the same coordinates.
pub(crate) fn project_interpolated([lon, lat]: [f64; 2]) -> [f64; 2] {
    // (Infinite latitudes clamp in `northing`, as in `project`; NaN stays NaN.)
    let y = if lat.is_nan() {
        f64::NAN
    } else {
        northing(lat)
    };
    [EARTH_RADIUS * lon.to_radians(), y]
}

/// Nodes of the northing table in each of its blocks (one block a degree).
const NODES: usize = 100;

/// The table's blocks, one a degree from 90° S, each its nodes' northings and slopes (metres
/// per node step) with the next block's first node at the end; made on first use.
static BLOCKS: [OnceLock<Box<[[f64; 2]; NODES + 1]>>; 180] = [const { OnceLock::new() }; 180];

/// The northing of `lat` (degrees, finite) from the table.
fn northing(lat: f64) -> f64 {
    let steps = (lat.clamp(-MAX_LATITUDE, MAX_LATITUDE) + 90.0) * NODES as f64;
    let whole = steps.floor();
    let u = steps - whole;
    let node = whole as usize;
    let nodes = BLOCKS[node / NODES].get_or_init(|| block(node / NODES));
    let [y0, m0] = nodes[node % NODES];
    let [y1, m1] = nodes[node % NODES + 1];
    // Cubic Hermite on [0, 1] with the slopes in metres per step.
    let u2 = u * u;
    let u3 = u2 * u;
    (2.0 * u3 - 3.0 * u2 + 1.0) * y0
        + (u3 - 2.0 * u2 + u) * m0
        + (3.0 * u2 - 2.0 * u3) * y1
        + (u3 - u2) * m1
}

/// Block `b` of the table: Mercator's northing and its slope at each node, unclamped (nodes up
/// to 86° serve latitudes up to [`MAX_LATITUDE`]).
fn block(b: usize) -> Box<[[f64; 2]; NODES + 1]> {
    let step = (1.0 / NODES as f64).to_radians();
    let mut nodes = Box::new([[0.0; 2]; NODES + 1]);
    for (k, node) in nodes.iter_mut().enumerate() {
        let lat = ((b * NODES + k) as f64 / NODES as f64 - 90.0).to_radians();
        *node = [
            EARTH_RADIUS * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
            EARTH_RADIUS * step / lat.cos(),
        ];
    }
    nodes
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
    fn interpolated_projection_is_within_micrometres_of_the_exact_one() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut worst = [0.0f64; 2];
        for k in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let lat = ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0 * MAX_LATITUDE;
            // Every fifth on a node, where the table is exact but for rounding.
            let lat = if k % 5 == 0 {
                (lat * 100.0).round() / 100.0
            } else {
                lat
            };
            let lon = lat * 2.0;
            let a = project([lon, lat]);
            let b = project_interpolated([lon, lat]);
            assert_eq!(a[0], b[0]);
            let band = usize::from(lat.abs() > 60.0);
            worst[band] = worst[band].max((a[1] - b[1]).abs());
        }
        assert!(worst[0] < 1e-7 && worst[1] < 1e-5, "{worst:?}");
        // The limits and beyond clamp as project does; non-finite latitudes are project's.
        for lat in [MAX_LATITUDE, -MAX_LATITUDE, 90.0, -90.0, 1e300] {
            let (a, b) = (project([0.0, lat])[1], project_interpolated([0.0, lat])[1]);
            assert!((a - b).abs() < 1e-5, "{lat}: {a} vs {b}");
        }
        assert!(project_interpolated([0.0, f64::NAN])[1].is_nan());
    }

    #[test]
    fn poles_are_clamped_not_infinite() {
        let [_, y] = project([0.0, 90.0]);
        assert!(y.is_finite());
        assert_eq!(project([0.0, 90.0]), project([0.0, MAX_LATITUDE]));
    }
}
