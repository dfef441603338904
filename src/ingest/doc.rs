//! Legacy Word 97-2003 `.doc` → `.docx` through LibreOffice headless.
//!
//! There is no Rust reader for the binary format here; LibreOffice keeps the run,
//! style and table-cell fonts (`.VnTime`, `VNI-Times` …) that the legacy
//! conversion needs, and writes the TCVN3 letter ư (byte 0xAD) as
//! `<w:softHyphen/>`, which [`crate::legacy::docx`] turns back into ư.
//!
//! One `soffice` call converts many files (about 0.1 s a file against 1.2 s for a
//! call per file), with a private profile per call so that parallel workers do
//! not share a user installation. Inputs are copied into a temporary folder under
//! numbered names (never touched in place), the call is bounded by a timeout
//! after which the whole process group is killed, and files LibreOffice leaves
//! unconverted are retried without the one that hung, so one bad file fails
//! alone.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Names of the LibreOffice program searched on `PATH`, in order.
pub const PROGRAMS: [&str; 2] = ["soffice", "libreoffice"];

/// Largest `.docx` read back from LibreOffice, in bytes.
pub const MAX_OUTPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Why a `.doc` file could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// Neither `soffice` nor `libreoffice` is on the search path.
    #[error(
        "LibreOffice is needed to convert .doc files, but neither `soffice` nor `libreoffice` \
         was found on PATH (install libreoffice-writer, or convert the file to .docx in Word)"
    )]
    LibreOfficeMissing,
    /// LibreOffice could not be started.
    #[error("cannot start LibreOffice ({program}): {reason}")]
    Spawn {
        /// The program run.
        program: String,
        /// The system error.
        reason: String,
    },
    /// LibreOffice did not finish this file in time; its process group was killed.
    #[error("{file}: LibreOffice did not finish within {secs} s (killed)")]
    Timeout {
        /// The input file.
        file: String,
        /// The time allowed, in seconds.
        secs: u64,
    },
    /// LibreOffice ran but produced no `.docx` for this file.
    #[error(
        "{file}: LibreOffice could not convert it (corrupt, encrypted or not a Word file){detail}"
    )]
    Failed {
        /// The input file.
        file: String,
        /// Extra detail (LibreOffice's last message), starting with `: ` when present.
        detail: String,
    },
    /// A file or temporary folder could not be read or written.
    #[error("{file}: {reason}")]
    Io {
        /// The file.
        file: String,
        /// The system error.
        reason: String,
    },
}

impl DocError {
    /// The message without the leading file name, for callers that print the
    /// file themselves ("LibreOffice did not finish within 60 s (killed)").
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let file = match self {
            DocError::Timeout { file, .. }
            | DocError::Failed { file, .. }
            | DocError::Io { file, .. } => file.as_str(),
            DocError::LibreOfficeMissing | DocError::Spawn { .. } => "",
        };
        match full.strip_prefix(file).and_then(|r| r.strip_prefix(": ")) {
            Some(rest) => rest.to_string(),
            None => full,
        }
    }
}

/// Options of [`convert_docs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocOptions {
    /// The LibreOffice program; `None` searches [`PROGRAMS`] on the search path.
    pub program: Option<PathBuf>,
    /// The search path (`PATH` syntax); `None` uses the `PATH` environment variable.
    pub search_path: Option<OsString>,
    /// Time allowed per file; a call on `n` files gets `startup + n × per_file`.
    pub timeout_per_file: Duration,
    /// Time allowed for LibreOffice to start, added once per call.
    pub startup: Duration,
    /// Folder for the temporary profile, copies and outputs; `None` = system temp.
    pub temp_root: Option<PathBuf>,
}

impl Default for DocOptions {
    fn default() -> Self {
        DocOptions {
            program: None,
            search_path: None,
            timeout_per_file: Duration::from_secs(60),
            startup: Duration::from_secs(60),
            temp_root: None,
        }
    }
}

/// The LibreOffice command line that converts `files` to `to` (a filter, e.g.
/// "docx:MS Word 2007 XML") into `out_dir`, headless, with its own profile folder.
pub fn soffice_command(
    program: &Path,
    profile: &Path,
    to: &str,
    out_dir: &Path,
    files: &[PathBuf],
) -> Command {
    let mut cmd = Command::new(program);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        to,
        "--outdir",
    ])
    .arg(out_dir)
    .args(files);
    cmd
}

/// Finds LibreOffice: the first of [`PROGRAMS`] that is an executable file in a
/// folder of `search_path` (`PATH` syntax; `None` reads the `PATH` variable).
pub fn find_soffice(search_path: Option<&OsStr>) -> Result<PathBuf, DocError> {
    let env_path = std::env::var_os("PATH");
    let path = search_path.or(env_path.as_deref()).unwrap_or_default();
    for name in PROGRAMS {
        for dir in std::env::split_paths(path) {
            let cand = dir.join(name);
            if is_executable(&cand) {
                return Ok(cand);
            }
        }
    }
    Err(DocError::LibreOfficeMissing)
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Converts many `.doc` files to `.docx` bytes with as few LibreOffice calls as
/// possible; the result has one entry per input, in order.
///
/// Fails as a whole only when LibreOffice cannot be found
/// ([`DocError::LibreOfficeMissing`]) or started; every other problem is reported
/// for its file alone. Inputs are only read.
pub fn convert_docs(
    inputs: &[PathBuf],
    opts: &DocOptions,
) -> Result<Vec<Result<Vec<u8>, DocError>>, DocError> {
    let program = match &opts.program {
        Some(p) => p.clone(),
        None => find_soffice(opts.search_path.as_deref())?,
    };
    let work = TempDir::new(opts.temp_root.as_deref()).map_err(|e| DocError::Io {
        file: "temporary folder".into(),
        reason: e.to_string(),
    })?;
    let mut results: Vec<Option<Result<Vec<u8>, DocError>>> = vec![None; inputs.len()];
    // stage copies under numbered names
    let in_dir = work.path.join("in");
    if let Err(e) = fs::create_dir_all(&in_dir) {
        return Err(DocError::Io {
            file: in_dir.display().to_string(),
            reason: e.to_string(),
        });
    }
    let mut pending: Vec<usize> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let staged = in_dir.join(format!("{i}.doc"));
        if let Err(why) = looks_like_word(input) {
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(Err(DocError::Failed {
                    file: input.display().to_string(),
                    detail: format!(": {why}"),
                }));
            }
            continue;
        }
        match fs::copy(input, &staged) {
            Ok(_) => pending.push(i),
            Err(e) => {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(Err(DocError::Io {
                        file: input.display().to_string(),
                        reason: format!("cannot read: {e}"),
                    }));
                }
            }
        }
    }
    let mut round = 0usize;
    while !pending.is_empty() {
        round += 1;
        let out_dir = work.path.join(format!("out{round}"));
        let profile = work.path.join(format!("profile{round}"));
        let staged: Vec<PathBuf> = pending
            .iter()
            .map(|i| in_dir.join(format!("{i}.doc")))
            .collect();
        let budget = opts.startup + opts.timeout_per_file * pending.len() as u32;
        let run = run_soffice(&program, &profile, &out_dir, &staged, &work.path, budget)?;
        let mut still: Vec<usize> = Vec::new();
        for &i in &pending {
            let out = out_dir.join(format!("{i}.docx"));
            let name = inputs
                .get(i)
                .map_or_else(String::new, |p| p.display().to_string());
            let res = if out.is_file() {
                read_capped(&out).map_err(|e| DocError::Io {
                    file: name,
                    reason: e.to_string(),
                })
            } else if run.timed_out {
                still.push(i);
                continue;
            } else {
                Err(DocError::Failed {
                    file: name,
                    detail: run.detail.clone(),
                })
            };
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(res);
            }
        }
        if run.timed_out {
            // the first file without output is the one LibreOffice hung on
            if let Some((&hung, rest)) = still.split_first() {
                if let Some(slot) = results.get_mut(hung) {
                    *slot = Some(Err(DocError::Timeout {
                        file: inputs
                            .get(hung)
                            .map_or_else(String::new, |p| p.display().to_string()),
                        secs: budget.as_secs(),
                    }));
                }
                still = rest.to_vec();
            }
        }
        pending = still;
    }
    Ok(results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(DocError::Failed {
                    file: String::new(),
                    detail: String::new(),
                })
            })
        })
        .collect())
}

/// Whether a `.doc` looks like something Word saved: an OLE compound file, or
/// the RTF or HTML that Word also saves under `.doc`. LibreOffice would import
/// anything else as plain text and "convert" it.
fn looks_like_word(p: &Path) -> Result<(), String> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut head = Vec::with_capacity(512);
    fs::File::open(p)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|e| format!("cannot read: {e}"))?;
    let trimmed: &[u8] = {
        let h = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        let start = h
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(h.len());
        h.get(start..).unwrap_or_default()
    };
    let ole = head.starts_with(&OLE) && head.len() == 512;
    if ole || trimmed.starts_with(b"{\\rtf") || trimmed.starts_with(b"<") {
        Ok(())
    } else {
        Err("not a Word 97-2003 file (no OLE compound-file, RTF or HTML signature)".into())
    }
}

/// Outcome of one LibreOffice call.
struct Run {
    timed_out: bool,
    /// `: last message` from LibreOffice's output, or empty.
    detail: String,
}

fn run_soffice(
    program: &Path,
    profile: &Path,
    out_dir: &Path,
    files: &[PathBuf],
    work: &Path,
    budget: Duration,
) -> Result<Run, DocError> {
    let spawn_err = |e: std::io::Error| DocError::Spawn {
        program: program.display().to_string(),
        reason: e.to_string(),
    };
    let log = work.join("soffice.log");
    let log_file = fs::File::create(&log).map_err(spawn_err)?;
    let log_err = log_file.try_clone().map_err(spawn_err)?;
    let mut cmd = soffice_command(program, profile, "docx:MS Word 2007 XML", out_dir, files);
    cmd.stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .process_group(0);
    let mut child = cmd.spawn().map_err(spawn_err)?;
    let deadline = Instant::now() + budget;
    let mut timed_out = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) => {}
            Err(_) => break,
        }
        if Instant::now() >= deadline {
            timed_out = true;
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = fs::read_to_string(&log).unwrap_or_default();
    let last = text
        .lines()
        .rev()
        .find(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("error") || l.contains("fail")
        })
        .map(|l| format!(": {}", l.trim()))
        .unwrap_or_default();
    Ok(Run {
        timed_out,
        detail: last,
    })
}

/// Kill the process group led by `pid` (the child was made a group leader).
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .arg("-KILL")
        .arg("--")
        .arg(format!("-{pid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn read_capped(p: &Path) -> std::io::Result<Vec<u8>> {
    let f = fs::File::open(p)?;
    let mut out = Vec::new();
    f.take(MAX_OUTPUT_BYTES + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(std::io::Error::other("LibreOffice output is too large"));
    }
    Ok(out)
}

/// A private temporary folder, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(root: Option<&Path>) -> std::io::Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let root = root.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = root.join(format!("tthc-doc-{}-{n}-{nanos}", std::process::id()));
        fs::create_dir_all(&path)?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_program_is_named() {
        let e = find_soffice(Some(OsStr::new("/nonexistent-dir"))).unwrap_err();
        assert_eq!(e, DocError::LibreOfficeMissing);
        assert!(e.to_string().contains("soffice"));
    }

    #[test]
    fn reason_leaves_out_the_file() {
        let e = DocError::Timeout {
            file: "/a/b.doc".into(),
            secs: 60,
        };
        assert_eq!(
            e.reason(),
            "LibreOffice did not finish within 60 s (killed)"
        );
        let e = DocError::Failed {
            file: String::new(),
            detail: String::new(),
        };
        assert!(e.reason().starts_with("LibreOffice could not convert it"));
        assert_eq!(
            DocError::LibreOfficeMissing.reason(),
            DocError::LibreOfficeMissing.to_string()
        );
    }
}
