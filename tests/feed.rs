//! The incremental loader gives the same verdicts, messages and plan however a file's bytes
//! are cut (a feature split across chunks, a string split inside a UTF-8 character, a number
//! split in its digits): on the broken-input corpus, data/, and mutants of both, fed whole and
//! in chunks of many sizes. (While it replaced the `Value`-tree loader the same cases were run
//! against that one too, 60,000 mutants among them, with no difference.)

mod common;
use common::Rng;
use planmap::plan::{Diagnostic, PlanFeed};
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
    let (mut s, end) = match r {
        Ok((plan, d)) => (d, plan),
        Err(d) => (d, "error".to_owned()),
    };
    let mut out: Vec<String> = s.drain(..).map(|d| d.to_string()).collect();
    out.push(end);
    out.join("\n")
}

/// Loads entry `name` (and the layers it names, from `layers`) fed in chunks of `chunk` bytes.
fn fed(name: &str, bytes: &[u8], layers: &[(String, Vec<u8>)], chunk: usize) -> String {
    let mut feed = PlanFeed::new(name);
    for c in bytes.chunks(chunk.max(1)) {
        feed.feed(c);
    }
    for want in feed.end_file() {
        let Some((_, b)) = layers.iter().find(|(n, _)| *n == want) else {
            continue;
        };
        assert!(feed.begin_file(&want));
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

fn check(name: &str, bytes: &[u8], layers: &[(String, Vec<u8>)], chunks: &[usize]) {
    let want = fed(name, bytes, layers, usize::MAX);
    for &c in chunks {
        let got = fed(name, bytes, layers, c);
        assert!(
            got == want,
            "{name} in chunks of {c}: {:?}\nwhole:\n{}\nin chunks:\n{}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)]),
            &want[..want.len().min(3000)],
            &got[..got.len().min(3000)]
        );
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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

/// A manifest's bytes and its layer files (name, bytes).
type Case = (Vec<u8>, Vec<(String, Vec<u8>)>);

fn manifests() -> Vec<Case> {
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
    assert!(out.len() >= 4);
    out
}

#[test]
fn the_corpus_and_data_read_the_same_in_any_chunks() {
    let seeds = bare_seeds();
    assert!(seeds.len() >= 20, "{} seeds", seeds.len());
    for (name, bytes) in seeds {
        check(&name, &bytes, &[], &[1, 2, 3, 7, 64, 4096]);
    }
    for (entry, layers) in manifests() {
        check("plan.json", &entry, &layers, &[1, 3, 1000]);
    }
}

#[test]
fn mutants_read_the_same_in_any_chunks() {
    let seeds: Vec<_> = bare_seeds()
        .into_iter()
        .filter(|(_, b)| b.len() < 60_000)
        .collect();
    let mut rng = Rng(99);
    for round in 0..3000 {
        let (name, seed) = &seeds[round % seeds.len()];
        let m = mutate(seed, &mut rng);
        let chunk = 1 + rng.below(300);
        check(name, &m, &[], &[chunk]);
    }
    let ms = manifests();
    for round in 0..300 {
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
        check("plan.json", &m, &layers, &[chunk]);
    }
}
