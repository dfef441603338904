//! Reading an input file of any supported kind into the document tree, chosen by
//! its extension: `.docx` (zip + XML), `.txt` / `.md` (UTF-8 text scrapes).

use std::path::Path;

use super::{IngestError, Limits};
use crate::doctree::Document;

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
    /// A legacy Word 97-2003 file, which must be converted first.
    #[error("legacy Word 97-2003 .doc: convert it first with `tthc convert` (needs LibreOffice)")]
    LegacyDoc,
    /// An extension tthc does not read.
    #[error("unsupported file type (tthc reads .docx, .txt and .md)")]
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
        Some(Kind::Doc) => Err(ReadError::LegacyDoc),
        None => Err(ReadError::Unsupported),
    }
}
