//! Which tiles are held in memory: a least-recently-used set with a cap in bytes. The decoded
//! images themselves live in the browser (see `web/`); this decides which to keep, so the
//! policy is tested natively. A decoded 256 px tile costs 256 KB, a @2x one 1 MB: a long pan
//! across a city would otherwise grow without bound on a phone.

use std::collections::HashMap;
use std::hash::Hash;

/// An LRU set of keys, each with a size in bytes, holding at most `cap` bytes.
#[derive(Clone, Debug)]
pub struct Lru<K> {
    cap: usize,
    used: usize,
    tick: u64,
    entries: HashMap<K, (usize, u64)>,
}

impl<K: Copy + Eq + Hash + Ord> Lru<K> {
    /// An empty cache of `cap` bytes.
    pub fn new(cap: usize) -> Lru<K> {
        Lru {
            cap,
            used: 0,
            tick: 0,
            entries: HashMap::new(),
        }
    }

    /// Bytes held.
    pub fn used(&self) -> usize {
        self.used
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `true` when `k` is held.
    pub fn contains(&self, k: &K) -> bool {
        self.entries.contains_key(k)
    }

    /// Marks `k` as just used (drawn).
    pub fn touch(&mut self, k: &K) {
        self.tick += 1;
        if let Some(e) = self.entries.get_mut(k) {
            e.1 = self.tick;
        }
    }

    /// Adds `k` of `bytes` as the most recent entry and returns the keys evicted to stay under
    /// the cap, least recently used first. The new entry itself is never evicted, so a tile
    /// bigger than the cap is still shown until the next one arrives.
    pub fn insert(&mut self, k: K, bytes: usize) -> Vec<K> {
        self.tick += 1;
        if let Some((old, _)) = self.entries.insert(k, (bytes, self.tick)) {
            self.used -= old;
        }
        self.used += bytes;
        let mut evicted = Vec::new();
        if self.used > self.cap {
            let mut order: Vec<(u64, K)> = self
                .entries
                .iter()
                .filter(|(key, _)| **key != k)
                .map(|(key, (_, t))| (*t, *key))
                .collect();
            // Through the crate's one sort: each std sort call site is kilobytes of wasm.
            crate::order::sort_by(&mut order, &|a, b| a.cmp(b));
            for (_, key) in order {
                if self.used <= self.cap {
                    break;
                }
                if let Some((b, _)) = self.entries.remove(&key) {
                    self.used -= b;
                    evicted.push(key);
                }
            }
        }
        evicted
    }

    /// Drops `k`.
    pub fn remove(&mut self, k: &K) {
        if let Some((b, _)) = self.entries.remove(k) {
            self.used -= b;
        }
    }

    /// Drops everything; returns what was held.
    pub fn clear(&mut self) -> Vec<K> {
        self.used = 0;
        self.entries.drain().map(|(k, _)| k).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_under_the_cap() {
        let mut c: Lru<u32> = Lru::new(1000);
        for k in 0..4 {
            assert!(c.insert(k, 250).is_empty());
        }
        assert_eq!(c.used(), 1000);
        // 0 was drawn again: 1 is now the oldest.
        c.touch(&0);
        assert_eq!(c.insert(4, 250), vec![1]);
        assert_eq!(c.used(), 1000);
        assert!(c.contains(&0) && !c.contains(&1) && c.contains(&4));
        // A big one pushes out as many as it needs, oldest first.
        assert_eq!(c.insert(5, 600), vec![2, 3, 0]);
        assert_eq!(c.used(), 850);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn never_evicts_the_entry_just_added() {
        let mut c: Lru<u32> = Lru::new(100);
        c.insert(1, 50);
        assert_eq!(c.insert(2, 500), vec![1]);
        assert!(c.contains(&2));
        assert_eq!(c.used(), 500);
        // Re-inserting replaces the size instead of counting it twice.
        c.insert(2, 60);
        assert_eq!(c.used(), 60);
        c.remove(&2);
        assert_eq!((c.used(), c.len()), (0, 0));
    }

    #[test]
    fn a_long_pan_stays_under_the_cap() {
        let cap = 64 * 256 * 1024;
        let mut c: Lru<u32> = Lru::new(cap);
        let mut evicted = 0;
        for k in 0..1000 {
            evicted += c.insert(k, 256 * 1024).len();
            assert!(c.used() <= cap);
        }
        assert_eq!(c.len(), 64);
        assert_eq!(evicted, 1000 - 64);
        assert!(c.contains(&999) && !c.contains(&935));
        assert_eq!(c.clear().len(), 64);
        assert!(c.is_empty());
    }
}
