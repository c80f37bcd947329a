//! The view: which part of the projected plane the canvas shows, at what scale. Pan and zoom
//! change this and nothing else; everything drawn is derived from it.

use super::mercator::{project, unproject, EARTH_RADIUS};

/// An axis-aligned rectangle in projected metres (or pixels): `min` and `max` corners.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Smallest x and y.
    pub min: [f64; 2],
    /// Largest x and y.
    pub max: [f64; 2],
}

impl Bounds {
    /// The empty bounds, ready to be extended.
    pub const EMPTY: Bounds = Bounds {
        min: [f64::INFINITY; 2],
        max: [f64::NEG_INFINITY; 2],
    };

    /// Grows to include `p`.
    pub fn extend(&mut self, p: [f64; 2]) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
    }

    /// Grows to include `other`.
    pub fn union(&mut self, other: &Bounds) {
        if !other.is_empty() {
            self.extend(other.min);
            self.extend(other.max);
        }
    }

    /// `true` when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.min[0] > self.max[0] || self.min[1] > self.max[1]
    }

    /// Width and height.
    pub fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }

    /// The middle.
    pub fn center(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    /// `true` when the two rectangles overlap (touching edges do not count).
    pub fn intersects(&self, o: &Bounds) -> bool {
        self.min[0] < o.max[0]
            && o.min[0] < self.max[0]
            && self.min[1] < o.max[1]
            && o.min[1] < self.max[1]
    }

    /// `true` when `o` lies wholly inside.
    pub fn contains(&self, o: &Bounds) -> bool {
        o.min[0] >= self.min[0]
            && o.max[0] <= self.max[0]
            && o.min[1] >= self.min[1]
            && o.max[1] <= self.max[1]
    }
}

/// Zoom as in web maps: at zoom z the whole world is 256·2^z CSS pixels wide.
pub const MAX_ZOOM: f64 = 19.0;

/// A view onto the projected plane: `center` (metres) shown at the middle of a `size` (CSS
/// pixels) canvas at `zoom`. Screen y grows downward; projected y grows northward.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// The projected point at the canvas centre.
    pub center: [f64; 2],
    /// The web-map zoom level.
    pub zoom: f64,
    /// Canvas size in CSS pixels.
    pub size: [f64; 2],
}

impl Viewport {
    /// CSS pixels per projected metre.
    pub fn scale(&self) -> f64 {
        256.0 * self.zoom.exp2() / (2.0 * std::f64::consts::PI * EARTH_RADIUS)
    }

    /// Projected metres → CSS pixels.
    pub fn to_screen(&self, p: [f64; 2]) -> [f64; 2] {
        let s = self.scale();
        [
            (p[0] - self.center[0]) * s + self.size[0] / 2.0,
            (self.center[1] - p[1]) * s + self.size[1] / 2.0,
        ]
    }

    /// CSS pixels → projected metres.
    pub fn to_world(&self, px: [f64; 2]) -> [f64; 2] {
        let s = self.scale();
        [
            (px[0] - self.size[0] / 2.0) / s + self.center[0],
            self.center[1] - (px[1] - self.size[1] / 2.0) / s,
        ]
    }

    /// The affine map projected → screen as canvas `setTransform(a, b, c, d, e, f)` numbers,
    /// so cached paths in projected metres draw with one call per feature.
    pub fn transform(&self) -> [f64; 6] {
        let s = self.scale();
        [
            s,
            0.0,
            0.0,
            -s,
            self.size[0] / 2.0 - self.center[0] * s,
            self.size[1] / 2.0 + self.center[1] * s,
        ]
    }

    /// The projected rectangle the canvas shows.
    pub fn visible(&self) -> Bounds {
        let a = self.to_world([0.0, self.size[1]]);
        let b = self.to_world([self.size[0], 0.0]);
        Bounds { min: a, max: b }
    }

    /// The centre as longitude/latitude.
    pub fn center_lonlat(&self) -> [f64; 2] {
        unproject(self.center)
    }

    /// Centres on longitude/latitude.
    pub fn set_center_lonlat(&mut self, lonlat: [f64; 2]) {
        self.center = project(lonlat);
    }

    /// Moves the view by a drag of `dx, dy` CSS pixels (content follows the pointer).
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        let s = self.scale();
        self.center[0] -= dx / s;
        self.center[1] += dy / s;
    }

    /// Zooms by `dz` levels keeping the projected point under `px` where it is on screen, as a
    /// wheel or pinch expects.
    pub fn zoom_at(&mut self, dz: f64, px: [f64; 2]) {
        let before = self.to_world(px);
        self.zoom = (self.zoom + dz).min(MAX_ZOOM);
        let after = self.to_world(px);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }

    /// The view that shows `b` whole with `padding` CSS pixels around it.
    pub fn fit(&mut self, b: &Bounds, padding: f64) {
        if b.is_empty() {
            return;
        }
        let [w, h] = b.size();
        let avail = [
            (self.size[0] - 2.0 * padding).max(1.0),
            (self.size[1] - 2.0 * padding).max(1.0),
        ];
        let world = 2.0 * std::f64::consts::PI * EARTH_RADIUS;
        // scale = 256·2^z / world  ⇒  z = log2(scale·world/256)
        let scale = (avail[0] / w.max(1e-9)).min(avail[1] / h.max(1e-9));
        self.zoom = (scale * world / 256.0).log2().min(MAX_ZOOM);
        self.center = b.center();
    }

    /// Keeps the view on the plan: zoom no further out than a little beyond `extent` fitted,
    /// and the centre inside `extent`, so a user can never lose the map off-screen.
    pub fn clamp(&mut self, extent: &Bounds) {
        if extent.is_empty() {
            return;
        }
        let mut fitted = *self;
        fitted.fit(extent, 0.0);
        let min_zoom = fitted.zoom - 1.0;
        self.zoom = self.zoom.clamp(min_zoom, MAX_ZOOM.max(min_zoom));
        self.center[0] = self.center[0].clamp(extent.min[0], extent.max[0]);
        self.center[1] = self.center[1].clamp(extent.min[1], extent.max[1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Viewport {
        Viewport {
            center: project([123.42, 41.84]),
            zoom: 12.0,
            size: [800.0, 600.0],
        }
    }

    #[test]
    fn screen_and_world_round_trip() {
        let v = view();
        for px in [[0.0, 0.0], [400.0, 300.0], [799.0, 17.0]] {
            let back = v.to_screen(v.to_world(px));
            assert!((back[0] - px[0]).abs() < 1e-6 && (back[1] - px[1]).abs() < 1e-6);
        }
        assert_eq!(v.to_screen(v.center), [400.0, 300.0]);
    }

    #[test]
    fn north_is_up_on_screen() {
        let v = view();
        let north = v.to_screen(project([123.42, 41.90]));
        assert!(north[1] < 300.0);
    }

    #[test]
    fn transform_matches_to_screen() {
        let v = view();
        let [a, b, c, d, e, f] = v.transform();
        let p = project([123.45, 41.80]);
        let by_matrix = [a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f];
        let direct = v.to_screen(p);
        assert!((by_matrix[0] - direct[0]).abs() < 1e-6 && (by_matrix[1] - direct[1]).abs() < 1e-6);
    }

    #[test]
    fn zoom_at_keeps_the_point_under_the_cursor() {
        let mut v = view();
        let px = [120.0, 480.0];
        let before = v.to_world(px);
        v.zoom_at(1.5, px);
        let after = v.to_world(px);
        assert!((before[0] - after[0]).abs() < 1e-6 && (before[1] - after[1]).abs() < 1e-6);
        assert_eq!(v.zoom, 13.5);
    }

    #[test]
    fn fit_shows_the_whole_extent_and_fills_one_side() {
        let mut v = view();
        let b = Bounds {
            min: project([123.35, 41.79]),
            max: project([123.48, 41.91]),
        };
        v.fit(&b, 20.0);
        let a = v.to_screen(b.min);
        let c = v.to_screen(b.max);
        for p in [a, c] {
            assert!(
                p[0] >= 19.999 && p[0] <= 780.001 && p[1] >= 19.999 && p[1] <= 580.001,
                "{p:?}"
            );
        }
        let fills_width = ((c[0] - a[0]) - 760.0).abs() < 1e-6;
        let fills_height = ((a[1] - c[1]) - 560.0).abs() < 1e-6;
        assert!(fills_width || fills_height);
    }

    #[test]
    fn clamp_keeps_centre_inside_and_limits_zoom_out() {
        let b = Bounds {
            min: project([123.35, 41.79]),
            max: project([123.48, 41.91]),
        };
        let mut v = view();
        v.center = project([10.0, 10.0]);
        v.zoom = 1.0;
        v.clamp(&b);
        let mut fitted = v;
        fitted.fit(&b, 0.0);
        assert!((v.zoom - (fitted.zoom - 1.0)).abs() < 1e-9);
        assert!(v.center[0] >= b.min[0] && v.center[0] <= b.max[0]);
        assert!(v.center[1] >= b.min[1] && v.center[1] <= b.max[1]);
        v.zoom = 40.0;
        v.clamp(&b);
        assert_eq!(v.zoom, MAX_ZOOM);
    }
}
