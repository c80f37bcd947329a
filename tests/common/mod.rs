//! Helpers shared by the native test files (each `tests/*.rs` is its own crate, so they
//! include this with `mod common;`).

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
