//! Loading stays within a small multiple of the file's size (issue 12: the `Value`-tree loader
//! peaked near 20× on 100,000 points, 297 MB for a 14.5 MB file). A counting global allocator
//! (this test binary's own) records the most bytes live at once while a file loads, counted
//! from before the load with the file's text already in memory.
//!
//! Bounds: at most 5× the file's size for 100,000 points (measured 4.1×: each point becomes a
//! feature struct of 264 bytes plus its strings and id for ~140 bytes of JSON, and the list of
//! them grows by doubling), at most 2× for a polygon-heavy file (measured 0.9×: coordinates as
//! f64 pairs take less room than their text), loaded whole or fed in 64 KB chunks.

mod common;
use common::points;
use planmap::plan::{load, PlanFeed};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                let now = LIVE.fetch_add(new - l.size(), Relaxed) + (new - l.size());
                // A realloc that moved the block held both for a moment.
                let moved = if q != p { l.size() } else { 0 };
                PEAK.fetch_max(now + moved, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

/// The tests measure one at a time (the counters are global).
static ONE: Mutex<()> = Mutex::new(());

fn one() -> std::sync::MutexGuard<'static, ()> {
    ONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bytes live at the peak of `f`, counted above what was live before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let r = f();
    (PEAK.load(Relaxed) - before, r)
}

/// 300 districts of 2,000 vertices each: a polygon-heavy file like a province's.
fn polygons() -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for k in 0..300 {
        if k > 0 {
            s.push(',');
        }
        let (cx, cy) = (120.0 + (k % 20) as f64 * 0.5, 40.0 + (k / 20) as f64 * 0.5);
        let mut ring = Vec::new();
        for j in 0..2000 {
            let a = j as f64 / 2000.0 * std::f64::consts::TAU;
            let r = 0.2 + 0.02 * (a * 7.0).sin();
            ring.push(format!("[{:.6},{:.6}]", cx + r * a.cos(), cy + r * a.sin()));
        }
        ring.push(ring[0].clone());
        s.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"区 {k}\",\"adcode\":{}}},\
             \"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}",
            210000 + k,
            ring.join(",")
        ));
    }
    s.push_str("]}");
    s
}

fn fed(name: &str, bytes: &[u8]) -> usize {
    let mut feed = PlanFeed::new(name);
    for c in bytes.chunks(64 * 1024) {
        feed.feed(c);
    }
    assert!(feed.end_file().is_empty());
    let l = feed.finish().unwrap();
    l.plan.points.len() + l.plan.areas.len()
}

fn check(name: &str, text: &str, bound: f64, features: usize) {
    let size = text.len();
    let (whole, n) = peak_of(|| {
        let l = load(name, text, &HashMap::new()).unwrap();
        l.plan.points.len() + l.plan.areas.len()
    });
    assert_eq!(n, features);
    let (chunked, n) = peak_of(|| fed(name, text.as_bytes()));
    assert_eq!(n, features);
    let mb = |b: usize| b as f64 / 1_048_576.0;
    eprintln!(
        "{name}: {:.1} MB; peak while loading whole {:.1} MB ({:.2}×), in 64 KB chunks {:.1} MB ({:.2}×)",
        mb(size),
        mb(whole),
        whole as f64 / size as f64,
        mb(chunked),
        chunked as f64 / size as f64
    );
    assert!(
        whole as f64 <= bound * size as f64,
        "{name}: whole load peaked at {whole} bytes for a {size}-byte file (bound {bound}×)"
    );
    assert!(
        chunked as f64 <= bound * size as f64,
        "{name}: fed load peaked at {chunked} bytes for a {size}-byte file (bound {bound}×)"
    );
}

#[test]
fn a_hundred_thousand_points_load_within_five_times_their_size() {
    let _one = one();
    check("points.geojson", &points(100_000), 5.0, 100_000);
}

#[test]
fn a_polygon_heavy_file_loads_within_twice_its_size() {
    let _one = one();
    check("districts.geojson", &polygons(), 2.0, 300);
}
