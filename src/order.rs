//! One sort for the whole crate.
//!
//! Every `sort_by` call site instantiates the standard library's sort anew for its closure,
//! about 3 KB of wasm each; five of them were a tenth of the bundle's budget, and even one
//! instantiation of the standard stable sort (driftsort) is about 15 KB. So every caller goes
//! through [`sorted_indices`], a small bottom-up merge sort over indices behind a `dyn`
//! comparator: stable and O(n log n), where the insertion sort it replaced was quadratic and
//! froze the tab on 100,000 points (issue 12).

use std::cmp::Ordering;

/// The indices `0..n` in the stable order `cmp` defines.
///
/// ```
/// let words = ["pear", "fig", "apple"];
/// let order = planmap::order::sorted_indices(words.len(), &|a, b| words[a].len().cmp(&words[b].len()));
/// assert_eq!(order, [1, 0, 2]);
/// ```
pub fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0; n];
    let mut width = 1;
    while width < n {
        // Merge each pair of sorted runs of `width` from `a` into `b`; on ties the left run
        // goes first, which keeps the sort stable.
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut b[lo..hi] {
                if j >= hi || (i < mid && cmp(a[i], a[j]) != Ordering::Greater) {
                    *slot = a[i];
                    i += 1;
                } else {
                    *slot = a[j];
                    j += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
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
