//! The `Value`-tree loader the typed, incremental one replaced, kept while the two are compared
//! (`parity` tests): same verdicts and messages on the broken-input corpus, data/ and mutations.
#![allow(unreachable_pub, dead_code, clippy::all)]

pub(crate) mod geometry;
pub(crate) mod json;
pub(crate) mod load;

#[cfg(test)]
mod parity {
    //! The typed, incremental loader gives the same verdicts, messages and plans as the
    //! `Value`-tree loader: on the broken-input corpus, data/, and mutants of both (the quick
    //! mutation pass's mutator), fed whole and in chunks of every size.

    use crate::plan::{Diagnostic, PlanFeed};
    use std::collections::HashMap;
    use std::path::Path;

    const TOKENS: [&str; 27] = [
        "1e999",
        "-1e999",
        "1.7976931348623157e308",
        "4294969296",
        "-0",
        "180.0000001",
        "85.06",
        "null",
        "[]",
        "{}",
        "\"\"",
        "true",
        "\"yes\"",
        "[[[[[[[[",
        "]]]]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        ",",
        "\"id\": 1",
        "\"type\": \"MultiPoint\"",
        "\"features\": [",
        "\"coordinates\": [[179.9, 1], [-179.9, 1], [-179.9, 2], [179.9, 1]]",
        "\n",
        "\u{feff}",
        "皇",
        "\"type\":\"Feature\",",
        "}",
    ];

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
        let mut v = input.to_vec();
        for _ in 0..=rng.below(2) {
            let at = rng.below(v.len() + 1);
            match rng.below(7) {
                0 if !v.is_empty() => {
                    let i = at.min(v.len() - 1);
                    v[i] ^= 1 << rng.below(8);
                }
                1 | 6 => {
                    let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    v.splice(at..at, t.iter().copied());
                }
                2 => {
                    let Some(s) = (at..v.len()).find(|&i| v[i].is_ascii_digit()) else {
                        continue;
                    };
                    let e = (s..v.len())
                        .find(|&i| !matches!(v[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+'))
                        .unwrap_or(v.len());
                    let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    v.splice(s..e, t.iter().copied());
                }
                3 => {
                    let end = (at + rng.below(64)).min(v.len());
                    v.drain(at..end);
                }
                4 => v.truncate(at),
                _ => {
                    let end = (at + rng.below(256)).min(v.len());
                    let copy = v[at..end].to_vec();
                    v.splice(at..at, copy);
                }
            }
        }
        v
    }

    fn lines(r: Result<(String, Vec<Diagnostic>), Vec<Diagnostic>>) -> String {
        match r {
            Ok((plan, d)) => {
                let mut s: Vec<String> = d.iter().map(ToString::to_string).collect();
                s.push(plan);
                s.join("\n")
            }
            Err(d) => {
                let mut s: Vec<String> = d.iter().map(ToString::to_string).collect();
                s.push("error".into());
                s.join("\n")
            }
        }
    }

    /// The old way: bytes decoded whole, then the `Value`-tree loader.
    fn old(name: &str, bytes: &[u8], layers: &[(String, Vec<u8>)]) -> String {
        let text = match crate::plan::decode(bytes) {
            Ok(t) => t,
            Err(m) => return format!("{name}: {m}\nerror"),
        };
        let files: HashMap<String, String> = layers
            .iter()
            .filter_map(|(n, b)| Some((n.clone(), crate::plan::decode(b).ok()?)))
            .collect();
        lines(
            super::load::load(name, &text, &files)
                .map(|l| (format!("{:?}", l.plan), l.diagnostics))
                .map_err(|e| e.diagnostics),
        )
    }

    /// The new way: bytes fed in chunks of `chunk` bytes.
    fn new(name: &str, bytes: &[u8], layers: &[(String, Vec<u8>)], chunk: usize) -> String {
        let mut feed = PlanFeed::new(name);
        for c in bytes.chunks(chunk.max(1)) {
            feed.feed(c);
        }
        for want in feed.end_file() {
            let Some((_, b)) = layers.iter().find(|(n, _)| *n == want) else {
                continue;
            };
            if crate::plan::decode(b).is_err() {
                // The old widget dropped layers its decoding refused ("file not found").
                continue;
            }
            feed.begin_file(&want);
            for c in b.chunks(chunk.max(1)) {
                feed.feed(c);
            }
            feed.end_file();
        }
        lines(
            feed.finish()
                .map(|l| (format!("{:?}", l.plan), l.diagnostics))
                .map_err(|e| e.diagnostics),
        )
    }

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn check(name: &str, bytes: &[u8], layers: &[(String, Vec<u8>)], chunks: &[usize]) {
        let want = old(name, bytes, layers);
        for &c in chunks {
            let got = new(name, bytes, layers, c);
            assert!(
                got == want,
                "{name} in chunks of {c}: {:?}\nold:\n{}\nnew:\n{}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)]),
                &want[..want.len().min(3000)],
                &got[..got.len().min(3000)]
            );
        }
    }

    fn bare_seeds() -> Vec<(String, Vec<u8>)> {
        let mut seeds = Vec::new();
        for dir in ["tests/broken", "data/huanggu"] {
            for e in std::fs::read_dir(root().join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|e| e == "geojson") {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    seeds.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
        seeds.sort();
        seeds
    }

    fn manifests() -> Vec<(Vec<u8>, Vec<(String, Vec<u8>)>)> {
        let mut out = Vec::new();
        for dir in [
            "data/huanggu",
            "tests/broken/manifest",
            "tests/broken/typed",
            "tests/broken/lines-manifest",
            "tests/broken/escaping",
            "tests/broken/huge-values",
        ] {
            let d = root().join(dir);
            let Ok(entry) = std::fs::read(d.join("plan.json")) else {
                continue;
            };
            let mut layers = Vec::new();
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|e| e == "geojson") {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    layers.push((name, std::fs::read(&p).unwrap()));
                }
            }
            out.push((entry, layers));
        }
        out
    }

    #[test]
    fn the_corpus_and_data_agree_whole_and_in_chunks() {
        for (name, bytes) in bare_seeds() {
            check(&name, &bytes, &[], &[usize::MAX, 1, 7, 4096]);
        }
        for (entry, layers) in manifests() {
            check("plan.json", &entry, &layers, &[usize::MAX, 3, 1000]);
        }
    }

    #[test]
    fn mutants_agree() {
        let seeds: Vec<_> = bare_seeds()
            .into_iter()
            .filter(|(_, b)| b.len() < 60_000)
            .collect();
        let n: usize = std::env::var("PARITY_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(4000);
        let mut rng = Rng(std::env::var("PARITY_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(99));
        for round in 0..n {
            let (name, seed) = &seeds[round % seeds.len()];
            let m = mutate(seed, &mut rng);
            let chunk = 1 + rng.below(300);
            check(name, &m, &[], &[usize::MAX, chunk]);
        }
        let ms = manifests();
        for round in 0..n / 6 {
            let (entry, layers) = &ms[round % ms.len()];
            let mut layers = layers.clone();
            let m = if round % 2 == 0 {
                mutate(entry, &mut rng)
            } else {
                let k = rng.below(layers.len());
                layers[k].1 = mutate(&layers[k].1, &mut rng);
                entry.clone()
            };
            let chunk = 1 + rng.below(2000);
            check("plan.json", &m, &layers, &[usize::MAX, chunk]);
        }
    }
}
