//! SVG output: the export format and the golden test's format. Text goes in as escaped
//! character data, so nothing from the data can become markup.

use super::{line_path_data, path_data, Surface, FONT_FAMILY};
use crate::geom::{stroke_parts, Bounds};
use crate::scene::{Align, AreaStyle, Color, LineStyle, Paint, Symbol};
use geo::{LineString, MultiLineString, MultiPolygon};
use std::fmt::Write;

/// Builds an SVG document as a string.
#[derive(Clone, Debug, Default)]
pub struct SvgSurface {
    head: String,
    defs: String,
    body: String,
    clips: usize,
}

/// Escapes text for XML character data and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; drop them rather than emit an
            // unparsable file.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG `points` attribute, to a tenth of a pixel.
fn points_attr(points: &[[f64; 2]]) -> String {
    points
        .iter()
        .map(|p| format!("{:.1},{:.1}", p[0], p[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line style's ` stroke-dasharray` attribute, or nothing for a solid line.
fn dash_attribute(style: &LineStyle) -> String {
    style.dash.map_or(String::new(), |[a, b]| {
        format!(" stroke-dasharray=\"{a} {b}\"")
    })
}

impl SvgSurface {
    /// A new, empty document.
    pub fn new() -> SvgSurface {
        SvgSurface::default()
    }

    /// The `fill` attribute for `paint`, adding its pattern to the defs when hatched.
    fn paint(&mut self, paint: &Paint) -> String {
        match paint {
            Paint::None => "none".to_owned(),
            Paint::Solid(c) => c.to_string(),
            Paint::Hatch {
                background,
                line,
                angle,
            } => {
                self.clips += 1;
                let id = format!("hatch{}", self.clips);
                let _ = write!(
                    self.defs,
                    "<pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate({angle})\">\
                     <rect width=\"8\" height=\"8\" fill=\"{background}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"{line}\" stroke-width=\"2\"/></pattern>"
                );
                format!("url(#{id})")
            }
        }
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            "{}<defs>{}</defs>{}</svg>\n",
            self.head, self.defs, self.body
        )
    }
}

impl Surface for SvgSurface {
    fn begin(&mut self, [w, h]: [f64; 2], background: Color) {
        self.head = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family='{}'>\
             <rect width=\"{w}\" height=\"{h}\" fill=\"{background}\"/>",
            FONT_FAMILY.replace('\'', "")
        );
    }

    fn fill(
        &mut self,
        _: &[usize],
        _: usize,
        outline: &dyn Fn() -> MultiPolygon<f64>,
        t: &[f64; 6],
        paint: &Paint,
    ) {
        let d = path_data(&outline(), Some(t), 1);
        if d.is_empty() {
            return;
        }
        let fill = self.paint(paint);
        // The outline's rings run for a nonzero fill, SVG's default, as the canvas fills them.
        let _ = write!(self.body, "<path d=\"{d}\" fill=\"{fill}\"/>");
    }

    fn borders(
        &mut self,
        _: &[usize],
        _: usize,
        geometries: &[&LineString<f64>],
        t: &[f64; 6],
        style: &LineStyle,
    ) {
        let d: String = geometries
            .iter()
            .map(|a| line_path_data(&stroke_parts(a), Some(t), 1))
            .collect();
        if d.is_empty() {
            return;
        }
        let dash = dash_attribute(style);
        let _ = write!(
            self.body,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{dash}/>",
            style.color, style.width
        );
    }

    fn area(
        &mut self,
        _: usize,
        _: usize,
        geometry: &MultiPolygon<f64>,
        t: &[f64; 6],
        style: &AreaStyle,
    ) {
        let d = path_data(geometry, Some(t), 1);
        if d.is_empty() {
            return;
        }
        let fill = self.paint(&style.fill);
        let stroke = match style.stroke {
            Some(c) => format!(
                " stroke=\"{c}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}",
                style.stroke_width,
                if style.dashed {
                    " stroke-dasharray=\"6 4\""
                } else {
                    ""
                }
            ),
            None => String::new(),
        };
        let _ = write!(
            self.body,
            "<path d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\"{stroke}/>"
        );
    }

    fn line(
        &mut self,
        _: usize,
        _: usize,
        geometry: &MultiLineString<f64>,
        t: &[f64; 6],
        style: &LineStyle,
        title: Option<&str>,
    ) {
        let d = line_path_data(geometry, Some(t), 1);
        if d.is_empty() {
            return;
        }
        let dash = dash_attribute(style);
        let _ = write!(
            self.body,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{dash}",
            style.color, style.width
        );
        match title {
            Some(t) => {
                let _ = write!(self.body, "><title>{}</title></path>", escape(t));
            }
            None => self.body.push_str("/>"),
        }
    }

    fn marker(
        &mut self,
        at: [f64; 2],
        symbol: Symbol,
        radius: f64,
        fill: Color,
        stroke: Color,
        stroke_width: f64,
    ) {
        let attrs = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"");
        if symbol == Symbol::Circle {
            let _ = write!(
                self.body,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{radius}\" {attrs}/>",
                at[0], at[1]
            );
        } else {
            let _ = write!(
                self.body,
                "<polygon points=\"{}\" {attrs}/>",
                points_attr(&symbol.outline(at, radius))
            );
        }
    }

    fn text(
        &mut self,
        at: [f64; 2],
        text: &str,
        size: f64,
        color: Color,
        halo: Option<Color>,
        bold: bool,
        align: Align,
    ) {
        let anchor = match align {
            Align::Start => "start",
            Align::Center => "middle",
            Align::End => "end",
        };
        let halo = halo.map_or(String::new(), |h| format!(" stroke=\"{h}\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""));
        let _ = write!(
            self.body,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{size:.1}\" fill=\"{color}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\"{}{halo}>{}</text>",
            at[0],
            at[1],
            if bold { " font-weight=\"bold\"" } else { "" },
            escape(text)
        );
    }

    fn rect(&mut self, b: Bounds, fill: Color, stroke: Option<Color>) {
        let [w, h] = b.size();
        let stroke = stroke.map_or(String::new(), |s| format!(" stroke=\"{s}\""));
        let _ = write!(self.body, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"{stroke}/>", b.min[0], b.min[1]);
    }

    fn polyline(&mut self, points: &[[f64; 2]], color: Color, width: f64) {
        let _ = write!(
            self.body,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"/>",
            points_attr(points)
        );
    }

    fn polygon(&mut self, points: &[[f64; 2]], fill: Color) {
        let _ = write!(
            self.body,
            "<polygon points=\"{}\" fill=\"{fill}\"/>",
            points_attr(points)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped() {
        let mut s = SvgSurface::new();
        s.begin([10.0, 10.0], Color::hex(0));
        s.text(
            [1.0, 1.0],
            "<img src=x onerror=alert(1)>&\"",
            10.0,
            Color::hex(0),
            None,
            false,
            Align::Start,
        );
        let out = s.finish();
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;"));
        assert!(!out.contains("<img"));
    }
}
