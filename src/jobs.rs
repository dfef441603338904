//! Jobs over many files: extraction of a set of inputs in parallel, each failure
//! kept with its file while the others go on, and the merge into one catalog.
//! Legacy `.doc` files go to LibreOffice in a few batches (one per worker thread)
//! while the other files are read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::doctree::Document;
use crate::extract::{extract, Extraction};
use crate::ingest::doc::DocOptions;
use crate::ingest::file::{kind, read_docs, read_file, Kind, ReadError};
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
/// Results come back in the order of `paths`. `.doc` files use LibreOffice as
/// found on `PATH` ([`DocOptions::default`]).
pub fn extract_files(paths: &[PathBuf], limits: &Limits) -> Vec<FileResult> {
    extract_files_with(paths, limits, &DocOptions::default())
}

/// [`extract_files`] with the LibreOffice options for `.doc` files given.
pub fn extract_files_with(paths: &[PathBuf], limits: &Limits, doc: &DocOptions) -> Vec<FileResult> {
    let finish = |p: &PathBuf, read: Result<Document, ReadError>| {
        let shown = p.display().to_string();
        FileResult {
            path: p.clone(),
            result: read.map(|d| extract(&d, &shown)).map_err(|e| e.to_string()),
        }
    };
    type Indexed<'a> = Vec<(usize, &'a PathBuf)>;
    let (docs, mut others): (Indexed, Indexed) = paths
        .iter()
        .enumerate()
        .partition(|(_, p)| kind(p) == Some(Kind::Doc));
    // Largest first: a big annex started last would otherwise run alone on one
    // core after the others are done.
    others.sort_by_cached_key(|(_, p)| std::cmp::Reverse(work_estimate(p)));
    let (mut done, rest) = rayon::join(
        || {
            // one LibreOffice call per worker thread
            let per = docs.len().div_ceil(rayon::current_num_threads().max(1));
            docs.par_chunks(per.max(1))
                .flat_map_iter(|chunk| {
                    let inputs: Vec<PathBuf> = chunk.iter().map(|(_, p)| (*p).clone()).collect();
                    let read = read_docs(&inputs, limits, doc);
                    chunk
                        .iter()
                        .zip(read)
                        .map(|(&(i, p), r)| (i, finish(p, r)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        },
        || {
            // Each worker takes the largest file not yet taken. (A parallel iterator
            // over the list splits it in halves: the thread that starts it reads the
            // largest file and then the second largest, one after the other.)
            let next = AtomicUsize::new(0);
            (0..rayon::current_num_threads().max(1))
                .into_par_iter()
                .with_max_len(1)
                .flat_map_iter(|_| {
                    std::iter::from_fn(|| {
                        let &(i, p) = others.get(next.fetch_add(1, Ordering::Relaxed))?;
                        Some((i, finish(p, read_file(p, limits))))
                    })
                })
                .collect::<Vec<_>>()
        },
    );
    done.extend(rest);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// How much reading a file takes, for scheduling (largest first): for a DOCX the
/// inflated size of its XML parts as its zip directory states them (pictures make a
/// package large but cost nothing to read), else the file's size.
pub fn work_estimate(path: &Path) -> u64 {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    if kind(path) != Some(Kind::Docx) {
        return len;
    }
    let Ok(zip) = std::fs::File::open(path).map(zip::ZipArchive::new) else {
        return len;
    };
    let Ok(zip) = zip else {
        return len;
    };
    (0..zip.len())
        .filter_map(|i| zip.by_index_data(i).ok())
        .filter(|f| {
            let name = f.name_raw();
            name.len() >= 4 && name[name.len() - 4..].eq_ignore_ascii_case(b".xml")
        })
        .map(|f| f.size())
        .fold(0u64, u64::saturating_add)
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
