//! The three themes of the public contract. Text colours are chosen for at least 4.5:1 against
//! the background they sit on (tested), so labels stay readable on a projector.

use super::color::{Color, OKABE_ITO};

/// Which theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Light background, the default.
    #[default]
    Light,
    /// Dark background.
    Dark,
    /// High contrast, larger type: for projectors and low vision.
    Contrast,
}

impl ThemeName {
    /// Reads a `theme` attribute; unknown values fall back to light.
    pub fn parse(s: &str) -> ThemeName {
        match s.trim() {
            "dark" => ThemeName::Dark,
            "contrast" => ThemeName::Contrast,
            _ => ThemeName::Light,
        }
    }
}

/// Every colour and size the scene uses.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Canvas background.
    pub background: Color,
    /// Neighbouring districts.
    pub context_fill: Color,
    /// Neighbouring districts' outlines.
    pub context_stroke: Color,
    /// The district.
    pub boundary_fill: Color,
    /// The district's outline.
    pub boundary_stroke: Color,
    /// Zone colours, in order.
    pub zones: [Color; 7],
    /// Opacity of a zone's fill.
    pub zone_alpha: f64,
    /// Main text.
    pub text: Color,
    /// Quieter text (context names, notes).
    pub muted: Color,
    /// The halo behind labels.
    pub halo: Color,
    /// Outline of the selected feature.
    pub selection: Color,
    /// Outline of the keyboard-focused feature.
    pub focus: Color,
    /// Outline of markers.
    pub marker_stroke: Color,
    /// Scale applied to every font size.
    pub font_scale: f64,
}

/// Colours a page sets with CSS custom properties on the element, over the theme's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// `--planmap-bg`: the canvas background.
    pub background: Option<Color>,
    /// `--planmap-text`: label text.
    pub text: Option<Color>,
    /// `--planmap-zone-colors`: zone colours, in order.
    pub zones: Vec<Color>,
}

impl Theme {
    /// The theme with a page's overrides applied.
    pub fn with(mut self, o: &Overrides) -> Theme {
        if let Some(bg) = o.background {
            self.background = bg;
            self.halo = bg;
        }
        if let Some(t) = o.text {
            self.text = t;
        }
        for (slot, c) in self.zones.iter_mut().zip(&o.zones) {
            *slot = *c;
        }
        self
    }

    /// The colours of `name`.
    pub fn of(name: ThemeName) -> Theme {
        match name {
            ThemeName::Light => Theme {
                background: Color::hex(0xF4F6F8),
                context_fill: Color::hex(0xE3E7EB),
                context_stroke: Color::hex(0xB9C1C9),
                boundary_fill: Color::hex(0xFFFFFF),
                boundary_stroke: Color::hex(0x4A5560),
                zones: OKABE_ITO,
                zone_alpha: 0.45,
                text: Color::hex(0x1B1F24),
                muted: Color::hex(0x59636E),
                halo: Color::hex(0xFFFFFF),
                selection: Color::hex(0x000000),
                focus: Color::hex(0x0050B3),
                marker_stroke: Color::hex(0xFFFFFF),
                font_scale: 1.0,
            },
            ThemeName::Dark => Theme {
                background: Color::hex(0x14181D),
                context_fill: Color::hex(0x20262D),
                context_stroke: Color::hex(0x3A444F),
                boundary_fill: Color::hex(0x2A323B),
                boundary_stroke: Color::hex(0xA9B4BF),
                zones: OKABE_ITO,
                zone_alpha: 0.5,
                text: Color::hex(0xF1F4F7),
                muted: Color::hex(0xB4BEC8),
                halo: Color::hex(0x14181D),
                selection: Color::hex(0xFFFFFF),
                focus: Color::hex(0x7CC4FF),
                marker_stroke: Color::hex(0x14181D),
                font_scale: 1.0,
            },
            ThemeName::Contrast => Theme {
                background: Color::hex(0x000000),
                context_fill: Color::hex(0x000000),
                context_stroke: Color::hex(0x8A8A8A),
                boundary_fill: Color::hex(0x000000),
                boundary_stroke: Color::hex(0xFFFFFF),
                zones: OKABE_ITO,
                zone_alpha: 0.7,
                text: Color::hex(0xFFFFFF),
                muted: Color::hex(0xE0E0E0),
                halo: Color::hex(0x000000),
                selection: Color::hex(0xFFFF00),
                focus: Color::hex(0x00FFFF),
                marker_stroke: Color::hex(0x000000),
                font_scale: 1.3,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_contrast_is_at_least_4_5_in_every_theme() {
        for name in [ThemeName::Light, ThemeName::Dark, ThemeName::Contrast] {
            let t = Theme::of(name);
            for (what, c) in [("text", t.text), ("muted", t.muted)] {
                for (on, bg) in [
                    ("background", t.background),
                    ("halo", t.halo),
                    ("district", t.boundary_fill),
                ] {
                    assert!(
                        c.contrast(&bg) >= 4.5,
                        "{name:?}: {what} on {on} is {:.2}",
                        c.contrast(&bg)
                    );
                }
            }
        }
    }
}
