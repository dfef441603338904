//! Part I: list tables (danh mục) of procedures.
//!
//! A list table has a header row with a name column ("Tên thủ tục hành chính",
//! "Tên TTHC", "Lĩnh vực / Tên TTHC"); other columns are recognised by their header
//! words. Rows are group rows (A/B, Roman lĩnh vực, "I.1"), procedure rows (Arabic STT
//! or a code), sub-case rows ("9.1"), step rows ("Bước N" in a workflow table) and
//! continuation rows (a row split at a page break). "Như trên" repeats the cell above.

use crate::model::{Procedure, Step};

use super::util::{self, fkey, Style};
use super::{
    chi_tiet, legal_refs, parse_agency, processing_time, DocContext, Found, Loc, Node, Scope,
    TableView, View,
};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Stt,
    Code,
    Name,
    OldName,
    Sector,
    Agency,
    /// "Cơ quan giải quyết", "Cơ quan có thẩm quyền".
    AgencyOther,
    Time,
    TimeAlt,
    Location,
    Channel,
    Fee,
    Legal,
    ChangeBasis,
    Note,
    Other,
}

fn classify(header: &str) -> Col {
    let f = fkey(header);
    let f = f.trim_matches(|c: char| c == '*' || c == ' ');
    if f == "stt" || f == "tt" || f.starts_with("so tt") || f == "so thu tu" || f == "thu tu" {
        return Col::Stt;
    }
    if (f.contains("ten thu tuc") || f.contains("ten tthc") || f.contains("ten tt hc"))
        && !f.contains("ten vb")
    {
        if f.contains("duoc thay the") {
            return Col::OldName;
        }
        return Col::Name;
    }
    if f.starts_with("ma ") || f == "ma" || f.starts_with("ma so") {
        return Col::Code;
    }
    if f.contains("vbqppl")
        || f.starts_with("ten vb")
        || f.starts_with("ten van ban")
        || f.contains("quy dinh noi dung")
    {
        return Col::ChangeBasis;
    }
    if f.starts_with("linh vuc") {
        return Col::Sector;
    }
    if f.contains("phoi hop") {
        return Col::Other;
    }
    if f.starts_with("co quan") || f.starts_with("don vi thuc hien") {
        if !f.contains("thuc hien") && (f.contains("giai quyet") || f.contains("tham quyen")) {
            return Col::AgencyOther;
        }
        return Col::Agency;
    }
    if f.starts_with("thoi han") || f.starts_with("thoi gian giai quyet") {
        if f.contains("vung") || f.contains("mien nui") {
            return Col::TimeAlt;
        }
        return Col::Time;
    }
    if f.starts_with("dia diem") {
        return Col::Location;
    }
    if f.starts_with("cach thuc") {
        return Col::Channel;
    }
    if f.starts_with("phi") || f.starts_with("le phi") {
        return Col::Fee;
    }
    if f.starts_with("can cu") {
        return Col::Legal;
    }
    if f.starts_with("ghi chu") {
        return Col::Note;
    }
    Col::Other
}

/// Longest header cell looked at, in bytes: a column heading is a few words, while a
/// cell holding a whole procedure's detail runs to thousands of characters.
const MAX_HEADER_BYTES: usize = 600;

/// The header row of a list table, if it is one.
fn header_row(t: &TableView) -> Option<usize> {
    *t.list_header.get_or_init(|| {
        t.rows.iter().take(4).position(|r| {
            r.iter().any(|c| {
                c.paras.iter().map(|p| p.text.len() + 1).sum::<usize>() <= MAX_HEADER_BYTES
                    && classify(&c.line()) == Col::Name
            })
        })
    })
}

/// Whether a table is a list of procedures (it has a name column).
pub(crate) fn is_list_table(t: &TableView) -> bool {
    header_row(t).is_some()
}

/// A column of the header: grid range and role.
#[derive(Debug, Clone)]
struct Column {
    grid: usize,
    span: usize,
    role: Col,
}

fn is_ditto(s: &str) -> bool {
    let f = fkey(s);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f == "nhu tren" || f == "nt" || f == "nhu tren nt"
}

/// STT forms.
#[derive(Debug, Clone, PartialEq)]
enum Stt {
    Empty,
    /// "1", "01", "1."
    Number,
    /// "9.1"
    Sub,
    /// "A", "B.", "I", "II.", "I.1", "A1"
    Group(usize),
    Other,
}

fn stt_of(s: &str) -> Stt {
    let t = s.trim().trim_end_matches(['/', ' ']).trim();
    let t = t.trim_end_matches('.').trim();
    if t.is_empty() {
        return Stt::Empty;
    }
    if t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 3 {
        return Stt::Number;
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Stt::Sub;
    }
    let roman = |p: &str| !p.is_empty() && p.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'));
    if roman(t) {
        return Stt::Group(1);
    }
    if t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_uppercase()) {
        return Stt::Group(0);
    }
    if parts.len() == 2 && roman(parts[0]) && parts[1].chars().all(|c| c.is_ascii_digit()) {
        return Stt::Group(2);
    }
    let cs: Vec<char> = t.chars().collect();
    if cs.len() <= 3 && cs[0].is_ascii_uppercase() && cs[1..].iter().all(|c| c.is_ascii_digit()) {
        return Stt::Group(1);
    }
    Stt::Other
}

/// A row entry while reading a table.
#[derive(Debug, Clone, Default)]
struct Entry {
    found: Found,
    /// STT as printed.
    stt: String,
    /// Where the steps were read.
    steps_loc: Option<String>,
    /// Cell texts by role, for dittos and continuation rows.
    cells: Vec<(Col, String)>,
    subcases: usize,
    steps: Vec<Step>,
}

/// One list: consecutive tables with the same columns (a list re-split at page breaks).
#[derive(Debug, Default)]
struct List {
    key: Vec<Col>,
    tables: Vec<usize>,
    entries: Vec<Entry>,
    scope: Scope,
    /// Group rows in force, by depth (A/B = 0, Roman = 1, "I.1" = 2).
    group: Vec<(usize, Scope)>,
    last_kind: &'static str,
    started: bool,
    continuation_rows: usize,
}

pub(crate) fn extract(view: &View, ctx: &DocContext, warnings: &mut Vec<String>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut paras_since_table: Vec<(String, Loc)> = Vec::new();
    let mut list: Option<List> = None;
    for n in &view.nodes {
        match n {
            Node::Para(p) => {
                // headings only: not an article, a căn cứ or a long paragraph
                let heading = (p.text.len() <= 300 || p.text.chars().count() <= 300)
                    && !["dieu ", "can cu", "("]
                        .iter()
                        .any(|k| util::key_starts_with(&p.text, k));
                if heading {
                    paras_since_table.push((p.text.clone(), p.loc));
                }
            }
            Node::Table(t) => {
                let Some(h) = header_row(t) else {
                    paras_since_table.clear();
                    continue;
                };
                // headings just above the table ("1. Danh mục … mới ban hành")
                let mut s = Scope::default();
                for (para, loc) in paras_since_table.iter().rev().take(6) {
                    let f = fkey(para);
                    if f.contains("danh muc")
                        || f.contains("thu tuc")
                        || f.contains("tthc")
                        || f.contains("linh vuc")
                    {
                        let sc = Scope::from_heading(para, loc);
                        s = s.inherit(&sc);
                    }
                }
                let headings_between = !paras_since_table.is_empty() && !s.is_empty();
                paras_since_table.clear();
                let key: Vec<Col> = columns(t, h)
                    .iter()
                    .map(|c| c.role)
                    .filter(|r| *r != Col::Other)
                    .collect();
                let same = list
                    .as_ref()
                    .map(|l| l.key == key && !headings_between)
                    .unwrap_or(false);
                if !same {
                    if let Some(l) = list.take() {
                        finish(l, view, &mut out, warnings);
                    }
                    list = Some(List {
                        key,
                        scope: s.inherit(&ctx.scope),
                        ..List::default()
                    });
                }
                if let Some(l) = list.as_mut() {
                    l.tables.push(t.number);
                    read_table(t, h, view, l);
                }
            }
        }
    }
    if let Some(l) = list.take() {
        finish(l, view, &mut out, warnings);
    }
    out
}

/// "1, 2, 3, 5" → "1–3, 5".
fn ranges(ns: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ns.len() {
        let mut j = i;
        while j + 1 < ns.len() && ns[j + 1] == ns[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}–{}", ns[i], ns[j])
        } else {
            ns[i].to_string()
        });
        i = j + 1;
    }
    out.join(", ")
}

/// The scope of nested group rows, the deepest first.
fn group_scope(stack: &[(usize, Scope)]) -> Scope {
    let mut s = Scope::default();
    for (_, g) in stack.iter().rev() {
        s = s.inherit(g);
    }
    s
}

/// Close a list: fold sub-cases, attach steps, and refuse lists rebuilt from a scan.
fn finish(l: List, view: &View, out: &mut Vec<Found>, warnings: &mut Vec<String>) {
    let tables = ranges(&l.tables);
    if l.tables.len() >= 3 && l.continuation_rows >= 1 {
        let nums: Vec<Option<usize>> = l
            .entries
            .iter()
            .map(|e| e.stt.trim_end_matches('.').parse().ok())
            .collect();
        let stts = if nums.iter().all(|n| n.is_some()) {
            ranges(&nums.into_iter().flatten().collect::<Vec<_>>())
        } else {
            l.entries
                .iter()
                .map(|e| e.stt.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        warnings.push(format!(
            "the list in tables {tables} is re-split page by page ({} tables with the same header) and {} row(s) continue across page breaks, as in a scanned copy converted to Word: cells may be shifted between rows, so its {} procedures (STT {}) were not extracted; use the original document",
            l.tables.len(),
            l.continuation_rows,
            l.entries.len(),
            stts
        ));
        return;
    }
    let mut with_subcases = 0;
    for mut e in l.entries {
        if e.subcases > 0 {
            with_subcases += 1;
        } else if !e.steps.is_empty() {
            e.found.procedure.steps = std::mem::take(&mut e.steps);
            if let Some(src) = e.steps_loc.take() {
                e.found
                    .procedure
                    .field_sources
                    .insert("steps".into(), view.src(&src));
            }
        }
        out.push(e.found);
    }
    if with_subcases > 0 {
        warnings.push(format!(
            "table(s) {tables}: {with_subcases} procedure(s) are split into sub-cases (rows \"n.m\"); their time and steps are given per sub-case and were not merged"
        ));
    }
}

fn columns(t: &TableView, h: usize) -> Vec<Column> {
    let mut cols: Vec<Column> = t.rows[h]
        .iter()
        .map(|c| Column {
            grid: c.grid,
            span: c.span,
            role: classify(&c.line()),
        })
        .collect();
    if !t.has_spans {
        // empty header cells at the end are left over from collapsed spans
        while cols.len() > 1
            && t.rows[h]
                .get(cols.len() - 1)
                .map(|c| c.line().is_empty())
                .unwrap_or(false)
        {
            cols.pop();
        }
        cols = realign(t, h, cols);
    }
    cols
}

/// Whether a cell's content fits a column role (None: not checkable).
fn plausible(role: Col, text: &str) -> Option<bool> {
    let f = fkey(text);
    if f.is_empty() {
        return None;
    }
    let any = |ws: &[&str]| ws.iter().any(|w| f.contains(w));
    Some(match role {
        Col::Time | Col::TimeAlt => any(&["ngay", "gio", "thang", "khong quy dinh"]),
        Col::Fee => any(&["dong", "khong", "mien", "phi", "theo quy dinh", "000"]),
        Col::Legal | Col::ChangeBasis => {
            let (_, rest) = util::split_label(text);
            util::starts_with_doc_type(rest)
                || fkey(rest).starts_with("van ban")
                || util::find_doc_number(text).is_some()
        }
        Col::Location | Col::Agency | Col::AgencyOther => any(&[
            "bo phan",
            "trung tam",
            "ubnd",
            "uy ban",
            "so ",
            "phong",
            "co quan",
            "cap xa",
            "cap huyen",
            "cap tinh",
            "bo ",
            "cuc",
            "cong an",
            "truc tiep",
            "truc tuyen",
        ]),
        Col::Code => {
            let t = text.trim();
            t.chars().filter(|c| c.is_ascii_digit()).count() >= 3
                && t.chars().filter(|c| c.is_alphabetic()).count() <= 6
                && !t.contains(' ')
        }
        Col::Name => text.chars().count() >= 10 && text.chars().any(|c| c.is_lowercase()),
        _ => return None,
    })
}

/// Text tables lose column spans: when a header cell covered several data columns, the
/// data cells after it are shifted. Find the shift (insert `s` columns before header
/// column `j`) under which the cells of the first procedure rows fit their roles best.
fn realign(t: &TableView, h: usize, cols: Vec<Column>) -> Vec<Column> {
    let n = cols.len();
    let name_at = match cols.iter().position(|c| c.role == Col::Name) {
        Some(p) => p,
        None => return cols,
    };
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .skip(h + 1)
        .map(|r| r.iter().map(|c| c.line()).collect::<Vec<String>>())
        .filter(|r| r.first().map(|x| stt_of(x) == Stt::Number).unwrap_or(false) && r.len() > n)
        .take(15)
        .collect();
    if rows.is_empty() {
        return cols;
    }
    let score = |j: usize, s: usize| -> i32 {
        let mut total = 0;
        for r in &rows {
            for (i, c) in cols.iter().enumerate() {
                let at = if i < j { i } else { i + s };
                if let Some(text) = r.get(at) {
                    match plausible(c.role, text) {
                        Some(true) => total += 1,
                        Some(false) => total -= 1,
                        None => {}
                    }
                }
            }
        }
        total
    };
    let base = score(n, 0);
    let mut best = (base, n, 0usize);
    for s in 1..=2 {
        for j in name_at + 1..n {
            let sc = score(j, s);
            if sc > best.0 {
                best = (sc, j, s);
            }
        }
    }
    let (sc, j, s) = best;
    if s == 0 || sc < base + rows.len() as i32 {
        return cols;
    }
    let mut out: Vec<Column> = Vec::new();
    for (i, c) in cols.into_iter().enumerate() {
        if i == j {
            for _ in 0..s {
                out.push(Column {
                    grid: 0,
                    span: 1,
                    role: Col::Other,
                });
            }
        }
        out.push(c);
    }
    out
}

/// Roles of the cells of a row.
fn roles(t: &TableView, cols: &[Column], row: &[super::CellView]) -> Vec<Col> {
    if t.has_spans {
        return row
            .iter()
            .map(|c| {
                cols.iter()
                    .find(|k| c.grid >= k.grid && c.grid < k.grid + k.span)
                    .map(|k| k.role)
                    .unwrap_or(Col::Other)
            })
            .collect();
    }
    let n = cols.len();
    if row.len() >= n {
        return (0..row.len())
            .map(|i| cols.get(i).map(|c| c.role).unwrap_or(Col::Other))
            .collect();
    }
    // fewer cells: merged cells; align from the left up to the name, from the right after it
    let name_at = cols.iter().position(|c| c.role == Col::Name).unwrap_or(0);
    (0..row.len())
        .map(|i| {
            if i <= name_at {
                cols[i].role
            } else {
                let from_right = row.len() - i;
                cols[n - from_right].role
            }
        })
        .collect()
}

fn cell_text(row: &[super::CellView], roles: &[Col], role: Col) -> Option<(usize, String)> {
    roles
        .iter()
        .position(|r| *r == role)
        .map(|i| (i, row[i].text()))
}

fn read_table(t: &TableView, h: usize, view: &View, l: &mut List) {
    let cols = columns(t, h);
    let header_texts: Vec<String> = t.rows[h].iter().map(|c| fkey(&c.line())).collect();
    let heading = l.scope.clone();
    let mut started = false;
    let entries = &mut l.entries;
    let group = &mut l.group;
    let mut last_kind = l.last_kind;
    for (ri, row) in t.rows.iter().enumerate().skip(h + 1) {
        let texts: Vec<String> = row.iter().map(|c| c.line()).collect();
        if texts.iter().all(|s| s.is_empty()) {
            continue;
        }
        // the rest of a header merged over several rows
        if !started
            && row.iter().any(|c| c.cont)
            && stt_of(texts.first().map(|s| s.as_str()).unwrap_or("")) != Stt::Number
        {
            let own: Vec<&super::CellView> = row.iter().filter(|c| !c.cont).collect();
            if own
                .iter()
                .all(|c| classify(&c.line()) != Col::Name && stt_of(&c.line()) != Stt::Number)
            {
                continue;
            }
        }
        // a repeated header row
        let same_as_header = texts.len() == header_texts.len()
            && texts
                .iter()
                .zip(&header_texts)
                .filter(|(a, b)| util::key_eq(a, b))
                .count()
                * 2
                >= texts.len();
        if same_as_header {
            continue;
        }
        let roles = roles(t, &cols, row);
        let stt_cells: Vec<String> = roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == Col::Stt)
            .map(|(i, _)| texts[i].clone())
            .collect();
        let stt_txt = stt_cells
            .iter()
            .find(|s| !s.trim().is_empty())
            .cloned()
            .unwrap_or_default();
        let stt = if stt_cells.is_empty() {
            stt_of(texts.first().map(|s| s.as_str()).unwrap_or(""))
        } else {
            stt_of(&stt_txt)
        };
        let name = cell_text(row, &roles, Col::Name)
            .map(|x| util::clean(&x.1))
            .unwrap_or_default();
        let code = cell_text(row, &roles, Col::Code)
            .map(|x| util::clean(&x.1))
            .filter(|c| plausible(Col::Code, c) == Some(true))
            .unwrap_or_default();
        let nonempty: Vec<&String> = texts.iter().filter(|s| !s.is_empty()).collect();
        let mut distinct: Vec<&String> = Vec::new();
        for s in &nonempty {
            if !distinct.contains(s) {
                distinct.push(s);
            }
        }
        // step rows of a workflow table
        if let Some(step) = step_of(row) {
            if let Some(e) = entries.last_mut() {
                e.steps.push(step);
                e.steps_loc
                    .get_or_insert_with(|| format!("table {}", t.number));
            }
            last_kind = "step";
            continue;
        }
        let first_text = name.clone();
        if util::key_starts_with(&first_text, "giai doan") {
            last_kind = "phase";
            continue;
        }
        // group rows
        let single = distinct.len() == 1;
        let group_row = code.is_empty()
            && match stt {
                Stt::Group(_) => true,
                Stt::Empty | Stt::Other => {
                    single && {
                        let f = fkey(distinct[0]);
                        let (st, rest) = util::split_label(distinct[0]);
                        let rf = fkey(rest);
                        util::is_upper(rest, 6)
                            || matches!(st, Style::Upper | Style::Roman)
                            || rf.starts_with("linh vuc")
                            || rf.starts_with("danh muc")
                            || rf.starts_with("thu tuc hanh chinh")
                            || f.starts_with("tthc")
                    }
                }
                _ => false,
            };
        if group_row {
            let text = if !name.is_empty() && stt != Stt::Empty {
                name.clone()
            } else {
                distinct
                    .iter()
                    .map(|s| s.as_str())
                    .max_by_key(|s| s.len())
                    .unwrap_or("")
                    .to_string()
            };
            let sc = Scope::from_heading(&text, format!("table {}, row {}", t.number, ri + 1));
            let depth = match stt {
                Stt::Group(d) => d,
                _ => match util::split_label(&text).0 {
                    Style::Roman => 1,
                    Style::Dotted => 2,
                    _ => 0,
                },
            };
            group.retain(|(d, _)| *d < depth);
            group.push((depth, sc));
            last_kind = "group";
            continue;
        }
        if !started && stt == Stt::Other && name.is_empty() {
            // a second header row ("Mức độ DVC | Thực hiện qua BCCI")
            continue;
        }
        if stt == Stt::Sub {
            if let Some(e) = entries.last_mut() {
                e.subcases += 1;
            }
            last_kind = "sub";
            continue;
        }
        let lower = name
            .chars()
            .next()
            .map(|c| c.is_lowercase())
            .unwrap_or(name.is_empty());
        // the number of the row above repeated over a page break, the text going on in lower case
        let repeated = stt == Stt::Number
            && lower
            && entries
                .last()
                .map(|e| e.stt == stt_txt.trim())
                .unwrap_or(false);
        let is_proc = match stt {
            Stt::Number => !name.is_empty() && !repeated,
            Stt::Empty => !code.is_empty() && !name.is_empty(),
            _ => false,
        };
        if !is_proc {
            // continuation of the row above (split at a page break)
            if (stt == Stt::Empty || repeated)
                && matches!(last_kind, "proc" | "cont")
                && lower
                && !entries.is_empty()
            {
                l.continuation_rows += 1;
                if let Some(e) = entries.last_mut() {
                    for (i, r) in roles.iter().enumerate() {
                        if !texts[i].is_empty() {
                            if let Some(c) = e.cells.iter_mut().find(|c| c.0 == *r) {
                                c.1.push(' ');
                                c.1.push_str(&texts[i]);
                            }
                        }
                    }
                    if !name.is_empty() {
                        e.found.procedure.name.push(' ');
                        e.found.procedure.name.push_str(&name);
                    }
                }
                last_kind = "cont";
            } else if !name.is_empty()
                && stt == Stt::Empty
                && !matches!(last_kind, "step" | "phase")
                && started
            {
                last_kind = "other";
            }
            continue;
        }
        started = true;
        last_kind = "proc";
        let prev = entries.last().map(|e| e.cells.clone());
        let mut entry = read_row(
            t,
            ri,
            row,
            &roles,
            view,
            prev.as_deref(),
            &group_scope(group).inherit(&heading),
        );
        entry.stt = stt_txt.trim().to_string();
        entries.push(entry);
    }
    l.last_kind = last_kind;
    l.started |= started;
}

fn step_of(row: &[super::CellView]) -> Option<Step> {
    for (k, c) in row.iter().take(4).enumerate() {
        let l = c.line();
        if let Some((label, rest)) = util::step_label(&l) {
            if rest.trim().is_empty() {
                let rest: Vec<String> = row[k + 1..].iter().map(|c| c.line()).collect();
                return Some(Step {
                    label: Some(label),
                    text: rest.first().cloned().unwrap_or_default(),
                    responsible: rest.get(1).cloned().filter(|s| !s.is_empty()),
                    duration: rest.get(2).cloned().filter(|s| !s.is_empty()),
                });
            }
        }
    }
    None
}

/// Split a name cell's "Mã TTHC: 2.002755" line off the name.
fn split_code(name: &str) -> (String, Option<String>) {
    let f = util::fold(name);
    for key in ["ma tthc", "ma so tthc", "ma so:", "ma thu tuc"] {
        if let Some(p) = f.rfind(key) {
            let (pc, code) = util::code_after(name, &f, p);
            let code = code.trim_end_matches('.').to_string();
            if code.len() >= 3 {
                let head: String = name.chars().take(pc).collect();
                return (
                    util::clean(head.trim_end_matches(['(', ' ', '-', ';'])),
                    Some(code),
                );
            }
        }
    }
    (util::clean(name), None)
}

fn read_row(
    t: &TableView,
    ri: usize,
    row: &[super::CellView],
    roles: &[Col],
    view: &View,
    prev: Option<&[(Col, String)]>,
    scope: &Scope,
) -> Entry {
    let mut p = Procedure::default();
    let row_loc = format!("table {}, row {}", t.number, ri + 1);
    p.source = Some(view.src(&row_loc));
    let mut cells: Vec<(Col, String)> = Vec::new();
    let mut rank = 9u8;
    let mut legal_items: Vec<String> = Vec::new();
    let mut change_items: Vec<String> = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let c = &row[i];
        let mut text = c.text();
        // "Như trên": the same as the row above
        if is_ditto(&text) {
            if let Some(v) = prev.and_then(|pv| pv.iter().find(|x| x.0 == *role)) {
                text = v.1.clone();
            }
        }
        cells.push((*role, text.clone()));
        if text.trim().is_empty() {
            continue;
        }
        let src = view.src(c.loc);
        let paras: Vec<String> = text.split('\n').map(|s| s.to_string()).collect();
        match role {
            Col::Name => {
                let (name, code) = split_code(&text);
                p.name = name;
                if code.is_some() && p.code.is_none() {
                    p.code = code;
                    p.field_sources.insert("code".into(), src.clone());
                }
                p.field_sources.insert("name".into(), src);
            }
            Col::Code => {
                let c = util::clean(&text);
                if plausible(Col::Code, &c) == Some(true) {
                    p.code = Some(c);
                    p.field_sources.insert("code".into(), src);
                }
            }
            Col::Sector => {
                p.sector = util::strip_end_punct(&util::clean(&text)).to_string();
                p.field_sources.insert("sector".into(), src);
            }
            Col::Agency | Col::AgencyOther => {
                let (a, e) = parse_agency(&paras);
                p.agency = a;
                rank = if e {
                    1
                } else if *role == Col::Agency {
                    3
                } else {
                    5
                };
                p.field_sources.insert("agency".into(), src);
            }
            Col::Time => {
                p.processing_time = processing_time(&util::clean(&text));
                p.field_sources.insert("processing_time".into(), src);
            }
            Col::Location | Col::Channel => {
                let v = util::clean(&text);
                if *role == Col::Location && p.agency.text.is_empty() {
                    // "- Tiếp nhận tại …  - Cơ quan giải quyết: Sở Tư pháp"
                    let parts: Vec<String> = v.split(" - ").map(|x| x.to_string()).collect();
                    let (a, e) = parse_agency(&parts);
                    if e {
                        p.agency = a;
                        rank = 1;
                        p.field_sources.insert("agency".into(), src.clone());
                    }
                }
                if !p.channels.contains(&v) {
                    p.channels.push(v);
                }
            }
            Col::Fee => p.fees = Some(util::clean(&text)),
            Col::Legal => {
                legal_items.extend(split_refs(&paras));
                p.field_sources.insert("legal_basis".into(), src);
            }
            Col::ChangeBasis => {
                change_items.extend(split_refs(&paras));
                p.change_basis = Some(util::clean(&text));
                p.field_sources.entry("legal_basis".into()).or_insert(src);
            }
            Col::Note => {
                if let Some(d) = chi_tiet::cell_fields(&c.paras, view) {
                    fill_from(&mut p, d, &src);
                }
            }
            Col::Stt | Col::OldName | Col::TimeAlt | Col::Other => {}
        }
    }
    let items = if legal_items.is_empty() {
        change_items
    } else {
        legal_items
    };
    p.legal_basis = legal_refs(&items);
    let agency_rank = if p.agency.text.is_empty() {
        9
    } else if rank == 9 {
        // from the detail held in a note cell
        2
    } else {
        rank
    };
    Entry {
        found: Found {
            procedure: p,
            scope: scope.clone(),
            agency_rank,
        },
        cells,
        subcases: 0,
        steps: Vec::new(),
        ..Entry::default()
    }
}

/// Items of a legal-basis cell: one per paragraph, and "…; - Nghị định …" runs split at the dash.
fn split_refs(paras: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paras {
        let t = util::clean(p);
        if t.is_empty() {
            continue;
        }
        // a dash list run together on one line ("- Luật … - Nghị định số …"): each
        // " - " before the type of a document starts the next item
        let dash_list = t.starts_with("- ");
        let mut start = 0usize;
        let mut pieces: Vec<&str> = Vec::new();
        let mut from = 0usize;
        while let Some(off) = t[from..].find(" - ") {
            let at = from + off;
            let before = t[..at].trim_end().chars().last().unwrap_or(' ');
            let after = &t[at + 3..];
            if (matches!(before, ';' | '.' | ',') && chi_tiet::is_legal_ref(after))
                || (dash_list && util::starts_with_doc_type(after))
            {
                pieces.push(&t[start..at]);
                start = at + 1;
            }
            from = at + 3;
        }
        pieces.push(&t[start..]);
        out.extend(
            pieces
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        );
    }
    out
}

/// Fill empty fields of a list row from the detail held in one of its cells.
fn fill_from(p: &mut Procedure, d: Procedure, src: &crate::model::Source) {
    let set = |field: &str, p: &mut Procedure| {
        p.field_sources.insert(field.to_string(), src.clone());
    };
    if p.steps.is_empty() && !d.steps.is_empty() {
        p.steps = d.steps;
        set("steps", p);
    }
    if p.agency.text.is_empty() && !d.agency.text.is_empty() {
        p.agency = d.agency;
        set("agency", p);
    }
    if p.result.is_empty() {
        p.result = d.result;
    }
    if p.dossier.items.is_empty() && !d.dossier.items.is_empty() {
        p.dossier = d.dossier;
        set("dossier", p);
    }
    if p.processing_time.text.is_empty() && !d.processing_time.text.is_empty() {
        p.processing_time = d.processing_time;
        set("processing_time", p);
    }
    if p.subjects.is_empty() {
        p.subjects = d.subjects;
    }
    if p.conditions.is_empty() {
        p.conditions = d.conditions;
    }
    if p.forms.is_empty() {
        p.forms = d.forms;
    }
    if p.legal_basis.is_empty() && !d.legal_basis.is_empty() {
        p.legal_basis = d.legal_basis;
        set("legal_basis", p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_references_run_together_in_a_cell() {
        let cell = vec![
            "- Luật Luật sư năm 2006 - Nghị định số 123/2013/NĐ-CP ngày 14/10/2013 của Chính phủ - Thông tư số 02/2015/TT-BTP ngày 16/01/2015 của Bộ Tư pháp".to_string(),
        ];
        assert_eq!(
            split_refs(&cell),
            [
                "- Luật Luật sư năm 2006",
                "- Nghị định số 123/2013/NĐ-CP ngày 14/10/2013 của Chính phủ",
                "- Thông tư số 02/2015/TT-BTP ngày 16/01/2015 của Bộ Tư pháp"
            ]
        );
        // a dash inside a name is not a separator
        let cell = vec![
            "- Thông tư số 01/2020/TT-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội".to_string(),
        ];
        assert_eq!(split_refs(&cell).len(), 1);
    }

    #[test]
    fn stt_forms() {
        assert_eq!(stt_of("1"), Stt::Number);
        assert_eq!(stt_of("01"), Stt::Number);
        assert_eq!(stt_of("9.1 /"), Stt::Sub);
        assert_eq!(stt_of("A"), Stt::Group(0));
        assert_eq!(stt_of("A."), Stt::Group(0));
        assert_eq!(stt_of("II"), Stt::Group(1));
        assert_eq!(stt_of("I.1"), Stt::Group(2));
        assert_eq!(stt_of(""), Stt::Empty);
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1–3, 5, 7–8");
    }

    #[test]
    fn columns_and_dittos() {
        assert_eq!(classify("**Tên thủ tục hành chính nộ bộ**"), Col::Name);
        assert_eq!(classify("Lĩnh vực / Tên TTHC"), Col::Name);
        assert_eq!(classify("TRÌNH TỰ/TÊN TTHC"), Col::Name);
        assert_eq!(classify("Tên TTHC nội bộ được thay thế"), Col::OldName);
        assert_eq!(classify("Mã số TTHC nội bộ"), Col::Code);
        assert_eq!(classify("Lĩnh vực"), Col::Sector);
        assert_eq!(classify("Cơ quan thực hiện"), Col::Agency);
        assert_eq!(classify("Đơn vị thực hiện"), Col::Agency);
        assert_eq!(
            classify("THỜI HẠN GIẢI QUYẾT ĐỐI VỚI VÙNG MIỀN NÚI"),
            Col::TimeAlt
        );
        assert_eq!(
            classify("Tên VBQPPL quy định nội dung sửa đổi, bổ sung"),
            Col::ChangeBasis
        );
        assert_eq!(classify("STT"), Col::Stt);
        assert!(is_ditto("Như trên"));
        assert!(is_ditto("- nt -"));
        assert!(!is_ditto("UBND cấp xã"));
        let (n, c) = split_code("Thủ tục giải quyết chế độ. Mã TTHC: 2.002755");
        assert_eq!(n, "Thủ tục giải quyết chế độ.");
        assert_eq!(c.as_deref(), Some("2.002755"));
    }
}
