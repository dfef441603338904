//! PDF writer: document tree → typst source → PDF, in-process, with Liberation
//! Serif (metric-compatible with Times New Roman) embedded in the binary and
//! subset into each PDF.
//!
//! User text reaches typst only as string literals inside generated code, never
//! as markup, so `# * _ $ @ < > [ ]` and "Điều 5." print as they are.

use std::fmt::Write as _;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::doctree::{
    Align, Block, Cell, Document, Inline, Paragraph, Rule, Run, Section, Table, VAlign, VMerge,
};

/// The family name typst uses for the embedded font.
pub const PDF_FONT: &str = "Liberation Serif";

const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// Errors of the PDF writer.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// typst reported errors while laying out the generated source.
    #[error("PDF layout failed: {0}")]
    Layout(String),
    /// typst could not export the PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
}

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    library: LazyHash<Library>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            library: LazyHash::new(Library::default()),
        }
    })
}

struct DocWorld {
    main: Source,
    fonts: &'static Fonts,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.fonts.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal holding `s` exactly.
pub fn string_literal(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn pt(v: f32) -> String {
    format!("{:.2}pt", v)
}

fn mm(v: f32) -> String {
    format!("{:.2}mm", v)
}

struct Gen {
    src: String,
    base_size: f32,
}

impl Gen {
    fn run(&mut self, r: &Run, base: f32) {
        if r.text.is_empty() {
            return;
        }
        let size = r.size_pt.unwrap_or(base);
        if r.underline {
            self.src.push_str("#underline(");
        } else {
            self.src.push('#');
        }
        let _ = write!(self.src, "text(size: {}", pt(size));
        if r.bold {
            self.src.push_str(", weight: \"bold\"");
        }
        if r.italic {
            self.src.push_str(", style: \"italic\"");
        }
        self.src.push_str(", ");
        string_literal(&r.text, &mut self.src);
        self.src.push(')');
        if r.underline {
            self.src.push(')');
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let f = &p.format;
        let size = p.runs().find_map(|r| r.size_pt).unwrap_or(self.base_size);
        let align = match f.align {
            Align::Left | Align::Justify => "left",
            Align::Center => "center",
            Align::Right => "right",
        };
        // Word's single spacing is about 1.15 em of line height; typst's leading is the gap.
        // Lines span ascender to descender (1.107 em for Liberation Serif); a single-spaced
        // line with stacked Vietnamese marks needs about 1.2 em, so the leading is the
        // difference, and the same gap separates consecutive paragraphs.
        let leading = (f.line_spacing.max(0.5) * 1.2 - 1.107).max(0.04);
        let gap = leading * size;
        let _ = write!(
            self.src,
            "#block(width: 100%, above: {}, below: {}, sticky: {})[#set align({align}); #par(justify: {}, first-line-indent: (amount: {}, all: true), leading: {:.2}em)[",
            pt(f.space_before_pt),
            pt(f.space_after_pt + gap),
            f.keep_with_next,
            f.align == Align::Justify,
            mm(f.first_line_indent_mm),
            leading,
        );
        let has_text = p.runs().any(|r| !r.text.is_empty());
        if !has_text && !p.inlines.iter().any(|i| matches!(i, Inline::PageNumber)) {
            // An empty line keeps its height (the room for signature and seal).
            let _ = write!(self.src, "#box(height: {})", pt(size * 1.15));
        }
        if let Some(label) = &p.list_label {
            let r = Run {
                text: format!("{label} "),
                size_pt: Some(size),
                ..Run::default()
            };
            self.run(&r, size);
        }
        for i in &p.inlines {
            match i {
                Inline::Run(r) => self.run(r, size),
                Inline::LineBreak => self.src.push_str("#linebreak()"),
                Inline::Tab => self.src.push_str("#h(1.27cm)"),
                Inline::PageNumber => self.src.push_str("#context counter(page).display()"),
            }
        }
        self.src.push_str("]]\n");
    }

    fn rule(&mut self, r: &Rule) {
        let align = match r.align {
            Align::Left | Align::Justify => "left",
            Align::Center => "center",
            Align::Right => "right",
        };
        let _ = writeln!(
            self.src,
            "#block(width: 100%, above: 3pt, below: 4pt)[#align({align}, line(length: {}, stroke: {}))]",
            mm(r.width_mm),
            pt(r.thickness_pt)
        );
    }

    fn blocks(&mut self, blocks: &[Block], text_width: f32) {
        for b in blocks {
            match b {
                Block::Paragraph(p) => self.paragraph(p),
                Block::Rule(r) => self.rule(r),
                Block::Table(t) => self.table(t, text_width),
            }
        }
    }

    fn cell(&mut self, c: &Cell, rowspan: u32, width: f32) {
        let _ = write!(
            self.src,
            "table.cell(colspan: {}, rowspan: {}",
            c.col_span.max(1),
            rowspan.max(1)
        );
        if c.v_align == VAlign::Center {
            self.src.push_str(", align: horizon");
        }
        self.src.push_str(")[");
        self.blocks(&c.blocks, width);
        self.src.push_str("],\n");
    }

    fn table(&mut self, t: &Table, text_width: f32) {
        let total: f32 = t.columns_mm.iter().sum();
        let shift = (text_width - total).min(0.0);
        let cols: Vec<String> = t.columns_mm.iter().map(|w| mm(*w)).collect();
        // A table wider than the text block is shifted left so that its right edge meets the
        // margin (as the DOCX writer does); only such (one-row) tables are wrapped in `move`,
        // which would keep a long table from breaking across pages.
        let wrapped = shift < -0.01;
        if wrapped {
            let _ = write!(self.src, "#move(dx: {}, ", mm(shift));
        } else {
            self.src.push('#');
        }
        let _ = writeln!(
            self.src,
            "table(columns: ({},), stroke: {}, inset: (x: 1.9mm, y: 2pt), align: top,",
            cols.join(", "),
            if t.borders { "0.5pt" } else { "none" }
        );
        let spans = t.row_spans();
        let header_rows = t.rows.iter().take_while(|r| r.header).count();
        for (ri, row) in t.rows.iter().enumerate() {
            if ri == 0 && header_rows > 0 {
                self.src.push_str("table.header(\n");
            }
            let mut at = 0usize;
            for (ci, cell) in row.cells.iter().enumerate() {
                let span = cell.col_span.max(1) as usize;
                let width: f32 = t.columns_mm.iter().skip(at).take(span).sum();
                at += span;
                if cell.v_merge == VMerge::Continue {
                    continue;
                }
                let rs = spans
                    .get(ri)
                    .and_then(|r| r.get(ci))
                    .copied()
                    .flatten()
                    .unwrap_or(1);
                self.cell(cell, rs, width);
            }
            if header_rows > 0 && ri + 1 == header_rows {
                self.src.push_str("),\n");
            }
        }
        self.src.push_str(if wrapped { "))\n" } else { ")\n" });
    }

    fn section(&mut self, s: &Section) {
        let p = &s.page;
        let n = &s.numbering;
        let header = if n.show {
            let cond = if n.hide_on_first {
                "counter(page).get().first() > 1"
            } else {
                "true"
            };
            format!(
                "context {{ if {cond} {{ align(center, text(size: {}, counter(page).display())) }} }}",
                pt(f32::from(n.size_pt))
            )
        } else {
            "none".to_string()
        };
        let _ = writeln!(
            self.src,
            "#set page(width: {}, height: {}, margin: (top: {}, bottom: {}, left: {}, right: {}), header-ascent: {}, header: {header})",
            mm(p.width_mm),
            mm(p.height_mm),
            mm(p.margins.top),
            mm(p.margins.bottom),
            mm(p.margins.left),
            mm(p.margins.right),
            mm((p.margins.top - p.header_mm - 6.0).max(2.0)),
        );
        self.blocks(&s.blocks, p.text_width_mm());
    }
}

/// The typst source for a document (exposed for tests and debugging).
pub fn typst_source(doc: &Document, title: &str) -> String {
    let base = doc.default_size_pt.unwrap_or(14.0);
    let mut g = Gen {
        src: String::with_capacity(64 * 1024),
        base_size: base,
    };
    g.src.push_str("#set document(title: ");
    string_literal(title, &mut g.src);
    let _ = writeln!(
        g.src,
        ")\n#set text(font: \"{PDF_FONT}\", size: {}, lang: \"vi\", hyphenate: false, top-edge: \"ascender\", bottom-edge: \"descender\")\n#set par(spacing: 0pt)\n#set block(spacing: 0pt)",
        pt(base)
    );
    for (i, s) in doc.sections.iter().enumerate() {
        if i > 0 {
            if let Some(start) = s.numbering.restart_at {
                // Set before the new page starts, so that its header already sees the new value.
                let _ = writeln!(g.src, "#counter(page).update({})", start.saturating_sub(1));
            } else if s.page == doc.sections[i - 1].page {
                g.src.push_str("#pagebreak()\n");
            }
        }
        g.section(s);
    }
    g.src
}

/// Lay out a document with typst.
pub fn layout(doc: &Document, title: &str) -> Result<PagedDocument, PdfError> {
    let src = typst_source(doc, title);
    let id = VirtualPath::new("/main.typ")
        .map(|vp| RootedPath::new(VirtualRoot::Project, vp).intern())
        .map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    let world = DocWorld {
        main: Source::new(id, src),
        fonts: fonts(),
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    typst::comemo::evict(2);
    result.map_err(|errs| {
        PdfError::Layout(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// Write a document tree as PDF bytes.
pub fn write_pdf(doc: &Document, title: &str) -> Result<Vec<u8>, PdfError> {
    let paged = layout(doc, title)?;
    let opts = typst_pdf::PdfOptions {
        tagged: false,
        ..Default::default()
    };
    typst_pdf::pdf(&paged, &opts).map_err(|errs| {
        PdfError::Export(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        let mut s = String::new();
        string_literal("a\"b\\c #d", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c #d\"");
    }
}
