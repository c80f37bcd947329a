//! A plotters backend that draws on any [`Surface`]: plotters lays out axes, ticks and bars;
//! the surface is the page's canvas, an SVG export or a test recorder. So charts need neither
//! plotters-canvas nor its DOM-span text measuring (a forced layout per label).

use crate::geom::{Bounds, MeasureText};
use crate::render::Surface;
use crate::scene::{Align, Color, Symbol};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// Drawing on a surface cannot fail; plotters still wants an error type.
#[derive(Debug)]
pub struct NeverFails;

impl std::fmt::Display for NeverFails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreachable")
    }
}

impl std::error::Error for NeverFails {}

/// A surface of `size` device pixels seen as a plotters backend.
pub struct SurfaceBackend<'a> {
    surface: &'a mut dyn Surface,
    measure: &'a dyn MeasureText,
    size: (u32, u32),
    /// Added to every coordinate: where the chart sits on the surface.
    offset: [f64; 2],
}

impl<'a> SurfaceBackend<'a> {
    /// A backend drawing a `size` chart at `offset` on `surface`.
    pub fn new(
        surface: &'a mut dyn Surface,
        measure: &'a dyn MeasureText,
        size: (u32, u32),
        offset: [f64; 2],
    ) -> Self {
        SurfaceBackend {
            surface,
            measure,
            size,
            offset,
        }
    }

    fn at(&self, (x, y): BackendCoord) -> [f64; 2] {
        [x as f64 + self.offset[0], y as f64 + self.offset[1]]
    }
}

fn color(c: BackendColor) -> Color {
    Color {
        r: c.rgb.0,
        g: c.rgb.1,
        b: c.rgb.2,
        a: c.alpha,
    }
}

type Result = std::result::Result<(), DrawingErrorKind<NeverFails>>;

impl DrawingBackend for SurfaceBackend<'_> {
    type ErrorType = NeverFails;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result {
        let [x, y] = self.at(p);
        self.surface.rect(
            Bounds {
                min: [x, y],
                max: [x + 1.0, y + 1.0],
            },
            color(c),
            None,
        );
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        let (a, b) = (self.at(from), self.at(to));
        self.surface
            .polyline(&[a, b], color(style.color()), style.stroke_width() as f64);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        let (a, b) = (self.at(ul), self.at(br));
        let c = color(style.color());
        if fill {
            self.surface.rect(Bounds { min: a, max: b }, c, None);
        } else {
            self.surface.polyline(
                &[a, [b[0], a[1]], b, [a[0], b[1]], a],
                c,
                style.stroke_width() as f64,
            );
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        let pts: Vec<[f64; 2]> = path.into_iter().map(|p| self.at(p)).collect();
        self.surface
            .polyline(&pts, color(style.color()), style.stroke_width() as f64);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        let col = color(style.color());
        let fill_col = if fill { col } else { col.alpha(0.0) };
        self.surface.marker(
            self.at(c),
            Symbol::Circle,
            r as f64,
            fill_col,
            col,
            style.stroke_width() as f64,
        );
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        let pts: Vec<[f64; 2]> = vert.into_iter().map(|p| self.at(p)).collect();
        self.surface.polygon(&pts, color(style.color()));
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result {
        let size = style.size();
        let anchor = style.anchor();
        let align = match anchor.h_pos {
            HPos::Left => Align::Start,
            HPos::Center => Align::Center,
            HPos::Right => Align::End,
        };
        let [x, y] = self.at(pos);
        // Surfaces centre text vertically on its anchor.
        let y = match anchor.v_pos {
            VPos::Top => y + size * 0.6,
            VPos::Center => y,
            VPos::Bottom => y - size * 0.6,
        };
        self.surface
            .text([x, y], text, size, color(style.color()), None, false, align);
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<NeverFails>> {
        let size = style.size();
        Ok((
            self.measure.width(text, size).ceil() as u32,
            (size * 1.2).ceil() as u32,
        ))
    }
}
