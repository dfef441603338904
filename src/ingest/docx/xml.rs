//! A thin streaming layer over the tokenizer ([`super::tokens`]): namespace
//! classification, a depth cap, error mapping, subtrees passed over unread, and
//! small attribute and measure helpers.

use std::borrow::Cow;
use std::io::{self, Read};

use quick_xml::events::{BytesCData, BytesRef, BytesStart, BytesText};
use quick_xml::name::NamespaceResolver;
use quick_xml::name::{Namespace, QName, ResolveResult};
use quick_xml::XmlVersion;

use super::tokens::{is_xml_space, Token, TokenError, Tokenizer};

use crate::ingest::{IngestError, Limits};

/// WordprocessingML, transitional.
const W_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// WordprocessingML, Strict (ISO 29500 strict).
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Markup compatibility (`mc:AlternateContent`).
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// DrawingML main (themes).
const A_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const A_STRICT: &str = "http://purl.oclc.org/ooxml/drawingml/main";
/// Package relationships.
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The namespaces the readers care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML (either flavour).
    W,
    /// Markup compatibility.
    Mc,
    /// DrawingML main.
    A,
    /// Package relationships.
    Rel,
    /// Anything else, or no namespace.
    Other,
}

fn classify(uri: &str) -> Ns {
    match uri {
        W_TRANSITIONAL | W_STRICT => Ns::W,
        MC => Ns::Mc,
        A_TRANSITIONAL | A_STRICT => Ns::A,
        REL => Ns::Rel,
        _ => Ns::Other,
    }
}

fn classify_result(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(Namespace(uri)) => classify(uri),
        _ => Ns::Other,
    }
}

/// Namespaces whose `mc:Choice` content we can read: text boxes and shapes
/// (their `w:txbxContent`), and Word 2010+ extensions that carry ordinary text.
pub(crate) fn understood_namespace(uri: &str) -> bool {
    const KNOWN: &[&str] = &[
        W_TRANSITIONAL,
        W_STRICT,
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
        "http://schemas.microsoft.com/office/word/2010/wordml",
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "http://schemas.microsoft.com/office/drawing/2010/main",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "urn:schemas-microsoft-com:vml",
        "urn:schemas-microsoft-com:office:office",
    ];
    KNOWN.contains(&uri)
}

/// One event, with the element namespace already classified.
pub(crate) enum Ev<'b> {
    Start(Ns, BytesStart<'b>),
    Empty(Ns, BytesStart<'b>),
    End,
    Text(BytesText<'b>),
    CData(String),
    Ref(BytesRef<'b>),
    /// Comments, declarations, processing instructions, DOCTYPE.
    Other,
    Eof,
}

/// Error payload of [`Capped`] when the limit is passed; recognised in [`XmlReader`].
#[derive(Debug)]
struct LimitExceeded;

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("size limit exceeded")
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader that fails once more than `limit` bytes have come through it.
/// Wrapped around the inflating zip entry, so the real inflated size is checked.
pub(crate) struct Capped<R> {
    inner: R,
    remaining: u64,
}

impl<R> Capped<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            remaining: limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.remaining {
            self.remaining = 0;
            return Err(io::Error::other(LimitExceeded));
        }
        self.remaining -= n64;
        Ok(n)
    }
}

/// True when the I/O error came from [`Capped`].
fn is_limit(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<LimitExceeded>().is_some())
}

/// Map an I/O error met while reading a part into an [`IngestError`].
pub(crate) fn io_error(part: &str, limit: u64, e: &io::Error) -> IngestError {
    if is_limit(e) {
        IngestError::TooLarge {
            part: part.to_string(),
            limit,
        }
    } else {
        IngestError::CorruptZip(format!("{part}: {e}"))
    }
}

/// Scanner state of [`EndFinder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Character data or a tag of no interest: look for the next `<`.
    Text,
    /// Just after `<`: the first bytes tell the kind of markup.
    Head,
    /// Inside a start tag (`close` false) or end tag (`close` true) of the
    /// skipped element's name, up to its `>`; `quote` is the open attribute
    /// quote, or 0.
    Tag { close: bool, quote: u8 },
    /// Inside `<!-- … -->`; number of `-` just seen.
    Comment(u8),
    /// Inside `<![CDATA[ … ]]>`; number of `]` just seen.
    CData(u8),
    /// Inside `<? … ?>`; whether `?` was just seen.
    Pi(bool),
}

/// Finds, in raw bytes fed chunk by chunk, the end tag closing an element whose
/// start tag has just been read.
///
/// In well-formed XML a `<` outside comments, CDATA sections and processing
/// instructions always starts a tag (attribute values cannot hold one), so only
/// `<` is searched for; the tag is read to its `>` (quotes respected) only when
/// it carries the skipped element's name, which nests.
struct EndFinder<'n> {
    name: &'n [u8],
    depth: usize,
    scan: Scan,
    /// Bytes after `<` while the kind is undecided (at most the name and two more).
    head: Vec<u8>,
    /// The byte before the current one inside a tag (to tell `/>`).
    prev: u8,
}

impl<'n> EndFinder<'n> {
    fn new(name: &'n [u8]) -> Self {
        EndFinder {
            name,
            depth: 0,
            scan: Scan::Text,
            // filled only on the slow path (markup cut by the chunk's end, `<!`, `<?`)
            head: Vec::new(),
            prev: 0,
        }
    }

    /// Decide the kind of markup from `head` and the next byte `b` (not yet
    /// consumed); `None` while undecided (then `b` belongs to the head).
    fn classify(&self, b: u8) -> Option<Scan> {
        let h = &self.head[..];
        let name_tag = |close| Scan::Tag { close, quote: 0 };
        match h.first() {
            None => match b {
                b'!' | b'?' | b'/' => None,
                _ if self.name.first() == Some(&b) => None,
                _ => Some(Scan::Text),
            },
            Some(b'?') => Some(Scan::Pi(b == b'?')),
            Some(b'!') => {
                const COMMENT: &[u8] = b"!--";
                const CDATA: &[u8] = b"![CDATA[";
                let n = h.len();
                let next_is = |pat: &[u8]| pat.get(..n) == Some(h) && pat.get(n) == Some(&b);
                if next_is(COMMENT) && n + 1 == COMMENT.len() {
                    Some(Scan::Comment(0))
                } else if next_is(CDATA) && n + 1 == CDATA.len() {
                    Some(Scan::CData(0))
                } else if next_is(COMMENT) || next_is(CDATA) {
                    None
                } else {
                    Some(Scan::Text)
                }
            }
            Some(b'/') => {
                let got = h.get(1..).unwrap_or_default();
                if got.len() == self.name.len() {
                    Some(if is_xml_space(b) || b == b'>' {
                        name_tag(true)
                    } else {
                        Scan::Text
                    })
                } else if self.name.get(got.len()) == Some(&b) {
                    None
                } else {
                    Some(Scan::Text)
                }
            }
            Some(_) => {
                if h.len() == self.name.len() {
                    Some(if is_xml_space(b) || b == b'>' || b == b'/' {
                        name_tag(false)
                    } else {
                        Scan::Text
                    })
                } else if self.name.get(h.len()) == Some(&b) {
                    None
                } else {
                    Some(Scan::Text)
                }
            }
        }
    }

    /// The kind of the markup starting at `after` (the bytes after a `<`) when
    /// they are all in this chunk and it is a tag: the bytes to pass over and the
    /// next state. `None` leaves the decision to [`EndFinder::classify`].
    fn quick_head(&mut self, after: &[u8]) -> Option<(usize, Scan)> {
        let n = self.name.len();
        let (close, body) = match after.first()? {
            b'!' | b'?' => return None,
            b'/' => (true, after.get(1..)?),
            _ => (false, after),
        };
        let delim = *body.get(n)?;
        let ends_name = is_xml_space(delim) || delim == b'>' || (!close && delim == b'/');
        // names are a few bytes and mostly share their prefix with the sought one:
        // a plain loop from the end beats a library comparison
        let same = body
            .get(..n)
            .is_some_and(|b| b.iter().rev().eq(self.name.iter().rev()));
        if !ends_name || !same {
            return Some((0, Scan::Text));
        }
        self.prev = body.get(n.wrapping_sub(1)).copied().unwrap_or(b'<');
        Some((n + usize::from(close), Scan::Tag { close, quote: 0 }))
    }

    /// Scan a chunk; `Some(n)` when the closing end tag ends at byte `n` (its
    /// `>` included), `None` when the whole chunk was passed over.
    fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        let mut i = 0;
        while let Some(&b) = chunk.get(i) {
            let rest = chunk.get(i..).unwrap_or_default();
            match self.scan {
                Scan::Text => match memchr::memchr(b'<', rest) {
                    Some(k) => {
                        i += k + 1;
                        match self.quick_head(rest.get(k + 1..).unwrap_or_default()) {
                            Some((used, next)) => {
                                i += used;
                                self.scan = next;
                            }
                            None => {
                                self.head.clear();
                                self.scan = Scan::Head;
                            }
                        }
                    }
                    None => return None,
                },
                Scan::Head => match self.classify(b) {
                    None => {
                        self.head.push(b);
                        i += 1;
                    }
                    Some(next) => {
                        // the `?`, `-` or `[` that decided is part of the opener
                        if matches!(next, Scan::Pi(_) | Scan::Comment(_) | Scan::CData(_)) {
                            i += 1;
                        }
                        self.prev = self.head.last().copied().unwrap_or(b'<');
                        self.scan = next;
                    }
                },
                Scan::Tag { close, quote } if quote != 0 => match memchr::memchr(quote, rest) {
                    Some(k) => {
                        i += k + 1;
                        self.prev = quote;
                        self.scan = Scan::Tag { close, quote: 0 };
                    }
                    None => return None,
                },
                Scan::Tag { close, .. } => {
                    let Some(k) = memchr::memchr3(b'>', b'"', b'\'', rest) else {
                        if let Some(&last) = rest.last() {
                            self.prev = last;
                        }
                        return None;
                    };
                    let prev = match k.checked_sub(1).and_then(|j| rest.get(j)) {
                        Some(&p) => p,
                        None => self.prev,
                    };
                    i += k + 1;
                    let c = rest.get(k).copied().unwrap_or(b'>');
                    if c != b'>' {
                        self.prev = c;
                        self.scan = Scan::Tag { close, quote: c };
                        continue;
                    }
                    self.scan = Scan::Text;
                    if !close {
                        if prev != b'/' {
                            self.depth += 1;
                        }
                    } else if self.depth == 0 {
                        return Some(i);
                    } else {
                        self.depth -= 1;
                    }
                }
                Scan::Comment(dashes) => {
                    self.scan = match b {
                        b'-' => Scan::Comment(dashes.saturating_add(1)),
                        b'>' if dashes >= 2 => Scan::Text,
                        _ => Scan::Comment(0),
                    };
                    i += 1;
                }
                Scan::CData(brackets) => {
                    self.scan = match b {
                        b']' => Scan::CData(brackets.saturating_add(1)),
                        b'>' if brackets >= 2 => Scan::Text,
                        _ => Scan::CData(0),
                    };
                    i += 1;
                }
                Scan::Pi(question) => {
                    self.scan = match b {
                        b'>' if question => Scan::Text,
                        _ => Scan::Pi(b == b'?'),
                    };
                    i += 1;
                }
            }
        }
        None
    }
}

/// Streaming XML reader over one package part, held inflated in memory.
///
/// Namespaces are resolved here rather than by `quick_xml::NsReader`, which scans
/// the attributes of every start tag for declarations and resolves every name
/// against all bindings in scope (Word declares 30-40 on the root): a start tag
/// is scanned only when its attributes mention `xmlns`, and the namespace class of
/// each prefix is remembered until the bindings change.
///
/// Holding the whole part lets a subtree be looked at before it is read
/// ([`XmlReader::subtree_content`]) and passed over without tokenizing it.
pub(crate) struct XmlReader<'x> {
    /// The tokenizer over the whole part; it also knows the open elements.
    tokens: Tokenizer<'x>,
    resolver: NamespaceResolver,
    /// Open elements that declared namespaces (a resolver scope each): their
    /// depth and the serial number of their scope.
    scopes: Vec<(usize, u64)>,
    /// Serial number of the last scope opened.
    scope_serial: u64,
    /// The last event was an empty element that declared namespaces: pop its scope.
    pending_pop: bool,
    /// Namespace class per element prefix (`""`: none) under the current bindings.
    prefix_cache: Vec<(Box<str>, Ns)>,
    part: String,
    max_depth: usize,
    limits: Limits,
}

/// Whether a start tag may declare namespaces (`xmlns` or `xmlns:p` attributes).
///
/// Word's attributes seldom hold an `x` at all (ids are upper-case hex), so looking
/// for `x` and then at what follows beats a substring search set up per tag.
fn declares_namespaces(e: &BytesStart<'_>) -> bool {
    let raw = e.attributes_raw().as_bytes();
    // ` xmlns=""` at the least; most tags have no attributes or one short one
    raw.len() >= 9 && memchr::memchr_iter(b'x', raw).any(|i| raw.get(i..i + 5) == Some(b"xmlns"))
}

/// Where the subtree of an element just opened ends, in the bytes that follow its
/// start tag: the offset of its end tag's `<` and of the byte after its `>`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SubtreeEnd {
    content: usize,
    end: usize,
}

impl<'x> XmlReader<'x> {
    pub(crate) fn new(data: &'x [u8], part: &str, limits: &Limits) -> Self {
        let mut resolver = NamespaceResolver::default();
        // Word declares 30-40 namespaces on the root element; allow headroom, but
        // keep the bound: a name is resolved by scanning the bindings.
        resolver.set_max_namespace_bindings(256);
        XmlReader {
            tokens: Tokenizer::new(data),
            resolver,
            scopes: Vec::new(),
            scope_serial: 0,
            pending_pop: false,
            prefix_cache: Vec::new(),
            part: part.to_string(),
            max_depth: limits.max_depth,
            limits: *limits,
        }
    }

    /// The bytes not read yet.
    fn rest(&self) -> &'x [u8] {
        self.tokens.rest()
    }

    /// Offset in the part of the next byte to read.
    pub(crate) fn position(&self) -> usize {
        self.tokens.position()
    }

    /// Open a resolver scope for the namespaces a start tag declares.
    fn push_scope(&mut self, e: &BytesStart<'_>) -> Result<(), IngestError> {
        self.prefix_cache.clear();
        self.scope_serial += 1;
        self.resolver
            .push(e)
            .map_err(|err| self.xml_error(quick_xml::Error::Namespace(err)))
    }

    fn pop_scope(&mut self) {
        self.prefix_cache.clear();
        self.resolver.pop();
    }

    /// Identifies the namespace bindings in force: equal values mean the same
    /// bindings (the same innermost declaring element is open), so a name means
    /// the same there.
    pub(crate) fn bindings_id(&self) -> u64 {
        self.scopes.last().map_or(0, |&(_, id)| id)
    }

    /// The namespace class of an element name.
    fn element_ns(&mut self, name: QName<'_>) -> Ns {
        let prefix = split_qname(name.into_inner()).0;
        // prefixes are a letter or two: compared byte by byte, not through memcmp
        if let Some((_, ns)) = self
            .prefix_cache
            .iter()
            .find(|(p, _)| p.len() == prefix.len() && p.bytes().eq(prefix.bytes()))
        {
            return *ns;
        }
        let ns = classify_result(&self.resolver.resolve_element(name).0);
        if self.prefix_cache.len() < 16 {
            self.prefix_cache.push((prefix.into(), ns));
        }
        ns
    }

    /// Read the next event; it borrows from the part, not from the reader.
    pub(crate) fn next(&mut self) -> Result<Ev<'x>, IngestError> {
        if self.pending_pop {
            self.pending_pop = false;
            self.pop_scope();
        }
        let ev = match self.tokens.next() {
            Ok(ev) => ev,
            Err(e) => return Err(self.token_error(e)),
        };
        Ok(match ev {
            Token::Start(e) => {
                // the tokenizer counts the element just opened
                let depth = self.tokens.depth();
                if depth > self.max_depth {
                    return Err(IngestError::TooDeep(self.max_depth));
                }
                if declares_namespaces(&e) {
                    self.push_scope(&e)?;
                    self.scopes.push((depth, self.scope_serial));
                }
                Ev::Start(self.element_ns(e.name()), e)
            }
            Token::Empty(e) => {
                if self.tokens.depth() + 1 > self.max_depth {
                    return Err(IngestError::TooDeep(self.max_depth));
                }
                if declares_namespaces(&e) {
                    self.push_scope(&e)?;
                    self.pending_pop = true;
                }
                Ev::Empty(self.element_ns(e.name()), e)
            }
            Token::End => {
                // the tokenizer has closed the element already
                if self.scopes.last().map(|&(d, _)| d) == Some(self.tokens.depth() + 1) {
                    self.scopes.pop();
                    self.pop_scope();
                }
                Ev::End
            }
            Token::Text(t) => Ev::Text(t),
            Token::CData(c) => Ev::CData(BytesCData::new(c).xml10_content().into_owned()),
            Token::Ref(r) => Ev::Ref(r),
            Token::Eof => {
                if self.tokens.depth() > 0 {
                    return Err(self.unclosed(self.tokens.len()));
                }
                Ev::Eof
            }
            Token::Other => Ev::Other,
        })
    }

    fn unclosed(&self, pos: usize) -> IngestError {
        IngestError::Xml {
            part: self.part.clone(),
            pos: pos as u64,
            msg: "unexpected end of file: elements left open".into(),
        }
    }

    /// Where the subtree of the element whose start tag (named `name`) was just
    /// read ends, found in the raw bytes ([`EndFinder`]) without tokenizing,
    /// resolving namespaces or looking at attributes; nothing is consumed. `None`
    /// when its end tag is missing.
    pub(crate) fn subtree_end(&self, name: QName<'_>) -> Option<SubtreeEnd> {
        let rest = self.rest();
        let end = EndFinder::new(name.as_ref().as_bytes()).feed(rest)?;
        // an end tag holds no `<` but its own
        let content = memchr::memrchr(b'<', rest.get(..end)?)?;
        Some(SubtreeEnd { content, end })
    }

    /// When the bytes after the start tag just read (named `name`) are `content`
    /// and then its end tag `</name>`, where that subtree ends. Meant for a
    /// `content` that [`XmlReader::subtree_end`] once found whole: the same bytes
    /// end the same way.
    pub(crate) fn end_after(&self, content: &[u8], name: QName<'_>) -> Option<SubtreeEnd> {
        let name = name.as_ref().as_bytes();
        let tag = self.rest().strip_prefix(content)?.strip_prefix(b"</")?;
        let closes = tag.strip_prefix(name)?.first() == Some(&b'>');
        closes.then_some(SubtreeEnd {
            content: content.len(),
            end: content.len() + name.len() + 3,
        })
    }

    /// The content of the subtree [`XmlReader::subtree_end`] found (without its
    /// end tag), as raw bytes of the part.
    pub(crate) fn subtree_content(&self, at: SubtreeEnd) -> &'x [u8] {
        self.rest().get(..at.content).unwrap_or_default()
    }

    /// Offset in the part just after that subtree's end tag.
    pub(crate) fn subtree_end_offset(&self, at: SubtreeEnd) -> usize {
        self.position() + at.end
    }

    /// Pass over the content of a subtree [`XmlReader::subtree_end`] found and
    /// read its end tag, which the parser checks against the start tag as usual.
    /// Markup inside the subtree is not checked beyond what finding its end needs.
    pub(crate) fn skip_to_end(&mut self, at: SubtreeEnd) -> Result<(), IngestError> {
        self.tokens.pass_over(at.content);
        match self.next().map(|ev| matches!(ev, Ev::End)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(IngestError::Xml {
                part: self.part.clone(),
                pos: self.position() as u64,
                msg: "an element could not be skipped".into(),
            }),
            Err(e) => Err(e),
        }
    }

    /// Skip the rest of the element whose start tag (named `name`) was just read:
    /// its whole subtree up to and including the matching end tag, unread
    /// ([`XmlReader::skip_to_end`]), so a subtree that is never read costs little.
    pub(crate) fn skip_subtree(&mut self, name: QName<'_>) -> Result<(), IngestError> {
        self.skip_subtree_into(name, None)
    }

    /// [`XmlReader::skip_subtree`], appending the bytes passed over (the
    /// element's content and its end tag) to `keep` when given.
    pub(crate) fn skip_subtree_into(
        &mut self,
        name: QName<'_>,
        keep: Option<&mut Vec<u8>>,
    ) -> Result<(), IngestError> {
        let Some(at) = self.subtree_end(name) else {
            return Err(self.unclosed(self.tokens.len()));
        };
        if let (Some(k), Some(bytes)) = (keep, self.rest().get(..at.end)) {
            k.extend_from_slice(bytes);
        }
        self.skip_to_end(at)
    }

    /// The limits this reader enforces (for parsing a fragment later alike).
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    /// Skip an element just read: its subtree for a start tag
    /// ([`XmlReader::skip_subtree`]), nothing for an empty element.
    pub(crate) fn skip_element(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
    ) -> Result<(), IngestError> {
        if empty {
            Ok(())
        } else {
            self.skip_subtree(e.name())
        }
    }

    /// Namespace bound to `prefix` at the current position (for `mc:Choice Requires`).
    pub(crate) fn prefix_understood(&self, prefix: &str) -> bool {
        let q = format!("{prefix}:x");
        match self.resolver.resolve_prefix(QName(&q).prefix(), false) {
            ResolveResult::Bound(Namespace(uri)) => understood_namespace(uri),
            _ => false,
        }
    }

    /// An error of quick-xml's (a namespace declaration) at the reader's position.
    fn xml_error(&self, e: quick_xml::Error) -> IngestError {
        IngestError::Xml {
            part: self.part.clone(),
            pos: self.position() as u64,
            msg: e.to_string(),
        }
    }

    /// A syntax error the tokenizer found.
    fn token_error(&self, e: TokenError) -> IngestError {
        IngestError::Xml {
            part: self.part.clone(),
            pos: e.pos as u64,
            msg: e.msg,
        }
    }
}

/// Text of a character or predefined entity reference (`&amp;`, `&#7897;`), if it has one.
pub(crate) fn ref_text(r: &BytesRef<'_>) -> Option<RefText> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Some(RefText::Char(c)),
            _ => None,
        };
    }
    quick_xml::escape::resolve_predefined_entity(r).map(RefText::Str)
}

/// Resolved text of a reference.
pub(crate) enum RefText {
    Char(char),
    Str(&'static str),
}

impl RefText {
    pub(crate) fn push_to(&self, s: &mut String) {
        match self {
            RefText::Char(c) => s.push(*c),
            RefText::Str(t) => s.push_str(t),
        }
    }
}

/// Prefix and local part of a qualified name (`w:pPr` → `("w", "pPr")`; no colon →
/// `("", name)`). Names are a few bytes long: a plain loop beats a `memchr` call.
fn split_qname(name: &str) -> (&str, &str) {
    match name.bytes().position(|b| b == b':') {
        Some(i) => (
            name.get(..i).unwrap_or_default(),
            name.get(i + 1..).unwrap_or_default(),
        ),
        None => ("", name),
    }
}

/// Local name of an element.
pub(crate) fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    split_qname(e.name().into_inner()).1
}

/// Value of the attribute with this local name (any prefix), unescaped.
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    let [v] = attrs(e, [name]);
    v
}

/// Attributes of a start tag as (local name, raw value between the quotes), read
/// straight from the tag's bytes. Stops at the first malformed attribute (a key
/// without `=` or an unquoted value), which a well-formed document never has.
struct RawAttrs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let s = self.rest;
        let b = s.as_bytes();
        let mut i = 0;
        while b.get(i).is_some_and(|&c| is_xml_space(c)) {
            i += 1;
        }
        let key_start = i;
        while b.get(i).is_some_and(|&c| c != b'=' && !is_xml_space(c)) {
            i += 1;
        }
        let key_end = i;
        while b.get(i).is_some_and(|&c| is_xml_space(c)) {
            i += 1;
        }
        let quote = if b.get(i) == Some(&b'=') {
            i += 1;
            while b.get(i).is_some_and(|&c| is_xml_space(c)) {
                i += 1;
            }
            b.get(i).copied().filter(|&q| q == b'"' || q == b'\'')
        } else {
            None
        };
        let Some(quote) = quote else {
            self.rest = "";
            return None;
        };
        let value_start = i + 1;
        let mut j = value_start;
        while b.get(j).is_some_and(|&c| c != quote) {
            j += 1;
        }
        if j >= b.len() {
            self.rest = "";
            return None;
        }
        // the slice bounds sit next to ASCII delimiters, so on char boundaries
        self.rest = s.get(j + 1..).unwrap_or_default();
        Some((
            split_qname(s.get(key_start..key_end).unwrap_or_default()).1,
            s.get(value_start..j).unwrap_or_default(),
        ))
    }
}

/// Values of several attributes by local name (any prefix), unescaped, in one
/// pass over the attributes; like [`attr`] for each name (the first one wins).
///
/// A value without `&`, tab or line break is returned as it stands, which is what
/// XML attribute-value normalization gives for it; for the rare other values the
/// tag is read again through quick-xml, which normalizes and unescapes.
pub(crate) fn attrs<'a, const N: usize>(
    e: &'a BytesStart<'_>,
    names: [&str; N],
) -> [Option<Cow<'a, str>>; N] {
    let mut out: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    let mut left = N;
    for (key, value) in (RawAttrs {
        rest: e.attributes_raw(),
    }) {
        for (name, slot) in names.iter().zip(out.iter_mut()) {
            if slot.is_none() && key == *name {
                if value
                    .bytes()
                    .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
                {
                    return attrs_normalized(e, names);
                }
                *slot = Some(Cow::Borrowed(value));
                left -= 1;
                break;
            }
        }
        if left == 0 {
            break;
        }
    }
    out
}

/// [`attrs`] through quick-xml's attribute iterator and value normalization.
fn attrs_normalized<'a, const N: usize>(
    e: &'a BytesStart<'_>,
    names: [&str; N],
) -> [Option<Cow<'a, str>>; N] {
    let mut out: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    let mut seen = [false; N];
    let mut it = e.attributes();
    it.with_checks(false);
    for a in it.flatten() {
        let key = a.key.local_name().into_inner();
        for ((name, slot), done) in names.iter().zip(out.iter_mut()).zip(seen.iter_mut()) {
            if !*done && key == *name {
                *done = true;
                *slot = a.normalized_value(XmlVersion::Implicit1_0).ok();
                break;
            }
        }
    }
    out
}

/// `w:val` of an element.
pub(crate) fn val<'a>(e: &'a BytesStart<'_>) -> Option<Cow<'a, str>> {
    attr(e, "val")
}

/// A toggle property (`w:b`, `w:i`): absent `w:val` means on; `0/false/off` off.
/// Unrecognised values give `None` (ignored).
pub(crate) fn toggle(e: &BytesStart<'_>) -> Option<bool> {
    match val(e) {
        None => Some(true),
        Some(v) => parse_bool(&v),
    }
}

/// An OOXML boolean (`ST_OnOff`).
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v.trim() {
        "1" | "true" | "on" | "True" | "TRUE" | "On" => Some(true),
        "0" | "false" | "off" | "False" | "FALSE" | "Off" => Some(false),
        _ => None,
    }
}

/// A non-negative integer attribute (`gridSpan`, `ilvl`, `numId`); garbage gives `None`.
pub(crate) fn parse_u32(v: &str) -> Option<u32> {
    v.trim().parse::<u32>().ok()
}

/// A signed integer attribute (`start`); garbage gives `None`.
pub(crate) fn parse_i64(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok()
}

/// A length in twentieths of a point (twips), given as a plain number or a
/// universal measure such as `2.5cm`, `12pt`, `1in`. Garbage gives `None`.
pub(crate) fn parse_twips(v: &str) -> Option<f32> {
    parse_measure(v, 1.0)
}

/// A font size in half-points, plain or universal measure (`12pt`). Garbage gives `None`.
pub(crate) fn parse_half_points(v: &str) -> Option<f32> {
    // 1 half-point = 10 twips
    parse_measure(v, 10.0).map(|t| t / 10.0)
}

/// Parse a number in `unit_twips` units, or a universal measure converted to twips.
fn parse_measure(v: &str, unit_twips: f32) -> Option<f32> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f32 = num.trim().parse().ok()?;
    if !n.is_finite() {
        return None;
    }
    let twips = match unit {
        "" => n * unit_twips,
        "pt" => n * 20.0,
        "mm" => n * 1440.0 / 25.4,
        "cm" => n * 14400.0 / 25.4,
        "in" => n * 1440.0,
        "pc" | "pi" => n * 240.0,
        _ => return None,
    };
    twips.is_finite().then_some(twips)
}

/// Twips to millimetres.
pub(crate) fn twips_to_mm(t: f32) -> f32 {
    t * 25.4 / 1440.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first start tag of `xml`.
    fn start_tag(xml: &str) -> BytesStart<'static> {
        let mut r = Tokenizer::new(xml.as_bytes());
        loop {
            match r.next().expect("token") {
                Token::Start(e) | Token::Empty(e) => return e.into_owned(),
                Token::Eof => panic!("no start tag"),
                _ => {}
            }
        }
    }

    #[test]
    fn attributes_read_from_the_tag_match_xml_normalization() {
        let e = start_tag(
            "<w:ind w:left = '720' x:hanging=\"360\"  w:firstLine=\"1\" w:hanging=\"9\"/>",
        );
        let [left, hanging, first, none] = attrs(&e, ["left", "hanging", "firstLine", "right"]);
        assert_eq!(left.as_deref(), Some("720"));
        // any prefix; the first one wins
        assert_eq!(hanging.as_deref(), Some("360"));
        assert_eq!(first.as_deref(), Some("1"));
        assert_eq!(none, None);
        assert!(matches!(left, Some(Cow::Borrowed(_))));
        // references and white space are normalized as XML says
        let e = start_tag("<w:t w:val=\"A &amp; B&#x1EC7;\tC\nD\" w:other=\"x\"/>");
        assert_eq!(val(&e).as_deref(), Some("A & B\u{1ec7} C D"));
        assert_eq!(attr(&e, "other").as_deref(), Some("x"));
        // a value may hold the other quote and Vietnamese text
        let e = start_tag("<w:p w:val='Cơ quan \"A\"'/>");
        assert_eq!(val(&e).as_deref(), Some("Cơ quan \"A\""));
        assert_eq!(local(&e), "p");
        assert_eq!(split_qname("pPr"), ("", "pPr"));
    }

    /// Where the end tag of `name` ends in `xml` (which starts just after the
    /// start tag), feeding the bytes in chunks of `step`.
    fn end_of(name: &str, xml: &str, step: usize) -> Option<usize> {
        let mut f = EndFinder::new(name.as_bytes());
        let mut at = 0;
        for chunk in xml.as_bytes().chunks(step) {
            if let Some(n) = f.feed(chunk) {
                return Some(at + n);
            }
            at += chunk.len();
        }
        None
    }

    #[test]
    fn end_finder_nests_and_passes_over_markup() {
        let cases = [
            ("w:x", "abc</w:x>tail", 9),
            ("w:x", "<w:x><w:x/></w:x></w:x >tail", 24),
            ("w:x", r#"<w:xy a=">"/><w:x a='</w:x>'/></w:x>"#, 36),
            (
                "w:x",
                "<!-- </w:x> --><![CDATA[</w:x>]]><?p </w:x>?></w:x>",
                51,
            ),
            ("w:x", "<w:x\n>text</w:x\n></w:x>", 23),
            ("w:x", "</w:xy></w:x>", 13),
        ];
        for (name, xml, want) in cases {
            for step in [1, 2, 3, 5, 64] {
                assert_eq!(end_of(name, xml, step), Some(want), "{xml:?} step {step}");
            }
        }
        assert_eq!(end_of("w:x", "<w:x>never closed</w:x>", 4), None);
    }

    #[test]
    fn skipped_subtree_keeps_positions_and_checks_the_end_tag() {
        let limits = Limits::default();
        let xml = r#"<a xmlns:w="urn:w"><w:skip><w:i/>x</w:skip><w:b/></a>"#;
        let mut r = XmlReader::new(xml.as_bytes(), "p", &limits);
        let mut seen = Vec::new();
        loop {
            match r.next().expect("well-formed") {
                Ev::Start(_, e) if local(&e) == "skip" => {
                    r.skip_subtree(e.name()).expect("skipped");
                    seen.push("skipped".to_string());
                }
                Ev::Start(_, e) | Ev::Empty(_, e) => seen.push(local(&e).to_string()),
                Ev::Eof => break,
                _ => {}
            }
        }
        assert_eq!(seen, ["a", "skipped", "b"]);

        let bad = r#"<a><w:skip><w:i/>x</a>"#;
        let mut r = XmlReader::new(bad.as_bytes(), "p", &limits);
        let mut err = None;
        loop {
            match r.next() {
                Ok(Ev::Start(_, e)) if local(&e) == "skip" => {
                    if let Err(e) = r.skip_subtree(e.name()) {
                        err = Some(e);
                        break;
                    }
                }
                Ok(Ev::Eof) => break,
                Err(e) => {
                    err = Some(e);
                    break;
                }
                _ => {}
            }
        }
        assert!(
            matches!(err, Some(IngestError::Xml { .. })),
            "an unclosed skipped element is an XML error: {err:?}"
        );
    }
}
