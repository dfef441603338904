//! The streaming walk over `word/document.xml` (and header/footer parts) that
//! builds paragraphs, tables and sections.
//!
//! The XML is read event by event with an explicit stack of open elements
//! ([`Frame`]) and an explicit stack of open constructs ([`Open`]: paragraphs,
//! tables, rows, cells, text boxes); nothing recurses per XML level, so the
//! nesting depth is bounded only by [`Limits::max_depth`].

use quick_xml::events::BytesStart;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::text::nfc_cow;

use super::numbering::{Counters, Numbering};
use super::styles::{
    apply_numpr, apply_ppr, apply_rpr, edge_visible, is_edge, PProps, RProps, Styles, Theme,
};
use super::xml::{
    attr, local, parse_twips, parse_u32, ref_text, toggle, twips_to_mm, val, Ev, Ns, XmlReader,
};
use crate::doctree::{
    Align, Block, Cell, Inline, Margins, Orientation, PageSetup, ParaFormat, Paragraph, Row, Run,
    Table, VAlign, VMerge,
};
use crate::ingest::{IngestError, Limits};

/// Most columns a cell may span (Word's maximum is 63).
const MAX_SPAN: u32 = 63;

/// Deepest nesting of complex fields tracked.
const MAX_FIELD_NESTING: usize = 64;

/// Shared read-only context of a parse.
pub(crate) struct Ctx<'a> {
    pub(crate) styles: &'a Styles,
    pub(crate) numbering: &'a Numbering,
    pub(crate) theme: &'a Theme,
    pub(crate) limits: &'a Limits,
}

/// Raw section properties (`w:sectPr`).
#[derive(Debug, Clone, Default)]
pub(crate) struct SectProps {
    pub(crate) width_tw: Option<f32>,
    pub(crate) height_tw: Option<f32>,
    pub(crate) landscape: Option<bool>,
    pub(crate) top_tw: Option<f32>,
    pub(crate) bottom_tw: Option<f32>,
    pub(crate) left_tw: Option<f32>,
    pub(crate) right_tw: Option<f32>,
    pub(crate) header_tw: Option<f32>,
    pub(crate) title_pg: bool,
    pub(crate) restart_at: Option<u32>,
    /// (type, relationship id) of `w:headerReference` / `w:footerReference`.
    pub(crate) refs: Vec<(String, String)>,
}

impl SectProps {
    /// Page set-up in millimetres, with A4 and 1-inch margins as defaults.
    pub(crate) fn page(&self) -> PageSetup {
        let w = self.width_tw.filter(|v| *v > 0.0).unwrap_or(11906.0);
        let h = self.height_tw.filter(|v| *v > 0.0).unwrap_or(16838.0);
        let orientation = match self.landscape {
            Some(true) => Orientation::Landscape,
            Some(false) => Orientation::Portrait,
            None if w > h => Orientation::Landscape,
            None => Orientation::Portrait,
        };
        let m = |v: Option<f32>, d: f32| twips_to_mm(v.map(f32::abs).unwrap_or(d));
        PageSetup {
            width_mm: twips_to_mm(w),
            height_mm: twips_to_mm(h),
            orientation,
            margins: Margins {
                top: m(self.top_tw, 1440.0),
                bottom: m(self.bottom_tw, 1440.0),
                left: m(self.left_tw, 1440.0),
                right: m(self.right_tw, 1440.0),
            },
            header_mm: m(self.header_tw, 720.0),
        }
    }
}

/// A finished body section before page numbering is known.
#[derive(Debug)]
pub(crate) struct RawSection {
    pub(crate) props: SectProps,
    pub(crate) blocks: Vec<Block>,
}

/// What one part yields.
#[derive(Debug, Default)]
pub(crate) struct PartOutput {
    /// Sections closed by a `w:sectPr` (document only).
    pub(crate) sections: Vec<RawSection>,
    /// Blocks after the last paragraph-level `w:sectPr` (or all blocks of a header).
    pub(crate) tail: Vec<Block>,
    /// The body's final `w:sectPr`, if any.
    pub(crate) final_sect: Option<SectProps>,
    /// The part contains a PAGE field.
    pub(crate) has_page_field: bool,
}

/// The resolved character format of a run.
#[derive(Debug, Clone, PartialEq)]
struct RunFmt {
    bold: bool,
    italic: bool,
    underline: bool,
    size_pt: Option<f32>,
    font: Option<Arc<str>>,
}

impl RunFmt {
    fn matches(&self, r: &Run) -> bool {
        r.bold == self.bold
            && r.italic == self.italic
            && r.underline == self.underline
            && r.size_pt == self.size_pt
            && r.font == self.font
    }
}

#[derive(Debug, Default)]
struct RunB {
    direct: RProps,
    fmt: Option<RunFmt>,
}

#[derive(Debug, Default)]
struct ParaB {
    direct: PProps,
    inlines: Vec<Inline>,
    chars: usize,
    /// Blocks of text boxes anchored in this paragraph, emitted after it.
    after: Vec<Block>,
    run: Option<RunB>,
    sect: Option<SectProps>,
}

#[derive(Debug, Default)]
struct TableB {
    columns: Vec<f32>,
    rows: Vec<Row>,
    style: Option<String>,
    borders: Option<bool>,
    cells_with_borders: usize,
    cells_without_borders: usize,
}

#[derive(Debug, Default)]
struct RowB {
    cells: Vec<Cell>,
    header: bool,
    grid_before: u32,
    grid_after: u32,
}

#[derive(Debug)]
struct CellB {
    blocks: Vec<Block>,
    fmt: CellFmt,
}

/// An open construct that receives content.
#[derive(Debug)]
enum Open {
    Para(Box<ParaB>),
    Table(TableB),
    Row(RowB),
    Cell(CellB),
    TextBox(Vec<Block>),
}

/// An open XML element, telling what its end tag closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Transparent: descend, nothing to close.
    Pass,
    Para,
    PPr,
    NumPr,
    Run,
    RPr,
    Text,
    Instr,
    Table,
    TblPr,
    TblBorders,
    TblGrid,
    Row,
    TrPr,
    Cell,
    TcPr,
    TcBorders,
    SectPr,
    TextBox,
    /// `mc:AlternateContent`; `true` once a branch was taken.
    Alt(bool),
}

/// State of a complex field (`w:fldChar`).
#[derive(Debug)]
struct Field {
    instr: String,
    result: bool,
    page: bool,
}

/// Most property subtrees remembered per part ([`Memo`]).
const MEMO_CAP: usize = 4096;

/// A properties element whose effect is remembered by its bytes ([`Memo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Props {
    /// `w:rPr` of a run.
    Run,
    /// `w:pPr` of a paragraph.
    Para,
    /// `w:tcPr` of a table cell.
    Cell,
}

/// What `w:tcPr` sets on a cell.
#[derive(Debug, Clone, PartialEq)]
struct CellFmt {
    /// Grid columns spanned (`w:gridSpan`).
    span: u32,
    v_merge: VMerge,
    v_align: VAlign,
    /// Continues the cell before it (legacy `w:hMerge`).
    h_merge_continue: bool,
    /// Whether its own borders draw lines; `None` when it sets none.
    borders: Option<bool>,
}

impl CellFmt {
    /// A cell as `w:tc` opens it.
    fn initial() -> Self {
        CellFmt {
            span: 1,
            v_merge: VMerge::None,
            v_align: VAlign::Top,
            h_merge_continue: false,
            borders: None,
        }
    }
}

/// The properties a remembered subtree gives, from the initial state.
#[derive(Debug, Clone)]
enum Effect {
    Run(RProps),
    Para(PProps),
    Cell(CellFmt),
}

/// Hash of a [`Memo`] key: eight bytes at a time, rotate, xor and multiply.
/// Keys come from one part and the table is capped at [`MEMO_CAP`], so keys made to
/// collide cost byte comparisons, never a wrong effect.
#[derive(Debug, Default)]
struct BytesHasher(u64);

impl BytesHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for BytesHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut b = [0u8; 8];
            if let Some(head) = b.get_mut(..tail.len()) {
                head.copy_from_slice(tail);
            }
            self.add(u64::from_le_bytes(b) ^ ((tail.len() as u64) << 59));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A properties subtree read for the first time; its effect is remembered at its
/// end tag unless something in it did more than set properties.
#[derive(Debug)]
struct Recording<'x> {
    key: (u64, &'x [u8]),
    kind: Props,
    /// Frames open below the element.
    depth: usize,
    /// Offset in the part just after its end tag (as found unread).
    end: usize,
    /// Nothing but properties was set inside.
    pure: bool,
}

/// Run, paragraph and cell properties already read in this part, by the bytes of
/// their subtree and the namespace bindings in force.
///
/// Word repeats the same `w:rPr`, `w:pPr` and `w:tcPr` thousands of times in a
/// document (in the corpus, 155,017 run properties are 1,615 distinct texts), and
/// these subtrees are most of the markup. When an element's subtree is
/// byte-for-byte one read before, under the same bindings and onto the same
/// initial state, its effect is applied and the subtree passed over unread.
#[derive(Debug, Default)]
struct Memo<'x> {
    seen: HashMap<(u64, &'x [u8]), Effect, BuildHasherDefault<BytesHasher>>,
    /// The subtrees met last, most recent first (at most [`RECENT`]).
    recent: Vec<Recent<'x>>,
    recording: Option<Recording<'x>>,
}

/// Subtrees kept in [`Memo::recent`].
const RECENT: usize = 6;

/// A subtree met lately.
#[derive(Debug)]
struct Recent<'x> {
    kind: Props,
    bindings: u64,
    content: &'x [u8],
    effect: Effect,
}

impl<'x> Memo<'x> {
    /// Put a subtree first among the recent ones.
    fn keep_recent(&mut self, kind: Props, key: (u64, &'x [u8]), effect: Effect) {
        let new = Recent {
            kind,
            bindings: key.0,
            content: key.1,
            effect,
        };
        // in place of the oldest when the list is full, then moved to the front
        let full = self.recent.len() >= RECENT;
        match self.recent.last_mut() {
            Some(oldest) if full => *oldest = new,
            _ => self.recent.push(new),
        }
        self.recent.rotate_right(1);
    }

    /// A frame is opened at `depth` (frames open below it): inside the recorded
    /// subtree, anything but numbering or border properties makes it impure.
    fn note_frame(&mut self, depth: usize, f: Frame) {
        if let Some(r) = self.recording.as_mut() {
            if depth > r.depth && !matches!(f, Frame::NumPr | Frame::TcBorders) {
                r.pure = false;
            }
        }
    }

    /// An element opened at `depth` is skipped: if it is the recorded one
    /// itself, the recording is dropped.
    fn note_skipped(&mut self, depth: usize) {
        if self.recording.as_ref().is_some_and(|r| r.depth == depth) {
            self.recording = None;
        }
    }

    /// The frame just closed leaves `depth` open: the recording, if it was its.
    fn finished(&mut self, depth: usize) -> Option<Recording<'x>> {
        if self.recording.as_ref().is_some_and(|r| r.depth == depth) {
            self.recording.take()
        } else {
            None
        }
    }
}

/// The walk over one part.
pub(crate) struct BodyParser<'a> {
    ctx: Ctx<'a>,
    frames: Vec<Frame>,
    open: Vec<Open>,
    out: PartOutput,
    sect: Option<SectProps>,
    fields: Vec<Field>,
    /// `w:fldChar begin` beyond [`MAX_FIELD_NESTING`], not tracked.
    fields_overflow: usize,
    /// Open PAGE fields in their result part (their cached number is hidden).
    hidden_results: usize,
    counters: Counters,
    part: String,
    /// The box of the paragraph finished last, emptied, for the next one.
    spare_para: Option<Box<ParaB>>,
}

/// Is this field instruction a PAGE field?
fn is_page_instr(instr: &str) -> bool {
    instr
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("PAGE"))
}

/// Elements whose whole subtree is skipped.
/// DrawingML and VML elements (outside WordprocessingML) whose subtree cannot hold a
/// text box or any other text: shape geometry, fills, lines, sizes, positions,
/// wrapping, drawing names, pictures, extension lists. Skipped unread, like the
/// unchosen branch of `mc:AlternateContent`: in annexes full of drawn boxes they are
/// most of the bytes around the text.
fn no_text_inside(name: &str) -> bool {
    matches!(
        name,
        "spPr"
            | "bodyPr"
            | "style"
            | "docPr"
            | "cNvPr"
            | "cNvSpPr"
            | "cNvGraphicFramePr"
            | "cNvGrpSpPr"
            | "cNvCnPr"
            | "cNvPicPr"
            | "nvPicPr"
            | "grpSpPr"
            | "effectExtent"
            | "extent"
            | "simplePos"
            | "positionH"
            | "positionV"
            | "wrapSquare"
            | "wrapTight"
            | "wrapThrough"
            | "wrapTopAndBottom"
            | "wrapNone"
            | "sizeRelH"
            | "sizeRelV"
            | "pic"
            | "blipFill"
            | "xfrm"
            | "extLst"
            | "stroke"
            | "fill"
            | "path"
            | "imagedata"
            | "shadow"
            | "lock"
            | "formulas"
            | "handles"
            | "OLEObject"
    )
}

fn skipped(name: &str) -> bool {
    matches!(
        name,
        "del"
            | "moveFrom"
            | "delText"
            | "delInstrText"
            | "rPrChange"
            | "pPrChange"
            | "sectPrChange"
            | "tblPrChange"
            | "tblPrExChange"
            | "trPrChange"
            | "tcPrChange"
            | "tblGridChange"
            | "numberingChange"
            | "sdtPr"
            | "sdtEndPr"
            | "smartTagPr"
            | "customXmlPr"
            | "tblPrEx"
            | "footnoteReference"
            | "endnoteReference"
            | "commentReference"
            | "annotationRef"
    )
}

impl<'a> BodyParser<'a> {
    pub(crate) fn new(ctx: Ctx<'a>, part: &str) -> Self {
        BodyParser {
            ctx,
            frames: Vec::new(),
            open: Vec::new(),
            out: PartOutput::default(),
            sect: None,
            fields: Vec::new(),
            fields_overflow: 0,
            hidden_results: 0,
            counters: Counters::default(),
            part: part.to_string(),
            spare_para: None,
        }
    }

    /// Read the whole part.
    pub(crate) fn run(mut self, xml: &mut XmlReader<'_>) -> Result<PartOutput, IngestError> {
        let mut memo = Memo::default();
        loop {
            match xml.next()? {
                Ev::Start(ns, e) => {
                    if ns == Ns::W && memo.recording.is_none() && self.recall(&e, xml, &mut memo)? {
                        continue;
                    }
                    match self.start(ns, &e, xml)? {
                        Some(f) => {
                            memo.note_frame(self.frames.len(), f);
                            self.frames.push(f);
                        }
                        None => {
                            memo.note_skipped(self.frames.len());
                            xml.skip_subtree(e.name())?;
                        }
                    }
                }
                Ev::Empty(ns, e) => {
                    if let Some(f) = self.start(ns, &e, xml)? {
                        memo.note_frame(self.frames.len(), f);
                        self.end(f)?;
                    }
                }
                Ev::End => {
                    if let Some(f) = self.frames.pop() {
                        if let Some(r) = memo.finished(self.frames.len()) {
                            if r.pure && xml.position() == r.end && memo.seen.len() < MEMO_CAP {
                                if let Some(effect) = self.effect(r.kind) {
                                    memo.keep_recent(r.kind, r.key, effect.clone());
                                    memo.seen.insert(r.key, effect);
                                }
                            }
                        }
                        self.end(f)?;
                    }
                }
                Ev::Text(t) => match self.frames.last() {
                    Some(Frame::Text) => {
                        let s = t.xml10_content();
                        if s.contains('\n') {
                            // Word shows a line feed inside w:t as a space
                            self.push_text(&s.replace('\n', " "))?;
                        } else {
                            self.push_text(&s)?;
                        }
                    }
                    Some(Frame::Instr) => self.push_instr(&t.xml10_content()),
                    _ => {}
                },
                Ev::CData(s) => {
                    if self.frames.last() == Some(&Frame::Text) {
                        self.push_text(&s)?;
                    }
                }
                Ev::Ref(r) => {
                    let top = self.frames.last().copied();
                    if matches!(top, Some(Frame::Text | Frame::Instr)) {
                        if let Some(rt) = ref_text(&r) {
                            let mut s = String::new();
                            rt.push_to(&mut s);
                            if top == Some(Frame::Text) {
                                self.push_text(&s)?;
                            } else {
                                self.push_instr(&s);
                            }
                        }
                    }
                }
                Ev::Other => {}
                Ev::Eof => break,
            }
        }
        // close anything left open (only possible for odd but well-formed input)
        while let Some(f) = self.frames.pop() {
            self.end(f)?;
        }
        while let Some(o) = self.open.pop() {
            self.close_open(o)?;
        }
        Ok(self.out)
    }

    /// For a run's, paragraph's or cell's properties element just opened: when
    /// its subtree was read before ([`Memo`]), set what it sets and pass over it
    /// (true); otherwise start recording what it sets, if it may be remembered.
    fn recall<'x>(
        &mut self,
        e: &BytesStart<'_>,
        xml: &mut XmlReader<'x>,
        memo: &mut Memo<'x>,
    ) -> Result<bool, IngestError> {
        let Some(kind) = self.memo_kind(local(e)) else {
            return Ok(false);
        };
        let bindings = xml.bindings_id();
        // the last few subtrees first: the same formats follow one another, and a
        // match needs neither the end tag searched nor the bytes hashed
        let recent = memo.recent.iter().enumerate().find_map(|(i, m)| {
            if m.kind != kind || m.bindings != bindings {
                return None;
            }
            xml.end_after(m.content, e.name()).map(|at| (i, at))
        });
        if let Some((i, at)) = recent {
            // to the front, the ones before it one place back
            if let Some(upto) = memo.recent.get_mut(..=i) {
                upto.rotate_right(1);
            }
            if let Some(m) = memo.recent.first() {
                self.apply_effect(&m.effect);
            }
            xml.skip_to_end(at)?;
            return Ok(true);
        }
        let Some(at) = xml.subtree_end(e.name()) else {
            return Ok(false);
        };
        let key = (bindings, xml.subtree_content(at));
        if let Some(effect) = memo.seen.get(&key) {
            let effect = effect.clone();
            self.apply_effect(&effect);
            memo.keep_recent(kind, key, effect);
            xml.skip_to_end(at)?;
            return Ok(true);
        }
        memo.recording = Some(Recording {
            key,
            kind,
            depth: self.frames.len(),
            end: xml.subtree_end_offset(at),
            pure: true,
        });
        Ok(false)
    }

    /// The kind of properties element `name` opens here, if its effect may be
    /// remembered: it belongs to the open run, paragraph or cell, nothing was set
    /// on that yet, and (for a run) its format was not resolved yet.
    fn memo_kind(&mut self, name: &str) -> Option<Props> {
        match (name, self.frames.last()?) {
            ("rPr", Frame::Run) => {
                let run = self.para_mut()?.run.as_ref()?;
                (run.fmt.is_none() && run.direct == RProps::default()).then_some(Props::Run)
            }
            ("pPr", Frame::Para) => {
                (self.para_mut()?.direct == PProps::default()).then_some(Props::Para)
            }
            ("tcPr", Frame::Cell) => match self.open.last() {
                Some(Open::Cell(c)) => (c.fmt == CellFmt::initial()).then_some(Props::Cell),
                _ => None,
            },
            _ => None,
        }
    }

    /// What a properties element of `kind` just read has set.
    fn effect(&mut self, kind: Props) -> Option<Effect> {
        Some(match kind {
            Props::Run => Effect::Run(self.para_mut()?.run.as_ref()?.direct.clone()),
            Props::Para => Effect::Para(self.para_mut()?.direct.clone()),
            Props::Cell => match self.open.last() {
                Some(Open::Cell(c)) => Effect::Cell(c.fmt.clone()),
                _ => return None,
            },
        })
    }

    /// Set what a remembered properties element sets.
    fn apply_effect(&mut self, effect: &Effect) {
        match effect {
            Effect::Run(rpr) => {
                if let Some(run) = self.para_mut().and_then(|p| p.run.as_mut()) {
                    run.direct.clone_from(rpr);
                    run.fmt = None;
                }
            }
            Effect::Para(ppr) => {
                if let Some(p) = self.para_mut() {
                    p.direct.clone_from(ppr);
                }
            }
            Effect::Cell(f) => {
                if let Some(Open::Cell(c)) = self.open.last_mut() {
                    c.fmt.clone_from(f);
                }
            }
        }
    }

    /// Handle a start tag. Returns the frame to push, or None to skip the subtree.
    fn start(
        &mut self,
        ns: Ns,
        e: &BytesStart<'_>,
        xml: &XmlReader<'_>,
    ) -> Result<Option<Frame>, IngestError> {
        let top = self.frames.last().copied();
        match ns {
            Ns::W => {}
            Ns::Mc => return Ok(self.start_mc(local(e), e, xml)),
            // drawing markup: only a text box in it holds text
            _ if no_text_inside(local(e)) => return Ok(None),
            _ => return Ok(Some(Frame::Pass)),
        }
        let name = local(e);
        if skipped(name) {
            return Ok(None);
        }
        // properties containers first: their children are leaves
        match top {
            Some(Frame::PPr) => return Ok(self.ppr_child(name, e)),
            Some(Frame::NumPr) => {
                if let Some(p) = self.para_mut() {
                    apply_numpr(name, e, &mut p.direct);
                }
                return Ok(None);
            }
            Some(Frame::RPr) => {
                let theme = self.ctx.theme;
                if let Some(run) = self.para_mut().and_then(|p| p.run.as_mut()) {
                    apply_rpr(name, e, &mut run.direct, theme);
                    run.fmt = None;
                }
                return Ok(None);
            }
            Some(Frame::TblPr) => return Ok(self.tblpr_child(name, e)),
            Some(Frame::TblBorders) => {
                if is_edge(name) {
                    if let Some(Open::Table(t)) = self.open.last_mut() {
                        let vis = edge_visible(e);
                        t.borders = Some(t.borders.unwrap_or(false) || vis);
                    }
                }
                return Ok(None);
            }
            Some(Frame::TblGrid) => {
                if name == "gridCol" {
                    if let Some(Open::Table(t)) = self.open.last_mut() {
                        let w = attr(e, "w")
                            .and_then(|v| parse_twips(&v))
                            .filter(|w| *w >= 0.0)
                            .unwrap_or(0.0);
                        t.columns.push(twips_to_mm(w));
                    }
                }
                return Ok(None);
            }
            Some(Frame::TrPr) => {
                if let Some(Open::Row(r)) = self.open.last_mut() {
                    let n = || {
                        val(e)
                            .and_then(|v| parse_u32(&v))
                            .unwrap_or(0)
                            .min(MAX_SPAN)
                    };
                    match name {
                        "tblHeader" => r.header = toggle(e).unwrap_or(false),
                        "gridBefore" => r.grid_before = n(),
                        "gridAfter" => r.grid_after = n(),
                        _ => {}
                    }
                }
                return Ok(None);
            }
            Some(Frame::TcPr) => return Ok(self.tcpr_child(name, e)),
            Some(Frame::TcBorders) => {
                if is_edge(name) {
                    if let Some(Open::Cell(c)) = self.open.last_mut() {
                        let vis = edge_visible(e);
                        c.fmt.borders = Some(c.fmt.borders.unwrap_or(false) || vis);
                    }
                }
                return Ok(None);
            }
            Some(Frame::SectPr) => {
                self.sectpr_child(name, e);
                return Ok(None);
            }
            _ => {}
        }
        let frame = match name {
            "p" => {
                let p = self.spare_para.take().unwrap_or_default();
                self.open.push(Open::Para(p));
                Frame::Para
            }
            "pPr" if top == Some(Frame::Para) => Frame::PPr,
            "r" => {
                if let Some(p) = self.para_mut() {
                    p.run = Some(RunB::default());
                }
                Frame::Run
            }
            "rPr" if top == Some(Frame::Run) => Frame::RPr,
            // paragraph-mark or other stray run properties: not run formatting
            "rPr" => return Ok(None),
            "t" if top == Some(Frame::Run) => Frame::Text,
            "instrText" => Frame::Instr,
            "tab" | "ptab" if top == Some(Frame::Run) => {
                self.push_inline(Inline::Tab)?;
                Frame::Pass
            }
            "br" | "cr" if top == Some(Frame::Run) => {
                self.push_inline(Inline::LineBreak)?;
                Frame::Pass
            }
            "softHyphen" => {
                self.push_text("\u{AD}")?;
                Frame::Pass
            }
            "noBreakHyphen" => {
                self.push_text("-")?;
                Frame::Pass
            }
            "sym" => {
                let font = attr(e, "font");
                if let Some(c) = attr(e, "char").and_then(|c| sym_char(font.as_deref(), &c)) {
                    let mut s = String::new();
                    s.push(c);
                    self.push_text(&s)?;
                }
                Frame::Pass
            }
            "fldChar" => {
                self.fld_char(attr(e, "fldCharType").as_deref())?;
                Frame::Pass
            }
            "fldSimple" => {
                let instr = attr(e, "instr").unwrap_or_default();
                if is_page_instr(&instr) {
                    self.out.has_page_field = true;
                    self.push_inline(Inline::PageNumber)?;
                    return Ok(None);
                }
                Frame::Pass
            }
            "tbl" => {
                self.open.push(Open::Table(TableB::default()));
                Frame::Table
            }
            "tblPr" if top == Some(Frame::Table) => Frame::TblPr,
            "tblGrid" if top == Some(Frame::Table) => Frame::TblGrid,
            "tr" => {
                self.open.push(Open::Row(RowB::default()));
                Frame::Row
            }
            "trPr" if top == Some(Frame::Row) => Frame::TrPr,
            "tc" => {
                self.open.push(Open::Cell(CellB {
                    blocks: Vec::new(),
                    fmt: CellFmt::initial(),
                }));
                Frame::Cell
            }
            "tcPr" if top == Some(Frame::Cell) => Frame::TcPr,
            "sectPr" => {
                self.sect = Some(SectProps::default());
                Frame::SectPr
            }
            "txbxContent" => {
                self.open.push(Open::TextBox(Vec::new()));
                Frame::TextBox
            }
            _ => Frame::Pass,
        };
        Ok(Some(frame))
    }

    fn start_mc(&mut self, name: &str, e: &BytesStart<'_>, xml: &XmlReader<'_>) -> Option<Frame> {
        match name {
            "AlternateContent" => Some(Frame::Alt(false)),
            "Choice" | "Fallback" => {
                let Some(Frame::Alt(chosen)) = self.frames.last_mut() else {
                    // a branch outside AlternateContent: read it
                    return Some(Frame::Pass);
                };
                if *chosen {
                    return None;
                }
                let take = name == "Fallback"
                    || attr(e, "Requires").is_some_and(|req| {
                        let mut any = false;
                        let all = req.split_whitespace().all(|p| {
                            any = true;
                            xml.prefix_understood(p)
                        });
                        any && all
                    });
                if take {
                    *chosen = true;
                    Some(Frame::Pass)
                } else {
                    None
                }
            }
            _ => Some(Frame::Pass),
        }
    }

    fn ppr_child(&mut self, name: &str, e: &BytesStart<'_>) -> Option<Frame> {
        match name {
            "numPr" => Some(Frame::NumPr),
            "sectPr" => {
                self.sect = Some(SectProps::default());
                Some(Frame::SectPr)
            }
            _ => {
                if let Some(p) = self.para_mut() {
                    apply_ppr(name, e, &mut p.direct);
                }
                None
            }
        }
    }

    fn tblpr_child(&mut self, name: &str, e: &BytesStart<'_>) -> Option<Frame> {
        let Some(Open::Table(t)) = self.open.last_mut() else {
            return None;
        };
        match name {
            "tblStyle" => {
                t.style = val(e).map(|v| v.trim().to_string());
                None
            }
            "tblBorders" => {
                t.borders.get_or_insert(false);
                Some(Frame::TblBorders)
            }
            _ => None,
        }
    }

    fn tcpr_child(&mut self, name: &str, e: &BytesStart<'_>) -> Option<Frame> {
        let Some(Open::Cell(CellB { fmt: c, .. })) = self.open.last_mut() else {
            return None;
        };
        match name {
            "gridSpan" => {
                if let Some(n) = val(e).and_then(|v| parse_u32(&v)) {
                    c.span = n.clamp(1, MAX_SPAN);
                }
                None
            }
            "vMerge" => {
                c.v_merge = match val(e).as_deref().map(str::trim) {
                    Some("restart") => VMerge::Restart,
                    None | Some("continue") => VMerge::Continue,
                    Some(_) => c.v_merge,
                };
                None
            }
            "hMerge" => {
                c.h_merge_continue = !matches!(val(e).as_deref().map(str::trim), Some("restart"));
                None
            }
            "vAlign" => {
                c.v_align = match val(e).as_deref().map(str::trim) {
                    Some("center") => VAlign::Center,
                    _ => VAlign::Top,
                };
                None
            }
            "tcBorders" => {
                c.borders.get_or_insert(false);
                Some(Frame::TcBorders)
            }
            _ => None,
        }
    }

    fn sectpr_child(&mut self, name: &str, e: &BytesStart<'_>) {
        let Some(s) = self.sect.as_mut() else {
            return;
        };
        let tw = |k: &str| attr(e, k).and_then(|v| parse_twips(&v));
        match name {
            "pgSz" => {
                s.width_tw = tw("w").or(s.width_tw);
                s.height_tw = tw("h").or(s.height_tw);
                if let Some(o) = attr(e, "orient") {
                    s.landscape = match o.trim() {
                        "landscape" => Some(true),
                        "portrait" => Some(false),
                        _ => s.landscape,
                    };
                }
            }
            "pgMar" => {
                s.top_tw = tw("top").or(s.top_tw);
                s.bottom_tw = tw("bottom").or(s.bottom_tw);
                s.left_tw = tw("left").or_else(|| tw("start")).or(s.left_tw);
                s.right_tw = tw("right").or_else(|| tw("end")).or(s.right_tw);
                s.header_tw = tw("header").or(s.header_tw);
            }
            "titlePg" => s.title_pg = toggle(e).unwrap_or(false),
            "pgNumType" => {
                if let Some(v) = attr(e, "start").and_then(|v| parse_u32(&v)) {
                    s.restart_at = Some(v);
                }
            }
            "headerReference" | "footerReference" => {
                let kind = attr(e, "type").map_or_else(|| "default".to_string(), |v| v.into());
                if let Some(id) = attr(e, "id") {
                    let tag = if name == "headerReference" {
                        "header"
                    } else {
                        "footer"
                    };
                    s.refs
                        .push((format!("{tag}:{kind}"), id.trim().to_string()));
                }
            }
            _ => {}
        }
    }

    fn fld_char(&mut self, kind: Option<&str>) -> Result<(), IngestError> {
        match kind.map(str::trim) {
            Some("begin") => {
                if self.fields.len() >= MAX_FIELD_NESTING {
                    self.fields_overflow += 1;
                } else {
                    self.fields.push(Field {
                        instr: String::new(),
                        result: false,
                        page: false,
                    });
                }
            }
            Some("separate") => {
                if self.fields_overflow > 0 {
                    return Ok(());
                }
                let mut emit = false;
                if let Some(f) = self.fields.last_mut() {
                    if !f.result {
                        f.result = true;
                        f.page = is_page_instr(&f.instr);
                        emit = f.page;
                    }
                }
                if emit {
                    self.out.has_page_field = true;
                    self.push_inline(Inline::PageNumber)?;
                    self.hidden_results += 1;
                }
            }
            Some("end") => {
                if self.fields_overflow > 0 {
                    self.fields_overflow -= 1;
                } else if let Some(f) = self.fields.pop() {
                    if f.result && f.page {
                        self.hidden_results = self.hidden_results.saturating_sub(1);
                    } else if !f.result && is_page_instr(&f.instr) {
                        self.out.has_page_field = true;
                        self.push_inline(Inline::PageNumber)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn push_instr(&mut self, s: &str) {
        if self.fields_overflow > 0 {
            return;
        }
        if let Some(f) = self.fields.last_mut() {
            if !f.result && f.instr.len() < 4096 {
                f.instr.push_str(s);
            }
        }
    }

    /// Text is hidden while inside the cached result of a PAGE field.
    fn in_page_result(&self) -> bool {
        self.hidden_results > 0
    }

    /// A PAGE field never spans paragraphs: forget an unterminated one at the
    /// paragraph end so that a broken field cannot hide the rest of the text.
    fn end_paragraph_fields(&mut self) {
        if self.hidden_results > 0 {
            self.fields.retain(|f| !(f.result && f.page));
            self.hidden_results = 0;
        }
    }

    /// The innermost open paragraph, if it is the innermost construct.
    fn para_mut(&mut self) -> Option<&mut ParaB> {
        match self.open.last_mut() {
            Some(Open::Para(p)) => Some(p),
            _ => None,
        }
    }

    fn push_inline(&mut self, i: Inline) -> Result<(), IngestError> {
        if !matches!(i, Inline::PageNumber) && self.in_page_result() {
            return Ok(());
        }
        let limit = self.ctx.limits.max_paragraph_chars;
        if let Some(p) = self.para_mut() {
            push_first_alone(&mut p.inlines, i);
            p.chars = p.chars.saturating_add(1);
            if p.chars > limit {
                return Err(IngestError::ParagraphTooLong {
                    part: self.part.clone(),
                    limit,
                });
            }
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) -> Result<(), IngestError> {
        if s.is_empty() || self.in_page_result() {
            return Ok(());
        }
        let styles = self.ctx.styles;
        let limit = self.ctx.limits.max_paragraph_chars;
        let Some(Open::Para(p)) = self.open.last_mut() else {
            return Ok(());
        };
        let Some(run) = p.run.as_mut() else {
            return Ok(());
        };
        if run.fmt.is_none() {
            run.fmt = Some(resolve_run(styles, p.direct.style.as_deref(), &run.direct));
        }
        let Some(fmt) = run.fmt.as_ref() else {
            return Ok(());
        };
        p.chars = p.chars.saturating_add(s.chars().count());
        if p.chars > limit {
            return Err(IngestError::ParagraphTooLong {
                part: self.part.clone(),
                limit,
            });
        }
        if let Some(Inline::Run(last)) = p.inlines.last_mut() {
            if fmt.matches(last) {
                last.text.push_str(s);
                return Ok(());
            }
        }
        push_first_alone(
            &mut p.inlines,
            Inline::Run(Run {
                text: s.to_string(),
                bold: fmt.bold,
                italic: fmt.italic,
                underline: fmt.underline,
                size_pt: fmt.size_pt,
                font: fmt.font.clone(),
            }),
        );
        Ok(())
    }

    /// Handle the end of an element.
    fn end(&mut self, f: Frame) -> Result<(), IngestError> {
        match f {
            Frame::Para | Frame::Table | Frame::Row | Frame::Cell | Frame::TextBox => {
                if let Some(o) = self.open.pop() {
                    self.close_open(o)?;
                }
            }
            Frame::Run => {
                if let Some(p) = self.para_mut() {
                    p.run = None;
                }
            }
            Frame::SectPr => {
                let s = self.sect.take();
                // inside a paragraph's pPr: closes a section after that paragraph
                if self.frames.last() == Some(&Frame::PPr) {
                    if let Some(p) = self.para_mut() {
                        p.sect = s;
                    }
                } else if self.open.is_empty() {
                    self.out.final_sect = s;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Finish an open construct and hand the result to its container.
    fn close_open(&mut self, o: Open) -> Result<(), IngestError> {
        match o {
            Open::Para(p) => {
                self.end_paragraph_fields();
                let sect = p.sect.clone();
                let (para, after) = self.finish_para(p);
                self.emit(Block::Paragraph(para));
                for b in after {
                    self.emit(b);
                }
                if let Some(s) = sect {
                    if self.open.is_empty() {
                        let blocks = std::mem::take(&mut self.out.tail);
                        self.out.sections.push(RawSection { props: s, blocks });
                    }
                }
            }
            Open::TextBox(blocks) => {
                if let Some(Open::Para(p)) = self.open.last_mut() {
                    p.after.extend(blocks);
                } else {
                    for b in blocks {
                        self.emit(b);
                    }
                }
            }
            Open::Table(t) => {
                let table = self.finish_table(t);
                self.emit(Block::Table(table));
            }
            Open::Row(mut r) => {
                if r.grid_before > 0 {
                    r.cells.insert(0, filler(r.grid_before));
                }
                if r.grid_after > 0 {
                    r.cells.push(filler(r.grid_after));
                }
                if let Some(Open::Table(t)) = self.open.last_mut() {
                    t.rows.push(Row {
                        cells: r.cells,
                        header: r.header,
                    });
                }
            }
            Open::Cell(c) => {
                if let Some(t) = self.open.iter_mut().rev().find_map(|o| match o {
                    Open::Table(t) => Some(t),
                    _ => None,
                }) {
                    match c.fmt.borders {
                        Some(true) => t.cells_with_borders += 1,
                        Some(false) => t.cells_without_borders += 1,
                        None => {}
                    }
                }
                if let Some(Open::Row(r)) = self.open.last_mut() {
                    if c.fmt.h_merge_continue {
                        if let Some(prev) = r.cells.last_mut() {
                            prev.col_span = prev.col_span.saturating_add(c.fmt.span).min(MAX_SPAN);
                            prev.blocks.extend(c.blocks);
                            return Ok(());
                        }
                    }
                    r.cells.push(Cell {
                        blocks: c.blocks,
                        col_span: c.fmt.span,
                        v_merge: c.fmt.v_merge,
                        v_align: c.fmt.v_align,
                    });
                }
            }
        }
        Ok(())
    }

    /// Put a finished block into the innermost container.
    fn emit(&mut self, b: Block) {
        match self.open.last_mut() {
            Some(Open::Cell(c)) => push_first_alone(&mut c.blocks, b),
            Some(Open::TextBox(v)) => v.push(b),
            Some(Open::Para(p)) => p.after.push(b),
            // a block directly in a table or row (invalid): dropped
            Some(Open::Table(_) | Open::Row(_)) => {}
            None => self.out.tail.push(b),
        }
    }

    fn finish_para(&mut self, mut p: Box<ParaB>) -> (Paragraph, Vec<Block>) {
        let styles = self.ctx.styles;
        // taken out, so that the copy of the direct properties below copies no string
        let direct_style = p.direct.style.take();
        let style_id = direct_style
            .as_deref()
            .filter(|s| styles.is_paragraph_style(s))
            .or(styles.default_para.as_deref());
        let mut pp = p.direct.clone();
        if let Some(id) = style_id {
            pp.fill_from(styles.para_props(id));
        }
        pp.fill_from(&styles.doc_p);
        let format = ParaFormat {
            align: pp.align.unwrap_or(Align::Left),
            first_line_indent_mm: pp.first_line_mm.unwrap_or(0.0),
            space_before_pt: pp.before_pt.unwrap_or(0.0),
            space_after_pt: pp.after_pt.unwrap_or(0.0),
            line_spacing: pp.line.unwrap_or(1.0),
            keep_with_next: pp.keep_next.unwrap_or(false),
        };
        let list_label = self.list_label(&p.direct, &pp, style_id);
        let style = direct_style
            .as_deref()
            .map(|id| styles.name(id).unwrap_or_else(|| id.into()));
        for i in &mut p.inlines {
            if let Inline::Run(r) = i {
                if let Cow::Owned(n) = nfc_cow(&r.text) {
                    r.text = n;
                }
            }
        }
        let para = Paragraph {
            inlines: std::mem::take(&mut p.inlines),
            format,
            style,
            list_label: list_label.map(|l| match nfc_cow(&l) {
                Cow::Owned(n) => n,
                Cow::Borrowed(_) => l,
            }),
        };
        let after = std::mem::take(&mut p.after);
        *p = ParaB::default();
        self.spare_para = Some(p);
        (para, after)
    }

    fn list_label(
        &mut self,
        direct: &PProps,
        eff: &PProps,
        style_id: Option<&str>,
    ) -> Option<String> {
        let styles = self.ctx.styles;
        let numbering = self.ctx.numbering;
        let (num_id, ilvl) = match eff.num_id {
            Some(0) => return None,
            Some(n) => {
                let ilvl = direct
                    .ilvl
                    .or_else(|| {
                        style_id
                            .filter(|s| styles.is_paragraph_style(s))
                            .and_then(|s| numbering.level_for_style(n, s, styles))
                    })
                    .or(eff.ilvl)
                    .unwrap_or(0);
                (n, ilvl)
            }
            None => {
                let s = style_id?;
                numbering.find_by_style(s)?
            }
        };
        self.counters.label(numbering, styles, num_id, ilvl)
    }

    fn finish_table(&self, t: TableB) -> Table {
        let borders = match t.borders {
            Some(b) => b,
            None => match t
                .style
                .as_deref()
                .or(self.ctx.styles.default_table.as_deref())
                .and_then(|s| self.ctx.styles.table_borders(s))
            {
                Some(b) => b || t.cells_with_borders > 0,
                None => t.cells_with_borders > 0 || t.cells_without_borders == 0,
            },
        };
        let mut rows = t.rows;
        let max_span = (t.columns.len() as u32).max(MAX_SPAN);
        for r in &mut rows {
            for c in &mut r.cells {
                c.col_span = c.col_span.clamp(1, max_span);
            }
        }
        Table {
            columns_mm: t.columns,
            rows,
            borders,
        }
    }
}

/// Add an item to a list that most often holds one: a paragraph's inlines (in the
/// corpus's largest annex, 21,037 inlines in 20,101 paragraphs) or a cell's blocks
/// (5,373 cells, most of one paragraph). The first gets room for itself alone, not
/// the four a `Vec` starts with, and a second grows it.
fn push_first_alone<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

/// An empty cell standing for `w:gridBefore` / `w:gridAfter` columns.
fn filler(span: u32) -> Cell {
    Cell {
        blocks: Vec::new(),
        col_span: span.max(1),
        v_merge: VMerge::None,
        v_align: VAlign::Top,
    }
}

/// Resolve the character format of a run: direct → character style chain →
/// paragraph style chain (or the default paragraph style) → docDefaults.
fn resolve_run(styles: &Styles, para_style: Option<&str>, direct: &RProps) -> RunFmt {
    let mut r = direct.clone();
    if let Some(cs) = direct.style.as_deref() {
        r.fill_from(styles.run_props(cs));
    }
    let para_style = para_style
        .filter(|s| styles.is_paragraph_style(s))
        .or(styles.default_para.as_deref());
    if let Some(ps) = para_style {
        r.fill_from(styles.run_props(ps));
    }
    r.fill_from(&styles.doc_r);
    RunFmt {
        bold: r.bold.unwrap_or(false),
        italic: r.italic.unwrap_or(false),
        underline: r.underline.unwrap_or(false),
        size_pt: r.size_half.map(|h| h / 2.0),
        font: r.font,
    }
}

/// The character of a `w:sym`, when it can be told.
fn sym_char(font: Option<&str>, code: &str) -> Option<char> {
    let n = u32::from_str_radix(code.trim(), 16).ok()?;
    let font = font.unwrap_or("").trim().to_ascii_lowercase();
    let symbolic = font.starts_with("symbol") || font.starts_with("wingdings");
    let low = if (0xF000..=0xF0FF).contains(&n) {
        n - 0xF000
    } else if n <= 0xFF && symbolic {
        n
    } else {
        return char::from_u32(n)
            .filter(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(c));
    };
    if font.starts_with("wingdings") {
        return wingdings(low);
    }
    if font.starts_with("symbol") {
        return symbol_font(low);
    }
    char::from_u32(low).filter(|c| !c.is_control())
}

/// Common glyphs of the Symbol font.
fn symbol_font(b: u32) -> Option<char> {
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    let c = match b {
        0x41..=0x5A => return GREEK_UPPER.chars().nth((b - 0x41) as usize),
        0x61..=0x7A => return GREEK_LOWER.chars().nth((b - 0x61) as usize),
        0x22 => '∀',
        0x24 => '∃',
        0x27 => '∋',
        0x2A => '∗',
        0x2D => '−',
        0x40 => '≅',
        0x5C => '∴',
        0x5E => '⊥',
        0xA3 => '≤',
        0xA5 => '∞',
        0xA7 => '♣',
        0xA8 => '♦',
        0xA9 => '♥',
        0xAA => '♠',
        0xAB => '↔',
        0xAC => '←',
        0xAD => '↑',
        0xAE => '→',
        0xAF => '↓',
        0xB0 => '°',
        0xB1 => '±',
        0xB3 => '≥',
        0xB4 => '×',
        0xB6 => '∂',
        0xB7 => '•',
        0xB8 => '÷',
        0xB9 => '≠',
        0xBA => '≡',
        0xBB => '≈',
        0xBC => '…',
        0xC6 => '∅',
        0xCE => '∈',
        0xD6 => '√',
        0xD7 => '⋅',
        0xD9 => '∧',
        0xDA => '∨',
        0xDB => '⇔',
        0xDC => '⇐',
        0xDE => '⇒',
        0xE5 => '∑',
        0xF2 => '∫',
        0x20..=0x7E => char::from_u32(b)?,
        _ => return None,
    };
    Some(c)
}

/// Common glyphs of the Wingdings font.
fn wingdings(b: u32) -> Option<char> {
    let c = match b {
        0x6C => '●',
        0x6E => '■',
        0x6F => '□',
        0x71 => '❑',
        0x75 => '◆',
        0x76 => '❖',
        0x9F => '•',
        0xA1 => '○',
        0xA7 => '▪',
        0xA8 => '◻',
        0xD8 => '➢',
        0xE0 => '➠',
        0xE8 => '➔',
        0xF0 => '⇨',
        0xFB => '✗',
        0xFC => '✓',
        0xFE => '☑',
        _ => return None,
    };
    Some(c)
}
