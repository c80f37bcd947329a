//! Colours and colour scales.

use std::fmt;

/// An sRGB colour with alpha.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
    /// Opacity, 0–1.
    pub a: f64,
}

impl Color {
    /// An opaque colour from `0xRRGGBB`.
    pub const fn hex(rgb: u32) -> Color {
        Color {
            r: (rgb >> 16) as u8,
            g: (rgb >> 8) as u8,
            b: rgb as u8,
            a: 1.0,
        }
    }

    /// The same colour at opacity `a`.
    pub const fn alpha(self, a: f64) -> Color {
        Color { a, ..self }
    }

    /// Reads a CSS colour as a page writes it in a custom property: `#rgb`, `#rrggbb` or
    /// `rgb(r, g, b)`. Anything else is `None` (the theme's colour stays).
    pub fn parse_css(s: &str) -> Option<Color> {
        let s = s.trim();
        if let Some(hex) = s.strip_prefix('#') {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return match hex.len() {
                3 => Some(Color::hex(
                    ((v >> 8) & 0xf) * 0x110000 + ((v >> 4) & 0xf) * 0x1100 + (v & 0xf) * 0x11,
                )),
                6 => Some(Color::hex(v)),
                _ => None,
            };
        }
        let inner = s.strip_prefix("rgb(")?.strip_suffix(')')?;
        let parts: Vec<u8> = inner
            .split(',')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [r, g, b] => Some(Color {
                r: *r,
                g: *g,
                b: *b,
                a: 1.0,
            }),
            _ => None,
        }
    }

    /// WCAG relative luminance, for contrast checks.
    pub fn luminance(&self) -> f64 {
        let ch = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(self.r) + 0.7152 * ch(self.g) + 0.0722 * ch(self.b)
    }

    /// WCAG contrast ratio between two opaque colours (1 to 21).
    pub fn contrast(&self, other: &Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Linear interpolation in sRGB.
    pub fn mix(&self, o: &Color, t: f64) -> Color {
        let l = |a: u8, b: u8| {
            (a as f64 + (b as f64 - a as f64) * t)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        Color {
            r: l(self.r, o.r),
            g: l(self.g, o.g),
            b: l(self.b, o.b),
            a: self.a + (o.a - self.a) * t,
        }
    }
}

impl fmt::Display for Color {
    /// CSS syntax: `#rrggbb` when opaque, `rgba(…)` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.a >= 1.0 {
            write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
        } else {
            write!(
                f,
                "rgba({},{},{},{})",
                self.r,
                self.g,
                self.b,
                (self.a * 1000.0).round() / 1000.0
            )
        }
    }
}

/// Okabe & Ito's palette: eight colours told apart by people with any common colour-vision
/// deficiency. Zones take them in order (black is left out: it is the text colour).
pub const OKABE_ITO: [Color; 7] = [
    Color::hex(0xE69F00),
    Color::hex(0x56B4E9),
    Color::hex(0x009E73),
    Color::hex(0xF0E442),
    Color::hex(0x0072B2),
    Color::hex(0xD55E00),
    Color::hex(0xCC79A7),
];

/// Cividis stops (Nuñez, Anderton & Renslow 2018): a sequential scale designed to read the same
/// with and without colour-vision deficiency, and monotonic in lightness.
const CIVIDIS: [u32; 9] = [
    0x00224E, 0x123570, 0x3B496C, 0x575D6D, 0x707173, 0x8A8779, 0xA69D75, 0xC4B56C, 0xFDE737,
];

/// A sequential colour for `t` in 0–1 (clamped); darker is lower.
pub fn sequential(t: f64) -> Color {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (CIVIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(CIVIDIS.len() - 2);
    Color::hex(CIVIDIS[i]).mix(&Color::hex(CIVIDIS[i + 1]), x - i as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_scale_gets_lighter_monotonically() {
        let mut last = -1.0;
        for k in 0..=100 {
            let l = sequential(k as f64 / 100.0).luminance();
            assert!(l > last, "step {k}: {l} <= {last}");
            last = l;
        }
    }

    #[test]
    fn contrast_of_black_on_white_is_21() {
        assert!((Color::hex(0).contrast(&Color::hex(0xffffff)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn parses_css_colours() {
        assert_eq!(Color::parse_css(" #0072B2 "), Some(Color::hex(0x0072B2)));
        assert_eq!(Color::parse_css("#f00"), Some(Color::hex(0xff0000)));
        assert_eq!(
            Color::parse_css("rgb(1, 2, 3)"),
            Some(Color {
                r: 1,
                g: 2,
                b: 3,
                a: 1.0
            })
        );
        for bad in ["", "red", "#12345", "rgb(1,2)", "rgb(300,0,0)", "url(x)"] {
            assert_eq!(Color::parse_css(bad), None, "{bad}");
        }
    }

    #[test]
    fn css_syntax() {
        assert_eq!(Color::hex(0x0072B2).to_string(), "#0072b2");
        assert_eq!(
            Color::hex(0xffffff).alpha(0.5).to_string(),
            "rgba(255,255,255,0.5)"
        );
    }
}
