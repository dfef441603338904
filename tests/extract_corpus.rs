//! Extraction scored against the hand-checked answer keys of the shared corpus.
//!
//! For every MANIFEST row with a key in `truth/`, the input is read (plain text with
//! `read_text`, DOCX through [`read_docx_input`], a legacy `.doc` through LibreOffice and
//! the legacy-font conversion with `ingest::file::read_docs`, the path `tthc extract`
//! takes; LibreOffice is required in CI), extracted, written as `<key>.json` into a temp
//! dir and scored with `score.py`. The whole table is printed; the overall score must
//! be ≥ 0.90 and `procedures.name_f1` ≥ 0.95. Without the corpus the test prints
//! "SKIPPED" and passes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use tthc::doctree::Document;

/// The shared folder: `<crate>/../shared`, else `/work/shared`.
fn shared_dir() -> Option<PathBuf> {
    let near = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    [near, PathBuf::from("/work/shared")]
        .into_iter()
        .find(|p| p.join("corpus/MANIFEST.tsv").is_file() && p.join("corpus/score.py").is_file())
}

/// Read a DOCX input with the crate's DOCX reader. `None` would skip the DOCX rows (with a
/// printed notice) should the reader ever be taken out of the build.
fn read_docx_input(bytes: &[u8]) -> Option<Result<Document, String>> {
    Some(
        tthc::ingest::docx::read_docx(bytes, &tthc::ingest::Limits::default())
            .map_err(|e| e.to_string()),
    )
}

/// Read one MANIFEST input; `Ok(None)` means the row is skipped (with the reason printed).
fn read_input(path: &Path) -> Result<Option<Document>, String> {
    let name = path.to_string_lossy().to_lowercase();
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if name.ends_with(".txt") || name.ends_with(".md") {
        let text = String::from_utf8_lossy(&bytes);
        return Ok(Some(tthc::ingest::text::read_text(&text)));
    }
    if name.ends_with(".docx") {
        return match read_docx_input(&bytes) {
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(e)) => Err(format!("{}: {e}", path.display())),
            None => {
                println!(
                    "notice: {} skipped: the DOCX reader is not switched on in read_docx_input()",
                    path.display()
                );
                Ok(None)
            }
        };
    }
    if name.ends_with(".doc") {
        if !common::require("soffice", "the legacy .doc row of the corpus") {
            return Ok(None);
        }
        let read = tthc::ingest::file::read_docs(
            &[path.to_path_buf()],
            &tthc::ingest::Limits::default(),
            &tthc::ingest::doc::DocOptions::default(),
        );
        return match read.into_iter().next() {
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(e)) => Err(format!("{}: {e}", path.display())),
            None => Err(format!("{}: no result", path.display())),
        };
    }
    println!("notice: {} skipped: unknown input type", path.display());
    Ok(None)
}

/// "procedures.name_f1   0.950  (n=12)" → 0.95
fn metric(table: &str, name: &str) -> Option<f64> {
    table.lines().find_map(|l| {
        let mut w = l.split_whitespace();
        if w.next() == Some(name) {
            w.next().and_then(|v| v.parse().ok())
        } else {
            None
        }
    })
}

#[test]
fn corpus_scores_meet_the_bar() {
    let Some(shared) = shared_dir() else {
        println!("SKIPPED: ../shared/corpus (or /work/shared/corpus) not found");
        return;
    };
    let corpus = shared.join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let out = tempfile::tempdir().expect("temp dir");
    let mut scored = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            continue;
        }
        let (key, input) = (cols[0], cols[1]);
        if !corpus.join("truth").join(format!("{key}.json")).is_file() {
            continue;
        }
        let doc = match read_input(&corpus.join(input)) {
            Ok(Some(d)) => d,
            Ok(None) => continue,
            Err(e) => panic!("{key}: cannot read the input: {e}"),
        };
        let x = tthc::extract::extract(&doc, input);
        let json = serde_json::to_string(&x).expect("serialise");
        std::fs::write(out.path().join(format!("{key}.json")), json).expect("write prediction");
        scored += 1;
    }
    assert!(scored > 0, "no MANIFEST row could be read");
    let run = Command::new("python3")
        .arg(corpus.join("score.py"))
        .arg("--truth-dir")
        .arg(corpus.join("truth"))
        .arg("--pred-dir")
        .arg(out.path())
        .output();
    let run = match run {
        Ok(r) => r,
        Err(e) => {
            println!("SKIPPED: python3 could not be started ({e})");
            return;
        }
    };
    let table = String::from_utf8_lossy(&run.stdout).to_string();
    println!("{table}");
    if !run.stderr.is_empty() {
        println!("{}", String::from_utf8_lossy(&run.stderr));
    }
    assert!(run.status.success(), "score.py failed");
    let score = table
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("score: "))
        .and_then(|s| s.trim().parse::<f64>().ok())
        .expect("a final \"score:\" line");
    let name_f1 = metric(&table, "procedures.name_f1").expect("procedures.name_f1 in the table");
    println!("{scored} documents scored; overall {score:.3}, procedures.name_f1 {name_f1:.3}");
    assert!(score >= 0.90, "overall score {score:.3} < 0.90");
    assert!(name_f1 >= 0.95, "procedures.name_f1 {name_f1:.3} < 0.95");
}
