//! Streaming DOCX (WordprocessingML) reader → [`crate::doctree::Document`].
//!
//! The package is opened with `zip`; each XML part is inflated into one buffer,
//! stopping at [`Limits::max_part_bytes`] (a zip bomb is an error, never held
//! whole), and read event by event with `quick_xml`. Holding the part lets the
//! reader pass over a subtree unread: markup that cannot hold text, and run,
//! paragraph and cell properties it has read before. Elements are matched on
//! their namespace URI (transitional and Strict WordprocessingML, any prefix).
//!
//! What is read:
//! * body text with tracked insertions (deletions dropped), content controls,
//!   smart tags, custom XML, hyperlinks, simple and complex fields (the result,
//!   not the code), text boxes (once, after the anchoring paragraph);
//! * run formatting (bold, italic, underline, size) and the font resolved
//!   through the run, its character style, the paragraph style chain, the
//!   document defaults and the theme;
//! * paragraph alignment, indent, spacing and style name; automatic list labels;
//! * tables (grid widths, column spans, vertical merges, nested tables);
//! * sections (page size, orientation, margins, first-page title flag);
//! * headers and footers, into [`Document::page_chrome`].

mod body;
mod numbering;
pub(crate) mod styles;
mod tokens;
pub(crate) mod xml;

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::Path;

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use self::body::{BodyParser, Ctx, PartOutput, RawSection, SectProps};
use self::numbering::{parse_numbering, Numbering};
use self::styles::{parse_styles, parse_theme, Styles, Theme};
use self::xml::{attr, io_error, local, Capped, Ev, XmlReader};
use crate::doctree::{Document, PageNumbering, Section};
use crate::ingest::{IngestError, Limits};

/// Signature of an OLE compound file (encrypted OOXML, legacy `.doc`).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The usual name of the main document part.
const DEFAULT_MAIN: &str = "word/document.xml";

/// Read a DOCX file from disk.
pub fn read_docx_path(path: &Path, limits: &Limits) -> Result<Document, IngestError> {
    let bytes = std::fs::read(path)?;
    read_docx(&bytes, limits)
}

/// Read a DOCX package held in memory.
///
/// Errors name the reason in plain English (not a zip, corrupt zip, encrypted,
/// missing `word/document.xml`, invalid XML, a part inflating past
/// [`Limits::max_part_bytes`], nesting past [`Limits::max_depth`], a paragraph
/// past [`Limits::max_paragraph_chars`]). Bad attribute values are ignored.
pub fn read_docx(bytes: &[u8], limits: &Limits) -> Result<Document, IngestError> {
    if bytes.starts_with(&OLE_MAGIC[..4]) {
        return Err(IngestError::Encrypted);
    }
    let mut pkg = Package::open(bytes)?;

    let main = pkg.main_part(limits)?;
    let rels = pkg.rels_of(&main, limits)?;
    // a part named by the document's relationships, else its usual name
    let find = |kind: &str, usual: &str| -> String {
        rels.iter()
            .find(|r| r.kind == kind)
            .map_or_else(|| usual.to_string(), |r| r.target.clone())
    };

    let theme_name = find("theme", "word/theme/theme1.xml");
    let styles_name = find("styles", "word/styles.xml");
    let key = StylesKey {
        theme: pkg.raw(&theme_name)?,
        styles: pkg.raw(&styles_name)?,
        limits: *limits,
    };
    let cached = styles_cache::get(&key);
    let theme_styles = match cached {
        Some(ts) => ts,
        None => {
            // The closures below are not redundant: they make the calls generic over
            // the lifetime of the zip entry, which a plain fn item is not.
            #[allow(clippy::redundant_closure)]
            let theme: Theme = pkg
                .parse_aux(&theme_name, limits, |x| parse_theme(x))?
                .unwrap_or_default();
            let styles: Styles = pkg
                .parse_aux(&styles_name, limits, |x| parse_styles(x, &theme))?
                .unwrap_or_default();
            styles_cache::put(key, (theme, styles))
        }
    };
    let (theme, styles) = &*theme_styles;
    #[allow(clippy::redundant_closure)]
    let numbering: Numbering = pkg
        .parse_aux(&find("numbering", "word/numbering.xml"), limits, |x| {
            parse_numbering(x)
        })?
        .unwrap_or_default();

    let ctx = || Ctx {
        styles,
        numbering: &numbering,
        theme,
        limits,
    };
    let body = pkg
        .parse_part(&main, limits, |x| BodyParser::new(ctx(), &main).run(x))?
        .ok_or_else(|| IngestError::MissingPart(DEFAULT_MAIN.to_string()))?;

    // headers and footers: those the sections reference first, then the rest
    let by_id: HashMap<&str, &Rel> = rels.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let all_sects = body
        .sections
        .iter()
        .map(|s| &s.props)
        .chain(body.final_sect.iter());
    for props in all_sects {
        for (_, rid) in &props.refs {
            if let Some(r) = by_id.get(rid.as_str()) {
                if matches!(r.kind.as_str(), "header" | "footer") && seen.insert(r.target.clone()) {
                    order.push(r.target.clone());
                }
            }
        }
    }
    let mut rest: Vec<String> = rels
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "header" | "footer"))
        .map(|r| r.target.clone())
        .filter(|t| !seen.contains(t))
        .collect();
    rest.sort();
    rest.dedup();
    order.extend(rest);

    let mut page_chrome = Vec::new();
    let mut page_field: HashMap<String, bool> = HashMap::new();
    for target in &order {
        let parsed = pkg.parse_aux(target, limits, |x| BodyParser::new(ctx(), target).run(x))?;
        if let Some(out) = parsed {
            page_field.insert(target.clone(), out.has_page_field);
            page_chrome.extend(collect_blocks(out));
        }
    }

    let default_size_pt = styles
        .doc_r
        .size_half
        .or_else(|| {
            styles
                .default_para
                .as_deref()
                .and_then(|id| styles.run_props(id).size_half)
        })
        .map(|h| h / 2.0);
    let number_size = default_size_pt
        .map(|s| s.round().clamp(1.0, 255.0) as u8)
        .unwrap_or(12);

    let mut raw: Vec<RawSection> = body.sections;
    if body.final_sect.is_some() || !body.tail.is_empty() || raw.is_empty() {
        raw.push(RawSection {
            props: body.final_sect.unwrap_or_default(),
            blocks: body.tail,
        });
    }
    let mut inherited: HashMap<String, String> = HashMap::new();
    let sections = raw
        .into_iter()
        .map(|s| {
            for (kind, rid) in &s.props.refs {
                if let Some(r) = by_id.get(rid.as_str()) {
                    inherited.insert(kind.clone(), r.target.clone());
                }
            }
            let show = inherited
                .values()
                .any(|t| page_field.get(t).copied().unwrap_or(false));
            section(&s.props, s.blocks, show, number_size)
        })
        .collect();

    Ok(Document {
        sections,
        page_chrome,
        default_size_pt,
    })
}

fn section(
    props: &SectProps,
    blocks: Vec<crate::doctree::Block>,
    show: bool,
    size_pt: u8,
) -> Section {
    Section {
        page: props.page(),
        numbering: PageNumbering {
            show,
            hide_on_first: props.title_pg,
            restart_at: props.restart_at,
            size_pt,
        },
        blocks,
    }
}

/// All blocks of a header or footer part, in order.
fn collect_blocks(out: PartOutput) -> Vec<crate::doctree::Block> {
    let mut v: Vec<_> = out.sections.into_iter().flat_map(|s| s.blocks).collect();
    v.extend(out.tail);
    v
}

/// A relationship of a part.
#[derive(Debug, Clone)]
struct Rel {
    id: String,
    /// Last segment of the relationship type ("styles", "header", …).
    kind: String,
    /// Target part name, resolved to a package path.
    target: String,
}

/// What the theme and styles of a package are parsed from: both parts as stored in
/// the zip ([`Package::raw`]), and the limits they were read under.
#[derive(PartialEq, Eq)]
struct StylesKey {
    theme: Option<Vec<u8>>,
    styles: Option<Vec<u8>>,
    limits: Limits,
}

/// The buffer a part is inflated into, kept by each thread for its next part. A new
/// buffer for a large part (the main document of an annex inflates to tens of MiB)
/// is fresh memory that the system must fault in and zero page by page: ~5% of the
/// time of reading the real corpus.
mod spare {
    use std::cell::Cell;

    thread_local! {
        static SPARE: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }

    /// A buffer larger than this is not kept.
    const KEEP_AT_MOST: usize = 64 << 20;

    /// The thread's spare buffer (empty), or a new one.
    pub(super) fn take() -> Vec<u8> {
        SPARE.with(Cell::take)
    }

    /// Keep `buf` for the next part, unless the thread holds a larger one.
    pub(super) fn give_back(mut buf: Vec<u8>) {
        if buf.capacity() > KEEP_AT_MOST {
            return;
        }
        buf.clear();
        SPARE.with(|s| {
            let held = s.take();
            s.set(if held.capacity() >= buf.capacity() {
                held
            } else {
                buf
            });
        });
    }
}

/// Theme and styles already parsed in this process. The documents of one office
/// share their template's `styles.xml` (350 KB in Word's default template, most of it
/// table styles), so a batch inflates and parses it once; a hit is decided on the
/// stored bytes themselves, not a hash of them.
mod styles_cache {
    use std::sync::{Arc, Mutex};

    use super::{Styles, StylesKey, Theme};

    /// Distinct parts kept; the oldest is dropped past this.
    const CAPACITY: usize = 8;

    type Entry = (StylesKey, Arc<(Theme, Styles)>);

    static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

    pub(super) fn get(key: &StylesKey) -> Option<Arc<(Theme, Styles)>> {
        let cache = CACHE.lock().ok()?;
        cache.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub(super) fn put(key: StylesKey, parsed: (Theme, Styles)) -> Arc<(Theme, Styles)> {
        let parsed = Arc::new(parsed);
        if let Ok(mut cache) = CACHE.lock() {
            if !cache.iter().any(|(k, _)| *k == key) {
                if cache.len() >= CAPACITY {
                    cache.remove(0);
                }
                cache.push((key, parsed.clone()));
            }
        }
        parsed
    }
}

/// The zip package.
struct Package<'a> {
    /// The package as read.
    bytes: &'a [u8],
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → entry index (OPC names are case-insensitive).
    names: HashMap<String, usize>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, IngestError> {
        if !bytes.starts_with(b"PK") {
            return Err(IngestError::NotZip);
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            ZipError::InvalidPassword | ZipError::UnsupportedArchive(_)
                if e.to_string().to_ascii_lowercase().contains("password") =>
            {
                IngestError::Encrypted
            }
            other => IngestError::CorruptZip(other.to_string()),
        })?;
        let mut names = HashMap::new();
        for (i, name) in zip.file_names().enumerate() {
            if let Ok(n) = name {
                names
                    .entry(n.trim_start_matches('/').to_lowercase())
                    .or_insert(i);
            }
        }
        Ok(Package { bytes, zip, names })
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names
            .get(&name.trim_start_matches('/').to_lowercase())
            .copied()
    }

    /// What identifies a part's content: its CRC-32 and inflated size as the zip
    /// states them, its compression method, then its bytes as stored (compressed).
    /// `None` if the part does not exist.
    fn raw(&mut self, name: &str) -> Result<Option<Vec<u8>>, IngestError> {
        let Some(i) = self.index(name) else {
            return Ok(None);
        };
        let mut file = self
            .zip
            .by_index_raw(i)
            .map_err(|e| zip_entry_error(name, e))?;
        let stored = usize::try_from(file.compressed_size()).unwrap_or(0);
        // the header's size is not trusted for the allocation
        let mut out = Vec::with_capacity(stored.min(1 << 20) + 16);
        out.extend_from_slice(&file.crc32().to_le_bytes());
        out.extend_from_slice(&file.size().to_le_bytes());
        out.extend_from_slice(format!("{:?}", file.compression()).as_bytes());
        out.push(0);
        file.read_to_end(&mut out)
            .map_err(|e| io_error(name, u64::MAX, &e))?;
        Ok(Some(out))
    }

    /// Parse a part with `f`. `Ok(None)` if the part does not exist.
    ///
    /// The part is inflated whole first (up to [`Limits::max_part_bytes`]), so that
    /// the reader can look at a subtree before reading it.
    fn parse_part<T>(
        &mut self,
        name: &str,
        limits: &Limits,
        f: impl FnOnce(&mut XmlReader<'_>) -> Result<T, IngestError>,
    ) -> Result<Option<T>, IngestError> {
        let Some(i) = self.index(name) else {
            return Ok(None);
        };
        let mut data = spare::take();
        let read = self
            .inflate(i, name, limits.max_part_bytes, &mut data)
            .and_then(|()| f(&mut XmlReader::new(&data, name, limits)));
        spare::give_back(data);
        read.map(Some)
    }

    /// The inflated content of entry `i` (named `name`), at most `limit` bytes, into
    /// `data` (empty).
    ///
    /// A deflated or stored entry is inflated straight from the package bytes
    /// into the buffer and its CRC-32 checked; anything else (encrypted, other
    /// methods) goes through the zip crate's reader.
    fn inflate(
        &mut self,
        i: usize,
        name: &str,
        limit: u64,
        data: &mut Vec<u8>,
    ) -> Result<(), IngestError> {
        let (method, encrypted, start, stored, size, crc) = {
            let f = self
                .zip
                .by_index_raw(i)
                .map_err(|e| zip_entry_error(name, e))?;
            (
                f.compression(),
                f.encrypted(),
                f.data_start(),
                f.compressed_size(),
                f.size(),
                f.crc32(),
            )
        };
        let raw = start.and_then(|s| {
            let s = usize::try_from(s).ok()?;
            let e = s.checked_add(usize::try_from(stored).ok()?)?;
            self.bytes.get(s..e)
        });
        match (method, encrypted, raw) {
            (CompressionMethod::Deflated, false, Some(raw)) => {
                inflate_raw(raw, size, limit, name, data)?;
            }
            (CompressionMethod::Stored, false, Some(raw)) => {
                if raw.len() as u64 > limit {
                    return Err(IngestError::TooLarge {
                        part: name.to_string(),
                        limit,
                    });
                }
                data.extend_from_slice(raw);
            }
            _ => {
                let file = self.zip.by_index(i).map_err(|e| zip_entry_error(name, e))?;
                // the header's size is not trusted for the allocation
                data.reserve(usize::try_from(size.min(limit)).unwrap_or(0).min(64 << 20));
                Capped::new(file, limit)
                    .read_to_end(data)
                    .map_err(|e| io_error(name, limit, &e))?;
                return Ok(());
            }
        }
        if crc32fast::hash(data) != crc {
            return Err(IngestError::CorruptZip(format!(
                "{name}: the content does not match its checksum (CRC-32)"
            )));
        }
        Ok(())
    }

    /// Parse an auxiliary part: an XML syntax error leaves it out (the document
    /// is still read); size, depth and zip errors are fatal.
    fn parse_aux<T>(
        &mut self,
        name: &str,
        limits: &Limits,
        f: impl FnOnce(&mut XmlReader<'_>) -> Result<T, IngestError>,
    ) -> Result<Option<T>, IngestError> {
        match self.parse_part(name, limits, f) {
            Err(IngestError::Xml { .. }) => Ok(None),
            other => other,
        }
    }

    /// Name of the main document part (from `_rels/.rels`, else `word/document.xml`).
    fn main_part(&mut self, limits: &Limits) -> Result<String, IngestError> {
        let rels = self
            .parse_aux("_rels/.rels", limits, |x| parse_rels(x, ""))?
            .unwrap_or_default();
        let main = rels
            .iter()
            .find(|r| r.kind == "officeDocument")
            .map(|r| r.target.clone())
            .filter(|t| self.index(t).is_some());
        match main {
            Some(m) => Ok(m),
            None if self.index(DEFAULT_MAIN).is_some() => Ok(DEFAULT_MAIN.to_string()),
            None => Err(IngestError::MissingPart(DEFAULT_MAIN.to_string())),
        }
    }

    /// Relationships of a part (`dir/_rels/name.rels`).
    fn rels_of(&mut self, part: &str, limits: &Limits) -> Result<Vec<Rel>, IngestError> {
        let (dir, file) = match part.rfind('/') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => ("", part),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        Ok(self
            .parse_aux(&rels_name, limits, |x| parse_rels(x, dir))?
            .unwrap_or_default())
    }
}

fn zip_entry_error(name: &str, e: ZipError) -> IngestError {
    match e {
        ZipError::InvalidPassword => IngestError::Encrypted,
        ZipError::UnsupportedArchive(m) if m.to_ascii_lowercase().contains("password") => {
            IngestError::Encrypted
        }
        ZipError::Io(io) => io_error(name, u64::MAX, &io),
        other => IngestError::CorruptZip(format!("{name}: {other}")),
    }
}

/// Inflate a raw deflate stream into one buffer, at most `limit` bytes; `stated`
/// (the size the zip claims) only sizes the first allocation.
fn inflate_raw(
    raw: &[u8],
    stated: u64,
    limit: u64,
    name: &str,
    out: &mut Vec<u8>,
) -> Result<(), IngestError> {
    use flate2::{Decompress, FlushDecompress, Status};
    let too_large = || IngestError::TooLarge {
        part: name.to_string(),
        limit,
    };
    let corrupt = |why: String| IngestError::CorruptZip(format!("{name}: {why}"));
    // one byte past the limit tells a part that is too large
    let room = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let first = usize::try_from(stated).unwrap_or(0).min(64 << 20);
    out.reserve(first.saturating_add(1).min(room));
    let mut d = Decompress::new(false);
    loop {
        if out.len() == out.capacity() {
            let more = out
                .capacity()
                .max(64 * 1024)
                .min(room.saturating_sub(out.len()));
            if more == 0 {
                return Err(too_large());
            }
            out.reserve_exact(more);
        }
        let (in_before, out_before) = (d.total_in(), d.total_out());
        let input = usize::try_from(in_before)
            .ok()
            .and_then(|k| raw.get(k..))
            .unwrap_or_default();
        let status = d
            .decompress_vec(input, out, FlushDecompress::Finish)
            .map_err(|e| corrupt(e.to_string()))?;
        if out.len() >= room {
            return Err(too_large());
        }
        match status {
            Status::StreamEnd => return Ok(()),
            _ if out.len() < out.capacity()
                && d.total_in() == in_before
                && d.total_out() == out_before =>
            {
                return Err(corrupt("the compressed data ends early".into()));
            }
            _ => {}
        }
    }
}

/// Read a relationships part; targets are resolved against `base_dir`.
fn parse_rels(x: &mut XmlReader<'_>, base_dir: &str) -> Result<Vec<Rel>, IngestError> {
    let mut out = Vec::new();
    loop {
        match x.next()? {
            Ev::Start(_, e) | Ev::Empty(_, e) => {
                if local(&e) != "Relationship" {
                    continue;
                }
                if attr(&e, "TargetMode").is_some_and(|m| m.trim() == "External") {
                    continue;
                }
                let (Some(id), Some(ty), Some(target)) =
                    (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                else {
                    continue;
                };
                let kind = ty.rsplit('/').next().unwrap_or("").to_string();
                out.push(Rel {
                    id: id.trim().to_string(),
                    kind,
                    target: resolve_target(base_dir, target.trim()),
                });
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Resolve a relationship target against the source part's directory.
pub(crate) fn resolve_target(base_dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else if base_dir.is_empty() {
        target
    } else {
        format!("{base_dir}/{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve() {
        assert_eq!(resolve_target("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve_target("word", "/word/x.xml"), "word/x.xml");
        assert_eq!(
            resolve_target("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
    }
}
