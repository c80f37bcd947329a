//! Times what the streaming worker does with a large file, natively (issue 13): the typed
//! parse (`PlanFeed::feed`), each area's preparation (`geom::prepare_with_outline`:
//! projection, coarse levels) and the batch encoding, separately, in CPU time; and the label
//! points the page works out after the first frame (`geom::prepared_label`).
//!
//! `cargo run --release --example stream_time -- FILE` (build FILE with
//! `node tests/browser/bench-data.mjs DIR`).

use planmap::geom::{prepare_with_outline, prepared_label};
use planmap::plan::{batch, PlanFeed};
use std::io::Read;
use std::time::Duration;

/// Time this thread has run on a CPU (Linux: the machine is shared, so wall time says little);
/// elsewhere the wall clock.
struct Instant(Duration);

impl Instant {
    fn cpu() -> Duration {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .map_or_else(
                || std::time::UNIX_EPOCH.elapsed().unwrap_or_default(),
                Duration::from_nanos,
            )
    }
    fn now() -> Instant {
        Instant(Self::cpu())
    }
    fn elapsed(&self) -> Duration {
        Self::cpu().saturating_sub(self.0)
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: stream_time FILE");
    let mut file = std::fs::File::open(&path).expect("open");
    let mut feed = PlanFeed::with_limit("file.geojson", 1 << 30);
    let mut buf = vec![0u8; 1 << 16];
    let (mut t_feed, mut t_prep, mut t_enc) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut t_label = Duration::ZERO;
    let (mut bytes, mut batch_bytes, mut areas) = (0usize, 0usize, 0usize);
    let mut take = |feed: &mut PlanFeed, all: bool, t_prep: &mut Duration, t_enc: &mut Duration| {
        let (n, positions) = feed.waiting();
        if n == 0 || (!all && positions < 50_000 && n < 1_000) {
            return;
        }
        let pieces = feed.take_pieces();
        let t = Instant::now();
        let prepared: Vec<_> = pieces
            .areas
            .iter()
            .map(|a| prepare_with_outline(&a.geometry))
            .collect();
        *t_prep += t.elapsed();
        let t = Instant::now();
        for p in &prepared {
            std::hint::black_box(prepared_label(&p.levels));
        }
        t_label += t.elapsed();
        let t = Instant::now();
        batch_bytes += batch::encode(&pieces, &prepared).len();
        *t_enc += t.elapsed();
        areas += pieces.areas.len();
    };
    loop {
        let n = file.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        bytes += n;
        let t = Instant::now();
        feed.feed(&buf[..n]);
        t_feed += t.elapsed();
        take(&mut feed, false, &mut t_prep, &mut t_enc);
    }
    let t = Instant::now();
    let end = feed.end_file();
    t_feed += t.elapsed();
    take(&mut feed, true, &mut t_prep, &mut t_enc);
    let loaded = feed.finish();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{path}: {:.1} MB, {areas} areas, layers {end:?}, ok {}; parse {:.0} ms ({:.1} MB/s), prepare {:.0} ms, encode {:.0} ms ({:.1} MB of batches); label points (the page's, after the first frame) {:.0} ms",
        bytes as f64 / 1e6,
        loaded.is_ok(),
        ms(t_feed),
        bytes as f64 / 1e6 / t_feed.as_secs_f64(),
        ms(t_prep),
        ms(t_enc),
        batch_bytes as f64 / 1e6,
        ms(t_label)
    );
}
