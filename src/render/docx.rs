//! DOCX writer: document tree → WordprocessingML package.
//!
//! The XML is written directly, element by element in the order the OOXML schema
//! requires (so validators and Word find nothing to repair), with every string
//! escaped, and packed with deflate. The writer decides nothing about wording or
//! Nghị định 30 rules: it carries out what the tree says.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::doctree::{
    Align, Block, Cell, Document, Image, Inline, Orientation, Paragraph, Row, Rule, Run, Section,
    SignatureRoom, Table, VAlign, VMerge,
};

/// The font named in all four rFonts slots.
const FONT: &str = crate::compose::layout::FONT;

/// Default cell margin left and right, twips (Word's 0.19 cm).
const CELL_MARGIN_TW: i64 = 108;

/// Errors of the DOCX writer.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// Packing the zip failed.
    #[error("cannot pack the DOCX: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing to memory failed.
    #[error("cannot write the DOCX: {0}")]
    Io(#[from] std::io::Error),
}

/// Options of the written package.
#[derive(Debug, Clone, Default)]
pub struct DocxOptions {
    /// Title stored in docProps/core.xml.
    pub title: String,
}

fn tw(mm: f32) -> i64 {
    (mm * 56.692_91).round() as i64
}

fn half_points(pt: f32) -> i64 {
    (pt * 2.0).round() as i64
}

/// Escape text for XML element content and attribute values, dropping characters XML 1.0 forbids.
pub fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

struct Writer {
    xml: String,
    /// Pictures met so far; the n-th is word/media/image{n+1}.png with id rIdImage{n+1}.
    images: Vec<std::sync::Arc<[u8]>>,
}

/// EMU (English Metric Units) per mm, the unit of DrawingML sizes.
const EMU_PER_MM: f32 = 36_000.0;

impl Writer {
    fn fonts(&mut self) {
        let _ = write!(
            self.xml,
            r#"<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>"#
        );
    }

    fn run_props(&mut self, r: &Run) {
        self.xml.push_str("<w:rPr>");
        self.fonts();
        if r.bold {
            self.xml.push_str("<w:b/><w:bCs/>");
        }
        if r.italic {
            self.xml.push_str("<w:i/><w:iCs/>");
        }
        if let Some(sz) = r.size_pt {
            let hp = half_points(sz);
            let _ = write!(self.xml, r#"<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>"#);
        }
        if r.underline {
            self.xml.push_str(r#"<w:u w:val="single"/>"#);
        }
        self.xml.push_str("</w:rPr>");
    }

    fn run(&mut self, r: &Run) {
        if r.text.is_empty() {
            return;
        }
        self.xml.push_str("<w:r>");
        self.run_props(r);
        self.xml.push_str(r#"<w:t xml:space="preserve">"#);
        xml_escape(&r.text, &mut self.xml);
        self.xml.push_str("</w:t></w:r>");
    }

    fn page_field(&mut self, r: &Run) {
        for part in ["begin", "instr", "separate", "text", "end"] {
            self.xml.push_str("<w:r>");
            self.run_props(r);
            match part {
                "instr" => self
                    .xml
                    .push_str(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#),
                "text" => self.xml.push_str("<w:t>2</w:t>"),
                kind => {
                    let _ = write!(self.xml, r#"<w:fldChar w:fldCharType="{kind}"/>"#);
                }
            }
            self.xml.push_str("</w:r>");
        }
    }

    /// A paragraph; `width_tw` is the width of its container, `sect` an optional sectPr.
    fn paragraph(&mut self, p: &Paragraph, sect: Option<&str>) {
        let f = &p.format;
        self.xml.push_str("<w:p><w:pPr>");
        if f.keep_with_next {
            self.xml.push_str("<w:keepNext/>");
        }
        let line = (f.line_spacing.max(0.5) * 240.0).round() as i64;
        let _ = write!(
            self.xml,
            r#"<w:spacing w:before="{}" w:after="{}" w:line="{line}" w:lineRule="auto"/>"#,
            (f.space_before_pt * 20.0).round() as i64,
            (f.space_after_pt * 20.0).round() as i64
        );
        if f.first_line_indent_mm != 0.0 {
            let _ = write!(
                self.xml,
                r#"<w:ind w:firstLine="{}"/>"#,
                tw(f.first_line_indent_mm).max(0)
            );
        }
        let jc = match f.align {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Justify => "both",
        };
        let _ = write!(self.xml, r#"<w:jc w:val="{jc}"/>"#);
        // The paragraph mark takes the size of the first run, so empty lines keep their height.
        if let Some(r) = p.runs().next() {
            let mark = Run {
                text: String::new(),
                ..r.clone()
            };
            self.run_props(&mark);
        }
        if let Some(s) = sect {
            self.xml.push_str(s);
        }
        self.xml.push_str("</w:pPr>");
        let size_run = p.runs().next().cloned().unwrap_or_default();
        for i in &p.inlines {
            match i {
                Inline::Run(r) => self.run(r),
                Inline::LineBreak => {
                    self.xml.push_str("<w:r>");
                    self.run_props(&size_run);
                    self.xml.push_str("<w:br/></w:r>");
                }
                Inline::Tab => self.xml.push_str("<w:r><w:tab/></w:r>"),
                Inline::PageNumber => self.page_field(&size_run),
            }
        }
        self.xml.push_str("</w:p>");
    }

    fn rule(&mut self, r: &Rule, width_tw: i64, sect: Option<&str>) {
        let len = tw(r.width_mm).min(width_tw).max(0);
        let free = (width_tw - len).max(0);
        let (left, right) = match r.align {
            Align::Left | Align::Justify => (0, free),
            Align::Right => (free, 0),
            Align::Center => (free / 2, free - free / 2),
        };
        let sz = ((r.thickness_pt * 8.0).round() as i64).clamp(2, 96);
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="{sz}" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:left="{left}" w:right="{right}"/><w:jc w:val="center"/><w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr>"#
        );
        if let Some(s) = sect {
            self.xml.push_str(s);
        }
        self.xml.push_str("</w:pPr></w:p>");
    }

    /// The blank room for signature and seal: one empty line of exactly its height.
    fn signature_room(&mut self, r: &SignatureRoom, sect: Option<&str>) {
        let line = (r.height_pt * 20.0).round().max(1.0) as i64;
        let _ = write!(
            self.xml,
            r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>"#
        );
        if let Some(s) = sect {
            self.xml.push_str(s);
        }
        self.xml.push_str("</w:pPr></w:p>");
    }

    /// A picture on its own centred line, as an inline DrawingML picture.
    fn image(&mut self, img: &Image, sect: Option<&str>) {
        self.images.push(img.png.clone());
        let n = self.images.len();
        let cx = (img.width_mm * EMU_PER_MM).round().max(1.0) as i64;
        let cy = (img.height_mm * EMU_PER_MM).round().max(1.0) as i64;
        self.xml.push_str(
            r#"<w:p><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>"#,
        );
        if let Some(s) = sect {
            self.xml.push_str(s);
        }
        let _ = write!(
            self.xml,
            r#"</w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{n}" name="Picture {n}" descr=""#
        );
        xml_escape(&img.description, &mut self.xml);
        let _ = write!(
            self.xml,
            r#""/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A}" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{A}"><a:graphicData uri="{PIC}"><pic:pic xmlns:pic="{PIC}"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
            A = "http://schemas.openxmlformats.org/drawingml/2006/main",
            PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture",
        );
    }

    fn blocks(&mut self, blocks: &[Block], width_tw: i64, text_width_tw: i64, sect: Option<&str>) {
        let last_is_para = !matches!(blocks.last(), None | Some(Block::Table(_)));
        for (i, b) in blocks.iter().enumerate() {
            let s = if i + 1 == blocks.len() && last_is_para {
                sect
            } else {
                None
            };
            match b {
                Block::Paragraph(p) => self.paragraph(p, s),
                Block::Rule(r) => self.rule(r, width_tw, s),
                Block::Table(t) => self.table(t, text_width_tw),
                Block::Image(img) => self.image(img, s),
                Block::SignatureRoom(r) => self.signature_room(r, s),
            }
        }
        if let (Some(s), false) = (sect, last_is_para) {
            let _ = write!(self.xml, "<w:p><w:pPr>{s}</w:pPr></w:p>");
        }
    }

    fn table(&mut self, t: &Table, text_width_tw: i64) {
        let cols: Vec<i64> = t.columns_mm.iter().map(|w| tw(*w).max(1)).collect();
        let total: i64 = cols.iter().sum();
        // A table wider than the text block is shifted left so that its right edge meets the margin.
        let indent = (text_width_tw - total).min(0);
        let _ = write!(
            self.xml,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblInd w:w="{indent}" w:type="dxa"/>"#
        );
        if t.borders {
            self.xml.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                let _ = write!(
                    self.xml,
                    r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
                );
            }
            self.xml.push_str("</w:tblBorders>");
        } else {
            self.xml.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                let _ = write!(self.xml, r#"<w:{side} w:val="nil"/>"#);
            }
            self.xml.push_str("</w:tblBorders>");
        }
        let _ = write!(
            self.xml,
            r#"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN_TW}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_TW}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        );
        for c in &cols {
            let _ = write!(self.xml, r#"<w:gridCol w:w="{c}"/>"#);
        }
        self.xml.push_str("</w:tblGrid>");
        for row in &t.rows {
            self.row(row, &cols, text_width_tw);
        }
        self.xml.push_str("</w:tbl>");
    }

    fn row(&mut self, row: &Row, cols: &[i64], text_width_tw: i64) {
        self.xml.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if row.header {
            self.xml.push_str("<w:tblHeader/>");
        }
        self.xml.push_str("</w:trPr>");
        let mut at = 0usize;
        for cell in &row.cells {
            let span = cell.col_span.max(1) as usize;
            let width: i64 = cols.iter().skip(at).take(span).sum::<i64>().max(1);
            at += span;
            self.cell(cell, span, width, text_width_tw);
        }
        self.xml.push_str("</w:tr>");
    }

    fn cell(&mut self, cell: &Cell, span: usize, width: i64, text_width_tw: i64) {
        let _ = write!(
            self.xml,
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#
        );
        if span > 1 {
            let _ = write!(self.xml, r#"<w:gridSpan w:val="{span}"/>"#);
        }
        match cell.v_merge {
            VMerge::Restart => self.xml.push_str(r#"<w:vMerge w:val="restart"/>"#),
            VMerge::Continue => self.xml.push_str("<w:vMerge/>"),
            VMerge::None => {}
        }
        if cell.v_align == VAlign::Center {
            self.xml.push_str(r#"<w:vAlign w:val="center"/>"#);
        }
        self.xml.push_str("</w:tcPr>");
        let inner = (width - 2 * CELL_MARGIN_TW).max(1);
        self.blocks(&cell.blocks, inner, text_width_tw, None);
        // A cell must end with a paragraph.
        if matches!(cell.blocks.last(), None | Some(Block::Table(_))) {
            self.xml.push_str("<w:p/>");
        }
        self.xml.push_str("</w:tc>");
    }
}

fn sect_pr(s: &Section) -> String {
    let mut x = String::from("<w:sectPr>");
    if s.numbering.show {
        x.push_str(r#"<w:headerReference w:type="default" r:id="rIdHeaderNumber"/>"#);
        if s.numbering.hide_on_first {
            x.push_str(r#"<w:headerReference w:type="first" r:id="rIdHeaderBlank"/>"#);
        }
    }
    let p = &s.page;
    let orient = match p.orientation {
        Orientation::Portrait => "",
        Orientation::Landscape => r#" w:orient="landscape""#,
    };
    let _ = write!(
        x,
        r#"<w:pgSz w:w="{}" w:h="{}"{orient}/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0"/>"#,
        tw(p.width_mm),
        tw(p.height_mm),
        tw(p.margins.top),
        tw(p.margins.right),
        tw(p.margins.bottom),
        tw(p.margins.left),
        tw(p.header_mm),
        tw(p.header_mm),
    );
    if let Some(start) = s.numbering.restart_at {
        let _ = write!(x, r#"<w:pgNumType w:start="{start}"/>"#);
    }
    x.push_str(r#"<w:cols w:space="720"/>"#);
    if s.numbering.show && s.numbering.hide_on_first {
        x.push_str("<w:titlePg/>");
    }
    x.push_str("</w:sectPr>");
    x
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const NS_WP: &str =
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing""#;

/// document.xml and the pictures it refers to, in order.
fn document_xml(doc: &Document) -> (String, Vec<std::sync::Arc<[u8]>>) {
    let mut w = Writer {
        xml: String::with_capacity(64 * 1024),
        images: Vec::new(),
    };
    let _ = write!(
        w.xml,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS} {NS_WP}><w:body>"#
    );
    let n = doc.sections.len();
    for (i, s) in doc.sections.iter().enumerate() {
        let text_w = tw(s.page.text_width_mm());
        let sp = sect_pr(s);
        if i + 1 < n {
            w.blocks(&s.blocks, text_w, text_w, Some(&sp));
        } else {
            w.blocks(&s.blocks, text_w, text_w, None);
            w.xml.push_str(&sp);
        }
    }
    if n == 0 {
        w.xml.push_str("<w:p/>");
    }
    w.xml.push_str("</w:body></w:document>");
    (w.xml, w.images)
}

fn header_xml(number: bool, size_pt: u8) -> String {
    let mut w = Writer {
        xml: String::new(),
        images: Vec::new(),
    };
    let _ = write!(
        w.xml,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {NS}>"#
    );
    if number {
        let run = Run {
            size_pt: Some(f32::from(size_pt)),
            ..Run::default()
        };
        // A run-less paragraph with the page field, sized like the number.
        w.xml
            .push_str(r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>"#);
        w.page_field(&run);
        w.xml.push_str("</w:p>");
    } else {
        w.xml.push_str("<w:p/>");
    }
    w.xml.push_str("</w:hdr>");
    w.xml
}

fn styles_xml(default_size: f32) -> String {
    let hp = half_points(default_size);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#
    )
}

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/><Relationship Id="rIdHeaderNumber" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdHeaderBlank" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>"#;

fn core_xml(title: &str) -> String {
    let mut t = String::new();
    xml_escape(title, &mut t);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{t}</dc:title><dc:creator>tthc</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"#
    )
}

const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

/// A minimal Office theme naming Times New Roman as both theme fonts.
fn theme_xml() -> String {
    let mut fills = String::new();
    for _ in 0..3 {
        fills.push_str(r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#);
    }
    let mut lines = String::new();
    for w in [6350, 12700, 19050] {
        let _ = write!(
            lines,
            r#"<a:ln w="{w}"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#
        );
    }
    let effects = r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#.repeat(3);
    let mut colors = String::new();
    for (name, hex) in [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "44546A"),
        ("lt2", "E7E6E6"),
        ("accent1", "4472C4"),
        ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"),
        ("accent4", "FFC000"),
        ("accent5", "5B9BD5"),
        ("accent6", "70AD47"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ] {
        let _ = write!(colors, r#"<a:{name}><a:srgbClr val="{hex}"/></a:{name}>"#);
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="tthc"><a:themeElements><a:clrScheme name="tthc">{colors}</a:clrScheme><a:fontScheme name="tthc"><a:majorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="tthc"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#
    )
}

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>tthc</Application></Properties>"#;

/// Write a document tree as a DOCX package (bytes).
pub fn write_docx(doc: &Document, opts: &DocxOptions) -> Result<Vec<u8>, DocxError> {
    let size = doc
        .sections
        .iter()
        .map(|s| s.numbering.size_pt)
        .find(|s| *s > 0)
        .unwrap_or(14);
    let (body, images) = document_xml(doc);
    let parts: [(&str, String); 11] = [
        ("word/fontTable.xml", FONT_TABLE.to_string()),
        ("word/theme/theme1.xml", theme_xml()),
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core_xml(&opts.title)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", body),
        (
            "word/styles.xml",
            styles_xml(doc.default_size_pt.unwrap_or(14.0)),
        ),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/header1.xml", header_xml(true, size)),
        ("word/header2.xml", header_xml(false, size)),
    ];
    let mut parts = parts.to_vec();
    let mut rels = DOC_RELS.to_string();
    for n in 1..=images.len() {
        let _ = write!(
            rels,
            r#"<Relationship Id="rIdImage{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{n}.png"/>"#
        );
    }
    rels.push_str("</Relationships>");
    parts.push(("word/_rels/document.xml.rels", rels));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in &parts {
            zip.start_file(*name, opts)?;
            zip.write_all(content.as_bytes())?;
        }
        // PNG data is already compressed.
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (i, png) in images.iter().enumerate() {
            zip.start_file(format!("word/media/image{}.png", i + 1), stored)?;
            zip.write_all(png)?;
        }
        zip.finish()?;
    }
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        let mut s = String::new();
        xml_escape("a<b>&\"c'\u{1}d", &mut s);
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&apos;d");
    }
}
