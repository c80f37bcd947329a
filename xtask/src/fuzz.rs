//! `cargo xtask fuzz [--time SECONDS] [TARGET…]`: seeds the corpora from `data/` and
//! `tests/broken/`, then runs each cargo-fuzz target (fuzz/, nightly) for SECONDS (default 60).
//! Crashes land in fuzz/artifacts/TARGET/; each one found becomes a case in tests/broken/.

use crate::root;
use std::path::Path;
use std::process::Command;

/// The targets in fuzz/fuzz_targets/.
const TARGETS: [&str; 2] = ["geojson", "manifest"];

/// Runs the fuzz targets.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut seconds = 60u64;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time" => {
                seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--time needs a number of seconds")?
            }
            t if TARGETS.contains(&t) => targets.push(t.to_owned()),
            other => return Err(format!("unknown argument {other:?} (targets: {TARGETS:?})")),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    let has_fuzz = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_fuzz {
        return Err(
            "needs cargo-fuzz and a nightly toolchain: rustup toolchain install nightly && cargo install cargo-fuzz"
                .into(),
        );
    }
    let fuzz = root().join("fuzz");
    seed(&fuzz).map_err(|e| format!("seeding the corpus: {e}"))?;
    for t in targets {
        println!("fuzzing {t} for {seconds} s");
        crate::run_cmd(
            Command::new("cargo")
                .current_dir(&fuzz)
                .args([
                    "+nightly",
                    "fuzz",
                    "run",
                    "--sanitizer",
                    "none",
                    "--debug-assertions",
                ])
                .arg(&t)
                .arg(format!("corpus/{t}"))
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-max_len=131072",
                    "-timeout=20",
                    "-rss_limit_mb=2048",
                    "-print_final_stats=1",
                ]),
        )?;
    }
    Ok(())
}

/// Writes the seed corpus: every GeoJSON under data/ and tests/broken/ for `geojson`; the
/// Huanggu plan and the broken manifest, each joined with its layers, for `manifest`.
fn seed(fuzz: &Path) -> std::io::Result<()> {
    let root = root();
    let geo = fuzz.join("corpus/geojson");
    let man = fuzz.join("corpus/manifest");
    std::fs::create_dir_all(&geo)?;
    std::fs::create_dir_all(&man)?;
    for dir in ["data/huanggu", "tests/broken", "tests/broken/manifest"] {
        for e in std::fs::read_dir(root.join(dir))? {
            let p = e?.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            // The context layer (350 KB) is too big to mutate quickly.
            if (ext == "geojson" || ext == "json") && std::fs::metadata(&p)?.len() < 100_000 {
                let name = format!("seed-{}", dir.replace('/', "-"))
                    + "-"
                    + &p.file_name().unwrap().to_string_lossy();
                std::fs::copy(&p, geo.join(name))?;
            }
        }
    }
    for (name, dir) in [
        ("seed-huanggu", "data/huanggu"),
        ("seed-broken", "tests/broken/manifest"),
    ] {
        let case = planmap::exercise::manifest_case(&root.join(dir), 60_000)?;
        std::fs::write(man.join(name), case)?;
    }
    Ok(())
}
