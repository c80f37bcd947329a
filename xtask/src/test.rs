//! `cargo xtask test` and `cargo xtask bench`: native tests, then the browser tests in real
//! headless Chromium against the built `dist/`, ending with one line `N passed, N failed`.

use crate::{dist, root, run_cmd, serve};
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
    let (tp, tf) = typecheck(&root, &browser_dir)?;
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
        .env("PLANMAP_URL", &server.url);
    let (bp, bf) = counted(&mut cmd, |line, counts| {
        if let Some(n) = line.strip_prefix("# pass ") {
            counts.0 += n.trim().parse::<usize>().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            counts.1 += n.trim().parse::<usize>().unwrap_or(0);
        }
    })?;
    drop(server);
    println!(
        "\nnative: {np} passed, {nf} failed; tsc: {tp} passed, {tf} failed; browser: {bp} passed, {bf} failed"
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
        .args(["test", "--workspace", "--color", "never"]);
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

/// `npm ci` in tests/browser when a package of its lockfile is missing (playwright-core drives
/// the system Chromium over CDP; axe-core checks accessibility; typescript checks the JSDoc).
fn ensure_node_modules(dir: &Path) -> Result<(), String> {
    if ["playwright-core", "axe-core", "typescript"]
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

/// Frame times in headless Chromium for the Huanggu plan and all of Shenyang.
pub(crate) fn bench() -> Result<(), String> {
    let root = root();
    ensure_browser()?;
    let browser_dir = root.join("tests/browser");
    ensure_node_modules(&browser_dir)?;
    let dist = dist::build()?;
    let shenyang = root.join("../shared/geodata/shenyang-districts.geojson");
    std::fs::create_dir_all(dist.join("bench")).map_err(|e| e.to_string())?;
    std::fs::copy(&shenyang, dist.join("bench/shenyang.geojson"))
        .map_err(|e| format!("{}: {e}", shenyang.display()))?;
    dist::copy_dir(&browser_dir.join("fixtures"), &dist.join("test"))?;
    // The peer in the comparison, from the tests' npm packages.
    let echarts = browser_dir.join("node_modules/echarts/dist/echarts.min.js");
    std::fs::copy(&echarts, dist.join("test/echarts.min.js"))
        .map_err(|e| format!("{}: {e}", echarts.display()))?;
    let server = serve::start(&dist, 0)?;
    run_cmd(
        Command::new("node")
            .current_dir(&browser_dir)
            .arg("bench.mjs")
            .env("PLANMAP_URL", &server.url),
    )
}
