//! The `tthc convert` job runner: many legacy-encoded documents to Unicode.
//!
//! [`run_convert`] walks the inputs (files and folders; `.docx`, `.doc`, `.txt`),
//! mirrors the folder tree under the output folder (`.doc` becomes `.docx`),
//! skips outputs that exist unless forced (so an interrupted run resumes),
//! refuses an output that is one of the inputs, and converts in parallel on a
//! pool of `jobs` threads; `.doc` files go to LibreOffice in one batch per
//! worker. Every output is written atomically and inputs are only read. One bad
//! file fails alone; the [`Summary`] names it with the reason and serialises to
//! the JSON report.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SendError, SyncSender};
use std::sync::Mutex;
use std::time::Duration;

use rayon::prelude::*;
use serde::Serialize;

use crate::ingest::doc::{convert_docs, find_soffice, DocOptions};
use crate::ingest::Limits;
use crate::legacy::docx::{convert_docx, ConvertOptions, ConvertReport, ConvertedDocx};
use crate::legacy::text::{convert_text, ConvertedText, TextReport};
use crate::legacy::Encoding;
use crate::output::{check_target, write_atomic, OutputError};

/// Options of [`run_convert`] (the `tthc convert` flags).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOptions {
    /// Files and folders to convert.
    pub inputs: Vec<PathBuf>,
    /// Output folder (`-o`); folder inputs are mirrored under it.
    pub output_dir: PathBuf,
    /// Descend into subfolders (`--recursive`).
    pub recursive: bool,
    /// Worker threads (`--jobs`); 0 means the number of CPUs.
    pub jobs: usize,
    /// Replace existing outputs (`--force`).
    pub force: bool,
    /// Source encoding of text whose font tells nothing (`--from`).
    pub from: Option<Encoding>,
    /// Also write the plain text of each converted document as `<output>.txt` (`--extract`).
    pub extract: bool,
    /// Try paragraphs in unknown fonts by content.
    pub detect: bool,
    /// Bounds on the work per file.
    pub limits: Limits,
    /// Search path for LibreOffice (`None`: the `PATH` variable).
    pub search_path: Option<OsString>,
    /// LibreOffice time allowed per `.doc` file.
    pub doc_timeout: Duration,
    /// LibreOffice time allowed to start, once per call (added to the per-file time).
    pub doc_startup: Duration,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            inputs: Vec::new(),
            output_dir: PathBuf::from("."),
            recursive: false,
            jobs: 0,
            force: false,
            from: None,
            extract: false,
            detect: true,
            limits: Limits::default(),
            search_path: None,
            doc_timeout: Duration::from_secs(60),
            doc_startup: DocOptions::default().startup,
        }
    }
}

/// Progress of a run, for the caller's progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The plan is made: `total` files will be handled.
    Planned {
        /// Number of files.
        total: usize,
    },
    /// One file is finished (converted, skipped or failed).
    Done {
        /// The input file.
        input: &'a Path,
        /// Files finished so far.
        done: usize,
        /// Number of files.
        total: usize,
    },
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Converted and written.
    Converted {
        /// Details of a document conversion.
        #[serde(skip_serializing_if = "Option::is_none")]
        docx: Option<Box<ConvertReport>>,
        /// Details of a text conversion.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<TextReport>,
    },
    /// Nothing was legacy; the output is written anyway (a copy, normalised).
    AlreadyUnicode,
    /// The output exists and `force` was not given.
    Skipped {
        /// Why.
        reason: String,
    },
    /// The file could not be converted.
    Failed {
        /// Why.
        reason: String,
    },
}

/// The result for one input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileResult {
    /// The input file.
    pub input: String,
    /// The planned output file.
    pub output: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A failed file and the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The input file.
    pub input: String,
    /// Why it failed.
    pub reason: String,
}

/// The summary of a run (the JSON report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files converted from a legacy encoding.
    pub converted: usize,
    /// Files that were Unicode already (written unchanged or normalised).
    pub already_unicode: usize,
    /// Inputs whose output existed (not forced).
    pub skipped: Vec<String>,
    /// Files that failed, with reasons.
    pub failed: Vec<Failure>,
    /// Per-file results, in input order.
    pub results: Vec<FileResult>,
}

/// Writer threads: writing is mostly waiting for fsync, and file systems commit
/// concurrent syncs together, so a few more writers than cores keep up.
const WRITERS: usize = 4;

/// Fewest `.doc` files worth a LibreOffice call of their own: below twice this, one
/// call converts them all (measured: 20 files in one call 1.9 s, in two parallel
/// calls 2.3 s).
const DOCS_PER_CALL: usize = 32;

/// Converted files waiting for a writer, at most (bounds the memory they hold).
const WRITE_QUEUE: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Doc,
    Text,
}

fn kind_of(p: &Path) -> Option<Kind> {
    let name = p.file_name()?.to_string_lossy();
    if name.starts_with("~$") || name.starts_with('.') {
        return None;
    }
    match p
        .extension()?
        .to_string_lossy()
        .to_ascii_lowercase()
        .as_str()
    {
        "docx" => Some(Kind::Docx),
        "doc" => Some(Kind::Doc),
        "txt" => Some(Kind::Text),
        _ => None,
    }
}

/// One planned file.
#[derive(Debug, Clone)]
struct Job {
    input: PathBuf,
    output: PathBuf,
    kind: Kind,
}

/// Walk the inputs: (file, path relative to the output folder).
fn walk(opts: &BatchOptions, errors: &mut Vec<FileResult>) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for input in &opts.inputs {
        if input.is_dir() {
            let mut stack = vec![input.clone()];
            while let Some(dir) = stack.pop() {
                let entries = match std::fs::read_dir(&dir) {
                    Ok(e) => e,
                    Err(e) => {
                        errors.push(failed(&dir, &dir, format!("cannot list the folder: {e}")));
                        continue;
                    }
                };
                let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                for p in paths {
                    if p.is_dir() {
                        if opts.recursive {
                            stack.push(p);
                        }
                    } else if kind_of(&p).is_some() {
                        let rel = p.strip_prefix(input).map(Path::to_path_buf);
                        out.push((p.clone(), rel.unwrap_or_else(|_| p.clone())));
                    }
                }
            }
        } else if input.is_file() {
            if kind_of(input).is_some() {
                let rel = input.file_name().map(PathBuf::from).unwrap_or_default();
                out.push((input.clone(), rel));
            } else {
                errors.push(failed(
                    input,
                    input,
                    "unsupported file type (tthc convert reads .docx, .doc and .txt)".into(),
                ));
            }
        } else {
            errors.push(failed(input, input, "no such file or folder".into()));
        }
    }
    out
}

fn failed(input: &Path, output: &Path, reason: String) -> FileResult {
    FileResult {
        input: input.display().to_string(),
        output: output.display().to_string(),
        outcome: Outcome::Failed { reason },
    }
}

/// Runs the conversion; never panics on bad input and never modifies inputs.
/// `progress` receives [`Event::Planned`] once, then [`Event::Done`] per file
/// (from worker threads).
pub fn run_convert(opts: &BatchOptions, progress: &(dyn Fn(Event<'_>) + Sync)) -> Summary {
    let mut early: Vec<FileResult> = Vec::new();
    let files = walk(opts, &mut early);
    let inputs: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let mut jobs: Vec<Job> = Vec::new();
    let mut planned: HashMap<PathBuf, PathBuf> = HashMap::new();
    let total = files.len();
    progress(Event::Planned { total });
    let done = AtomicUsize::new(0);
    let finish = |input: &Path| {
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(Event::Done {
            input,
            done: d,
            total,
        });
    };
    for (input, rel) in &files {
        let Some(kind) = kind_of(input) else { continue };
        let mut output = opts.output_dir.join(rel);
        if kind == Kind::Doc {
            output.set_extension("docx");
        }
        if let Some(first) = planned.get(&output) {
            early.push(failed(
                input,
                &output,
                format!(
                    "{} and {} map to the same output",
                    first.display(),
                    input.display()
                ),
            ));
            finish(input);
            continue;
        }
        planned.insert(output.clone(), input.clone());
        match check_target(&output, opts.force, &inputs) {
            Ok(()) => jobs.push(Job {
                input: input.clone(),
                output,
                kind,
            }),
            Err(OutputError::Exists(_)) => {
                early.push(FileResult {
                    input: input.display().to_string(),
                    output: output.display().to_string(),
                    outcome: Outcome::Skipped {
                        reason: "the output exists (use --force to replace it)".into(),
                    },
                });
                finish(input);
            }
            Err(e) => {
                early.push(failed(input, &output, e.to_string()));
                finish(input);
            }
        }
    }

    // Temp files of an earlier run that was killed midway are garbage: clear them from
    // the folders this run writes to.
    let mut dirs: Vec<&Path> = planned.keys().filter_map(|o| o.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        crate::output::remove_stale_temps(d);
    }

    let threads = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.jobs
    };
    let conv = ConvertOptions {
        limits: opts.limits,
        detect: opts.detect,
        from: opts.from,
    };
    let (docs, others): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|j| j.kind == Kind::Doc);
    let results: Mutex<Vec<FileResult>> = Mutex::new(Vec::new());
    let push = |r: FileResult| {
        if let Ok(mut v) = results.lock() {
            v.push(r);
        }
    };
    let soffice = if docs.is_empty() {
        None
    } else {
        Some(find_soffice(opts.search_path.as_deref()))
    };
    // Converting is CPU work on the `threads` workers; writing (with its fsync, a
    // few ms of waiting per file) is handed to a small pool of writer threads, so
    // the workers never wait on the disk. The queue between them is bounded.
    let (tx, rx) = sync_channel::<(Job, Converted)>(WRITE_QUEUE);
    let rx = Mutex::new(rx);
    let hand_over =
        |j: &Job, r: Result<Converted, FileResult>, tx: &SyncSender<(Job, Converted)>| {
            match r {
                Ok(c) => {
                    if let Err(SendError((j, c))) = tx.send((j.clone(), c)) {
                        // no writer left (cannot happen while the scope runs): write here
                        push(store(&j, c, opts));
                        finish(&j.input);
                    }
                }
                Err(f) => {
                    push(f);
                    finish(&j.input);
                }
            }
        };
    let work = |tx: SyncSender<(Job, Converted)>| {
        rayon::scope(|s| {
            // .doc: one LibreOffice batch per worker
            if let Some(found) = &soffice {
                match found {
                    Err(e) => {
                        for j in &docs {
                            push(failed(&j.input, &j.output, e.to_string()));
                            finish(&j.input);
                        }
                    }
                    Ok(program) => {
                        // one LibreOffice per worker only when each gets enough files
                        // to repay its start (~1.3 s against ~0.1 s a file)
                        let calls = (docs.len() / DOCS_PER_CALL).clamp(1, threads.max(1));
                        let per = docs.len().div_ceil(calls).max(1);
                        for chunk in docs.chunks(per) {
                            let doc_opts = DocOptions {
                                program: Some(program.clone()),
                                search_path: opts.search_path.clone(),
                                timeout_per_file: opts.doc_timeout,
                                startup: opts.doc_startup,
                                ..DocOptions::default()
                            };
                            let (push, finish, conv, hand_over) =
                                (&push, &finish, &conv, &hand_over);
                            let tx = tx.clone();
                            s.spawn(move |_| {
                                let paths: Vec<PathBuf> =
                                    chunk.iter().map(|j| j.input.clone()).collect();
                                match convert_docs(&paths, &doc_opts) {
                                    Err(e) => {
                                        for j in chunk {
                                            push(failed(&j.input, &j.output, e.to_string()));
                                            finish(&j.input);
                                        }
                                    }
                                    Ok(outs) => {
                                        for (j, out) in chunk.iter().zip(outs) {
                                            let r = match out {
                                                Ok(bytes) => convert_one_docx(j, &bytes, conv),
                                                Err(e) => {
                                                    Err(failed(&j.input, &j.output, e.to_string()))
                                                }
                                            };
                                            hand_over(j, r, &tx);
                                        }
                                    }
                                }
                            });
                        }
                    }
                }
            }
            others.par_iter().for_each_with(tx.clone(), |tx, j| {
                let r = match std::fs::read(&j.input) {
                    Err(e) => Err(failed(&j.input, &j.output, format!("cannot read: {e}"))),
                    Ok(bytes) if j.kind == Kind::Docx => convert_one_docx(j, &bytes, &conv),
                    Ok(bytes) => convert_one_text(j, &bytes, opts),
                };
                hand_over(j, r, tx);
            });
        });
        drop(tx);
    };
    std::thread::scope(|scope| {
        for _ in 0..WRITERS {
            let (rx, push, finish) = (&rx, &push, &finish);
            scope.spawn(move || loop {
                let next = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => break,
                };
                let Ok((j, c)) = next else { break };
                push(store(&j, c, opts));
                finish(&j.input);
            });
        }
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| work(tx)),
            Err(_) => work(tx),
        }
    });

    let mut all = early;
    all.extend(results.into_inner().unwrap_or_default());
    let order: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.display().to_string(), i))
        .collect();
    all.sort_by_key(|r| order.get(&r.input).copied().unwrap_or(usize::MAX));
    let mut s = Summary::default();
    for r in &all {
        match &r.outcome {
            Outcome::Converted { .. } => s.converted += 1,
            Outcome::AlreadyUnicode => s.already_unicode += 1,
            Outcome::Skipped { .. } => s.skipped.push(r.input.clone()),
            Outcome::Failed { reason } => s.failed.push(Failure {
                input: r.input.clone(),
                reason: reason.clone(),
            }),
        }
    }
    s.results = all;
    s
}

/// A converted file waiting for the writer pool.
enum Converted {
    Docx(ConvertedDocx),
    Text(ConvertedText),
}

/// Convert one `.docx` (CPU work); a failure is the file's result.
fn convert_one_docx(j: &Job, bytes: &[u8], conv: &ConvertOptions) -> Result<Converted, FileResult> {
    convert_docx(bytes, conv)
        .map(Converted::Docx)
        .map_err(|e| failed(&j.input, &j.output, e.to_string()))
}

/// Convert one `.txt` (CPU work); a failure is the file's result.
fn convert_one_text(j: &Job, bytes: &[u8], opts: &BatchOptions) -> Result<Converted, FileResult> {
    if bytes.len() as u64 > opts.limits.max_part_bytes {
        return Err(failed(
            &j.input,
            &j.output,
            "the text file is too large".into(),
        ));
    }
    Ok(Converted::Text(convert_text(bytes, opts.from)))
}

/// Write one converted file (atomically, synced) and say what happened.
fn store(j: &Job, converted: Converted, opts: &BatchOptions) -> FileResult {
    match converted {
        Converted::Docx(c) => store_docx(j, c, opts),
        Converted::Text(c) => store_text(j, c),
    }
}

fn store_docx(j: &Job, converted: ConvertedDocx, opts: &BatchOptions) -> FileResult {
    if let Err(e) = write_atomic(&j.output, &converted.bytes) {
        return failed(&j.input, &j.output, e.to_string());
    }
    if opts.extract {
        let text =
            crate::ingest::docx::read_docx(&converted.bytes, &opts.limits).map(|d| d.plain_text());
        let mut name = j.output.clone().into_os_string();
        name.push(".txt");
        let res = match text {
            Ok(t) => write_atomic(Path::new(&name), t.as_bytes()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = res {
            return failed(
                &j.input,
                &j.output,
                format!("converted, but extracting text failed: {e}"),
            );
        }
    }
    let outcome = if converted.report.already_unicode {
        Outcome::AlreadyUnicode
    } else {
        Outcome::Converted {
            docx: Some(Box::new(converted.report)),
            text: None,
        }
    };
    FileResult {
        input: j.input.display().to_string(),
        output: j.output.display().to_string(),
        outcome,
    }
}

fn store_text(j: &Job, c: ConvertedText) -> FileResult {
    if let Err(e) = write_atomic(&j.output, c.text.as_bytes()) {
        return failed(&j.input, &j.output, e.to_string());
    }
    let outcome = if c.report.already_unicode {
        Outcome::AlreadyUnicode
    } else {
        Outcome::Converted {
            docx: None,
            text: Some(c.report),
        }
    };
    FileResult {
        input: j.input.display().to_string(),
        output: j.output.display().to_string(),
        outcome,
    }
}
