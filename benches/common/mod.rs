//! Helpers shared by the benchmarks: timing a command with its peak memory, the
//! median of runs, and whether a tool is installed.
#![allow(dead_code)]

use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The median of some durations.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// True when a command-line tool is on PATH.
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Run a command with its output discarded, waiting for it without watching it:
/// wall time and how it ended. For timing: [`run_sampled`] reads the child's
/// /proc status every 2 ms, which takes CPU time from a child that uses every core.
pub fn run_unwatched(cmd: &mut Command) -> (Duration, ExitStatus) {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    (t.elapsed(), status)
}

/// Run a command with its output discarded: wall time, peak resident memory (KiB,
/// VmHWM sampled from /proc every 2 ms) and how it ended.
pub fn run_sampled(cmd: &mut Command) -> (Duration, u64, ExitStatus) {
    let t = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(v) = s.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
                peak = peak.max(v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
            }
        }
        match child.try_wait() {
            Ok(Some(st)) => return (t.elapsed(), peak, st),
            _ => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

/// [`run_sampled`] for a command that must succeed: wall time and peak memory (KiB).
pub fn timed(cmd: &mut Command) -> (Duration, u64) {
    let (d, peak, st) = run_sampled(cmd);
    assert!(st.success(), "command failed: {cmd:?}");
    (d, peak)
}

/// CPU time (user + system) of all children waited for so far; the difference
/// around a [`run_sampled`] call is that command's CPU time, over all its threads.
pub fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}
