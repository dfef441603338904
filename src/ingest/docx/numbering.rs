//! `word/numbering.xml` and the automatic list labels Word draws ("1.", "a)",
//! "Bước 1:", bullets), with per-level counters across the document.

use std::fmt::Write as _;

use foldhash::{HashMap, HashMapExt, HashSet};

use quick_xml::events::BytesStart;

use super::styles::Styles;
use super::xml::{attr, local, parse_i64, parse_u32, toggle, val, Ev, Ns, XmlReader};
use crate::ingest::IngestError;

/// Word supports list levels 0–8.
const LEVELS: usize = 9;

/// One list level (`w:lvl`).
#[derive(Debug, Clone, Default)]
struct Level {
    start: Option<i64>,
    fmt: Option<String>,
    text: Option<String>,
    restart: Option<u32>,
    pstyle: Option<String>,
    legal: bool,
    font: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: Vec<Option<Level>>,
    num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Override {
    start: Option<i64>,
    level: Option<Level>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: Option<u32>,
    overrides: HashMap<u32, Override>,
}

/// The numbering definitions of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
    /// Paragraph style id → (numId, ilvl) of a level naming it in `w:pStyle`.
    by_style: HashMap<String, (u32, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Other,
    Abstract,
    Num,
    Lvl,
    LvlRPr,
    Override,
    Fallback,
}

/// Where the `w:lvl` being read goes.
enum LvlTarget {
    Abstract(u32, usize),
    Override(u32, u32),
}

/// Most distinct `w:lvl` contents remembered per part.
const LEVELS_SEEN_CAP: usize = 4096;

/// Read `word/numbering.xml`.
///
/// A document that has been edited long holds hundreds of list definitions (740
/// and 993 in two annexes of the corpus), most of them copies: their `w:lvl`
/// elements differ in the start tag (its `w:tplc` id) and not in what they hold.
/// A level whose content is byte for byte one read before, under the same
/// namespace bindings, is that level again: it is taken and its content passed over.
pub(crate) fn parse_numbering(xml: &mut XmlReader<'_>) -> Result<Numbering, IngestError> {
    let mut out = Numbering::default();
    let mut stack: Vec<Ctx> = Vec::new();
    let mut cur_abs: Option<u32> = None;
    let mut cur_num: Option<u32> = None;
    let mut cur_override: Option<u32> = None;
    let mut lvl: Option<(LvlTarget, Level)> = None;
    // levels by (bindings, content), and the one being read: its key and depth
    let mut seen: HashMap<(u64, &[u8]), Level> = HashMap::new();
    let mut recording: Option<((u64, &[u8]), usize)> = None;
    loop {
        let (ns, e, empty) = match xml.next()? {
            Ev::Start(ns, e) => (ns, e, false),
            Ev::Empty(ns, e) => (ns, e, true),
            Ev::End => {
                if let Some(c) = stack.pop() {
                    if c == Ctx::Lvl {
                        if let (Some((key, depth)), Some((_, l))) = (recording.take(), &lvl) {
                            if depth == stack.len() && seen.len() < LEVELS_SEEN_CAP {
                                seen.insert(key, l.clone());
                            }
                        }
                    }
                    close(&mut out, c, &mut lvl, &mut cur_override);
                }
                continue;
            }
            Ev::Eof => break,
            _ => continue,
        };
        // innermost context that is not a transparent Fallback
        let parent = stack
            .iter()
            .rev()
            .find(|c| **c != Ctx::Fallback)
            .copied()
            .unwrap_or(Ctx::Other);
        let ctx = if ns == Ns::Mc {
            match local(&e) {
                // numFmt extensions (w14 custom formats): use the plain Fallback
                "Choice" => {
                    xml.skip_element(&e, empty)?;
                    continue;
                }
                "Fallback" | "AlternateContent" => Ctx::Fallback,
                _ => Ctx::Other,
            }
        } else if ns != Ns::W {
            Ctx::Other
        } else {
            let name = local(&e);
            match (parent, name) {
                (_, "abstractNum") => {
                    cur_abs = attr(&e, "abstractNumId").and_then(|v| parse_u32(&v));
                    if let Some(id) = cur_abs {
                        out.abstracts.entry(id).or_insert_with(|| Abstract {
                            levels: vec![None; LEVELS],
                            num_style_link: None,
                        });
                    }
                    Ctx::Abstract
                }
                (Ctx::Abstract, "numStyleLink") => {
                    if let (Some(id), Some(v)) = (cur_abs, val(&e)) {
                        if let Some(a) = out.abstracts.get_mut(&id) {
                            a.num_style_link = Some(v.trim().to_string());
                        }
                    }
                    Ctx::Other
                }
                (Ctx::Abstract, "lvl") => {
                    let il = attr(&e, "ilvl").and_then(|v| parse_u32(&v));
                    lvl = match (cur_abs, il) {
                        (Some(a), Some(i)) if (i as usize) < LEVELS => {
                            Some((LvlTarget::Abstract(a, i as usize), Level::default()))
                        }
                        _ => None,
                    };
                    Ctx::Lvl
                }
                (_, "num") => {
                    cur_num = attr(&e, "numId").and_then(|v| parse_u32(&v));
                    if let Some(id) = cur_num {
                        out.nums.entry(id).or_default();
                    }
                    Ctx::Num
                }
                (Ctx::Num, "abstractNumId") => {
                    if let (Some(id), Some(v)) = (cur_num, val(&e).and_then(|v| parse_u32(&v))) {
                        if let Some(n) = out.nums.get_mut(&id) {
                            n.abstract_id = Some(v);
                        }
                    }
                    Ctx::Other
                }
                (Ctx::Num, "lvlOverride") => {
                    cur_override = attr(&e, "ilvl")
                        .and_then(|v| parse_u32(&v))
                        .filter(|i| (*i as usize) < LEVELS);
                    if let (Some(id), Some(il)) = (cur_num, cur_override) {
                        if let Some(n) = out.nums.get_mut(&id) {
                            n.overrides.entry(il).or_default();
                        }
                    }
                    Ctx::Override
                }
                (Ctx::Override, "startOverride") => {
                    if let (Some(id), Some(il), Some(v)) =
                        (cur_num, cur_override, val(&e).and_then(|v| parse_i64(&v)))
                    {
                        if let Some(o) =
                            out.nums.get_mut(&id).and_then(|n| n.overrides.get_mut(&il))
                        {
                            o.start = Some(v);
                        }
                    }
                    Ctx::Other
                }
                (Ctx::Override, "lvl") => {
                    lvl = match (cur_num, cur_override) {
                        (Some(n), Some(i)) => Some((LvlTarget::Override(n, i), Level::default())),
                        _ => None,
                    };
                    Ctx::Lvl
                }
                (Ctx::Lvl, n) => {
                    if let Some((_, l)) = lvl.as_mut() {
                        apply_lvl(n, &e, l);
                    }
                    match n {
                        "rPr" => Ctx::LvlRPr,
                        "pPr" => {
                            xml.skip_element(&e, empty)?;
                            continue;
                        }
                        _ => Ctx::Other,
                    }
                }
                (Ctx::LvlRPr, "rFonts") => {
                    if let Some((_, l)) = lvl.as_mut() {
                        l.font = attr(&e, "hAnsi")
                            .or_else(|| attr(&e, "ascii"))
                            .map(|v| v.trim().to_string());
                    }
                    Ctx::Other
                }
                _ => Ctx::Other,
            }
        };
        // a level's content read before: taken again, its end tag read already
        if ctx == Ctx::Lvl
            && !empty
            && recall_level(xml, &e, &seen, &mut lvl, &mut recording, &stack)?
        {
            close(&mut out, Ctx::Lvl, &mut lvl, &mut cur_override);
            continue;
        }
        if empty {
            close(&mut out, ctx, &mut lvl, &mut cur_override);
        } else {
            stack.push(ctx);
        }
    }
    out.index_styles();
    Ok(out)
}

/// For a `w:lvl` just opened (its target in `lvl`): when its content was read
/// before, that level is set in `lvl`, the content passed over and its end tag read
/// (true); otherwise the content's key is noted in `recording`, to remember the
/// level at its end.
fn recall_level<'x>(
    xml: &mut XmlReader<'x>,
    e: &BytesStart<'_>,
    seen: &HashMap<(u64, &'x [u8]), Level>,
    lvl: &mut Option<(LvlTarget, Level)>,
    recording: &mut Option<((u64, &'x [u8]), usize)>,
    stack: &[Ctx],
) -> Result<bool, IngestError> {
    if recording.is_some() {
        return Ok(false);
    }
    let Some(at) = xml.subtree_end(e.name()) else {
        return Ok(false);
    };
    let key = (xml.bindings_id(), xml.subtree_content(at));
    match seen.get(&key) {
        Some(level) => {
            if let Some((_, l)) = lvl.as_mut() {
                l.clone_from(level);
            }
            xml.skip_to_end(at)?;
            Ok(true)
        }
        None => {
            *recording = Some((key, stack.len()));
            Ok(false)
        }
    }
}

fn apply_lvl(name: &str, e: &BytesStart<'_>, l: &mut Level) {
    match name {
        "start" => {
            if let Some(v) = val(e).and_then(|v| parse_i64(&v)) {
                l.start = Some(v);
            }
        }
        "numFmt" => {
            if let Some(v) = val(e) {
                l.fmt = Some(v.trim().to_string());
            }
        }
        "lvlText" => {
            if let Some(v) = val(e) {
                l.text = Some(v.into_owned());
            }
        }
        "lvlRestart" => {
            if let Some(v) = val(e).and_then(|v| parse_u32(&v)) {
                l.restart = Some(v);
            }
        }
        "pStyle" => {
            if let Some(v) = val(e) {
                l.pstyle = Some(v.trim().to_string());
            }
        }
        "isLgl" => l.legal = toggle(e).unwrap_or(false),
        _ => {}
    }
}

fn close(
    out: &mut Numbering,
    ctx: Ctx,
    lvl: &mut Option<(LvlTarget, Level)>,
    cur_override: &mut Option<u32>,
) {
    match ctx {
        Ctx::Lvl => match lvl.take() {
            Some((LvlTarget::Abstract(a, i), l)) => {
                if let Some(slot) = out
                    .abstracts
                    .get_mut(&a)
                    .and_then(|abs| abs.levels.get_mut(i))
                {
                    if slot.is_none() {
                        *slot = Some(l);
                    }
                }
            }
            Some((LvlTarget::Override(n, i), l)) => {
                if let Some(o) = out.nums.get_mut(&n).and_then(|n| n.overrides.get_mut(&i)) {
                    o.level = Some(l);
                }
            }
            None => {}
        },
        Ctx::Override => *cur_override = None,
        _ => {}
    }
}

impl Numbering {
    /// The abstract numbering behind a num, following `numStyleLink` once.
    fn abstract_of(&self, num_id: u32, styles: &Styles) -> Option<(u32, &Abstract)> {
        let num = self.nums.get(&num_id)?;
        let aid = num.abstract_id?;
        let abs = self.abstracts.get(&aid)?;
        if let Some(link) = abs.num_style_link.as_deref() {
            if abs.levels.iter().all(Option::is_none) && styles.is_numbering_style(link) {
                let target = styles.para_props(link).num_id?;
                if target != num_id {
                    let n2 = self.nums.get(&target)?;
                    let aid2 = n2.abstract_id?;
                    return self.abstracts.get(&aid2).map(|a| (aid2, a));
                }
            }
        }
        Some((aid, abs))
    }

    /// The level of a num whose `w:pStyle` links it to the paragraph style `style`.
    pub(crate) fn level_for_style(&self, num_id: u32, style: &str, styles: &Styles) -> Option<u32> {
        let (_, abs) = self.abstract_of(num_id, styles)?;
        abs.levels
            .iter()
            .position(|l| l.as_ref().and_then(|l| l.pstyle.as_deref()) == Some(style))
            .map(|i| i as u32)
    }

    /// A (numId, ilvl) whose level names `style` in `w:pStyle`, for styles linked
    /// to a list only from the numbering side.
    pub(crate) fn find_by_style(&self, style: &str) -> Option<(u32, u32)> {
        self.by_style.get(style).copied()
    }

    /// Index the levels that name a paragraph style (lowest numId wins).
    fn index_styles(&mut self) {
        let mut lowest_num: HashMap<u32, u32> = HashMap::new();
        for (id, n) in &self.nums {
            if let Some(a) = n.abstract_id {
                let e = lowest_num.entry(a).or_insert(*id);
                *e = (*e).min(*id);
            }
        }
        let mut by_style: HashMap<String, (u32, u32)> = HashMap::new();
        for (aid, abs) in &self.abstracts {
            let Some(num) = lowest_num.get(aid).copied() else {
                continue;
            };
            for (il, l) in abs.levels.iter().enumerate() {
                let Some(ps) = l.as_ref().and_then(|l| l.pstyle.as_deref()) else {
                    continue;
                };
                let cand = (num, il as u32);
                let e = by_style.entry(ps.to_string()).or_insert(cand);
                if cand < *e {
                    *e = cand;
                }
            }
        }
        self.by_style = by_style;
    }
}

/// Per-list counters, advanced paragraph by paragraph in document order.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    by_abstract: HashMap<u32, [Option<i64>; LEVELS]>,
    seen_nums: HashSet<u32>,
}

impl Counters {
    /// Advance the counter of (num_id, ilvl) and return the label Word would draw.
    pub(crate) fn label(
        &mut self,
        numbering: &Numbering,
        styles: &Styles,
        num_id: u32,
        ilvl: u32,
    ) -> Option<String> {
        if num_id == 0 {
            return None;
        }
        let ilvl = (ilvl as usize).min(LEVELS - 1);
        let num = numbering.nums.get(&num_id)?;
        let (aid, abs) = numbering.abstract_of(num_id, styles)?;
        let level_def = |i: usize| -> Option<&Level> {
            num.overrides
                .get(&(i as u32))
                .and_then(|o| o.level.as_ref())
                .or_else(|| abs.levels.get(i).and_then(Option::as_ref))
        };
        let start_of = |i: usize| -> i64 {
            num.overrides
                .get(&(i as u32))
                .and_then(|o| o.start)
                .or_else(|| level_def(i).and_then(|l| l.start))
                .unwrap_or(0)
        };
        let def = level_def(ilvl)?;
        let counters = self.by_abstract.entry(aid).or_insert([None; LEVELS]);
        if self.seen_nums.insert(num_id) {
            for (il, o) in &num.overrides {
                if o.start.is_some() {
                    if let Some(c) = counters.get_mut(*il as usize) {
                        *c = None;
                    }
                }
            }
        }
        let value = match counters.get(ilvl).copied().flatten() {
            Some(v) => v.saturating_add(1),
            None => start_of(ilvl),
        };
        if let Some(c) = counters.get_mut(ilvl) {
            *c = Some(value);
        }
        for deeper in (ilvl + 1)..LEVELS {
            let restart = level_def(deeper).and_then(|l| l.restart);
            let reset = match restart {
                None => true,
                Some(0) => false,
                Some(r) => (ilvl as u32) < r,
            };
            if reset {
                if let Some(c) = counters.get_mut(deeper) {
                    *c = None;
                }
            }
        }
        let fmt = def.fmt.as_deref().unwrap_or("decimal");
        if fmt == "bullet" {
            return bullet_label(def);
        }
        let template = def.text.as_deref()?;
        let mut out = String::with_capacity(template.len() + 8);
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    if (1..=LEVELS as u32).contains(&d) {
                        let li = (d - 1) as usize;
                        let v = if li == ilvl {
                            value
                        } else {
                            counters
                                .get(li)
                                .copied()
                                .flatten()
                                .unwrap_or_else(|| start_of(li))
                        };
                        let lf = if def.legal && li != ilvl {
                            "decimal"
                        } else {
                            level_def(li)
                                .and_then(|l| l.fmt.as_deref())
                                .unwrap_or("decimal")
                        };
                        if lf == "decimal" {
                            // the common case, written in place
                            let _ = write!(out, "{v}");
                        } else {
                            out.push_str(&format_number(v, lf));
                        }
                    }
                    continue;
                }
            }
            out.push(c);
        }
        let trimmed = out.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == out.len() {
            Some(out)
        } else {
            Some(trimmed.to_string())
        }
    }
}

/// The label of a bullet level: its character if it is an ordinary one, else "-".
fn bullet_label(def: &Level) -> Option<String> {
    let symbol_font = def.font.as_deref().is_some_and(|f| {
        let starts = |p: &str| f.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
        starts("symbol")
            || starts("wingdings")
            || starts("webdings")
            || f.as_bytes()
                .windows("dingbats".len())
                .any(|w| w.eq_ignore_ascii_case(b"dingbats"))
            || f.eq_ignore_ascii_case("mt extra")
    });
    let text = def.text.as_deref().unwrap_or("").trim();
    let ordinary = !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(&c));
    if symbol_font || !ordinary {
        Some("-".to_string())
    } else {
        Some(text.to_string())
    }
}

/// Format a counter value in a `w:numFmt`.
fn format_number(v: i64, fmt: &str) -> String {
    match fmt {
        "none" => String::new(),
        "decimalZero" => {
            if (0..10).contains(&v) {
                format!("0{v}")
            } else {
                v.to_string()
            }
        }
        "lowerLetter" => letters(v).unwrap_or_else(|| v.to_string()),
        "upperLetter" => letters(v)
            .map(|s| s.to_ascii_uppercase())
            .unwrap_or_else(|| v.to_string()),
        "lowerRoman" => roman(v)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_else(|| v.to_string()),
        "upperRoman" => roman(v).unwrap_or_else(|| v.to_string()),
        "decimalEnclosedParen" => format!("({v})"),
        "decimalEnclosedFullstop" => format!("{v}."),
        "decimalEnclosedCircle" if (1..=20).contains(&v) => {
            char::from_u32(0x2460 + (v as u32) - 1).map_or_else(|| v.to_string(), String::from)
        }
        _ => v.to_string(),
    }
}

/// Word's letter numbering: a…z, then aa…zz, aaa… (the letter repeated).
fn letters(v: i64) -> Option<String> {
    if v < 1 {
        return None;
    }
    let n = v - 1;
    let letter = char::from(b'a' + (n % 26) as u8);
    let count = (n / 26 + 1).min(100) as usize;
    Some(std::iter::repeat_n(letter, count).collect())
}

/// Roman numerals for 1–3999.
fn roman(v: i64) -> Option<String> {
    (1..=3999)
        .contains(&v)
        .then(|| crate::text::roman(v.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(1, "lowerLetter"), "a");
        assert_eq!(format_number(27, "lowerLetter"), "aa");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(3, "decimalZero"), "03");
        assert_eq!(format_number(0, "lowerLetter"), "0");
    }

    /// Levels with the same content under other start tags are the same levels;
    /// one with other content, or an override, is read for itself.
    #[test]
    fn repeated_level_contents_give_the_same_levels() {
        let lvl = |tplc: &str, text: &str, fmt: &str| {
            format!(
                r#"<w:lvl w:ilvl="0" w:tplc="{tplc}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:pPr><w:ind w:left="720"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman"/></w:rPr></w:lvl>"#
            )
        };
        let xml = format!(
            r#"<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="1">{}</w:abstractNum><w:abstractNum w:abstractNumId="2">{}</w:abstractNum><w:abstractNum w:abstractNumId="3">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>{}</w:lvlOverride></w:num></w:numbering>"#,
            lvl("0409000F", "%1.", "decimal"),
            lvl("5A2B3C4D", "%1.", "decimal"),
            lvl("0409000F", "%1)", "lowerLetter"),
            lvl("11111111", "%1.", "decimal"),
        );
        let limits = crate::ingest::Limits::default();
        let mut x = XmlReader::new(xml.as_bytes(), "word/numbering.xml", &limits);
        let numbering = parse_numbering(&mut x).expect("parses");
        let styles = Styles::default();
        let mut c = Counters::default();
        let mut label = |num| c.label(&numbering, &styles, num, 0);
        assert_eq!(label(1).as_deref(), Some("1."));
        assert_eq!(label(1).as_deref(), Some("2."));
        assert_eq!(label(2).as_deref(), Some("1."));
        assert_eq!(label(3).as_deref(), Some("a)"));
        assert_eq!(label(3).as_deref(), Some("b)"));
        assert_eq!(label(4).as_deref(), Some("1."));
        for (id, abs) in &numbering.abstracts {
            let font = abs.levels[0].as_ref().and_then(|l| l.font.as_deref());
            assert_eq!(font, Some("Times New Roman"), "abstract {id}");
        }
    }
}
