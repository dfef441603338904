//! `word/styles.xml` and `word/theme/theme1.xml`: run and paragraph properties,
//! style inheritance (`basedOn`), document defaults and theme fonts.
//!
//! Table styles (kiểu bảng) are most of a typical styles.xml (Word's built-in
//! grid and list styles with their conditional `w:tblStylePr` blocks), yet a
//! document uses one or two of them, and only for their borders. Their bytes are
//! therefore passed over unparsed and kept; a table style is parsed the first
//! time [`Styles::table_borders`] or [`Styles::name`] asks for it.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use quick_xml::events::BytesStart;

use super::xml::{
    attr, attrs, local, parse_bool, parse_half_points, parse_twips, parse_u32, toggle, twips_to_mm,
    val, Ev, Ns, XmlReader,
};
use crate::doctree::Align;
use crate::ingest::{IngestError, Limits};

/// Longest `basedOn` chain followed (guards against cycles).
const MAX_CHAIN: usize = 32;

/// Major and minor Latin typefaces of the theme.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    pub(crate) major: Option<String>,
    pub(crate) minor: Option<String>,
}

impl Theme {
    /// Typeface for a theme font reference (`minorHAnsi`, `majorAscii`, …).
    fn font(&self, which: &str) -> Option<String> {
        if which.starts_with("major") {
            self.major.clone()
        } else if which.starts_with("minor") {
            self.minor.clone()
        } else {
            None
        }
    }
}

/// Read a theme part: `a:fontScheme/a:majorFont|a:minorFont/a:latin/@typeface`.
pub(crate) fn parse_theme(xml: &mut XmlReader<'_>) -> Result<Theme, IngestError> {
    let mut theme = Theme::default();
    // 1 = inside majorFont, 2 = inside minorFont
    let mut which = 0u8;
    let mut depth_in = 0usize;
    loop {
        match xml.next()? {
            Ev::Start(ns, e) => {
                if which == 0
                    && !(ns == Ns::A
                        && matches!(
                            local(&e),
                            "theme" | "themeElements" | "fontScheme" | "majorFont" | "minorFont"
                        ))
                {
                    // colour and format schemes, extensions …: nothing read there
                    xml.skip_subtree(e.name())?;
                    continue;
                }
                if which != 0 {
                    depth_in += 1;
                }
                if ns == Ns::A {
                    match local(&e) {
                        "majorFont" => {
                            which = 1;
                            depth_in = 0;
                        }
                        "minorFont" => {
                            which = 2;
                            depth_in = 0;
                        }
                        "latin" => set_latin(&mut theme, which, &e),
                        _ => {}
                    }
                }
            }
            Ev::Empty(ns, e) if ns == Ns::A && local(&e) == "latin" => {
                set_latin(&mut theme, which, &e);
            }
            Ev::End if which != 0 => {
                if depth_in == 0 {
                    which = 0;
                } else {
                    depth_in -= 1;
                }
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    Ok(theme)
}

fn set_latin(theme: &mut Theme, which: u8, e: &BytesStart<'_>) {
    let Some(face) = attr(e, "typeface") else {
        return;
    };
    let face = face.trim();
    if face.is_empty() {
        return;
    }
    match which {
        1 if theme.major.is_none() => theme.major = Some(face.to_string()),
        2 if theme.minor.is_none() => theme.minor = Some(face.to_string()),
        _ => {}
    }
}

/// Run properties of one level (direct formatting, a style, or the defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RProps {
    pub(crate) bold: Option<bool>,
    pub(crate) italic: Option<bool>,
    pub(crate) underline: Option<bool>,
    /// Size in half-points.
    pub(crate) size_half: Option<f32>,
    /// Resolved font of this level (hAnsi preferred, else ascii; theme references resolved).
    pub(crate) font: Option<Arc<str>>,
    /// Character style (`w:rStyle`); direct formatting only, never inherited.
    pub(crate) style: Option<String>,
}

impl RProps {
    /// Fill every unset property from a less specific level.
    pub(crate) fn fill_from(&mut self, lower: &RProps) {
        if self.bold.is_none() {
            self.bold = lower.bold;
        }
        if self.italic.is_none() {
            self.italic = lower.italic;
        }
        if self.underline.is_none() {
            self.underline = lower.underline;
        }
        if self.size_half.is_none() {
            self.size_half = lower.size_half;
        }
        if self.font.is_none() {
            self.font.clone_from(&lower.font);
        }
    }
}

/// Apply one child element of a `w:rPr` (transitional or Strict) to `p`.
/// Unknown elements and bad values are ignored.
pub(crate) fn apply_rpr(name: &str, e: &BytesStart<'_>, p: &mut RProps, theme: &Theme) {
    match name {
        "b" => {
            if let Some(v) = toggle(e) {
                p.bold = Some(v);
            }
        }
        "i" => {
            if let Some(v) = toggle(e) {
                p.italic = Some(v);
            }
        }
        "u" => {
            p.underline = Some(match val(e) {
                None => true,
                Some(v) => !matches!(v.trim(), "none" | "0" | "false" | "off"),
            });
        }
        "sz" => {
            if let Some(h) = val(e).and_then(|v| parse_half_points(&v)) {
                if h > 0.0 && h < 32768.0 {
                    p.size_half = Some(h);
                }
            }
        }
        "rFonts" => {
            if let Some(f) = level_font(e, theme) {
                p.font = Some(f.into());
            }
        }
        "rStyle" => {
            if let Some(v) = val(e) {
                if !v.trim().is_empty() {
                    p.style = Some(v.trim().to_string());
                }
            }
        }
        _ => {}
    }
}

/// Font of one `w:rFonts`: hAnsi slot (theme reference first), else ascii slot.
fn level_font(e: &BytesStart<'_>, theme: &Theme) -> Option<String> {
    let [h_theme, h_name, a_theme, a_name] =
        attrs(e, ["hAnsiTheme", "hAnsi", "asciiTheme", "ascii"]);
    let pick = |theme_attr: Option<Cow<'_, str>>, name_attr: Option<Cow<'_, str>>| {
        if let Some(f) = theme_attr.and_then(|t| theme.font(t.trim())) {
            return Some(f);
        }
        name_attr
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    pick(h_theme, h_name).or_else(|| pick(a_theme, a_name))
}

/// Paragraph properties of one level.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PProps {
    pub(crate) align: Option<Align>,
    pub(crate) first_line_mm: Option<f32>,
    pub(crate) before_pt: Option<f32>,
    pub(crate) after_pt: Option<f32>,
    pub(crate) line: Option<f32>,
    pub(crate) keep_next: Option<bool>,
    pub(crate) num_id: Option<u32>,
    pub(crate) ilvl: Option<u32>,
    /// Paragraph style id (`w:pStyle`); direct formatting only.
    pub(crate) style: Option<String>,
}

impl PProps {
    /// Fill every unset property from a less specific level.
    pub(crate) fn fill_from(&mut self, lower: &PProps) {
        if self.align.is_none() {
            self.align = lower.align;
        }
        if self.first_line_mm.is_none() {
            self.first_line_mm = lower.first_line_mm;
        }
        if self.before_pt.is_none() {
            self.before_pt = lower.before_pt;
        }
        if self.after_pt.is_none() {
            self.after_pt = lower.after_pt;
        }
        if self.line.is_none() {
            self.line = lower.line;
        }
        if self.keep_next.is_none() {
            self.keep_next = lower.keep_next;
        }
        if self.num_id.is_none() {
            self.num_id = lower.num_id;
        }
        if self.ilvl.is_none() {
            self.ilvl = lower.ilvl;
        }
    }
}

/// `w:jc` value to an alignment.
pub(crate) fn parse_jc(v: &str) -> Option<Align> {
    match v.trim() {
        "left" | "start" => Some(Align::Left),
        "center" => Some(Align::Center),
        "right" | "end" => Some(Align::Right),
        "both" | "distribute" | "justify" | "lowKashida" | "mediumKashida" | "highKashida"
        | "thaiDistribute" => Some(Align::Justify),
        _ => None,
    }
}

/// Apply one child element of a `w:pPr` to `p` (not `numPr`, handled by the caller).
pub(crate) fn apply_ppr(name: &str, e: &BytesStart<'_>, p: &mut PProps) {
    match name {
        "jc" => {
            if let Some(a) = val(e).and_then(|v| parse_jc(&v)) {
                p.align = Some(a);
            }
        }
        "pStyle" => {
            if let Some(v) = val(e) {
                if !v.trim().is_empty() {
                    p.style = Some(v.trim().to_string());
                }
            }
        }
        "keepNext" => {
            if let Some(v) = toggle(e) {
                p.keep_next = Some(v);
            }
        }
        "ind" => {
            let [hanging, first_line] = attrs(e, ["hanging", "firstLine"]);
            if let Some(h) = hanging.and_then(|v| parse_twips(&v)) {
                p.first_line_mm = Some(-twips_to_mm(h));
            } else if let Some(f) = first_line.and_then(|v| parse_twips(&v)) {
                p.first_line_mm = Some(twips_to_mm(f));
            }
        }
        "spacing" => {
            let [before, after, rule, line] = attrs(e, ["before", "after", "lineRule", "line"]);
            if let Some(b) = before.and_then(|v| parse_twips(&v)) {
                p.before_pt = Some(b / 20.0);
            }
            if let Some(a) = after.and_then(|v| parse_twips(&v)) {
                p.after_pt = Some(a / 20.0);
            }
            if matches!(rule.as_deref(), None | Some("auto")) {
                if let Some(l) = line.and_then(|v| v.trim().parse::<f32>().ok()) {
                    if l.is_finite() && l > 0.0 {
                        p.line = Some(l / 240.0);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Apply a `w:numPr` child (`w:ilvl`, `w:numId`).
pub(crate) fn apply_numpr(name: &str, e: &BytesStart<'_>, p: &mut PProps) {
    let v = val(e).and_then(|v| parse_u32(&v));
    match name {
        "ilvl" => {
            if let Some(v) = v {
                p.ilvl = Some(v);
            }
        }
        "numId" => {
            if let Some(v) = v {
                p.num_id = Some(v);
            }
        }
        _ => {}
    }
}

/// True when a border edge element draws a line (`w:val` other than none/nil).
pub(crate) fn edge_visible(e: &BytesStart<'_>) -> bool {
    !matches!(
        val(e).as_deref().map(str::trim),
        Some("nil" | "none") | None
    )
}

/// Names of the border edges inside `w:tblBorders` / `w:tcBorders`.
pub(crate) fn is_edge(name: &str) -> bool {
    matches!(
        name,
        "top" | "left" | "start" | "bottom" | "right" | "end" | "insideH" | "insideV"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Character,
    Table,
    Numbering,
}

/// One `w:style`.
#[derive(Debug, Clone)]
struct Style {
    kind: Kind,
    /// The name as shown ([`display_name`]), shared by the paragraphs of the style.
    name: Option<Arc<str>>,
    based_on: Option<String>,
    rpr: RProps,
    ppr: PProps,
    /// Some(visible) when the style's table properties carry `w:tblBorders`.
    borders: Option<bool>,
}

/// A table style kept unparsed until asked for.
#[derive(Debug, Clone)]
struct LazyStyle {
    /// A small styles document: the original root start tag, the style element, the root end tag.
    xml: Vec<u8>,
    parsed: OnceLock<Option<Style>>,
}

/// All styles of a document, with inheritance resolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Styles {
    styles: HashMap<String, Style>,
    /// Table styles not parsed yet (see the module documentation).
    lazy: HashMap<String, LazyStyle>,
    /// Theme and limits for parsing a lazy table style.
    theme: Theme,
    limits: Limits,
    /// Effective run properties per style id (basedOn chain merged).
    eff_r: HashMap<String, RProps>,
    /// Effective paragraph properties per style id.
    eff_p: HashMap<String, PProps>,
    /// Id of the default paragraph style.
    pub(crate) default_para: Option<String>,
    /// Id of the default table style (applies to tables without `w:tblStyle`).
    pub(crate) default_table: Option<String>,
    /// `w:docDefaults` run properties.
    pub(crate) doc_r: RProps,
    /// `w:docDefaults` paragraph properties.
    pub(crate) doc_p: PProps,
}

const EMPTY_R: RProps = RProps {
    bold: None,
    italic: None,
    underline: None,
    size_half: None,
    font: None,
    style: None,
};
const EMPTY_P: PProps = PProps {
    align: None,
    first_line_mm: None,
    before_pt: None,
    after_pt: None,
    line: None,
    keep_next: None,
    num_id: None,
    ilvl: None,
    style: None,
};

impl Styles {
    /// Effective run properties of a style (empty if unknown).
    pub(crate) fn run_props(&self, id: &str) -> &RProps {
        self.eff_r.get(id).unwrap_or(&EMPTY_R)
    }

    /// Effective paragraph properties of a style (empty if unknown).
    pub(crate) fn para_props(&self, id: &str) -> &PProps {
        self.eff_p.get(id).unwrap_or(&EMPTY_P)
    }

    /// A style by id, parsing a lazy table style on first use.
    fn style(&self, id: &str) -> Option<&Style> {
        if let Some(s) = self.styles.get(id) {
            return Some(s);
        }
        let lazy = self.lazy.get(id)?;
        lazy.parsed
            .get_or_init(|| {
                let mut x = XmlReader::new(&lazy.xml[..], "word/styles.xml", &self.limits);
                let mut one = parse(&mut x, &self.theme, false).ok()?;
                one.styles.remove(id)
            })
            .as_ref()
    }

    /// The displayed name of a style, if the style exists.
    pub(crate) fn name(&self, id: &str) -> Option<Arc<str>> {
        self.style(id)?.name.clone()
    }

    /// True when `id` is a paragraph style.
    pub(crate) fn is_paragraph_style(&self, id: &str) -> bool {
        self.styles
            .get(id)
            .is_some_and(|s| s.kind == Kind::Paragraph)
    }

    /// True when `id` is a numbering style.
    pub(crate) fn is_numbering_style(&self, id: &str) -> bool {
        self.styles
            .get(id)
            .is_some_and(|s| s.kind == Kind::Numbering)
    }

    /// Borders of a table style: Some(visible) if the style or an ancestor sets
    /// `w:tblBorders`; Some(false) for a known style without borders; None if unknown.
    pub(crate) fn table_borders(&self, id: &str) -> Option<bool> {
        let mut cur = self.style(id)?;
        for _ in 0..MAX_CHAIN {
            if let Some(b) = cur.borders {
                return Some(b);
            }
            match cur.based_on.as_deref().and_then(|b| self.style(b)) {
                Some(next) => cur = next,
                None => break,
            }
        }
        Some(false)
    }

    fn resolve(&mut self) {
        let mut eff_r = HashMap::with_capacity(self.styles.len());
        let mut eff_p = HashMap::with_capacity(self.styles.len());
        for (id, style) in &self.styles {
            let mut r = style.rpr.clone();
            r.style = None;
            let mut p = style.ppr.clone();
            p.style = None;
            let mut next = style.based_on.as_deref();
            let mut hops = 0;
            while let Some(b) = next {
                hops += 1;
                if hops > MAX_CHAIN || b == id {
                    break;
                }
                let Some(base) = self.styles.get(b) else {
                    break;
                };
                r.fill_from(&base.rpr);
                p.fill_from(&base.ppr);
                next = base.based_on.as_deref();
            }
            eff_r.insert(id.clone(), r);
            eff_p.insert(id.clone(), p);
        }
        self.eff_r = eff_r;
        self.eff_p = eff_p;
    }
}

/// Word stores built-in style names in lower case ("heading 1") and shows them
/// capitalised ("Heading 1"); do the same for all-lowercase ASCII names.
fn display_name(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_ascii() && !raw.chars().any(|c| c.is_ascii_uppercase()) {
        raw.split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        raw.to_string()
    }
}

/// Where the current properties go while reading styles.xml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Other,
    DocDefaults,
    RPrDefault,
    PPrDefault,
    Style,
    RPr,
    PPr,
    NumPr,
    TblPr,
    TblBorders,
}

/// Read `word/styles.xml`; table styles are kept for parsing on demand.
pub(crate) fn parse_styles(xml: &mut XmlReader<'_>, theme: &Theme) -> Result<Styles, IngestError> {
    parse(xml, theme, true)
}

/// Read a styles part; `defer_tables`: keep table styles unparsed.
fn parse(
    xml: &mut XmlReader<'_>,
    theme: &Theme,
    defer_tables: bool,
) -> Result<Styles, IngestError> {
    let mut out = Styles {
        theme: theme.clone(),
        limits: xml.limits(),
        ..Styles::default()
    };
    let mut stack: Vec<Ctx> = Vec::new();
    let mut cur: Option<(String, Style, bool)> = None;
    // the root start tag and end tag, to wrap a deferred table style
    let mut root: Option<(Vec<u8>, Vec<u8>)> = None;
    // whether the current rPr/pPr belongs to docDefaults (true) or a style (false)
    loop {
        let (ns, e, empty) = match xml.next()? {
            Ev::Start(ns, e) => (ns, e, false),
            Ev::Empty(ns, e) => (ns, e, true),
            Ev::End => {
                if stack.pop() == Some(Ctx::Style) {
                    finish_style(&mut out, cur.take());
                }
                continue;
            }
            Ev::Eof => break,
            _ => continue,
        };
        if root.is_none() && !empty {
            let mut end = b"</".to_vec();
            end.extend_from_slice(e.name().as_ref().as_bytes());
            end.push(b'>');
            root = Some((tag_bytes(&e), end));
        }
        let parent = stack.last().copied().unwrap_or(Ctx::Other);
        let name = if ns == Ns::W { local(&e) } else { "" };
        let ctx = match (parent, name) {
            (_, "docDefaults") => Ctx::DocDefaults,
            (Ctx::DocDefaults, "rPrDefault") => Ctx::RPrDefault,
            (Ctx::DocDefaults, "pPrDefault") => Ctx::PPrDefault,
            (Ctx::RPrDefault | Ctx::Style, "rPr") => Ctx::RPr,
            (Ctx::PPrDefault | Ctx::Style, "pPr") => Ctx::PPr,
            (Ctx::PPr, "numPr") => Ctx::NumPr,
            (Ctx::Style, "tblPr") => Ctx::TblPr,
            (Ctx::TblPr, "tblBorders") => Ctx::TblBorders,
            (_, "style") => {
                let id = attr(&e, "styleId")
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
                let kind = match attr(&e, "type").as_deref() {
                    Some("character") => Kind::Character,
                    Some("table") => Kind::Table,
                    Some("numbering") => Kind::Numbering,
                    _ => Kind::Paragraph,
                };
                let is_default = attr(&e, "default").is_some_and(|v| parse_bool(&v) == Some(true));
                if let (true, Kind::Table, false, Some((open, close))) =
                    (defer_tables, kind, empty, root.as_ref())
                {
                    let mut doc = open.clone();
                    doc.extend_from_slice(&tag_bytes(&e));
                    xml.skip_subtree_into(e.name(), Some(&mut doc))?;
                    doc.extend_from_slice(close);
                    defer_table(&mut out, id, doc, is_default);
                    continue;
                }
                cur = Some((
                    id,
                    Style {
                        kind,
                        name: None,
                        based_on: None,
                        rpr: RProps::default(),
                        ppr: PProps::default(),
                        borders: None,
                    },
                    is_default,
                ));
                Ctx::Style
            }
            (Ctx::Style, "name") => {
                if let (Some((_, s, _)), Some(v)) = (cur.as_mut(), val(&e)) {
                    s.name = Some(display_name(&v).into());
                }
                Ctx::Other
            }
            (Ctx::Style, "basedOn") => {
                if let (Some((_, s, _)), Some(v)) = (cur.as_mut(), val(&e)) {
                    s.based_on = Some(v.trim().to_string());
                }
                Ctx::Other
            }
            (Ctx::RPr, n) => {
                let in_defaults = stack.iter().rev().nth(1) == Some(&Ctx::RPrDefault);
                if n == "rPrChange" {
                    xml.skip_element(&e, empty)?;
                    continue;
                }
                if in_defaults {
                    apply_rpr(n, &e, &mut out.doc_r, theme);
                } else if let Some((_, s, _)) = cur.as_mut() {
                    apply_rpr(n, &e, &mut s.rpr, theme);
                }
                Ctx::Other
            }
            (Ctx::PPr, n) => {
                if matches!(n, "pPrChange" | "rPr" | "sectPr") {
                    xml.skip_element(&e, empty)?;
                    continue;
                }
                let in_defaults = stack.iter().rev().nth(1) == Some(&Ctx::PPrDefault);
                if in_defaults {
                    apply_ppr(n, &e, &mut out.doc_p);
                } else if let Some((_, s, _)) = cur.as_mut() {
                    apply_ppr(n, &e, &mut s.ppr);
                }
                Ctx::Other
            }
            (Ctx::NumPr, n) => {
                let in_defaults = stack.iter().rev().nth(2) == Some(&Ctx::PPrDefault);
                if in_defaults {
                    apply_numpr(n, &e, &mut out.doc_p);
                } else if let Some((_, s, _)) = cur.as_mut() {
                    apply_numpr(n, &e, &mut s.ppr);
                }
                Ctx::Other
            }
            (Ctx::TblBorders, n) => {
                if is_edge(n) {
                    if let Some((_, s, _)) = cur.as_mut() {
                        let vis = edge_visible(&e);
                        s.borders = Some(s.borders.unwrap_or(false) || vis);
                    }
                }
                Ctx::Other
            }
            (Ctx::TblPr, "tblBordersChange" | "tblPrChange") => {
                xml.skip_element(&e, empty)?;
                continue;
            }
            (_, "latentStyles" | "tblStylePr") => {
                xml.skip_element(&e, empty)?;
                continue;
            }
            _ => Ctx::Other,
        };
        if ctx == Ctx::TblBorders {
            if let Some((_, s, _)) = cur.as_mut() {
                s.borders.get_or_insert(false);
            }
        }
        if empty {
            if ctx == Ctx::Style {
                finish_style(&mut out, cur.take());
            }
        } else if ctx == Ctx::Other && parent != Ctx::Other {
            // nothing below an element of no interest inside docDefaults or a
            // style is read (`w:tcPr`, `w:trPr`, `w:tblCellMar` …): pass it over
            xml.skip_subtree(e.name())?;
        } else {
            stack.push(ctx);
        }
    }
    out.resolve();
    Ok(out)
}

/// A start tag as written: `<`, its name and attributes, `>`.
fn tag_bytes(e: &BytesStart<'_>) -> Vec<u8> {
    let raw: &[u8] = e.as_ref().as_bytes();
    let mut v = Vec::with_capacity(raw.len() + 2);
    v.push(b'<');
    v.extend_from_slice(raw);
    v.push(b'>');
    v
}

/// Keep a table style for parsing on demand (the first definition of an id wins).
fn defer_table(out: &mut Styles, id: String, xml: Vec<u8>, is_default: bool) {
    if id.is_empty() || out.styles.contains_key(&id) || out.lazy.contains_key(&id) {
        return;
    }
    if is_default && out.default_table.is_none() {
        out.default_table = Some(id.clone());
    }
    out.lazy.insert(
        id,
        LazyStyle {
            xml,
            parsed: OnceLock::new(),
        },
    );
}

fn finish_style(out: &mut Styles, cur: Option<(String, Style, bool)>) {
    let Some((id, style, is_default)) = cur else {
        return;
    };
    if id.is_empty() {
        return;
    }
    if is_default && style.kind == Kind::Paragraph && out.default_para.is_none() {
        out.default_para = Some(id.clone());
    }
    if is_default && style.kind == Kind::Table && out.default_table.is_none() {
        out.default_table = Some(id.clone());
    }
    if !out.lazy.contains_key(&id) {
        out.styles.entry(id).or_insert(style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_styles_are_parsed_on_demand() {
        let xml = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="table grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:tblPr><w:tblBorders><w:top w:val="nil"/></w:tblBorders></w:tblPr></w:tblStylePr></w:style>
<w:style w:type="table" w:styleId="GridChild"><w:name w:val="Grid child"/><w:basedOn w:val="Grid"/></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="second Grid, ignored"/></w:style>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>"#;
        let limits = Limits::default();
        let mut x = XmlReader::new(xml.as_bytes(), "word/styles.xml", &limits);
        let s = parse_styles(&mut x, &Theme::default()).expect("parses");
        assert_eq!(s.default_table.as_deref(), Some("TableNormal"));
        assert_eq!(s.default_para.as_deref(), Some("Normal"));
        assert_eq!(s.run_props("Normal").bold, Some(true));
        assert_eq!(s.table_borders("TableNormal"), Some(false));
        assert_eq!(s.table_borders("Grid"), Some(true));
        assert_eq!(s.table_borders("GridChild"), Some(true), "through basedOn");
        assert_eq!(s.table_borders("Missing"), None);
        assert_eq!(s.name("Grid").as_deref(), Some("Table Grid"));
        assert!(!s.is_paragraph_style("Grid"));
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name("heading 1"), "Heading 1");
        assert_eq!(display_name("Normal"), "Normal");
        assert_eq!(display_name("Tiêu đề"), "Tiêu đề");
    }
}
