//! The line markup that templates produce, and its translation into the document tree.
//!
//! Each line of a rendered template is one directive: `@role text`. The role names
//! an element of the document (`@subject`, `@ground`, `@para` …) and `layout` says how
//! it looks. Inside the text, `**…**` is bold, `__…__` italic, and a backslash escapes
//! the next character (`\n` is a line break). Values inserted by templates are
//! escaped automatically, so user text is never read as markup.

use crate::doctree::{
    Align, Block, Cell, Document, Inline, PageSetup, Paragraph, Row, Rule, Run, Section, VAlign,
};
use crate::model::LayoutOverrides;

use super::layout::{self, Role};

/// Characters that carry meaning in the markup and are escaped in inserted values.
const SPECIAL: [char; 5] = ['\\', '*', '_', '|', '@'];

/// Escape a value so that it reaches the document literally.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An error in the rendered markup (an unknown directive, an unclosed block).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rendered line {line}: {message}")]
pub struct MarkupError {
    /// 1-based line in the rendered template output.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The place of a signature inside the tree, and who signs there, for signing tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureAnchor {
    /// Section holding the signature table.
    pub section: usize,
    /// Index of the signature table among the section's blocks.
    pub block: usize,
    /// Quyền hạn and chức vụ lines ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH").
    pub authority: Vec<String>,
    /// Họ và tên of the signer.
    pub name: String,
}

/// The result of parsing: the document and where its signature tables are.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document tree.
    pub document: Document,
    /// Signature tables, in order.
    pub signatures: Vec<SignatureAnchor>,
}

/// Parse inline markup into runs styled for `role`.
pub fn inlines(role: Role, text: &str) -> Vec<Inline> {
    let base = layout::run(role, "");
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut bold, mut italic) = (base.bold, base.italic);
    let flush = |cur: &mut String, out: &mut Vec<Inline>, bold: bool, italic: bool| {
        if !cur.is_empty() {
            let mut r = layout::run(role, cur);
            r.bold = bold;
            r.italic = italic;
            out.push(Inline::Run(r));
            cur.clear();
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => {
                    flush(&mut cur, &mut out, bold, italic);
                    out.push(Inline::LineBreak);
                }
                Some(n) => cur.push(n),
                None => cur.push('\\'),
            },
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                flush(&mut cur, &mut out, bold, italic);
                bold = !bold;
            }
            '_' if chars.peek() == Some(&'_') => {
                chars.next();
                flush(&mut cur, &mut out, bold, italic);
                italic = !italic;
            }
            c => cur.push(c),
        }
    }
    flush(&mut cur, &mut out, bold, italic);
    out
}

fn plain(text: &str) -> String {
    inlines(Role::Body, text)
        .iter()
        .map(|i| match i {
            Inline::Run(r) => r.text.clone(),
            Inline::LineBreak => "\n".into(),
            _ => String::new(),
        })
        .collect()
}

fn paragraph(role: Role, text: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: inlines(role, text),
        format: layout::para(role),
        style: None,
        list_label: None,
    })
}

fn split_cells(text: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(last) = cells.last_mut() {
                    last.push('\\');
                    if let Some(n) = chars.next() {
                        last.push(n);
                    }
                }
            }
            '|' => cells.push(String::new()),
            c => {
                if let Some(last) = cells.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

#[derive(Default)]
struct HeaderParts {
    parent: Vec<String>,
    issuer: Vec<String>,
    number: Vec<String>,
    nation: Vec<String>,
    motto: Vec<String>,
    dateline: Vec<String>,
}

#[derive(Default)]
struct SignatureParts {
    label: Vec<String>,
    recipients: Vec<String>,
    authority: Vec<String>,
    name: Vec<String>,
}

struct TableParts {
    weights: Vec<f32>,
    rows: Vec<Row>,
}

enum Open {
    None,
    Header(HeaderParts),
    Signature(SignatureParts),
    Table(TableParts),
}

fn rule(width_mm: f32) -> Block {
    Block::Rule(Rule {
        width_mm,
        align: Align::Center,
        thickness_pt: layout::RULE_PT,
    })
}

fn two_column(left: Vec<Block>, right: Vec<Block>, text_width: f32) -> Block {
    let total = text_width - layout::TWO_COLUMN_INDENT_MM;
    let lw = layout::LEFT_COLUMN_MM;
    Block::Table(crate::doctree::Table {
        columns_mm: vec![lw, total - lw],
        rows: vec![Row {
            cells: vec![Cell::new(left), Cell::new(right)],
            header: false,
        }],
        borders: false,
    })
}

fn build_header(h: HeaderParts, page: &PageSetup) -> Block {
    let mut left = Vec::new();
    for l in &h.parent {
        left.push(paragraph(Role::ParentBody, l));
    }
    for l in &h.issuer {
        left.push(paragraph(Role::IssuingBody, l));
    }
    if let Some(last) = h.issuer.last() {
        let w = layout::short_rule_mm(&plain(last), layout::size_pt(Role::IssuingBody), 40.0);
        left.push(rule(w.max(20.0)));
    }
    for l in &h.number {
        let mut p = paragraph(Role::Number, l);
        if let Block::Paragraph(pp) = &mut p {
            pp.format.space_before_pt = 4.0;
        }
        left.push(p);
    }
    let mut right = Vec::new();
    for l in &h.nation {
        right.push(paragraph(Role::Nation, l));
    }
    for l in &h.motto {
        right.push(paragraph(Role::Motto, l));
    }
    if let Some(last) = h.motto.last() {
        right.push(rule(layout::motto_rule_mm(&plain(last))));
    }
    for l in &h.dateline {
        let mut p = paragraph(Role::Dateline, l);
        if let Block::Paragraph(pp) = &mut p {
            pp.format.space_before_pt = 4.0;
        }
        right.push(p);
    }
    two_column(left, right, page.text_width_mm())
}

fn build_signature(s: SignatureParts, signer: usize, page: &PageSetup) -> Block {
    let mut left = Vec::new();
    for l in &s.label {
        left.push(paragraph(Role::RecipientsLabel, l));
    }
    for l in &s.recipients {
        left.push(paragraph(Role::Recipient, l));
    }
    let mut right = Vec::new();
    for l in &s.authority {
        right.push(paragraph(Role::SignerAuthority, l));
    }
    right.push(Block::SignatureRoom(crate::doctree::SignatureRoom {
        signer,
        height_pt: layout::SIGNATURE_ROOM_PT,
    }));
    for l in &s.name {
        right.push(paragraph(Role::SignerName, l));
    }
    let mut t = two_column(left, right, page.text_width_mm());
    if let Block::Table(tt) = &mut t {
        for c in &mut tt.rows[0].cells {
            c.v_align = VAlign::Top;
        }
    }
    t
}

/// Parse rendered template output into a document.
pub fn parse(rendered: &str, over: &LayoutOverrides) -> Result<Parsed, MarkupError> {
    parse_with(rendered, over, &[])
}

/// Parse rendered template output into a document; `@image NAME description` lines
/// place the picture of `assets` called NAME.
pub fn parse_with(
    rendered: &str,
    over: &LayoutOverrides,
    assets: &[(String, crate::doctree::Image)],
) -> Result<Parsed, MarkupError> {
    let mut sections = vec![Section {
        page: layout::portrait(over),
        numbering: layout::numbering(true),
        blocks: Vec::new(),
    }];
    let mut signatures = Vec::new();
    let mut open = Open::None;
    let mut last_text: Option<(String, f32)> = None;
    for (i, raw) in rendered.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let err = |m: String| MarkupError {
            line: lineno,
            message: m,
        };
        let Some(rest) = line.strip_prefix('@') else {
            return Err(err(format!(
                "text outside a directive: \"{}\" (every line starts with @role)",
                line.chars().take(60).collect::<String>()
            )));
        };
        let (dir, text) = match rest.split_once(char::is_whitespace) {
            Some((d, t)) => (d, t.trim()),
            None => (rest, ""),
        };
        let section = sections.len() - 1;
        let page = sections[section].page;
        // Directives inside an open block.
        match &mut open {
            Open::Header(h) => {
                match dir {
                    "parent" => h.parent.push(text.into()),
                    "issuer" => h.issuer.push(text.into()),
                    "number" => h.number.push(text.into()),
                    "nation" => h.nation.push(text.into()),
                    "motto" => h.motto.push(text.into()),
                    "dateline" => h.dateline.push(text.into()),
                    "header-end" => {
                        if let Open::Header(h) = std::mem::replace(&mut open, Open::None) {
                            sections[section].blocks.push(build_header(h, &page));
                        }
                    }
                    other => {
                        return Err(err(format!(
                            "@{other} is not allowed inside @header-begin … @header-end"
                        )))
                    }
                }
                continue;
            }
            Open::Signature(s) => {
                match dir {
                    "recipients-label" => s.label.push(text.into()),
                    "recipient" => s.recipients.push(text.into()),
                    "sign-authority" => s.authority.push(text.into()),
                    "sign-name" => s.name.push(text.into()),
                    "signature-end" => {
                        if let Open::Signature(s) = std::mem::replace(&mut open, Open::None) {
                            // One empty line between the last article and the signature block.
                            sections[section].blocks.push(paragraph(Role::Body, ""));
                            let signer = signatures.len();
                            signatures.push(SignatureAnchor {
                                section,
                                block: sections[section].blocks.len(),
                                authority: s.authority.iter().map(|l| plain(l)).collect(),
                                name: s
                                    .name
                                    .iter()
                                    .map(|l| plain(l))
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            });
                            sections[section]
                                .blocks
                                .push(build_signature(s, signer, &page));
                        }
                    }
                    other => {
                        return Err(err(format!(
                            "@{other} is not allowed inside @signature-begin … @signature-end"
                        )))
                    }
                }
                continue;
            }
            Open::Table(t) => {
                let ncols = t.weights.len();
                let (role, header) = match dir {
                    "table-head" => (Role::TableHead, true),
                    "table-row" => (Role::TableCell, false),
                    "table-group" => (Role::TableGroup, false),
                    "table-end" => {
                        if let Open::Table(t) = std::mem::replace(&mut open, Open::None) {
                            let total: f32 = t.weights.iter().sum();
                            let width = page.text_width_mm();
                            sections[section]
                                .blocks
                                .push(Block::Table(crate::doctree::Table {
                                    columns_mm: t
                                        .weights
                                        .iter()
                                        .map(|w| w / total * width)
                                        .collect(),
                                    rows: t.rows,
                                    borders: true,
                                }));
                        }
                        continue;
                    }
                    other => {
                        return Err(err(format!(
                            "@{other} is not allowed inside @table-begin … @table-end"
                        )))
                    }
                };
                let cells = split_cells(text);
                if cells.len() > ncols {
                    return Err(err(format!(
                        "{} cells in a table of {ncols} columns",
                        cells.len()
                    )));
                }
                let n = cells.len();
                let mut row = Row {
                    cells: Vec::new(),
                    header,
                };
                for (k, c) in cells.iter().enumerate() {
                    let mut block = paragraph(role, c);
                    if let Block::Paragraph(p) = &mut block {
                        // Numbers and group letters are centred; text columns follow the role.
                        if k == 0 || (role == Role::TableCell && c.chars().count() <= 4) {
                            p.format.align = Align::Center;
                        }
                        if role == Role::TableGroup && k > 0 {
                            p.format.align = Align::Left;
                        }
                    }
                    let mut cell = Cell::new(vec![block]);
                    if k + 1 == n && n < ncols {
                        cell.col_span = (ncols - n + 1) as u32;
                    }
                    cell.v_align = VAlign::Center;
                    row.cells.push(cell);
                }
                t.rows.push(row);
                continue;
            }
            Open::None => {}
        }
        let role = match dir {
            "header-begin" => {
                open = Open::Header(HeaderParts::default());
                continue;
            }
            "signature-begin" => {
                open = Open::Signature(SignatureParts::default());
                continue;
            }
            "table-begin" => {
                let weights: Result<Vec<f32>, _> =
                    text.split_whitespace().map(|w| w.parse::<f32>()).collect();
                match weights {
                    Ok(w) if !w.is_empty() && w.iter().all(|x| *x > 0.0) => {
                        open = Open::Table(TableParts {
                            weights: w,
                            rows: Vec::new(),
                        })
                    }
                    _ => {
                        return Err(err(format!(
                            "@table-begin needs positive column weights, got \"{text}\""
                        )))
                    }
                }
                continue;
            }
            "section" => {
                let mut words = text.split_whitespace();
                let page = match words.next() {
                    Some("portrait") => layout::portrait(over),
                    Some("landscape") => layout::landscape(over),
                    other => {
                        return Err(err(format!(
                            "@section needs portrait or landscape, got {other:?}"
                        )))
                    }
                };
                let restart = words.any(|w| w == "restart");
                sections.push(Section {
                    page,
                    numbering: layout::numbering(restart),
                    blocks: Vec::new(),
                });
                continue;
            }
            "rule" => {
                let w = if text.is_empty() {
                    match &last_text {
                        Some((t, size)) => layout::short_rule_mm(t, *size, page.text_width_mm()),
                        None => 40.0,
                    }
                } else {
                    text.parse::<f32>()
                        .map_err(|_| err(format!("@rule takes a length in mm, got \"{text}\"")))?
                };
                sections[section].blocks.push(rule(w));
                continue;
            }
            "image" => {
                let (name, description) = text.split_once(' ').unwrap_or((text, ""));
                let Some((_, img)) = assets.iter().find(|(n, _)| n == name) else {
                    return Err(err(format!("@image names no picture called \"{name}\"")));
                };
                let mut img = img.clone();
                if !description.trim().is_empty() {
                    img.description = plain(description);
                }
                sections[section].blocks.push(Block::Image(img));
                continue;
            }
            "doc-type" => Role::DocType,
            "subject" => Role::Subject,
            "authority" => Role::AuthorityLine,
            "ground" => Role::Ground,
            "para" => Role::Body,
            "heading" => Role::Heading,
            "body-heading" => Role::BodyHeading,
            "addressee" => Role::Addressee,
            "addressee-item" => Role::AddresseeItem,
            "annex-label" => Role::AnnexLabel,
            "annex-title" => Role::AnnexTitle,
            "annex-ref" => Role::AnnexRef,
            "note" => Role::Note,
            other => return Err(err(format!("unknown directive @{other}"))),
        };
        last_text = Some((plain(text), layout::size_pt(role)));
        sections[section].blocks.push(paragraph(role, text));
    }
    match open {
        Open::None => {}
        Open::Header(_) => return Err(unclosed("@header-begin")),
        Open::Signature(_) => return Err(unclosed("@signature-begin")),
        Open::Table(_) => return Err(unclosed("@table-begin")),
    }
    sections.retain(|s| !s.blocks.is_empty());
    Ok(Parsed {
        document: Document {
            sections,
            page_chrome: Vec::new(),
            default_size_pt: Some(14.0),
        },
        signatures,
    })
}

fn unclosed(what: &str) -> MarkupError {
    MarkupError {
        line: 0,
        message: format!("{what} is never closed"),
    }
}

/// Plain text of a run list (for tests and width estimates).
pub fn runs_text(runs: &[Inline]) -> String {
    runs.iter()
        .filter_map(|i| match i {
            Inline::Run(Run { text, .. }) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_values_come_back_literally() {
        let nasty = "# * _ $ @ < > & \" [ ] \\ / | **x** __y__ Điều 5.";
        let line = format!("@para {}", escape(nasty));
        let parsed = parse(&line, &LayoutOverrides::default()).expect("parses");
        let Block::Paragraph(p) = &parsed.document.sections[0].blocks[0] else {
            panic!("not a paragraph")
        };
        assert_eq!(p.text(), nasty);
    }

    #[test]
    fn bold_and_italic_toggle() {
        let i = inlines(Role::Body, "**Điều 1.** Công bố __kèm theo__.");
        let runs: Vec<&Run> = i
            .iter()
            .filter_map(|x| {
                if let Inline::Run(r) = x {
                    Some(r)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(runs[0].text, "Điều 1.");
        assert!(runs[0].bold);
        assert!(!runs[1].bold);
        assert!(runs[2].italic);
        assert_eq!(runs_text(&i), "Điều 1. Công bố kèm theo.");
    }

    #[test]
    fn unknown_directive_names_the_line() {
        let e = parse("@para a\n@bogus b", &LayoutOverrides::default()).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("@bogus"));
    }
}
