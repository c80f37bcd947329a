//! An opt-in street basemap under the plan, from the deployer's tile service: which tiles a
//! view needs, what stands in for those still loading, which to keep in memory, and what the
//! frame draws. The images themselves are fetched and held in the browser (`www/
//! planmap-basemap.js`, `web/`); everything deciding about them lives here and is tested
//! natively. Without a basemap none of this runs and no request leaves the page.

mod cache;
mod tiles;

pub use cache::Lru;
pub use tiles::{fallback, TileId, TileSource};

use crate::geom::{Bounds, Crs, Viewport};
use crate::scene::Item;
use std::collections::HashSet;

/// A tile of one layer of the basemap (天地图 draws streets and their labels as two layers).
pub type TileKey = (u8, TileId);

/// Decoded images the browser may hold by default: 96 MB, 96 @2x tiles or 384 plain ones,
/// several screens' worth on a phone.
pub const DEFAULT_CACHE_BYTES: usize = 96 << 20;

/// How many zoom levels out a stand-in ancestor may come from.
const FALLBACK_LEVELS: u8 = 8;

/// One basemap: its service, its layers, its coordinate system, its credits and what is
/// loaded.
#[derive(Clone, Debug)]
pub struct Basemap {
    /// What the service offers.
    pub source: TileSource,
    /// Layers drawn in order (streets, then their labels).
    pub layers: u8,
    /// The coordinate system its tiles are drawn in.
    pub crs: Crs,
    /// Who made it, e.g. 天地图.
    pub credit: String,
    /// Its 审图号 (map review number), shown on the map and in every export.
    pub review_number: String,
    loaded: Lru<TileKey>,
    failed: HashSet<TileKey>,
    /// Tiles whose server sent no CORS headers: the page may show them, but a canvas holding
    /// them cannot be exported, so exports leave the basemap out.
    opaque: HashSet<TileKey>,
}

impl Basemap {
    /// A basemap of `layers` layers from `source` in `crs`, nothing loaded yet.
    pub fn new(source: TileSource, layers: u8, crs: Crs) -> Basemap {
        Basemap {
            source,
            layers: layers.max(1),
            crs,
            credit: String::new(),
            review_number: String::new(),
            loaded: Lru::new(DEFAULT_CACHE_BYTES),
            failed: HashSet::new(),
            opaque: HashSet::new(),
        }
    }

    /// Sets the memory cap (bytes of decoded images).
    pub fn with_cap(mut self, bytes: usize) -> Basemap {
        self.loaded = Lru::new(bytes);
        self
    }

    /// `true` when `k` is loaded.
    pub fn is_loaded(&self, k: &TileKey) -> bool {
        self.loaded.contains(k)
    }

    /// Records a loaded tile of `bytes` (decoded); `cors` says whether its server allowed
    /// reading it back. Returns the tiles evicted to stay under the cap: the browser drops
    /// their images.
    pub fn loaded(&mut self, k: TileKey, bytes: usize, cors: bool) -> Vec<TileKey> {
        self.failed.remove(&k);
        if cors {
            self.opaque.remove(&k);
        } else {
            self.opaque.insert(k);
        }
        let evicted = self.loaded.insert(k, bytes);
        for e in &evicted {
            self.opaque.remove(e);
        }
        evicted
    }

    /// Records a tile that failed (404, timeout, blocked): it leaves a gap and is not asked
    /// for again.
    pub fn failed(&mut self, k: TileKey) {
        self.failed.insert(k);
    }

    /// Tiles loaded and held.
    pub fn held(&self) -> usize {
        self.loaded.len()
    }

    /// The tiles `view` shows that are neither loaded nor failed, in the order to fetch them:
    /// the centre first, each position's layers together.
    pub fn wanted(&self, view: &Viewport) -> Vec<TileKey> {
        let mut out = Vec::new();
        for t in self.source.cover(view) {
            for l in 0..self.layers {
                let k = (l, t);
                if !self.loaded.contains(&k) && !self.failed.contains(&k) {
                    out.push(k);
                }
            }
        }
        out
    }

    /// The tile items of a frame of `view`, under everything else: each tile in view, or while
    /// it loads its nearest loaded ancestor stretched over its square (or its loaded children),
    /// so zooming never flashes blank where something was loaded. `export` leaves out every
    /// tile when any in view came without CORS (such a canvas cannot be read back); the second
    /// value says so.
    pub fn items(&self, view: &Viewport, export: bool) -> (Vec<Item>, bool) {
        let cover = self.source.cover(view);
        let mut items = Vec::new();
        for l in 0..self.layers {
            let loaded = |t: TileId| self.loaded.contains(&(l, t));
            for &t in &cover {
                if loaded(t) {
                    items.push(tile_item(view, l, t, t));
                    continue;
                }
                for f in fallback(t, FALLBACK_LEVELS, &loaded) {
                    // An ancestor is cropped to this tile's square; a child draws whole.
                    items.push(tile_item(view, l, f, if f.z < t.z { t } else { f }));
                }
            }
        }
        if export
            && items
                .iter()
                .any(|i| matches!(i, Item::Tile { layer, tile, .. } if self.opaque.contains(&(*layer, *tile))))
        {
            return (Vec::new(), true);
        }
        (items, false)
    }

    /// Marks the tiles of `items` as just drawn, for the LRU.
    pub fn touch(&mut self, items: &[Item]) {
        for i in items {
            if let Item::Tile { layer, tile, .. } = i {
                self.loaded.touch(&(*layer, *tile));
            }
        }
    }
}

/// The item drawing `image`'s part over `square` (a tile at the same or a deeper zoom).
fn tile_item(view: &Viewport, layer: u8, image: TileId, square: TileId) -> Item {
    let b = square.bounds();
    let a = view.to_screen([b.min[0], b.max[1]]);
    let c = view.to_screen([b.max[0], b.min[1]]);
    Item::Tile {
        layer,
        tile: image,
        src: square.within(image).unwrap_or([0.0, 0.0, 1.0, 1.0]),
        dst: Bounds { min: a, max: c },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::project;

    fn view(zoom: f64) -> Viewport {
        Viewport {
            center: project([123.42, 41.84]),
            zoom,
            size: [800.0, 600.0],
        }
    }

    fn tiles(items: &[Item]) -> Vec<(u8, TileId, [f64; 4], Bounds)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Tile {
                    layer,
                    tile,
                    src,
                    dst,
                } => Some((*layer, *tile, *src, *dst)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn wants_every_tile_of_every_layer_until_loaded_or_failed() {
        let mut b = Basemap::new(TileSource::default(), 2, Crs::Wgs84);
        let v = view(14.0);
        let cover = b.source.cover(&v);
        let want = b.wanted(&v);
        assert_eq!(want.len(), cover.len() * 2);
        assert_eq!(want[0], (0, cover[0]));
        assert_eq!(
            want[1],
            (1, cover[0]),
            "a position's labels come with its streets"
        );
        b.loaded((0, cover[0]), 1, true);
        b.failed((1, cover[0]));
        let want = b.wanted(&v);
        assert_eq!(want.len(), cover.len() * 2 - 2);
        assert!(!want.contains(&(0, cover[0])) && !want.contains(&(1, cover[0])));
    }

    #[test]
    fn loaded_tiles_fill_their_squares_on_screen() {
        let mut b = Basemap::new(TileSource::default(), 1, Crs::Wgs84);
        let v = view(14.0);
        for t in b.source.cover(&v) {
            b.loaded((0, t), 1, true);
        }
        let (items, omitted) = b.items(&v, false);
        assert!(!omitted);
        let ts = tiles(&items);
        assert_eq!(ts.len(), b.source.cover(&v).len());
        for (_, t, src, dst) in ts {
            assert_eq!(src, [0.0, 0.0, 1.0, 1.0]);
            // At an integer zoom a tile is 256 CSS pixels square.
            assert!((dst.size()[0] - 256.0).abs() < 1e-6 && (dst.size()[1] - 256.0).abs() < 1e-6);
            assert!(dst.intersects(&Bounds {
                min: [0.0, 0.0],
                max: [800.0, 600.0]
            }));
            let nw = v.to_screen([t.bounds().min[0], t.bounds().max[1]]);
            assert_eq!(dst.min, nw);
        }
    }

    #[test]
    fn while_zooming_in_the_parent_stands_in_for_each_child() {
        let mut b = Basemap::new(TileSource::default(), 1, Crs::Wgs84);
        let v14 = view(14.0);
        for t in b.source.cover(&v14) {
            b.loaded((0, t), 1, true);
        }
        let v15 = view(15.0);
        let (items, _) = b.items(&v15, false);
        let ts = tiles(&items);
        let cover = b.source.cover(&v15);
        assert_eq!(ts.len(), cover.len(), "no child left blank");
        for ((_, img, src, dst), child) in ts.iter().zip(&cover) {
            assert_eq!(Some(*img), child.parent());
            assert_eq!(*src, child.within(*img).unwrap());
            assert_eq!(src[2], 0.5);
            assert!((dst.size()[0] - 256.0).abs() < 1e-6);
        }
    }

    #[test]
    fn exports_leave_out_tiles_without_cors_and_say_so() {
        let mut b = Basemap::new(TileSource::default(), 1, Crs::Wgs84);
        let v = view(14.0);
        let cover = b.source.cover(&v);
        for t in &cover {
            b.loaded((0, *t), 1, true);
        }
        assert!(!b.items(&v, true).1);
        assert_eq!(tiles(&b.items(&v, true).0).len(), cover.len());
        b.loaded((0, cover[2]), 1, false);
        let (items, omitted) = b.items(&v, true);
        assert!(omitted && items.is_empty());
        // The page itself still shows them.
        assert_eq!(tiles(&b.items(&v, false).0).len(), cover.len());
    }

    #[test]
    fn the_cap_evicts_tiles_not_drawn_lately() {
        let mut b = Basemap::new(TileSource::default(), 1, Crs::Wgs84).with_cap(20);
        let v = view(14.0);
        let cover = b.source.cover(&v);
        assert!(cover.len() >= 12);
        for t in &cover[..10] {
            assert!(b.loaded((0, *t), 2, true).is_empty());
        }
        // Drawing the first frame touches the ten; then far-away tiles arrive.
        let (items, _) = b.items(&v, false);
        b.touch(&items);
        let far = TileId { z: 14, x: 1, y: 1 };
        let evicted = b.loaded((0, far), 2, true);
        assert_eq!(
            evicted,
            vec![(0, cover[0])],
            "the least recently touched goes first"
        );
        assert_eq!(b.held(), 10);
    }
}
