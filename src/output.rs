//! Safe output: nothing is written until every output is ready, each file goes
//! to a temporary name in the target folder and is renamed into place, and an
//! existing file is replaced only when the caller says so (`--force`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors of writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target exists and `--force` was not given.
    #[error("{0}: already exists (use --force to replace it)")]
    Exists(String),
    /// The target is one of the inputs.
    #[error("{0}: the output would overwrite an input file")]
    IsInput(String),
    /// The folder cannot be created or written.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

fn io(path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn temp_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    target.with_file_name(format!(".{name}.{}-{nanos}.tmp", std::process::id()))
}

/// Remove the temp files that an interrupted run of tthc left in `dir` (named
/// ".NAME.PID-NANOS.tmp" by [`write_atomic`]) whose process is gone; returns how many.
/// Files of a process still running, and any other file, are left alone; where the
/// system cannot tell which processes run (no /proc), nothing is removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((pid, nanos)) = stem.rsplit_once('.').and_then(|(_, t)| t.split_once('-')) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if nanos.is_empty() || !nanos.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive && e.file_type().is_ok_and(|t| t.is_file()) && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Check that a target may be written: not an input, and absent unless `force`.
pub fn check_target(target: &Path, force: bool, inputs: &[&Path]) -> Result<(), OutputError> {
    let canon = |p: &Path| fs::canonicalize(p).ok();
    if let Some(t) = canon(target) {
        if inputs.iter().any(|i| canon(i).as_ref() == Some(&t)) {
            return Err(OutputError::IsInput(target.display().to_string()));
        }
    }
    if target.exists() && !force {
        return Err(OutputError::Exists(target.display().to_string()));
    }
    Ok(())
}

/// Make sure `dir` is a folder that files can be written in: create it (and its
/// parents) when missing, then create and remove a probe file in it. The error
/// names the folder, so a read-only or misplaced output folder is reported once,
/// before any work is done, and nothing is left behind.
pub fn ensure_writable_dir(dir: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let probe = temp_name(&dir.join(".tthc-write-probe"));
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| io(dir, e))?;
    fs::remove_file(&probe).map_err(|e| io(dir, e))
}

/// Write one file atomically: temp file in the same folder, flush, rename.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let tmp = temp_name(target);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, target)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io(target, e));
    }
    Ok(())
}

/// Write several files as one step: all targets are checked first, all contents
/// are written to temporary files, and only then renamed into place. On any
/// error, no target is left half written and temporaries are removed.
pub fn write_all(
    files: &[(PathBuf, Vec<u8>)],
    force: bool,
    inputs: &[&Path],
) -> Result<(), OutputError> {
    for (t, _) in files {
        check_target(t, force, inputs)?;
    }
    let mut temps: Vec<(PathBuf, &PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, &PathBuf)]| {
        for (tmp, _) in temps {
            let _ = fs::remove_file(tmp);
        }
    };
    for (target, bytes) in files {
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = fs::create_dir_all(dir) {
                cleanup(&temps);
                return Err(io(dir, e));
            }
        }
        let tmp = temp_name(target);
        let res = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(e) = res {
            let _ = fs::remove_file(&tmp);
            cleanup(&temps);
            return Err(io(target, e));
        }
        temps.push((tmp, target));
    }
    for (i, (tmp, target)) in temps.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&temps[i..]);
            return Err(io(target, e));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = std::env::temp_dir().join(format!("tthc-out-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let t = dir.join("a.txt");
        write_all(&[(t.clone(), b"one".to_vec())], false, &[]).expect("first write");
        let e = write_all(&[(t.clone(), b"two".to_vec())], false, &[]).unwrap_err();
        assert!(matches!(e, OutputError::Exists(_)));
        assert_eq!(fs::read(&t).expect("read"), b"one");
        write_all(&[(t.clone(), b"two".to_vec())], true, &[]).expect("forced");
        assert_eq!(fs::read(&t).expect("read"), b"two");
        let leftovers = fs::read_dir(&dir).map(|r| r.count()).unwrap_or(0);
        assert_eq!(leftovers, 1);
        let _ = fs::remove_dir_all(&dir);
    }
}
