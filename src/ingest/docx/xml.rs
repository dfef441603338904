//! A thin streaming layer over `quick_xml::NsReader`: namespace classification,
//! a depth cap, error mapping and small attribute and measure helpers.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::name::{Namespace, QName, ResolveResult};
use quick_xml::{NsReader, XmlVersion};

use crate::ingest::{IngestError, Limits};

/// WordprocessingML, transitional.
const W_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// WordprocessingML, Strict (ISO 29500 strict).
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Markup compatibility (`mc:AlternateContent`).
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// DrawingML main (themes).
const A_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const A_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/main";
/// Package relationships.
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The namespaces the readers care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML (either flavour).
    W,
    /// Markup compatibility.
    Mc,
    /// DrawingML main.
    A,
    /// Package relationships.
    Rel,
    /// Anything else, or no namespace.
    Other,
}

fn classify(uri: &str) -> Ns {
    match uri {
        W_TRANSITIONAL | W_STRICT => Ns::W,
        MC => Ns::Mc,
        A_TRANSITIONAL | A_STRICT => Ns::A,
        REL => Ns::Rel,
        _ => Ns::Other,
    }
}

fn classify_result(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(Namespace(uri)) => classify(uri),
        _ => Ns::Other,
    }
}

/// Namespaces whose `mc:Choice` content we can read: text boxes and shapes
/// (their `w:txbxContent`), and Word 2010+ extensions that carry ordinary text.
pub(crate) fn understood_namespace(uri: &str) -> bool {
    const KNOWN: &[&str] = &[
        W_TRANSITIONAL,
        W_STRICT,
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
        "http://schemas.microsoft.com/office/word/2010/wordml",
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "http://schemas.microsoft.com/office/drawing/2010/main",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "urn:schemas-microsoft-com:vml",
        "urn:schemas-microsoft-com:office:office",
    ];
    KNOWN.contains(&uri)
}

/// One event, with the element namespace already classified.
pub(crate) enum Ev<'b> {
    Start(Ns, BytesStart<'b>),
    Empty(Ns, BytesStart<'b>),
    End,
    Text(BytesText<'b>),
    CData(String),
    Ref(BytesRef<'b>),
    /// Comments, declarations, processing instructions, DOCTYPE.
    Other,
    Eof,
}

/// Error payload of [`Capped`] when the limit is passed; recognised in [`XmlReader`].
#[derive(Debug)]
struct LimitExceeded;

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("size limit exceeded")
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader that fails once more than `limit` bytes have come through it.
/// Wrapped around the inflating zip entry, so the real inflated size is checked.
pub(crate) struct Capped<R> {
    inner: R,
    remaining: u64,
}

impl<R> Capped<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            remaining: limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.remaining {
            self.remaining = 0;
            return Err(io::Error::other(LimitExceeded));
        }
        self.remaining -= n64;
        Ok(n)
    }
}

/// True when the I/O error came from [`Capped`].
fn is_limit(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<LimitExceeded>().is_some())
}

/// Map an I/O error met while reading a part into an [`IngestError`].
pub(crate) fn io_error(part: &str, limit: u64, e: &io::Error) -> IngestError {
    if is_limit(e) {
        IngestError::TooLarge {
            part: part.to_string(),
            limit,
        }
    } else {
        IngestError::CorruptZip(format!("{part}: {e}"))
    }
}

/// Streaming XML reader over one package part.
pub(crate) struct XmlReader<R: BufRead> {
    reader: NsReader<R>,
    part: String,
    depth: usize,
    max_depth: usize,
    max_bytes: u64,
}

impl<R: BufRead> XmlReader<R> {
    pub(crate) fn new(inner: R, part: &str, limits: &Limits) -> Self {
        let mut reader = NsReader::from_reader(inner);
        {
            let cfg = reader.config_mut();
            cfg.trim_text(false);
            cfg.expand_empty_elements = false;
            cfg.check_end_names = true;
        }
        // Word declares 30-40 namespaces on the root element; allow headroom, but
        // keep the bound: every element name is resolved by scanning the bindings.
        reader.resolver_mut().set_max_namespace_bindings(256);
        XmlReader {
            reader,
            part: part.to_string(),
            depth: 0,
            max_depth: limits.max_depth,
            max_bytes: limits.max_part_bytes,
        }
    }

    /// Read the next event. `buf` is cleared first.
    pub(crate) fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Ev<'b>, IngestError> {
        buf.clear();
        let (ns, ev) = match self.reader.read_resolved_event_into(buf) {
            Ok((res, ev)) => (classify_result(&res), ev),
            Err(e) => return Err(self.xml_error(e)),
        };
        Ok(match ev {
            Event::Start(e) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(IngestError::TooDeep(self.max_depth));
                }
                Ev::Start(ns, e)
            }
            Event::Empty(e) => {
                if self.depth + 1 > self.max_depth {
                    return Err(IngestError::TooDeep(self.max_depth));
                }
                Ev::Empty(ns, e)
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Ev::End
            }
            Event::Text(t) => Ev::Text(t),
            Event::CData(c) => Ev::CData(c.xml10_content().into_owned()),
            Event::GeneralRef(r) => Ev::Ref(r),
            Event::Eof => {
                if self.depth > 0 {
                    return Err(IngestError::Xml {
                        part: self.part.clone(),
                        pos: self.reader.buffer_position(),
                        msg: "unexpected end of file: elements left open".into(),
                    });
                }
                Ev::Eof
            }
            _ => Ev::Other,
        })
    }

    /// Namespace bound to `prefix` at the current position (for `mc:Choice Requires`).
    pub(crate) fn prefix_understood(&self, prefix: &str) -> bool {
        let q = format!("{prefix}:x");
        match self
            .reader
            .resolver()
            .resolve_prefix(QName(&q).prefix(), false)
        {
            ResolveResult::Bound(Namespace(uri)) => understood_namespace(uri),
            _ => false,
        }
    }

    fn xml_error(&self, e: quick_xml::Error) -> IngestError {
        if let quick_xml::Error::Io(io) = &e {
            if is_limit(io) {
                return IngestError::TooLarge {
                    part: self.part.clone(),
                    limit: self.max_bytes,
                };
            }
            return IngestError::CorruptZip(format!("{}: {io}", self.part));
        }
        IngestError::Xml {
            part: self.part.clone(),
            pos: self.reader.error_position(),
            msg: e.to_string(),
        }
    }
}

/// Text of a character or predefined entity reference (`&amp;`, `&#7897;`), if it has one.
pub(crate) fn ref_text(r: &BytesRef<'_>) -> Option<RefText> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Some(RefText::Char(c)),
            _ => None,
        };
    }
    quick_xml::escape::resolve_predefined_entity(r).map(RefText::Str)
}

/// Resolved text of a reference.
pub(crate) enum RefText {
    Char(char),
    Str(&'static str),
}

impl RefText {
    pub(crate) fn push_to(&self, s: &mut String) {
        match self {
            RefText::Char(c) => s.push(*c),
            RefText::Str(t) => s.push_str(t),
        }
    }
}

/// Local name of an element.
pub(crate) fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// Value of the attribute with this local name (any prefix), unescaped.
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if a.key.local_name().into_inner() == name {
            return a.normalized_value(XmlVersion::Implicit1_0).ok();
        }
    }
    None
}

/// `w:val` of an element.
pub(crate) fn val<'a>(e: &'a BytesStart<'_>) -> Option<Cow<'a, str>> {
    attr(e, "val")
}

/// A toggle property (`w:b`, `w:i`): absent `w:val` means on; `0/false/off` off.
/// Unrecognised values give `None` (ignored).
pub(crate) fn toggle(e: &BytesStart<'_>) -> Option<bool> {
    match val(e) {
        None => Some(true),
        Some(v) => parse_bool(&v),
    }
}

/// An OOXML boolean (`ST_OnOff`).
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v.trim() {
        "1" | "true" | "on" | "True" | "TRUE" | "On" => Some(true),
        "0" | "false" | "off" | "False" | "FALSE" | "Off" => Some(false),
        _ => None,
    }
}

/// A non-negative integer attribute (`gridSpan`, `ilvl`, `numId`); garbage gives `None`.
pub(crate) fn parse_u32(v: &str) -> Option<u32> {
    v.trim().parse::<u32>().ok()
}

/// A signed integer attribute (`start`); garbage gives `None`.
pub(crate) fn parse_i64(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok()
}

/// A length in twentieths of a point (twips), given as a plain number or a
/// universal measure such as `2.5cm`, `12pt`, `1in`. Garbage gives `None`.
pub(crate) fn parse_twips(v: &str) -> Option<f32> {
    parse_measure(v, 1.0)
}

/// A font size in half-points, plain or universal measure (`12pt`). Garbage gives `None`.
pub(crate) fn parse_half_points(v: &str) -> Option<f32> {
    // 1 half-point = 10 twips
    parse_measure(v, 10.0).map(|t| t / 10.0)
}

/// Parse a number in `unit_twips` units, or a universal measure converted to twips.
fn parse_measure(v: &str, unit_twips: f32) -> Option<f32> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f32 = num.trim().parse().ok()?;
    if !n.is_finite() {
        return None;
    }
    let twips = match unit {
        "" => n * unit_twips,
        "pt" => n * 20.0,
        "mm" => n * 1440.0 / 25.4,
        "cm" => n * 14400.0 / 25.4,
        "in" => n * 1440.0,
        "pc" | "pi" => n * 240.0,
        _ => return None,
    };
    twips.is_finite().then_some(twips)
}

/// Twips to millimetres.
pub(crate) fn twips_to_mm(t: f32) -> f32 {
    t * 25.4 / 1440.0
}
