//! The neutral document tree: what readers produce and writers consume.
//!
//! A [`Document`] is a list of [`Section`]s (each with its own page set-up and
//! header), each holding [`Block`]s: paragraphs of styled [`Run`]s, tables of
//! cells, and short horizontal rules. Lengths are in millimetres and font sizes
//! in points; the writers convert to twips or typst units. All text is Unicode
//! NFC. The tree knows nothing of DOCX, PDF or the procedures it describes.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A whole document (văn bản).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Sections in reading order; a new section may change orientation or page numbering.
    pub sections: Vec<Section>,
    /// Paragraphs found in headers and footers (readers only; kept apart from the body).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_chrome: Vec<Block>,
    /// Default body font size in points, when known (readers: docDefaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_size_pt: Option<f32>,
}

impl Document {
    /// All body blocks of all sections, in reading order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }

    /// Plain text of the body: one line per paragraph, table cells separated by tabs.
    ///
    /// A cell's text is its blocks' text with line breaks turned into spaces, so a
    /// nested table stays on its cell's line. Iterative: nesting depth costs heap,
    /// not stack.
    pub fn plain_text(&self) -> String {
        plain_text_of(self.blocks())
    }

    /// Call `f` on every block, table cells included, in reading order (depth-first,
    /// without recursion, so deeply nested tables cannot exhaust the stack).
    pub fn visit_blocks<'a>(&'a self, f: &mut dyn FnMut(&'a Block)) {
        let mut stack: Vec<std::slice::Iter<'a, Block>> = self
            .sections
            .iter()
            .rev()
            .map(|s| s.blocks.iter())
            .collect();
        while let Some(top) = stack.last_mut() {
            let Some(b) = top.next() else {
                stack.pop();
                continue;
            };
            f(b);
            if let Block::Table(t) = b {
                for row in t.rows.iter().rev() {
                    for cell in row.cells.iter().rev() {
                        stack.push(cell.blocks.iter());
                    }
                }
            }
        }
    }
}

/// Page orientation (hướng giấy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Khổ dọc.
    #[default]
    Portrait,
    /// Khổ ngang.
    Landscape,
}

/// Page margins in millimetres (lề trên, dưới, trái, phải).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Margins {
    /// Top margin (lề trên).
    pub top: f32,
    /// Bottom margin (lề dưới).
    pub bottom: f32,
    /// Left margin (lề trái).
    pub left: f32,
    /// Right margin (lề phải).
    pub right: f32,
}

/// Paper size, orientation and margins of a section.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageSetup {
    /// Paper width in mm, as printed (already swapped for landscape).
    pub width_mm: f32,
    /// Paper height in mm, as printed.
    pub height_mm: f32,
    /// Orientation flag written to the output.
    pub orientation: Orientation,
    /// Margins in mm.
    pub margins: Margins,
    /// Distance from the page edge to the header, in mm.
    pub header_mm: f32,
}

impl PageSetup {
    /// A4 portrait with the smallest margins ND30 allows (the numbers live in
    /// [`crate::compose::layout`]): the page of a document read from plain text,
    /// which states none.
    pub fn a4_portrait() -> Self {
        use crate::compose::layout;
        PageSetup {
            width_mm: layout::A4_WIDTH_MM,
            height_mm: layout::A4_HEIGHT_MM,
            orientation: Orientation::Portrait,
            margins: layout::MIN_MARGINS,
            header_mm: layout::HEADER_MM,
        }
    }

    /// Width available to text (page width less left and right margins), in mm.
    pub fn text_width_mm(&self) -> f32 {
        self.width_mm - self.margins.left - self.margins.right
    }
}

/// How a section numbers its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageNumbering {
    /// Print a page number centred in the top margin.
    pub show: bool,
    /// Hide the number on the first page of this section (ND30: page 1 shows none).
    pub hide_on_first: bool,
    /// Restart numbering at this value at the start of the section.
    pub restart_at: Option<u32>,
    /// Font size of the number in points.
    pub size_pt: u8,
}

/// A section of a document: page set-up plus its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Paper and margins.
    pub page: PageSetup,
    /// Page numbering of this section.
    pub numbering: PageNumbering,
    /// Body content.
    pub blocks: Vec<Block>,
}

/// One block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
    /// A short solid horizontal line (the rules under the body name, the motto and the trích yếu).
    Rule(Rule),
    /// A picture (a chart), centred on its own line.
    Image(Image),
    /// The blank room for a signature and seal (ô 7c, 8), marked so that the PDF can
    /// carry a signature field over it.
    SignatureRoom(SignatureRoom),
}

/// A PNG picture placed on its own line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The PNG bytes.
    #[serde(skip)]
    pub png: std::sync::Arc<[u8]>,
    /// Printed width in mm.
    pub width_mm: f32,
    /// Printed height in mm.
    pub height_mm: f32,
    /// Alternative text (mô tả) for readers that cannot show pictures.
    pub description: String,
}

/// The room left blank between the signer's title and name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SignatureRoom {
    /// Which signer, counting from 0 in reading order.
    pub signer: usize,
    /// Height of the room in points.
    pub height_pt: f32,
}

/// Plain text of a sequence of blocks (see [`Document::plain_text`]).
fn plain_text_of<'a>(blocks: impl Iterator<Item = &'a Block>) -> String {
    /// What is left to do, in reverse order on a stack.
    enum Step<'a> {
        Block(&'a Block),
        /// Open a buffer for a cell's text.
        CellStart,
        /// Close the cell's buffer into the one below; `tab`: not the row's first cell.
        CellEnd {
            tab: bool,
        },
        RowEnd,
    }
    let mut bufs: Vec<String> = vec![String::new()];
    let mut todo: Vec<Step<'_>> = blocks.map(Step::Block).collect();
    todo.reverse();
    while let Some(step) = todo.pop() {
        match step {
            Step::Block(Block::Paragraph(p)) => {
                if let Some(out) = bufs.last_mut() {
                    if let Some(l) = &p.list_label {
                        out.push_str(l);
                        out.push(' ');
                    }
                    out.push_str(&p.text());
                    out.push('\n');
                }
            }
            Step::Block(Block::Table(t)) => {
                let mut steps: Vec<Step<'_>> = Vec::new();
                for row in &t.rows {
                    for (i, cell) in row.cells.iter().enumerate() {
                        steps.push(Step::CellStart);
                        steps.extend(cell.blocks.iter().map(Step::Block));
                        steps.push(Step::CellEnd { tab: i > 0 });
                    }
                    steps.push(Step::RowEnd);
                }
                todo.extend(steps.into_iter().rev());
            }
            Step::Block(Block::Rule(_) | Block::Image(_) | Block::SignatureRoom(_)) => {}
            Step::CellStart => bufs.push(String::new()),
            Step::CellEnd { tab } => {
                let cell = bufs.pop().unwrap_or_default();
                if let Some(out) = bufs.last_mut() {
                    if tab {
                        out.push('\t');
                    }
                    out.push_str(&cell.trim_end().replace('\n', " "));
                }
            }
            Step::RowEnd => {
                if let Some(out) = bufs.last_mut() {
                    out.push('\n');
                }
            }
        }
    }
    bufs.swap_remove(0)
}

/// Horizontal alignment (căn lề).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
    /// Justified (căn đều hai lề).
    Justify,
}

/// Paragraph formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ParaFormat {
    /// Alignment.
    pub align: Align,
    /// First-line indent in mm.
    pub first_line_indent_mm: f32,
    /// Space before in points.
    pub space_before_pt: f32,
    /// Space after in points.
    pub space_after_pt: f32,
    /// Line spacing as a multiple of single spacing (1.0 = single).
    pub line_spacing: f32,
    /// Keep with the next paragraph on one page.
    pub keep_with_next: bool,
}

/// A paragraph: runs of text with one paragraph format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Inline content.
    pub inlines: Vec<Inline>,
    /// Paragraph formatting.
    pub format: ParaFormat,
    /// Paragraph style name (readers: the resolved style name, e.g. "Heading 1").
    /// Shared: a document's paragraphs use a handful of styles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Arc<str>>,
    /// Automatic list label drawn by the word processor ("1.", "a)", "Bước 1:"), not part of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_label: Option<String>,
}

impl Paragraph {
    /// A paragraph holding one run.
    pub fn from_run(run: Run, format: ParaFormat) -> Self {
        Paragraph {
            inlines: vec![Inline::Run(run)],
            format,
            style: None,
            list_label: None,
        }
    }

    /// Text of the paragraph, line breaks as '\n', without the list label.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.text_len());
        self.push_text(&mut s);
        s
    }

    /// Text with the list label in front, as a reader sees it on the page.
    pub fn labelled_text(&self) -> String {
        match &self.list_label {
            Some(l) => {
                let mut s = String::with_capacity(l.len() + 1 + self.text_len());
                s.push_str(l);
                s.push(' ');
                self.push_text(&mut s);
                s
            }
            None => self.text(),
        }
    }

    /// Length in bytes of [`Paragraph::text`].
    fn text_len(&self) -> usize {
        self.inlines
            .iter()
            .map(|i| match i {
                Inline::Run(r) => r.text.len(),
                Inline::LineBreak | Inline::Tab => 1,
                Inline::PageNumber => 0,
            })
            .sum()
    }

    /// Append [`Paragraph::text`] to `s`.
    fn push_text(&self, s: &mut String) {
        for i in &self.inlines {
            match i {
                Inline::Run(r) => s.push_str(&r.text),
                Inline::LineBreak => s.push('\n'),
                Inline::Tab => s.push('\t'),
                Inline::PageNumber => {}
            }
        }
    }

    /// Runs of the paragraph.
    pub fn runs(&self) -> impl Iterator<Item = &Run> {
        self.inlines.iter().filter_map(|i| match i {
            Inline::Run(r) => Some(r),
            _ => None,
        })
    }
}

/// Inline content of a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inline {
    /// Styled text.
    Run(Run),
    /// A line break inside the paragraph.
    LineBreak,
    /// A tab.
    Tab,
    /// The current page number (a PAGE field).
    PageNumber,
}

/// A run of text with one character format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The text, NFC.
    pub text: String,
    /// Bold (in đậm).
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    /// Italic (in nghiêng).
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
    /// Underlined.
    #[serde(default, skip_serializing_if = "is_false")]
    pub underline: bool,
    /// Font size in points, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_pt: Option<f32>,
    /// Font family, when set (readers: the resolved font). Shared: a document's runs
    /// use a handful of fonts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<Arc<str>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Run {
    /// A plain run.
    pub fn new(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }

    /// Set bold.
    pub fn bold(mut self, on: bool) -> Self {
        self.bold = on;
        self
    }

    /// Set italic.
    pub fn italic(mut self, on: bool) -> Self {
        self.italic = on;
        self
    }

    /// Set the size in points.
    pub fn size(mut self, pt: f32) -> Self {
        self.size_pt = Some(pt);
        self
    }
}

/// A short horizontal rule (đường kẻ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Length in mm.
    pub width_mm: f32,
    /// Alignment within the containing column.
    pub align: Align,
    /// Thickness in points.
    pub thickness_pt: f32,
}

/// Vertical merge state of a cell (DOCX vMerge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VMerge {
    /// Not merged vertically.
    #[default]
    None,
    /// First cell of a vertical merge.
    Restart,
    /// Continues the cell above.
    Continue,
}

/// Vertical alignment inside a cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    /// Top.
    #[default]
    Top,
    /// Centre.
    Center,
}

/// A table cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Content of the cell.
    pub blocks: Vec<Block>,
    /// Number of grid columns spanned (gridSpan), at least 1.
    pub col_span: u32,
    /// Vertical merge state.
    #[serde(default)]
    pub v_merge: VMerge,
    /// Vertical alignment.
    #[serde(default)]
    pub v_align: VAlign,
}

impl Cell {
    /// A cell holding the given blocks, spanning one column.
    pub fn new(blocks: Vec<Block>) -> Self {
        Cell {
            blocks,
            col_span: 1,
            v_merge: VMerge::None,
            v_align: VAlign::Top,
        }
    }

    /// Plain text of the cell, paragraphs joined by '\n'.
    pub fn text(&self) -> String {
        plain_text_of(self.blocks.iter())
            .trim_end_matches('\n')
            .to_string()
    }
}

/// A table row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Cells, left to right.
    pub cells: Vec<Cell>,
    /// Repeat this row at the top of each page (table header).
    #[serde(default, skip_serializing_if = "is_false")]
    pub header: bool,
}

/// A table (bảng).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Grid column widths in mm.
    pub columns_mm: Vec<f32>,
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
    /// Draw single borders around every cell (false for the header and signature tables).
    pub borders: bool,
}

impl Table {
    /// Row span of every cell, computed from the vMerge chains: `spans[r][c]` is
    /// `Some(n)` for a cell that starts a merge of `n` rows (or `Some(1)` for a plain
    /// cell) and `None` for a cell that continues the one above.
    pub fn row_spans(&self) -> Vec<Vec<Option<u32>>> {
        // grid column of each cell
        let grid: Vec<Vec<u32>> = self
            .rows
            .iter()
            .map(|r| {
                let mut g = 0u32;
                r.cells
                    .iter()
                    .map(|c| {
                        let at = g;
                        g = g.saturating_add(c.col_span.max(1));
                        at
                    })
                    .collect()
            })
            .collect();
        let mut spans: Vec<Vec<Option<u32>>> = self
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| match c.v_merge {
                        VMerge::Continue => None,
                        _ => Some(1),
                    })
                    .collect()
            })
            .collect();
        for (ri, row) in self.rows.iter().enumerate() {
            for (ci, cell) in row.cells.iter().enumerate() {
                if cell.v_merge != VMerge::Restart {
                    continue;
                }
                let col = grid[ri][ci];
                let mut n = 1u32;
                for (rj, below) in self.rows.iter().enumerate().skip(ri + 1) {
                    let hit = below
                        .cells
                        .iter()
                        .zip(&grid[rj])
                        .find(|(_, g)| **g == col)
                        .map(|(c, _)| c.v_merge == VMerge::Continue)
                        .unwrap_or(false);
                    if hit {
                        n += 1;
                    } else {
                        break;
                    }
                }
                spans[ri][ci] = Some(n);
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(t: &str) -> Block {
        Block::Paragraph(Paragraph::from_run(Run::new(t), ParaFormat::default()))
    }

    fn table(rows: Vec<Vec<Vec<Block>>>) -> Block {
        Block::Table(Table {
            columns_mm: vec![10.0],
            rows: rows
                .into_iter()
                .map(|r| Row {
                    cells: r.into_iter().map(Cell::new).collect(),
                    header: false,
                })
                .collect(),
            borders: true,
        })
    }

    #[test]
    fn plain_text_of_nested_tables() {
        let inner = table(vec![
            vec![vec![para("x")], vec![para("y ")]],
            vec![vec![], vec![para("z")]],
        ]);
        let mut labelled = Paragraph::from_run(Run::new("Điều 1"), ParaFormat::default());
        labelled.list_label = Some("1.".into());
        let doc = Document {
            sections: vec![Section {
                page: PageSetup::a4_portrait(),
                numbering: PageNumbering::default(),
                blocks: vec![
                    Block::Paragraph(labelled),
                    table(vec![
                        vec![vec![para("a"), para("b")], vec![inner], vec![]],
                        vec![],
                    ]),
                    para("end"),
                ],
            }],
            page_chrome: Vec::new(),
            default_size_pt: None,
        };
        assert_eq!(doc.plain_text(), "1. Điều 1\na b\tx\ty \tz\t\n\nend\n");
        let Some(Block::Table(t)) = doc.sections[0].blocks.get(1) else {
            panic!("a table");
        };
        assert_eq!(t.rows[0].cells[0].text(), "a\nb");
    }

    fn cell(t: &str, m: VMerge) -> Cell {
        Cell {
            v_merge: m,
            ..Cell::new(vec![Block::Paragraph(Paragraph::from_run(
                Run::new(t),
                ParaFormat::default(),
            ))])
        }
    }

    #[test]
    fn row_spans_follow_vmerge_chains() {
        let t = Table {
            columns_mm: vec![10.0, 10.0],
            rows: vec![
                Row {
                    cells: vec![cell("a", VMerge::Restart), cell("b", VMerge::None)],
                    header: false,
                },
                Row {
                    cells: vec![cell("", VMerge::Continue), cell("c", VMerge::None)],
                    header: false,
                },
                Row {
                    cells: vec![cell("d", VMerge::None), cell("e", VMerge::None)],
                    header: false,
                },
            ],
            borders: true,
        };
        let s = t.row_spans();
        assert_eq!(s[0], vec![Some(2), Some(1)]);
        assert_eq!(s[1], vec![None, Some(1)]);
        assert_eq!(s[2], vec![Some(1), Some(1)]);
        assert_eq!(t.rows[0].cells[0].text(), "a");
    }
}
