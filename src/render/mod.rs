//! [`Scene`] → a [`Surface`]. One drawing routine serves the canvas in the page, the SVG
//! export and the tests, so what is tested is what users see.

mod recorder;
mod svg;

pub use recorder::{Command, Recorder};
pub use svg::{escape, SvgSurface};

use crate::geom::{Bounds, ProjectedPlan};
use crate::scene::{Align, AreaStyle, Color, Item, LineStyle, Scene, Symbol};
use geo::{Coord, MultiLineString, MultiPolygon};

/// The CSS font list for every label: system CJK fonts first (macOS, Windows, Linux), so Chinese
/// is never drawn as boxes where any CJK font exists.
pub const FONT_FAMILY: &str = "\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",sans-serif";

/// Something that can draw a scene's primitives.
pub trait Surface {
    /// Starts a frame of `size` CSS pixels filled with `background`.
    fn begin(&mut self, size: [f64; 2], background: Color);
    /// Draws area `index` at level of detail `lod`, whose projected outline is `geometry`,
    /// through `transform` (`index` and `lod` let a surface cache what it builds from it).
    fn area(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiPolygon<f64>,
        transform: &[f64; 6],
        style: &AreaStyle,
    );
    /// Strokes line `index` at level of detail `lod`, whose projected course is `geometry`,
    /// through `transform`, with widths and dashes in CSS pixels; `title` names it (SVG).
    fn line(
        &mut self,
        index: usize,
        lod: usize,
        geometry: &MultiLineString<f64>,
        transform: &[f64; 6],
        style: &LineStyle,
        title: Option<&str>,
    );
    /// Draws a marker.
    fn marker(
        &mut self,
        at: [f64; 2],
        symbol: Symbol,
        radius: f64,
        fill: Color,
        stroke: Color,
        stroke_width: f64,
    );
    /// Draws one line of text vertically centred on `at`.
    fn text(
        &mut self,
        at: [f64; 2],
        text: &str,
        size: f64,
        color: Color,
        halo: Option<Color>,
        bold: bool,
        align: Align,
    );
    /// Draws the `src` part (fractions of the image) of basemap tile `tile` of `layer` into
    /// `dst` (CSS pixels). Only the canvas holds tile images; other surfaces skip them.
    fn tile(&mut self, layer: u8, tile: crate::basemap::TileId, src: [f64; 4], dst: Bounds) {
        let _ = (layer, tile, src, dst);
    }
    /// Draws a rectangle.
    fn rect(&mut self, bounds: Bounds, fill: Color, stroke: Option<Color>);
    /// Draws an open polyline in screen pixels (chart axes and grid lines).
    fn polyline(&mut self, points: &[[f64; 2]], color: Color, width: f64);
    /// Fills a polygon in screen pixels.
    fn polygon(&mut self, points: &[[f64; 2]], fill: Color);
    /// Ends the frame.
    fn end(&mut self) {}
}

/// Draws `scene` on `surface`; `proj` supplies the projected geometry the scene refers to.
pub fn draw(scene: &Scene, proj: &ProjectedPlan, surface: &mut dyn Surface) {
    surface.begin(scene.size, scene.background);
    for item in &scene.items {
        match item {
            Item::Area { index, lod, style } => {
                if *index < proj.areas.len() {
                    surface.area(
                        *index,
                        *lod,
                        proj.geometry(*index, *lod),
                        &scene.transform,
                        style,
                    )
                }
            }
            Item::Line {
                index,
                lod,
                style,
                title,
            } => {
                if *index < proj.lines.len() {
                    surface.line(
                        *index,
                        *lod,
                        proj.line(*index, *lod),
                        &scene.transform,
                        style,
                        title.as_deref(),
                    )
                }
            }
            Item::Marker {
                at,
                symbol,
                radius,
                fill,
                stroke,
                stroke_width,
            } => surface.marker(*at, *symbol, *radius, *fill, *stroke, *stroke_width),
            Item::Label {
                at,
                text,
                size,
                color,
                halo,
                bold,
                align,
            } => surface.text(*at, text, *size, *color, *halo, *bold, *align),
            Item::Tile {
                layer,
                tile,
                src,
                dst,
            } => surface.tile(*layer, *tile, *src, *dst),
            Item::Polyline {
                points,
                color,
                width,
            } => surface.polyline(points, *color, *width),
            Item::Rect {
                bounds,
                fill,
                stroke,
            } => surface.rect(*bounds, *fill, *stroke),
        }
    }
    surface.end();
}

/// Applies a `setTransform` matrix to a point.
pub fn apply(t: &[f64; 6], p: [f64; 2]) -> [f64; 2] {
    [
        t[0] * p[0] + t[2] * p[1] + t[4],
        t[1] * p[0] + t[3] * p[1] + t[5],
    ]
}

/// An SVG path `d` for `geometry` mapped through `t`, with coordinates rounded to `decimals`.
/// The canvas uses the same string (untransformed, full precision) to build its cached Path2D.
pub fn path_data(geometry: &MultiPolygon<f64>, t: Option<&[f64; 6]>, decimals: usize) -> String {
    let mut d = String::new();
    for poly in geometry {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let n = ring.0.len().saturating_sub(1);
            push_polyline(&mut d, &ring.0[..n], t, decimals);
            if n > 0 {
                d.push('Z');
            }
        }
    }
    d
}

/// An SVG path `d` for the open polylines of `geometry` mapped through `t` (no `Z`: a line is
/// not a ring), with coordinates rounded to `decimals`.
pub fn line_path_data(
    geometry: &MultiLineString<f64>,
    t: Option<&[f64; 6]>,
    decimals: usize,
) -> String {
    let mut d = String::new();
    for part in geometry {
        push_polyline(&mut d, &part.0, t, decimals);
    }
    d
}

/// Appends `M x y L x y …` for `coords` mapped through `t`, rounded to `decimals`: the one
/// writer behind closed rings and open lines.
fn push_polyline(d: &mut String, coords: &[Coord<f64>], t: Option<&[f64; 6]>, decimals: usize) {
    use std::fmt::Write;
    for (k, c) in coords.iter().enumerate() {
        let p = t.map_or([c.x, c.y], |t| apply(t, [c.x, c.y]));
        let _ = write!(
            d,
            "{}{:.*} {:.*}",
            if k == 0 { "M" } else { "L" },
            decimals,
            p[0],
            decimals,
            p[1]
        );
    }
}
