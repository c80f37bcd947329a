//! One small sort for the whole crate.
//!
//! Every `sort_by` call site instantiates the standard library's sort anew for its closure,
//! about 3 KB of wasm each; five of them were a tenth of the bundle's budget. The lists sorted
//! here are short (labels on screen, a feature's values, the keyboard order), so one stable
//! insertion sort behind a `dyn` comparator serves them all.

use std::cmp::Ordering;

/// The indices `0..n` in the stable order `cmp` defines.
///
/// ```
/// let words = ["pear", "fig", "apple"];
/// let order = planmap::order::sorted_indices(words.len(), &|a, b| words[a].len().cmp(&words[b].len()));
/// assert_eq!(order, [1, 0, 2]);
/// ```
pub fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(n);
    for i in 0..n {
        // Insert after every element that is not greater: stable.
        let at = out
            .iter()
            .rposition(|&j| cmp(j, i) != Ordering::Greater)
            .map_or(0, |p| p + 1);
        out.insert(at, i);
    }
    out
}

/// Reorders `items` by `cmp`, stably.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let order = sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .map(|i| slots[i].take().expect("each index once")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn agrees_with_the_standard_sort() {
        let mut seed = 7u64;
        let mut v: Vec<u32> = (0..300)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 40) as u32 % 50
            })
            .collect();
        let mut expected = v.clone();
        expected.sort();
        sort_by(&mut v, &|a, b| a.cmp(b));
        assert_eq!(v, expected);
    }
}
