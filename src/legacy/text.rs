//! Converting a plain-text file typed in a legacy Vietnamese encoding
//! (chuyển mã tệp văn bản).
//!
//! The bytes are decoded as UTF-8 when valid (a leading BOM is dropped), else as
//! Windows-1252, which is the surface the legacy tables are keyed on (the five
//! bytes cp1252 leaves undefined become the C1 control of the same value, as
//! Latin-1 does). The text is then converted with the given encoding, or with
//! the one [`detect`] chooses, and returned as NFC.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::{convert, detect, Encoding};

/// How the bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decoding {
    /// Valid UTF-8.
    Utf8,
    /// Not UTF-8: read as Windows-1252 (Latin-1 for the undefined bytes).
    Cp1252,
}

/// What [`convert_text`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextReport {
    /// How the bytes were decoded.
    pub decoding: Decoding,
    /// The encoding converted from, if any.
    pub encoding: Option<String>,
    /// Whether the encoding was detected from the content (not given).
    pub detected: bool,
    /// The detector's explanation, when it ran.
    pub reason: Option<String>,
    /// True when nothing was converted.
    pub already_unicode: bool,
}

/// The result of [`convert_text`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedText {
    /// The text, UTF-8 NFC.
    pub text: String,
    /// What was done.
    pub report: TextReport,
}

/// Windows-1252 characters of bytes 0x80–0x9F (`None`: undefined, kept as C1).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Decode bytes as UTF-8 if valid (BOM dropped), else as Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Decoding) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return (s.to_string(), Decoding::Utf8);
    }
    let s = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .flatten()
                .unwrap_or(char::from(b)),
            _ => char::from(b),
        })
        .collect();
    (s, Decoding::Cp1252)
}

/// Converts a text file's bytes to UTF-8 NFC: from `from` when given, else from
/// the encoding [`detect`] chooses (none: the text is only normalised).
pub fn convert_text(bytes: &[u8], from: Option<Encoding>) -> ConvertedText {
    let (text, decoding) = decode(bytes);
    let (enc, detected, reason) = match from {
        Some(e) => (Some(e), false, None),
        None => {
            let d = detect(&text);
            (d.encoding, d.encoding.is_some(), Some(d.reason))
        }
    };
    let out: String = match enc {
        Some(e) => convert(&text, e),
        None => text.nfc().collect(),
    };
    ConvertedText {
        text: out,
        report: TextReport {
            decoding,
            encoding: enc.map(|e| e.name().to_string()),
            detected,
            reason,
            already_unicode: enc.is_none(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_surface_is_converted() {
        // "Uû ban nh©n d©n tØnh" as TCVN3 bytes (not UTF-8)
        let bytes = b"U\xFB ban nh\xA9n d\xA9n t\xD8nh";
        let c = convert_text(bytes, None);
        assert_eq!(c.text, "Uỷ ban nhân dân tỉnh");
        assert_eq!(c.report.decoding, Decoding::Cp1252);
        assert!(c.report.detected);
        let c = convert_text("Việt Nam".as_bytes(), None);
        assert!(c.report.already_unicode);
        let c = convert_text(b"Vie^.t Nam", Some(Encoding::Viqr));
        assert_eq!(c.text, "Việt Nam");
    }
}
