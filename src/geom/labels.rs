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

/// The boxes already taken on a canvas, bucketed in a uniform grid so that testing a
/// candidate looks only at the boxes near it: placing n labels is O(n) grid look-ups, where
/// scanning every placed box was quadratic (issue 12: 100,000 points froze the tab).
#[derive(Clone, Debug)]
pub struct Occupied {
    cell: f64,
    cols: usize,
    rows: usize,
    /// For each cell, the indices into `boxes` of the boxes that overlap it.
    cells: Vec<Vec<u32>>,
    boxes: Vec<Bounds>,
}

/// At most this many cells a side, whatever the canvas size.
const MAX_CELLS: f64 = 128.0;

impl Occupied {
    /// An empty canvas of `size` CSS pixels.
    pub fn new(size: [f64; 2]) -> Occupied {
        let side = |s: f64| if s.is_finite() && s > 0.0 { s } else { 1.0 };
        let (w, h) = (side(size[0]), side(size[1]));
        // Cells about the size of a label, never so many that a big box touches thousands.
        let cell = (w.max(h) / MAX_CELLS).max(32.0);
        let cols = (w / cell).ceil().max(1.0) as usize;
        let rows = (h / cell).ceil().max(1.0) as usize;
        Occupied {
            cell,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
            boxes: Vec::new(),
        }
    }

    /// The cells `b` overlaps, clamped to the canvas; `None` when it misses the canvas (or is
    /// not a number), since every candidate lies on the canvas.
    fn span(&self, b: &Bounds) -> Option<([usize; 2], [usize; 2])> {
        let [x0, y0] = b.min;
        let [x1, y1] = b.max;
        let (w, h) = (self.cols as f64 * self.cell, self.rows as f64 * self.cell);
        // Written so that NaN fails every test.
        if !(x1 >= 0.0 && y1 >= 0.0 && x0 <= w && y0 <= h && x0 <= x1 && y0 <= y1) {
            return None;
        }
        let c = |v: f64, n: usize| ((v / self.cell).floor().max(0.0) as usize).min(n - 1);
        Some((
            [c(x0, self.cols), c(y0, self.rows)],
            [c(x1, self.cols), c(y1, self.rows)],
        ))
    }

    /// Marks `b` as taken.
    pub fn insert(&mut self, b: Bounds) {
        let Some((lo, hi)) = self.span(&b) else {
            return;
        };
        let k = self.boxes.len() as u32;
        self.boxes.push(b);
        for row in lo[1]..=hi[1] {
            for col in lo[0]..=hi[0] {
                self.cells[row * self.cols + col].push(k);
            }
        }
    }

    /// `true` when `b` overlaps a taken box.
    pub fn intersects(&self, b: &Bounds) -> bool {
        let Some((lo, hi)) = self.span(b) else {
            return false;
        };
        (lo[1]..=hi[1]).any(|row| {
            (lo[0]..=hi[0]).any(|col| {
                self.cells[row * self.cols + col]
                    .iter()
                    .any(|&k| self.boxes[k as usize].intersects(b))
            })
        })
    }
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
    let mut taken = Occupied::new(size);
    for b in obstacles {
        taken.insert(*b);
    }
    place_into(requests, size, margin, &mut taken)
}

/// As [`place`], adding the boxes it takes to `taken`, so groups of labels can be placed in
/// turn (zone names first, then the markers and point names around them).
pub fn place_into(
    requests: &[LabelRequest],
    size: [f64; 2],
    margin: f64,
    taken: &mut Occupied,
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
            .position(|b| canvas.contains(b) && !taken.intersects(b));
        if let Some(k) = free {
            taken.insert(requests[i].candidates[k]);
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
    fn the_grid_agrees_with_scanning_every_box() {
        // Boxes of many sizes, some off the canvas, some spanning many cells.
        let mut seed = 11u64;
        let mut next = |m: f64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 * m
        };
        let size = [900.0, 600.0];
        let mut grid = Occupied::new(size);
        let mut all = Vec::new();
        for _ in 0..400 {
            let c = [next(1100.0) - 100.0, next(800.0) - 100.0];
            let b = centered(c, next(300.0), next(60.0));
            let q = centered([next(900.0), next(600.0)], next(120.0), next(30.0));
            assert_eq!(
                grid.intersects(&q),
                all.iter().any(|t: &Bounds| t.intersects(&q)),
                "{q:?}"
            );
            grid.insert(b);
            all.push(b);
        }
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
