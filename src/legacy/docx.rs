//! Converting a DOCX package typed in a legacy Vietnamese font encoding to Unicode
//! (chuyển mã tài liệu DOCX).
//!
//! [`convert_docx`] streams `word/document.xml` and the headers, footers, footnotes
//! and endnotes it references through a `quick_xml` reader and writer, event by
//! event. Paragraphs are buffered one at a time, so runs of one paragraph can be
//! looked at together (a VNI base letter and its mark byte may fall in two runs).
//!
//! For every run the font is resolved as Word does: `w:rFonts` on the run (hAnsi,
//! then ascii, theme references resolved), its character style, the paragraph
//! style chain (or the default paragraph style), the document defaults. A font
//! that [`classify_font`] knows gives the encoding; the run's `w:t` text is
//! converted (in a TCVN3 run `<w:softHyphen/>` is the letter ư), uppercased for
//! all-capitals fonts, and the legacy font names in `w:rFonts` become
//! [`UNICODE_FONT`]. Fonts the classifier does not know (e.g. `VNSTCVN3`) are
//! tried by content over the whole document: when their text is legacy (by
//! [`detect`], by [`legacy_evidence`] for text mixing TCVN3 and VNI, or by a
//! [`font_name_hint`]), each of their paragraphs is converted with whichever of
//! TCVN3 and VNI fits it ([`compare_legacy`]; a tie keeps the previous
//! paragraph's choice). When [`ConvertOptions::detect`] is on, paragraphs whose
//! font tells nothing are tried one by one with [`detect`]. A paragraph or run in a
//! font named TCVN3 or VNI whose text is plainly in the other of the two
//! ([`contradicts_font`]) is converted with that other one. A run that already
//! holds Vietnamese-only letters is never converted.
//!
//! Legacy font names in `styles.xml`, `fontTable.xml` and the theme are renamed
//! too. Every other part of the package is copied as its raw compressed entry,
//! byte for byte; when nothing needs converting the input bytes come back
//! unchanged.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::{Namespace, QName, ResolveResult};
use quick_xml::{NsReader, Writer, XmlVersion};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{
    classify_font, compare_legacy, contradicts_font, convert, detect, font_name_hint,
    has_vietnamese_only_letters, legacy_evidence, Encoding, FontClass, LegacyChoice,
};
use crate::ingest::docx::styles::{apply_rpr, parse_styles, parse_theme, RProps, Styles, Theme};
use crate::ingest::docx::xml::{io_error, ref_text, Capped, XmlReader};
use crate::ingest::{IngestError, Limits};

/// The font that replaces legacy font names in the converted package.
pub const UNICODE_FONT: &str = "Times New Roman";

/// WordprocessingML namespaces, transitional and Strict.
const W_NS: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// Signature of an OLE compound file (legacy `.doc`, encrypted OOXML).
const OLE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Most text gathered per unknown font for the document-level trial.
const FONT_SAMPLE_CHARS: usize = 200_000;

/// Deflate level of the rewritten parts (the other parts are copied as they are
/// stored): level 1 takes about half the instructions of the default level (6) on
/// the benchmark's documents, for rewritten parts about a quarter larger
/// (measured: 5.3 KB against 4.3 KB per converted benchmark DOCX).
const REWRITE_DEFLATE_LEVEL: i64 = 1;

/// Options of [`convert_docx`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertOptions {
    /// Bounds on the work done on the (untrusted) package.
    pub limits: Limits,
    /// Try paragraphs whose font names no legacy encoding by their content
    /// ([`detect`]); convert only those whose trial conversion scores above the
    /// thresholds. On by default.
    pub detect: bool,
    /// Treat text whose font names no legacy encoding as this encoding (the
    /// caller knows the source, e.g. `--from vni`). Takes precedence over
    /// [`ConvertOptions::detect`]. Runs in a known legacy font keep their font's
    /// encoding.
    pub from: Option<Encoding>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions {
            limits: Limits::default(),
            detect: true,
            from: None,
        }
    }
}

/// Why a package could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The package could not be read (not a zip, corrupt, encrypted or `.doc`,
    /// bad XML, a part past the size limit, nesting too deep …).
    #[error("{0}")]
    Read(#[from] IngestError),
    /// The converted package could not be written.
    #[error("cannot write the converted package: {0}")]
    Write(String),
}

/// The result of [`convert_docx`].
#[derive(Debug, Clone)]
pub struct ConvertedDocx {
    /// The converted package (the input bytes when nothing needed converting).
    pub bytes: Vec<u8>,
    /// What was done.
    pub report: ConvertReport,
}

/// What [`convert_docx`] did (báo cáo chuyển mã).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ConvertReport {
    /// Runs converted, per encoding name (`"tcvn3"`, `"vni"` …).
    pub runs_converted: BTreeMap<String, usize>,
    /// Runs in a legacy font that already held Vietnamese-only letters and were
    /// left as they were (only their font name was replaced).
    pub runs_guarded: usize,
    /// Fonts that no name rule knows, tried by content over the whole document.
    pub fonts_by_content: Vec<FontDecision>,
    /// Paragraphs converted because their content was detected as legacy text.
    pub paragraphs_detected: Vec<ParagraphDecision>,
    /// Paragraphs with non-ASCII text in no legacy font that detection left alone.
    pub paragraphs_left: usize,
    /// Legacy font names replaced by [`UNICODE_FONT`] (attributes, all parts).
    pub fonts_renamed: usize,
    /// Parts of the package that were rewritten.
    pub parts_rewritten: Vec<String>,
    /// True when no text needed converting (the document is Unicode already).
    pub already_unicode: bool,
}

impl ConvertReport {
    /// Total number of converted runs, all encodings.
    pub fn total_runs(&self) -> usize {
        self.runs_converted.values().sum()
    }
}

/// The decision about one unknown font, taken on all its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FontDecision {
    /// The font name as written in the document.
    pub font: String,
    /// The encoding [`detect`] chose for all the font's text, or `None`.
    pub encoding: Option<String>,
    /// When [`detect`] chose none: the font holds legacy text all the same, but not
    /// in one encoding (a document typed partly with a TCVN3 and partly with a VNI
    /// keyboard in one font, or a `VNS…` font variant), or its name hints at one
    /// ([`font_name_hint`]); this is the default encoding. `None`: the font's text
    /// is left alone.
    ///
    /// Every paragraph in a font with `encoding` or `mixed` set is converted with
    /// whichever of TCVN3 and VNI fits that paragraph better ([`compare_legacy`]);
    /// on a tie, the choice of the previous paragraph in the font, else the default.
    pub mixed: Option<String>,
    /// Syllable score of the text as it was.
    pub score_before: f32,
    /// Syllable score of the best trial conversion.
    pub score_after: f32,
    /// Why.
    pub reason: String,
}

/// A paragraph converted by content detection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParagraphDecision {
    /// The part, e.g. `word/document.xml`.
    pub part: String,
    /// 0-based index of the paragraph (`w:p`, nested ones included) in the part.
    pub paragraph: usize,
    /// The encoding detected.
    pub encoding: String,
    /// Syllable score of the text as it was.
    pub score_before: f32,
    /// Syllable score after conversion.
    pub score_after: f32,
}

/// Converts a DOCX package in memory from legacy Vietnamese fonts to Unicode.
///
/// See the module documentation for the rules. Errors name the reason (not a
/// zip, corrupt zip, encrypted or legacy `.doc`, missing `word/document.xml`,
/// invalid XML, a part inflating past [`Limits::max_part_bytes`], nesting past
/// [`Limits::max_depth`], a paragraph past [`Limits::max_paragraph_chars`]).
pub fn convert_docx(bytes: &[u8], opts: &ConvertOptions) -> Result<ConvertedDocx, ConvertError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(IngestError::Encrypted.into());
    }
    if !bytes.starts_with(b"PK") {
        return Err(IngestError::NotZip.into());
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error("", e))?;
    let mut names: HashMap<String, usize> = HashMap::new();
    for i in 0..zip.len() {
        if let Some(Ok(n)) = zip.name_for_index(i) {
            names
                .entry(n.trim_start_matches('/').to_lowercase())
                .or_insert(i);
        }
    }
    let limits = &opts.limits;
    let mut pkg = Pkg {
        zip: &mut zip,
        names: &names,
        limits,
    };

    let root_rels = pkg.rels("_rels/.rels", "")?;
    let main = root_rels
        .iter()
        .find(|r| r.0 == "officeDocument")
        .map(|r| r.1.clone())
        .filter(|t| pkg.index(t).is_some())
        .or_else(|| {
            pkg.index("word/document.xml")
                .map(|_| "word/document.xml".into())
        })
        .ok_or_else(|| IngestError::MissingPart("word/document.xml".into()))?;
    let main_dir = main.rfind('/').map_or("", |i| &main[..i]).to_string();
    let main_file = main.rsplit('/').next().unwrap_or(&main).to_string();
    let rels_name = if main_dir.is_empty() {
        format!("_rels/{main_file}.rels")
    } else {
        format!("{main_dir}/_rels/{main_file}.rels")
    };
    let rels = pkg.rels(&rels_name, &main_dir)?;
    let find = |kind: &str, usual: &str| -> String {
        rels.iter()
            .find(|r| r.0 == kind)
            .map_or_else(|| usual.to_string(), |r| r.1.clone())
    };
    let theme_name = find("theme", "word/theme/theme1.xml");
    let styles_name = find("styles", "word/styles.xml");
    let font_table_name = find("fontTable", "word/fontTable.xml");

    let theme_xml = pkg.read(&theme_name)?;
    let theme = match &theme_xml {
        Some(x) => {
            parse_theme(&mut XmlReader::new(&x[..], &theme_name, limits)).unwrap_or_default()
        }
        None => Theme::default(),
    };
    let styles_xml = pkg.read(&styles_name)?;
    let styles = match &styles_xml {
        Some(x) => parse_styles(&mut XmlReader::new(&x[..], &styles_name, limits), &theme)
            .unwrap_or_default(),
        None => Styles::default(),
    };

    // the text parts: main first, then headers, footers, footnotes, endnotes
    let mut text_parts: Vec<(String, Vec<u8>)> = Vec::new();
    let main_xml = pkg
        .read(&main)?
        .ok_or_else(|| IngestError::MissingPart(main.clone()))?;
    text_parts.push((main.clone(), main_xml));
    let mut others: Vec<String> = rels
        .iter()
        .filter(|r| matches!(r.0.as_str(), "header" | "footer" | "footnotes" | "endnotes"))
        .map(|r| r.1.clone())
        .collect();
    others.sort();
    others.dedup();
    for name in others {
        if let Some(x) = pkg.read(&name)? {
            text_parts.push((name, x));
        }
    }

    let mut ctx = Ctx {
        styles: &styles,
        theme: &theme,
        opts,
        legacy_fonts: HashMap::new(),
        last_choice: RefCell::new(HashMap::new()),
    };

    // One pass converts the text parts and gathers the text of unknown fonts for
    // the document-level trial. That pass took no unknown font for legacy; when the
    // trial finds one that is, the text parts are converted again with it known.
    // (Most documents have no such font: one pass over the XML is enough.)
    let by_content = opts.detect && opts.from.is_none();
    let mut samples: BTreeMap<String, String> = BTreeMap::new();
    let mut pass = convert_text_parts(&text_parts, &ctx, by_content.then_some(&mut samples))?;
    let mut fonts_by_content = Vec::new();
    for (font, text) in samples {
        let d = detect(&text);
        let mut mixed = None;
        if let Some(enc) = d.encoding {
            ctx.legacy_fonts.insert(font.clone(), enc);
        } else if !has_vietnamese_only_letters(&text) {
            mixed = legacy_evidence(&text).or_else(|| font_name_hint(&font));
            if let Some(enc) = mixed {
                ctx.legacy_fonts.insert(font.clone(), enc);
            }
        }
        fonts_by_content.push(FontDecision {
            font,
            encoding: d.encoding.map(|e| e.name().to_string()),
            mixed: mixed.map(|e| e.name().to_string()),
            score_before: d.score_before,
            score_after: d.score_after,
            reason: d.reason,
        });
    }
    if !ctx.legacy_fonts.is_empty() {
        pass = convert_text_parts(&text_parts, &ctx, None)?;
    }
    let (mut report, mut rewritten) = pass;
    report.fonts_by_content = fonts_by_content;

    for (name, xml) in [
        (&styles_name, styles_xml),
        (&font_table_name, pkg.read(&font_table_name)?),
        (&theme_name, theme_xml),
    ] {
        let Some(xml) = xml else { continue };
        if let Some(out) = rename_fonts_part(&xml, name, &ctx, &mut report)? {
            rewritten.insert(name.to_lowercase(), out);
            report.parts_rewritten.push(name.clone());
        }
    }
    report.already_unicode = report.total_runs() == 0;

    if rewritten.is_empty() {
        return Ok(ConvertedDocx {
            bytes: bytes.to_vec(),
            report,
        });
    }
    let bytes = write_package(&mut zip, &rewritten)?;
    Ok(ConvertedDocx { bytes, report })
}

/// Convert the text parts with what `ctx` knows: the report of the conversion and
/// the rewritten parts (by lowercase name). With `samples`, the text of runs in
/// unknown fonts is gathered too, for the document-level trial.
#[allow(clippy::type_complexity)]
fn convert_text_parts(
    text_parts: &[(String, Vec<u8>)],
    ctx: &Ctx<'_>,
    mut samples: Option<&mut BTreeMap<String, String>>,
) -> Result<(ConvertReport, HashMap<String, Vec<u8>>), ConvertError> {
    let mut report = ConvertReport::default();
    let mut rewritten: HashMap<String, Vec<u8>> = HashMap::new();
    for (name, xml) in text_parts {
        let mut out = Writer::new(Vec::with_capacity(xml.len() + xml.len() / 4));
        let changed = {
            let mut sink = Sink {
                out: &mut out,
                samples: samples.as_deref_mut(),
            };
            process_part(xml, name, ctx, &mut sink, &mut report)?
        };
        if changed {
            rewritten.insert(name.to_lowercase(), out.into_inner());
            report.parts_rewritten.push(name.clone());
        }
    }
    Ok((report, rewritten))
}

/// Copy the package, replacing the rewritten parts.
fn write_package(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    rewritten: &HashMap<String, Vec<u8>>,
) -> Result<Vec<u8>, ConvertError> {
    let werr = |e: ZipError| ConvertError::Write(e.to_string());
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(|e| zip_error("", e))?;
        let key = file
            .name()
            .map_err(|e| zip_error("", e))?
            .trim_start_matches('/')
            .to_lowercase();
        match rewritten.get(&key) {
            Some(data) => {
                let mut o = SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Deflated)
                    .compression_level(Some(REWRITE_DEFLATE_LEVEL));
                if let Some(t) = file.last_modified() {
                    o = o.last_modified_time(t);
                }
                let name = file.name().map_err(|e| zip_error("", e))?.to_string();
                drop(file);
                w.start_file(name, o).map_err(werr)?;
                w.write_all(data)
                    .map_err(|e| ConvertError::Write(e.to_string()))?;
            }
            None => w.raw_copy_file(file).map_err(werr)?,
        }
    }
    Ok(w.finish().map_err(werr)?.into_inner())
}

fn zip_error(part: &str, e: ZipError) -> ConvertError {
    let msg = e.to_string();
    match e {
        ZipError::InvalidPassword => IngestError::Encrypted.into(),
        _ if msg.to_ascii_lowercase().contains("password") => IngestError::Encrypted.into(),
        ZipError::Io(io) => io_error(part, u64::MAX, &io).into(),
        _ if part.is_empty() => IngestError::CorruptZip(msg).into(),
        _ => IngestError::CorruptZip(format!("{part}: {msg}")).into(),
    }
}

/// The zip package being read.
struct Pkg<'z, 'a> {
    zip: &'z mut ZipArchive<Cursor<&'a [u8]>>,
    names: &'z HashMap<String, usize>,
    limits: &'z Limits,
}

impl Pkg<'_, '_> {
    fn index(&self, name: &str) -> Option<usize> {
        self.names
            .get(&name.trim_start_matches('/').to_lowercase())
            .copied()
    }

    /// Inflate a part, capped at the size limit. `None` if absent.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ConvertError> {
        let Some(i) = self.index(name) else {
            return Ok(None);
        };
        let file = self.zip.by_index(i).map_err(|e| zip_error(name, e))?;
        let mut capped = Capped::new(file, self.limits.max_part_bytes);
        let mut out = Vec::new();
        capped
            .read_to_end(&mut out)
            .map_err(|e| io_error(name, self.limits.max_part_bytes, &e))?;
        Ok(Some(out))
    }

    /// (kind, resolved target) of the relationships in a `.rels` part.
    fn rels(&mut self, name: &str, base_dir: &str) -> Result<Vec<(String, String)>, ConvertError> {
        let Some(xml) = self.read(name)? else {
            return Ok(Vec::new());
        };
        let mut r = NsReader::from_reader(&xml[..]);
        let mut out = Vec::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if attr_str(&e, "TargetMode").is_some_and(|m| m.trim() == "External") {
                        continue;
                    }
                    if let (Some(ty), Some(t)) = (attr_str(&e, "Type"), attr_str(&e, "Target")) {
                        let kind = ty.rsplit('/').next().unwrap_or("").to_string();
                        out.push((kind, resolve_target(base_dir, t.trim())));
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Value of an attribute by local name, unescaped.
fn attr_str<'a>(e: &'a BytesStart<'_>, local: &str) -> Option<Cow<'a, str>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| Cow::Owned(v.into_owned()))
        })
}

use crate::ingest::docx::resolve_target;

/// Shared state of one conversion.
struct Ctx<'a> {
    styles: &'a Styles,
    theme: &'a Theme,
    opts: &'a ConvertOptions,
    /// Fonts no name rule knows whose text was found to be legacy by content (or
    /// by [`font_name_hint`]), with their default encoding; each paragraph in them
    /// is converted with whichever of TCVN3 and VNI fits it ([`compare_legacy`]).
    legacy_fonts: HashMap<String, Encoding>,
    /// The encoding last chosen per font of [`Ctx::legacy_fonts`], for ties.
    last_choice: RefCell<HashMap<String, Encoding>>,
}

impl Ctx<'_> {
    /// The legacy class of a font name, by name rule.
    fn class(&self, font: &str) -> Option<FontClass> {
        classify_font(font)
    }

    /// Whether a font holds legacy text: by name rule or by content. Such font
    /// names are replaced by [`UNICODE_FONT`].
    fn is_legacy(&self, font: &str) -> bool {
        self.class(font).is_some() || self.legacy_fonts.contains_key(font.trim())
    }

    /// Font of a run: direct → character style → paragraph style → defaults.
    fn run_font(&self, para_style: Option<&str>, direct: &RProps) -> Option<std::sync::Arc<str>> {
        if let Some(f) = &direct.font {
            return Some(f.clone());
        }
        let s = self.styles;
        if let Some(f) = direct
            .style
            .as_deref()
            .and_then(|cs| s.run_props(cs).font.clone())
        {
            return Some(f);
        }
        let ps = para_style
            .filter(|p| s.is_paragraph_style(p))
            .or(s.default_para.as_deref());
        if let Some(f) = ps.and_then(|p| s.run_props(p).font.clone()) {
            return Some(f);
        }
        s.doc_r.font.clone()
    }
}

/// Where a processed part goes: the writer, and (when gathering) the text samples
/// per unknown font.
struct Sink<'s> {
    out: &'s mut Writer<Vec<u8>>,
    samples: Option<&'s mut BTreeMap<String, String>>,
}

fn is_w(res: &ResolveResult<'_>) -> bool {
    matches!(res, ResolveResult::Bound(Namespace(uri)) if W_NS.contains(uri))
}

fn xml_err(part: &str, pos: u64, e: impl std::fmt::Display) -> ConvertError {
    IngestError::Xml {
        part: part.to_string(),
        pos,
        msg: e.to_string(),
    }
    .into()
}

fn write_ev(w: &mut Writer<Vec<u8>>, ev: Event<'_>) -> Result<(), ConvertError> {
    w.write_event(ev)
        .map_err(|e| ConvertError::Write(e.to_string()))
}

/// Stream one text part; returns whether anything changed.
fn process_part(
    xml: &[u8],
    part: &str,
    ctx: &Ctx<'_>,
    sink: &mut Sink<'_>,
    report: &mut ConvertReport,
) -> Result<bool, ConvertError> {
    let limits = &ctx.opts.limits;
    let mut r = NsReader::from_reader(xml);
    {
        let c = r.config_mut();
        c.trim_text(false);
        c.expand_empty_elements = false;
        c.check_end_names = true;
    }
    r.resolver_mut().set_max_namespace_bindings(256);
    let mut depth = 0usize;
    let mut changed = false;
    // the paragraph being buffered, with the depth its w:p opened at
    let mut para: Vec<(bool, Event<'_>)> = Vec::new();
    let mut para_depth: Option<usize> = None;
    let mut para_chars = 0usize;
    let mut para_counter = 0usize;
    loop {
        let (w, ev) = match r.read_resolved_event() {
            Ok((res, ev)) => (is_w(&res), ev),
            Err(e) => return Err(xml_err(part, r.error_position(), e)),
        };
        match &ev {
            Event::Start(_) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(IngestError::TooDeep(limits.max_depth).into());
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if para_depth.is_some() => {
                para_chars += t.len();
                if para_chars > limits.max_paragraph_chars {
                    return Err(IngestError::ParagraphTooLong {
                        part: part.to_string(),
                        limit: limits.max_paragraph_chars,
                    }
                    .into());
                }
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(xml_err(
                        part,
                        r.buffer_position(),
                        "unexpected end of file: elements left open",
                    ));
                }
                break;
            }
            _ => {}
        }
        if para_depth.is_none() {
            if let (true, Event::Start(e)) = (w, &ev) {
                if e.local_name().as_ref() == "p" {
                    para_depth = Some(depth);
                    para_chars = 0;
                    para.push((w, ev));
                    continue;
                }
            }
            let ev = rename_in_event(ev, w, ctx, &mut changed, report);
            write_ev(sink.out, ev)?;
            continue;
        }
        let closes = matches!(ev, Event::End(_)) && para_depth.is_some_and(|d| depth + 1 == d);
        para.push((w, ev));
        if para.len() > limits.max_paragraph_chars {
            return Err(IngestError::ParagraphTooLong {
                part: part.to_string(),
                limit: limits.max_paragraph_chars,
            }
            .into());
        }
        if closes {
            let events = std::mem::take(&mut para);
            para_depth = None;
            changed |= process_paragraph(events, part, &mut para_counter, ctx, sink, report)?;
        }
    }
    Ok(changed)
}

/// A piece of run text: a `w:t` (events `start..=end`) or a `w:softHyphen`.
#[derive(Debug)]
struct Seg {
    start: usize,
    end: usize,
    hyphen: bool,
    text: String,
    /// The text as read, before a VNI mark was moved.
    orig: String,
    out: Option<String>,
}

#[derive(Debug, Default)]
struct RunInfo {
    para: usize,
    para_style: Option<String>,
    direct: RProps,
    segs: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    P(usize),
    PPr(usize),
    Run(usize),
    RPr(usize),
    T(usize),
    Other,
}

/// Convert one buffered paragraph (nested paragraphs included) and write it.
fn process_paragraph(
    events: Vec<(bool, Event<'_>)>,
    part: &str,
    para_counter: &mut usize,
    ctx: &Ctx<'_>,
    sink: &mut Sink<'_>,
    report: &mut ConvertReport,
) -> Result<bool, ConvertError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut para_styles: Vec<Option<String>> = Vec::new();
    let mut runs: Vec<RunInfo> = Vec::new();
    let mut segs: Vec<Seg> = Vec::new();
    let first_para = *para_counter;
    for (i, (w, ev)) in events.iter().enumerate() {
        let top = stack.last().copied();
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let start = matches!(ev, Event::Start(_));
                let name = if *w { e.local_name().into_inner() } else { "" };
                let frame = match (top, name) {
                    (_, "p") => {
                        para_styles.push(None);
                        Frame::P(para_styles.len() - 1)
                    }
                    (Some(Frame::P(p)), "pPr") => Frame::PPr(p),
                    (Some(Frame::PPr(p)), "pStyle") => {
                        if let (Some(v), Some(slot)) = (attr_str(e, "val"), para_styles.get_mut(p))
                        {
                            *slot = Some(v.trim().to_string());
                        }
                        Frame::Other
                    }
                    (_, "r") if start => {
                        let para = stack
                            .iter()
                            .rev()
                            .find_map(|f| match f {
                                Frame::P(p) => Some(*p),
                                _ => None,
                            })
                            .unwrap_or(0);
                        runs.push(RunInfo {
                            para,
                            para_style: para_styles.get(para).cloned().flatten(),
                            ..RunInfo::default()
                        });
                        Frame::Run(runs.len() - 1)
                    }
                    (Some(Frame::Run(r)), "rPr") => Frame::RPr(r),
                    (Some(Frame::RPr(r)), n) => {
                        if let Some(run) = runs.get_mut(r) {
                            apply_rpr(n, e, &mut run.direct, ctx.theme);
                        }
                        Frame::Other
                    }
                    (Some(Frame::Run(r)), "t") => {
                        segs.push(Seg {
                            start: i,
                            end: i,
                            hyphen: false,
                            text: String::new(),
                            orig: String::new(),
                            out: None,
                        });
                        if let Some(run) = runs.get_mut(r) {
                            run.segs.push(segs.len() - 1);
                        }
                        Frame::T(segs.len() - 1)
                    }
                    (Some(Frame::Run(r)), "softHyphen") if !start => {
                        segs.push(Seg {
                            start: i,
                            end: i,
                            hyphen: true,
                            text: "\u{AD}".to_string(),
                            orig: String::new(),
                            out: None,
                        });
                        if let Some(run) = runs.get_mut(r) {
                            run.segs.push(segs.len() - 1);
                        }
                        Frame::Other
                    }
                    _ => Frame::Other,
                };
                if start {
                    stack.push(frame);
                } else if let Frame::T(s) = frame {
                    // an empty <w:t/>: nothing to convert
                    if let Some(seg) = segs.get_mut(s) {
                        seg.end = usize::MAX;
                    }
                }
            }
            Event::End(_) => {
                if let Some(Frame::T(s)) = stack.pop() {
                    if let Some(seg) = segs.get_mut(s) {
                        seg.end = i;
                    }
                }
            }
            Event::Text(t) => {
                if let Some(Frame::T(s)) = top {
                    if let Some(seg) = segs.get_mut(s) {
                        seg.text.push_str(&t.xml10_content());
                    }
                }
            }
            Event::CData(c) => {
                if let Some(Frame::T(s)) = top {
                    if let Some(seg) = segs.get_mut(s) {
                        seg.text.push_str(&c.xml10_content());
                    }
                }
            }
            Event::GeneralRef(g) => {
                if let (Some(Frame::T(s)), Some(rt)) = (top, ref_text(g)) {
                    if let Some(seg) = segs.get_mut(s) {
                        rt.push_to(&mut seg.text);
                    }
                }
            }
            _ => {}
        }
    }
    *para_counter += para_styles.len();
    segs.retain_mut(|s| {
        s.orig.clone_from(&s.text);
        s.end != usize::MAX || s.hyphen
    });
    // indices of segments changed by retain: rebuild run → seg lists
    let mut by_start: HashMap<usize, usize> = HashMap::new();
    for (k, s) in segs.iter().enumerate() {
        by_start.insert(s.start, k);
    }
    for run in &mut runs {
        run.segs.clear();
    }
    // each seg belongs to the innermost run open at its start: recompute by scan
    {
        let mut run_stack: Vec<usize> = Vec::new();
        let mut next_run = 0usize;
        let mut depth_stack: Vec<bool> = Vec::new();
        for (i, (w, ev)) in events.iter().enumerate() {
            match ev {
                Event::Start(e) => {
                    let is_run = *w && e.local_name().as_ref() == "r";
                    if is_run {
                        run_stack.push(next_run);
                        next_run += 1;
                    }
                    depth_stack.push(is_run);
                }
                Event::End(_) if depth_stack.pop() == Some(true) => {
                    run_stack.pop();
                }
                _ => {}
            }
            if let (Some(&k), Some(&r)) = (by_start.get(&i), run_stack.last()) {
                if let Some(run) = runs.get_mut(r) {
                    run.segs.push(k);
                }
            }
        }
    }

    // classify runs
    let run_text = |run: &RunInfo, segs: &[Seg]| -> String {
        run.segs
            .iter()
            .filter_map(|&k| segs.get(k))
            .map(|s| s.text.as_str())
            .collect()
    };
    let mut classes: Vec<Option<FontClass>> = Vec::with_capacity(runs.len());
    let mut unknown_font: Vec<Option<std::sync::Arc<str>>> = Vec::with_capacity(runs.len());
    let mut mixed_default: Vec<Option<Encoding>> = Vec::with_capacity(runs.len());
    for run in &runs {
        let font = ctx.run_font(run.para_style.as_deref(), &run.direct);
        let class = font.as_deref().and_then(|f| ctx.class(f));
        classes.push(class);
        mixed_default.push(
            font.as_deref()
                .filter(|_| class.is_none())
                .and_then(|f| ctx.legacy_fonts.get(f.trim()).copied()),
        );
        unknown_font.push(if class.is_none() { font } else { None });
    }

    if let Some(samples) = sink.samples.as_deref_mut() {
        for (k, run) in runs.iter().enumerate() {
            if let Some(Some(font)) = unknown_font.get(k) {
                let text = run_text(run, &segs);
                if text.is_ascii() {
                    continue;
                }
                let s = samples.entry(font.trim().to_string()).or_default();
                if s.len() < FONT_SAMPLE_CHARS {
                    s.push_str(&text);
                    s.push(' ');
                }
            }
        }
    }

    // runs in a font named TCVN3 or VNI whose paragraph is plainly in the other one;
    // the answers are kept, since a paragraph of one run asks again for that run below
    let mut contra_seen: HashMap<(String, Encoding), Option<Encoding>> = HashMap::new();
    let mut contradicts = |text: String, enc: Encoding| -> Option<Encoding> {
        *contra_seen
            .entry((text, enc))
            .or_insert_with_key(|(t, e)| contradicts_font(t, *e))
    };
    let n_paras = para_styles.len();
    for p in 0..n_paras {
        for enc in [Encoding::Tcvn3, Encoding::Vni] {
            let named: Vec<usize> = (0..runs.len())
                .filter(|&k| {
                    runs.get(k).is_some_and(|r| r.para == p)
                        && classes
                            .get(k)
                            .copied()
                            .flatten()
                            .is_some_and(|c| c.encoding == enc && !c.uppercase)
                })
                .collect();
            let text: String = named
                .iter()
                .filter_map(|&k| runs.get(k))
                .map(|r| run_text(r, &segs))
                .collect();
            if let Some(other) = contradicts(text, enc) {
                for &k in &named {
                    if let Some(Some(c)) = classes.get_mut(k) {
                        c.encoding = other;
                    }
                }
            }
        }
    }

    // runs with no legacy font: --from, or per-paragraph detection
    for p in 0..n_paras {
        // runs in fonts of mixed legacy text: TCVN3 or VNI, whichever fits this paragraph
        let mixed: Vec<usize> = (0..runs.len())
            .filter(|&k| {
                runs.get(k).is_some_and(|r| r.para == p)
                    && classes.get(k) == Some(&None)
                    && mixed_default.get(k).copied().flatten().is_some()
            })
            .collect();
        let first = mixed.first().copied();
        let font = first
            .and_then(|k| unknown_font.get(k).cloned().flatten())
            .map(|f| f.trim().to_string());
        if let (Some(default), Some(font)) = (
            first.and_then(|k| mixed_default.get(k).copied().flatten()),
            font,
        ) {
            let text: String = mixed
                .iter()
                .filter_map(|&k| runs.get(k))
                .map(|r| run_text(r, &segs))
                .collect();
            let choice = match compare_legacy(&text) {
                LegacyChoice::Pick(enc) => {
                    ctx.last_choice.borrow_mut().insert(font, enc);
                    Some(enc)
                }
                LegacyChoice::Tie => Some(
                    ctx.last_choice
                        .borrow()
                        .get(&font)
                        .copied()
                        .unwrap_or(default),
                ),
                LegacyChoice::Leave => None,
            };
            if let Some(encoding) = choice {
                for &k in &mixed {
                    if let Some(c) = classes.get_mut(k) {
                        *c = Some(FontClass {
                            encoding,
                            uppercase: false,
                        });
                    }
                }
            }
        }
        let members: Vec<usize> = (0..runs.len())
            .filter(|&k| {
                runs.get(k).is_some_and(|r| r.para == p)
                    && classes.get(k) == Some(&None)
                    && !mixed.contains(&k)
            })
            .collect();
        let text: String = members
            .iter()
            .filter_map(|&k| runs.get(k))
            .map(|r| run_text(r, &segs))
            .collect();
        if text.is_empty() || (ctx.opts.from.is_none() && text.is_ascii()) {
            continue;
        }
        let enc = if let Some(enc) = ctx.opts.from {
            Some(enc)
        } else if ctx.opts.detect {
            let d = detect(&text);
            match d.encoding {
                Some(enc) => {
                    report.paragraphs_detected.push(ParagraphDecision {
                        part: part.to_string(),
                        paragraph: first_para + p,
                        encoding: enc.name().to_string(),
                        score_before: d.score_before,
                        score_after: d.score_after,
                    });
                }
                None => report.paragraphs_left += 1,
            }
            d.encoding
        } else {
            None
        };
        if let Some(encoding) = enc {
            for &k in &members {
                if let Some(c) = classes.get_mut(k) {
                    *c = Some(FontClass {
                        encoding,
                        uppercase: false,
                    });
                }
            }
        }
    }

    // a run plainly typed in the other of TCVN3 and VNI than its paragraph's choice
    for (k, run) in runs.iter().enumerate() {
        let Some(Some(class)) = classes.get(k).copied() else {
            continue;
        };
        if class.uppercase {
            continue;
        }
        if let Some(other) = contradicts(run_text(run, &segs), class.encoding) {
            if let Some(Some(c)) = classes.get_mut(k) {
                c.encoding = other;
            }
        }
    }

    // guard
    let mut active: Vec<Option<FontClass>> = Vec::with_capacity(runs.len());
    for (k, run) in runs.iter().enumerate() {
        let class = classes.get(k).copied().flatten();
        let text = run_text(run, &segs);
        if class.is_some() && has_vietnamese_only_letters(&text) {
            report.runs_guarded += 1;
            active.push(None);
        } else if text.is_empty() {
            active.push(None);
        } else {
            active.push(class);
        }
    }

    // VNI: pull a mark byte that starts a run back onto the letter ending the previous one
    let order: Vec<(usize, usize)> = runs
        .iter()
        .enumerate()
        .flat_map(|(k, r)| r.segs.iter().map(move |&s| (k, s)))
        .collect();
    for pair in order.windows(2) {
        let [(ra, sa), (rb, sb)] = pair else { continue };
        let vni = |k: usize| matches!(active.get(k), Some(Some(c)) if c.encoding == Encoding::Vni);
        let same_para = runs.get(*ra).map(|r| r.para) == runs.get(*rb).map(|r| r.para);
        if !(vni(*ra) && vni(*rb) && same_para && (ra == rb || ra + 1 == *rb)) {
            continue;
        }
        let ends_letter = segs
            .get(*sa)
            .and_then(|s| s.text.chars().last())
            .is_some_and(char::is_alphabetic);
        let mark = segs
            .get(*sb)
            .and_then(|s| s.text.chars().next())
            .filter(|&c| is_vni_mark(c));
        if let (true, Some(m)) = (ends_letter, mark) {
            if let Some(b) = segs.get_mut(*sb) {
                b.text.remove(0);
            }
            if let Some(a) = segs.get_mut(*sa) {
                a.text.push(m);
            }
        }
    }

    // convert
    let mut changed = false;
    for (k, run) in runs.iter().enumerate() {
        let Some(Some(class)) = active.get(k).copied() else {
            continue;
        };
        *report
            .runs_converted
            .entry(class.encoding.name().to_string())
            .or_default() += 1;
        for &s in &run.segs {
            let Some(seg) = segs.get_mut(s) else { continue };
            let mut out = convert(&seg.text, class.encoding);
            if class.uppercase {
                out = out.to_uppercase().nfc().collect();
            }
            seg.out = Some(out);
        }
    }
    // the original text of a seg is needed to see whether it changed
    let mut repl: HashMap<usize, usize> = HashMap::new();
    for (k, seg) in segs.iter().enumerate() {
        if seg.out.is_some() {
            repl.insert(seg.start, k);
        }
    }

    let out = &mut *sink.out;
    let mut skip_until: Option<usize> = None;
    for (i, (w, ev)) in events.into_iter().enumerate() {
        if let Some(end) = skip_until {
            if i < end {
                continue;
            }
            skip_until = None;
        }
        let Some(seg) = repl.get(&i).and_then(|&k| segs.get(k)) else {
            let ev = rename_in_event(ev, w, ctx, &mut changed, report);
            write_ev(out, ev)?;
            continue;
        };
        let new = seg.out.as_deref().unwrap_or_default();
        if new == seg.orig {
            let ev = rename_in_event(ev, w, ctx, &mut changed, report);
            write_ev(out, ev)?;
            continue;
        }
        if seg.hyphen {
            if new == "\u{AD}" {
                write_ev(out, ev)?;
                continue;
            }
            changed = true;
            let Event::Empty(e) = &ev else {
                write_ev(out, ev)?;
                continue;
            };
            let tname = sibling_name(e.name(), "t");
            let mut start = BytesStart::new(tname.clone());
            start.push_attribute(("xml:space", "preserve"));
            write_ev(out, Event::Start(start))?;
            write_ev(out, Event::Text(BytesText::new(new)))?;
            write_ev(out, Event::End(BytesEnd::new(tname)))?;
            continue;
        }
        // a w:t: Start at i, End at seg.end
        changed = true;
        let start = match ev {
            Event::Start(e) => ensure_preserve(e, new),
            other => {
                write_ev(out, other)?;
                continue;
            }
        };
        write_ev(out, Event::Start(start))?;
        if !new.is_empty() {
            write_ev(out, Event::Text(BytesText::new(new)))?;
        }
        skip_until = Some(seg.end);
    }
    Ok(changed)
}

/// Whether `c` is a VNI mark byte (as its cp1252 character).
fn is_vni_mark(c: char) -> bool {
    super::tables::VNI_MARKS.iter().any(|(k, _)| {
        let mut it = k.chars();
        it.next() == Some(c) && it.next().is_none()
    })
}

/// `prefix:local` with the prefix of `name`.
fn sibling_name(name: QName<'_>, local: &str) -> String {
    match name.prefix() {
        Some(p) => format!("{}:{local}", p.as_ref()),
        None => local.to_string(),
    }
}

/// Add `xml:space="preserve"` when the new text has edge whitespace and the element lacks it.
fn ensure_preserve<'a>(e: BytesStart<'a>, text: &str) -> BytesStart<'a> {
    let edges = text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace);
    let has = e
        .attributes()
        .with_checks(false)
        .flatten()
        .any(|a| a.key.as_ref() == "xml:space");
    if edges && !has {
        let mut e = e;
        e.push_attribute(("xml:space", "preserve"));
        e
    } else {
        e
    }
}

/// Which attributes of an element name a font, by element local name.
fn font_attr(element: &str, attr: &str, w: bool) -> bool {
    match element {
        "rFonts" if w => matches!(attr, "ascii" | "hAnsi" | "cs" | "eastAsia"),
        "font" if w => attr == "name",
        "altName" if w => attr == "val",
        "latin" | "ea" | "cs" | "font" if !w => attr == "typeface",
        _ => false,
    }
}

/// Replace legacy font names in the attributes of a start or empty element.
fn rename_in_event<'a>(
    ev: Event<'a>,
    w: bool,
    ctx: &Ctx<'_>,
    changed: &mut bool,
    report: &mut ConvertReport,
) -> Event<'a> {
    match ev {
        Event::Start(e) => Event::Start(rename_attrs(e, w, ctx, changed, report)),
        Event::Empty(e) => Event::Empty(rename_attrs(e, w, ctx, changed, report)),
        other => other,
    }
}

fn rename_attrs<'a>(
    e: BytesStart<'a>,
    w: bool,
    ctx: &Ctx<'_>,
    changed: &mut bool,
    report: &mut ConvertReport,
) -> BytesStart<'a> {
    let local: &'static str = match e.local_name().into_inner() {
        "rFonts" => "rFonts",
        "font" => "font",
        "altName" => "altName",
        "latin" => "latin",
        "ea" => "ea",
        "cs" => "cs",
        _ => return e,
    };
    let legacy = |a: &Attribute<'_>| {
        font_attr(local, a.key.local_name().as_ref(), w)
            && a.normalized_value(XmlVersion::Implicit1_0)
                .is_ok_and(|v| ctx.is_legacy(&v))
    };
    let any = e
        .attributes()
        .with_checks(false)
        .flatten()
        .any(|a| legacy(&a));
    if !any {
        return e;
    }
    let name = e.name().as_ref().to_string();
    let mut n = BytesStart::new(name);
    for a in e.attributes().with_checks(false).flatten() {
        if legacy(&a) {
            report.fonts_renamed += 1;
            n.push_attribute(Attribute {
                key: a.key,
                value: Cow::Borrowed(UNICODE_FONT),
            });
        } else {
            n.push_attribute(a);
        }
    }
    *changed = true;
    n
}

/// Rename legacy fonts in styles, font table or theme; `None` if unchanged.
fn rename_fonts_part(
    xml: &[u8],
    part: &str,
    ctx: &Ctx<'_>,
    report: &mut ConvertReport,
) -> Result<Option<Vec<u8>>, ConvertError> {
    let mut r = NsReader::from_reader(xml);
    r.config_mut().trim_text(false);
    r.resolver_mut().set_max_namespace_bindings(256);
    let mut out = Writer::new(Vec::with_capacity(xml.len()));
    let mut changed = false;
    let mut depth = 0usize;
    loop {
        let (w, ev) = match r.read_resolved_event() {
            Ok((res, ev)) => (is_w(&res), ev),
            Err(e) => return Err(xml_err(part, r.error_position(), e)),
        };
        match &ev {
            Event::Eof => break,
            Event::Start(_) => {
                depth += 1;
                if depth > ctx.opts.limits.max_depth {
                    return Err(IngestError::TooDeep(ctx.opts.limits.max_depth).into());
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let ev = rename_in_event(ev, w, ctx, &mut changed, report);
        write_ev(&mut out, ev)?;
    }
    Ok(changed.then(|| out.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve() {
        assert_eq!(resolve_target("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve_target("word", "../x/y.xml"), "x/y.xml");
        assert_eq!(
            resolve_target("", "/word/document.xml"),
            "word/document.xml"
        );
    }

    #[test]
    fn rejects_non_zip() {
        let e = convert_docx(b"hello", &ConvertOptions::default()).unwrap_err();
        assert!(e.to_string().contains("not a DOCX"), "{e}");
        let e =
            convert_docx(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], &ConvertOptions::default()).unwrap_err();
        assert!(e.to_string().contains(".doc"), "{e}");
        let e = convert_docx(b"PK\x03\x04garbage", &ConvertOptions::default()).unwrap_err();
        assert!(e.to_string().contains("corrupt"), "{e}");
    }

    #[test]
    fn vni_marks() {
        assert!(is_vni_mark('ù'));
        assert!(!is_vni_mark('a'));
    }
}
