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

use crate::compose::layout::{signature_field, RectPt};
use crate::doctree::{
    Align, Block, Cell, Document, Image, Inline, Paragraph, Rule, Run, Section, SignatureRoom,
    Table, VAlign, VMerge,
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
    /// The signature fields could not be added to the exported PDF.
    #[error("cannot add the signature field: {0}")]
    Signature(String),
}

/// An empty signature field (AcroForm /Sig widget) placed over a signer's room.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SignatureField {
    /// Field name in the PDF (/T), "Signature1", "Signature2", …
    pub field: String,
    /// Which signer, counting from 0 in reading order.
    pub signer: usize,
    /// Page, counting from 1.
    pub page: usize,
    /// The field rectangle [x1, y1, x2, y2] in PDF points, origin at the bottom-left
    /// corner of the page (the /Rect of the widget).
    pub rect: [f32; 4],
    /// The blank room between the signer's title and name, same coordinates.
    pub room: [f32; 4],
    /// Height of the page in points (to convert to top-left coordinates).
    pub page_height: f32,
}

/// A laid-out and exported PDF with its signature fields.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    /// The PDF bytes (with the fields added as an incremental update).
    pub bytes: Vec<u8>,
    /// The signature fields, one per signature room, in reading order.
    pub signatures: Vec<SignatureField>,
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
    /// Pictures the source refers to, by virtual path.
    files: Vec<(FileId, Bytes)>,
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
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or(FileError::AccessDenied)
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
    /// Pictures, in order; the n-th is "/media/image{n+1}.png" in the source.
    images: Vec<std::sync::Arc<[u8]>>,
}

/// Label of a corner of the n-th signature room in the typst source.
fn room_label(signer: usize, corner: char) -> String {
    format!("tthc-sig-{signer}-{corner}")
}

fn virtual_id(path: &str) -> Result<FileId, PdfError> {
    VirtualPath::new(path)
        .map(|vp| RootedPath::new(VirtualRoot::Project, vp).intern())
        .map_err(|e| PdfError::Layout(format!("{path}: {e:?}")))
}

impl Gen {
    fn run(&mut self, r: &Run, base: f32) {
        if r.text.is_empty() {
            return;
        }
        let size = r.size_pt.unwrap_or(base);
        if !r.underline && (size - self.base_size).abs() < 0.005 {
            // The common case in short form (helpers defined in the preamble).
            self.src.push_str(match (r.bold, r.italic) {
                (false, false) => "#",
                (true, false) => "#B(",
                (false, true) => "#I(",
                (true, true) => "#BI(",
            });
            string_literal(&r.text, &mut self.src);
            if r.bold || r.italic {
                self.src.push(')');
            }
            return;
        }
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
            "#P({}, {}, {}, {align}, {}, {}, {:.2}em)[",
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
        self.src.push_str("]\n");
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

    fn image(&mut self, img: &Image) {
        self.images.push(img.png.clone());
        let _ = writeln!(
            self.src,
            "#block(width: 100%, above: 6pt, below: 6pt, sticky: true)[#align(center, image(\"/media/image{}.png\", width: {}, height: {}, alt: ",
            self.images.len(),
            mm(img.width_mm),
            mm(img.height_mm),
        );
        string_literal(&img.description, &mut self.src);
        self.src.push_str("))]\n");
    }

    /// The blank room for signature and seal, with zero-size markers at its top-left
    /// and bottom-right corners whose positions give the signature field.
    fn signature_room(&mut self, r: &SignatureRoom) {
        let _ = writeln!(
            self.src,
            "#block(width: 100%, height: {}, breakable: false, sticky: true)[#place(top + left)[#metadata(none) <{}>]#place(bottom + right)[#metadata(none) <{}>]]",
            pt(r.height_pt),
            room_label(r.signer, 'a'),
            room_label(r.signer, 'b'),
        );
    }

    fn blocks(&mut self, blocks: &[Block], text_width: f32) {
        for b in blocks {
            match b {
                Block::Paragraph(p) => self.paragraph(p),
                Block::Rule(r) => self.rule(r),
                Block::Table(t) => self.table(t, text_width),
                Block::Image(img) => self.image(img),
                Block::SignatureRoom(r) => self.signature_room(r),
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

/// Helpers the generated source calls: a paragraph block, and bold / italic runs at
/// the base size.
const PREAMBLE: &str = "#let P(a, b, s, al, j, i, l, body) = block(width: 100%, above: a, below: b, sticky: s, { set align(al); par(justify: j, first-line-indent: (amount: i, all: true), leading: l, body) })\n#let B(t) = text(weight: \"bold\", t)\n#let I(t) = text(style: \"italic\", t)\n#let BI(t) = text(weight: \"bold\", style: \"italic\", t)";

/// The typst source for a document (exposed for tests and debugging).
pub fn typst_source(doc: &Document, title: &str) -> String {
    generate(doc, title).src
}

fn generate(doc: &Document, title: &str) -> Gen {
    let base = doc.default_size_pt.unwrap_or(14.0);
    let mut g = Gen {
        src: String::with_capacity(64 * 1024),
        base_size: base,
        images: Vec::new(),
    };
    // Set as Word sets a document by default: no pair kerning, no standard ligatures,
    // first-fit line breaking that never squeezes spaces (typst's optimized breaking
    // does, fitting more on a line than the DOCX shows); also ~20% fewer instructions.
    g.src.push_str("#set document(title: ");
    string_literal(title, &mut g.src);
    let _ = writeln!(
        g.src,
        ")\n#set text(font: \"{PDF_FONT}\", size: {}, lang: \"vi\", hyphenate: false, kerning: false, ligatures: false, top-edge: \"ascender\", bottom-edge: \"descender\")\n#set par(spacing: 0pt, linebreaks: \"simple\")\n#set block(spacing: 0pt)\n{PREAMBLE}",
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
    g
}

/// Lay out a document with typst.
pub fn layout(doc: &Document, title: &str) -> Result<PagedDocument, PdfError> {
    let g = generate(doc, title);
    let mut files = Vec::with_capacity(g.images.len());
    for (i, png) in g.images.iter().enumerate() {
        let id = virtual_id(&format!("/media/image{}.png", i + 1))?;
        files.push((id, Bytes::new(png.to_vec())));
    }
    compile(g.src, files)
}

/// Compile typst source with the embedded fonts and the given virtual files.
pub(crate) fn compile(src: String, files: Vec<(FileId, Bytes)>) -> Result<PagedDocument, PdfError> {
    let world = DocWorld {
        main: Source::new(virtual_id("/main.typ")?, src),
        fonts: fonts(),
        files,
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

/// Write a document tree as PDF bytes, with an empty signature field over each
/// signature room; `tooltips[n]` (who signs, e.g. "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn
/// Minh") becomes the n-th field's description.
pub fn write_pdf(doc: &Document, title: &str, tooltips: &[String]) -> Result<PdfOutput, PdfError> {
    let timing = std::env::var_os("TTHC_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let paged = layout(doc, title)?;
    let t1 = std::time::Instant::now();
    let opts = typst_pdf::PdfOptions {
        tagged: false,
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&paged, &opts).map_err(|errs| {
        PdfError::Export(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let t2 = std::time::Instant::now();
    let signatures = signature_fields(doc, &paged)?;
    let bytes = if signatures.is_empty() {
        bytes
    } else {
        super::acroform::add_signature_fields_with(bytes, &signatures, tooltips)
            .map_err(|e| PdfError::Signature(e.to_string()))?
    };
    if timing {
        eprintln!(
            "timing: typst layout {:?}, PDF export {:?}, signature fields {:?} ({} pages)",
            t1 - t0,
            t2 - t1,
            t2.elapsed(),
            paged.pages().len()
        );
    }
    Ok(PdfOutput { bytes, signatures })
}

/// Where each signature room landed, and the field over it.
fn signature_fields(
    doc: &Document,
    paged: &PagedDocument,
) -> Result<Vec<SignatureField>, PdfError> {
    let mut rooms = Vec::new();
    doc.visit_blocks(&mut |b| {
        if let Block::SignatureRoom(r) = b {
            rooms.push(r.signer);
        }
    });
    use typst::introspection::Introspector as _;
    let intro = paged.introspector();
    let find = |name: String| -> Result<(usize, f32, f32), PdfError> {
        let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(&name))
            .ok_or_else(|| PdfError::Signature(format!("bad label {name}")))?;
        let loc = intro
            .query_label(label)
            .ok()
            .and_then(|c| c.location())
            .ok_or_else(|| PdfError::Signature(format!("{name} was not laid out")))?;
        let pos = intro
            .position(loc)
            .ok_or_else(|| PdfError::Signature(format!("{name} has no position")))?;
        Ok((
            pos.page.get(),
            pos.point.x.to_pt() as f32,
            pos.point.y.to_pt() as f32,
        ))
    };
    let mut out = Vec::new();
    for signer in rooms {
        let (page, left, top) = find(room_label(signer, 'a'))?;
        let (_, right, bottom) = find(room_label(signer, 'b'))?;
        let page_height = paged
            .pages()
            .get(page - 1)
            .map(|p| p.frame.height().to_pt() as f32)
            .unwrap_or(0.0);
        let room = RectPt {
            left,
            top,
            right,
            bottom,
        };
        let field = signature_field(room);
        let flip = |r: RectPt| [r.left, page_height - r.bottom, r.right, page_height - r.top];
        out.push(SignatureField {
            field: format!("Signature{}", signer + 1),
            signer,
            page,
            rect: flip(field),
            room: flip(room),
            page_height,
        });
    }
    Ok(out)
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
