//! Jobs over many files: extraction of a set of inputs in parallel, each failure
//! kept with its file while the others go on, and the merge into one catalog.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::extract::{extract, Extraction};
use crate::ingest::file::{kind, read_file};
use crate::ingest::Limits;
use crate::model::Catalog;

/// Expand files and folders into the supported input files (folders recursively, sorted).
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: cannot list: {e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if kind(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// The outcome of extracting one file.
#[derive(Debug)]
pub struct FileResult {
    /// The input.
    pub path: PathBuf,
    /// What was extracted, or why the file failed.
    pub result: Result<Extraction, String>,
}

/// Extract every file in parallel; a failing file does not stop the others.
pub fn extract_files(paths: &[PathBuf], limits: &Limits) -> Vec<FileResult> {
    paths
        .par_iter()
        .map(|p| {
            let shown = p.display().to_string();
            let result = read_file(p, limits)
                .map(|doc| extract(&doc, &shown))
                .map_err(|e| e.to_string());
            FileResult {
                path: p.clone(),
                result,
            }
        })
        .collect()
}

/// Merge the procedures of several extractions into one catalog; ids are made
/// unique by a numeric suffix.
pub fn merge_catalog(extractions: &[&Extraction]) -> Catalog {
    let mut seen = HashSet::new();
    let mut procedures = Vec::new();
    for e in extractions {
        for p in &e.procedures {
            let mut p = p.clone();
            let base = p.id.clone();
            let mut n = 2;
            while !seen.insert(p.id.clone()) {
                p.id = format!("{base}-{n}");
                n += 1;
            }
            procedures.push(p);
        }
    }
    let title = match extractions {
        [one] => one.decision.as_ref().and_then(|d| d.title.clone()),
        _ => None,
    };
    Catalog {
        title,
        scope: None,
        as_of: None,
        procedures,
    }
}
