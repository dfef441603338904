//! Benchmark: drafting the Quyết định công bố (DOCX + PDF), process start to files
//! written, for the Lào Cai sample and a 100-procedure catalog, against LibreOffice
//! converting the same DOCX to PDF. A first run of each (making the DOCX, and
//! LibreOffice's profile) is not timed; then tthc (five runs) and LibreOffice (three)
//! take turns and the medians are compared. Run with `cargo bench --bench draft`.
//! Peak memory is the child's VmHWM, sampled from /proc while it runs.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{median, timed};

fn big_catalog(dir: &Path, n: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("samples/catalog.json")).expect("sample");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let procs = v["procedures"].as_array().expect("procedures").clone();
    let mut out = Vec::new();
    for i in 0..n {
        let mut p = procs[i % procs.len()].clone();
        p["id"] = serde_json::Value::String(format!("p{i:03}"));
        let name = p["name"].as_str().unwrap_or("").to_string();
        p["name"] = serde_json::Value::String(format!("{name} (bản {})", i + 1));
        out.push(p);
    }
    v["procedures"] = serde_json::Value::Array(out);
    let path = dir.join(format!("catalog-{n}.json"));
    std::fs::write(&path, serde_json::to_string(&v).expect("json")).expect("write");
    path
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = root.join("target/release/tthc");
    if !exe.exists() {
        eprintln!("build first: cargo build --release");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tthc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let cases = [
        ("sample (12 procedures)", root.join("samples/catalog.json")),
        ("100 procedures", big_catalog(&dir, 100)),
    ];
    let lo = ["soffice", "libreoffice"].into_iter().find(|t| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {t}"))
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    });
    println!("| catalog | tthc draft DOCX+PDF (median of 5) | tthc peak RSS | LibreOffice DOCX→PDF (median of 3) | ratio |");
    println!("|---|---|---|---|---|");
    for (label, catalog) in cases {
        let out = dir.join("out");
        let draft = || {
            timed(
                Command::new(&exe)
                    .args(["draft", "cong-bo", "--force", "--catalog"])
                    .arg(&catalog)
                    .arg("--profile")
                    .arg(root.join("samples/profile.toml"))
                    .arg("-o")
                    .arg(&out)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null()),
            )
        };
        let profile = dir.join("lo-profile");
        let lo_out = dir.join("lo");
        let convert = |tool: &str| {
            timed(
                Command::new(tool)
                    .arg(format!(
                        "-env:UserInstallation=file://{}",
                        profile.display()
                    ))
                    .args(["--headless", "--convert-to", "pdf", "--outdir"])
                    .arg(&lo_out)
                    .arg(out.join("quyet-dinh-cong-bo.docx"))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null()),
            )
            .0
        };
        // the DOCX LibreOffice converts, and LibreOffice's profile, made before timing
        draft();
        if let Some(tool) = lo {
            convert(tool);
        }
        // tthc and LibreOffice take turns, so that a change in the machine's speed
        // during the run falls on both alike
        let mut times = Vec::new();
        let mut lo_times = Vec::new();
        let mut peak = 0;
        for round in 0..5 {
            let (t, p) = draft();
            times.push(t);
            peak = peak.max(p);
            if let (Some(tool), true) = (lo, round < 3) {
                lo_times.push(convert(tool));
            }
        }
        let ours = median(times);
        let lo_time = lo.map(|_| median(lo_times));
        match lo_time {
            Some(l) => println!(
                "| {label} | {:.0} ms | {:.0} MB | {:.0} ms | 1/{:.0} |",
                ours.as_secs_f64() * 1000.0,
                peak as f64 / 1024.0,
                l.as_secs_f64() * 1000.0,
                l.as_secs_f64() / ours.as_secs_f64()
            ),
            None => println!(
                "| {label} | {:.0} ms | {:.0} MB | (LibreOffice not installed) | |",
                ours.as_secs_f64() * 1000.0,
                peak as f64 / 1024.0
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
