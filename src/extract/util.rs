//! Small hand-written matchers shared by the extractors: folding for keyword
//! matching, list labels, dates, document numbers, durations and name similarity.

use std::borrow::Cow;
use std::cell::Cell;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use crate::model::TimeUnit;

/// Fold one character for keyword matching: lower case, no diacritics, "đ" → "d",
/// dashes → "-", tabs and no-break spaces → " ". Always one char for one char, so
/// char positions in the folded text are char positions in the original.
pub(crate) fn fold_char(c: char) -> char {
    fold_char_with(fold_table(), c)
}

/// [`fold_char`] with the table already at hand (loops fetch it once).
#[inline]
fn fold_char_with(table: &[char], c: char) -> char {
    let u = c as u32;
    if u < 0x80 {
        match c {
            '\t' | '\n' => ' ',
            _ => c.to_ascii_lowercase(),
        }
    } else if u < FOLD_TABLE_END {
        // precomputed for Latin-1, Latin Extended, combining marks and Vietnamese
        table
            .get((u - 0x80) as usize)
            .copied()
            .unwrap_or_else(|| fold_char_slow(c))
    } else {
        fold_char_slow(c)
    }
}

/// End (exclusive) of the code points whose fold is precomputed (through General
/// Punctuation: typographic dashes, quotes and ellipses are common in decisions).
const FOLD_TABLE_END: u32 = 0x2070;

/// Fold of every code point in `0x80..FOLD_TABLE_END` (none of them is a surrogate).
fn fold_table() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80..FOLD_TABLE_END)
            .map(|u| char::from_u32(u).map_or('\u{fffd}', fold_char_slow))
            .collect()
    })
}

/// The definition of [`fold_char`].
fn fold_char_slow(c: char) -> char {
    match c {
        'đ' | 'Đ' => 'd',
        '–' | '—' | '‒' | '−' => '-',
        '\t' | '\u{a0}' | '\n' => ' ',
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        _ => {
            let base = c.nfd().next().unwrap_or(c);
            base.to_lowercase().next().unwrap_or(base)
        }
    }
}

/// [`fold_char`] over a string.
pub(crate) fn fold(s: &str) -> String {
    let table = fold_table();
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().map(|c| fold_char_with(table, c)));
    out
}

/// Folded text with runs of spaces collapsed and ends trimmed (for phrase tests).
pub(crate) fn fkey(s: &str) -> String {
    fkey_head(s, usize::MAX)
}

/// The start of [`fkey`]`(s)`: folding stops once at least `n` bytes are out, so the
/// result is the whole key or a prefix of it at least `n` bytes long. Enough to test
/// whether the key starts with (or equals) a phrase of at most `n` bytes, without
/// folding a long paragraph to the end.
pub(crate) fn fkey_head(s: &str, n: usize) -> String {
    // same as fold(s).split_whitespace().collect::<Vec<_>>().join(" "), in one pass
    let table = fold_table();
    let mut out = String::with_capacity(s.len().min(n.saturating_add(4)));
    let mut gap = false;
    for c in s.chars() {
        if out.len() >= n {
            break;
        }
        let f = fold_char_with(table, c);
        if f.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(f);
    }
    out
}

/// The characters of [`fkey`]`(s)`, folded one by one as they are asked for: a
/// test that fails at the first character folds no further.
struct KeyChars<'a> {
    chars: std::str::Chars<'a>,
    table: &'static [char],
    /// Spaces were passed over since the last character given.
    gap: bool,
    /// A character was given already (spaces before the first are dropped).
    started: bool,
    /// The character after a space just given.
    pending: Option<char>,
}

impl<'a> KeyChars<'a> {
    fn new(s: &'a str) -> Self {
        KeyChars {
            chars: s.chars(),
            table: fold_table(),
            gap: false,
            started: false,
            pending: None,
        }
    }
}

impl Iterator for KeyChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        loop {
            let f = fold_char_with(self.table, self.chars.next()?);
            if f.is_whitespace() {
                self.gap = true;
                continue;
            }
            // a run of spaces is one space, and only between characters
            if std::mem::take(&mut self.gap) && self.started {
                self.pending = Some(f);
                return Some(' ');
            }
            self.started = true;
            return Some(f);
        }
    }
}

/// Whether [`fkey`]`(s)` starts with `phrase` (a folded key), folding `s` only as
/// far as the comparison goes.
pub(crate) fn key_starts_with(s: &str, phrase: &str) -> bool {
    let mut key = KeyChars::new(s);
    phrase.chars().all(|p| key.next() == Some(p))
}

/// Whether [`fkey`]`(s)` is `key`, folding `s` only as far as they agree.
pub(crate) fn key_eq(s: &str, key: &str) -> bool {
    KeyChars::new(s).eq(key.chars())
}

/// Types of legal documents, folded: what a reference to one starts with.
const DOC_TYPES: [&str; 12] = [
    "luat",
    "bo luat",
    "nghi dinh",
    "nghi quyet",
    "thong tu",
    "quyet dinh",
    "phap lenh",
    "chi thi",
    "hien phap",
    "cong van",
    "van ban hop nhat",
    "sac lenh",
];

/// Whether `s` starts with the type of a legal document as a whole word ("Luật …",
/// "Nghị định số …"), not merely with words that may open a reference ("Điều 5").
pub(crate) fn starts_with_doc_type(s: &str) -> bool {
    let f = fkey_head(s, longest(&DOC_TYPES) + 1);
    DOC_TYPES.iter().any(|t| {
        f.strip_prefix(t)
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    })
}

/// Length in bytes of the longest phrase of `phrases` (for [`fkey_head`]).
pub(crate) const fn longest(phrases: &[&str]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < phrases.len() {
        if phrases[i].len() > n {
            n = phrases[i].len();
        }
        i += 1;
    }
    n
}

/// Whitespace (tabs, line breaks) collapsed to single spaces, ends trimmed.
pub(crate) fn clean(s: &str) -> String {
    clean_cow(s).into_owned()
}

/// [`clean`], borrowed when nothing but the ends changes (most paragraphs).
pub(crate) fn clean_cow(s: &str) -> Cow<'_, str> {
    // same as s.split_whitespace().collect::<Vec<_>>().join(" "): copies the stretches
    // between runs of whitespace other than a single space whole
    let s = s.trim();
    // most texts have single spaces only: a long one is checked by fast searches first
    if s.len() >= 64
        && !has_other_whitespace(s)
        && memchr::memmem::find(s.as_bytes(), b"  ").is_none()
    {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    // made at the first change
    let mut out = String::new();
    let (mut copied, mut i) = (0, 0);
    while i < b.len() {
        // most bytes: neither ASCII whitespace nor the lead byte of a wider one
        if b[i] > b' ' && !matches!(b[i], 0xc2 | 0xe1..=0xe3) {
            i += 1;
            continue;
        }
        let n = whitespace_len(s, i);
        if n == 0 {
            i += 1;
            continue;
        }
        // trimmed: a run of whitespace always has text after it
        if b[i] == b' ' && whitespace_len(s, i + 1) == 0 {
            i += 1;
            continue;
        }
        if copied == 0 {
            out.reserve(s.len());
        }
        out.push_str(&s[copied..i]);
        out.push(' ');
        i += n;
        loop {
            let n = whitespace_len(s, i);
            if n == 0 {
                break;
            }
            i += n;
        }
        copied = i;
    }
    // `copied` moves only at a change, and past it
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Byte length of the whitespace character ([`char::is_whitespace`]) starting at byte
/// `i` of `s`; 0 when there is none (not whitespace, inside a character, or the end).
#[inline(always)]
fn whitespace_len(s: &str, i: usize) -> usize {
    let b = s.as_bytes();
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xc2 if matches!(at(1), 0x85 | 0xa0) => 2,
        // U+1680
        0xe1 if at(1) == 0x9a && at(2) == 0x80 => 3,
        // U+2000–U+200A, U+2028, U+2029, U+202F
        0xe2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) => 3,
        // U+205F
        0xe2 if at(1) == 0x81 && at(2) == 0x9f => 3,
        // U+3000
        0xe3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Whether `s` holds a whitespace character ([`char::is_whitespace`]) other than ' '.
fn has_other_whitespace(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr3(b'\t', b'\n', b'\r', b).is_some()
        || memchr::memchr2(0x0b, 0x0c, b).is_some()
        // lead bytes of U+0085, U+00A0, U+2000–U+205F and U+3000 (and of much else)
        || memchr::memchr3_iter(0xc2, 0xe2, 0xe3, b).any(|i| whitespace_len(s, i) > 0)
        || memchr::memmem::find(b, "\u{1680}".as_bytes()).is_some()
}

/// Number of characters of `s` that are not whitespace ([`char::is_whitespace`]).
pub(crate) fn visible_chars(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &x) in b.iter().enumerate() {
        // a character starts at every byte that is not a continuation byte
        n += usize::from(x & 0xc0 != 0x80);
        if (x <= b' ' || matches!(x, 0xc2 | 0xe1..=0xe3)) && whitespace_len(s, i) > 0 {
            n -= 1;
        }
    }
    n
}

/// Remove list bullets and trailing separators from an item: "- Luật …;" → "Luật …".
pub(crate) fn clean_item(s: &str) -> String {
    let s = clean(s);
    let (style, rest) = split_label(&s);
    let s = match style {
        Style::Dash | Style::Plus | Style::Star | Style::Bullet => rest.to_string(),
        _ => s.clone(),
    };
    strip_end_punct(&s).to_string()
}

/// Trim trailing ";", ".", ",", ":", "./." and spaces.
pub(crate) fn strip_end_punct(s: &str) -> &str {
    s.trim_end_matches([';', '.', ',', ':', '/', ' ']).trim()
}

/// Whether every letter is upper case (at least `min` letters).
pub(crate) fn is_upper(s: &str, min: usize) -> bool {
    let mut n = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if c.is_lowercase() {
                return false;
            }
            n += 1;
        }
    }
    n >= min
}

/// First letter upper, the rest lower: "CÔNG TÁC DÂN TỘC" → "Công tác dân tộc".
pub(crate) fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut cs = lower.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Numbering style of a list label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// No label.
    None,
    /// "1." or "1)".
    Arabic,
    /// "1.1." or "2.11".
    Dotted,
    /// "a)" or "a." (lower-case letter).
    Letter,
    /// "a1)".
    LetterDigit,
    /// "(1)" or "(a)".
    Paren,
    /// "I." "II." (Roman).
    Roman,
    /// "A." "B." (upper-case letter).
    Upper,
    /// "- ".
    Dash,
    /// "+ ".
    Plus,
    /// "* ".
    Star,
    /// "•" and similar.
    Bullet,
}

impl Style {
    /// Bullets (not numbering).
    pub(crate) fn is_bullet(self) -> bool {
        matches!(
            self,
            Style::Dash | Style::Plus | Style::Star | Style::Bullet
        )
    }
}

/// Split a leading list label off a text: ("1.", "Trình tự thực hiện") → (Arabic, "Trình tự …").
/// The returned rest is trimmed; the label value itself is not returned.
pub(crate) fn split_label(s: &str) -> (Style, &str) {
    let (style, rest, _) = split_label_full(s);
    (style, rest)
}

/// Like [`split_label`], also returning the label text ("1.", "a)", "II.").
pub(crate) fn split_label_full(s: &str) -> (Style, &str, &str) {
    let t = s.trim_start();
    let cs = HeadChars::new(t);
    let Some(c0) = cs.at(0) else {
        return (Style::None, t, "");
    };
    let at = |k: usize| cs.at(k);
    let done = |style: Style, k: usize| -> (Style, &str, &str) {
        let b = cs.byte(k);
        (style, t[b..].trim_start(), t[..b].trim_end())
    };
    // bullets
    match c0 {
        '-' | '–' | '—' | '‒' if at(1) != Some('-') => return done(Style::Dash, 1),
        '+' => return done(Style::Plus, 1),
        '*' if at(1) == Some(' ') => return done(Style::Star, 1),
        '•' | '·' | '●' | '▪' | '○' | '◦' | '\u{f0b7}' | '\u{f0a7}' | '§' | '→' | '➢' | '✓'
        | '❖' => return done(Style::Bullet, 1),
        _ => {}
    }
    // (1) (a)
    if c0 == '(' {
        let mut k = 1;
        while let Some(c) = at(k) {
            if c.is_ascii_digit() || (c.is_lowercase() && k == 1) {
                k += 1;
            } else {
                break;
            }
        }
        if k > 1 && k <= 4 && at(k) == Some(')') {
            return done(Style::Paren, k + 1);
        }
        // "(3.1)", "(2.10)": a dotted number in parentheses
        if k > 1 && at(1).is_some_and(|c| c.is_ascii_digit()) {
            let mut j = k;
            let mut groups = 1;
            while at(j) == Some('.') && at(j + 1).is_some_and(|c| c.is_ascii_digit()) && j < 8 {
                groups += 1;
                j += 1;
                while at(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
            }
            if groups > 1 && at(j) == Some(')') {
                return done(Style::Dotted, j + 1);
            }
        }
        return (Style::None, t, "");
    }
    // 1. 1) 1.1. 2.11
    if c0.is_ascii_digit() {
        let mut k = 0;
        let mut groups = 1;
        while let Some(c) = at(k) {
            if c.is_ascii_digit() {
                k += 1;
            } else if c == '.' && at(k + 1).map(|d| d.is_ascii_digit()).unwrap_or(false) && k < 4 {
                groups += 1;
                k += 1;
            } else {
                break;
            }
        }
        let digits_ok = k <= 7;
        let next = at(k);
        if digits_ok && matches!(next, Some('.') | Some(')')) {
            let after = at(k + 1);
            // "1.5 ngày" or "1/4" are not labels; "1." must be followed by space/letter
            if after.map(|c| !c.is_ascii_digit()).unwrap_or(true) {
                let style = if groups > 1 {
                    Style::Dotted
                } else {
                    Style::Arabic
                };
                return done(style, k + 1);
            }
        }
        if digits_ok && groups > 1 && matches!(next, Some(' ')) {
            return done(Style::Dotted, k);
        }
        return (Style::None, t, "");
    }
    // Roman I. II. IV. and A. B.
    if c0.is_ascii_uppercase() {
        let mut k = 0;
        while let Some(c) = at(k) {
            if matches!(c, 'I' | 'V' | 'X' | 'L') {
                k += 1;
            } else {
                break;
            }
        }
        if k > 0 && k <= 5 && matches!(at(k), Some('.') | Some(')') | Some(' ') | Some(':')) {
            // "I " alone is ambiguous with a word; require a dot/paren, or "I -"
            if matches!(at(k), Some('.') | Some(')')) {
                return done(Style::Roman, k + 1);
            }
        }
        if matches!(at(1), Some('.') | Some(')')) && at(2).map(|c| c == ' ').unwrap_or(true) {
            return done(Style::Upper, 2);
        }
        return (Style::None, t, "");
    }
    // a) a. đ) a1)
    if c0.is_lowercase() && c0.is_alphabetic() {
        if at(1) == Some(')') {
            return done(Style::Letter, 2);
        }
        if at(1) == Some('.') && at(2) == Some(' ') {
            return done(Style::Letter, 2);
        }
        if at(1).map(|c| c.is_ascii_digit()).unwrap_or(false) {
            let mut k = 1;
            while at(k).map(|c| c.is_ascii_digit()).unwrap_or(false) {
                k += 1;
            }
            while at(k)
                .map(|c| c == '\'' || c == '’' || c == ' ')
                .unwrap_or(false)
                && k < 4
            {
                k += 1;
            }
            if at(k) == Some(')') {
                return done(Style::LetterDigit, k + 1);
            }
        }
    }
    (Style::None, t, "")
}

/// The first characters of a text, decoded once and only as far as they are looked at
/// (a list label is decided within the first few).
struct HeadChars<'a> {
    text: &'a str,
    /// (byte offset, char) of the first characters decoded so far.
    seen: [Cell<(usize, char)>; HEAD_CHARS],
    /// How many of `seen` are decoded.
    len: Cell<usize>,
}

/// Characters [`HeadChars`] keeps; one further on is found by walking the text.
const HEAD_CHARS: usize = 32;

impl<'a> HeadChars<'a> {
    fn new(text: &'a str) -> Self {
        HeadChars {
            text,
            seen: std::array::from_fn(|_| Cell::new((0, ' '))),
            len: Cell::new(0),
        }
    }

    /// The `k`-th character with its byte offset.
    fn nth(&self, k: usize) -> Option<(usize, char)> {
        if k >= HEAD_CHARS {
            return self.text.char_indices().nth(k);
        }
        let mut n = self.len.get();
        while n <= k {
            let pos = match n {
                0 => 0,
                _ => {
                    let (b, c) = self.seen[n - 1].get();
                    b + c.len_utf8()
                }
            };
            let c = self.text[pos..].chars().next()?;
            self.seen[n].set((pos, c));
            n += 1;
            self.len.set(n);
        }
        Some(self.seen[k].get())
    }

    fn at(&self, k: usize) -> Option<char> {
        self.nth(k).map(|x| x.1)
    }

    /// Byte offset of the `k`-th character (the text's length past the end).
    fn byte(&self, k: usize) -> usize {
        self.nth(k).map(|x| x.0).unwrap_or(self.text.len())
    }
}

/// A step label at the start of a text: "Bước 1", "Bước 2.", "B1", "B5:" → ("Bước 1", rest).
pub(crate) fn step_label(s: &str) -> Option<(String, &str)> {
    let t = s.trim_start();
    // both forms start with a b ("Bước", "B1"): skip folding anything else
    if t.chars().next().map(fold_char) != Some('b') {
        return None;
    }
    let f = fold(t);
    let fc: Vec<char> = f.chars().collect();
    let bytes: Vec<usize> = t.char_indices().map(|x| x.0).collect();
    let byte = |k: usize| bytes.get(k).copied().unwrap_or(t.len());
    // "buoc N"
    if f.starts_with("buoc") {
        let mut k = 4;
        while fc.get(k) == Some(&' ') {
            k += 1;
        }
        let d0 = k;
        while fc.get(k).map(|c| c.is_ascii_digit()).unwrap_or(false) {
            k += 1;
        }
        if k > d0 && !fc.get(k).map(|c| c.is_alphanumeric()).unwrap_or(false) {
            let label = format!("Bước {}", &f[d0..k]);
            let mut r = k;
            while fc
                .get(r)
                .map(|c| matches!(c, ':' | '.' | ')' | ' ' | '-'))
                .unwrap_or(false)
            {
                r += 1;
            }
            return Some((label, &t[byte(r)..]));
        }
        return None;
    }
    // "B1", "B 1"
    if fc.first() == Some(&'b') && t.starts_with('B') {
        let mut k = 1;
        while fc.get(k) == Some(&' ') && k < 2 {
            k += 1;
        }
        let d0 = k;
        while fc.get(k).map(|c| c.is_ascii_digit()).unwrap_or(false) {
            k += 1;
        }
        if k > d0 && k - d0 <= 2 && !fc.get(k).map(|c| c.is_alphanumeric()).unwrap_or(false) {
            let label = format!("B{}", &f[d0..k]);
            let mut r = k;
            while fc
                .get(r)
                .map(|c| matches!(c, ':' | '.' | ')' | ' '))
                .unwrap_or(false)
            {
                r += 1;
            }
            return Some((label, &t[byte(r)..]));
        }
    }
    None
}

/// The "Trách nhiệm: …" and "Thời gian: …" (or "Thời hạn: …") tails of a step paragraph:
/// "Sở gửi báo cáo Trách nhiệm: Sở A. Thời gian: 05 ngày làm việc." → ("Sở gửi báo cáo",
/// Some("Sở A"), Some("05 ngày làm việc")). A tail counts only after some step text.
pub(crate) fn step_tails(s: &str) -> (String, Option<String>, Option<String>) {
    const MARKS: [(&str, bool); 3] = [
        ("trach nhiem:", true),
        ("thoi gian:", false),
        ("thoi han:", false),
    ];
    let t = clean(s);
    // (byte start, byte end, is_responsible) of the last mark of each kind: a mark ends
    // with the only character that folds to ':', so only the words before each colon
    // are folded, and a mark needs a space before it
    let mut found: Vec<(usize, usize, bool)> = Vec::new();
    for (mark, resp) in MARKS {
        let body = mark.trim_end_matches(':');
        let hit = memchr::memrchr_iter(b':', t.as_bytes()).find_map(|colon| {
            let mut before = t[..colon].char_indices().rev();
            let mut start = colon;
            for want in body.chars().rev() {
                let (i, c) = before.next()?;
                if fold_char(c) != want {
                    return None;
                }
                start = i;
            }
            let (_, space) = before.next()?;
            (fold_char(space) == ' ').then_some((start, colon + 1))
        });
        if let Some((start, end)) = hit {
            if !found.iter().any(|x| x.2 == resp) {
                found.push((start, end, resp));
            }
        }
    }
    found.sort_unstable();
    let Some(first) = found.first() else {
        return (t, None, None);
    };
    let text = t[..first.0].trim().to_string();
    if text.is_empty() {
        return (t, None, None);
    }
    let (mut responsible, mut duration) = (None, None);
    for (n, &(_, end, resp)) in found.iter().enumerate() {
        let stop = found.get(n + 1).map(|x| x.0).unwrap_or(t.len());
        let value = strip_end_punct(&t[end..stop]).to_string();
        if value.is_empty() {
            continue;
        }
        if resp {
            responsible = Some(value);
        } else {
            duration = Some(value);
        }
    }
    (text, responsible, duration)
}

/// Split a run-on text at every "Bước N" that starts a sentence ("… Bước 2: …").
pub(crate) fn split_inline_steps(s: &str) -> Vec<(String, String)> {
    let f = fold(s);
    let fc: Vec<char> = f.chars().collect();
    let bytes: Vec<usize> = s.char_indices().map(|x| x.0).collect();
    let mut starts = Vec::new();
    let mut k = 0;
    while k + 4 < fc.len() {
        if fc[k..].starts_with(&['b', 'u', 'o', 'c']) {
            let before_ok = k == 0 || {
                let mut j = k;
                while j > 0 && fc[j - 1] == ' ' {
                    j -= 1;
                }
                j == 0 || matches!(fc[j - 1], '.' | ':' | ';' | ')')
            };
            let word_start = k == 0 || !fc[k - 1].is_alphanumeric();
            let mut m = k + 4;
            while fc.get(m) == Some(&' ') {
                m += 1;
            }
            let digit = fc.get(m).map(|c| c.is_ascii_digit()).unwrap_or(false);
            if before_ok && word_start && digit {
                starts.push(k);
            }
        }
        k += 1;
    }
    let mut out = Vec::new();
    for (n, &st) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(fc.len());
        let b0 = bytes.get(st).copied().unwrap_or(s.len());
        let b1 = bytes.get(end).copied().unwrap_or(s.len());
        let piece = &s[b0..b1];
        if let Some((label, rest)) = step_label(piece) {
            out.push((label, clean(rest)));
        }
    }
    out
}

/// A date written "ngày 18 tháng 11 năm 2025", "ngày 18/11/2025", "18-11-2025" or "18/11/2025".
/// Returns the date and the char range of the match in `s`.
pub(crate) fn find_date(s: &str, need_ngay: bool) -> Option<(NaiveDate, usize, usize)> {
    let f: Vec<char> = fold(s).chars().collect();
    let n = f.len();
    let mut i = 0;
    while i < n {
        let start = i;
        let mut k = i;
        let has_ngay =
            f[k..].starts_with(&['n', 'g', 'a', 'y']) && (k == 0 || !f[k - 1].is_alphabetic());
        if has_ngay {
            k += 4;
            while k < n && f[k] == ' ' {
                k += 1;
            }
        } else if need_ngay || !f[k].is_ascii_digit() || (k > 0 && f[k - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let (d, k2) = read_int(&f, k);
        let Some(d) = d else {
            i += 1;
            continue;
        };
        k = k2;
        // numeric form
        if k < n && matches!(f[k], '/' | '-' | '.') {
            let sep = f[k];
            let (m, k3) = read_int(&f, k + 1);
            if let Some(m) = m {
                if k3 < n && f[k3] == sep {
                    let (y, k4) = read_int(&f, k3 + 1);
                    if let Some(y) = y {
                        if (1900..2200).contains(&y) {
                            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                                return Some((date, start, k4));
                            }
                        }
                    }
                }
            }
        }
        // "thang M nam Y"
        let mut j = k;
        while j < n && f[j] == ' ' {
            j += 1;
        }
        if f[j..].starts_with(&['t', 'h', 'a', 'n', 'g']) {
            j += 5;
            while j < n && f[j] == ' ' {
                j += 1;
            }
            let (m, j2) = read_int(&f, j);
            if let Some(m) = m {
                let mut j = j2;
                while j < n && matches!(f[j], ' ' | ',') {
                    j += 1;
                }
                if f[j..].starts_with(&['n', 'a', 'm']) {
                    j += 3;
                    while j < n && f[j] == ' ' {
                        j += 1;
                    }
                    let (y, j3) = read_int(&f, j);
                    if let Some(y) = y {
                        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                            return Some((date, start, j3));
                        }
                    }
                }
            }
        }
        i += 1;
    }
    None
}

fn read_int(f: &[char], mut k: usize) -> (Option<u32>, usize) {
    let s = k;
    let mut v: u32 = 0;
    while k < f.len() && f[k].is_ascii_digit() && k - s < 5 {
        v = v * 10 + f[k].to_digit(10).unwrap_or(0);
        k += 1;
    }
    if k == s {
        (None, k)
    } else {
        (Some(v), k)
    }
}

/// Characters that may appear inside a ký hiệu ("QĐ-UBND", "VP.UBND.KSTT", "SNN&MT").
fn kyhieu_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '.' | '&' | '_' | '/')
}

/// Read "2691/QĐ-UBND" (tolerating "2827 /QĐ-BGDĐT", "QĐ- UBND", "VP. UBND") at the start of `s`.
/// Returns (số or None when blank, ký hiệu). Spaces are removed from the result.
pub(crate) fn read_so_ky_hieu(s: &str) -> Option<(Option<String>, String)> {
    let cs: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < cs.len() && matches!(cs[k], ' ' | '\t' | '.' | '…' | '_') {
        k += 1;
    }
    let d0 = k;
    while k < cs.len() && cs[k].is_ascii_digit() {
        k += 1;
    }
    let digits: String = cs[d0..k].iter().collect();
    while k < cs.len() && cs[k] == ' ' {
        k += 1;
    }
    if k >= cs.len() || cs[k] != '/' {
        return None;
    }
    k += 1;
    while k < cs.len() && cs[k] == ' ' {
        k += 1;
    }
    let mut sym = String::new();
    while k < cs.len() {
        let c = cs[k];
        if kyhieu_char(c) {
            if c.is_lowercase() && sym.is_empty() {
                break;
            }
            if c == '/' && !cs.get(k + 1).map(|n| n.is_alphanumeric()).unwrap_or(false) {
                break;
            }
            sym.push(c);
            k += 1;
            continue;
        }
        if c == ' ' {
            // continue over one space when the symbol is clearly unfinished ("QĐ- UBND", "VP. UBND")
            let last = sym.chars().last().unwrap_or(' ');
            let next_word: String = cs[k + 1..]
                .iter()
                .take_while(|c| kyhieu_char(**c))
                .collect();
            let next_upper = !next_word.is_empty() && is_upper(&next_word, 1);
            if matches!(last, '-' | '.' | '&') && next_upper && cs.get(k + 1) != Some(&' ') {
                k += 1;
                continue;
            }
        }
        break;
    }
    let sym = sym.trim_end_matches(['.', '-', ',', '/']).to_string();
    // "QĐ-UBND", or "2012/NĐ-CP" after the number (số/năm/ký hiệu)
    let first_ok = sym
        .chars()
        .next()
        .map(|c| c.is_uppercase())
        .unwrap_or(false)
        || (sym.chars().take_while(|c| c.is_ascii_digit()).count() == 4
            && sym.chars().nth(4) == Some('/')
            && sym
                .chars()
                .nth(5)
                .map(|c| c.is_uppercase())
                .unwrap_or(false));
    if sym.is_empty() || !first_ok {
        return None;
    }
    let num = if digits.is_empty() {
        None
    } else {
        Some(digits)
    };
    Some((num, sym))
}

/// The first document number in a text ("… số 14/2012/QH13 …" → "14/2012/QH13").
pub(crate) fn find_doc_number(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        if cs[i].is_ascii_digit() && (i == 0 || !cs[i - 1].is_alphanumeric()) {
            let rest: String = cs[i..].iter().collect();
            if let Some((Some(num), sym)) = read_so_ky_hieu(&rest) {
                // "1/2 ngày" has no upper-case symbol → rejected by read_so_ky_hieu
                if sym.chars().any(|c| c.is_alphabetic()) {
                    return Some(format!("{num}/{sym}"));
                }
            }
        }
        i += 1;
    }
    None
}

/// A duration "05 ngày làm việc", "15 (mười lăm) ngày", "3 giờ", "01 tháng" → (value, unit).
pub(crate) fn parse_duration(s: &str) -> Option<(f64, TimeUnit)> {
    let f: Vec<char> = fold(s).chars().collect();
    let n = f.len();
    let mut i = 0;
    while i < n {
        if f[i].is_ascii_digit() && (i == 0 || !f[i - 1].is_alphanumeric()) {
            let mut k = i;
            let mut num = String::new();
            while k < n
                && (f[k].is_ascii_digit()
                    || (matches!(f[k], ',' | '.') && k + 1 < n && f[k + 1].is_ascii_digit()))
            {
                num.push(if f[k] == ',' { '.' } else { f[k] });
                k += 1;
            }
            let mut value: Option<f64> = num.parse::<f64>().ok();
            if k < n && f[k] == '/' {
                // "1/4 ngày" is a fraction; "30/4/1975" is a date
                let mut m = k + 1;
                let mut den = String::new();
                while m < n && f[m].is_ascii_digit() {
                    den.push(f[m]);
                    m += 1;
                }
                if den.is_empty() || (m < n && matches!(f[m], '/' | '-' | '.')) {
                    while m < n && (f[m].is_ascii_digit() || matches!(f[m], '/' | '-' | '.')) {
                        m += 1;
                    }
                    i = m;
                    continue;
                }
                value = match (value, den.parse::<f64>()) {
                    (Some(a), Ok(b)) if b > 0.0 => Some(a / b),
                    _ => None,
                };
                k = m;
            }
            let mut j = k;
            while j < n && f[j] == ' ' {
                j += 1;
            }
            if j < n && f[j] == '(' {
                while j < n && f[j] != ')' {
                    j += 1;
                }
                j += 1;
                while j < n && f[j] == ' ' {
                    j += 1;
                }
            }
            let rest: String = f[j.min(n)..].iter().collect();
            let unit = if rest.starts_with("ngay lam viec") {
                Some(TimeUnit::WorkingDays)
            } else if rest.starts_with("ngay") {
                Some(TimeUnit::Days)
            } else if rest.starts_with("gio") {
                Some(TimeUnit::Hours)
            } else if rest.starts_with("thang") {
                Some(TimeUnit::Months)
            } else {
                None
            };
            if let (Some(u), Some(v)) = (unit, value) {
                if !(u == TimeUnit::Hours && clock_time(&f[..i], &rest, v)) {
                    return Some((v, u));
                }
            }
            i = k;
            continue;
        }
        i += 1;
    }
    None
}

/// Whether "N giờ" is a time of day, not a duration: "sau 15 giờ", "trước 16 giờ
/// 30", "lúc 8 giờ", "15 giờ 00". `before` is the folded text before the number,
/// `rest` what follows it from "gio". "giờ làm việc" is always a duration.
fn clock_time(before: &[char], rest: &str, hours: f64) -> bool {
    if rest.starts_with("gio lam viec") {
        return false;
    }
    let after = rest.trim_start_matches("gio").trim_start();
    let minutes = after.starts_with(|c: char| c.is_ascii_digit());
    let word: String = {
        let end = before
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |e| e + 1);
        let start = before[..end]
            .iter()
            .rposition(|c| !c.is_alphabetic())
            .map_or(0, |s| s + 1);
        before[start..end].iter().collect()
    };
    let at = matches!(
        word.as_str(),
        "sau" | "truoc" | "luc" | "vao" | "den" | "tu"
    );
    minutes || (at && hours > 0.0 && hours < 24.0)
}

/// Words of a name for comparison (folded, punctuation dropped, a leading "thủ tục" removed).
pub(crate) fn name_words(s: &str) -> Vec<String> {
    let f = fold(s);
    let mut w: Vec<String> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .map(|x| x.to_string())
        .collect();
    if w.len() > 2 && w[0] == "thu" && w[1] == "tuc" {
        w.drain(..2);
    }
    w
}

/// Similarity of two names in 0..1: word LCS ratio, or 0.9 when one is a prefix of the other.
pub(crate) fn name_similarity(a: &str, b: &str) -> f64 {
    let wa = name_words(a);
    let wb = name_words(b);
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    let prefix = short.len() >= 4 && long.starts_with(short);
    let lcs = lcs_len(&wa, &wb);
    let ratio = 2.0 * lcs as f64 / (wa.len() + wb.len()) as f64;
    if prefix {
        ratio.max(0.9)
    } else {
        ratio
    }
}

fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A short ASCII slug: "Cấp Giấy chứng sinh" → "cap-giay-chung-sinh".
pub(crate) fn slug(s: &str, max_words: usize) -> String {
    name_words(s)
        .into_iter()
        .take(max_words)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Join OCR-split syllables in a place name: "Qu ả ng Ngãi" → "Quảng Ngãi". A lower-case
/// piece joins the word before it when it has no vowel or is a single letter.
pub(crate) fn repair_place(s: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        let lower_start = w.chars().next().map(|c| c.is_lowercase()).unwrap_or(false);
        let f = fold(w);
        let vowel = f
            .chars()
            .any(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'));
        let fragment = lower_start && (!vowel || w.chars().count() == 1);
        match out.last_mut() {
            Some(prev) if fragment => prev.push_str(w),
            _ => out.push(w.to_string()),
        }
    }
    out.join(" ")
}

/// Join OCR-split syllables in a personal name: "Đặ ng Văn Minh" → "Đặng Văn Minh".
/// Every syllable of a name starts with a capital, so a lower-case piece continues the previous one.
pub(crate) fn repair_name(s: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        let lower_start = w.chars().next().map(|c| c.is_lowercase()).unwrap_or(false);
        match out.last_mut() {
            Some(prev) if lower_start => prev.push_str(w),
            _ => out.push(w.to_string()),
        }
    }
    out.join(" ")
}

/// For a key found at byte offset `p` of the folded text `folded`: its offset in
/// characters (valid in the original text `s` too), and the code (digits and dots)
/// that follows it in `s`, e.g. after "Mã TTHC:" → "2.002755" (trailing dots kept).
pub(crate) fn code_after(s: &str, folded: &str, p: usize) -> (usize, String) {
    let pc = folded.get(..p).map(|h| h.chars().count()).unwrap_or(0);
    let code = s
        .chars()
        .skip(pc)
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (pc, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_keys_read_lazily_are_the_keys() {
        let texts = [
            "",
            "   ",
            "Điều 1.",
            "  Căn cứ  Luật\tTổ chức\u{a0} chính quyền  ",
            "(1) Thủ tục",
            "THỦ TỤC HÀNH CHÍNH — Đ",
            "Giai đoạn 2: tiếp nhận",
            "a\n\n b",
        ];
        for t in texts {
            let key = fkey(t);
            assert_eq!(KeyChars::new(t).collect::<String>(), key, "{t:?}");
            assert!(key_eq(t, &key), "{t:?}");
            assert!(!key_eq(t, &format!("{key}x")), "{t:?}");
            for n in 0..=key.len() {
                let Some(head) = key.get(..n) else { continue };
                assert!(key_starts_with(t, head), "{t:?} {head:?}");
                assert!(fkey_head(t, n).starts_with(head), "{t:?} {n}");
            }
            assert!(!key_starts_with(t, &format!("{key} x")), "{t:?}");
        }
        assert!(key_starts_with("  ĐIỀU  5. Căn", "dieu 5. can"));
        assert!(!key_starts_with("Điều", "dieu "));
        assert!(key_eq("Như  trên", "nhu tren"));
        assert!(!key_eq("Như trên nữa", "nhu tren"));
    }

    #[test]
    fn clean_is_split_whitespace_joined() {
        let texts = [
            "",
            " ",
            "a",
            "  a  b ",
            "a\tb\n\nc",
            "Sở\u{a0}Tư\u{2003}pháp\u{3000}x\u{85}y\u{1680}z",
            "\u{a0}Điều 1.\u{202f} Công bố\u{2028}",
            "a \u{a0}b  \u{205f}c\u{b}d\u{c}e\rf\u{1c}g",
            "ồ ạ ở — “x” … ·",
        ];
        for t in texts {
            let old = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(clean(t), old, "{t:?}");
        }
        for u in (0..0x3100u32).chain([0x1680, 0x3000, 0xfeff]) {
            let Some(c) = char::from_u32(u) else { continue };
            for t in [
                format!("a{c}b {c} {c}{c}c"),
                format!("a{c}b {c}c"),
                c.to_string(),
            ] {
                let old = t.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(clean(&t), old, "{u:x}");
            }
        }
    }

    #[test]
    fn only_a_colon_folds_to_a_colon() {
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(fold_char(c) == ':', c == ':', "{u:x}");
        }
    }

    #[test]
    fn visible_chars_are_the_non_whitespace_chars() {
        for u in (0..0x3100u32).chain([0xfeff, 0x1f600]) {
            let Some(c) = char::from_u32(u) else { continue };
            for t in [
                format!("a{c}b {c}\t{c}{c}ồ"),
                format!("a{c}b {c} ồ"),
                c.to_string(),
            ] {
                let old = t.chars().filter(|c| !c.is_whitespace()).count();
                assert_eq!(visible_chars(&t), old, "{u:x}");
            }
        }
    }

    #[test]
    fn fast_fold_matches_the_definition() {
        for u in 0..0x3_0000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(fold_char(c), fold_char_slow(c), "U+{u:04X}");
            }
        }
        for s in [
            "",
            "  ",
            " Điều 1.\tBan hành\u{a0} kèm\n theo ",
            "THỦ TỤC\u{2003}HÀNH  CHÍNH",
            "a\u{85}b",
        ] {
            let slow: String = s.chars().map(fold_char_slow).collect();
            assert_eq!(fold(s), slow);
            assert_eq!(
                fkey(s),
                slow.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            assert_eq!(clean(s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn dates_in_words_and_digits() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 18).unwrap();
        assert_eq!(
            find_date("Quảng Trị, ngày 18 tháng 11 năm 2025", true)
                .unwrap()
                .0,
            d
        );
        assert_eq!(find_date("ngày 18/11/2025", true).unwrap().0, d);
        assert_eq!(find_date("18/11/2025", false).unwrap().0, d);
        assert_eq!(find_date("Ban hành: 18-11-2025", false).unwrap().0, d);
        let d = NaiveDate::from_ymd_opt(2008, 5, 14).unwrap();
        assert_eq!(
            find_date("Đồng Xoài, ngày 14 tháng5 năm 2008", true)
                .unwrap()
                .0,
            d
        );
        assert!(find_date("Quảng Ninh, ngày   tháng 7 năm 2026", true).is_none());
        assert!(find_date("ngày       /4/2026", true).is_none());
    }

    #[test]
    fn numbers_with_stray_spaces() {
        assert_eq!(
            read_so_ky_hieu(" 2827 /QĐ-BGDĐT"),
            Some((Some("2827".into()), "QĐ-BGDĐT".into()))
        );
        assert_eq!(
            read_so_ky_hieu("294/QĐ-VP. UBND.KSTT ngày 10/7/2026"),
            Some((Some("294".into()), "QĐ-VP.UBND.KSTT".into()))
        );
        assert_eq!(
            read_so_ky_hieu("        /QĐ-VP.UBND.KSTT"),
            Some((None, "QĐ-VP.UBND.KSTT".into()))
        );
        assert_eq!(
            read_so_ky_hieu("991/QĐ-UBND      Đồng Xoài"),
            Some((Some("991".into()), "QĐ-UBND".into()))
        );
        assert_eq!(
            find_doc_number("Nghị định số 255/2025/NĐ-CP ngày 29/9/2025"),
            Some("255/2025/NĐ-CP".into())
        );
        assert_eq!(find_doc_number("1/2 ngày"), None);
    }

    #[test]
    fn labels_of_every_style() {
        assert_eq!(split_label("1. Trình tự").0, Style::Arabic);
        assert_eq!(split_label("1.11. Căn cứ").0, Style::Dotted);
        assert_eq!(split_label("2.1 Trình tự").0, Style::Dotted);
        assert_eq!(
            split_label("(3.1) Đối với trường hợp"),
            (Style::Dotted, "Đối với trường hợp")
        );
        assert_eq!(split_label("(3.) Ba").0, Style::None);
        assert_eq!(split_label("a) Trình tự").0, Style::Letter);
        assert_eq!(split_label("đ) Cơ quan").0, Style::Letter);
        assert_eq!(split_label("(1) Hồ sơ").0, Style::Paren);
        assert_eq!(split_label("II. THỦ TỤC").0, Style::Roman);
        assert_eq!(split_label("B. THỦ TỤC").0, Style::Upper);
        assert_eq!(split_label("- Bước 1").0, Style::Dash);
        assert_eq!(split_label("+ Bước 1").0, Style::Plus);
        assert_eq!(split_label("* Thành phần").0, Style::Star);
        assert_eq!(split_label("a1) Văn bản").0, Style::LetterDigit);
        assert_eq!(split_label("1/4 ngày").0, Style::None);
        assert_eq!(split_label("15 ngày").0, Style::None);
        assert_eq!(split_label("1. Trình tự").1, "Trình tự");
        assert_eq!(step_label("Bước 2: Thẩm định").unwrap().0, "Bước 2");
        assert_eq!(step_label("B5").unwrap().0, "B5");
        assert!(step_label("Ban hành").is_none());
        let s = split_inline_steps("Bước 1: Cá nhân chuẩn bị. Bước 2: Nộp hồ sơ. Bước 3: Nhận.");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn durations_and_names() {
        assert_eq!(
            parse_duration("Trong thời hạn 15 (mười lăm) ngày làm việc"),
            Some((15.0, TimeUnit::WorkingDays))
        );
        assert_eq!(parse_duration("0,5 giờ"), Some((0.5, TimeUnit::Hours)));
        // a time of day is not a duration
        assert_eq!(
            parse_duration("Trong ngày; hồ sơ nhận sau 15 giờ thì trả vào ngày làm việc tiếp theo"),
            None
        );
        assert_eq!(
            parse_duration("Nhận trước 10 giờ 30: trả sau 02 ngày làm việc"),
            Some((2.0, TimeUnit::WorkingDays))
        );
        assert_eq!(
            parse_duration("sau 8 giờ làm việc"),
            Some((8.0, TimeUnit::Hours))
        );
        assert_eq!(
            parse_duration("trong 48 giờ"),
            Some((48.0, TimeUnit::Hours))
        );
        assert_eq!(parse_duration("sau 24 giờ"), Some((24.0, TimeUnit::Hours)));
        assert_eq!(parse_duration("1/4 ngày"), Some((0.25, TimeUnit::Days)));
        assert_eq!(
            parse_duration("sau ngày 30/4/1975 trong 10 ngày"),
            Some((10.0, TimeUnit::Days))
        );
        assert_eq!(repair_name("Đặ ng Văn Minh"), "Đặng Văn Minh");
        assert_eq!(repair_place("Qu ả ng Ngãi"), "Quảng Ngãi");
        assert_eq!(
            repair_place("Thành phố Hồ Chí Minh"),
            "Thành phố Hồ Chí Minh"
        );
        assert!(name_similarity("Thủ tục Cấp Giấy chứng sinh", "Cấp giấy chứng sinh") > 0.99);
        assert!(
            name_similarity(
                "Ban hành kế hoạch xử lý ô nhiễm",
                "Ban hành kế hoạch xử lý ô nhiễm thuộc trường hợp"
            ) >= 0.9
        );
        assert_eq!(slug("Cấp Giấy chứng sinh", 6), "cap-giay-chung-sinh");
        assert_eq!(sentence_case("CÔNG TÁC DÂN TỘC"), "Công tác dân tộc");
    }
}
