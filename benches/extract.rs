//! Benchmark: extraction speed over the 200-document benchmark corpus
//! (`python3 ../shared/bench/gen_corpus.py DIR 200`, needs python-docx) and over the
//! real corpus (../shared/corpus/files/*.docx), in the same run as `pandoc -t plain`
//! (one process per file, as users run it), python-docx (one process for all files)
//! and the floor: merely inflating (with the zip crate) and tokenizing (quick-xml
//! events, nothing kept) the parts the reader opens (document.xml alone is shown
//! too). The floor runs as its own process, started as tthc is, so that both pay
//! for starting and for memory the system hands out fresh (on this VM, zeroing new
//! pages took up to a fifth of tthc's CPU time); it is also timed inside this bench
//! process, where its memory is already in use from the rounds before. tthc and the
//! floor each run on all cores and on one thread, so that each is compared with its
//! like. After an untimed warm-up run of each ([`warm_up`]), tthc and the floors
//! take turns, round after round, and the medians are reported (tthc's CPU time over
//! all its threads beside its wall time); then python-docx runs three times and
//! pandoc, which takes a minute a corpus, once. The timed runs of tthc and of
//! the floor process are not watched: peak RSS, which is sampled from /proc every
//! 2 ms, comes from one more run of each (python-docx, on one core, is sampled in
//! its timed runs). Run with `cargo bench --bench extract` after `cargo build --release`;
//! `TTHC_BENCH_QUICK=1` leaves pandoc and python-docx out (tthc and the floors only).

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod common;
use common::{children_cpu, have, median, run_sampled, run_unwatched};

/// Wall time and peak memory (KiB) of a command that may fail (pandoc on odd files).
fn timed(cmd: &mut Command) -> (Duration, u64) {
    let (d, peak, _) = run_sampled(cmd);
    (d, peak)
}

/// Wall time of a command that must succeed, run unwatched ([`run_unwatched`]): the
/// timed runs of tthc and of the floor process, which use every core.
fn time_only(cmd: &mut Command) -> Duration {
    let (d, st) = run_unwatched(cmd);
    assert!(st.success(), "command failed: {cmd:?}");
    d
}

fn docx_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "docx"));
    v.sort();
    v
}

/// The XML parts the DOCX reader opens: package and document relationships, theme,
/// styles, numbering, the main document, headers and footers.
fn read_parts(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let file = n.rsplit('/').next().unwrap_or("");
    n == "_rels/.rels"
        || n == "word/_rels/document.xml.rels"
        || n == "word/document.xml"
        || n == "word/styles.xml"
        || n == "word/numbering.xml"
        || n == "word/theme/theme1.xml"
        || (n.starts_with("word/")
            && (file.starts_with("header") || file.starts_with("footer"))
            && file.ends_with(".xml"))
}

/// Inflate and tokenize (quick-xml events, nothing kept) the chosen parts of one
/// file; the number of events.
fn inflate_and_tokenize_one(f: &Path, parts: fn(&str) -> bool, xml: &mut Vec<u8>) -> usize {
    let mut events = 0usize;
    let Ok(file) = std::fs::File::open(f) else {
        return 0;
    };
    let Ok(mut z) = zip::ZipArchive::new(file) else {
        return 0;
    };
    // pick the entries by name first: opening one sets up its inflater
    let wanted: Vec<usize> = (0..z.len())
        .filter(|&i| {
            z.name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| parts(&n)))
        })
        .collect();
    for i in wanted {
        let Ok(mut e) = z.by_index(i) else {
            continue;
        };
        xml.clear();
        if e.read_to_end(xml).is_err() {
            continue;
        }
        let mut r = quick_xml::Reader::from_reader(xml.as_slice());
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                Ok(_) => events += 1,
            }
        }
    }
    events
}

/// The floor on one thread: every file in turn.
fn floor_one_thread(files: &[PathBuf], parts: fn(&str) -> bool) -> Duration {
    let t = Instant::now();
    let mut xml = Vec::new();
    let events: usize = files
        .iter()
        .map(|f| inflate_and_tokenize_one(f, parts, &mut xml))
        .sum();
    std::hint::black_box(events);
    t.elapsed()
}

/// The floor on all cores, scheduled as tthc schedules its files: largest XML
/// first, each worker taking the next file not yet taken.
fn floor_all_cores(files: &[PathBuf], parts: fn(&str) -> bool) -> Duration {
    let mut by_size: Vec<&PathBuf> = files.iter().collect();
    by_size.sort_by_cached_key(|p| std::cmp::Reverse(tthc::jobs::work_estimate(p)));
    let t = Instant::now();
    let next = AtomicUsize::new(0);
    let events: usize = (0..rayon::current_num_threads().max(1))
        .into_par_iter()
        .with_max_len(1)
        .map(|_| {
            let mut xml = Vec::new();
            let mut events = 0;
            while let Some(f) = by_size.get(next.fetch_add(1, Ordering::Relaxed)) {
                events += inflate_and_tokenize_one(f, parts, &mut xml);
            }
            events
        })
        .sum();
    std::hint::black_box(events);
    t.elapsed()
}

fn document_only(n: &str) -> bool {
    n.eq_ignore_ascii_case("word/document.xml")
}

/// Rounds per corpus: each runs tthc and both floors, so that a change in the
/// machine's speed during the run (other virtual machines on the host) falls on
/// every tool alike; medians are reported (nine rounds: on this shared VM one
/// run of the same work may take a third longer than the next).
const RUNS: usize = 9;
/// Runs of python-docx (7-12 s a run on the real corpus), after the rounds.
const PY_RUNS: usize = 3;

/// Untimed runs of tthc and of the floor process before the rounds. On this VM the
/// first process to allocate after one that freed much memory (python-docx frees
/// 470 MB on the real corpus, pandoc up to 1.4 GB) spends ~0.2 s of system time
/// faulting in pages, however long after it starts (measured 2, 5 and 10 s after
/// python-docx: 0.19-0.25 s, against 0.01-0.07 s for the run after it). python-docx
/// and pandoc run after the rounds, and the warm-up takes what the previous corpus's
/// pandoc leaves.
fn warm_up(exe: &Path, me: &Path, files: &[PathBuf]) {
    let _ = run_unwatched(Command::new(exe).arg("extract").arg("--json").args(files));
    let _ = run_unwatched(Command::new(me).arg(FLOOR_CHILD).arg("all").args(files));
}

/// python-docx reading every paragraph and every table cell, as its users do.
const PY_SCRIPT: &str = "import sys\nfrom docx import Document\nfor f in sys.argv[1:]:\n    d = Document(f)\n    t = [p.text for p in d.paragraphs]\n    for tb in d.tables:\n        for r in tb.rows:\n            for c in r.cells:\n                t.append(c.text)\n";

fn rate(n: usize, d: Duration) -> String {
    format!("{:.0} docs/s", n as f64 / d.as_secs_f64())
}

fn bench(label: &str, dir: &Path, exe: &Path) {
    let files = docx_files(dir);
    if files.is_empty() {
        return;
    }
    let n = files.len();
    let quick = std::env::var_os("TTHC_BENCH_QUICK").is_some();
    let have_py = !quick
        && Command::new("python3")
            .args(["-c", "import docx"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    let mut ours: Vec<(Duration, Duration)> = Vec::new();
    let mut ours_mem = 0;
    let mut ours_one = Vec::new();
    let (mut floor, mut floor_all, mut floor_doc, mut py) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut cold_all, mut cold_one, mut cold_mem) = (Vec::new(), Vec::new(), 0);
    let mut py_mem = 0;
    let me = std::env::current_exe().unwrap_or_default();
    warm_up(exe, &me, &files);
    for _ in 0..RUNS {
        let cpu = children_cpu();
        let d = time_only(Command::new(exe).arg("extract").arg("--json").args(&files));
        ours.push((d, children_cpu().saturating_sub(cpu)));
        ours_one.push(time_only(
            Command::new(exe)
                .env("RAYON_NUM_THREADS", "1")
                .arg("extract")
                .arg("--json")
                .args(&files),
        ));
        for (how, to) in [("all", &mut cold_all), ("one", &mut cold_one)] {
            to.push(time_only(
                Command::new(&me).arg(FLOOR_CHILD).arg(how).args(&files),
            ));
        }
        floor.push(floor_one_thread(&files, read_parts));
        floor_all.push(floor_all_cores(&files, read_parts));
        floor_doc.push(floor_one_thread(&files, document_only));
    }
    // peak memory from runs of their own: watching a run takes CPU time from it
    let (_, peak) = timed(Command::new(exe).arg("extract").arg("--json").args(&files));
    ours_mem = ours_mem.max(peak);
    let (_, peak) = timed(Command::new(&me).arg(FLOOR_CHILD).arg("all").args(&files));
    cold_mem = cold_mem.max(peak);
    // python-docx runs on one core: watching it costs it nothing
    for _ in 0..if have_py { PY_RUNS } else { 0 } {
        let (d, m) = timed(
            Command::new("python3")
                .arg("-c")
                .arg(PY_SCRIPT)
                .args(&files),
        );
        py.push(d);
        py_mem = py_mem.max(m);
    }
    ours.sort();
    let (ours, ours_cpu) = ours[RUNS / 2];
    let ours_one = median(ours_one);
    let floor = median(floor);
    let floor_all = median(floor_all);
    let floor_doc = median(floor_doc);
    let (cold_all, cold_one) = (median(cold_all), median(cold_one));
    let secs = |d: Duration| d.as_secs_f64();
    println!("\n{label}: {n} documents");
    println!("| tool | time | rate | peak RSS | tthc is faster by |");
    println!("|---|---|---|---|---|");
    println!(
        "| tthc extract --json (one process, all cores; median of {RUNS}) | {:.2} s (CPU {:.2} s) | {} | {:.0} MB | |",
        secs(ours),
        secs(ours_cpu),
        rate(n, ours),
        ours_mem as f64 / 1024.0
    );
    println!(
        "| tthc extract --json on one thread (RAYON_NUM_THREADS=1) | {:.2} s | {} | | |",
        secs(ours_one),
        rate(n, ours_one),
    );
    // a floor's row: what it is, its time, its peak memory if measured, and tthc's
    // time (of the like run) against it
    let floor_row = |what: &str, d: Duration, mem: &str, ratio: &str, tthc: Duration| {
        println!(
            "| {what} | {:.2} s | {} | {mem} | {ratio}: {:.2} |",
            secs(d),
            rate(n, d),
            secs(tthc) / secs(d)
        );
    };
    floor_row(
        "floor: inflate + tokenize the parts tthc reads (rels, theme, styles, numbering, document, headers, footers), a process started as tthc is, all cores",
        cold_all,
        &format!("{:.0} MB", cold_mem as f64 / 1024.0),
        "tthc (all cores) / floor (all cores)",
        ours,
    );
    floor_row(
        "the same floor process on one thread",
        cold_one,
        "",
        "tthc (one thread) / floor (one thread)",
        ours_one,
    );
    floor_row(
        "the same floor inside this bench process (its memory in use from the rounds before), all cores",
        floor_all,
        "",
        "tthc (all cores) / this",
        ours,
    );
    floor_row(
        "the same, one thread",
        floor,
        "",
        "tthc (one thread) / this",
        ours_one,
    );
    floor_row(
        "floor over document.xml alone, one thread",
        floor_doc,
        "",
        "tthc (one thread) / this",
        ours_one,
    );
    if !py.is_empty() {
        let runs = py.len();
        let d = median(py);
        println!(
            "| python-docx (one process, paragraphs + cells; median of {runs}) | {:.2} s | {} | {:.0} MB | {:.0}× |",
            d.as_secs_f64(),
            rate(n, d),
            py_mem as f64 / 1024.0,
            d.as_secs_f64() / ours.as_secs_f64()
        );
    }
    if !quick && have("pandoc") {
        let t = Instant::now();
        let mut peak = 0;
        for f in &files {
            let (_, m) = timed(Command::new("pandoc").args(["-t", "plain"]).arg(f));
            peak = peak.max(m);
        }
        let d = t.elapsed();
        println!(
            "| pandoc -t plain (a process per file; one run) | {:.2} s | {} | {:.0} MB | {:.0}× |",
            d.as_secs_f64(),
            rate(n, d),
            peak as f64 / 1024.0,
            d.as_secs_f64() / ours.as_secs_f64()
        );
    }
}

/// First argument of this program run as the floor's own process: then `all` or
/// `one` (cores), then the files.
const FLOOR_CHILD: &str = "--floor-child";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, how, files @ ..] = args.as_slice() {
        if flag == FLOOR_CHILD {
            let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
            if how == "all" {
                floor_all_cores(&files, read_parts);
            } else {
                floor_one_thread(&files, read_parts);
            }
            return;
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = root.join("target/release/tthc");
    if !exe.exists() {
        eprintln!("build first: cargo build --release");
        return;
    }
    let shared = root.join("../shared");
    let gen_dir = std::env::temp_dir().join("tthc-bench-corpus");
    if docx_files(&gen_dir).len() < 200 {
        let _ = std::fs::create_dir_all(&gen_dir);
        let st = Command::new("python3")
            .arg(shared.join("bench/gen_corpus.py"))
            .arg(&gen_dir)
            .arg("200")
            .status();
        if !st.map(|s| s.success()).unwrap_or(false) {
            eprintln!("could not generate the benchmark corpus (needs python-docx and ../shared)");
        }
    }
    bench("generated benchmark corpus", &gen_dir, &exe);
    bench(
        "real corpus (../shared/corpus/files)",
        &shared.join("corpus/files"),
        &exe,
    );
}
