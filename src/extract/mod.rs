//! Extraction: neutral document tree → model (decision metadata and procedures).
//!
//! * [`decision`] reads the decision's own metadata (số/ký hiệu, date, trích yếu,
//!   căn cứ, articles, signer, recipients);
//! * [`danh_muc`] reads Part I list tables (danh mục) with their group rows;
//! * [`chi_tiet`] reads Part II (the content of each procedure, in any of the label
//!   styles seen in real decisions), internal-workflow step tables and
//!   national-database exports.
//!
//! The parts are merged per procedure. Every field keeps its source (file and place);
//! what is ambiguous or missing becomes a warning, never a guess.

mod chi_tiet;
mod danh_muc;
mod decision;
pub(crate) mod util;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::doctree::{Block, Document, Paragraph, Table, VMerge};
use crate::model::{Agency, ChangeKind, Decision, Group, Level, Procedure, Source};

/// What extraction found in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extraction {
    /// The decision's own metadata, when the document is a decision (or its appendix).
    pub decision: Option<Decision>,
    /// Procedures, in document order (Part I order when there is a list).
    pub procedures: Vec<Procedure>,
    /// Everything that was ambiguous, missing or skipped, in plain words.
    pub warnings: Vec<String>,
}

/// Extract the decision metadata and the procedures of `doc`; `file` names the source in
/// every [`Source`].
pub fn extract(doc: &Document, file: &str) -> Extraction {
    let view = View::new(doc, file);
    let mut warnings = Vec::new();
    let (decision, title_loc) = decision::extract(&view, &mut warnings);
    let title = decision.as_ref().and_then(|d| d.title.clone());
    let ctx = DocContext::from_title(title.as_deref().unwrap_or(""), title_loc.as_deref());
    let list = danh_muc::extract(&view, &ctx, &mut warnings);
    let details = chi_tiet::extract(&view, &mut warnings);
    let mut procedures = merge(list, details, &ctx, &view, &mut warnings);
    assign_ids(&mut procedures);
    if let Some(d) = &decision {
        if let Some(n) = d.declared_count {
            if !procedures.is_empty() && n as usize != procedures.len() {
                warnings.push(format!(
                    "Điều 1 announces {n} procedures but {} were extracted",
                    procedures.len()
                ));
            }
        }
    }
    Extraction {
        decision,
        procedures,
        warnings,
    }
}

// ---------------------------------------------------------------------------------------
// A flat view of the tree with locations
// ---------------------------------------------------------------------------------------

/// One paragraph with its place in the file.
#[derive(Debug, Clone)]
pub(crate) struct Para {
    /// Text as a reader sees it (list label in front), whitespace collapsed.
    pub text: String,
    /// The same with line breaks as '\n' and tabs as '\t' (header columns, merged
    /// lines) when that differs from `text` ([`Para::raw`]).
    raw: Option<String>,
    /// Every visible run is bold.
    pub bold: bool,
    /// Where it is: "paragraph 12" or "table 2, row 3, cell 4, paragraph 1".
    pub loc: Loc,
}

impl Para {
    /// A paragraph of this text alone (no line breaks or tabs), at `loc`.
    pub fn plain(text: String, bold: bool, loc: Loc) -> Para {
        Para {
            text,
            raw: None,
            bold,
            loc,
        }
    }

    /// Text with line breaks as '\n' and tabs as '\t'.
    pub fn raw(&self) -> &str {
        self.raw.as_deref().unwrap_or(&self.text)
    }
}

/// Where a paragraph or a table cell is in the document, written out by `Display`:
/// "paragraph 12", "table 2, row 3, cell 4" or "table 2, row 3, cell 4, paragraph 1".
/// Numbers are 1-based, 0 where there is none. Kept as numbers: a place is written
/// out only when something taken from it is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Loc {
    table: u32,
    row: u32,
    cell: u32,
    para: u32,
}

/// A 1-based count as stored in a [`Loc`].
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Loc {
    /// Paragraph `n` of the body.
    pub fn paragraph(n: usize) -> Loc {
        Loc {
            para: count(n),
            ..Loc::default()
        }
    }

    /// Cell `cell` of row `row` of table `table`.
    pub fn cell(table: usize, row: usize, cell: usize) -> Loc {
        Loc {
            table: count(table),
            row: count(row),
            cell: count(cell),
            para: 0,
        }
    }

    /// Paragraph `n` of this cell.
    pub fn in_cell(self, n: usize) -> Loc {
        Loc {
            para: count(n),
            ..self
        }
    }

    /// The cell this place is in, or the place itself outside tables.
    pub fn cell_of(self) -> Loc {
        if self.table == 0 {
            self
        } else {
            Loc { para: 0, ..self }
        }
    }
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.table == 0 {
            return write!(f, "paragraph {}", self.para);
        }
        write!(
            f,
            "table {}, row {}, cell {}",
            self.table, self.row, self.cell
        )?;
        if self.para != 0 {
            write!(f, ", paragraph {}", self.para)?;
        }
        Ok(())
    }
}

/// One table cell.
#[derive(Debug, Clone)]
pub(crate) struct CellView {
    /// Paragraphs of the cell (nested tables flattened).
    pub paras: Vec<Para>,
    /// First grid column of the cell.
    pub grid: usize,
    /// Grid columns spanned.
    pub span: usize,
    /// Continues the cell above (vertical merge).
    pub cont: bool,
    /// "table 2, row 3, cell 4".
    pub loc: Loc,
}

impl CellView {
    /// Text of the cell, paragraphs joined by "\n".
    pub fn text(&self) -> String {
        self.joined("\n")
    }

    /// Text of the cell on one line: its paragraphs joined by a space (each one's text
    /// is clean already: trimmed, single spaces, not empty).
    pub fn line(&self) -> String {
        self.joined(" ")
    }

    fn joined(&self, sep: &str) -> String {
        self.paras
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// One table.
#[derive(Debug, Clone)]
pub(crate) struct TableView {
    /// 1-based table number.
    pub number: usize,
    /// Rows of cells.
    pub rows: Vec<Vec<CellView>>,
    /// Whether any cell spans columns (grid positions are meaningful).
    pub has_spans: bool,
    /// The header row of a danh mục list, once looked for (both Part I and Part II
    /// reading ask of every table).
    pub list_header: std::cell::OnceCell<Option<usize>>,
}

/// A top-level block.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A paragraph.
    Para(Para),
    /// A table.
    Table(TableView),
}

/// The document as a flat list of paragraphs and tables.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub nodes: Vec<Node>,
    pub file: String,
}

impl View {
    fn new(doc: &Document, file: &str) -> View {
        let mut nodes = Vec::new();
        let mut np = 0usize;
        let mut nt = 0usize;
        for b in doc.blocks() {
            match b {
                Block::Paragraph(p) => {
                    np += 1;
                    if let Some(para) = para_view(p, Loc::paragraph(np)) {
                        nodes.push(Node::Para(para));
                    }
                }
                Block::Table(t) => {
                    nt += 1;
                    nodes.push(Node::Table(table_view(t, nt)));
                }
                Block::Rule(_) | Block::Image(_) | Block::SignatureRoom(_) => {}
            }
        }
        View {
            nodes,
            file: file.to_string(),
        }
    }

    /// A source in this file.
    pub fn src(&self, loc: impl std::fmt::Display) -> Source {
        Source {
            file: self.file.clone(),
            location: loc.to_string(),
        }
    }

    /// Every paragraph in reading order, table cells row by row, with the index of the node.
    pub fn linear(&self) -> Vec<(usize, &Para)> {
        let mut out = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            match n {
                Node::Para(p) => out.push((i, p)),
                Node::Table(t) => {
                    for row in &t.rows {
                        for c in row {
                            for p in &c.paras {
                                out.push((i, p));
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

/// The view of a paragraph with text; `loc` is where it is.
fn para_view(p: &Paragraph, loc: Loc) -> Option<Para> {
    // the list label rebuilt by a reader ("1.", "a)", "Bước 1:") is part of what is read
    let labelled = p.labelled_text();
    let t = labelled.trim_start();
    let normalised = if joins_as_nfc(p) {
        None
    } else {
        match crate::text::nfc_cow(t) {
            std::borrow::Cow::Owned(n) => Some(n),
            std::borrow::Cow::Borrowed(_) => None,
        }
    };
    let raw = match normalised {
        Some(n) => n,
        None if t.len() == labelled.len() => labelled,
        None => t.to_string(),
    };
    // most paragraphs are clean already: then the text is kept once
    let cleaned = match util::clean_cow(&raw) {
        std::borrow::Cow::Borrowed(t) if t.len() == raw.len() => None,
        c => Some(c.into_owned()),
    };
    let (text, raw) = match cleaned {
        None => (raw, None),
        Some(t) => (t, Some(raw)),
    };
    if text.is_empty() {
        return None;
    }
    Some(Para {
        text,
        raw,
        bold: mostly_bold(p),
        loc,
    })
}

/// Whether a paragraph's text is NFC as its pieces are joined. Each run and the list
/// label are NFC ([`crate::doctree::Run::text`]; the readers normalise them), and NFC
/// of a text is NFC of its pieces wherever the next piece starts with a character
/// that never combines with the one before it (UAX #15): so unless a run starts with
/// another character (a combining mark typed in a run of its own), there is nothing
/// to normalise. The label is followed by a space, which never combines.
fn joins_as_nfc(p: &Paragraph) -> bool {
    p.runs().skip(1).all(|r| {
        r.text
            .chars()
            .next()
            .is_none_or(crate::text::is_nfc_starter)
    })
}

/// Whether nine tenths or more of the visible characters of a paragraph's runs are
/// bold (and there is one).
fn mostly_bold(p: &Paragraph) -> bool {
    // without a bold run the paragraph is not bold, and with bold runs only it is
    // when any character shows: nothing to count
    let (mut any_bold, mut all_bold) = (false, true);
    for r in p.runs() {
        any_bold |= r.bold;
        all_bold &= r.bold;
    }
    if !any_bold {
        return false;
    }
    if all_bold {
        return p.runs().any(|r| !r.text.trim().is_empty());
    }
    let (mut visible, mut bold) = (0usize, 0usize);
    for r in p.runs() {
        let n = util::visible_chars(&r.text);
        visible += n;
        if r.bold {
            bold += n;
        }
    }
    visible > 0 && bold * 10 >= visible * 9
}

fn table_view(t: &Table, number: usize) -> TableView {
    let mut rows = Vec::new();
    let mut has_spans = false;
    // the cell that starts a vertical merge (row, cell), by grid column
    let mut above: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let mut cells = Vec::new();
        let mut grid = 0usize;
        for (ci, c) in row.cells.iter().enumerate() {
            let loc = Loc::cell(number, ri + 1, ci + 1);
            let mut paras = Vec::new();
            collect_cell_paras(&c.blocks, loc, &mut paras);
            let span = c.col_span.max(1) as usize;
            if span > 1 {
                has_spans = true;
            }
            let cont = c.v_merge == VMerge::Continue;
            if cont {
                // a merged cell holds the value of the cell above for every row it spans
                if paras.is_empty() {
                    paras = above
                        .get(&grid)
                        .and_then(|&(r, c)| rows.get(r).and_then(|cs: &Vec<CellView>| cs.get(c)))
                        .map(|cv| cv.paras.clone())
                        .unwrap_or_default();
                }
            } else {
                above.insert(grid, (ri, cells.len()));
            }
            cells.push(CellView {
                paras,
                grid,
                span,
                cont,
                loc,
            });
            grid += span;
        }
        rows.push(cells);
    }
    TableView {
        number,
        rows,
        has_spans,
        list_header: std::cell::OnceCell::new(),
    }
}

fn collect_cell_paras(blocks: &[Block], loc: Loc, out: &mut Vec<Para>) {
    for b in blocks {
        match b {
            Block::Paragraph(p) => {
                let n = out.len() + 1;
                if let Some(para) = para_view(p, loc.in_cell(n)) {
                    out.push(para);
                }
            }
            Block::Table(t) => {
                for row in &t.rows {
                    for c in &row.cells {
                        collect_cell_paras(&c.blocks, loc, out);
                    }
                }
            }
            Block::Rule(_) | Block::Image(_) | Block::SignatureRoom(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Context read from headings (group, level, change kind, sector)
// ---------------------------------------------------------------------------------------

/// What a heading or group row says about the procedures under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Scope {
    pub group: Option<Group>,
    pub level: Option<Level>,
    pub change: Option<ChangeKind>,
    pub sector: Option<String>,
    /// Where the sector was read.
    pub sector_loc: Option<String>,
}

impl Scope {
    /// Read a heading: "B. THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP TỈNH", "I. Lĩnh vực: Hộ tịch (5 TTHC)",
    /// "2. Danh mục thủ tục hành chính được sửa đổi, bổ sung".
    pub fn from_heading(text: &str, loc: impl std::fmt::Display) -> Scope {
        let f = util::fkey(text);
        let sector = sector_in(text, true);
        Scope {
            group: group_in(&f),
            level: level_in(&f),
            change: change_in(&f),
            sector_loc: sector.as_ref().map(|_| loc.to_string()),
            sector,
        }
    }

    /// Fill what is missing here from `outer`.
    pub fn inherit(&self, outer: &Scope) -> Scope {
        Scope {
            group: self.group.or(outer.group),
            level: self.level.or(outer.level),
            change: self.change.or(outer.change),
            sector: self.sector.clone().or_else(|| outer.sector.clone()),
            sector_loc: if self.sector.is_some() {
                self.sector_loc.clone()
            } else {
                outer.sector_loc.clone()
            },
        }
    }

    /// Whether the heading said anything.
    pub fn is_empty(&self) -> bool {
        self.group.is_none()
            && self.level.is_none()
            && self.change.is_none()
            && self.sector.is_none()
    }
}

fn group_in(f: &str) -> Option<Group> {
    if f.contains("giua cac co quan") {
        Some(Group::BetweenAgencies)
    } else if f.contains("trong co quan hanh chinh")
        || f.contains("trong tung co quan")
        || f.contains("trong noi bo co quan")
    {
        Some(Group::WithinAgency)
    } else {
        None
    }
}

fn level_in(f: &str) -> Option<Level> {
    let hits = [
        ("cap trung uong", Level::Central),
        ("cap tinh", Level::Province),
        ("cap huyen", Level::District),
        ("cap xa", Level::Commune),
    ];
    let found: Vec<Level> = hits
        .iter()
        .filter(|(k, _)| f.contains(k))
        .map(|(_, l)| *l)
        .collect();
    if found.len() == 1 {
        Some(found[0])
    } else {
        None
    }
}

fn change_in(f: &str) -> Option<ChangeKind> {
    let mut found = Vec::new();
    if f.contains("moi ban hanh") || f.contains("ban hanh moi") {
        found.push(ChangeKind::New);
    }
    if f.contains("sua doi") {
        found.push(ChangeKind::Amended);
    }
    if f.contains("thay the") {
        found.push(ChangeKind::Replaced);
    }
    if f.contains("bai bo") {
        found.push(ChangeKind::Abolished);
    }
    if f.contains("chuan hoa") {
        found.push(ChangeKind::Standardized);
    }
    if found.len() == 1 {
        Some(found[0])
    } else {
        None
    }
}

/// The sector named in a title or heading: "… lĩnh vực đất đai thuộc phạm vi …" → "Đất đai".
/// `heading`: a group heading ("Lĩnh vực: Hộ tịch (05 TTHC)"), where the phrase runs to the end.
pub(crate) fn sector_in(text: &str, heading: bool) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let f: Vec<char> = util::fold(text).chars().collect();
    let fs: String = f.iter().collect();
    let pos = fs.find("linh vuc")?;
    let start_char = fs[..pos].chars().count() + "linh vuc".len();
    // several sectors ("trong các lĩnh vực …; …") are not one sector
    if fs[..pos].ends_with("cac ") || fs[..pos].ends_with("nhieu ") {
        return None;
    }
    let mut k = start_char;
    while k < chars.len() && matches!(chars[k], ' ' | ':' | '-') {
        k += 1;
    }
    let rest_f: String = f[k..].iter().collect::<String>() + " ";
    let mut end = chars.len().saturating_sub(k);
    let stops = [
        " thuoc ",
        " cua ",
        " ap dung ",
        " tren dia ban",
        " trong he thong",
        " trong pham vi",
        " tai ",
        " theo ",
        " do ",
        " duoc ",
        " nganh ",
        " (",
        ". ",
    ];
    if !heading || rest_f.contains(" thuoc ") {
        for s in stops {
            if let Some(p) = rest_f.find(s) {
                end = end.min(rest_f[..p].chars().count());
            }
        }
    } else if let Some(p) = rest_f.find(" (") {
        end = end.min(rest_f[..p].chars().count());
    }
    let s: String = chars[k..k + end].iter().collect();
    let s = util::strip_end_punct(s.trim()).to_string();
    let words = s.split_whitespace().count();
    if words == 0 || words > 12 || s.contains(';') {
        return None;
    }
    Some(if util::is_upper(&s, 2) {
        util::sentence_case(&s)
    } else {
        let mut cs = s.chars();
        match cs.next() {
            Some(c) => c.to_uppercase().chain(cs).collect(),
            None => s,
        }
    })
}

/// Defaults for the whole document, read from the decision's title.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocContext {
    pub scope: Scope,
}

impl DocContext {
    fn from_title(title: &str, loc: Option<&str>) -> DocContext {
        let f = util::fkey(title);
        let internal = f.contains("noi bo") && !f.contains("quy trinh noi bo");
        let sector = sector_in(title, false);
        DocContext {
            scope: Scope {
                group: if internal { group_in(&f) } else { None },
                level: None,
                change: change_in(&f),
                sector_loc: sector.as_ref().and(loc.map(|l| l.to_string())),
                sector,
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Merging the list (Part I) with the details (Part II)
// ---------------------------------------------------------------------------------------

/// One procedure as read from one place (a list row or a Part II section).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub procedure: Procedure,
    pub scope: Scope,
    /// How directly the agency text names the performing agency (lower is better):
    /// 1 an explicit "(trực tiếp) thực hiện" part, 2 a Part II "Cơ quan thực hiện" field,
    /// 3 a list column "Cơ quan thực hiện", 4 a Part II "Cơ quan giải quyết" field,
    /// 5 another list column, 9 none.
    pub agency_rank: u8,
}

impl Default for Found {
    fn default() -> Self {
        Found {
            procedure: Procedure::default(),
            scope: Scope::default(),
            agency_rank: 9,
        }
    }
}

fn merge(
    list: Vec<Found>,
    details: Vec<Found>,
    ctx: &DocContext,
    view: &View,
    warnings: &mut Vec<String>,
) -> Vec<Procedure> {
    let mut used = vec![false; list.len()];
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut last = 0usize;
    for (di, d) in details.iter().enumerate() {
        let mut best: Option<(f64, usize)> = None;
        for (li, l) in list.iter().enumerate() {
            if used[li] {
                continue;
            }
            let mut s = util::name_similarity(&d.procedure.name, &l.procedure.name);
            if let (Some(a), Some(b)) = (&d.procedure.code, &l.procedure.code) {
                if a == b {
                    s = s.max(1.0);
                }
            }
            // prefer list order on ties
            let s = s - if li < last { 0.001 } else { 0.0 };
            if s >= 0.6 && best.map(|(bs, _)| s > bs).unwrap_or(true) {
                best = Some((s, li));
            }
        }
        match best {
            Some((_, li)) => {
                used[li] = true;
                last = li;
                pairs.push((Some(li), Some(di)));
            }
            None => pairs.push((None, Some(di))),
        }
    }
    // order: list order, details without a list row after the row they follow
    let mut ordered: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    if list.is_empty() {
        ordered = pairs;
    } else {
        for li in 0..list.len() {
            if let Some(p) = pairs.iter().find(|p| p.0 == Some(li)) {
                ordered.push(*p);
            } else {
                ordered.push((Some(li), None));
            }
        }
        let unmatched: Vec<_> = pairs.iter().filter(|p| p.0.is_none()).cloned().collect();
        if !details.is_empty() {
            let n_without = ordered.iter().filter(|p| p.1.is_none()).count();
            if n_without > 0 {
                warnings.push(format!(
                    "{n_without} procedure(s) of the list (Part I) have no detailed content (Part II)"
                ));
            }
        }
        for p in unmatched {
            if let Some(di) = p.1 {
                warnings.push(format!(
                    "Part II procedure \"{}\" ({}) is not in the list (Part I)",
                    short(&details[di].procedure.name),
                    details[di]
                        .procedure
                        .source
                        .as_ref()
                        .map(|s| s.location.as_str())
                        .unwrap_or("?")
                ));
            }
            ordered.push(p);
        }
    }
    let mut out = Vec::new();
    let mut unstated = 0;
    for (li, di) in ordered {
        let l = li.map(|i| &list[i]);
        let d = di.map(|i| &details[i]);
        let (p, stated) = combine(l, d, ctx, view);
        if !stated {
            unstated += 1;
        }
        out.push(p);
    }
    if unstated > 0 {
        warnings.push(format!(
            "{unstated} procedure(s): the kind of change (mới ban hành, sửa đổi, thay thế, bãi bỏ) is not stated; left at the default \"new\""
        ));
    }
    out
}

fn short(s: &str) -> String {
    let w: Vec<&str> = s.split_whitespace().take(12).collect();
    let mut t = w.join(" ");
    if s.split_whitespace().count() > 12 {
        t.push_str(" …");
    }
    t
}

/// One procedure from its list row and its Part II section; also whether the kind of
/// change was stated anywhere.
fn combine(
    l: Option<&Found>,
    d: Option<&Found>,
    ctx: &DocContext,
    view: &View,
) -> (Procedure, bool) {
    let empty = Found::default();
    let lp = l.map(|x| &x.procedure);
    let dp = d.map(|x| &x.procedure);
    // the detail is the base: its name is the heading of Part II
    let mut p = match (dp, lp) {
        (Some(d), _) => d.clone(),
        (None, Some(l)) => l.clone(),
        (None, None) => Procedure::default(),
    };
    let ls = l.unwrap_or(&empty);
    let ds = d.unwrap_or(&empty);
    let scope = ls.scope.inherit(&ds.scope).inherit(&ctx.scope);
    if let (Some(l), Some(_)) = (lp, dp) {
        if p.code.is_none() && l.code.is_some() {
            p.code = l.code.clone();
            copy_source(&mut p, l, "code");
        }
        if p.sector.is_empty() && !l.sector.is_empty() {
            p.sector = l.sector.clone();
            copy_source(&mut p, l, "sector");
        }
        // agency: the most direct statement of who performs it; Part II on a tie
        let take_list_agency = !l.agency.text.is_empty()
            && (ls.agency_rank < ds.agency_rank || p.agency.text.is_empty());
        if take_list_agency {
            let keep = p.agency.clone();
            p.agency = l.agency.clone();
            p.agency.decides = p.agency.decides.clone().or(keep.decides);
            p.agency.coordinates = p.agency.coordinates.clone().or(keep.coordinates);
            copy_source(&mut p, l, "agency");
        }
        // the list's processing time is the published one; Part II repeats or details it
        if !l.processing_time.text.is_empty() {
            p.processing_time = l.processing_time.clone();
            copy_source(&mut p, l, "processing_time");
        }
        if p.legal_basis.is_empty() && !l.legal_basis.is_empty() {
            p.legal_basis = l.legal_basis.clone();
            copy_source(&mut p, l, "legal_basis");
        }
        if p.change_basis.is_none() {
            p.change_basis = l.change_basis.clone();
        }
        if p.steps.is_empty() && !l.steps.is_empty() {
            p.steps = l.steps.clone();
            copy_source(&mut p, l, "steps");
        }
        if p.fees.is_none() {
            p.fees = l.fees.clone();
        }
        if p.channels.is_empty() {
            p.channels = l.channels.clone();
        }
        if p.dossier.items.is_empty() && !l.dossier.items.is_empty() {
            p.dossier = l.dossier.clone();
            copy_source(&mut p, l, "dossier");
        }
        p.field_sources
            .entry("list_row".to_string())
            .or_insert_with(|| l.source.clone().unwrap_or_else(|| view.src("?")));
    }
    if p.sector.is_empty() {
        if let Some(s) = &scope.sector {
            p.sector = s.clone();
            if let Some(loc) = &scope.sector_loc {
                p.field_sources.insert("sector".into(), view.src(loc));
            }
        }
    }
    if p.group.is_none() {
        p.group = scope.group;
    }
    if p.level.is_none() {
        p.level = scope.level;
    }
    if let Some(c) = scope.change {
        p.change = c;
    }
    let stated = scope.change.is_some();
    if p.agency.text.is_empty() {
        if let Some(x) = p
            .agency
            .performs
            .clone()
            .or_else(|| p.agency.decides.clone())
        {
            p.agency.text = x;
        }
    }
    (p, stated)
}

fn copy_source(p: &mut Procedure, from: &Procedure, field: &str) {
    if let Some(s) = from.field_sources.get(field) {
        p.field_sources.insert(field.to_string(), s.clone());
    } else if let Some(s) = &from.source {
        p.field_sources.insert(field.to_string(), s.clone());
    }
}

fn assign_ids(procs: &mut [Procedure]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in procs.iter_mut().enumerate() {
        let base = match &p.code {
            Some(c) => format!("tthc-{}", c.replace(['.', '/', ' '], "-")),
            None => {
                let s = util::slug(&p.name, 6);
                if s.is_empty() {
                    format!("tthc-{:02}", i + 1)
                } else {
                    format!("{s}-{:02}", i + 1)
                }
            }
        };
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        p.id = if *n == 1 { base } else { format!("{base}-{n}") };
    }
}

/// A plain agency from a text, reading "Cơ quan trực tiếp thực hiện: …", "Cơ quan có thẩm
/// quyền quyết định: …" and "Cơ quan phối hợp: …" parts. Returns the agency and whether a
/// "(trực tiếp) thực hiện" part was explicit.
pub(crate) fn parse_agency(parts: &[String]) -> (Agency, bool) {
    let mut a = Agency::default();
    let mut explicit = false;
    let mut loose: Vec<String> = Vec::new();
    let mut pending: Option<&'static str> = None;
    for part in parts {
        let c = util::clean(part);
        let (style, rest) = util::split_label(&c);
        let t = if style.is_bullet() {
            rest.to_string()
        } else {
            c.clone()
        };
        if util::strip_end_punct(&t).is_empty() {
            continue;
        }
        let (head, value) = match t.find(':') {
            Some(p) if p < 120 => (&t[..p], t[p + 1..].trim()),
            _ => ("", t.as_str()),
        };
        let hf = util::fkey(head);
        let kind = if hf.starts_with("co quan")
            || hf.starts_with("nguoi co")
            || hf.starts_with("don vi")
        {
            if hf.contains("phoi hop") {
                Some("coordinates")
            } else if hf.contains("tham quyen") || hf.contains("quyet dinh") {
                Some("decides")
            } else if hf.contains("thuc hien")
                || hf.contains("giai quyet")
                || hf.contains("tiep nhan")
            {
                Some("performs")
            } else if hf.contains("uy quyen") {
                Some("skip")
            } else {
                None
            }
        } else {
            None
        };
        let value = util::strip_end_punct(value).to_string();
        match (kind, value.is_empty()) {
            (Some(k), true) => pending = Some(k),
            (Some(k), false) => {
                set_agency(&mut a, k, value, &mut explicit);
                pending = None;
            }
            (None, _) => {
                if let Some(k) = pending.take() {
                    set_agency(
                        &mut a,
                        k,
                        util::strip_end_punct(&t).to_string(),
                        &mut explicit,
                    );
                } else {
                    loose.push(util::strip_end_punct(&t).to_string());
                }
            }
        }
    }
    if let Some(p) = &a.performs {
        a.text = p.clone();
    } else if !loose.is_empty() {
        a.text = loose.join("; ");
    } else if let Some(d) = &a.decides {
        a.text = d.clone();
    }
    (a, explicit)
}

fn set_agency(a: &mut Agency, kind: &str, value: String, explicit: &mut bool) {
    if value.is_empty() || util::fkey(&value).starts_with("khong co thong tin") {
        return;
    }
    match kind {
        "performs" if a.performs.is_none() => {
            a.performs = Some(value);
            *explicit = true;
        }
        "decides" if a.decides.is_none() => a.decides = Some(value),
        "coordinates" if a.coordinates.is_none() => a.coordinates = Some(value),
        _ => {}
    }
}

/// Legal references from item texts (bullets, trailing ";" removed), with number and date.
pub(crate) fn legal_refs(items: &[String]) -> Vec<crate::model::LegalRef> {
    let mut out = Vec::new();
    for it in items {
        let t = util::clean_item(it);
        if t.is_empty() {
            continue;
        }
        let number = util::find_doc_number(&t);
        let date = util::find_date(&t, true).map(|d| d.0);
        out.push(crate::model::LegalRef {
            text: t,
            number,
            date,
        });
    }
    out
}

/// A processing time from its text, with value and unit when recognisable.
pub(crate) fn processing_time(text: &str) -> crate::model::ProcessingTime {
    let t = util::clean_item(text);
    let (value, unit) = match util::parse_duration(&t) {
        Some((v, u)) => (Some(v), Some(u)),
        None => (None, None),
    };
    crate::model::ProcessingTime {
        text: t,
        value,
        unit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctree::{Cell, Inline, ParaFormat, Row, Run};

    fn para(parts: &[&str]) -> Block {
        let mut p = Paragraph::default();
        for (i, t) in parts.iter().enumerate() {
            if i > 0 {
                p.inlines.push(Inline::LineBreak);
            }
            p.inlines.push(Inline::Run(Run {
                text: t.to_string(),
                ..Run::default()
            }));
        }
        p.format = ParaFormat::default();
        Block::Paragraph(p)
    }

    #[test]
    fn bold_paragraphs_are_nine_tenths_bold() {
        let runs = |rs: &[(&str, bool)]| Paragraph {
            inlines: rs
                .iter()
                .map(|&(t, bold)| {
                    Inline::Run(Run {
                        text: t.to_string(),
                        bold,
                        ..Run::default()
                    })
                })
                .collect(),
            ..Paragraph::default()
        };
        assert!(mostly_bold(&runs(&[("Điều 1.", true), (" Công bố", true)])));
        assert!(!mostly_bold(&runs(&[(" \u{a0}", true)])));
        assert!(!mostly_bold(&runs(&[("Điều 1.", false)])));
        // 9 of 10 visible characters bold; spaces do not count
        assert!(mostly_bold(&runs(&[("ABCDEFGHI", true), ("  j ", false)])));
        assert!(!mostly_bold(&runs(&[("ABCDEFGH", true), ("ij", false)])));
    }

    #[test]
    fn runs_joined_are_normalised_where_a_mark_starts_a_run() {
        let runs = |rs: &[&str]| Paragraph {
            inlines: rs
                .iter()
                .map(|t| {
                    Inline::Run(Run {
                        text: t.to_string(),
                        ..Run::default()
                    })
                })
                .collect(),
            list_label: Some("1.".into()),
            ..Paragraph::default()
        };
        let p = runs(&["Quyê", "\u{301}t định"]);
        assert!(!joins_as_nfc(&p));
        let v = para_view(&p, Loc::paragraph(1)).expect("text");
        assert_eq!(v.text, "1. Quyết định");
        let p = runs(&["Quyết", " định", "", "ỹ"]);
        assert!(joins_as_nfc(&p));
        let v = para_view(&p, Loc::paragraph(2)).expect("text");
        assert_eq!(v.text, "1. Quyết địnhỹ");
    }

    #[test]
    fn cell_views_keep_places_and_lines() {
        let cell = |blocks: Vec<Block>| Cell {
            blocks,
            col_span: 1,
            ..Cell::default()
        };
        let table = Table {
            rows: vec![Row {
                cells: vec![
                    cell(vec![
                        para(&["  Sở\u{a0}Tư pháp "]),
                        para(&[" "]),
                        para(&["tỉnh  Lào Cai"]),
                    ]),
                    cell(vec![para(&["Căn cứ Luật", "Tổ chức\tchính quyền"])]),
                ],
                header: false,
            }],
            ..Table::default()
        };
        let t = table_view(&table, 2);
        let [a, b] = t.rows[0].as_slice() else {
            panic!("two cells expected");
        };
        assert_eq!(a.line(), "Sở Tư pháp tỉnh Lào Cai");
        assert_eq!(a.line(), util::clean(&a.text()));
        assert_eq!(a.loc.to_string(), "table 2, row 1, cell 1");
        // the blank paragraph is left out; the third keeps its number among the kept
        assert_eq!(
            a.paras[1].loc.to_string(),
            "table 2, row 1, cell 1, paragraph 2"
        );
        assert_eq!(a.paras[0].raw(), "Sở\u{a0}Tư pháp ");
        assert_eq!(b.paras[0].text, "Căn cứ Luật Tổ chức chính quyền");
        assert_eq!(b.paras[0].raw(), "Căn cứ Luật\nTổ chức\tchính quyền");
        assert_eq!(b.line(), util::clean(&b.text()));
        assert_eq!(b.paras[0].loc.cell_of(), b.loc);
        assert_eq!(Loc::paragraph(7).to_string(), "paragraph 7");
        assert_eq!(Loc::paragraph(7).cell_of(), Loc::paragraph(7));
    }

    #[test]
    fn sectors_from_titles_and_headings() {
        assert_eq!(
            sector_in("CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ TRONG LĨNH VỰC CÔNG TÁC DÂN TỘC THUỘC THẨM QUYỀN", false),
            Some("Công tác dân tộc".into())
        );
        assert_eq!(
            sector_in(
                "Về việc công bố thủ tục hành chính mới ban hành lĩnh vực đất đai thuộc phạm vi",
                false
            ),
            Some("Đất đai".into())
        );
        assert_eq!(
            sector_in("I. Lĩnh vực: Lưu thông hàng hóa trong nước", true),
            Some("Lưu thông hàng hóa trong nước".into())
        );
        assert_eq!(
            sector_in("LĨNH VỰC CHỨNG THỰC (17 TTHC)", true),
            Some("Chứng thực".into())
        );
        assert_eq!(
            sector_in("trong các lĩnh vực quốc tịch; chứng thực", false),
            None
        );
    }

    #[test]
    fn scope_of_group_headings() {
        let s = Scope::from_heading("B. THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP TỈNH", "paragraph 1");
        assert_eq!(s.level, Some(Level::Province));
        let s = Scope::from_heading("2. Danh mục thủ tục hành chính được sửa đổi, bổ sung", "p");
        assert_eq!(s.change, Some(ChangeKind::Amended));
        let s = Scope::from_heading(
            "Danh mục thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước",
            "p",
        );
        assert_eq!(s.group, Some(Group::BetweenAgencies));
    }

    fn doc(text: &str) -> Extraction {
        extract(&crate::ingest::text::read_text(text), "t.txt")
    }

    #[test]
    fn decision_with_merged_header_columns() {
        let x = doc(
            "ỦY BAN NHÂN DÂN TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Số: 2827 /QĐ-UBND Lào Cai, ngày 5 tháng 3 năm 2025\n\
             QUYẾT ĐỊNH\n\
             VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ\n\
             CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\
             Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;\n\
             QUYẾT ĐỊNH:\n\
             Điều 1. Công bố kèm theo Quyết định này 01 (Một) thủ tục hành chính nội bộ.\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\
             KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn An\n",
        );
        let d = x.decision.expect("decision");
        assert_eq!(d.number.as_deref(), Some("2827/QĐ-UBND"));
        assert_eq!(d.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 5));
        assert_eq!(d.place.as_deref(), Some("Lào Cai"));
        assert_eq!(d.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH LÀO CAI"));
        assert_eq!(
            d.title.as_deref(),
            Some("VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ")
        );
        assert_eq!(
            d.authority.as_deref(),
            Some("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI")
        );
        assert_eq!(d.legal_grounds.len(), 1);
        assert_eq!(d.article_count, Some(2));
        assert_eq!(d.declared_count, Some(1));
        assert_eq!(d.signer.authority.as_deref(), Some("KT. CHỦ TỊCH"));
        assert_eq!(d.signer.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
        assert_eq!(d.signer.name.as_deref(), Some("Nguyễn Văn An"));
    }

    #[test]
    fn list_rows_with_groups_and_ditto_cells() {
        let x = doc("Dòng đầu\n\n\
             | STT | Tên thủ tục hành chính | Lĩnh vực | Cơ quan thực hiện |\n\
             |---|---|---|---|\n\
             | A | THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP TỈNH |  |  |\n\
             | 1 | Thủ tục thứ nhất về môi trường | Môi trường | Sở Nông nghiệp và Môi trường |\n\
             | 1.1 | Trường hợp riêng |  |  |\n\
             | 2 | Thủ tục thứ hai về môi trường | Như trên | Như trên |\n\
             | B | THỦ TỤC HÀNH CHÍNH NỘI BỘ CẤP XÃ |  |  |\n\
             | 1 | Thủ tục thứ ba về môi trường | Môi trường | UBND cấp xã |\n");
        assert_eq!(x.procedures.len(), 3);
        let p = &x.procedures[1];
        assert_eq!(p.sector, "Môi trường");
        assert_eq!(p.agency.text, "Sở Nông nghiệp và Môi trường");
        assert_eq!(p.level, Some(Level::Province));
        assert_eq!(x.procedures[2].level, Some(Level::Commune));
        assert_eq!(p.field_sources["agency"].location, "table 1, row 5, cell 4");
        assert!(x.warnings.iter().any(|w| w.contains("sub-cases")));
    }

    #[test]
    fn part_two_merged_with_the_list() {
        let mut t = String::from("| TT | Tên thủ tục hành chính | Đơn vị thực hiện |\n| 1 | Phê duyệt danh sách các dân tộc | - Cơ quan thực hiện TTHC: UBND cấp tỉnh. |\n\n");
        t.push_str("PHẦN II. NỘI DUNG CỤ THỂ\n1. Phê duyệt danh sách các dân tộc\na) Trình tự thực hiện\n+ Bước 1: Rà soát.\n+ Bước 2: Tổng hợp.\n");
        t.push_str("b) Cách thức thực hiện: Trực tiếp.\nc) Thành phần, số lượng hồ sơ\n* Thành phần hồ sơ: Báo cáo kèm theo biểu.\n* Số lượng hồ sơ: 01 bộ.\n");
        t.push_str("d) Thời hạn giải quyết: Trong thời hạn 30 (ba mươi) ngày làm việc.\ne) Cơ quan giải quyết thủ tục hành chính: Bộ Dân tộc và Tôn giáo.\n");
        t.push_str("l) Căn cứ pháp lý của thủ tục hành chính\nNghị định số 255/2025/NĐ-CP ngày 29/9/2025 của Chính phủ.\n");
        let x = doc(&t);
        assert_eq!(x.procedures.len(), 1);
        let p = &x.procedures[0];
        assert_eq!(p.name, "Phê duyệt danh sách các dân tộc");
        assert_eq!(p.steps.len(), 2);
        assert_eq!(p.dossier.items.len(), 1);
        assert_eq!(p.dossier.sets, Some(1));
        assert_eq!(p.processing_time.value, Some(30.0));
        assert_eq!(
            p.processing_time.unit,
            Some(crate::model::TimeUnit::WorkingDays)
        );
        // an explicit "Cơ quan thực hiện TTHC" in the list beats Part II's "Cơ quan giải quyết"
        assert_eq!(p.agency.text, "UBND cấp tỉnh");
        assert_eq!(p.legal_basis[0].number.as_deref(), Some("255/2025/NĐ-CP"));
        assert_eq!(
            p.legal_basis[0].date,
            chrono::NaiveDate::from_ymd_opt(2025, 9, 29)
        );
        assert_eq!(p.field_sources["steps"].location, "paragraph 3");
    }

    #[test]
    fn step_tables_under_headings() {
        let t = "I. TTHC CÓ THỜI GIAN GIẢI QUYẾT 03 NGÀY\n\
             1. Cấp giấy phép vận chuyển hàng hóa nguy hiểm, gồm:\n\
             2. Cấp điều chỉnh giấy phép vận chuyển hàng hóa nguy hiểm\n\
             | Thứ tự các bước | Nội dung công việc | Đơn vị thực hiện | Thời gian |\n\
             | - Thời gian giải quyết TTHC: | 03 ngày |\n\
             | Bước 1 | Tiếp nhận hồ sơ | Bộ phận một cửa | 1 giờ |\n\
             | Bước 2 | Thẩm định | Phòng chuyên môn | 8 giờ |\n\
             | Bước 2 | Trả kết quả | Bộ phận một cửa | 1 giờ |\n";
        let x = doc(t);
        assert_eq!(x.procedures.len(), 2);
        assert_eq!(
            x.procedures[0].name,
            "Cấp giấy phép vận chuyển hàng hóa nguy hiểm"
        );
        assert_eq!(x.procedures[1].steps.len(), 3);
        assert_eq!(x.procedures[1].processing_time.text, "03 ngày");
        assert_eq!(
            x.procedures[0].steps[1].responsible.as_deref(),
            Some("Phòng chuyên môn")
        );
    }

    #[test]
    fn step_table_under_a_steps_label() {
        let x = doc("1. Thủ tục thẩm định đề án\n\
             1.1. Trình tự thực hiện:\n\
             | Bước | Nội dung |\n\
             | Bước 1 | Tiếp nhận |\n\
             | Bước 2 | Thẩm định |\n\
             1.2. Cách thức thực hiện: Trực tiếp.\n\
             1.3. Thời hạn giải quyết: 05 ngày.\n");
        assert_eq!(x.procedures.len(), 1);
        assert_eq!(x.procedures[0].steps.len(), 2);
        assert_eq!(x.procedures[0].processing_time.text, "05 ngày");
    }

    #[test]
    fn fields_in_one_paragraph_then_lettered_fields_and_a_step_table() {
        // "1. Thủ tục: …", then "Mã thủ tục: …. Thời hạn giải quyết: …. Cách thức thực
        // hiện: …." in one paragraph, then "a)"/"b)" fields and the step table.
        let x = doc("1. Thủ tục: Cấp giấy phép tổ chức lễ hội\n\
             Mã thủ tục: 1.082093. Thời hạn giải quyết: 25 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ. Cách thức thực hiện: trực tuyến một phần.\n\
             a) Thành phần hồ sơ:\n\
             - Văn bản đề nghị của tổ chức\n\
             - Hợp đồng, giao dịch có liên quan\n\
             b) Trình tự thực hiện:\n\
             | Bước | Nội dung công việc | Trách nhiệm thực hiện |\n\
             | B1 | Tiếp nhận hồ sơ | Bộ phận một cửa |\n\
             | B2 | Thẩm định hồ sơ | Phòng chuyên môn |\n\
             2. Thủ tục: Cấp lại giấy phép tổ chức lễ hội\n\
             Mã thủ tục: 2.000123. Thời hạn giải quyết: 05 ngày làm việc. Cách thức thực hiện: trực tiếp.\n\
             a) Thành phần hồ sơ:\n\
             - Văn bản đề nghị cấp lại\n\
             b) Trình tự thực hiện:\n\
             | Bước | Nội dung công việc | Trách nhiệm thực hiện |\n\
             | B1 | Tiếp nhận hồ sơ | Bộ phận một cửa |\n\
             | B2 | Trả kết quả | Bộ phận một cửa |\n");
        assert_eq!(x.procedures.len(), 2, "{:?}", x.warnings);
        let p = &x.procedures[0];
        assert_eq!(p.name, "Cấp giấy phép tổ chức lễ hội");
        assert_eq!(p.code.as_deref(), Some("1.082093"));
        assert_eq!(
            p.processing_time.text,
            "25 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
        );
        assert_eq!(p.channels, vec!["trực tuyến một phần".to_string()]);
        assert_eq!(p.dossier.items.len(), 2);
        assert_eq!(p.steps.len(), 2);
        assert_eq!(x.procedures[1].name, "Cấp lại giấy phép tổ chức lễ hội");
        assert_eq!(x.procedures[1].code.as_deref(), Some("2.000123"));
        assert_eq!(x.procedures[1].steps.len(), 2);
        assert_eq!(x.procedures[1].channels, vec!["trực tiếp".to_string()]);
    }

    #[test]
    fn labels_from_automatic_numbering() {
        use crate::doctree::{ParaFormat, Run};
        let para = |label: Option<&str>, text: &str| {
            let mut p = Paragraph::from_run(Run::new(text), ParaFormat::default());
            p.list_label = label.map(|l| l.to_string());
            Block::Paragraph(p)
        };
        let blocks = vec![
            para(Some("1."), "Thủ tục đính chính giấy chứng nhận"),
            para(Some("(1)"), "Trình tự thực hiện:"),
            para(None, "Bước 1: Nộp hồ sơ."),
            para(Some("(2)"), "Cách thức thực hiện: Trực tiếp."),
            para(Some("(3)"), "Thời hạn giải quyết"),
            para(None, "Không quá 08 ngày làm việc."),
            para(Some("2."), "Thủ tục cấp lại giấy chứng nhận"),
            para(Some("(1)"), "Trình tự thực hiện:"),
            para(None, "Bước 1: Nộp hồ sơ."),
            para(None, "Bước 2: Nhận kết quả."),
        ];
        let mut d = crate::ingest::text::read_text("");
        d.sections[0].blocks = blocks;
        let x = extract(&d, "x.docx");
        assert_eq!(x.procedures.len(), 2);
        assert_eq!(x.procedures[0].name, "Thủ tục đính chính giấy chứng nhận");
        assert_eq!(
            x.procedures[0].processing_time.text,
            "Không quá 08 ngày làm việc"
        );
        assert_eq!(x.procedures[1].steps.len(), 2);
    }

    #[test]
    fn agency_parts() {
        let (a, explicit) = parse_agency(&[
            "+ Cơ quan trực tiếp thực hiện TTHC: Sở Tư pháp".into(),
            "+ Cơ quan có thẩm quyền quyết định: UBND tỉnh".into(),
        ]);
        assert!(explicit);
        assert_eq!(a.text, "Sở Tư pháp");
        assert_eq!(a.decides.as_deref(), Some("UBND tỉnh"));
        let (a, explicit) =
            parse_agency(&["- Cơ quan thực hiện TTHC:".into(), "UBND cấp tỉnh.".into()]);
        assert!(explicit);
        assert_eq!(a.text, "UBND cấp tỉnh");
        let (a, explicit) = parse_agency(&["UBND cấp xã".into()]);
        assert!(!explicit);
        assert_eq!(a.text, "UBND cấp xã");
    }
}
