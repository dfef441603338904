//! Part II: the content of each procedure ("Nội dung cụ thể của từng thủ tục").
//!
//! Field labels are recognised in every numbering style ("1.", "1.1.", "a)", "(1)",
//! "- Label:", none); a procedure's labels share one style, which keeps sub-items
//! ("a) Thành phần hồ sơ" under "3. Thành phần, số lượng hồ sơ") out of the field list.
//! A procedure starts where a field kind repeats; its name is the heading just above.
//! Also read here: internal-workflow step tables (Bước/B1 rows) under procedure headings,
//! and the labelled fields of national-database exports ("Tên thủ tục: …").

use crate::model::{Dossier, DossierItem, Level, Procedure, Step};

use super::util::{self, fkey, Style};
use super::{
    danh_muc, legal_refs, parse_agency, processing_time, Found, Loc, Node, Para, Scope, TableView,
    View,
};

/// The kind of a field label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Steps,
    Channels,
    Dossier,
    Time,
    Subjects,
    Agency,
    Result,
    Fees,
    Forms,
    Conditions,
    Legal,
    Name,
    Code,
    Sector,
    Level,
    Other,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Kind::Steps => "steps",
            Kind::Channels => "channels",
            Kind::Dossier => "dossier",
            Kind::Time => "processing_time",
            Kind::Subjects => "subjects",
            Kind::Agency => "agency",
            Kind::Result => "result",
            Kind::Fees => "fees",
            Kind::Forms => "forms",
            Kind::Conditions => "conditions",
            Kind::Legal => "legal_basis",
            Kind::Name => "name",
            Kind::Code => "code",
            Kind::Sector => "sector",
            Kind::Level => "level",
            Kind::Other => "other",
        }
    }

    fn is_main(self) -> bool {
        !matches!(
            self,
            Kind::Other | Kind::Name | Kind::Code | Kind::Sector | Kind::Level
        )
    }
}

/// Label phrases (folded) that open a field wherever they appear.
const MAIN: [(&str, Kind); 35] = [
    ("trinh tu thuc hien", Kind::Steps),
    ("trinh tu, cach thuc thuc hien", Kind::Steps),
    ("trinh tu va cach thuc thuc hien", Kind::Steps),
    ("trinh tu thu tuc thuc hien", Kind::Steps),
    ("trinh tu giai quyet", Kind::Steps),
    ("trinh tu thuc hien tthc", Kind::Steps),
    ("cach thuc thuc hien", Kind::Channels),
    ("cach thuc nop ho so", Kind::Channels),
    ("thanh phan, so luong ho so", Kind::Dossier),
    ("thanh phan va so luong ho so", Kind::Dossier),
    ("thanh phan so luong ho so", Kind::Dossier),
    ("thanh phan ho so", Kind::Dossier),
    ("thoi han giai quyet", Kind::Time),
    ("thoi gian giai quyet", Kind::Time),
    ("doi tuong thuc hien", Kind::Subjects),
    ("co quan thuc hien", Kind::Agency),
    ("co quan giai quyet", Kind::Agency),
    ("co quan co tham quyen", Kind::Agency),
    ("ket qua thuc hien", Kind::Result),
    ("ket qua cua viec thuc hien", Kind::Result),
    ("ket qua giai quyet", Kind::Result),
    ("ket qua tthc", Kind::Result),
    ("ket qua thu tuc", Kind::Result),
    ("phi, le phi", Kind::Fees),
    ("phi le phi", Kind::Fees),
    ("le phi", Kind::Fees),
    ("ten mau don", Kind::Forms),
    ("mau don, mau to khai", Kind::Forms),
    ("ten mau bieu", Kind::Forms),
    ("ten mau to khai", Kind::Forms),
    ("yeu cau, dieu kien", Kind::Conditions),
    ("yeu cau dieu kien", Kind::Conditions),
    ("dieu kien thuc hien", Kind::Conditions),
    ("can cu phap ly", Kind::Legal),
    ("dia diem thuc hien", Kind::Other),
];

/// Label phrases that only count when a colon follows ("Tên thủ tục: …").
const META: [(&str, Kind); 14] = [
    ("ten thu tuc", Kind::Name),
    ("ma thu tuc", Kind::Code),
    ("ma so tthc", Kind::Code),
    ("ma tthc", Kind::Code),
    ("linh vuc", Kind::Sector),
    ("cap thuc hien", Kind::Level),
    ("so quyet dinh", Kind::Other),
    ("loai thu tuc", Kind::Other),
    ("tu khoa", Kind::Other),
    ("mo ta", Kind::Other),
    ("dia chi tiep nhan", Kind::Other),
    ("thoi gian tiep nhan", Kind::Other),
    ("phi", Kind::Fees),
    ("ket qua", Kind::Result),
];

/// Length in bytes of the longest phrase of `list`.
const fn longest_phrase(list: &[(&str, Kind)]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < list.len() {
        if list[i].0.len() > n {
            n = list[i].0.len();
        }
        i += 1;
    }
    n
}

/// The longest label key [`label_of`] can accept: a [`MAIN`] phrase and up to 48 bytes
/// of qualifiers, or a [`META`] phrase and up to 6.
const MAX_HEAD_KEY: usize = {
    let main = longest_phrase(&MAIN) + 48;
    let meta = longest_phrase(&META) + 6;
    if main > meta {
        main
    } else {
        meta
    }
};

/// A recognised field label.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub kind: Kind,
    pub style: Style,
    /// The label words (folded), e.g. "co quan giai quyet tthc".
    pub head: String,
    /// Text after the label (after the colon), may be empty.
    pub value: String,
}

/// Recognise a field label at the start of a paragraph.
pub(crate) fn label_of(text: &str) -> Option<Cand> {
    let (style, rest) = util::split_label(text);
    if matches!(style, Style::Roman | Style::Upper) {
        return None;
    }
    let rest = rest.trim_start_matches(['*', ' ']);
    let colon = rest.find(':').filter(|p| rest[..*p].chars().count() <= 110);
    let head = match colon {
        Some(p) => &rest[..p],
        None => rest,
    };
    // The key of the head without its trailing dots and spaces, folded only as far as a
    // label can reach: a longer head matches no phrase.
    let head = head.trim_end_matches(|c| {
        let f = util::fold_char(c);
        f == '.' || f.is_whitespace()
    });
    // Most paragraphs are not labels: the first words already tell.
    let start = util::fkey_head(head, 12);
    let first = start.as_bytes().first();
    let may_match = |list: &[(&str, Kind)]| {
        list.iter().any(|(phrase, _)| {
            (first.is_none() || phrase.as_bytes().first() == first)
                && (phrase.starts_with(start.as_str()) || start.starts_with(phrase))
        })
    };
    if !may_match(&MAIN) && !may_match(&META) {
        return None;
    }
    // "Bước 1: …" is a step, not a label
    if util::step_label(rest).is_some() {
        return None;
    }
    let hf = util::fkey_head(head, MAX_HEAD_KEY + 1);
    if hf.len() > MAX_HEAD_KEY {
        return None;
    }
    let hf = hf.as_str();
    let value = || match colon {
        Some(p) => rest[p + 1..].trim().to_string(),
        None => String::new(),
    };
    for (phrase, kind) in MAIN {
        if let Some(after) = hf.strip_prefix(phrase) {
            let extra = after.len();
            let boundary = after.starts_with([' ', '(', ',']) || extra == 0;
            // without a colon the paragraph must be the label alone (plus qualifiers)
            let ok = boundary
                && extra <= 48
                && (colon.is_some() || rest.chars().count() <= phrase.len() + 50);
            if ok {
                return Some(Cand {
                    kind,
                    style,
                    head: hf.to_string(),
                    value: value(),
                });
            }
        }
    }
    if colon.is_some() {
        for (phrase, kind) in META {
            let near = hf
                .strip_prefix(phrase)
                .map(|after| after.is_empty() || (after.len() <= 6 && after.starts_with(' ')))
                .unwrap_or(false);
            if near {
                return Some(Cand {
                    kind,
                    style,
                    head: hf.to_string(),
                    value: value(),
                });
            }
        }
    }
    None
}

/// One entry of the paragraph sequence.
#[derive(Clone, Copy)]
enum Entry<'a> {
    P(&'a Para),
    T(&'a TableView),
}

/// A field being read.
#[derive(Debug, Clone)]
struct Field<'a> {
    kind: Kind,
    head: String,
    loc: Loc,
    value: String,
    items: Vec<(usize, String)>,
    tables: Vec<&'a TableView>,
    stopped: bool,
}

impl Field<'_> {
    /// A field opened by label `c` in paragraph `p`.
    fn open(c: &Cand, p: &Para) -> Self {
        Field {
            kind: c.kind,
            head: c.head.clone(),
            loc: p.loc,
            value: c.value.clone(),
            items: Vec::new(),
            tables: Vec::new(),
            stopped: false,
        }
    }
}

/// A procedure being read.
#[derive(Debug, Clone)]
struct Builder<'a> {
    heading: Option<(String, Loc)>,
    style: Style,
    fields: Vec<Field<'a>>,
    scope: Scope,
    first_label: usize,
    last_label: usize,
}

impl<'a> Builder<'a> {
    fn seen(&self, k: Kind) -> bool {
        self.fields.iter().any(|f| f.kind == k)
    }
}

pub(crate) fn extract(view: &View, warnings: &mut Vec<String>) -> Vec<Found> {
    // Paragraphs that hold several labelled fields in a row are read as one per field.
    // Each paragraph's label is read once, here, and kept for the parse.
    let mut split: Vec<(Vec<Para>, Option<Cand>)> = view
        .nodes
        .iter()
        .map(|n| match n {
            Node::Para(p) => split_inline(p),
            Node::Table(_) => (Vec::new(), None),
        })
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    let mut cands: Vec<Option<Cand>> = Vec::new();
    let mut step_tables: Vec<usize> = Vec::new();
    for (n, (parts, cand)) in view.nodes.iter().zip(split.iter_mut()) {
        match n {
            Node::Para(_) if !parts.is_empty() => {
                cands.extend(parts.iter().map(|p| label_of(&p.text)));
                entries.extend(parts.iter().map(Entry::P));
            }
            Node::Para(p) => {
                entries.push(Entry::P(p));
                cands.push(cand.take());
            }
            Node::Table(t) => {
                if danh_muc::is_list_table(t) {
                    continue;
                }
                if is_step_table(t) {
                    step_tables.push(entries.len());
                }
                entries.push(Entry::T(t));
                cands.push(None);
            }
        }
    }
    let builders = parse_labelled(&entries, &cands, false);
    // step tables read as the content of a "Trình tự thực hiện" field
    let claimed: Vec<usize> = builders
        .iter()
        .flat_map(|b| b.fields.iter())
        .filter(|f| f.kind == Kind::Steps)
        .flat_map(|f| f.tables.iter().map(|t| t.number))
        .collect();
    let mut out: Vec<(usize, Found)> = Vec::new();
    for b in builders {
        let at = b.first_label;
        if let Some(f) = finish(b, view, warnings) {
            out.push((at, f));
        }
    }
    // step tables under headings (quy trình nội bộ)
    for (k, &ti) in step_tables.iter().enumerate() {
        let Entry::T(t) = entries[ti] else { continue };
        if claimed.contains(&t.number) {
            continue;
        }
        let prev_table = if k > 0 { step_tables[k - 1] + 1 } else { 0 };
        let found = step_table_procedures(&entries, ti, prev_table, t, view);
        if found.is_empty() {
            // steps of the Part II procedure just above
            if let Some((_, f)) = out
                .iter_mut()
                .rev()
                .find(|(at, _)| *at < ti)
                .filter(|(_, f)| f.procedure.steps.is_empty())
            {
                let (steps, _) = table_steps(t);
                f.procedure.steps = steps;
                f.procedure
                    .field_sources
                    .insert("steps".into(), view.src(format!("table {}", t.number)));
            } else {
                warnings.push(format!(
                    "table {} lists steps but no procedure heading was found above it",
                    t.number
                ));
            }
            continue;
        }
        for f in found {
            // The same heading (same place) may already have been read with its labelled
            // fields: the table gives that procedure its steps rather than a second copy.
            match out.iter_mut().find(|(_, g)| {
                g.procedure.source.is_some() && g.procedure.source == f.procedure.source
            }) {
                Some((_, g)) => {
                    if g.procedure.steps.is_empty() {
                        g.procedure.steps = f.procedure.steps;
                        if let Some(src) = f.procedure.field_sources.get("steps") {
                            g.procedure
                                .field_sources
                                .insert("steps".into(), src.clone());
                        }
                    }
                    if g.procedure.processing_time.text.is_empty() {
                        g.procedure.processing_time = f.procedure.processing_time;
                    }
                }
                None => out.push((ti, f)),
            }
        }
    }
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| x.1).collect()
}

/// A cut before a label moves back over the label's own number ("… Không quy định.
/// 9. Tên mẫu đơn: …" is cut before "9.", not after it).
fn pull_back_number(text: &str, cut: usize) -> usize {
    let before = text[..cut].trim_end_matches('.');
    let start = before.rfind(' ').map_or(0, |p| p + 1);
    let token = &text[start..cut];
    let numeric = token.len() > 1
        && token.ends_with('.')
        && token.chars().all(|c| c.is_ascii_digit() || c == '.');
    let lettered = token.chars().count() == 2 && token.ends_with(')');
    if (numeric || lettered) && start > 0 && text[..start].trim_end().ends_with(['.', ';']) {
        start
    } else {
        cut
    }
}

/// Split a paragraph that starts with a field label and goes on with further labelled
/// fields after a full stop ("Mã thủ tục: 1.082093. Thời hạn giải quyết: 25 ngày …
/// Cách thức thực hiện: trực tuyến.") into one paragraph per field, at the same place.
/// Returns nothing when the paragraph holds one field or none.
/// Also returns the label of the whole paragraph.
fn split_inline(p: &Para) -> (Vec<Para>, Option<Cand>) {
    let label = label_of(&p.text);
    if label.is_none() {
        return (Vec::new(), None);
    }
    (split_labelled(p), label)
}

/// [`split_inline`] of a paragraph that starts with a label.
fn split_labelled(p: &Para) -> Vec<Para> {
    let text = p.text.as_str();
    let mut cuts = Vec::new();
    // Only after the first field's own label and colon.
    let Some(first_colon) = text.find(':') else {
        return Vec::new();
    };
    for (i, _) in text.match_indices(". ") {
        if i < first_colon {
            continue;
        }
        let rest = &text[i + 2..];
        let Some(colon) = rest.find(':') else {
            continue;
        };
        if rest[..colon].chars().count() > 60 || !rest.starts_with(char::is_uppercase) {
            continue;
        }
        if label_of(rest).is_some_and(|c| c.kind != Kind::Other || !c.value.is_empty()) {
            cuts.push(pull_back_number(text, i + 1));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
        let piece = text[start..cut].trim();
        if !piece.is_empty() {
            out.push(Para::plain(piece.to_string(), p.bold, p.loc));
        }
        start = cut;
    }
    out
}

/// Read the fields of one table cell (detail held in a "Ghi chú" cell) as one procedure.
pub(crate) fn cell_fields(paras: &[Para], view: &View) -> Option<Procedure> {
    let entries: Vec<Entry> = paras.iter().map(Entry::P).collect();
    let mut bs = parse(&entries, true);
    if bs.is_empty() {
        return None;
    }
    let b = bs.remove(0);
    let mut f = build(b, view);
    f.name.clear();
    Some(f)
}

fn compatible(a: Style, b: Style) -> bool {
    a == b
}

/// Whether a procedure read so far from unnumbered labels ("Mã thủ tục: …. Thời hạn giải
/// quyết: …") goes on with numbered ones ("a) Thành phần hồ sơ:", "b) Trình tự thực
/// hiện:"): a main field not seen yet, in a numbering style (not a bullet).
fn adopts(b: &Builder, c: &Cand) -> bool {
    b.style == Style::None
        && c.style != Style::None
        && !c.style.is_bullet()
        && c.kind.is_main()
        && !b.seen(c.kind)
}

fn is_group_heading(p: &Para) -> bool {
    let (style, rest) = util::split_label(&p.text);
    if style.is_bullet() {
        return false;
    }
    const STARTS: [&str; 11] = [
        "thu tuc hanh chinh",
        "tthc",
        "danh muc",
        "linh vuc",
        "cac thu tuc",
        "nhom",
        "phan ii",
        "phan i",
        "phan 2",
        "noi dung cu the",
        "quy trinh noi bo",
    ];
    if !(p.bold || util::is_upper(rest, 6)) {
        return false;
    }
    let f = util::fkey_head(rest, util::longest(&STARTS));
    STARTS.iter().any(|s| f.starts_with(s))
}

fn is_stop(p: &Para, kind: Kind) -> bool {
    let (style, rest) = util::split_label(&p.text);
    if style.is_bullet() {
        return false;
    }
    // the longest phrase tested below is "cong hoa xa hoi"
    let f = util::fkey_head(rest, "cong hoa xa hoi".len());
    if util::is_upper(rest, 12) && rest.split_whitespace().count() >= 3 {
        return true;
    }
    if f.starts_with("cong hoa xa hoi") || f.starts_with("phu luc") || f.starts_with("cac mau") {
        return true;
    }
    matches!(kind, Kind::Legal | Kind::Conditions | Kind::Result)
        && (f.starts_with("mau so") || f.starts_with("mau "))
        && !matches!(style, Style::Dash | Style::Plus)
}

/// Parse a paragraph sequence into procedures. `implicit`: the sequence is one procedure
/// (a table cell) and starts at the first label.
fn parse<'a>(entries: &[Entry<'a>], implicit: bool) -> Vec<Builder<'a>> {
    let cands: Vec<Option<Cand>> = entries
        .iter()
        .map(|e| match e {
            Entry::P(p) => label_of(&p.text),
            Entry::T(_) => None,
        })
        .collect();
    parse_labelled(entries, &cands, implicit)
}

/// [`parse`] with the label of every entry already read (`cands[i]` for `entries[i]`).
fn parse_labelled<'a>(
    entries: &[Entry<'a>],
    cands: &[Option<Cand>],
    implicit: bool,
) -> Vec<Builder<'a>> {
    let mut out: Vec<Builder> = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut scope = Scope::default();
    for (i, e) in entries.iter().enumerate() {
        match e {
            Entry::T(t) => {
                if let Some(b) = cur.as_mut() {
                    if let Some(f) = b.fields.last_mut() {
                        if !f.stopped {
                            f.tables.push(t);
                        }
                    }
                }
            }
            Entry::P(p) => {
                if let Some(c) = &cands[i] {
                    match cur.as_mut() {
                        None => {
                            if implicit || starts_here(cands, i, c) {
                                let heading = if implicit {
                                    None
                                } else {
                                    find_heading(entries, cands, i, 0)
                                };
                                cur = Some(new_builder(heading.map(|h| h.0), c, p, i, &scope));
                            }
                        }
                        Some(b) if compatible(b.style, c.style) || adopts(b, c) => {
                            let open = b.fields.last().map(|f| f.kind);
                            if Some(c.kind) == open && c.kind != Kind::Other {
                                push_content(b, i, p);
                            } else if c.kind != Kind::Other
                                && b.seen(c.kind)
                                && !implicit
                                && starts_next(entries, cands, i, b.last_label + 1, c)
                            {
                                let floor = b.last_label + 1;
                                let heading = find_heading(entries, cands, i, floor);
                                if let Some(mut done) = cur.take() {
                                    if let Some((_, cut)) = &heading {
                                        truncate_after(&mut done, *cut);
                                    }
                                    out.push(done);
                                }
                                cur = Some(new_builder(heading.map(|h| h.0), c, p, i, &scope));
                            } else if c.kind != Kind::Other && b.seen(c.kind) && !implicit {
                                // a repeated label inside the content (e.g. an embedded form)
                                push_content(b, i, p);
                            } else if c.kind != Kind::Other && b.seen(c.kind) {
                                // a second procedure inside one cell: keep the first
                                if let Some(f) = b.fields.last_mut() {
                                    f.stopped = true;
                                }
                            } else {
                                b.fields.push(Field::open(c, p));
                                b.last_label = i;
                            }
                        }
                        Some(b) => push_content(b, i, p),
                    }
                    continue;
                }
                if is_group_heading(p) {
                    let s = Scope::from_heading(&p.text, p.loc);
                    scope = merge_scope(&scope, &s);
                    if let Some(b) = cur.as_mut() {
                        if let Some(f) = b.fields.last_mut() {
                            f.stopped = true;
                        }
                    }
                    continue;
                }
                if let Some(b) = cur.as_mut() {
                    push_content(b, i, p);
                }
            }
        }
    }
    if let Some(b) = cur {
        out.push(b);
    }
    out
}

fn merge_scope(outer: &Scope, new: &Scope) -> Scope {
    new.inherit(outer)
}

fn new_builder<'a>(
    heading: Option<(String, Loc)>,
    c: &Cand,
    p: &Para,
    i: usize,
    scope: &Scope,
) -> Builder<'a> {
    Builder {
        heading,
        style: c.style,
        fields: vec![Field::open(c, p)],
        scope: scope.clone(),
        first_label: i,
        last_label: i,
    }
}

/// Whether a paragraph reads as a legal reference ("- Nghị định số …", "Điều 36 Luật …").
pub(crate) fn is_legal_ref(text: &str) -> bool {
    let (_, rest) = util::split_label(text);
    // besides a document's type, words that open a reference to one or part of one
    const OPENERS: [&str; 8] = [
        "van ban",
        "ke hoach",
        "dieu ",
        "khoan ",
        "diem ",
        "cac ",
        "thong bao",
        "huong dan",
    ];
    let f = util::fkey_head(rest, util::longest(&OPENERS));
    util::starts_with_doc_type(rest)
        || OPENERS.iter().any(|k| f.starts_with(k))
        || util::find_doc_number(rest).is_some()
}

fn push_content(b: &mut Builder, i: usize, p: &Para) {
    if let Some(f) = b.fields.last_mut() {
        if f.stopped {
            return;
        }
        if is_stop(p, f.kind) {
            f.stopped = true;
            return;
        }
        if f.kind == Kind::Legal {
            let first = p.text.chars().next().unwrap_or(' ');
            if first.is_lowercase()
                || first.is_ascii_digit() && util::split_label(&p.text).0 == Style::None
            {
                // a reference wrapped over several paragraphs
                if let Some(last) = f.items.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(&p.text);
                    return;
                }
                if !f.value.is_empty() {
                    f.value.push(' ');
                    f.value.push_str(&p.text);
                    return;
                }
            }
            if !is_legal_ref(&p.text) && !is_none_text(&p.text) {
                f.stopped = true;
                return;
            }
        }
        f.items.push((i, p.text.clone()));
    }
}

fn truncate_after(b: &mut Builder, cut: usize) {
    if let Some(f) = b.fields.last_mut() {
        f.items.retain(|(i, _)| *i < cut);
    }
}

/// Whether a first label starts a procedure: a steps/name/code label, or a label followed
/// by at least two other field kinds in the same style.
fn starts_here(cands: &[Option<Cand>], i: usize, c: &Cand) -> bool {
    if matches!(c.kind, Kind::Steps | Kind::Name | Kind::Code) {
        return true;
    }
    if !c.kind.is_main() {
        return false;
    }
    let mut kinds = vec![c.kind];
    for x in cands.iter().skip(i + 1).take(40).flatten() {
        if x.style == c.style && x.kind.is_main() && !kinds.contains(&x.kind) {
            kinds.push(x.kind);
        }
    }
    kinds.len() >= 3
}

/// Whether a repeated field kind at `i` starts the next procedure: it is the usual first
/// field (steps, name, code), or a heading set apart (bold or numbered) stands above it.
fn starts_next(
    entries: &[Entry],
    cands: &[Option<Cand>],
    i: usize,
    floor: usize,
    c: &Cand,
) -> bool {
    if matches!(c.kind, Kind::Steps | Kind::Name | Kind::Code) {
        return true;
    }
    match find_heading(entries, cands, i, floor) {
        Some((_, j)) => match entries[j] {
            Entry::P(p) => {
                let (style, _) = util::split_label(&p.text);
                p.bold || (style != Style::None && !style.is_bullet())
            }
            Entry::T(_) => false,
        },
        None => false,
    }
}

/// The heading of a procedure whose first label is at `i`: the nearest paragraph above
/// that is not a label, a bullet item or a group heading. Returns (text, location) and
/// the index where the previous procedure's content must be cut.
fn find_heading(
    entries: &[Entry],
    cands: &[Option<Cand>],
    i: usize,
    floor: usize,
) -> Option<((String, Loc), usize)> {
    let mut j = i;
    while j > floor {
        j -= 1;
        let Entry::P(p) = entries[j] else { return None };
        if cands[j].is_some() || is_group_heading(p) {
            return None;
        }
        let (style, rest) = util::split_label(&p.text);
        let rest_clean = rest.trim();
        if rest_clean.is_empty() || rest_clean.chars().all(|c| !c.is_alphabetic()) {
            // "2." alone above a heading split from its number
            continue;
        }
        if style.is_bullet() && i - j > 1 {
            continue;
        }
        if style.is_bullet() {
            return None;
        }
        return Some(((rest_clean.to_string(), p.loc), j));
    }
    None
}

/// Clean a heading into a procedure name; returns (name, code).
pub(crate) fn heading_name(h: &str) -> (String, Option<String>) {
    let mut s = util::clean(h);
    // "Thủ tục: Cấp giấy phép …" / "Tên thủ tục: …": the label is not part of the name.
    if let Some(colon) = s.find(':') {
        let label = util::fold(&s[..colon]);
        let label = label.trim();
        if matches!(
            label,
            "thu tuc" | "ten thu tuc" | "tthc" | "ten tthc" | "thu tuc hanh chinh"
        ) {
            s = s[colon + 1..].trim().to_string();
        }
    }
    let mut code = None;
    // "(Mã số: 1.00123)" / "Mã TTHC: 2.002755"
    let f = util::fold(&s);
    for key in [
        "(ma so",
        "(ma tthc",
        "(ma thu tuc",
        "ma tthc:",
        "ma so tthc:",
    ] {
        if let Some(p) = f.find(key) {
            let (pc, digits) = util::code_after(&s, &f, p);
            if !digits.is_empty() {
                code = Some(digits.trim_end_matches('.').to_string());
                s = s.chars().take(pc).collect::<String>().trim().to_string();
            }
            break;
        }
    }
    let mut s = s.trim().trim_end_matches(':').trim().to_string();
    for suffix in [", gồm", " gồm", ", bao gồm"] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x.trim().to_string();
        }
    }
    (s, code)
}

/// Rank of a Part II agency (see [`Found::agency_rank`]).
fn agency_rank(p: &Procedure, head: &str) -> u8 {
    if p.agency.performs.is_some() {
        1
    } else if p.agency.text.is_empty() {
        9
    } else if head.contains("thuc hien") {
        2
    } else {
        4
    }
}

fn finish(b: Builder, view: &View, warnings: &mut Vec<String>) -> Option<Found> {
    let scope = b.scope.clone();
    let agency_head = b
        .fields
        .iter()
        .find(|f| f.kind == Kind::Agency)
        .map(|f| f.head.clone())
        .unwrap_or_default();
    let first_loc = b
        .fields
        .first()
        .map(|f| f.loc.to_string())
        .unwrap_or_default();
    let p = build(b, view);
    if p.name.is_empty() {
        warnings.push(format!(
            "Part II fields at {first_loc} have no procedure heading above them; skipped"
        ));
        return None;
    }
    Some(Found {
        agency_rank: agency_rank(&p, &agency_head),
        procedure: p,
        scope,
    })
}

fn items_of(f: &Field) -> Vec<String> {
    let mut v = Vec::new();
    if !f.value.trim().is_empty() {
        v.push(f.value.clone());
    }
    v.extend(f.items.iter().map(|x| x.1.clone()));
    v.retain(|s| !is_missing_mark(s));
    v
}

/// The mark tthc prints for missing data in a draft: "[chưa có: phí, lệ phí]".
fn is_missing_mark(s: &str) -> bool {
    // The item ends where the text ends without its trailing separators and spaces: no
    // "]" there, no mark (and no need to clean the item).
    let end = s
        .trim_end_matches(|c: char| matches!(c, ';' | '.' | ',' | ':' | '/') || c.is_whitespace())
        .chars()
        .next_back();
    if end != Some(']') {
        return false;
    }
    let t = util::clean_item(s);
    util::fkey_head(&t, "[chua co".len()).starts_with("[chua co") && t.ends_with(']')
}

fn is_none_text(s: &str) -> bool {
    // longest phrase compared below: "khong co thong tin" (18 bytes)
    let f = util::fkey_head(util::strip_end_punct(&util::clean_item(s)), 19);
    f.is_empty()
        || is_missing_mark(s)
        || f == "khong"
        || f == "khong quy dinh"
        || f == "khong co"
        || f == "khong co thong tin"
        || f.starts_with("khong quy dinh")
}

fn build(b: Builder, view: &View) -> Procedure {
    let mut p = Procedure::default();
    if let Some((h, loc)) = &b.heading {
        let (name, code) = heading_name(h);
        p.name = name;
        p.code = code;
        p.source = Some(view.src(*loc));
        p.field_sources.insert("name".into(), view.src(*loc));
    }
    if p.source.is_none() {
        if let Some(f) = b.fields.first() {
            p.source = Some(view.src(f.loc));
        }
    }
    for f in &b.fields {
        let items = items_of(f);
        let src = view.src(f.loc);
        let mut set = true;
        match f.kind {
            Kind::Name => {
                if !f.value.is_empty() {
                    p.name = util::clean(&f.value);
                    p.field_sources.insert("name".into(), src.clone());
                    p.source = Some(src.clone());
                }
            }
            Kind::Code => {
                p.code = Some(util::clean(&f.value).trim_end_matches('.').to_string())
                    .filter(|s| !s.is_empty())
            }
            Kind::Sector => p.sector = util::strip_end_punct(&util::clean(&f.value)).to_string(),
            Kind::Level => p.level = level_of(&f.value),
            Kind::Steps => {
                p.steps = steps_of(&items);
                if p.steps.iter().all(|s| s.label.is_none()) {
                    // a step table under the label replaces loose paragraphs
                    if let Some(t) = f.tables.iter().find(|t| is_step_table(t)) {
                        p.steps = table_steps(t).0;
                    }
                }
                if p.steps.is_empty() {
                    set = false;
                }
            }
            Kind::Channels => {
                p.channels = items
                    .iter()
                    .map(|s| util::clean_item(s))
                    .filter(|s| !s.is_empty())
                    .collect();
                if p.processing_time.text.is_empty() {
                    if let Some(t) = f.tables.iter().find_map(|t| table_time(t)) {
                        p.processing_time = processing_time(&t);
                        p.field_sources
                            .insert("processing_time".into(), src.clone());
                    }
                }
            }
            Kind::Dossier => {
                let (list, sets) = dossier_items(&items);
                let mut list = list;
                for t in &f.tables {
                    list.extend(table_documents(t));
                }
                p.dossier = Dossier { items: list, sets };
            }
            Kind::Time => {
                let first = items.iter().find(|s| !util::clean_item(s).is_empty());
                if let Some(t) = first {
                    p.processing_time = processing_time(t);
                } else {
                    set = false;
                }
            }
            Kind::Subjects => p.subjects = clean_list(&items),
            Kind::Agency => {
                let (mut a, _) = parse_agency(&items);
                // "Cơ quan thực hiện: X" on the label's own line names the agency; the
                // sub-lines (thẩm quyền quyết định, trực tiếp thực hiện, phối hợp) detail it
                let inline = util::strip_end_punct(&util::clean(&f.value)).to_string();
                if !inline.is_empty() && items.len() > 1 {
                    a.text = inline;
                }
                p.agency = a;
            }
            Kind::Result => p.result = clean_list(&items),
            Kind::Fees => {
                let t = util::clean(&items.join(" "));
                p.fees = if t.is_empty() { None } else { Some(t) };
            }
            Kind::Forms => p.forms = clean_list(&items),
            Kind::Conditions => p.conditions = clean_list(&items),
            Kind::Legal => {
                let mut refs = legal_refs(
                    &items
                        .iter()
                        .filter(|s| !is_none_text(s))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                for t in &f.tables {
                    refs.extend(table_refs(t));
                }
                p.legal_basis = refs;
            }
            Kind::Other => set = false,
        }
        if set {
            p.field_sources
                .entry(f.kind.field().to_string())
                .or_insert(src);
        }
    }
    if p.name.is_empty() {
        if let Some(h) = &b.heading {
            p.name = heading_name(&h.0).0;
        }
    }
    p
}

fn clean_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|s| util::clean_item(s))
        .filter(|s| !s.is_empty() && !is_none_text(s))
        .collect()
}

fn level_of(s: &str) -> Option<Level> {
    let f = fkey(s);
    let mut found = Vec::new();
    for (k, l) in [
        ("trung uong", Level::Central),
        ("tinh", Level::Province),
        ("huyen", Level::District),
        ("xa", Level::Commune),
    ] {
        if f.split(|c: char| !c.is_alphanumeric()).any(|w| w == k)
            || f.contains(k) && k.contains(' ')
        {
            found.push(l);
        }
    }
    if found.len() == 1 {
        Some(found[0])
    } else {
        None
    }
}

/// Steps from the paragraphs of a "Trình tự thực hiện" field. Labelled steps ("Bước N",
/// "Bn") are the steps and unlabelled paragraphs continue the step above; without any
/// label every item is a step.
pub(crate) fn steps_of(items: &[String]) -> Vec<Step> {
    let mut steps = raw_steps(items);
    for s in &mut steps {
        if s.responsible.is_none() && s.duration.is_none() {
            let (text, responsible, duration) = util::step_tails(&s.text);
            s.text = text;
            s.responsible = responsible;
            s.duration = duration;
        }
    }
    steps
}

/// [`steps_of`] before the "Trách nhiệm: …"/"Thời gian: …" tails are split off.
fn raw_steps(items: &[String]) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut labelled = false;
    for it in items {
        let t = util::clean(it);
        let (_, rest) = util::split_label(&t);
        let inline = util::split_inline_steps(rest);
        if inline.len() >= 2 {
            labelled = true;
            // text before the first "Bước" belongs to the previous step
            for (label, text) in inline {
                steps.push(Step {
                    label: Some(label),
                    text,
                    ..Step::default()
                });
            }
            continue;
        }
        if let Some((label, text)) = util::step_label(rest) {
            labelled = true;
            steps.push(Step {
                label: Some(label),
                text: util::clean(text),
                ..Step::default()
            });
            continue;
        }
        if labelled {
            if let Some(s) = steps.last_mut() {
                if !s.text.is_empty() {
                    s.text.push(' ');
                }
                s.text.push_str(&t);
            }
        }
    }
    if labelled {
        return steps;
    }
    // Without "Bước" labels every item is a step, except that when the steps are
    // bulleted ("+ …", "- …") a paragraph without the bullet continues the step above.
    let styles: Vec<Style> = items.iter().map(|s| util::split_label(s).0).collect();
    let bullet = styles.iter().copied().find(|s| s.is_bullet());
    let bulleted = bullet.is_some_and(|b| styles.iter().filter(|s| **s == b).count() >= 2);
    let mut texts: Vec<String> = Vec::new();
    for (it, style) in items.iter().zip(&styles) {
        let t = util::clean(it);
        if util::clean_item(&t).is_empty() || is_none_text(&t) {
            continue;
        }
        match texts.last_mut() {
            Some(last) if bulleted && *style == Style::None => {
                last.push(' ');
                last.push_str(&t);
            }
            _ => texts.push(t),
        }
    }
    texts
        .iter()
        .map(|t| util::clean_item(t))
        .filter(|t| !is_none_text(t))
        .map(|text| Step {
            label: None,
            text,
            ..Step::default()
        })
        .collect()
}

fn after_colon(s: &str) -> (String, bool) {
    match s.find(':') {
        Some(p) => (s[p + 1..].trim().to_string(), true),
        None => (String::new(), false),
    }
}

fn header_like(s: &str) -> bool {
    let t = s.trim();
    let f = fkey(t);
    let ends = t.ends_with(':') || f.ends_with(" gom") || f.ends_with(" sau");
    ends && (f.starts_with("ho so")
        || f.starts_with("truong hop")
        || f.starts_with("doi voi")
        || f.starts_with("thanh phan")
        || f.contains(" gom")
        || f.starts_with("bao gom")
        || f.chars()
            .next()
            .map(|c| c.is_ascii_digit())
            .unwrap_or(false))
}

/// A labelled line naming a case ("(3.1) Đối với trường hợp …", "b) Trường hợp …")
/// whose documents follow under another label ("- Đơn …"): a group header, not a
/// document, though it does not end with ":" as [`header_like`] wants.
fn case_heading(style: Style, folded: &str, after: &[String]) -> bool {
    if style == Style::None || !(folded.starts_with("doi voi") || folded.starts_with("truong hop"))
    {
        return false;
    }
    let next = after.iter().map(|s| util::clean(s)).find(|s| !s.is_empty());
    next.is_some_and(|n| {
        let (next_style, _) = util::split_label(&n);
        next_style != Style::None && next_style != style
    })
}

fn sets_of(s: &str) -> Option<u32> {
    let f = fkey(s);
    let words: Vec<&str> = f.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let d: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        // "01 bộ", "01 hồ sơ điện tử và 01 hồ sơ giấy"
        let next = words.get(i + 1).copied().unwrap_or("");
        if !d.is_empty()
            && (next.starts_with("bo")
                || (next == "ho" && words.get(i + 2).is_some_and(|w| w.starts_with("so"))))
        {
            return d.parse().ok();
        }
    }
    None
}

/// Dossier documents from the paragraphs of a "Thành phần, số lượng hồ sơ" field.
/// Group headers ("Hồ sơ cấp xã gửi cấp tỉnh gồm:") are not documents, and the bullets
/// under a named document ("Văn bản đề nghị …, có các thông tin:") are its details.
pub(crate) fn dossier_items(items: &[String]) -> (Vec<DossierItem>, Option<u32>) {
    let mut out = Vec::new();
    let mut sets = None;
    // the bullet style of the documents at the current level; other styles are details
    let mut item_style: Option<Style> = None;
    for (i, raw) in items.iter().enumerate() {
        let t = util::clean(raw);
        if t.is_empty() || is_none_text(&t) {
            continue;
        }
        let (style, rest) = util::split_label(&t);
        let rest = rest.trim_start_matches(['*', ' ']);
        // "a1)", "h2)": points under a document (its alternatives or parts), even
        // when one reads like a group header ("h1) Đối với trường hợp …, thêm:")
        if style == Style::LetterDigit && item_style.is_some_and(|s| s != style) {
            continue;
        }
        let f = fkey(rest);
        if f.starts_with("so luong") {
            sets = sets.or_else(|| sets_of(rest));
            item_style = None;
            continue;
        }
        if f.starts_with("thanh phan") || f.starts_with("ho so gom") || f.starts_with("bao gom") {
            let (value, _) = after_colon(rest);
            if value.is_empty() || header_like(&value) || is_none_text(&value) {
                sets = sets.or_else(|| sets_of(&value));
                item_style = None;
                continue;
            }
            out.push(DossierItem {
                name: util::strip_end_punct(&value).to_string(),
                ..DossierItem::default()
            });
            item_style = Some(style);
            continue;
        }
        if header_like(rest) || case_heading(style, &f, items.get(i + 1..).unwrap_or_default()) {
            sets = sets.or_else(|| sets_of(rest));
            item_style = None;
            continue;
        }
        match item_style {
            None => {
                item_style = Some(style);
                out.push(item_of(rest));
            }
            Some(s) if s == style => out.push(item_of(rest)),
            _ => {}
        }
    }
    (out, sets)
}

fn item_of(s: &str) -> DossierItem {
    let name = util::strip_end_punct(&util::clean(s)).to_string();
    if let Some((stem, copy_kind, quantity)) = copy_tail(&name) {
        return DossierItem {
            name: stem.to_string(),
            copy_kind: copy_kind.or_else(|| copy_kind_in(&fkey(stem))),
            quantity,
        };
    }
    DossierItem {
        copy_kind: copy_kind_in(&fkey(&name)),
        name,
        quantity: None,
    }
}

fn copy_kind_in(f: &str) -> Option<crate::model::CopyKind> {
    if f.contains("ban chinh hoac ban sao") {
        Some(crate::model::CopyKind::OriginalOrCopy)
    } else if f.contains("ban sao") {
        Some(crate::model::CopyKind::Copy)
    } else if f.contains("ban chinh") {
        Some(crate::model::CopyKind::Original)
    } else {
        None
    }
}

/// A closing "(bản chính, 01 bản)", "(bản sao)", "(02 bản)" after a document's name:
/// the name before it, the copy kind and the number of copies. Only a parenthesis made
/// of nothing else counts ("(nếu có)" stays in the name).
fn copy_tail(name: &str) -> Option<(&str, Option<crate::model::CopyKind>, Option<u32>)> {
    use crate::model::CopyKind;
    let inner_end = name.strip_suffix(')')?;
    let open = inner_end.rfind('(')?;
    let stem = inner_end[..open].trim_end();
    if stem.is_empty() {
        return None;
    }
    let (mut kind, mut quantity) = (None, None);
    for part in inner_end[open + 1..].split([',', ';']) {
        let f = fkey(part);
        let k = match f.as_str() {
            "ban chinh" => Some(CopyKind::Original),
            "ban sao" | "ban sao chung thuc" => Some(CopyKind::Copy),
            "ban chinh hoac ban sao" | "ban sao hoac ban chinh" => Some(CopyKind::OriginalOrCopy),
            _ => None,
        };
        if let Some(k) = k {
            if kind.replace(k).is_some() {
                return None;
            }
            continue;
        }
        let n = f.strip_suffix(" ban")?;
        if quantity.is_some() || n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        quantity = Some(n.parse().ok()?);
    }
    if kind.is_none() && quantity.is_none() {
        return None;
    }
    Some((stem, kind, quantity))
}

// ---------------------------------------------------------------------------------------
// Tables attached to fields (national database exports)
// ---------------------------------------------------------------------------------------

fn header_index(t: &TableView, words: &[&str]) -> Option<usize> {
    let h = t.rows.first()?;
    h.iter().position(|c| {
        let f = fkey(&c.line());
        words.iter().any(|w| f.starts_with(w))
    })
}

/// "Thời hạn giải quyết" column of a "Cách thức thực hiện" table; several distinct values
/// keep the case label of their description ("Trường hợp 1: 5 Ngày làm việc; …").
fn table_time(t: &TableView) -> Option<String> {
    let ti = header_index(t, &["thoi han giai quyet", "thoi gian giai quyet"])?;
    let di = header_index(t, &["mo ta"]);
    let mut vals: Vec<(String, Option<String>)> = Vec::new();
    for row in t.rows.iter().skip(1) {
        let v = row.get(ti).map(|c| c.line()).unwrap_or_default();
        if v.is_empty() {
            continue;
        }
        let case = di.and_then(|d| row.get(d)).and_then(|c| {
            let l = c.line();
            let p = l.find(':')?;
            let head = l[..p].trim().to_string();
            if fkey(&head).starts_with("truong hop") && head.chars().count() <= 20 {
                Some(head)
            } else {
                None
            }
        });
        if !vals.iter().any(|x| x.0 == v) {
            vals.push((v, case));
        }
    }
    match vals.len() {
        0 => None,
        1 => Some(vals.remove(0).0),
        _ => Some(
            vals.into_iter()
                .map(|(v, c)| match c {
                    Some(c) => format!("{c}: {v}"),
                    None => v,
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

/// Document names of a "Tên giấy tờ | Mẫu đơn | Số lượng" table.
fn table_documents(t: &TableView) -> Vec<DossierItem> {
    let Some(ni) = header_index(t, &["ten giay to"]) else {
        return Vec::new();
    };
    t.rows
        .iter()
        .skip(1)
        .filter_map(|r| r.get(ni))
        .map(|c| c.line())
        .filter(|s| !s.is_empty() && !fkey(s).starts_with("luu y"))
        .map(|s| item_of(&util::clean_item(&s)))
        .collect()
}

/// References of a "Số ký hiệu | Trích yếu | Ngày ban hành | Cơ quan ban hành" table:
/// the number is the reference as printed; the date comes from its column.
fn table_refs(t: &TableView) -> Vec<crate::model::LegalRef> {
    let Some(ni) = header_index(t, &["so ky hieu", "so hieu"]) else {
        return Vec::new();
    };
    let di = header_index(t, &["ngay ban hanh"]);
    t.rows
        .iter()
        .skip(1)
        .filter_map(|r| {
            let n = r.get(ni)?.line();
            if n.is_empty() {
                return None;
            }
            let date = di
                .and_then(|d| r.get(d))
                .and_then(|c| util::find_date(&c.line(), false))
                .map(|x| x.0);
            Some(crate::model::LegalRef {
                text: n.clone(),
                number: Some(n),
                date,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Step tables (quy trình nội bộ)
// ---------------------------------------------------------------------------------------

fn step_cell(row: &[super::CellView]) -> Option<(usize, String)> {
    for (k, c) in row.iter().take(3).enumerate() {
        let l = c.line();
        if let Some((label, rest)) = util::step_label(&l) {
            if rest.trim().chars().count() <= 3 || k > 0 || l.chars().count() <= 12 {
                return Some((k, label));
            }
        }
    }
    None
}

/// A table of steps: at least two rows whose first cells carry a step label.
pub(crate) fn is_step_table(t: &TableView) -> bool {
    t.rows.iter().filter(|r| step_cell(r).is_some()).count() >= 2
}

/// Steps of a step table and its processing time row ("Tổng thời gian …", "Thời gian giải quyết …").
pub(crate) fn table_steps(t: &TableView) -> (Vec<Step>, Option<String>) {
    let mut steps = Vec::new();
    let mut time = None;
    let mut total = None;
    for row in &t.rows {
        if let Some((k, label)) = step_cell(row) {
            let rest: Vec<String> = row[k + 1..].iter().map(|c| c.line()).collect();
            let text = rest.first().cloned().unwrap_or_default();
            let responsible = rest.get(1).cloned().filter(|s| !s.is_empty());
            let duration = if rest.len() >= 3 {
                rest.get(2).cloned().filter(|s| !s.is_empty())
            } else {
                None
            };
            steps.push(Step {
                label: Some(label),
                text,
                responsible,
                duration,
            });
            continue;
        }
        let first = row.first().map(|c| c.line()).unwrap_or_default();
        let f = fkey(util::split_label(&first).1);
        let value = row.iter().skip(1).map(|c| c.line()).find(|s| !s.is_empty());
        if f.starts_with("tong thoi gian") {
            total = total.or(value);
        } else if f.starts_with("thoi gian giai quyet") || f.starts_with("thoi han giai quyet") {
            time = time.or(value);
        }
    }
    (steps, time.or(total))
}

/// Procedures named by the headings above a step table (several headings may share one table).
fn step_table_procedures(
    entries: &[Entry],
    ti: usize,
    floor: usize,
    t: &TableView,
    view: &View,
) -> Vec<Found> {
    let (steps, table_time) = table_steps(t);
    let mut heads: Vec<(String, Loc)> = Vec::new();
    let mut para_time: Option<(String, Loc)> = None;
    let mut scope = Scope::default();
    let mut j = ti;
    let mut looked = 0;
    while j > floor && looked < 12 {
        j -= 1;
        looked += 1;
        let Entry::P(p) = entries[j] else { break };
        if let Some(c) = label_of(&p.text) {
            if c.kind == Kind::Time && para_time.is_none() && !c.value.is_empty() {
                para_time = Some((c.value.clone(), p.loc));
            }
            continue;
        }
        let (style, rest) = util::split_label(&p.text);
        if matches!(style, Style::Roman | Style::Upper) || is_group_heading(p) {
            scope = Scope::from_heading(&p.text, p.loc).inherit(&scope);
            break;
        }
        if matches!(style, Style::Arabic | Style::Dotted) && rest.chars().count() >= 12 {
            heads.push((rest.to_string(), p.loc));
        }
    }
    heads.reverse();
    let mut out = Vec::new();
    for (h, loc) in heads {
        let (name, code) = heading_name(&h);
        let mut p = Procedure {
            name,
            code,
            steps: steps.clone(),
            source: Some(view.src(loc)),
            ..Procedure::default()
        };
        p.field_sources.insert("name".into(), view.src(loc));
        p.field_sources
            .insert("steps".into(), view.src(format!("table {}", t.number)));
        if let Some((tx, tl)) = &para_time {
            p.processing_time = processing_time(tx);
            p.field_sources
                .insert("processing_time".into(), view.src(tl));
        } else if let Some(tx) = &table_time {
            p.processing_time = processing_time(tx);
            p.field_sources.insert(
                "processing_time".into(),
                view.src(format!("table {}", t.number)),
            );
        }
        out.push(Found {
            procedure: p,
            scope: scope.clone(),
            agency_rank: 9,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn labels_in_each_style() {
        for (t, k, st) in [
            ("1. Trình tự thực hiện:", Kind::Steps, Style::Arabic),
            ("1.1. Trình tự thực hiện", Kind::Steps, Style::Dotted),
            ("a) Trình tự thực hiện", Kind::Steps, Style::Letter),
            ("(1) Trình tự thực hiện:", Kind::Steps, Style::Paren),
            ("- Trình tự thủ tục thực hiện", Kind::Steps, Style::Dash),
            ("Trình tự thực hiện:", Kind::Steps, Style::None),
            (
                "đ) Đối tượng thực hiện TTHC NB: Ủy ban nhân dân cấp xã.",
                Kind::Subjects,
                Style::Letter,
            ),
            (
                "1.10. Yêu cầu, điều kiện thực hiện TTHC (nếu có): Không",
                Kind::Conditions,
                Style::Dotted,
            ),
            (
                "l) Căn cứ pháp lý của thủ tục hành chính",
                Kind::Legal,
                Style::Letter,
            ),
            ("Tên thủ tục: Gia hạn tạm trú", Kind::Name, Style::None),
            (
                "8. Phí, lệ phí (nếu có): Không quy định.",
                Kind::Fees,
                Style::Arabic,
            ),
        ] {
            let c = label_of(t).unwrap_or_else(|| panic!("{t}"));
            assert_eq!((c.kind, c.style), (k, st), "{t}");
        }
        assert!(label_of("- Lĩnh vực pháp luật kiêm nhiệm thực hiện hoạt động").is_none());
        assert!(label_of("Bước 1: Trình tự thực hiện").is_none());
        assert!(label_of(
            "1. Trình tự, thủ tục giao đất, cho thuê đất đối với trường hợp giao đất"
        )
        .is_none());
        assert_eq!(
            label_of("4. Thời hạn giải quyết: 05 ngày").unwrap().value,
            "05 ngày"
        );
    }

    #[test]
    fn steps_labelled_and_not() {
        let st = steps_of(&s(&[
            "+ Bước 1: Căn cứ thực tiễn",
            "+ Bước 2: Cơ quan đề nghị",
            "Số lượng báo cáo viên do thủ trưởng quyết định.",
        ]));
        assert_eq!(st.len(), 2);
        assert!(st[1].text.ends_with("quyết định."));
        let st = steps_of(&s(&["Bước 1: A. Bước 2: B. Bước 3: C."]));
        assert_eq!(st.len(), 3);
        let st = steps_of(&s(&["- Tổ chức gửi hồ sơ.", "- Sở kiểm tra."]));
        assert_eq!(st.len(), 2);
        assert_eq!(st[0].label, None);
        // bulleted steps: a paragraph without the bullet continues the step above
        let st = steps_of(&s(&[
            "+ Chủ đầu tư gửi hồ sơ đến Bộ Xây dựng.",
            "Trường hợp hồ sơ chưa đầy đủ thì hướng dẫn bổ sung.",
            "+ Bộ Xây dựng xem xét, có văn bản trả lời.",
        ]));
        assert_eq!(st.len(), 2);
        assert_eq!(
            st[0].text,
            "Chủ đầu tư gửi hồ sơ đến Bộ Xây dựng. Trường hợp hồ sơ chưa đầy đủ thì hướng dẫn bổ sung"
        );
        // unbulleted paragraphs are steps each
        let st = steps_of(&s(&[
            "Tổ chức gửi hồ sơ.",
            "Sở kiểm tra.",
            "Sở trả kết quả.",
        ]));
        assert_eq!(st.len(), 3);
        let st = steps_of(&s(&[
            "- Cấp xã:",
            "Bước 1: a",
            "Bước 2: b",
            "- Cấp tỉnh:",
            "Bước 1: c",
        ]));
        assert_eq!(st.len(), 3);
    }

    #[test]
    fn dossier_counts() {
        let (d, sets) = dossier_items(&s(&[
            "a) Thành phần hồ sơ gồm : Văn bản đề nghị công nhận, có các thông tin:",
            "- Họ và tên;",
            "- Chức vụ;",
            "Trường hợp văn bản không đủ thông tin thì bổ sung.",
            "b) Số lượng hồ sơ: 01 bộ.",
        ]));
        assert_eq!(d.len(), 1);
        assert_eq!(sets, Some(1));
        let (d, sets) = dossier_items(&s(&[
            "* Thành phần hồ sơ:",
            "(1) Hồ sơ cấp xã gửi cấp tỉnh gồm:",
            "- Các biểu xác định;",
            "- Báo cáo tự đánh giá.",
            "(2) Hồ sơ cấp tỉnh gửi Bộ gồm:",
            "- Báo cáo kết quả;",
            "- Quyết định phê duyệt;",
            "* Số lượng hồ sơ ở mỗi cấp thực hiện: 01 hồ sơ điện tử và 01 hồ sơ giấy",
        ]));
        assert_eq!(d.len(), 4);
        assert_eq!(sets, Some(1));
        let (d, sets) = dossier_items(&s(&[
            "01 bộ hồ sơ gồm:",
            "- Hồ sơ Ủy ban nhân dân cấp xã gửi UBND tỉnh: Báo cáo kèm theo biểu;",
            "- Hồ sơ UBND tỉnh gửi Bộ: Báo cáo kèm theo biểu;",
            "- Số lượng hồ sơ ở mỗi cấp thực hiện: 01 hồ sơ điện tử.",
        ]));
        assert_eq!(d.len(), 2);
        assert_eq!(sets, Some(1));
        let (d, _) = dossier_items(&s(&["Không quy định."]));
        assert!(d.is_empty());
        // case headings "(3.1) Đối với trường hợp …" group the documents under them
        let (d, _) = dossier_items(&s(&[
            "(3.1) Đối với trường hợp thực hiện thủ tục đăng ký, cấp Giấy chứng nhận",
            "- Đơn đăng ký đất đai theo Mẫu số 15;",
            "Trường hợp thửa đất gốc có giấy tờ thì nộp bản sao.",
            "- Mảnh trích đo bản đồ địa chính thửa đất (nếu có);",
            "(3.2) Đối với trường hợp đã có Thông báo xác nhận kết quả đăng ký đất đai",
            "- Đơn đăng ký đất đai theo Mẫu số 15;",
            "- Thông báo xác nhận kết quả đăng ký đất đai.",
        ]));
        let names: Vec<&str> = d.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Đơn đăng ký đất đai theo Mẫu số 15",
                "Mảnh trích đo bản đồ địa chính thửa đất (nếu có)",
                "Đơn đăng ký đất đai theo Mẫu số 15",
                "Thông báo xác nhận kết quả đăng ký đất đai"
            ]
        );
        // "a1)"… are points of the document above, even one that reads like a header
        let (d, _) = dossier_items(&s(&[
            "- Đơn theo Mẫu số 01 và một trong các loại giấy tờ sau:",
            "a1) Văn bản phê duyệt dự án đầu tư;",
            "h1) Đối với trường hợp giao rừng, cho thuê rừng thì phải có thêm các tài liệu sau:",
            "h1’) Báo cáo điều tra, đánh giá hiện trạng rừng;",
            "i1) Giấy tờ chứng minh thuộc đối tượng miễn, giảm nghĩa vụ tài chính (nếu có).",
        ]));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn step_tails_and_copy_tails() {
        let st = steps_of(&s(&[
            "Bước 1: Sở gửi báo cáo (nếu có) Trách nhiệm: Sở A. Thời gian: 05 ngày làm việc.",
            "Bước 2: Trách nhiệm: UBND tỉnh.",
        ]));
        assert_eq!(st[0].text, "Sở gửi báo cáo (nếu có)");
        assert_eq!(st[0].responsible.as_deref(), Some("Sở A"));
        assert_eq!(st[0].duration.as_deref(), Some("05 ngày làm việc"));
        assert_eq!(st[1].text, "Trách nhiệm: UBND tỉnh.");
        assert_eq!(st[1].responsible, None);
        let (d, _) = dossier_items(&s(&[
            "+ Tờ trình (bản chính, 02 bản);",
            "+ Giấy tờ khác (nếu có);",
            "+ Bản sao giấy khai sinh (01 bản).",
        ]));
        assert_eq!(d[0].name, "Tờ trình");
        assert_eq!(d[0].copy_kind, Some(crate::model::CopyKind::Original));
        assert_eq!(d[0].quantity, Some(2));
        assert_eq!(d[1].name, "Giấy tờ khác (nếu có)");
        assert_eq!(d[1].quantity, None);
        assert_eq!(d[2].name, "Bản sao giấy khai sinh");
        assert_eq!(d[2].copy_kind, Some(crate::model::CopyKind::Copy));
        assert_eq!(d[2].quantity, Some(1));
        assert!(is_none_text("[chưa có: phí, lệ phí]"));
    }

    #[test]
    fn headings_become_names() {
        assert_eq!(
            heading_name("Cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1, 2, 3, 4, 9, gồm:").0,
            "Cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1, 2, 3, 4, 9"
        );
        assert_eq!(
            heading_name("Thủ tục: Cấp giấy phép tổ chức lễ hội").0,
            "Cấp giấy phép tổ chức lễ hội"
        );
        assert_eq!(
            heading_name("Tên thủ tục: Gia hạn tạm trú").0,
            "Gia hạn tạm trú"
        );
        let (n, c) = heading_name("Thủ tục A (Mã số: 1.001234)");
        assert_eq!(n, "Thủ tục A");
        assert_eq!(c.as_deref(), Some("1.001234"));
    }
}
