//! Helpers shared by the native test files (each `tests/*.rs` is its own crate, so they
//! include this with `mod common;`). Not every file uses every helper.
#![allow(dead_code)]

use planmap::geom::{Bounds, EstimateText, MeasureText};
use planmap::map::PlanView;
use planmap::scene::{Align, Item};

/// Every label of the current frame with the box it covers on screen, measured as the
/// scene's own placement measures it.
pub(crate) fn label_boxes(pv: &PlanView) -> Vec<(String, Bounds)> {
    let m = EstimateText;
    pv.scene(&m)
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Label {
                at,
                text,
                size,
                align,
                ..
            } => {
                let w = m.width(text, *size);
                let h = size * 1.3;
                let x0 = match align {
                    Align::Start => at[0],
                    Align::Center => at[0] - w / 2.0,
                    Align::End => at[0] - w,
                };
                Some((
                    text.clone(),
                    Bounds {
                        min: [x0, at[1] - h / 2.0],
                        max: [x0 + w, at[1] + h / 2.0],
                    },
                ))
            }
            _ => None,
        })
        .collect()
}

/// splitmix64: a small random source, fixed by its seed, the same on every machine (the
/// mutation passes must find the same inputs in CI as here).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A bare FeatureCollection of `n` named points on a grid around Shenyang: the size tests'
/// file (load time, memory), big by count rather than by geometry.
pub(crate) fn points(n: usize) -> String {
    let side = (n as f64).sqrt().ceil() as usize;
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let lon = 123.0 + (i % side) as f64 * 1e-4;
        let lat = 41.7 + (i / side) as f64 * 1e-4;
        s.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"p{i}\",\"name\":\"点 {i}\",\"priority\":{}}},\
             \"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon:.5},{lat:.5}]}}}}",
            i % 4
        ));
    }
    s.push_str("]}");
    s
}

/// The areas a scene draws, as `(index, level of detail)` in drawing order.
pub(crate) fn drawn_areas(scene: &planmap::scene::Scene) -> Vec<(usize, usize)> {
    scene
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Area { index, lod, .. } => Some((*index, *lod)),
            _ => None,
        })
        .collect()
}
