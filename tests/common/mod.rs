//! Helpers shared by the integration tests: running the CLI, the shared data
//! folder, real clients (LibreOffice, poppler) and reading DOCX XML back.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `tthc` binary.
pub fn tthc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tthc"))
}

/// Run tthc with arguments.
pub fn run(args: &[&str]) -> Output {
    tthc().args(args).output().expect("tthc runs")
}

/// The project folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ../shared, if present.
pub fn shared() -> Option<PathBuf> {
    [root().join("../shared"), PathBuf::from("/work/shared")]
        .into_iter()
        .find(|p| p.join("corpus").is_dir())
}

/// True when a command-line tool is on PATH.
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null 2>&1"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A real client is required in CI (CI=true) and skipped with a visible notice elsewhere.
pub fn require(tool: &str, what: &str) -> bool {
    if have(tool) {
        return true;
    }
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!("{tool} is required in CI for: {what}");
    }
    eprintln!("NOTICE: SKIPPED ({what}): {tool} is not installed");
    false
}

/// Whitespace collapsed to single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A part of a zip package as text.
pub fn zip_part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).expect("open docx");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut e = z.by_name(name).expect("part");
    let mut s = String::new();
    e.read_to_string(&mut s).expect("utf-8");
    s
}

/// All parts of a zip package: name → bytes.
pub fn zip_parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    unzip(&std::fs::read(path).expect("open zip"))
}

/// All parts of a zip package held in memory: name → bytes, in stored order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let mut b = Vec::new();
        e.read_to_end(&mut b).expect("read");
        out.push((e.name().map(|n| n.to_string()).unwrap_or_default(), b));
    }
    out
}

/// A zip package (deflated entries) of the given parts, in order.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(name.as_str(), opts).expect("start file");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// A run read back from document.xml.
#[derive(Debug, Clone, Default)]
pub struct XRun {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub half_points: Option<u32>,
    pub fonts: Vec<String>,
}

/// A paragraph read back from document.xml.
#[derive(Debug, Clone, Default)]
pub struct XPara {
    pub runs: Vec<XRun>,
    pub jc: Option<String>,
    pub first_line: Option<i64>,
}

impl XPara {
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Paragraphs of a WordprocessingML part, with run formatting (body and table cells alike).
pub fn paragraphs(xml: &str) -> Vec<XPara> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut para: Option<XPara> = None;
    let mut run: Option<XRun> = None;
    let mut in_t = false;
    loop {
        match r.read_event() {
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                let empty = matches!(ev, Event::Empty(_));
                let e = match ev {
                    Event::Start(e) | Event::Empty(e) => e,
                    _ => unreachable!(),
                };
                let name = e.name().as_ref().to_string();
                let attr = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find_map(|a| (a.key.as_ref() == k).then(|| a.value.to_string()))
                };
                match name.as_str() {
                    "w:p" if empty => out.push(XPara::default()),
                    "w:p" => para = Some(XPara::default()),
                    "w:r" if !empty => run = Some(XRun::default()),
                    "w:t" => in_t = !empty,
                    "w:b" => {
                        if let Some(r) = run.as_mut() {
                            r.bold = true
                        }
                    }
                    "w:i" => {
                        if let Some(r) = run.as_mut() {
                            r.italic = true
                        }
                    }
                    "w:sz" => {
                        if let Some(r) = run.as_mut() {
                            r.half_points = attr("w:val").and_then(|v| v.parse().ok())
                        }
                    }
                    "w:rFonts" => {
                        if let Some(r) = run.as_mut() {
                            for k in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
                                r.fonts.push(attr(k).unwrap_or_default());
                            }
                        }
                    }
                    "w:jc" => {
                        if let (Some(p), None) = (para.as_mut(), run.as_ref()) {
                            p.jc = attr("w:val")
                        }
                    }
                    "w:ind" => {
                        if let Some(p) = para.as_mut() {
                            p.first_line = attr("w:firstLine").and_then(|v| v.parse().ok())
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_t => {
                if let Some(r) = run.as_mut() {
                    r.text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(g)) if in_t => {
                if let Some(r) = run.as_mut() {
                    let name = g.into_inner().to_string();
                    let c = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "?",
                    };
                    r.text.push_str(c);
                }
            }
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:r" => {
                    if let (Some(p), Some(rr)) = (para.as_mut(), run.take()) {
                        p.runs.push(rr);
                    }
                }
                "w:p" => {
                    if let Some(p) = para.take() {
                        out.push(p);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => panic!("bad xml: {e}"),
            _ => {}
        }
    }
    out
}

/// Vietnamese money format, written independently of the crate: 3000000 → "3.000.000".
pub fn vn_money(v: f64) -> String {
    let digits = (v.round() as u64).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Text without any whitespace (PDF text extraction breaks lines anywhere).
pub fn dense(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
