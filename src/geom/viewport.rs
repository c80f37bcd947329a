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

    /// Grows to include `p` (a NaN coordinate adds nothing). By comparisons, not
    /// `f64::min`/`max`: in wasm those are calls (their NaN rule is not the instruction's), four
    /// per vertex where every outline's bounds are taken (issue 13).
    pub fn extend(&mut self, p: [f64; 2]) {
        for (k, &v) in p.iter().enumerate() {
            if v < self.min[k] {
                self.min[k] = v;
            }
            if v > self.max[k] {
                self.max[k] = v;
            }
        }
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

    /// These bounds (what a view shows) grown outward to a grid of square cells, each side the
    /// power of two at or above a quarter of the wider side: what to draw, rather than exactly
    /// what shows. A small pan or zoom then keeps the same areas and borders, so the surface's
    /// joined paths of the frame before serve again; rebuilding them every step cost a province
    /// frame about what its borders' raster did (`cargo xtask bench`). Empty or infinite bounds
    /// are returned as they are.
    pub fn snapped_for_culling(&self) -> Bounds {
        let [w, h] = self.size();
        let side = w.max(h) / 4.0;
        if self.is_empty() || !(side.is_finite() && side > 0.0) {
            return *self;
        }
        // The power of two at or above `side`, by doubling and halving (no `log2`: a software
        // routine in the wasm).
        let mut cell = 1.0;
        while cell < side {
            cell *= 2.0;
        }
        while cell / 2.0 >= side {
            cell /= 2.0;
        }
        let down = |v: f64| (v / cell).floor() * cell;
        let up = |v: f64| (v / cell).ceil() * cell;
        Bounds {
            min: [down(self.min[0]), down(self.min[1])],
            max: [up(self.max[0]), up(self.max[1])],
        }
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
        let whole = self.screen();
        self.clamp_in(extent, &whole);
    }

    /// [`Viewport::clamp`] for a canvas partly covered (a bottom sheet, a side panel): the point
    /// at the middle of `free` (CSS pixels), not the canvas centre, stays inside `extent`, so a
    /// feature at the plan's edge can still sit in the middle of the part the user sees.
    pub fn clamp_in(&mut self, extent: &Bounds, free: &Bounds) {
        if extent.is_empty() {
            return;
        }
        let mut fitted = *self;
        fitted.fit(extent, 0.0);
        let min_zoom = fitted.zoom - 1.0;
        self.zoom = self.zoom.clamp(min_zoom, MAX_ZOOM.max(min_zoom));
        let focus_px = if free.is_empty() {
            self.screen().center()
        } else {
            free.center()
        };
        let focus = self.to_world(focus_px);
        let clamped = [
            focus[0].clamp(extent.min[0], extent.max[0]),
            focus[1].clamp(extent.min[1], extent.max[1]),
        ];
        self.center[0] += clamped[0] - focus[0];
        self.center[1] += clamped[1] - focus[1];
    }

    /// The whole canvas as a screen rectangle (CSS pixels).
    pub fn screen(&self) -> Bounds {
        Bounds {
            min: [0.0, 0.0],
            max: self.size,
        }
    }

    /// The zoom at which `b` (projected) fits into `free` (CSS pixels) with `padding` pixels
    /// around it, capped at [`MAX_ZOOM`] (a point, having no size, gets the cap).
    pub fn zoom_to_fit_into(&self, b: &Bounds, free: &Bounds, padding: f64) -> f64 {
        let [w, h] = b.size();
        let [fw, fh] = free.size();
        let avail = [(fw - 2.0 * padding).max(1.0), (fh - 2.0 * padding).max(1.0)];
        let world = 2.0 * std::f64::consts::PI * EARTH_RADIUS;
        let scale = (avail[0] / w.max(1e-9)).min(avail[1] / h.max(1e-9));
        (scale * world / 256.0).log2().min(MAX_ZOOM)
    }

    /// Puts projected point `p` at CSS pixel `px`, keeping the zoom.
    pub fn put_at(&mut self, p: [f64; 2], px: [f64; 2]) {
        let s = self.scale();
        self.center = [
            p[0] - (px[0] - self.size[0] / 2.0) / s,
            p[1] + (px[1] - self.size[1] / 2.0) / s,
        ];
    }

    /// `true` when projected `b` lies on screen inside `free` shrunk by `padding` pixels.
    pub fn shows_inside(&self, b: &Bounds, free: &Bounds, padding: f64) -> bool {
        if b.is_empty() {
            return false;
        }
        let a = self.to_screen(b.min);
        let c = self.to_screen(b.max);
        let on_screen = Bounds {
            min: [a[0].min(c[0]), a[1].min(c[1])],
            max: [a[0].max(c[0]), a[1].max(c[1])],
        };
        let inner = Bounds {
            min: [free.min[0] + padding, free.min[1] + padding],
            max: [free.max[0] - padding, free.max[1] - padding],
        };
        inner.contains(&on_screen)
    }

    /// The view `t` of the way (0 to 1) from `self` to `to`, for easing a selection into view
    /// frame by frame. The zoom moves evenly; the screen point that both views show at the same
    /// place (every pan-and-zoom has one) stays put, so the motion reads as one zoom about a
    /// point rather than a swing. A pure pan moves the centre evenly.
    pub fn lerp(&self, to: &Viewport, t: f64) -> Viewport {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let mut v = *to;
        v.zoom = self.zoom + (to.zoom - self.zoom) * t;
        let (s0, s1, s) = (self.scale(), to.scale(), v.scale());
        if (s1 / s0 - 1.0).abs() < 1e-3 {
            for k in 0..2 {
                v.center[k] = self.center[k] + (to.center[k] - self.center[k]) * t;
            }
        } else {
            for k in 0..2 {
                let fixed = (to.center[k] * s1 - self.center[k] * s0) / (s1 - s0);
                v.center[k] = fixed + (self.center[k] - fixed) * s0 / s;
            }
        }
        if t >= 1.0 {
            v.center = to.center;
        }
        v
    }
}

/// The part of a `size` canvas (CSS pixels) that `covered` rectangles leave free: each one
/// that overlaps what is still free cuts it down to the largest strip beside it (left, right,
/// above or below). A bottom sheet leaves the part above it; a left panel the part to its
/// right. Map overlays that must stay readable (credits, 示意 note) and selections respect it.
pub fn free_area(size: [f64; 2], covered: &[Bounds]) -> Bounds {
    let mut free = Bounds {
        min: [0.0, 0.0],
        max: size,
    };
    for c in covered {
        if c.is_empty() || !c.intersects(&free) {
            continue;
        }
        let strips = [
            Bounds {
                min: free.min,
                max: [c.min[0], free.max[1]],
            },
            Bounds {
                min: [c.max[0], free.min[1]],
                max: free.max,
            },
            Bounds {
                min: free.min,
                max: [free.max[0], c.min[1]],
            },
            Bounds {
                min: [free.min[0], c.max[1]],
                max: free.max,
            },
        ];
        let area = |b: &Bounds| {
            let [w, h] = b.size();
            w.max(0.0) * h.max(0.0)
        };
        free = strips
            .into_iter()
            .fold(None::<Bounds>, |best, s| match best {
                Some(b) if area(&b) >= area(&s) => Some(b),
                _ => Some(s),
            })
            .filter(|b| area(b) > 0.0)
            .unwrap_or(Bounds {
                min: free.min,
                max: free.min,
            });
    }
    free
}

#[cfg(test)]
mod tests {
    #[test]
    fn bounds_take_the_extremes_and_pass_over_nan() {
        let mut b = super::Bounds::EMPTY;
        b.extend([f64::NAN, f64::NAN]);
        assert!(b.is_empty());
        for p in [[3.0, -1.0], [f64::NAN, 7.5], [-2.0, f64::NAN], [1.0, 2.0]] {
            b.extend(p);
        }
        assert_eq!((b.min, b.max), ([-2.0, -1.0], [3.0, 7.5]));
    }

    #[test]
    fn culling_bounds_hold_the_view_and_stay_put_over_small_steps() {
        let mut vp = Viewport {
            center: project([123.4, 41.8]),
            zoom: 8.3,
            size: [1200.0, 800.0],
        };
        let first = vp.visible().snapped_for_culling();
        let mut changes = 0;
        let mut last = first;
        for i in 0..40 {
            vp.zoom += if i % 20 < 10 { 0.05 } else { -0.05 };
            let (seen, culled) = (vp.visible(), vp.visible().snapped_for_culling());
            assert!(culled.contains(&seen), "{culled:?} must hold {seen:?}");
            // At most a cell (half the view) beyond it on each side.
            let [w, h] = seen.size();
            assert!(culled.size()[0] <= w + 2.0 * w.max(h) / 2.0 + 1e-6);
            if culled != last {
                changes += 1;
                last = culled;
            }
        }
        // Zoom steps of 3.5% move each edge by under 2% of the view, a cell being 25–50% of
        // it: the four edges cross a cell's edge now and then, not at most steps.
        assert!(changes <= 16, "{changes} changes in 40 steps");
        assert_eq!(Bounds::EMPTY.snapped_for_culling(), Bounds::EMPTY);
    }

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

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Bounds {
        Bounds {
            min: [x0, y0],
            max: [x1, y1],
        }
    }

    #[test]
    fn free_area_is_the_largest_strip_beside_what_covers_the_canvas() {
        let size = [390.0, 844.0];
        // A bottom sheet from y = 500: the part above it.
        assert_eq!(
            free_area(size, &[rect(0.0, 500.0, 390.0, 844.0)]),
            rect(0.0, 0.0, 390.0, 500.0)
        );
        // A left panel on a desktop: the part to its right.
        assert_eq!(
            free_area([1440.0, 900.0], &[rect(10.0, 56.0, 370.0, 890.0)]),
            rect(370.0, 0.0, 1440.0, 900.0)
        );
        // Nothing open, or something off the canvas: all of it.
        assert_eq!(free_area(size, &[]), rect(0.0, 0.0, 390.0, 844.0));
        assert_eq!(
            free_area(size, &[rect(400.0, 0.0, 500.0, 844.0)]),
            rect(0.0, 0.0, 390.0, 844.0)
        );
        // Two: a sheet and then a caption above it cut it twice.
        assert_eq!(
            free_area(
                size,
                &[
                    rect(0.0, 500.0, 390.0, 844.0),
                    rect(0.0, 400.0, 390.0, 500.0)
                ]
            ),
            rect(0.0, 0.0, 390.0, 400.0)
        );
        // Covering everything leaves an empty area, not a negative one.
        assert!(free_area(size, &[rect(-1.0, -1.0, 391.0, 845.0)]).size() == [0.0, 0.0]);
    }

    #[test]
    fn zoom_to_fit_into_fits_the_box_into_the_free_part_and_put_at_places_it() {
        let v = view();
        let b = Bounds {
            min: project([123.40, 41.83]),
            max: project([123.44, 41.85]),
        };
        let free = rect(300.0, 0.0, 800.0, 600.0);
        let mut t = v;
        t.zoom = v.zoom_to_fit_into(&b, &free, 20.0);
        t.put_at(b.center(), free.center());
        assert!(t.shows_inside(&b, &free, 19.999));
        let a = t.to_screen(b.min);
        let c = t.to_screen(b.max);
        let fills_w = ((c[0] - a[0]) - 460.0).abs() < 1e-6;
        let fills_h = ((a[1] - c[1]) - 560.0).abs() < 1e-6;
        assert!(fills_w || fills_h, "{a:?} {c:?}");
        assert!(!v.shows_inside(&b, &rect(0.0, 0.0, 10.0, 10.0), 0.0));
        // A point has no size: the cap.
        let p = Bounds {
            min: b.min,
            max: b.min,
        };
        assert_eq!(v.zoom_to_fit_into(&p, &free, 20.0), MAX_ZOOM);
    }

    #[test]
    fn clamp_in_keeps_the_middle_of_the_free_part_on_the_plan() {
        let b = Bounds {
            min: project([123.35, 41.79]),
            max: project([123.48, 41.91]),
        };
        let mut v = view();
        // The south-west corner of the plan in the middle of the part above a sheet: allowed,
        // though the canvas centre is then south of the plan.
        let free = rect(0.0, 0.0, 800.0, 200.0);
        v.put_at(b.min, free.center());
        let before = v;
        v.clamp_in(&b, &free);
        assert_eq!(v, before);
        assert!(v.center[1] < b.min[1]);
        // Further off it is pulled back, to the free part's middle, not the canvas'.
        v.pan_by(300.0, -50.0);
        v.clamp_in(&b, &free);
        let m = v.to_world(free.center());
        assert!((m[0] - b.min[0]).abs() < 1e-6 && (m[1] - b.min[1]).abs() < 1e-6);
    }

    #[test]
    fn lerp_starts_and_ends_exactly_and_zooms_evenly() {
        let a = view();
        let mut b = a;
        b.zoom = 14.0;
        b.pan_by(200.0, -100.0);
        assert_eq!(a.lerp(&b, 0.0), a);
        assert_eq!(a.lerp(&b, 1.0), b);
        let m = a.lerp(&b, 0.5);
        assert!((m.zoom - 13.0).abs() < 1e-12);
        // The point both views show at the same place stays there throughout.
        let (s0, s1) = (a.scale(), b.scale());
        let fixed = [
            (b.center[0] * s1 - a.center[0] * s0) / (s1 - s0),
            (b.center[1] * s1 - a.center[1] * s0) / (s1 - s0),
        ];
        let at = a.to_screen(fixed);
        for t in [0.25, 0.5, 0.75] {
            let p = a.lerp(&b, t).to_screen(fixed);
            assert!((p[0] - at[0]).abs() < 1e-6 && (p[1] - at[1]).abs() < 1e-6);
        }
        // A pure pan moves the centre evenly.
        let mut c = a;
        c.pan_by(100.0, 40.0);
        let h = a.lerp(&c, 0.5);
        assert!((h.center[0] - (a.center[0] + c.center[0]) / 2.0).abs() < 1e-6);
        assert_eq!(h.zoom, a.zoom);
    }
}
