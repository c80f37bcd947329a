//! How lines are drawn: a casing (a wider stroke under the line, so it reads over any fill)
//! and the line itself, both in CSS pixels whatever the zoom, styled by what the line is (a
//! river is not a road) and dashed where the course is a sketch or the line is not yet built.

use super::color::Color;
use super::theme::Theme;
use crate::plan::{LineClass, LineFeature};

/// One stroke of a line, in CSS pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct LineStyle {
    /// Its colour.
    pub color: Color,
    /// Its width in CSS pixels (the same at every zoom).
    pub width: f64,
    /// Dash and gap lengths in CSS pixels, when dashed.
    pub dash: Option<[f64; 2]>,
}

/// The widest casing of any line style: what a pointer's tolerance is measured from.
pub const LINE_CASING_WIDTH: f64 = 7.0;

/// The casing and the stroke of `line` in `theme`.
pub fn line_styles(line: &LineFeature, theme: &Theme) -> (LineStyle, LineStyle) {
    let dark_casing = theme.text.mix(&theme.background, 0.25);
    let dash = line.dashed().then_some([7.0, 5.0]);
    let (casing, width, color, dash) = match line.style_class() {
        // An amber road in a dark casing, as on most street maps; a planned one shows its
        // casing through the gaps of its dashes.
        LineClass::Road => (dark_casing, 4.0, Color::hex(0xFFC94D), dash),
        // Water is blue in a white casing, so it stands apart from roads over any zone colour,
        // dark themes included (a dark halo lost the blue over the blue zones of the contrast
        // theme).
        LineClass::Water => (Color::hex(0xFFFFFF), 3.5, Color::hex(0x1F78C8), dash),
        // The railway's classic ladder: light dashes on a dark line.
        LineClass::Rail => (dark_casing, 2.5, theme.halo, Some([6.0, 6.0])),
        LineClass::Other => (Color::hex(0xFFFFFF), 3.0, Color::hex(0xAA3377), dash),
    };
    (
        LineStyle {
            color: casing,
            width: width + 3.0,
            dash: None,
        },
        LineStyle { color, width, dash },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::ThemeName;

    fn line(category: &str, status: Option<&str>, schematic: bool) -> LineFeature {
        LineFeature {
            id: "l".into(),
            name: Default::default(),
            geometry: geo::MultiLineString(vec![]),
            category: category.into(),
            status: status.map(str::to_owned),
            zone: None,
            schematic,
            location: crate::plan::Location::Approximate,
            quote: None,
            priority: 0,
            facts: vec![],
            numbers: vec![],
            link: None,
        }
    }

    #[test]
    fn a_river_is_not_drawn_like_a_road() {
        let t = Theme::of(ThemeName::Light);
        let road = line_styles(&line("road", None, false), &t);
        let river = line_styles(&line("river", None, false), &t);
        assert_ne!(road.1.color, river.1.color);
        assert_ne!(road.0.color, river.0.color);
    }

    #[test]
    fn planned_and_schematic_lines_are_dashed_built_ones_are_not() {
        let t = Theme::of(ThemeName::Light);
        assert_eq!(line_styles(&line("road", None, false), &t).1.dash, None);
        assert!(line_styles(&line("road", Some("planned"), false), &t)
            .1
            .dash
            .is_some());
        assert!(line_styles(&line("canal", None, true), &t).1.dash.is_some());
        assert_eq!(
            line_styles(&line("road", Some("planned"), false), &t)
                .0
                .dash,
            None,
            "the casing stays whole"
        );
    }

    #[test]
    fn every_casing_is_wider_than_its_line_and_within_the_hit_width() {
        for name in [ThemeName::Light, ThemeName::Dark, ThemeName::Contrast] {
            for c in ["road", "water", "rail", ""] {
                let (casing, stroke) = line_styles(&line(c, None, false), &Theme::of(name));
                assert!(casing.width > stroke.width && casing.width <= LINE_CASING_WIDTH);
            }
        }
    }
}
