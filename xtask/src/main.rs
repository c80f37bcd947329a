//! `cargo xtask`: the project's front door.
//!
//! - `demo [--port N] [--basemap URL|tianditu-vec|tianditu-img [--basemap-key KEY]
//!   [--basemap-crs wgs84|gcj02] [--basemap-credit TEXT] [--review-number 审图号]]`: build `dist/`
//!   and serve it at http://127.0.0.1:8080/, offline unless `--basemap` is given; the key may
//!   come from `PLANMAP_TIANDITU_KEY` instead (it is never written to `dist/`)
//! - `dist`: build `dist/` (demo, embed page, planmap.js, optimised wasm, data) and print sizes
//! - `size [--names]`: build only the map's wasm and print its shipped size (raw, gzip -9);
//!   `--names` also writes a copy with function names for twiggy
//! - `package`: build `dist/`, then the npm package `pkg/` and `planmap-<version>.tgz`
//! - `test`: native tests, then browser tests in headless Chromium against `dist/`
//! - `bench [--only frames|memory|phone|labels] [--cases …]`: planmap, ECharts and Leaflet side by side and the
//!   throttled phone figure in headless Chromium (a benchmark, never a test)
//! - `validate PATH...`: check a plan manifest or GeoJSON file
//! - `serve [--port N] [--dir D]`: serve `dist/` (or D) as it is, without building
//! - `fuzz [--time SECONDS] [TARGET…]`: run the cargo-fuzz targets (nightly) on seeded corpora

mod compress;
mod dist;
mod fuzz;
mod glue;
mod package;
mod preload;
mod serve;
mod standalone;
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
    eprintln!("usage: cargo xtask <demo [--port N] [--basemap URL|tianditu-vec|tianditu-img] [--basemap-key KEY] [--basemap-crs wgs84|gcj02] [--basemap-credit TEXT] [--review-number TEXT] | dist | size [--names] | package | test | bench [--only frames|memory|phone|labels] [--cases huanggu,shenyang,liaoning,china] | validate [--max-size MB] PATH... | serve [--port N] [--dir D] | fuzz [--time SECONDS]>");
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
        "size" => dist::size(rest).map(|_| ExitCode::SUCCESS),
        "package" => package::run().map(|_| ExitCode::SUCCESS),
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
            let options = match demo_basemap(rest) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("xtask demo: {e}");
                    return usage();
                }
            };
            dist::build()
                .and_then(|dir| serve::serve_forever(&dir, port, options))
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
            // `--dir D` serves another build (an older one kept for a same-run comparison).
            let dir = rest
                .iter()
                .position(|a| a == "--dir")
                .and_then(|i| rest.get(i + 1))
                .map_or(root().join("dist"), PathBuf::from);
            serve::serve_forever(&dir, port, Default::default()).map(|_| ExitCode::SUCCESS)
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

/// The demo's basemap from `--basemap` and friends: the attributes for its page and the tile
/// host for its CSP. No `--basemap`: nothing, and the demo stays offline.
fn demo_basemap(args: &[String]) -> Result<serve::Options, String> {
    let opt = |name: &str| -> Result<Option<String>, String> {
        match args.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) => args
                .get(i + 1)
                .filter(|v| !v.starts_with("--"))
                .cloned()
                .map(Some)
                .ok_or_else(|| format!("{name} needs a value")),
        }
    };
    let Some(basemap) = opt("--basemap")? else {
        return Ok(serve::Options::default());
    };
    let key = opt("--basemap-key")?.or_else(|| std::env::var("PLANMAP_TIANDITU_KEY").ok());
    let host = if basemap.starts_with("tianditu-") {
        if key.as_deref().unwrap_or("").is_empty() {
            return Err(format!(
                "--basemap {basemap} needs a 天地图 key: --basemap-key KEY or PLANMAP_TIANDITU_KEY"
            ));
        }
        "https://*.tianditu.gov.cn".to_owned()
    } else {
        tile_host(&basemap).ok_or_else(|| format!("--basemap {basemap}: not an http(s) URL"))?
    };
    let mut attrs = String::new();
    for (name, value) in [
        ("basemap", Some(basemap)),
        ("basemap-key", key),
        ("basemap-crs", opt("--basemap-crs")?),
        ("basemap-credit", opt("--basemap-credit")?),
        ("review-number", opt("--review-number")?),
    ] {
        if let Some(v) = value {
            attrs.push_str(&format!(" {name}=\"{}\"", planmap::render::escape(&v)));
        }
    }
    Ok(serve::Options {
        img_src: vec![host],
        demo_attrs: attrs,
    })
}

/// The CSP source of a tile template's host: scheme, host (a `{s}` subdomain becomes `*`) and
/// port.
fn tile_host(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    let host = match host.split_once("{s}") {
        Some((_, after)) => format!("*{}", after.trim_start_matches(|c| c != '.' && c != ':')),
        None => host.to_owned(),
    };
    Some(format!("{scheme}://{host}"))
}

/// Validates each file: `OK` with counts, or one line per problem. Exit 1 when any file cannot
/// be shown; warnings alone keep exit 0.
fn validate(args: &[String]) -> ExitCode {
    // `--max-size MB`: the cap a page sets with the element's `max-size` attribute.
    let mut max = planmap::plan::MAX_FILE_BYTES;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--max-size" {
            match it
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| *v > 0.0)
            {
                Some(mb) => max = max.min((mb * 1_048_576.0).round() as usize),
                None => {
                    eprintln!("--max-size needs a number of megabytes");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            paths.push(a.clone());
        }
    }
    let mut failed = false;
    for p in &paths {
        let path = Path::new(p);
        // Read in pieces as it is parsed, with the same capped, UTF-8-only decoding the
        // widget's bytes go through.
        match planmap::plan::load_path_capped(path, max) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_hosts_for_the_csp() {
        assert_eq!(
            tile_host("https://{s}.tile.example.com/{z}/{x}/{y}{r}.png").as_deref(),
            Some("https://*.tile.example.com")
        );
        assert_eq!(
            tile_host("http://127.0.0.1:9000/t/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(tile_host("ftp://x/{z}"), None);
        assert_eq!(tile_host("tiles/{z}/{x}/{y}.png"), None);
    }

    #[test]
    fn demo_stays_offline_without_basemap_and_escapes_attributes() {
        let o = demo_basemap(&[]).unwrap();
        assert!(o.img_src.is_empty() && o.demo_attrs.is_empty());
        let args: Vec<String> = [
            "--basemap",
            "https://{s}.t.example/{z}/{x}/{y}.png",
            "--review-number",
            "GS(2024)1号\"><script>",
        ]
        .map(String::from)
        .to_vec();
        let o = demo_basemap(&args).unwrap();
        assert_eq!(o.img_src, vec!["https://*.t.example".to_owned()]);
        assert!(o
            .demo_attrs
            .contains(" basemap=\"https://{s}.t.example/{z}/{x}/{y}.png\""));
        assert!(o.demo_attrs.contains("GS(2024)1号&quot;&gt;&lt;script&gt;"));
        let args: Vec<String> = ["--basemap", "tianditu-vec", "--basemap-key", "k1"]
            .map(String::from)
            .to_vec();
        let o = demo_basemap(&args).unwrap();
        assert_eq!(o.img_src, vec!["https://*.tianditu.gov.cn".to_owned()]);
        assert!(o.demo_attrs.contains(" basemap-key=\"k1\""));
    }
}
