//! Plain-text and Markdown-like scrapes (`.txt`, `.md`) → the neutral document tree.
//!
//! Three shapes occur in practice and are recognised per document:
//!
//! * one paragraph per line (Word "save as text", python-docx dumps), tables as
//!   `| a | b |` rows with ` / ` between the paragraphs of a cell;
//! * Markdown (`| a | b |` rows with a `|---|` separator, `# heading`, `**bold**`, `*italic*`);
//! * hard-wrapped scrapes (trafilatura): lines of ~80 characters, paragraphs
//!   separated by blank lines (or not at all), and tables flattened to one cell per
//!   paragraph with lone `|` lines between cells and rows.
//!
//! Hard-wrapped lines are joined back into paragraphs; emphasis markers become run
//! formatting and are removed from the text. The reader interprets no content.

use crate::doctree::{
    Align, Block, Cell, Document, Inline, PageNumbering, PageSetup, ParaFormat, Paragraph, Row,
    Rule, Run, Section, Table,
};

/// Read decoded text into a [`Document`] (one A4 portrait section). The text is NFC-normalised.
pub fn read_text(text: &str) -> Document {
    let text = crate::text::nfc(text.trim_start_matches('\u{feff}'));
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\u{a0}', " ");
    let lines: Vec<&str> = text.split('\n').collect();
    let shape = Shape::detect(&lines);
    let mut blocks = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.is_empty() {
            flush(&mut pending, &shape, &mut blocks);
            i += 1;
        } else if t == "|" {
            flush(&mut pending, &shape, &mut blocks);
            let (table, next) = bar_table(&lines, i, &shape);
            if let Some(t) = table {
                blocks.push(Block::Table(t));
            }
            i = next.max(i + 1);
        } else if is_pipe_row(t) {
            flush(&mut pending, &shape, &mut blocks);
            let mut rows = Vec::new();
            while i < lines.len() && is_pipe_row(lines[i].trim()) {
                rows.push(lines[i].trim());
                i += 1;
            }
            if let Some(t) = pipe_table(&rows, &shape) {
                blocks.push(Block::Table(t));
            }
        } else if is_rule_line(t) {
            flush(&mut pending, &shape, &mut blocks);
            blocks.push(rule());
            i += 1;
        } else if let Some(h) = md_heading(t) {
            flush(&mut pending, &shape, &mut blocks);
            let mut p = paragraph_from(h, false);
            p.style = Some("Heading 1".into());
            if !p.text().trim().is_empty() {
                blocks.push(Block::Paragraph(p));
            }
            i += 1;
        } else {
            pending.push(lines[i]);
            i += 1;
        }
    }
    flush(&mut pending, &shape, &mut blocks);
    Document {
        sections: vec![Section {
            page: PageSetup::a4_portrait(),
            numbering: PageNumbering::default(),
            blocks,
        }],
        page_chrome: Vec::new(),
        default_size_pt: None,
    }
}

/// How the lines of one document are laid out.
struct Shape {
    /// Lines are hard-wrapped at a fixed width (scrape), so consecutive lines are joined.
    wrapped: bool,
    /// Paragraphs are separated by blank lines, so a blank-free run of lines is one paragraph.
    blank_separated: bool,
    /// Typical full line length of a wrapped document, in characters.
    width: usize,
    /// Pipe tables carry ` / ` between the paragraphs of a cell (python-docx dumps).
    slash_cells: bool,
}

impl Shape {
    fn detect(lines: &[&str]) -> Shape {
        let mut lens: Vec<usize> = Vec::new();
        let mut blank = 0usize;
        let mut md_separator = false;
        // consecutive text lines, and how many of them go on in lower case (a wrapped sentence)
        let (mut pairs, mut lower) = (0usize, 0usize);
        let mut prev_text = false;
        for l in lines {
            let t = l.trim();
            if t.is_empty() {
                blank += 1;
                prev_text = false;
                continue;
            }
            if is_pipe_row(t) || t == "|" {
                if is_pipe_row(t) && is_separator_row(t) {
                    md_separator = true;
                }
                prev_text = false;
                continue;
            }
            if prev_text {
                pairs += 1;
                let s = t.trim_start_matches(['*', '_', ' ']);
                let mut cs = s.chars();
                let first = cs.next();
                let second = cs.next();
                // "a) …", "đ. …" are list labels, not a sentence going on
                let label = matches!(second, Some(')') | Some('.'));
                if first.map(|c| c.is_lowercase()).unwrap_or(false) && !label {
                    lower += 1;
                }
            }
            prev_text = true;
            lens.push(t.chars().count());
        }
        let long = lens.iter().filter(|n| **n > 110).count();
        let wrapped = lens.len() >= 10 && long * 33 < lens.len() && lower * 5 >= pairs && pairs > 0;
        let blank_separated = wrapped && blank * 5 >= lens.len();
        lens.sort_unstable();
        let width = if lens.is_empty() {
            80
        } else {
            lens[(lens.len() * 9 / 10).min(lens.len() - 1)].max(40)
        };
        Shape {
            wrapped,
            blank_separated,
            width,
            slash_cells: !md_separator,
        }
    }
}

fn default_format() -> ParaFormat {
    ParaFormat {
        align: Align::Left,
        line_spacing: 1.0,
        ..ParaFormat::default()
    }
}

fn rule() -> Block {
    Block::Rule(Rule {
        width_mm: 30.0,
        align: Align::Center,
        thickness_pt: 0.5,
    })
}

fn is_rule_line(t: &str) -> bool {
    t.chars().count() >= 3 && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '–' | '—'))
}

fn md_heading(t: &str) -> Option<&str> {
    let rest = t.trim_start_matches('#');
    if rest.len() < t.len()
        && (rest.starts_with(' ') || rest.is_empty())
        && t.len() - rest.len() <= 6
    {
        Some(rest.trim())
    } else {
        None
    }
}

fn is_pipe_row(t: &str) -> bool {
    t.len() >= 2 && t.starts_with('|') && t.ends_with('|') && t.matches('|').count() >= 2
}

fn is_separator_row(t: &str) -> bool {
    let cells = split_pipe_row(t);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

fn split_pipe_row(t: &str) -> Vec<String> {
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'|') {
            cur.push('|');
            chars.next();
        } else if c == '|' {
            cells.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    cells.push(cur);
    cells
}

fn pipe_table(rows: &[&str], shape: &Shape) -> Option<Table> {
    let mut out: Vec<Row> = Vec::new();
    for r in rows {
        if is_separator_row(r) {
            for row in out.iter_mut() {
                row.header = true;
            }
            continue;
        }
        let cells = split_pipe_row(r)
            .into_iter()
            .map(|c| {
                let parts: Vec<String> = if shape.slash_cells {
                    c.split(" / ").map(|s| s.to_string()).collect()
                } else {
                    vec![c]
                };
                let mut blocks = Vec::new();
                for part in parts {
                    let p = paragraph_from(part.trim(), false);
                    if !p.text().trim().is_empty() {
                        blocks.push(Block::Paragraph(p));
                    }
                }
                Cell::new(blocks)
            })
            .collect();
        out.push(Row {
            cells,
            header: false,
        });
    }
    if out.is_empty() {
        return None;
    }
    let ncols = out.iter().map(|r| r.cells.len()).max().unwrap_or(1);
    Some(Table {
        columns_mm: vec![160.0 / ncols as f32; ncols],
        rows: out,
        borders: true,
    })
}

/// Parse a trafilatura table starting at the lone `|` at `start`.
/// Returns the table and the index of the first line after it.
fn bar_table(lines: &[&str], start: usize, shape: &Shape) -> (Option<Table>, usize) {
    // segments: content lines between consecutive lone bars
    let mut segs: Vec<Vec<&str>> = Vec::new();
    let mut tracker = Rows::default();
    let mut cur: Vec<&str> = Vec::new();
    let mut i = start + 1;
    let mut after_bar = true; // the previous line was a bar
    let mut bars_in_a_row = 1usize;
    let mut closed = true; // the last segment was closed by a bar
    while i < lines.len() {
        let t = lines[i].trim();
        if t == "|" {
            tracker.push(&cur);
            segs.push(std::mem::take(&mut cur));
            closed = true;
            after_bar = true;
            bars_in_a_row += 1;
            i += 1;
            continue;
        }
        if t.is_empty() {
            if after_bar || shape.blank_separated {
                break;
            }
            i += 1;
            continue;
        }
        if after_bar
            && bars_in_a_row == 1
            && !shape.blank_separated
            && !segs.is_empty()
            && !continues(lines, i, &tracker)
        {
            break;
        }
        cur.push(lines[i]);
        closed = false;
        after_bar = false;
        bars_in_a_row = 0;
        i += 1;
    }
    if !closed && !cur.is_empty() {
        segs.push(cur);
    }
    // drop the trailing empty segment that the closing bar pair leaves
    while segs.last().map(|s| s.is_empty()).unwrap_or(false) {
        segs.pop();
    }
    let rows = split_rows(&segs, 0);
    let n = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    if rows.is_empty() || n == 0 {
        return (None, i);
    }
    let rows = split_rows(&segs, n);
    let out: Vec<Row> = rows
        .into_iter()
        .map(|r| Row {
            cells: r
                .into_iter()
                .map(|seg| Cell::new(join_lines(seg, shape, true)))
                .collect(),
            header: false,
        })
        .collect();
    let ncols = out.iter().map(|r| r.cells.len()).max().unwrap_or(1);
    (
        Some(Table {
            columns_mm: vec![160.0 / ncols as f32; ncols],
            rows: out,
            borders: true,
        }),
        i,
    )
}

/// Bounds on a look-ahead inside a table (keeps reading linear on hostile input).
const MAX_SCAN_CELLS: usize = 64;
const MAX_SCAN_LINES: usize = 5000;

/// Where a simulated read of cells stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// A row boundary; the next row starts at this line.
    Boundary(usize),
    /// The wanted number of cells was read and text (not a bar) follows.
    Content,
    /// A blank line or the end of the text.
    End,
}

/// Read up to `need` cells starting at line `i` (a cell's first line or a bar for an empty
/// cell). Returns the cells read (their text) and where the reading stopped.
fn simulate(lines: &[&str], mut i: usize, need: usize) -> (Vec<String>, Stop) {
    let mut cells: Vec<String> = Vec::new();
    let need = need.min(MAX_SCAN_CELLS);
    let stop_at = i.saturating_add(MAX_SCAN_LINES).min(lines.len());
    let lines = &lines[..stop_at];
    loop {
        // one cell: content lines up to a bar
        let mut text = String::new();
        while i < lines.len() {
            let t = lines[i].trim();
            if t.is_empty() {
                if !text.is_empty() {
                    cells.push(text);
                }
                return (cells, Stop::End);
            }
            if t == "|" {
                break;
            }
            text.push_str(t);
            text.push(' ');
            i += 1;
        }
        if i >= lines.len() {
            if !text.is_empty() {
                cells.push(text);
            }
            return (cells, Stop::End);
        }
        cells.push(text);
        i += 1; // past the closing bar
        let next = lines.get(i).map(|l| l.trim());
        match next {
            None | Some("") => return (cells, Stop::End),
            Some("|") => return (cells, Stop::Boundary(i + 1)),
            Some(_) if cells.len() >= need => return (cells, Stop::Content),
            Some(_) => {}
        }
    }
}

fn cell_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Row statistics of a table being read, kept as segments arrive (same grouping as
/// [`split_rows`] without a known width).
#[derive(Debug, Default)]
struct Rows {
    /// Cells of the row being read.
    k: usize,
    /// The row being read has a non-empty cell.
    filled: bool,
    /// Text of the first cell of the row being read.
    first: Option<String>,
    /// Completed rows, and their widest and narrowest width.
    done: usize,
    max: usize,
    min: usize,
    /// First cell of the first completed row (the header).
    head: Option<String>,
}

/// Whether a segment arriving at a row of `cells` cells ends that row instead of
/// being its next cell: an empty segment does, except at the start of a row (an
/// empty first cell) or when it `completes` the row to the known column count.
/// The one grouping rule of [`Rows`] and [`split_rows`].
fn ends_row(seg: &[&str], cells: usize, completes: bool) -> bool {
    seg.is_empty() && cells > 0 && !completes
}

impl Rows {
    fn push(&mut self, seg: &[&str]) {
        if ends_row(seg, self.k, false) {
            self.end_row();
            return;
        }
        if self.k == 0 {
            self.first = Some(seg.join(" "));
        }
        self.k += 1;
        self.filled |= !seg.is_empty();
    }

    fn end_row(&mut self) {
        if self.filled {
            if self.done == 0 {
                self.head = self.first.clone();
                self.min = self.k;
            }
            self.max = self.max.max(self.k);
            self.min = self.min.min(self.k);
            self.done += 1;
        }
        self.k = 0;
        self.filled = false;
        self.first = None;
    }
}

/// At a text line right after a cell's closing bar (no blank lines to tell): does the
/// table go on with another cell, or has it ended? Rows are at most as wide as the
/// widest row so far; the first row must not be much wider than the row after it; a
/// repeat of the header row starts a new table.
fn continues(lines: &[&str], i: usize, rows: &Rows) -> bool {
    let k = rows.k;
    let n = rows.max;
    if n > 0 {
        if k >= n {
            return false;
        }
        let ragged = rows.done > 1 && rows.min < rows.max;
        let head = rows.head.as_deref().map(cell_key).unwrap_or_default();
        if !head.is_empty() {
            let (cells, _) = simulate(lines, i, n - k + n);
            if let Some(r) = cells
                .iter()
                .take(n - k + 1)
                .position(|c| cell_key(c) == head)
            {
                // the header starts again: the cells before the text above it belong to this row
                return r >= 2;
            }
        }
        let (_, stop) = simulate(lines, i, n - k);
        return match stop {
            Stop::Boundary(_) | Stop::End => true,
            Stop::Content => !ragged,
        };
    }
    let (c1, stop) = simulate(lines, i, MAX_SCAN_CELLS);
    match stop {
        Stop::Boundary(j) => {
            let (c2, _) = simulate(lines, j, MAX_SCAN_CELLS);
            k + c1.len() <= c2.len() + 1
        }
        _ => true,
    }
}

/// Group segments into rows. An empty segment ends a row, except at the start of a
/// row (an empty first cell) or, when the column count `n` is known, where treating
/// it as an empty cell completes the row to exactly `n` cells.
fn split_rows<'a>(segs: &'a [Vec<&'a str>], n: usize) -> Vec<Vec<&'a [&'a str]>> {
    let mut rows: Vec<Vec<&[&str]>> = Vec::new();
    let mut row: Vec<&[&str]> = Vec::new();
    for (j, s) in segs.iter().enumerate() {
        // an empty cell that makes the row exactly `n` wide with the cells after it
        let completes = s.is_empty() && n > 0 && row.len() < n && {
            let m = segs
                .get(j + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|x| !x.is_empty())
                .count();
            row.len() + 1 + m == n
        };
        if ends_row(s, row.len(), completes) {
            rows.push(std::mem::take(&mut row));
        } else {
            // an empty first cell is e.g. a vertically merged STT
            row.push(&s[..]);
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    // a row holding only empty cells carries nothing
    rows.retain(|r| r.iter().any(|c| !c.is_empty()));
    rows
}

fn flush(pending: &mut Vec<&str>, shape: &Shape, blocks: &mut Vec<Block>) {
    if pending.is_empty() {
        return;
    }
    let lines = std::mem::take(pending);
    blocks.extend(join_lines(&lines, shape, false));
}

/// Turn a run of non-blank lines into paragraphs (and rules).
fn join_lines(lines: &[&str], shape: &Shape, in_cell: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let push = |cur: &mut Vec<&str>, out: &mut Vec<Block>| {
        if cur.is_empty() {
            return;
        }
        let joined = cur.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        cur.clear();
        let p = paragraph_from(&joined, !shape.wrapped);
        if !p.text().trim().is_empty() {
            out.push(Block::Paragraph(p));
        }
    };
    // emphasis markers counted over the lines of the current paragraph
    let (mut bold, mut italic) = (0usize, 0usize);
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            push(&mut cur, &mut out);
            continue;
        }
        if is_rule_line(t) {
            push(&mut cur, &mut out);
            out.push(rule());
            continue;
        }
        if emphasis_only(t) {
            // "** **", "* *": an empty emphasised span; it closes what is open
            if let Some(last) = cur.last() {
                if open_emphasis(last) {
                    cur.push(t);
                    let (b, i) = count_markers(t);
                    bold += b;
                    italic += i;
                    continue;
                }
            }
            push(&mut cur, &mut out);
            continue;
        }
        if let Some(last) = cur.last() {
            // a bullet star at the start of the paragraph is not emphasis
            let bullet = cur.first().map(|f| f.starts_with("* ")).unwrap_or(false);
            let it = if bullet && italic % 2 == 1 {
                italic - 1
            } else {
                italic
            };
            let open = bold % 2 == 1 || it % 2 == 1;
            let breaks = if !shape.wrapped {
                true
            } else {
                let lenient = shape.blank_separated && !in_cell;
                starts_paragraph(last, open, t, shape, lenient)
            };
            if breaks {
                push(&mut cur, &mut out);
            }
        }
        if cur.is_empty() {
            bold = 0;
            italic = 0;
        }
        let (b, i) = count_markers(t);
        bold += b;
        italic += i;
        cur.push(t);
    }
    push(&mut cur, &mut out);
    out
}

fn emphasis_only(t: &str) -> bool {
    t.contains('*') && t.chars().all(|c| c == '*' || c == ' ' || c == '_')
}

/// Whether a line leaves an emphasis span open (odd number of `**` or of single `*`).
fn open_emphasis(line: &str) -> bool {
    let (bold, italic) = count_markers(line);
    bold % 2 == 1 || italic % 2 == 1
}

fn count_markers(line: &str) -> (usize, usize) {
    let cs: Vec<char> = line.chars().collect();
    let (mut bold, mut italic) = (0, 0);
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '*' {
            if i + 1 < cs.len() && cs[i + 1] == '*' {
                bold += 1;
                i += 2;
                continue;
            }
            italic += 1;
        }
        i += 1;
    }
    (bold, italic)
}

fn strip_markers(t: &str) -> &str {
    t.trim_start_matches(['*', '_', ' '])
        .trim_end_matches(['*', '_', ' '])
}

/// Whether line `next` starts a new paragraph after `last_line` in a hard-wrapped text;
/// `open`: an emphasis span of the current paragraph is still open. `lenient`: paragraphs
/// are blank-separated, so only list items after a finished sentence break a run.
fn starts_paragraph(last_line: &str, open: bool, next: &str, shape: &Shape, lenient: bool) -> bool {
    let p = strip_markers(last_line);
    let n_raw = next.trim_start();
    let n = strip_markers(next);
    let prev_end = p.chars().last().unwrap_or(' ');
    let ends_sentence = matches!(prev_end, '.' | ';' | ':' | '!' | '?');
    let short = last_line.chars().count() * 10 < shape.width * 7;
    let marker = strong_marker(n) || weak_marker(n_raw) || weak_marker(n);
    if lenient {
        return marker && ends_sentence;
    }
    if open {
        // inside an emphasised span that continues on this line
        return false;
    }
    if marker && (ends_sentence || short) {
        return true;
    }
    let whole_bold = last_line.trim().starts_with("**")
        && last_line.trim().ends_with("**")
        && count_markers(last_line).0.is_multiple_of(2);
    if whole_bold && !n_raw.starts_with('*') {
        // a bold label line followed by plain text
        return true;
    }
    if n_raw.starts_with('*') && !n_raw.starts_with("* ") {
        // an emphasised span opens after a closed one
        return true;
    }
    let pu = is_upper_line(p);
    let nu = is_upper_line(n);
    let next_upper = n.chars().next().map(|c| c.is_uppercase()).unwrap_or(false);
    if pu != nu && (pu || ends_sentence || short) && next_upper {
        return true;
    }
    ends_sentence && short
}

fn is_upper_line(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase())
}

/// Markers that almost always start a paragraph: "Bước 1", "Điều 2.", "1.1.", "a)", "(1)", "I.", "Căn cứ".
fn strong_marker(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().take(3).collect();
    let first = words.first().copied().unwrap_or("");
    let second = words.get(1).copied().unwrap_or("");
    if first == "Bước" || first == "Điều" {
        let digits = second.chars().take_while(|c| c.is_ascii_digit()).count();
        let after = &second[digits..];
        return digits > 0
            && (after.starts_with([':', '.', ')']) || (first == "Bước" && after.is_empty()));
    }
    if s.starts_with("Căn cứ")
        || s.starts_with("Theo đề nghị")
        || s.starts_with("Xét đề nghị")
        || s.starts_with("Nơi nhận")
    {
        return true;
    }
    // "1." "1.1." "2)" but not "1/4" or "15 ngày"
    let cs: Vec<char> = first.chars().collect();
    if !cs.is_empty() && cs[0].is_ascii_digit() {
        let last = *cs.last().unwrap_or(&' ');
        let body_ok = cs
            .iter()
            .all(|c| c.is_ascii_digit() || *c == '.' || *c == ')');
        return body_ok && (last == '.' || last == ')') && cs.len() <= 8 && words.len() > 1;
    }
    // "a)" "đ)" "(1)" "(a)"
    if cs.len() == 2 && cs[0].is_lowercase() && cs[1] == ')' {
        return true;
    }
    if cs.len() >= 3 && cs[0] == '(' && *cs.last().unwrap_or(&' ') == ')' && cs.len() <= 5 {
        return cs[1..cs.len() - 1]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_lowercase());
    }
    // Roman "I." "IV." and "A." "B."
    if cs.len() >= 2 && *cs.last().unwrap_or(&' ') == '.' && cs.len() <= 5 {
        let body = &cs[..cs.len() - 1];
        if body.iter().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
            return true;
        }
        if body.len() == 1 && body[0].is_ascii_uppercase() {
            return true;
        }
    }
    false
}

/// Bullets: "- ", "+ ", "• ", "* ".
fn weak_marker(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some('-' | '+' | '•' | '–' | '*') => {
            matches!(cs.next(), Some(' ') | None)
                || s.starts_with("-Bước")
                || s.starts_with("+Bước")
        }
        _ => false,
    }
}

/// Build a paragraph from one logical line, turning `**`/`*` emphasis into run formatting.
/// `tabs`: keep tab characters as tab inlines (unwrapped texts use them between header columns).
fn paragraph_from(s: &str, tabs: bool) -> Paragraph {
    let runs = parse_emphasis(s.trim());
    let mut inlines: Vec<Inline> = Vec::new();
    let n = runs.len();
    for (k, (text, bold, italic)) in runs.into_iter().enumerate() {
        let mut text = collapse_spaces(&text, tabs);
        if k == 0 {
            text = text.trim_start().to_string();
        }
        if k + 1 == n {
            text = text.trim_end().to_string();
        }
        if text.is_empty() {
            continue;
        }
        if tabs && text.contains('\t') {
            let parts: Vec<&str> = text.split('\t').collect();
            for (j, part) in parts.iter().enumerate() {
                if j > 0 {
                    inlines.push(Inline::Tab);
                }
                if !part.is_empty() {
                    inlines.push(Inline::Run(Run::new(*part).bold(bold).italic(italic)));
                }
            }
        } else {
            let text = text.replace('\t', " ");
            // merge with the previous run when the format is the same
            if let Some(Inline::Run(prev)) = inlines.last_mut() {
                if prev.bold == bold && prev.italic == italic {
                    prev.text.push_str(&text);
                    continue;
                }
            }
            inlines.push(Inline::Run(Run::new(text).bold(bold).italic(italic)));
        }
    }
    Paragraph {
        inlines,
        format: default_format(),
        style: None,
        list_label: None,
    }
}

fn collapse_spaces(s: &str, keep_tabs: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if c == '\t' && keep_tabs {
            out.push('\t');
            last_space = false;
        } else if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Split text at `**` (bold) and `*` (italic) markers. A `*` followed by a space at the
/// start is a bullet when the remaining single stars pair up among themselves.
fn parse_emphasis(s: &str) -> Vec<(String, bool, bool)> {
    let cs: Vec<char> = s.chars().collect();
    let mut out: Vec<(String, bool, bool)> = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut buf = String::new();
    let mut i = 0;
    let bullet_star = {
        let (_, singles) = count_markers(s);
        s.starts_with("* ") && (singles - 1) % 2 == 0
    };
    while i < cs.len() {
        let c = cs[i];
        if c == '*' {
            if i == 0 && bullet_star {
                buf.push('*');
                i += 1;
                continue;
            }
            if !buf.is_empty() {
                out.push((std::mem::take(&mut buf), bold, italic));
            }
            if i + 1 < cs.len() && cs[i + 1] == '*' {
                bold = !bold;
                i += 2;
            } else {
                italic = !italic;
                i += 1;
            }
            continue;
        }
        buf.push(c);
        i += 1;
    }
    if !buf.is_empty() {
        out.push((buf, bold, italic));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(d: &Document) -> Vec<String> {
        d.blocks()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn hard_wrapped_lines_join_and_emphasis_is_removed() {
        let mut t = wrapped_scrape();
        t.push_str(
            "**QUYẾT ĐỊNH**\n\n*Căn cứ Luật Tổ chức chính\nquyền địa phương ngày 16/6/2025;*\n",
        );
        let d = read_text(&t);
        let ps = paras(&d);
        assert!(ps.contains(&"QUYẾT ĐỊNH".to_string()));
        assert!(
            ps.contains(&"Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;".to_string())
        );
        let bold = d.blocks().any(|b| match b {
            Block::Paragraph(p) => p.runs().any(|r| r.bold && r.text == "QUYẾT ĐỊNH"),
            _ => false,
        });
        assert!(bold);
    }

    /// Twelve hard-wrapped paragraphs, enough for the reader to see a scrape.
    fn wrapped_scrape() -> String {
        let mut t = String::new();
        for k in 0..12 {
            t.push_str(&format!("Đoạn văn số {k} có nội dung khá dài để làm mẫu cho việc\nngắt dòng cứng của bản cào.\n\n"));
        }
        t
    }

    fn first_table(d: &Document) -> crate::doctree::Table {
        d.blocks()
            .find_map(|b| match b {
                Block::Table(t) => Some(t.clone()),
                _ => None,
            })
            .expect("table")
    }

    #[test]
    fn bar_tables_are_rebuilt() {
        let mut t = wrapped_scrape();
        t.push_str("|\n**STT**\n|\n**Tên thủ tục**\n|\n|\n1\n|\nThủ tục công nhận báo cáo\nviên pháp luật\n|\n\nSau bảng.\n");
        let d = read_text(&t);
        let table = first_table(&d);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(
            table.rows[1].cells[1].text(),
            "Thủ tục công nhận báo cáo viên pháp luật"
        );
        assert!(paras(&d).contains(&"Sau bảng.".to_string()));
    }

    #[test]
    fn empty_cell_inside_a_row_is_kept_when_the_width_says_so() {
        let mut t = wrapped_scrape();
        t.push_str("|\nA\n|\nB\n|\nC\n|\n|\n1\n|\n|\n3\n|\n|\n4\n|\n5\n|\n6\n|\n\n");
        let d = read_text(&t);
        let table = first_table(&d);
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[1].cells.len(), 3);
        assert_eq!(table.rows[1].cells[1].text(), "");
        assert_eq!(table.rows[2].cells[2].text(), "6");
    }

    #[test]
    fn pipe_tables_and_slash_cells() {
        let t = "Dòng một\n| TT | Tên TTHC |\n| 1 | Thủ tục A / - Căn cứ B |\n";
        let d = read_text(t);
        let table = first_table(&d);
        assert_eq!(table.rows[1].cells[1].blocks.len(), 2);
        assert_eq!(table.rows[1].cells[1].text(), "Thủ tục A\n- Căn cứ B");
    }

    #[test]
    fn bullet_star_is_kept_and_nfd_is_normalised() {
        let p = paragraph_from("* Thành phần hồ sơ: Báo cáo", false);
        assert_eq!(p.text(), "* Thành phần hồ sơ: Báo cáo");
        let p = paragraph_from("*- *Thông tư số 103/2025/TT-BQP", false);
        assert_eq!(p.text(), "- Thông tư số 103/2025/TT-BQP");
        let d = read_text("Ho\u{300}a Bi\u{300}nh");
        assert_eq!(paras(&d), vec!["Hòa Bình".to_string()]);
    }
}
