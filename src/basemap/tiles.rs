//! Web Mercator tile math (the XYZ / WMTS `w` matrix set every web map uses): which tiles cover
//! a view, where a tile lies in projected metres, and which loaded ancestor can stand in for a
//! tile still on its way.

use crate::geom::{Bounds, Viewport, EARTH_RADIUS};

/// Half the width of the square Web Mercator world, in metres.
const HALF_WORLD: f64 = std::f64::consts::PI * EARTH_RADIUS;

/// A tile of the XYZ pyramid: column `x` from the west, row `y` from the north, at zoom `z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom: the world is 2^z tiles wide.
    pub z: u8,
    /// Column, 0 at 180° W.
    pub x: u32,
    /// Row, 0 at the northern edge (85.05° N).
    pub y: u32,
}

impl TileId {
    /// The tile one zoom level out that contains this one.
    pub fn parent(self) -> Option<TileId> {
        (self.z > 0).then(|| TileId {
            z: self.z - 1,
            x: self.x / 2,
            y: self.y / 2,
        })
    }

    /// The four tiles one level in.
    pub fn children(self) -> [TileId; 4] {
        let (z, x, y) = (self.z + 1, self.x * 2, self.y * 2);
        [
            TileId { z, x, y },
            TileId { z, x: x + 1, y },
            TileId { z, x, y: y + 1 },
            TileId {
                z,
                x: x + 1,
                y: y + 1,
            },
        ]
    }

    /// Its edge in projected metres.
    pub fn size(self) -> f64 {
        2.0 * HALF_WORLD / f64::from(self.z).exp2()
    }

    /// Its extent in projected metres.
    pub fn bounds(self) -> Bounds {
        let s = self.size();
        let min_x = -HALF_WORLD + f64::from(self.x) * s;
        let max_y = HALF_WORLD - f64::from(self.y) * s;
        Bounds {
            min: [min_x, max_y - s],
            max: [min_x + s, max_y],
        }
    }

    /// The part of `ancestor`'s image that shows this tile, as fractions of the image
    /// `[x, y, width, height]` (`[0, 0, 1, 1]` for the tile itself). `None` when `ancestor`
    /// does not contain this tile.
    pub fn within(self, ancestor: TileId) -> Option<[f64; 4]> {
        if ancestor.z > self.z {
            return None;
        }
        let d = self.z - ancestor.z;
        if self.x >> d != ancestor.x || self.y >> d != ancestor.y {
            return None;
        }
        let n = f64::from(d).exp2();
        let fx = f64::from(self.x - (ancestor.x << d)) / n;
        let fy = f64::from(self.y - (ancestor.y << d)) / n;
        Some([fx, fy, 1.0 / n, 1.0 / n])
    }
}

/// What a tile service offers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileSource {
    /// The lowest zoom it serves.
    pub min_zoom: u8,
    /// The highest zoom it serves; closer views stretch these tiles.
    pub max_zoom: u8,
    /// It serves @2x tiles (its template has `{r}`), used on screens of DPR above 1.25.
    pub retina: bool,
}

impl Default for TileSource {
    fn default() -> TileSource {
        TileSource {
            min_zoom: 1,
            max_zoom: 18,
            retina: false,
        }
    }
}

impl TileSource {
    /// The tile zoom for a view at `zoom`: the nearest level, so tiles are drawn between 0.71×
    /// and 1.41× their size. The device pixel ratio does not raise it: a phone at DPR 3 loads
    /// the same few tiles as a desktop at DPR 1 (not nine times as many, whose labels would be
    /// a third of their size); it gets @2x tiles where the service has them, else scaled ones.
    pub fn tile_zoom(&self, zoom: f64) -> u8 {
        let z = zoom.round();
        if !z.is_finite() {
            return self.min_zoom;
        }
        z.clamp(f64::from(self.min_zoom), f64::from(self.max_zoom)) as u8
    }

    /// `true` when tiles for a screen of `dpr` should be the @2x ones.
    pub fn wants_retina(&self, dpr: f64) -> bool {
        self.retina && dpr > 1.25
    }

    /// The tiles covering `view`, nearest to its centre first (so they load first).
    pub fn cover(&self, view: &Viewport) -> Vec<TileId> {
        let z = self.tile_zoom(view.zoom);
        let n = 1u32 << z;
        let size = 2.0 * HALF_WORLD / f64::from(n);
        let vis = view.visible();
        if vis.is_empty() || !vis.size()[0].is_finite() || !vis.size()[1].is_finite() {
            return Vec::new();
        }
        // A tile whose edge merely touches the view is not in it.
        let eps = size * 1e-9;
        let col = |x: f64| {
            ((x + HALF_WORLD) / size)
                .floor()
                .clamp(0.0, f64::from(n - 1)) as u32
        };
        let row = |y: f64| {
            ((HALF_WORLD - y) / size)
                .floor()
                .clamp(0.0, f64::from(n - 1)) as u32
        };
        let (x0, x1) = (col(vis.min[0] + eps), col(vis.max[0] - eps));
        let (y0, y1) = (row(vis.max[1] - eps), row(vis.min[1] + eps));
        let c = view.center;
        let mut tiles: Vec<(f64, TileId)> = Vec::new();
        for x in x0..=x1 {
            for y in y0..=y1 {
                let t = TileId { z, x, y };
                let m = t.bounds().center();
                tiles.push((((m[0] - c[0]).powi(2) + (m[1] - c[1]).powi(2)), t));
            }
        }
        // Through the crate's one sort: each std sort call site is kilobytes of wasm.
        crate::order::sort_by(&mut tiles, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        tiles.into_iter().map(|(_, t)| t).collect()
    }
}

/// What stands in for a tile that is not loaded: its nearest loaded ancestor (at most `up`
/// levels out), stretched; failing that, its loaded children (after zooming out). Empty when
/// nothing loaded covers any of it — the only case a gap shows.
pub fn fallback(tile: TileId, up: u8, loaded: &dyn Fn(TileId) -> bool) -> Vec<TileId> {
    let mut t = tile;
    for _ in 0..up {
        match t.parent() {
            Some(p) if loaded(p) => return vec![p],
            Some(p) => t = p,
            None => break,
        }
    }
    if tile.z < 30 {
        return tile.children().into_iter().filter(|c| loaded(*c)).collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{project, unproject};

    /// Slippy-map tile of a lon/lat at zoom z, from the OSM wiki's formula (independent of the
    /// projected-metre arithmetic above).
    fn osm_tile(lon: f64, lat: f64, z: u8) -> (u32, u32) {
        let n = f64::from(z).exp2();
        let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
        let r = lat.to_radians();
        let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor()
            as u32;
        (x, y)
    }

    fn shenyang(size: [f64; 2], zoom: f64) -> Viewport {
        Viewport {
            center: project([123.42, 41.84]),
            zoom,
            size,
        }
    }

    #[test]
    fn tile_bounds_match_the_osm_numbering() {
        let (x, y) = osm_tile(123.42, 41.84, 14);
        assert_eq!((x, y), (13808, 6091)); // checked with Python: the same formula, by hand
        let t = TileId { z: 14, x, y };
        let b = t.bounds();
        let p = project([123.42, 41.84]);
        assert!(b.min[0] <= p[0] && p[0] < b.max[0] && b.min[1] < p[1] && p[1] <= b.max[1]);
        let nw = unproject([b.min[0], b.max[1]]);
        assert!((nw[0] - (x as f64 / 16384.0 * 360.0 - 180.0)).abs() < 1e-9);
    }

    #[test]
    fn cover_is_exactly_the_tiles_in_view_centre_first() {
        // 1024×512 CSS px at zoom 14: 4 × 2 tiles' worth, so 5 × 3 unless aligned.
        let v = shenyang([1024.0, 512.0], 14.0);
        let tiles = TileSource::default().cover(&v);
        let (cx, cy) = osm_tile(123.42, 41.84, 14);
        assert_eq!(
            tiles[0],
            TileId {
                z: 14,
                x: cx,
                y: cy
            },
            "the centre's tile first"
        );
        let xs: Vec<u32> = tiles.iter().map(|t| t.x).collect();
        let ys: Vec<u32> = tiles.iter().map(|t| t.y).collect();
        let nw = unproject(v.to_world([0.0, 0.0]));
        let se = unproject(v.to_world([1024.0, 512.0]));
        let (x0, y0) = osm_tile(nw[0], nw[1], 14);
        let (x1, y1) = osm_tile(se[0], se[1], 14);
        assert_eq!(*xs.iter().min().unwrap(), x0);
        assert_eq!(*xs.iter().max().unwrap(), x1);
        assert_eq!(*ys.iter().min().unwrap(), y0);
        assert_eq!(*ys.iter().max().unwrap(), y1);
        assert_eq!(tiles.len() as u32, (x1 - x0 + 1) * (y1 - y0 + 1));
        // Every tile overlaps the view; none repeats.
        for t in &tiles {
            assert!(t.bounds().intersects(&v.visible()), "{t:?}");
        }
        let mut sorted = tiles.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), tiles.len());
    }

    #[test]
    fn a_view_aligned_to_tiles_needs_no_extra_row_or_column() {
        let t = TileId {
            z: 10,
            x: 863,
            y: 381,
        };
        let v = Viewport {
            center: t.bounds().center(),
            zoom: 10.0,
            size: [256.0, 256.0],
        };
        assert_eq!(TileSource::default().cover(&v), vec![t]);
    }

    #[test]
    fn dpr_3_loads_the_same_tiles_as_dpr_1_and_asks_for_2x_images() {
        // A phone (390×844 CSS px) at DPR 3 and the same CSS size at DPR 1: the viewport is in
        // CSS pixels, so the same z/x/y; a retina source is asked for its @2x images at DPR 3.
        let v = shenyang([390.0, 844.0], 13.6);
        let plain = TileSource::default();
        let retina = TileSource {
            retina: true,
            ..plain
        };
        let tiles = plain.cover(&v);
        assert!(tiles.iter().all(|t| t.z == 14));
        assert!(tiles.len() <= 4 * 6, "{} tiles", tiles.len());
        assert_eq!(retina.cover(&v), tiles);
        assert!(!retina.wants_retina(1.0));
        assert!(retina.wants_retina(3.0));
        assert!(!plain.wants_retina(3.0), "no {{r}}: scaled tiles");
        // A wider desktop view needs more tiles of the same zoom.
        let desk = plain.cover(&shenyang([1440.0, 900.0], 13.6));
        assert!(desk.len() > tiles.len() && desk.iter().all(|t| t.z == 14));
    }

    #[test]
    fn tile_zoom_rounds_and_stays_in_the_service_range() {
        let s = TileSource {
            min_zoom: 3,
            max_zoom: 18,
            retina: false,
        };
        assert_eq!(s.tile_zoom(12.49), 12);
        assert_eq!(s.tile_zoom(12.5), 13);
        assert_eq!(s.tile_zoom(19.0), 18, "over-zoomed: stretched z18 tiles");
        assert_eq!(s.tile_zoom(1.0), 3);
        assert_eq!(s.tile_zoom(f64::NAN), 3);
        let v = shenyang([800.0, 600.0], 19.0);
        assert!(s.cover(&v).iter().all(|t| t.z == 18));
    }

    #[test]
    fn parent_fallback_picks_the_nearest_loaded_ancestor() {
        let t = TileId {
            z: 15,
            x: 27619,
            y: 12217,
        };
        let p1 = t.parent().unwrap();
        let p3 = p1.parent().unwrap().parent().unwrap();
        let loaded = |x: TileId| x == p3 || x == p1;
        assert_eq!(fallback(t, 4, &loaded), vec![p1]);
        let loaded = |x: TileId| x == p3;
        assert_eq!(fallback(t, 4, &loaded), vec![p3]);
        assert_eq!(fallback(t, 2, &loaded), Vec::<TileId>::new(), "too far out");
        // The stretched ancestor's sub-image is exactly the child's square.
        let [fx, fy, fw, fh] = t.within(p3).unwrap();
        assert_eq!((fw, fh), (0.125, 0.125));
        let b = t.bounds();
        let pb = p3.bounds();
        assert!((pb.min[0] + fx * p3.size() - b.min[0]).abs() < 1e-6);
        assert!((pb.max[1] - fy * p3.size() - b.max[1]).abs() < 1e-6);
        assert_eq!(t.within(t), Some([0.0, 0.0, 1.0, 1.0]));
        assert_eq!(t.within(TileId { z: 12, x: 0, y: 0 }), None);
    }

    #[test]
    fn after_zooming_out_loaded_children_stand_in() {
        let t = TileId {
            z: 12,
            x: 3452,
            y: 1527,
        };
        let kids = t.children();
        let loaded = |x: TileId| x == kids[0] || x == kids[3];
        assert_eq!(fallback(t, 4, &loaded), vec![kids[0], kids[3]]);
        for k in kids {
            assert_eq!(k.parent(), Some(t));
        }
    }
}
