//! Reading an input file of any supported kind into the document tree, chosen by
//! its extension: `.docx` (zip + XML), `.doc` (Word 97-2003, through LibreOffice
//! and the legacy-font conversion), `.txt` / `.md` (UTF-8 text scrapes).
//!
//! A `.doc` (văn bản Word cũ) is converted to DOCX by LibreOffice headless
//! ([`super::doc::convert_docs`], many files per call), then its runs in TCVN3 /
//! VNI fonts are turned into Unicode by [`crate::legacy::docx::convert_docx`]
//! (the conversion `tthc convert` does), and the result is read like any DOCX. A
//! file named `.doc` that is really a DOCX package is read directly, with the
//! same legacy-font conversion.

use std::path::{Path, PathBuf};

use super::doc::{convert_docs, DocError, DocOptions};
use super::{IngestError, Limits};
use crate::doctree::Document;
use crate::legacy::docx::{convert_docx, ConvertError, ConvertOptions};

/// Largest text file read, in bytes.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read into the tree.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The DOCX reader failed.
    #[error("{0}")]
    Docx(#[from] IngestError),
    /// A text file is not UTF-8 (legacy encodings are converted by `tthc convert`).
    #[error("not UTF-8 text at byte {0}; if it is TCVN3/VNI/VISCII/VIQR, convert it first with `tthc convert --from`")]
    NotUtf8(usize),
    /// A text file is larger than [`MAX_TEXT_BYTES`].
    #[error("text file larger than {} MiB", MAX_TEXT_BYTES / 1024 / 1024)]
    TooLarge,
    /// A legacy Word 97-2003 `.doc` could not be converted by LibreOffice (or
    /// LibreOffice is not installed); the message names the tool and the reason.
    #[error("{0}")]
    Doc(String),
    /// The legacy-font (TCVN3/VNI) conversion of a converted `.doc` failed.
    #[error("legacy-font conversion failed: {0}")]
    Legacy(String),
    /// An extension tthc does not read.
    #[error("unsupported file type (tthc reads .docx, .doc, .txt and .md)")]
    Unsupported,
}

/// The kinds of input files, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML document.
    Docx,
    /// Word 97-2003 binary document.
    Doc,
    /// Plain text or Markdown-like scrape.
    Text,
}

/// The kind of a path by its extension (case-insensitive), if supported.
pub fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "docx" => Some(Kind::Docx),
        "doc" => Some(Kind::Doc),
        "txt" | "md" => Some(Kind::Text),
        _ => None,
    }
}

/// Read one file into the document tree.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Document, ReadError> {
    match kind(path) {
        Some(Kind::Docx) => Ok(super::docx::read_docx_path(path, limits)?),
        Some(Kind::Text) => {
            let len = std::fs::metadata(path)?.len();
            if len > MAX_TEXT_BYTES {
                return Err(ReadError::TooLarge);
            }
            let bytes = std::fs::read(path)?;
            let text =
                std::str::from_utf8(&bytes).map_err(|e| ReadError::NotUtf8(e.valid_up_to()))?;
            Ok(super::text::read_text(
                text.strip_prefix('\u{feff}').unwrap_or(text),
            ))
        }
        Some(Kind::Doc) => read_docs(&[path.to_path_buf()], limits, &DocOptions::default())
            .into_iter()
            .next()
            .unwrap_or(Err(ReadError::Unsupported)),
        None => Err(ReadError::Unsupported),
    }
}

/// Read many legacy `.doc` files (văn bản Word 97-2003) into document trees; one
/// result per input, in order.
///
/// The files go to LibreOffice in one call ([`convert_docs`]); each DOCX it
/// writes is converted from legacy fonts to Unicode ([`convert_docx`]) and read.
/// A `.doc` that is really a DOCX package skips LibreOffice. When LibreOffice is
/// missing, every file that needs it fails with [`ReadError::Doc`] naming the
/// tool. Inputs are only read.
pub fn read_docs(
    paths: &[PathBuf],
    limits: &Limits,
    opts: &DocOptions,
) -> Vec<Result<Document, ReadError>> {
    let mut out: Vec<Option<Result<Document, ReadError>>> = Vec::with_capacity(paths.len());
    let mut binary: Vec<(usize, PathBuf)> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        match zip_head(p) {
            Err(e) => out.push(Some(Err(ReadError::Io(e)))),
            Ok(true) => out.push(Some(
                std::fs::read(p)
                    .map_err(ReadError::Io)
                    .and_then(|b| read_legacy_docx(&b, limits)),
            )),
            Ok(false) => {
                out.push(None);
                binary.push((i, p.clone()));
            }
        }
    }
    if !binary.is_empty() {
        let inputs: Vec<PathBuf> = binary.iter().map(|(_, p)| p.clone()).collect();
        let converted: Vec<Result<Vec<u8>, DocError>> = match convert_docs(&inputs, opts) {
            Ok(v) => v,
            Err(e) => vec![Err(e); inputs.len()],
        };
        for ((i, _), res) in binary.iter().zip(converted) {
            let doc = res
                .map_err(|e| ReadError::Doc(e.reason()))
                .and_then(|b| read_legacy_docx(&b, limits));
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(doc);
            }
        }
    }
    out.into_iter()
        .map(|r| r.unwrap_or(Err(ReadError::Unsupported)))
        .collect()
}

/// Read a DOCX package whose runs may be typed in legacy TCVN3 / VNI fonts:
/// convert them to Unicode first (as `tthc convert` does), then read.
pub fn read_legacy_docx(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let opts = ConvertOptions {
        limits: *limits,
        ..ConvertOptions::default()
    };
    let converted = convert_docx(bytes, &opts).map_err(|e| match e {
        ConvertError::Read(e) => ReadError::Docx(e),
        ConvertError::Write(m) => ReadError::Legacy(m),
    })?;
    Ok(super::docx::read_docx(&converted.bytes, limits)?)
}

/// Whether a file starts with the zip signature (a DOCX package named `.doc`).
fn zip_head(p: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 2];
    let mut f = std::fs::File::open(p)?;
    let n = f.read(&mut head)?;
    Ok(n == 2 && &head == b"PK")
}
