//! The tokenizer under [`super::xml::XmlReader`]: it cuts a part held whole in memory
//! into tags, character data, references and other markup, each token borrowed
//! from the part.
//!
//! It reads what `quick_xml::Reader` reads over a byte slice (same tokens, same
//! well-formedness checks: tags closed, end tags matching their start tags,
//! references ended by `;`, UTF-8), and hands out quick-xml's event types, so the
//! readers above it are unchanged. What differs is the UTF-8 check: quick-xml
//! checks each token on its own, a call per tag and per text; here the part is
//! checked a window of [`WINDOW`] bytes at a time as reading reaches it, and a token
//! inside the checked window is taken as it is. Subtrees the reader passes over
//! unread are not checked, as with quick-xml.

use memchr::{memchr, memchr2, memchr3};
use quick_xml::events::{BytesRef, BytesStart, BytesText};

/// Bytes checked as UTF-8 at a time, from the start of the first token outside the
/// window checked before.
const WINDOW: usize = 64 * 1024;

/// One token of a part.
pub(crate) enum Token<'x> {
    /// A start tag `<name attrs>`.
    Start(BytesStart<'x>),
    /// An empty-element tag `<name attrs/>`.
    Empty(BytesStart<'x>),
    /// An end tag, checked against the start tag it closes.
    End,
    /// Character data up to the next markup or reference (never empty).
    Text(BytesText<'x>),
    /// The content of a CDATA section.
    CData(&'x str),
    /// A character or entity reference `&name;` (the name between `&` and `;`).
    Ref(BytesRef<'x>),
    /// A comment, processing instruction, XML declaration or DOCTYPE.
    Other,
    /// The end of the part.
    Eof,
}

/// A syntax error: where in the part (byte offset) and what.
#[derive(Debug)]
pub(crate) struct TokenError {
    pub(crate) pos: usize,
    pub(crate) msg: String,
}

fn error(pos: usize, msg: impl Into<String>) -> TokenError {
    TokenError {
        pos,
        msg: msg.into(),
    }
}

/// XML whitespace (the `S` production).
pub(crate) fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Tokenizer over one part.
pub(crate) struct Tokenizer<'x> {
    bytes: &'x [u8],
    /// Offset of the next byte to read.
    pos: usize,
    /// Bytes found to be valid UTF-8: `bytes[checked_at..checked_at + checked.len()]`.
    checked: &'x str,
    checked_at: usize,
    /// Open elements: where each name starts in `bytes`, and its length.
    open: Vec<(usize, usize)>,
}

impl<'x> Tokenizer<'x> {
    /// A tokenizer at the start of `bytes`, past a UTF-8 byte order mark.
    pub(crate) fn new(bytes: &'x [u8]) -> Self {
        let pos = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Tokenizer {
            bytes,
            pos,
            checked: "",
            checked_at: 0,
            open: Vec::new(),
        }
    }

    /// Offset in the part of the next byte to read.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Elements open at the reading position.
    pub(crate) fn depth(&self) -> usize {
        self.open.len()
    }

    /// Size of the part in bytes.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'x [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Pass over the next `n` bytes unread (the content of a subtree whose end tag
    /// was found in the raw bytes; that end tag is read as usual next).
    pub(crate) fn pass_over(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.bytes.len());
    }

    /// `bytes[a..b]` as text, where `a` and `b` are offsets next to ASCII markup
    /// (so on character boundaries when the bytes are valid UTF-8).
    #[inline]
    fn text(&mut self, a: usize, b: usize) -> Result<&'x str, TokenError> {
        if let Some(s) = a
            .checked_sub(self.checked_at)
            .and_then(|i| self.checked.get(i..i + (b - a)))
        {
            return Ok(s);
        }
        self.check_from(a, b)
    }

    /// Check a new window from `a` (at least up to `b`), and take `bytes[a..b]` from it.
    #[cold]
    fn check_from(&mut self, a: usize, b: usize) -> Result<&'x str, TokenError> {
        let end = b.max(a.saturating_add(WINDOW)).min(self.bytes.len());
        let raw = self.bytes.get(a..end).unwrap_or_default();
        // SIMD check first (most windows are valid); the standard one tells where
        // a window stops being valid
        let good = match simdutf8::basic::from_utf8(raw).or_else(|_| std::str::from_utf8(raw)) {
            Ok(s) => s,
            // a window may end inside a character, or the part hold bytes that are
            // not UTF-8: keep what is valid, the token decides
            Err(e) => raw
                .get(..e.valid_up_to())
                .and_then(|v| std::str::from_utf8(v).ok())
                .unwrap_or_default(),
        };
        self.checked = good;
        self.checked_at = a;
        good.get(..b - a)
            .ok_or_else(|| error(a + good.len(), "invalid UTF-8: the part is not UTF-8 text"))
    }

    /// The next token.
    pub(crate) fn next(&mut self) -> Result<Token<'x>, TokenError> {
        let at = self.pos;
        let rest = self.rest();
        match rest.first() {
            None => Ok(Token::Eof),
            Some(b'<') => self.markup(at),
            Some(b'&') => {
                let after = at + 1;
                let name = rest.get(1..).unwrap_or_default();
                match memchr3(b';', b'&', b'<', name) {
                    Some(i) if name.get(i) == Some(&b';') => {
                        let s = self.text(after, after + i)?;
                        self.pos = after + i + 1;
                        Ok(Token::Ref(BytesRef::new(s)))
                    }
                    _ => Err(error(at, "a reference (`&`) is not closed by `;`")),
                }
            }
            Some(_) => {
                let len = memchr2(b'<', b'&', rest).unwrap_or(rest.len());
                let s = self.text(at, at + len)?;
                self.pos = at + len;
                Ok(Token::Text(BytesText::from_escaped(s)))
            }
        }
    }

    /// Markup starting with `<` at `at`.
    fn markup(&mut self, at: usize) -> Result<Token<'x>, TokenError> {
        let bytes = self.bytes;
        match bytes.get(at + 1) {
            None => Err(error(at, "unclosed tag: the part ends after `<`")),
            Some(b'/') => {
                let from = at + 2;
                // an end tag is a name of a few bytes: a plain loop beats a library search
                let Some(gt) = bytes
                    .get(from..)
                    .and_then(|r| r.iter().position(|&b| b == b'>'))
                else {
                    return Err(error(at, "unclosed end tag: no `>`"));
                };
                let gt = from + gt;
                let content = bytes.get(from..gt).unwrap_or_default();
                let name_len = content
                    .iter()
                    .rposition(|&b| !is_xml_space(b))
                    .map_or(0, |p| p + 1);
                let name = content.get(..name_len).unwrap_or_default();
                match self.open.pop() {
                    // names mostly share their prefix: compared from the end
                    Some((s, n))
                        if n == name.len()
                            && bytes
                                .get(s..s + n)
                                .is_some_and(|o| o.iter().rev().eq(name.iter().rev())) => {}
                    Some((s, n)) => {
                        let expected =
                            String::from_utf8_lossy(bytes.get(s..s + n).unwrap_or_default());
                        let found = String::from_utf8_lossy(name);
                        return Err(error(
                            at,
                            format!(
                                "the end tag `</{found}>` does not close the open element `<{expected}>`"
                            ),
                        ));
                    }
                    None => {
                        let found = String::from_utf8_lossy(name);
                        return Err(error(
                            at,
                            format!("the end tag `</{found}>` closes no open element"),
                        ));
                    }
                }
                self.pos = gt + 1;
                Ok(Token::End)
            }
            Some(b'?') => {
                // `<??>` at the least
                let end = find_close(bytes, at + 3, b'?')
                    .ok_or_else(|| error(at, "unclosed processing instruction: no `?>`"))?;
                self.pos = end;
                Ok(Token::Other)
            }
            Some(b'!') => self.bang(at),
            Some(_) => self.tag(at),
        }
    }

    /// A start or empty-element tag at `at`.
    #[inline]
    fn tag(&mut self, at: usize) -> Result<Token<'x>, TokenError> {
        let bytes = self.bytes;
        let from = at + 1;
        let gt = tag_end(bytes, from).ok_or_else(|| {
            error(
                at,
                "unclosed tag: no `>` (or an attribute value is not closed)",
            )
        })?;
        let empty = gt > from && bytes.get(gt - 1) == Some(&b'/');
        let end = if empty { gt - 1 } else { gt };
        let content = self.text(from, end)?;
        let name_len = content
            .bytes()
            .position(is_xml_space)
            .unwrap_or(content.len());
        self.pos = gt + 1;
        let e = BytesStart::from_content(content, name_len);
        if empty {
            Ok(Token::Empty(e))
        } else {
            self.open.push((from, name_len));
            Ok(Token::Start(e))
        }
    }

    /// Markup starting with `<!` at `at`: a comment, a CDATA section or a DOCTYPE.
    fn bang(&mut self, at: usize) -> Result<Token<'x>, TokenError> {
        let bytes = self.bytes;
        let rest = bytes.get(at..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            let end = find_close_double(bytes, at + 4, b'-')
                .ok_or_else(|| error(at, "unclosed comment: no `-->`"))?;
            self.pos = end;
            Ok(Token::Other)
        } else if rest.starts_with(b"<![CDATA[") {
            let from = at + 9;
            let end = find_close_double(bytes, from, b']')
                .ok_or_else(|| error(at, "unclosed CDATA section: no `]]>`"))?;
            let s = self.text(from, end - 3)?;
            self.pos = end;
            Ok(Token::CData(s))
        } else if rest
            .get(..9)
            .is_some_and(|h| h.eq_ignore_ascii_case(b"<!DOCTYPE"))
        {
            // an internal subset nests markup: count `<` and `>`
            let mut depth = 0usize;
            for (k, &b) in rest.iter().enumerate().skip(9) {
                match b {
                    b'<' => depth += 1,
                    b'>' if depth == 0 => {
                        self.pos = at + k + 1;
                        return Ok(Token::Other);
                    }
                    b'>' => depth -= 1,
                    _ => {}
                }
            }
            Err(error(at, "unclosed DOCTYPE: no `>`"))
        } else {
            Err(error(
                at,
                "unknown markup after `<!` (not a comment, CDATA section or DOCTYPE)",
            ))
        }
    }
}

/// Offset of the `>` that ends the tag whose name starts at `from`: the first `>`
/// outside quoted attribute values.
#[inline]
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut i = 0;
    loop {
        let k = memchr3(b'>', b'"', b'\'', rest.get(i..)?)?;
        let c = *rest.get(i + k)?;
        if c == b'>' {
            return Some(from + i + k);
        }
        i += k + 1;
        // values are short (ids, sizes, font names): a plain loop to the closing quote
        i += rest.get(i..)?.iter().position(|&b| b == c)? + 1;
    }
}

/// Offset just past the first `c>` (e.g. `?>`) whose `c` is at `from` or later.
fn find_close(bytes: &[u8], from: usize, c: u8) -> Option<usize> {
    let mut i = from.checked_sub(1)?;
    loop {
        let k = memchr(b'>', bytes.get(i + 1..)?)?;
        let gt = i + 1 + k;
        if gt > from && bytes.get(gt - 1) == Some(&c) {
            return Some(gt + 1);
        }
        i = gt;
    }
}

/// Offset just past the first `cc>` (`-->`, `]]>`) whose first `c` is at `from` or later.
fn find_close_double(bytes: &[u8], from: usize, c: u8) -> Option<usize> {
    let mut i = from;
    loop {
        let k = memchr(b'>', bytes.get(i..)?)?;
        let gt = i + k;
        if gt >= from + 2 && bytes.get(gt - 2..gt) == Some(&[c, c][..]) {
            return Some(gt + 1);
        }
        i = gt + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `xml` in a short notation, or the error's offset and message.
    fn tokens(xml: &[u8]) -> Result<Vec<String>, (usize, String)> {
        let mut t = Tokenizer::new(xml);
        let mut out = Vec::new();
        loop {
            let tok = t.next().map_err(|e| (e.pos, e.msg))?;
            out.push(match tok {
                Token::Start(e) => format!("<{}|{}>", e.name().as_ref(), e.attributes_raw()),
                Token::Empty(e) => format!("<{}|{}/>", e.name().as_ref(), e.attributes_raw()),
                Token::End => "</>".into(),
                Token::Text(s) => format!("T({})", &*s),
                Token::CData(s) => format!("C({s})"),
                Token::Ref(r) => format!("&{};", &*r),
                Token::Other => "?".into(),
                Token::Eof => break,
            });
        }
        Ok(out)
    }

    #[test]
    fn tags_text_and_references_are_cut_as_written() {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?><!-- c > d --><w:p a=\"x>y\" b='\"'><w:t xml:space=\"preserve\">Số 5 &amp; &#7897;</w:t ><w:br/><![CDATA[a]]b]]></w:p>";
        assert_eq!(
            tokens(xml.as_bytes()).expect("well-formed"),
            [
                "?",
                "?",
                "<w:p| a=\"x>y\" b='\"'>",
                "<w:t| xml:space=\"preserve\">",
                "T(Số 5 )",
                "&amp;",
                "T( )",
                "&#7897;",
                "</>",
                "<w:br|/>",
                "C(a]]b)",
                "</>",
            ]
        );
    }

    #[test]
    fn doctype_with_an_internal_subset_is_passed_over() {
        let xml = b"<!DOCTYPE d [<!ENTITY e \"x\">]><d/>";
        assert_eq!(tokens(xml).expect("well-formed"), ["?", "<d|/>"]);
    }

    #[test]
    fn ill_formed_markup_is_an_error_at_its_start() {
        let cases: [(&[u8], usize, &str); 8] = [
            (b"<a><b></a>", 6, "does not close the open element `<b>`"),
            (b"<a></a></b>", 7, "closes no open element"),
            (b"<a>x &amp y</a>", 5, "not closed by `;`"),
            (b"<a x=\"1></a>", 0, "an attribute value is not closed"),
            (b"<a", 0, "unclosed tag"),
            (b"<a><!-- x -></a>", 3, "unclosed comment"),
            (b"<a><!x></a>", 3, "unknown markup"),
            (b"<a>\xC3\x28</a>", 3, "invalid UTF-8"),
        ];
        for (xml, pos, msg) in cases {
            let (at, got) = tokens(xml).expect_err("ill-formed");
            assert_eq!(at, pos, "{got}");
            assert!(got.contains(msg), "{got}");
        }
    }

    #[test]
    fn text_across_checked_windows_is_whole() {
        // a long run of two-byte characters, so windows end inside characters
        let long = "ộ".repeat(WINDOW);
        let xml = format!("<a>{long}<b>{long}</b></a>");
        let got = tokens(xml.as_bytes()).expect("well-formed");
        assert_eq!(got.len(), 6);
        assert_eq!(got[1], format!("T({long})"));
        assert_eq!(got[3], format!("T({long})"));
    }
}
