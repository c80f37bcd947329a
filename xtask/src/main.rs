//! `cargo xtask`: the project's front door.
//!
//! - `demo [--port N]`: build `dist/` and serve it at http://127.0.0.1:8080/
//! - `dist`: build `dist/` (demo, embed page, planmap.js, optimised wasm, data) and print sizes
//! - `test`: native tests, then browser tests in headless Chromium against `dist/`
//! - `bench [--only frames|phone] [--cases …]`: planmap, ECharts and Leaflet side by side and the
//!   throttled phone figure in headless Chromium (a benchmark, never a test)
//! - `validate PATH...`: check a plan manifest or GeoJSON file
//! - `serve [--port N]`: serve `dist/` as it is, without building
//! - `fuzz [--time SECONDS] [TARGET…]`: run the cargo-fuzz targets (nightly) on seeded corpora

mod compress;
mod dist;
mod fuzz;
mod preload;
mod serve;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask <demo [--port N] | dist | test | bench [--only frames|phone] [--cases huanggu,shenyang,liaoning,china] | validate PATH... | serve [--port N] | fuzz [--time SECONDS]>");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        return usage();
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "dist" => dist::build().map(|_| ExitCode::SUCCESS),
        "demo" => {
            let port = match rest
                .iter()
                .position(|a| a == "--port")
                .map(|i| rest.get(i + 1).and_then(|p| p.parse::<u16>().ok()))
            {
                Some(None) => return usage(),
                Some(Some(p)) => p,
                None => 8080,
            };
            dist::build()
                .and_then(|dir| serve::serve_forever(&dir, port))
                .map(|_| ExitCode::SUCCESS)
        }
        "serve" => {
            // Serves dist/ as it is (no build): for looking at test fixtures while developing.
            let port = rest
                .iter()
                .position(|a| a == "--port")
                .and_then(|i| rest.get(i + 1))
                .and_then(|p| p.parse().ok())
                .unwrap_or(8080);
            serve::serve_forever(&root().join("dist"), port).map(|_| ExitCode::SUCCESS)
        }
        "test" => test::run(),
        "fuzz" => fuzz::run(rest).map(|_| ExitCode::SUCCESS),
        "bench" => test::bench(rest).map(|_| ExitCode::SUCCESS),
        "validate" if !rest.is_empty() => Ok(validate(rest)),
        _ => return usage(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Validates each file: `OK` with counts, or one line per problem. Exit 1 when any file cannot
/// be shown; warnings alone keep exit 0.
fn validate(paths: &[String]) -> ExitCode {
    let mut failed = false;
    for p in paths {
        let path = Path::new(p);
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                println!("{p}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        match planmap::plan::load(p, &text, &planmap::plan::DirSource(dir)) {
            Ok(loaded) => {
                for d in &loaded.diagnostics {
                    println!("{d}");
                }
                let plan = &loaded.plan;
                let values: usize = plan.areas.iter().map(|a| a.values.len()).sum();
                let zones = plan
                    .areas
                    .iter()
                    .filter(|a| a.role == planmap::plan::AreaRole::Zone)
                    .count();
                println!(
                    "OK {p}: {} areas ({zones} zones), {} points, {} lines, {} indicators, {values} values, {} warning(s)",
                    plan.areas.len(),
                    plan.points.len(),
                    plan.lines.len(),
                    plan.indicators.len(),
                    loaded.diagnostics.len()
                );
            }
            Err(e) => {
                for d in &e.diagnostics {
                    println!("{d}");
                }
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs a command, failing with its name when it cannot start or exits non-zero.
fn run_cmd(cmd: &mut std::process::Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}
