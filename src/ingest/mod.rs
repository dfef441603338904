//! Readers that turn input files into the neutral [`crate::doctree`] tree.
//!
//! Each reader takes the raw bytes and a set of [`Limits`] that bound the work
//! done on untrusted input (zip bombs, absurd nesting, giant paragraphs). Errors
//! are [`IngestError`]s whose messages name the reason in plain English; the
//! caller adds the file name.

pub mod doc;
pub mod docx;
pub mod file;
pub mod text;

use std::fmt;

/// Bounds on the work a reader does for one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest inflated size of any one part of a package (e.g. `word/document.xml`), in bytes.
    /// Checked while inflating, not trusted from the zip header. Default 256 MiB.
    pub max_part_bytes: u64,
    /// Deepest XML element nesting accepted. Default 10 000.
    pub max_depth: usize,
    /// Longest paragraph accepted, in characters. Default 1 000 000.
    pub max_paragraph_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: 256 * 1024 * 1024,
            max_depth: 10_000,
            max_paragraph_chars: 1_000_000,
        }
    }
}

/// Why an input file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The bytes are not a zip archive at all.
    #[error("not a DOCX (zip) file")]
    NotZip,
    /// The bytes start like a zip archive but cannot be read as one.
    #[error("the zip archive is truncated or corrupt: {0}")]
    CorruptZip(String),
    /// A required part is absent from the package.
    #[error("{0} is missing")]
    MissingPart(String),
    /// An OLE compound file: an encrypted OOXML package or a legacy binary `.doc`.
    #[error(
        "password-protected or encrypted Office file (or a legacy Word 97-2003 .doc): \
         it is an OLE compound file, not a DOCX zip package"
    )]
    Encrypted,
    /// A part is not well-formed XML.
    #[error("invalid XML in {part} at byte {pos}: {msg}")]
    Xml {
        /// Part name inside the package, e.g. `word/document.xml`.
        part: String,
        /// Byte offset of the error in the inflated part.
        pos: u64,
        /// What the parser reported.
        msg: String,
    },
    /// A part inflates to more than [`Limits::max_part_bytes`].
    #[error("{part} inflates past the {} limit", ByteSize(*.limit))]
    TooLarge {
        /// Part name inside the package.
        part: String,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// Elements nest deeper than [`Limits::max_depth`].
    #[error("nesting deeper than {0} levels")]
    TooDeep(usize),
    /// A paragraph holds more than [`Limits::max_paragraph_chars`] characters.
    #[error("a paragraph in {part} is longer than {limit} characters")]
    ParagraphTooLong {
        /// Part name inside the package.
        part: String,
        /// The configured limit in characters.
        limit: usize,
    },
    /// The file could not be read from disk.
    #[error("the file could not be read: {0}")]
    Io(#[from] std::io::Error),
}

/// A byte count shown in the largest whole binary unit ("256 MiB", "1 MiB", "1500 bytes").
struct ByteSize(u64);

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * 1024;
        const GIB: u64 = 1024 * 1024 * 1024;
        let n = self.0;
        if n >= GIB && n.is_multiple_of(GIB) {
            write!(f, "{} GiB", n / GIB)
        } else if n >= MIB && n.is_multiple_of(MIB) {
            write!(f, "{} MiB", n / MIB)
        } else if n >= KIB && n.is_multiple_of(KIB) {
            write!(f, "{} KiB", n / KIB)
        } else {
            write!(f, "{n} bytes")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_reason() {
        let e = IngestError::TooLarge {
            part: "word/document.xml".into(),
            limit: Limits::default().max_part_bytes,
        };
        assert_eq!(
            e.to_string(),
            "word/document.xml inflates past the 256 MiB limit"
        );
        assert_eq!(
            IngestError::TooDeep(10_000).to_string(),
            "nesting deeper than 10000 levels"
        );
        assert_eq!(ByteSize(1500).to_string(), "1500 bytes");
    }
}
