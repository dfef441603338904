//! Integration tests of the streaming DOCX reader. Each test builds a small DOCX
//! in memory (XML written by hand, packed with the `zip` crate) for one edge case.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use tthc::doctree::{Align, Block, Document, Inline, Orientation, Paragraph, Run, Table, VMerge};
use tthc::ingest::docx::{read_docx, read_docx_path};
use tthc::ingest::{IngestError, Limits};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Namespace declarations of a typical Word document root.
fn ns_decls() -> String {
    format!(
        r#"xmlns:w="{W}" xmlns:r="{R}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w16x="http://example.com/unknown/2031" mc:Ignorable="w16x""#
    )
}

/// A transitional `word/document.xml` around `body`.
fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {}><w:body>{body}</w:body></w:document>"#,
        ns_decls()
    )
}

/// A package under construction.
struct Pkg {
    document: String,
    main: String,
    office_rel_type: String,
    parts: Vec<(String, Vec<u8>)>,
    rels: Vec<(String, String, String)>,
}

impl Pkg {
    fn new(body: &str) -> Self {
        Pkg::raw(&document(body))
    }

    fn raw(document_xml: &str) -> Self {
        Pkg {
            document: document_xml.to_string(),
            main: "word/document.xml".into(),
            office_rel_type: format!("{REL_BASE}/officeDocument"),
            parts: Vec::new(),
            rels: Vec::new(),
        }
    }

    fn part(mut self, name: &str, rel: Option<(&str, &str)>, xml: &str) -> Self {
        self.parts.push((name.to_string(), xml.as_bytes().to_vec()));
        if let Some((id, kind)) = rel {
            let target = name.strip_prefix("word/").unwrap_or(name).to_string();
            self.rels
                .push((id.to_string(), format!("{REL_BASE}/{kind}"), target));
        }
        self
    }

    fn styles(self, inner: &str) -> Self {
        let xml = format!(r#"<?xml version="1.0"?><w:styles xmlns:w="{W}">{inner}</w:styles>"#);
        self.part("word/styles.xml", Some(("rIdStyles", "styles")), &xml)
    }

    fn numbering(self, inner: &str) -> Self {
        let xml =
            format!(r#"<?xml version="1.0"?><w:numbering xmlns:w="{W}">{inner}</w:numbering>"#);
        self.part("word/numbering.xml", Some(("rIdNum", "numbering")), &xml)
    }

    fn theme(self, major: &str, minor: &str) -> Self {
        let xml = format!(
            r#"<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="T"><a:themeElements><a:clrScheme name="c"><a:dk1><a:sysClr val="windowText"/></a:dk1></a:clrScheme><a:fontScheme name="f"><a:majorFont><a:latin typeface="{major}"/><a:ea typeface=""/></a:majorFont><a:minorFont><a:latin typeface="{minor}"/><a:ea typeface=""/></a:minorFont></a:fontScheme></a:themeElements></a:theme>"#
        );
        self.part("word/theme/theme1.xml", Some(("rIdTheme", "theme")), &xml)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        files.push((
            "[Content_Types].xml".into(),
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_vec(),
        ));
        files.push((
            "_rels/.rels".into(),
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{}" Target="{}"/></Relationships>"#,
                self.office_rel_type, self.main
            )
            .into_bytes(),
        ));
        files.push((self.main.clone(), self.document.clone().into_bytes()));
        let rels: String = self
            .rels
            .iter()
            .map(|(id, ty, target)| {
                format!(r#"<Relationship Id="{id}" Type="{ty}" Target="{target}"/>"#)
            })
            .collect();
        files.push((
            "word/_rels/document.xml.rels".into(),
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
            )
            .into_bytes(),
        ));
        files.extend(self.parts.iter().cloned());
        common::zip_files(&files)
    }

    fn read(&self) -> Document {
        match read_docx(&self.bytes(), &Limits::default()) {
            Ok(d) => d,
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

/// Top-level body paragraphs.
fn paras(doc: &Document) -> Vec<&Paragraph> {
    doc.blocks()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// Text of the top-level body paragraphs.
fn texts(doc: &Document) -> Vec<String> {
    paras(doc).iter().map(|p| p.text()).collect()
}

/// Top-level body tables.
fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn err(bytes: &[u8], limits: &Limits) -> IngestError {
    match read_docx(bytes, limits) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------- text content

#[test]
fn tracked_changes_keep_insertions_and_drop_deletions() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:t xml:space="preserve">Giữ </w:t></w:r><w:ins w:id="1" w:author="A"><w:r><w:t>chèn</w:t></w:r></w:ins><w:del w:id="2" w:author="A"><w:r><w:delText>xoá</w:delText></w:r></w:del><w:moveFrom w:id="3"><w:r><w:t>cũ</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t xml:space="preserve"> mới</w:t></w:r></w:moveTo><w:r><w:rPr><w:b/><w:rPrChange w:id="5"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>!</w:t></w:r></w:p>"#,
    )
    .read();
    assert_eq!(texts(&doc), vec!["Giữ chèn mới!"]);
    let runs: Vec<&Run> = paras(&doc)[0].runs().collect();
    let last = runs.last().expect("a run");
    assert_eq!(last.text, "!");
    assert!(last.bold);
    assert!(!last.italic, "rPrChange holds old formatting");
}

#[test]
fn content_controls_block_and_inline() {
    let doc = Pkg::new(
        r#"<w:sdt><w:sdtPr><w:alias w:val="Tên"/><w:placeholder><w:docPart w:val="X"/></w:placeholder><w:rPr><w:b/></w:rPr></w:sdtPr><w:sdtEndPr/><w:sdtContent><w:p><w:r><w:t>Khối nội dung</w:t></w:r></w:p></w:sdtContent></w:sdt><w:p><w:r><w:t xml:space="preserve">Trước </w:t></w:r><w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>giữa</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> sau</w:t></w:r></w:p>"#,
    )
    .read();
    assert_eq!(texts(&doc), vec!["Khối nội dung", "Trước giữa sau"]);
}

/// A run holding a text box written both as DrawingML (Choice) and VML (Fallback).
fn textbox_run(requires: &str, choice: &str, fallback: &str) -> String {
    format!(
        r#"<w:r><mc:AlternateContent><mc:Choice Requires="{requires}"><w:drawing><wp:anchor><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>{choice}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:fill on="f"/><v:stroke weight="1pt"/><v:textbox><w:txbxContent><w:p><w:r><w:t>{fallback}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
    )
}

#[test]
fn text_box_in_alternate_content_appears_once_after_its_anchor() {
    let body = format!(
        r#"<w:p><w:r><w:t>Neo</w:t></w:r>{}<w:r><w:t xml:space="preserve"> tiếp</w:t></w:r></w:p>{}"#,
        textbox_run("wps", "Hộp chữ", "Hộp chữ VML"),
        p("Sau")
    );
    let doc = Pkg::new(&body).read();
    assert_eq!(texts(&doc), vec!["Neo tiếp", "Hộp chữ", "Sau"]);

    // a Choice needing a namespace we do not know: the Fallback is read, once
    let body = format!(
        r#"<w:p><w:r><w:t>Neo</w:t></w:r>{}</w:p>"#,
        textbox_run("wps w16x", "Lựa chọn", "Dự phòng")
    );
    let doc = Pkg::new(&body).read();
    assert_eq!(texts(&doc), vec!["Neo", "Dự phòng"]);

    // a text box in a table cell stays in the cell
    let body = format!(
        r#"<w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl>"#,
        textbox_run("wps", "Trong ô", "Trong ô VML")
    );
    let doc = Pkg::new(&body).read();
    assert_eq!(tables(&doc)[0].rows[0].cells[0].text(), "\nTrong ô");
}

#[test]
fn fields_keep_results_and_drop_codes() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:t xml:space="preserve">Ngày </w:t></w:r><w:fldSimple w:instr=" DATE \@ &quot;dd/MM/yyyy&quot; "><w:r><w:t>01/01/2026</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve">, xem </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref123 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Điều 5</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:hyperlink r:id="rIdX"><w:r><w:t xml:space="preserve"> (liên kết)</w:t></w:r></w:hyperlink></w:p>"#,
    )
    .read();
    assert_eq!(texts(&doc), vec!["Ngày 01/01/2026, xem Điều 5 (liên kết)"]);
}

#[test]
fn an_unterminated_page_field_hides_nothing_after_its_paragraph() {
    let body = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">Trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r></w:p>{}"#,
        p("vẫn còn")
    );
    let doc = Pkg::new(&body).read();
    assert_eq!(texts(&doc), vec!["Trang ", "vẫn còn"]);
    assert_eq!(paras(&doc)[0].inlines.last(), Some(&Inline::PageNumber));
}

#[test]
fn smart_tags_and_custom_xml_are_transparent() {
    let doc = Pkg::new(
        r#"<w:customXml w:element="block"><w:p><w:smartTag w:uri="urn:x" w:element="place"><w:smartTagPr><w:attr w:name="n" w:val="v"/></w:smartTagPr><w:r><w:t>Hà Nội</w:t></w:r></w:smartTag><w:customXml w:element="inline"><w:customXmlPr/><w:r><w:t xml:space="preserve"> 2026</w:t></w:r></w:customXml></w:p></w:customXml>"#,
    )
    .read();
    assert_eq!(texts(&doc), vec!["Hà Nội 2026"]);
}

#[test]
fn entity_and_character_references_are_kept() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:t xml:space="preserve">A &amp; B &#7897; &#x1EA1; &lt;3&gt; &quot;q&quot; &apos;s&apos;</w:t></w:r></w:p>"#,
    )
    .read();
    assert_eq!(texts(&doc), vec!["A & B ộ ạ <3> \"q\" 's'"]);
}

#[test]
fn special_run_content() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:t>Th</w:t><w:softHyphen/><w:t>¬ng</w:t><w:tab/><w:t>a</w:t><w:noBreakHyphen/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Times New Roman" w:char="2013"/></w:r></w:p>"#,
    )
    .read();
    let para = paras(&doc)[0];
    assert_eq!(para.text(), "Th\u{AD}¬ng\ta-b\nc\n•–");
    let kinds: Vec<&str> = para
        .inlines
        .iter()
        .map(|i| match i {
            Inline::Run(_) => "run",
            Inline::Tab => "tab",
            Inline::LineBreak => "br",
            Inline::PageNumber => "page",
        })
        .collect();
    assert_eq!(kinds, vec!["run", "tab", "run", "br", "run", "br", "run"]);
}

#[test]
fn text_is_nfc_but_soft_hyphen_stays() {
    // "Việt" written decomposed: e + circumflex + dot below
    let doc = Pkg::new(&p("Vie\u{302}\u{323}t Nam\u{AD}")).read();
    assert_eq!(texts(&doc), vec!["Việt Nam\u{AD}"]);
}

#[test]
fn line_feed_inside_text_reads_as_space() {
    let doc = Pkg::new(&p("một\ndòng")).read();
    assert_eq!(texts(&doc), vec!["một dòng"]);
}

// ---------------------------------------------------------------- namespaces

#[test]
fn strict_namespace_is_read() {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_STRICT}" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships" w:conformance="strict"><w:body><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Nghiêm ngặt</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol w:w="1440"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let mut pkg = Pkg::raw(&xml);
    pkg.office_rel_type =
        "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument".into();
    let doc = pkg.read();
    assert_eq!(texts(&doc), vec!["Nghiêm ngặt"]);
    let para = paras(&doc)[0];
    assert_eq!(para.format.align, Align::Center);
    assert!(para.runs().all(|r| r.bold));
    let t = tables(&doc)[0];
    assert_eq!(t.rows[0].cells[0].text(), "ô");
    assert!((t.columns_mm[0] - 25.4).abs() < 0.01);
}

#[test]
fn any_prefix_and_default_namespace_are_read() {
    let xml = format!(
        r#"<?xml version="1.0"?><ns0:document xmlns:ns0="{W}"><ns0:body><ns0:p><ns0:r><ns0:rPr><ns0:i/></ns0:rPr><ns0:t>Tiền tố lạ</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>"#
    );
    let doc = Pkg::raw(&xml).read();
    assert_eq!(texts(&doc), vec!["Tiền tố lạ"]);
    assert!(paras(&doc)[0].runs().all(|r| r.italic));

    let xml = format!(
        r#"<?xml version="1.0"?><document xmlns="{W}"><body><p><r><t>Không tiền tố</t></r></p></body></document>"#
    );
    let doc = Pkg::raw(&xml).read();
    assert_eq!(texts(&doc), vec!["Không tiền tố"]);

    // a w:t in a foreign namespace is not text
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:x="urn:other"><w:body><w:p><w:r><x:t>ẩn</x:t><w:t>hiện</w:t></w:r></w:p></w:body></w:document>"#
    );
    let doc = Pkg::raw(&xml).read();
    assert_eq!(texts(&doc), vec!["hiện"]);
}

// ---------------------------------------------------------------- formatting

#[test]
fn bold_italic_underline_toggles_and_sizes() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:t>A</w:t></w:r><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>B</w:t></w:r><w:r><w:rPr><w:b w:val="false"/><w:i w:val="1"/></w:rPr><w:t>C</w:t></w:r><w:r><w:rPr><w:b w:val="off"/><w:i w:val="true"/><w:u w:val="single"/></w:rPr><w:t>D</w:t></w:r><w:r><w:rPr><w:b w:val="maybe"/><w:u w:val="none"/><w:sz w:val="abc"/></w:rPr><w:t>E</w:t></w:r></w:p>"#,
    )
    .read();
    let runs: Vec<&Run> = paras(&doc)[0].runs().collect();
    let got: Vec<(&str, bool, bool, bool, Option<f32>)> = runs
        .iter()
        .map(|r| (r.text.as_str(), r.bold, r.italic, r.underline, r.size_pt))
        .collect();
    assert_eq!(
        got,
        vec![
            ("A", true, false, false, Some(14.0)),
            ("B", false, false, false, None),
            ("C", false, true, false, None),
            ("D", false, true, true, None),
            ("E", false, false, false, None),
        ]
    );
}

#[test]
fn adjacent_runs_with_equal_format_are_merged() {
    let doc = Pkg::new(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Điều </w:t></w:r><w:r><w:rPr><w:b/><w:lang w:val="vi-VN"/></w:rPr><w:t>1.</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve"> Phạm </w:t></w:r><w:r><w:t>vi</w:t></w:r></w:p>"#,
    )
    .read();
    let runs: Vec<(&str, bool)> = paras(&doc)[0]
        .runs()
        .map(|r| (r.text.as_str(), r.bold))
        .collect();
    assert_eq!(runs, vec![("Điều 1.", true), (" Phạm vi", false)]);
}

const FONT_STYLES: &str = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/><w:sz w:val="26"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Legacy"><w:name w:val="Legacy"/><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Child"><w:name w:val="Child"/><w:basedOn w:val="Legacy"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop1"/><w:basedOn w:val="Loop2"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop2"/><w:basedOn w:val="Loop1"/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="character" w:styleId="VniChar"><w:name w:val="VNI char"/><w:rPr><w:rFonts w:ascii="VNI-Times"/><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="VniChild"><w:name w:val="VNI child"/><w:basedOn w:val="VniChar"/><w:rPr><w:i/></w:rPr></w:style>"#;

/// (text, font, size, bold, italic) of a run.
type RunSummary = (String, Option<String>, Option<f32>, bool, bool);

#[test]
fn fonts_resolve_through_run_styles_defaults_and_theme() {
    let body = r#"
<w:p><w:r><w:t>theme</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Legacy"/></w:pPr><w:r><w:t>pstyle</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Child"/></w:pPr><w:r><w:t>basedon</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Legacy"/></w:pPr><w:r><w:rPr><w:rStyle w:val="VniChild"/></w:rPr><w:t>rstyle</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rFonts w:ascii="Courier" w:hAnsi="Arial"/></w:rPr><w:t>hansi</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr><w:t>ascii</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsiTheme="majorHAnsi"/></w:rPr><w:t>major</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Loop1"/></w:pPr><w:r><w:t>cycle</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="NoSuchStyle"/></w:pPr><w:r><w:t>unknown</w:t></w:r></w:p>"#;
    let doc = Pkg::new(body)
        .styles(FONT_STYLES)
        .theme("Calibri Light", "Cambria")
        .read();
    let got: Vec<RunSummary> = paras(&doc)
        .iter()
        .flat_map(|p| p.runs())
        .map(|r| {
            let font = r.font.as_deref().map(str::to_string);
            (r.text.clone(), font, r.size_pt, r.bold, r.italic)
        })
        .collect();
    let f = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        vec![
            ("theme".into(), f("Cambria"), Some(13.0), false, false),
            ("pstyle".into(), f(".VnTime"), Some(14.0), false, false),
            ("basedon".into(), f(".VnTime"), Some(14.0), false, false),
            ("rstyle".into(), f("VNI-Times"), Some(14.0), true, true),
            ("hansi".into(), f("Arial"), Some(13.0), false, false),
            ("ascii".into(), f("Courier New"), Some(13.0), false, false),
            ("major".into(), f("Calibri Light"), Some(13.0), false, false),
            ("cycle".into(), f("Cambria"), Some(13.0), false, false),
            ("unknown".into(), f("Cambria"), Some(13.0), false, false),
        ]
    );
    assert_eq!(doc.default_size_pt, Some(13.0));
    let ps = paras(&doc);
    assert_eq!(ps[2].style.as_deref(), Some("Child"));
    assert_eq!(ps[2].format.align, Align::Justify, "jc through basedOn");
    assert_eq!(ps[0].style, None);
    assert_eq!(ps[0].format.space_after_pt, 6.0, "docDefaults spacing");
    assert_eq!(ps[8].style.as_deref(), Some("NoSuchStyle"));
}

/// Theme and styles are parsed once per distinct part in a process: a document with
/// the same styles but another theme, or the same theme and other styles, must not
/// get what was parsed for another, and reading a document again gives the same tree.
#[test]
fn styles_reused_within_a_run_only_for_the_same_parts() {
    let body = r#"<w:p><w:r><w:t>theme</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Legacy"/></w:pPr><w:r><w:t>pstyle</w:t></w:r></w:p>"#;
    let fonts = |doc: &Document| -> Vec<Option<String>> {
        paras(doc)
            .iter()
            .flat_map(|p| p.runs())
            .map(|r| r.font.as_deref().map(str::to_string))
            .collect()
    };
    let f = |s: &str| Some(s.to_string());
    let a = Pkg::new(body)
        .styles(FONT_STYLES)
        .theme("Calibri Light", "Cambria");
    let first = a.read();
    assert_eq!(fonts(&first), vec![f("Cambria"), f(".VnTime")]);
    let other_theme = Pkg::new(body)
        .styles(FONT_STYLES)
        .theme("Arial", "Tahoma")
        .read();
    assert_eq!(fonts(&other_theme), vec![f("Tahoma"), f(".VnTime")]);
    let other_styles = Pkg::new(body)
        .styles(&FONT_STYLES.replace(".VnTime", "VNI-Helve"))
        .theme("Calibri Light", "Cambria")
        .read();
    assert_eq!(fonts(&other_styles), vec![f("Cambria"), f("VNI-Helve")]);
    let again = a.read();
    assert_eq!(texts(&again), texts(&first));
    assert_eq!(fonts(&again), fonts(&first));
    assert_eq!(again.default_size_pt, first.default_size_pt);
}

#[test]
fn paragraph_format_and_style_names() {
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:spacing w:before="240" w:after="60" w:line="360" w:lineRule="auto"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TieuDe"><w:name w:val="Tiêu đề"/></w:style>"#;
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Chương I</w:t></w:r></w:p>
<w:p><w:r><w:t>thân</w:t></w:r></w:p>
<w:p><w:pPr><w:jc w:val="distribute"/><w:ind w:firstLine="567"/></w:pPr><w:r><w:t>dàn đều</w:t></w:r></w:p>
<w:p><w:pPr><w:jc w:val="right"/><w:ind w:left="720" w:hanging="360"/></w:pPr><w:r><w:t>phải</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="TieuDe"/><w:jc w:val="bogus"/></w:pPr><w:r><w:t>tiêu đề</w:t></w:r></w:p>"#;
    let doc = Pkg::new(body).styles(styles).read();
    let ps = paras(&doc);
    assert_eq!(ps[0].style.as_deref(), Some("Heading 1"));
    assert_eq!(ps[0].format.align, Align::Center);
    assert!(ps[0].format.keep_with_next);
    assert_eq!(ps[0].format.space_before_pt, 12.0);
    assert_eq!(ps[0].format.space_after_pt, 3.0);
    assert_eq!(ps[0].format.line_spacing, 1.5);
    assert!(ps[0].runs().all(|r| r.bold));
    assert_eq!(ps[1].format.align, Align::Justify, "from the default style");
    assert_eq!(ps[1].format.line_spacing, 1.0);
    assert_eq!(ps[2].format.align, Align::Justify);
    assert!((ps[2].format.first_line_indent_mm - 10.0).abs() < 0.01);
    assert_eq!(ps[3].format.align, Align::Right);
    assert!((ps[3].format.first_line_indent_mm + 6.35).abs() < 0.01);
    assert_eq!(ps[4].style.as_deref(), Some("Tiêu đề"));
    assert_eq!(ps[4].format.align, Align::Left, "bad jc ignored");
}

// ---------------------------------------------------------------- tables

fn tc(props: &str, text: &str) -> String {
    format!(r#"<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>"#, p(text))
}

#[test]
fn merged_cells_grid_spans_and_vertical_merges() {
    let body = format!(
        r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:insideH w:val="single"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="1134"/><w:gridCol w:w="2268"/><w:gridCol w:w="abc"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>
<w:tr>{}{}{}</w:tr>
<w:tr>{}{}{}</w:tr></w:tbl>"#,
        tc(r#"<w:gridSpan w:val="2"/>"#, "A"),
        tc(
            r#"<w:vMerge w:val="restart"/><w:vAlign w:val="center"/>"#,
            "B"
        ),
        tc("", "C"),
        tc(r#"<w:gridSpan w:val="-1"/>"#, "D"),
        tc(r#"<w:vMerge/>"#, ""),
        tc("", "E"),
        tc("", "F"),
        tc(r#"<w:vMerge w:val="continue"/>"#, ""),
    );
    let doc = Pkg::new(&body).read();
    let t = tables(&doc)[0];
    assert!(t.borders);
    assert_eq!(t.columns_mm.len(), 3);
    assert!((t.columns_mm[0] - 20.0).abs() < 0.01);
    assert!((t.columns_mm[1] - 40.0).abs() < 0.01);
    assert_eq!(t.columns_mm[2], 0.0);
    assert!(t.rows[0].header);
    assert!(!t.rows[1].header);
    let shape: Vec<Vec<(String, u32, VMerge)>> = t
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text(), c.col_span, c.v_merge))
                .collect()
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            vec![
                ("A".into(), 2, VMerge::None),
                ("B".into(), 1, VMerge::Restart)
            ],
            vec![
                ("C".into(), 1, VMerge::None),
                ("D".into(), 1, VMerge::None),
                ("".into(), 1, VMerge::Continue)
            ],
            vec![
                ("E".into(), 1, VMerge::None),
                ("F".into(), 1, VMerge::None),
                ("".into(), 1, VMerge::Continue)
            ],
        ]
    );
    let spans = t.row_spans();
    assert_eq!(spans[0], vec![Some(1), Some(3)]);
    assert_eq!(t.rows[0].cells[1].v_align, tthc::doctree::VAlign::Center);
}

#[test]
fn grid_before_and_horizontal_merge_keep_columns() {
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="100"/><w:gridCol w:w="100"/><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>"#,
        tc("", "b"),
        tc("", "c"),
        tc(r#"<w:hMerge w:val="restart"/>"#, "gộp"),
        tc(r#"<w:hMerge/>"#, ""),
        tc("", "z"),
    );
    let doc = Pkg::new(&body).read();
    let t = tables(&doc)[0];
    let shape: Vec<Vec<(String, u32)>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| (c.text(), c.col_span)).collect())
        .collect();
    assert_eq!(
        shape,
        vec![
            vec![("".into(), 1), ("b".into(), 1), ("c".into(), 1)],
            vec![("gộp".into(), 2), ("z".into(), 1)],
        ]
    );
}

#[test]
fn nested_tables_and_borderless_tables() {
    let inner = format!(
        r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="nil"/><w:left w:val="none"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="500"/></w:tblGrid><w:tr>{}</w:tr></w:tbl>"#,
        tc("", "trong")
    );
    let body = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/></w:tblGrid><w:tr><w:tc>{}{inner}{}</w:tc></w:tr></w:tbl>
<w:tbl><w:tblGrid><w:gridCol w:w="1000"/></w:tblGrid><w:tr>{}</w:tr></w:tbl>"#,
        p("ngoài"),
        p("cuối"),
        tc("", "mặc định")
    );
    let styles = r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>"#;
    let doc = Pkg::new(&body).styles(styles).read();
    let ts = tables(&doc);
    assert_eq!(ts.len(), 2);
    let outer = ts[0];
    assert!(outer.borders, "Table Grid style has borders");
    let cell = &outer.rows[0].cells[0];
    assert_eq!(cell.blocks.len(), 3);
    let Block::Table(inner) = &cell.blocks[1] else {
        panic!("nested table expected")
    };
    assert!(!inner.borders, "all edges none");
    assert_eq!(inner.rows[0].cells[0].text(), "trong");
    assert_eq!(cell.text(), "ngoài\ntrong\ncuối");
    assert!(!ts[1].borders, "default table style without borders");

    // no style information at all: borders by default
    let doc = Pkg::new(&format!(r#"<w:tbl><w:tr>{}</w:tr></w:tbl>"#, tc("", "x"))).read();
    assert!(tables(&doc)[0].borders);
}

// ---------------------------------------------------------------- numbering

const NUMBERING: &str = r#"
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Bước %1:"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="3">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="§"/><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="4">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Dieu"/><w:lvlText w:val="Điều %1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Khoan"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:pStyle w:val="Diem"/><w:lvlText w:val="%3)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="5">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="4"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="5"/></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="99"/></w:num>"#;

const NUMBERED_STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Dieu"><w:name w:val="Điều"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="6"/></w:numPr><w:jc w:val="both"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Khoan"><w:name w:val="Khoản"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="6"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Diem"><w:name w:val="Điểm"/><w:basedOn w:val="Normal"/></w:style>"#;

fn np(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn sp(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

#[test]
fn automatic_list_labels() {
    let body = [
        np(1, 0, "một"),
        np(1, 1, "một một"),
        np(1, 1, "một hai"),
        np(1, 0, "hai"),
        np(1, 1, "hai một"),
        np(2, 0, "điểm a"),
        np(2, 0, "điểm b"),
        np(3, 0, "lại a"),
        np(3, 0, "lại b"),
        np(4, 0, "tiếp nhận"),
        np(4, 0, "xử lý"),
        np(5, 0, "gạch Symbol"),
        np(5, 1, "gạch ngang"),
        np(5, 2, "Wingdings"),
        sp("Dieu", "Phạm vi"),
        sp("Khoan", "khoản một"),
        sp("Khoan", "khoản hai"),
        sp("Diem", "điểm qua pStyle"),
        sp("Dieu", "Đối tượng"),
        sp("Khoan", "khoản một lại"),
        np(7, 0, "La Mã"),
        np(7, 1, "số không"),
        np(7, 1, "số không hai"),
        np(7, 2, "la mã nhỏ"),
        np(7, 0, "La Mã hai"),
        r#"<w:p><w:pPr><w:pStyle w:val="Dieu"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>bỏ số</w:t></w:r></w:p>"#
            .to_string(),
        np(8, 0, "định nghĩa thiếu"),
        np(1, 0, "ba"),
        p("thường"),
    ]
    .concat();
    let doc = Pkg::new(&body)
        .styles(NUMBERED_STYLES)
        .numbering(NUMBERING)
        .read();
    let got: Vec<(Option<String>, String)> = paras(&doc)
        .iter()
        .map(|p| (p.list_label.clone(), p.text()))
        .collect();
    let l = |s: &str| Some(s.to_string());
    let want: Vec<(Option<String>, String)> = vec![
        (l("1."), "một"),
        (l("1.1."), "một một"),
        (l("1.2."), "một hai"),
        (l("2."), "hai"),
        (l("2.1."), "hai một"),
        (l("a)"), "điểm a"),
        (l("b)"), "điểm b"),
        (l("a)"), "lại a"),
        (l("b)"), "lại b"),
        (l("Bước 1:"), "tiếp nhận"),
        (l("Bước 2:"), "xử lý"),
        (l("-"), "gạch Symbol"),
        (l("–"), "gạch ngang"),
        (l("-"), "Wingdings"),
        (l("Điều 1."), "Phạm vi"),
        (l("1."), "khoản một"),
        (l("2."), "khoản hai"),
        (l("a)"), "điểm qua pStyle"),
        (l("Điều 2."), "Đối tượng"),
        (l("1."), "khoản một lại"),
        (l("I."), "La Mã"),
        (l("01"), "số không"),
        (l("02"), "số không hai"),
        (l("(iv)"), "la mã nhỏ"),
        (l("II."), "La Mã hai"),
        (None, "bỏ số"),
        (None, "định nghĩa thiếu"),
        (l("3."), "ba"),
        (None, "thường"),
    ]
    .into_iter()
    .map(|(a, b)| (a, b.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(paras(&doc)[14].labelled_text(), "Điều 1. Phạm vi");
    assert_eq!(paras(&doc)[14].style.as_deref(), Some("Điều"));
    assert_eq!(paras(&doc)[14].format.align, Align::Justify);
}

// ---------------------------------------------------------------- sections, headers

#[test]
fn sections_page_setup_and_page_chrome() {
    let body = format!(
        r#"{}<w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="720" w:footer="720" w:gutter="0"/><w:titlePg/></w:sectPr></w:pPr><w:r><w:t>cuối phần 1</w:t></w:r></w:p>{}<w:sectPr><w:footerReference w:type="default" r:id="rIdF1"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="-850" w:right="1134" w:bottom="850" w:left="1134" w:header="abc"/><w:pgNumType w:start="1"/></w:sectPr>"#,
        p("phần 1"),
        p("phụ lục")
    );
    let header = format!(
        r#"<?xml version="1.0"?><w:hdr xmlns:w="{W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">Trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#
    );
    let footer = format!(
        r#"<?xml version="1.0"?><w:ftr xmlns:w="{W}"><w:p><w:r><w:t>Chân trang</w:t></w:r></w:p></w:ftr>"#
    );
    let doc = Pkg::new(&body)
        .part("word/header1.xml", Some(("rIdH1", "header")), &header)
        .part("word/footer1.xml", Some(("rIdF1", "footer")), &footer)
        .read();
    assert_eq!(doc.sections.len(), 2);
    let s1 = &doc.sections[0];
    assert_eq!(s1.page.orientation, Orientation::Portrait);
    assert!((s1.page.width_mm - 210.0).abs() < 0.1);
    assert!((s1.page.height_mm - 297.0).abs() < 0.1);
    assert!((s1.page.margins.left - 30.0).abs() < 0.01);
    assert!((s1.page.margins.right - 15.0).abs() < 0.02);
    assert!((s1.page.margins.top - 20.0).abs() < 0.01);
    assert!((s1.page.header_mm - 12.7).abs() < 0.01);
    assert!(s1.numbering.hide_on_first);
    assert!(s1.numbering.show, "header has a PAGE field");
    let s1_text: Vec<String> = s1
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text()),
            _ => None,
        })
        .collect();
    assert_eq!(s1_text, vec!["phần 1", "cuối phần 1"]);
    let s2 = &doc.sections[1];
    assert_eq!(s2.page.orientation, Orientation::Landscape);
    assert!((s2.page.width_mm - 297.0).abs() < 0.1);
    assert!(
        (s2.page.margins.top - 15.0).abs() < 0.02,
        "negative top = fixed"
    );
    assert!(
        (s2.page.header_mm - 12.7).abs() < 0.01,
        "bad value: default"
    );
    assert!(!s2.numbering.hide_on_first);
    assert_eq!(s2.numbering.restart_at, Some(1));
    assert!(s2.numbering.show, "header inherited from section 1");
    assert_eq!(s2.blocks.len(), 1);

    // headers and footers are kept apart from the body
    assert_eq!(
        doc.plain_text(),
        "phần 1\ncuối phần 1\nphụ lục\n",
        "no header text in the body"
    );
    assert_eq!(doc.page_chrome.len(), 2);
    let Block::Paragraph(h) = &doc.page_chrome[0] else {
        panic!("header paragraph")
    };
    assert_eq!(h.inlines.len(), 2);
    assert!(matches!(&h.inlines[0], Inline::Run(r) if r.text == "Trang "));
    assert_eq!(h.inlines[1], Inline::PageNumber);
    assert_eq!(h.format.align, Align::Center);
    let Block::Paragraph(f) = &doc.page_chrome[1] else {
        panic!("footer paragraph")
    };
    assert_eq!(f.text(), "Chân trang");
}

#[test]
fn empty_body_gives_one_default_section() {
    let doc = Pkg::new("").read();
    assert_eq!(doc.sections.len(), 1);
    assert!(doc.sections[0].blocks.is_empty());
    assert!((doc.sections[0].page.width_mm - 210.0).abs() < 0.1);
}

#[test]
fn read_from_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vb.docx");
    std::fs::write(&path, Pkg::new(&p("Tệp trên đĩa")).bytes()).expect("write");
    let doc = read_docx_path(&path, &Limits::default()).expect("read");
    assert_eq!(texts(&doc), vec!["Tệp trên đĩa"]);
    let missing = read_docx_path(&dir.path().join("không có.docx"), &Limits::default());
    assert!(matches!(missing, Err(IngestError::Io(_))));
}

#[test]
fn invalid_auxiliary_parts_are_left_out() {
    let doc = Pkg::new(&p("vẫn đọc"))
        .styles("<w:style><oops")
        .numbering("</w:bad>")
        .read();
    assert_eq!(texts(&doc), vec!["vẫn đọc"]);
}

// ---------------------------------------------------------------- bad input

#[test]
fn not_a_zip() {
    let e = err(b"%PDF-1.7 this is not a docx", &Limits::default());
    assert!(matches!(e, IngestError::NotZip));
    assert_eq!(e.to_string(), "not a DOCX (zip) file");
    assert!(matches!(err(b"", &Limits::default()), IngestError::NotZip));
}

#[test]
fn truncated_zip() {
    let bytes = Pkg::new(&p("bị cắt")).bytes();
    let e = err(&bytes[..bytes.len() / 2], &Limits::default());
    assert!(matches!(e, IngestError::CorruptZip(_)), "{e}");
    assert!(e
        .to_string()
        .starts_with("the zip archive is truncated or corrupt: "));
}

#[test]
fn damaged_compressed_part() {
    // A byte changed inside the deflated document.xml: the inflater rejects the
    // stream or the CRC-32 of what it gives does not match; either way the error
    // names the part, and nothing panics.
    let body: String = (0..200).map(|i| p(&format!("Đoạn văn thứ {i}"))).collect();
    let bytes = Pkg::new(&body).bytes();
    let (start, len) = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).expect("zip");
        let f = z.by_name("word/document.xml").expect("document part");
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        let start = usize::try_from(f.data_start().expect("data start")).expect("offset");
        (start, usize::try_from(f.compressed_size()).expect("size"))
    };
    assert!(len > 100, "{len}");
    for at in [len / 5, len / 3, len / 2, 2 * len / 3] {
        let mut damaged = bytes.clone();
        damaged[start + at] ^= 0x55;
        let e = err(&damaged, &Limits::default());
        assert!(matches!(e, IngestError::CorruptZip(_)), "byte {at}: {e}");
        assert!(
            e.to_string().contains("word/document.xml"),
            "byte {at}: {e}"
        );
    }
}

#[test]
fn zip_without_document_part() {
    let bytes = common::zip_files(&[("hello.txt".into(), b"xin chao".to_vec())]);
    let e = err(&bytes, &Limits::default());
    assert_eq!(e.to_string(), "word/document.xml is missing");
}

#[test]
fn ole_compound_file_is_reported_as_encrypted() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 1024));
    let e = err(&bytes, &Limits::default());
    assert!(matches!(e, IngestError::Encrypted));
    assert!(e
        .to_string()
        .starts_with("password-protected or encrypted Office file"));
}

#[test]
fn invalid_xml_is_an_error_with_position() {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>"#
    );
    let e = err(&Pkg::raw(&xml).bytes(), &Limits::default());
    assert!(matches!(e, IngestError::Xml { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("invalid XML in word/document.xml at byte "),
        "{e}"
    );

    // cut after a complete tag: elements left open
    let full = document(&p("một"));
    let cut = &full[..full.find("</w:p>").expect("tag")];
    let e = err(&Pkg::raw(cut).bytes(), &Limits::default());
    assert!(matches!(e, IngestError::Xml { .. }), "{e}");
}

#[test]
fn zip_bomb_is_stopped_while_inflating() {
    let body =
        "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>".repeat(160_000);
    let pkg = Pkg::new(&body);
    let bytes = pkg.bytes();
    assert!(pkg.document.len() > 10_000_000);
    assert!(
        bytes.len() < 200_000,
        "highly compressible: {}",
        bytes.len()
    );
    let limits = Limits {
        max_part_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let e = err(&bytes, &limits);
    assert!(matches!(e, IngestError::TooLarge { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "word/document.xml inflates past the 1 MiB limit"
    );
    // the default limit reads it
    assert!(read_docx(&bytes, &Limits::default()).is_ok());
}

#[test]
fn paragraph_length_limit() {
    let bytes = Pkg::new(&p(&"x".repeat(50))).bytes();
    let limits = Limits {
        max_paragraph_chars: 10,
        ..Limits::default()
    };
    let e = err(&bytes, &limits);
    assert_eq!(
        e.to_string(),
        "a paragraph in word/document.xml is longer than 10 characters"
    );
}

#[test]
fn bad_attribute_values_are_ignored() {
    let body = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="x"/><w:numId w:val="-3"/></w:numPr><w:spacing w:before="x" w:line="-1"/><w:ind w:firstLine="1e99"/></w:pPr><w:r><w:rPr><w:sz w:val="abc"/><w:b w:val="maybe"/><w:u/></w:rPr><w:t>ổn</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:trPr><w:gridBefore w:val="zz"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="4294967295"/><w:vMerge w:val="sideways"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl><w:sectPr><w:pgSz w:w="wide" w:h=""/><w:pgMar w:top="1cm"/></w:sectPr>"#;
    let doc = Pkg::new(body).read();
    assert_eq!(texts(&doc), vec!["ổn"]);
    let r = paras(&doc)[0].runs().next().expect("run");
    assert_eq!((r.bold, r.underline, r.size_pt), (false, true, None));
    let cell = &tables(&doc)[0].rows[0].cells[0];
    assert_eq!(cell.col_span, 63);
    assert_eq!(cell.v_merge, VMerge::None);
    assert!((doc.sections[0].page.width_mm - 210.0).abs() < 0.1);
    assert!((doc.sections[0].page.margins.top - 10.0).abs() < 0.01);
}

/// `n` tables nested inside each other's first cell, innermost holding "đáy".
fn nested_tables(n: usize) -> String {
    let mut s = String::with_capacity(n * 80);
    for _ in 0..n {
        s.push_str("<w:tbl><w:tr><w:tc>");
    }
    s.push_str("<w:p><w:r><w:t>đáy</w:t></w:r></w:p>");
    for _ in 0..n {
        s.push_str("</w:tc></w:tr></w:tbl><w:p/>");
    }
    // every cell must end with a paragraph; the <w:p/> after each table does that
    s
}

#[test]
fn two_thousand_nested_tables_are_read() {
    let doc = Pkg::new(&nested_tables(2000)).read();
    // walk down iteratively
    let mut depth = 0;
    let mut blocks: &[Block] = &doc.sections[0].blocks;
    let mut bottom = None;
    loop {
        match blocks.first() {
            Some(Block::Table(t)) => {
                depth += 1;
                blocks = &t.rows[0].cells[0].blocks;
            }
            Some(Block::Paragraph(p)) => {
                bottom = Some(p.text());
                break;
            }
            _ => break,
        }
    }
    assert_eq!(depth, 2000);
    assert_eq!(bottom.as_deref(), Some("đáy"));
}

#[test]
fn nesting_beyond_the_limit_is_an_error() {
    let e = err(
        &Pkg::new(&nested_tables(20_000)).bytes(),
        &Limits::default(),
    );
    assert!(matches!(e, IngestError::TooDeep(10_000)), "{e}");
    assert_eq!(e.to_string(), "nesting deeper than 10000 levels");

    let limits = Limits {
        max_depth: 50,
        ..Limits::default()
    };
    let e = err(&Pkg::new(&nested_tables(30)).bytes(), &limits);
    assert_eq!(e.to_string(), "nesting deeper than 50 levels");
}

// ---------------------------------------------------------------- corpus

fn corpus_dir() -> Option<PathBuf> {
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    if local.is_dir() {
        return Some(local);
    }
    let shared = PathBuf::from("/work/shared/corpus/files");
    shared.is_dir().then_some(shared)
}

fn count_blocks(blocks: &[Block]) -> (usize, usize) {
    let (mut paras, mut tables) = (0, 0);
    let mut stack: Vec<&Block> = blocks.iter().collect();
    while let Some(b) = stack.pop() {
        match b {
            Block::Paragraph(_) => paras += 1,
            Block::Table(t) => {
                tables += 1;
                for r in &t.rows {
                    for c in &r.cells {
                        stack.extend(c.blocks.iter());
                    }
                }
            }
            Block::Rule(_) | Block::Image(_) | Block::SignatureRoom(_) => {}
        }
    }
    (paras, tables)
}

#[test]
fn corpus_documents_read_without_error() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read corpus dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut found_decision = false;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let t0 = Instant::now();
        let doc = match read_docx_path(path, &Limits::default()) {
            Ok(d) => d,
            Err(e) => panic!("{name}: {e}"),
        };
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let text = doc.plain_text();
        let (paras, tables) = doc
            .sections
            .iter()
            .map(|s| count_blocks(&s.blocks))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        eprintln!(
            "{ms:8.1} ms  {paras:6} paragraphs {tables:4} tables {:8} chars  {name}",
            text.chars().count()
        );
        assert!(!text.trim().is_empty(), "{name}: empty text");
        if name == "dtqn__QĐ Công bố  TTHC đất đai (PH).docx" {
            found_decision = true;
            assert!(text.contains("QUYẾT ĐỊNH"), "{name}");
            assert!(tables > 0, "{name}: no table");
        }
    }
    assert!(found_decision, "the sample decision is in the corpus");
}

#[test]
fn repeated_properties_read_alike_where_they_mean_the_same() {
    // The reader remembers what a run's, paragraph's or cell's properties set, by
    // their bytes. The same bytes under other namespace bindings mean something
    // else, and a paragraph's properties that close a section must close one each
    // time.
    let rpr = "<w:rPr><x:b/><w:sz w:val=\"28\"/></w:rPr>";
    let run = |t: &str| format!("<w:r>{rpr}<w:t>{t}</w:t></w:r>");
    let sect = r#"<w:pPr><w:jc w:val="center"/><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:pPr>"#;
    let cell = |merge: &str, t: &str| {
        format!(
            r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="{merge}"/></w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"#
        )
    };
    let body = format!(
        r#"<w:p>{a}</w:p><w:sdt><w:sdtContent xmlns:x="urn:other"><w:p>{b}</w:p></w:sdtContent></w:sdt><w:p>{c}</w:p><w:p>{sect}{d}</w:p><w:p>{sect}{e}</w:p><w:p>{f}</w:p><w:tbl><w:tblGrid><w:gridCol w:w="1440"/><w:gridCol w:w="1440"/></w:tblGrid><w:tr>{c1}</w:tr><w:tr>{c2}</w:tr><w:tr>{c3}</w:tr></w:tbl>"#,
        a = run("đậm"),
        b = run("không đậm"),
        c = run("đậm lại"),
        d = run("một"),
        e = run("hai"),
        f = run("ba"),
        c1 = cell("restart", "ô"),
        c2 = cell("continue", ""),
        c3 = cell("continue", ""),
    );
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:x="{W}"><w:body>{body}</w:body></w:document>"#
    );
    let doc = Pkg::raw(&xml).read();
    let runs: Vec<(String, bool, Option<f32>)> = doc
        .blocks()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
        .flat_map(|p| p.runs())
        .map(|r| (r.text.clone(), r.bold, r.size_pt))
        .collect();
    let want: Vec<(String, bool, Option<f32>)> = [
        ("đậm", true),
        ("không đậm", false),
        ("đậm lại", true),
        ("một", true),
        ("hai", true),
        ("ba", true),
    ]
    .iter()
    .map(|(t, b)| (t.to_string(), *b, Some(14.0)))
    .collect();
    assert_eq!(runs, want);
    // two sections closed by paragraphs, then the body's own
    assert_eq!(doc.sections.len(), 3, "{:?}", doc.sections);
    for s in &doc.sections[..2] {
        assert_eq!(s.page.orientation, Orientation::Landscape);
    }
    let centred: Vec<String> = paras(&doc)
        .iter()
        .filter(|p| p.format.align == Align::Center)
        .map(|p| p.text())
        .collect();
    assert_eq!(centred, ["một", "hai"]);
    let t = tables(&doc);
    let cells: Vec<(u32, VMerge)> = t[0]
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| (c.col_span, c.v_merge))
        .collect();
    assert_eq!(
        cells,
        [
            (2, VMerge::Restart),
            (2, VMerge::Continue),
            (2, VMerge::Continue)
        ]
    );
}
