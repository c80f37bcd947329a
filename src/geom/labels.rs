//! Label placement in screen space: greedy by priority, each label trying its candidate boxes
//! in order and taking the first that stays on the canvas and overlaps nothing placed before.
//! A label with no free candidate is hidden, never drawn on top of another.

use super::viewport::Bounds;

/// Measures text. The web measures with the canvas (and caches); native code and tests use
/// [`EstimateText`], so placement stays pure and testable.
pub trait MeasureText {
    /// The advance width of `text` in CSS pixels at a font size of `size` pixels.
    fn width(&self, text: &str, size: f64) -> f64;
}

/// Width from character classes: CJK ideographs and full-width forms are one em wide, other
/// characters a little over half. Slightly generous, so estimated boxes never undercut real ones
/// by much.
#[derive(Clone, Copy, Debug, Default)]
pub struct EstimateText;

impl MeasureText for EstimateText {
    fn width(&self, text: &str, size: f64) -> f64 {
        text.chars()
            .map(|c| if is_wide(c) { 1.0 } else { 0.6 })
            .sum::<f64>()
            * size
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// One label to place: its candidate boxes in order of preference.
#[derive(Clone, Debug)]
pub struct LabelRequest {
    /// Higher goes first.
    pub priority: i32,
    /// Candidate boxes in CSS pixels, best first.
    pub candidates: Vec<Bounds>,
}

/// Places `requests` on a canvas of `size`, keeping `margin` pixels from its edges, around the
/// `obstacles` (boxes already taken, e.g. markers). Returns, for each request, the index of the
/// candidate used, or `None` when it is hidden.
pub fn place(
    requests: &[LabelRequest],
    size: [f64; 2],
    margin: f64,
    obstacles: &[Bounds],
) -> Vec<Option<usize>> {
    let mut taken = obstacles.to_vec();
    place_into(requests, size, margin, &mut taken)
}

/// As [`place`], adding the boxes it takes to `taken`, so groups of labels can be placed in
/// turn (zone names first, then the markers and point names around them).
pub fn place_into(
    requests: &[LabelRequest],
    size: [f64; 2],
    margin: f64,
    taken: &mut Vec<Bounds>,
) -> Vec<Option<usize>> {
    let canvas = Bounds {
        min: [margin, margin],
        max: [size[0] - margin, size[1] - margin],
    };
    let order = crate::order::sorted_indices(requests.len(), &|a, b| {
        requests[b].priority.cmp(&requests[a].priority)
    });
    let mut out = vec![None; requests.len()];
    for i in order {
        let free = requests[i]
            .candidates
            .iter()
            .position(|b| canvas.contains(b) && !taken.iter().any(|t| t.intersects(b)));
        if let Some(k) = free {
            taken.push(requests[i].candidates[k]);
            out[i] = Some(k);
        }
    }
    out
}

/// A box of `w`×`h` centred on `c`.
pub fn centered(c: [f64; 2], w: f64, h: f64) -> Bounds {
    Bounds {
        min: [c[0] - w / 2.0, c[1] - h / 2.0],
        max: [c[0] + w / 2.0, c[1] + h / 2.0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_wider_than_latin() {
        let m = EstimateText;
        assert_eq!(m.width("长江街", 10.0), 30.0);
        assert!((m.width("abc", 10.0) - 18.0).abs() < 1e-9);
    }

    #[test]
    fn higher_priority_wins_a_collision_and_the_loser_tries_its_next_box() {
        let a = LabelRequest {
            priority: 1,
            candidates: vec![
                centered([50.0, 50.0], 40.0, 10.0),
                centered([50.0, 80.0], 40.0, 10.0),
            ],
        };
        let b = LabelRequest {
            priority: 5,
            candidates: vec![centered([55.0, 50.0], 40.0, 10.0)],
        };
        assert_eq!(
            place(&[a, b], [200.0, 200.0], 0.0, &[]),
            vec![Some(1), Some(0)]
        );
    }

    #[test]
    fn labels_off_the_canvas_are_hidden() {
        let a = LabelRequest {
            priority: 1,
            candidates: vec![centered([5.0, 50.0], 40.0, 10.0)],
        };
        assert_eq!(place(&[a], [200.0, 200.0], 2.0, &[]), vec![None]);
    }
}
