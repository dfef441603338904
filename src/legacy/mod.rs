//! Legacy Vietnamese encodings (bảng mã cũ) to Unicode NFC.
//!
//! Word documents typed before Unicode store Vietnamese in 8-bit "font
//! encodings": TCVN3 (ABC, `.VnTime`), VNI-Windows (`VNI-Times`), VISCII, and
//! the ASCII mnemonic convention VIQR. Word keeps the font *byte* and stores
//! its Windows-1252 character in `w:t`, so such text looks like `Uû ban
//! nh©n d©n` and must be converted by table. The tables live in [`tables`]
//! (generated from the research TSV files in `shared/legacy/`).
//!
//! The encoding of a run should come from its font ([`classify_font`], then
//! [`convert_run`]). Adjacent runs of the same legacy encoding should be
//! merged before converting, because a VNI base letter and its mark byte can
//! fall into different runs. Only when no font tells does [`detect`] trial
//! the encodings and score the results with [`syllable_score`].
//!
//! Guard: a run that already holds Vietnamese-only letters
//! ([`has_vietnamese_only_letters`]) is Unicode already and is never
//! converted by [`convert_run`] or [`detect`].
//!
//! Nothing here panics on any input.

pub mod docx;
pub mod tables;
pub mod text;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::text::nfc_cow as nfc;

/// A legacy Vietnamese encoding (bảng mã).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// TCVN3 / TCVN 5712:1993 VN3, also called ABC (bảng mã TCVN3); fonts `.VnTime`, `.VnArial` …
    Tcvn3,
    /// VNI-Windows (bảng mã VNI): base letter followed by a mark byte; fonts `VNI-Times` …
    Vni,
    /// VISCII (RFC 1456), one byte per letter, including bytes 0x80–0x9F and six C0 bytes.
    Viscii,
    /// VIQR (Vietnamese Quoted-Readable, RFC 1456): ASCII mnemonics such as `Vie^.t`.
    Viqr,
}

impl Encoding {
    /// All encodings, in the order of their names below.
    pub const ALL: [Encoding; 4] = [
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Viscii,
        Encoding::Viqr,
    ];

    /// The canonical lowercase name: `"tcvn3"`, `"vni"`, `"viscii"` or `"viqr"`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
            Encoding::Viscii => "viscii",
            Encoding::Viqr => "viqr",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error returned when a string names no known [`Encoding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEncodingError {
    input: String,
}

impl fmt::Display for ParseEncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown legacy Vietnamese encoding {:?} (expected tcvn3, vni, viscii or viqr)",
            self.input
        )
    }
}

impl std::error::Error for ParseEncodingError {}

impl FromStr for Encoding {
    type Err = ParseEncodingError;

    /// Parses the canonical names case-insensitively (`"tcvn3"`, `"vni"`,
    /// `"viscii"`, `"viqr"`), plus the aliases `"abc"`, `"vn3"` (TCVN3) and
    /// `"vni-windows"` (VNI). Plain `"tcvn"` is rejected on purpose: iconv's
    /// "TCVN" is VN1, a different table.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tcvn3" | "abc" | "vn3" => Ok(Encoding::Tcvn3),
            "vni" | "vni-windows" => Ok(Encoding::Vni),
            "viscii" => Ok(Encoding::Viscii),
            "viqr" => Ok(Encoding::Viqr),
            _ => Err(ParseEncodingError {
                input: s.to_string(),
            }),
        }
    }
}

/// What a font name says about the text in its runs (phân loại phông chữ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontClass {
    /// The legacy encoding of the font.
    pub encoding: Encoding,
    /// An all-capitals font (phông chữ hoa, e.g. `.VnTimeH`): lowercase bytes are drawn
    /// as capitals, so the converted run must be uppercased.
    pub uppercase: bool,
}

/// Classifies a font name (tên phông) as a legacy Vietnamese font, or `None` for any
/// other font (Unicode fonts such as "Times New Roman" included).
///
/// Rules (from `shared/legacy/NOTES.md` §3 and the test vectors):
/// * **TCVN3**: the name starts with `.Vn` (case-insensitive), except names starting
///   with `.VnI` (any case; e.g. a mistyped `.VNI-Times`), which are left unclassified.
///   It is an uppercase font when its last space-separated family token ends in `H`
///   (`.VnTimeH`, `.VnArialH`, `.VnCentury SchoolbookH`); a name given entirely in
///   lowercase (`.vntimeh`) is also accepted with a final `h`.
/// * **VNI**: the name starts with `VNI` followed by `-`, `_` or a space
///   (`VNI-Times`, `VNI-Helve-Condense`), case-insensitive. VNI has the capitals in its
///   code table, so its fonts are never treated as all-capitals.
/// * **VISCII**: the name starts with `VI ` (`VI Times`, as in the vectors) or
///   contains `VISCII` (case-insensitive).
pub fn classify_font(name: &str) -> Option<FontClass> {
    let name = name.trim();
    let lower = name.to_lowercase();
    if lower.starts_with(".vn") {
        if lower.starts_with(".vni") {
            return None;
        }
        let last = name.split_whitespace().last().unwrap_or(name);
        let uppercase =
            last.ends_with('H') || (last.ends_with('h') && !name.chars().any(char::is_uppercase));
        return Some(FontClass {
            encoding: Encoding::Tcvn3,
            uppercase,
        });
    }
    if let Some(rest) = lower.strip_prefix("vni") {
        if rest.starts_with(['-', '_', ' ']) {
            return Some(FontClass {
                encoding: Encoding::Vni,
                uppercase: false,
            });
        }
    }
    if name.starts_with("VI ") || lower.contains("viscii") {
        return Some(FontClass {
            encoding: Encoding::Viscii,
            uppercase: false,
        });
    }
    None
}

/// Lookup maps built once from [`tables`].
struct Maps {
    tcvn3: CharTable,
    vni_pairs: FastMap<(char, char), &'static str>,
    /// The second characters of [`Maps::vni_pairs`] (a pair is looked up only then).
    vni_seconds: CharTable,
    vni_singles: CharTable,
    vni_marks: CharTable,
    viscii: CharTable,
    viqr: FastMap<&'static str, &'static str>,
}

/// A table keyed by one character: an array for U+0000–U+00FF (where the legacy
/// surfaces are), a map for the rest (cp1252 punctuation such as `‚ ƒ „`).
struct CharTable {
    low: [Option<&'static str>; 256],
    high: FastMap<char, &'static str>,
}

impl CharTable {
    fn new() -> Self {
        CharTable {
            low: [None; 256],
            high: FastMap::default(),
        }
    }

    /// Adds or replaces the entry of `c`.
    fn insert(&mut self, c: char, v: &'static str) {
        match self.low.get_mut(c as usize) {
            Some(slot) => *slot = Some(v),
            None => {
                self.high.insert(c, v);
            }
        }
    }

    fn get(&self, c: &char) -> Option<&&'static str> {
        match self.low.get(*c as usize) {
            Some(slot) => slot.as_ref(),
            None if self.high.is_empty() => None,
            None => self.high.get(c),
        }
    }
}

impl FromIterator<(char, &'static str)> for CharTable {
    fn from_iter<I: IntoIterator<Item = (char, &'static str)>>(iter: I) -> Self {
        let mut t = CharTable::new();
        for (c, v) in iter {
            t.insert(c, v);
        }
        t
    }
}

/// The single character of a one-character table key, if it is one.
fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn maps() -> &'static Maps {
    static MAPS: OnceLock<Maps> = OnceLock::new();
    MAPS.get_or_init(|| {
        let mut vni_pairs = FastMap::default();
        let mut vni_seconds = CharTable::new();
        let mut vni_singles = CharTable::new();
        for &(legacy, uni) in tables::VNI.iter() {
            let mut it = legacy.chars();
            match (it.next(), it.next(), it.next()) {
                (Some(a), None, _) => {
                    vni_singles.insert(a, uni);
                }
                (Some(a), Some(b), None) => {
                    vni_pairs.insert((a, b), uni);
                    vni_seconds.insert(b, "");
                }
                _ => {}
            }
        }
        let by_char = |rows: &[(&'static str, &'static str)]| -> CharTable {
            rows.iter()
                .filter_map(|&(legacy, uni)| single_char(legacy).map(|c| (c, uni)))
                .collect()
        };
        Maps {
            tcvn3: tables::TCVN3
                .iter()
                .filter_map(|&(legacy, uni, _)| single_char(legacy).map(|c| (c, uni)))
                .collect(),
            vni_pairs,
            vni_seconds,
            vni_singles,
            vni_marks: by_char(&tables::VNI_MARKS),
            viscii: by_char(&tables::VISCII),
            viqr: tables::VIQR.iter().copied().collect(),
        }
    })
}

/// Converts legacy text in encoding `enc` to Unicode NFC (chuyển mã sang Unicode).
///
/// This is the raw conversion: it does not apply the guard (see [`convert_run`]).
/// Characters that the table does not map (ASCII, Windows-1252 punctuation such as
/// `“ ” …` in TCVN3/VNI runs) pass through unchanged.
///
/// * **TCVN3**: one character per letter. U+00AD SOFT HYPHEN is ư (Word writes the
///   byte 0xAD as a soft hyphen); U+001F (Word's optional hyphen in a binary `.doc`)
///   is ư too. A caller reading DOCX must pass `<w:softHyphen/>` as U+00AD.
/// * **VNI**: greedy longest match: a two-character pair (base + mark byte) first,
///   then a single character, then a lone mark byte is turned into its combining
///   marks, which NFC then joins to the previous letter. That last step makes the
///   decoder tolerant of mixed-case pairs (`Aù` → Á) and stray marks.
/// * **VISCII**: one character per byte; bytes 0x80–0x9F are accepted both as C1
///   controls and as their Windows-1252 characters (`€ ‚ ƒ …`).
/// * **VIQR**: RFC 1456 mnemonics: a vowel, then at most one modifier `(` `^` `+`
///   (`*` is accepted as the horn, as UniKey does), then at most one tone
///   `'` `` ` `` `?` `~` `.`; `DD`/`Dd`/`dd` are Đ/đ; `\` makes the next character
///   literal. A mark applies only when it can combine with the preceding letter.
///   Since a syllable carries one tone, a tone mark in a word that already has one is
///   literal (`ho^.i.` → `hội.`).
pub fn convert(text: &str, enc: Encoding) -> String {
    let raw = match enc {
        Encoding::Tcvn3 => convert_tcvn3(text),
        Encoding::Vni => convert_vni(text),
        Encoding::Viscii => convert_viscii(text),
        Encoding::Viqr => convert_viqr(text),
    };
    match nfc(&raw) {
        Cow::Borrowed(_) => raw,
        Cow::Owned(s) => s,
    }
}

/// A fast hasher for the in-memory tables keyed by characters and short strings
/// (the keys are fixed; lookups only probe them, so flooding is no concern).
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A map with [`FastHasher`].
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

fn convert_tcvn3(text: &str) -> String {
    let m = maps();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if c == '\u{1F}' {
            out.push('ư');
        } else if let Some(u) = m.tcvn3.get(&c) {
            out.push_str(u);
        } else {
            out.push(c);
        }
    }
    out
}

fn convert_viscii(text: &str) -> String {
    let m = maps();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        match m.viscii.get(&c) {
            Some(u) => out.push_str(u),
            None => out.push(c),
        }
    }
    out
}

fn convert_vni(text: &str) -> String {
    let m = maps();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(u) = chars
            .get(i + 1)
            .filter(|next| m.vni_seconds.get(next).is_some())
            .and_then(|&next| m.vni_pairs.get(&(c, next)))
        {
            out.push_str(u);
            i += 2;
            continue;
        }
        if let Some(u) = m.vni_singles.get(&c).or_else(|| m.vni_marks.get(&c)) {
            out.push_str(u);
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// VIQR tone mnemonics (dấu thanh).
const VIQR_TONES: [char; 5] = ['\'', '`', '?', '~', '.'];

fn convert_viqr(text: &str) -> String {
    let m = maps();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut word_has_tone = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            match chars.get(i + 1) {
                Some(&next) => {
                    out.push(next);
                    if !next.is_alphabetic() {
                        word_has_tone = false;
                    }
                    i += 2;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
            continue;
        }
        if c.is_ascii_alphabetic() {
            if let Some((uni, len, toned)) =
                viqr_match(m, chars.get(i..).unwrap_or_default(), word_has_tone)
            {
                out.push_str(uni);
                word_has_tone |= toned;
                i += len;
                continue;
            }
        } else if !c.is_alphabetic() {
            word_has_tone = false;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Longest VIQR mnemonic at the start of `rest`: (Unicode, length, carries a tone).
fn viqr_match(m: &Maps, rest: &[char], word_has_tone: bool) -> Option<(&'static str, usize, bool)> {
    for len in [3, 2] {
        let Some(seq) = rest.get(..len) else {
            continue;
        };
        let toned = seq.last().is_some_and(|c| VIQR_TONES.contains(c));
        if toned && word_has_tone {
            continue;
        }
        let key: String = seq
            .iter()
            .enumerate()
            .map(|(k, &c)| if k == 1 && c == '*' { '+' } else { c })
            .collect();
        if let Some(&uni) = m.viqr.get(key.as_str()) {
            return Some((uni, len, toned));
        }
    }
    None
}

/// Converts one run whose font was classified by [`classify_font`] (chuyển một đoạn
/// theo phông): [`convert`], then, for an all-capitals font, uppercase the whole run
/// (`str::to_uppercase`), since H fonts draw lowercase bytes and ASCII as capitals.
///
/// Guard: a run that already holds Vietnamese-only letters
/// ([`has_vietnamese_only_letters`]) was converted before (the font was just left
/// as `.VnTime`); it is returned unchanged apart from NFC, and not uppercased.
pub fn convert_run(text: &str, class: FontClass) -> String {
    if has_vietnamese_only_letters(text) {
        return text.nfc().collect();
    }
    let out = convert(text, class.encoding);
    if class.uppercase {
        out.to_uppercase().nfc().collect()
    } else {
        out
    }
}

/// Whether `text` (after NFC) holds a letter that only Vietnamese uses (chữ cái
/// riêng của tiếng Việt): U+1EA0–U+1EF9 (Ạ … ỹ), Ă ă (U+0102/3), Đ đ (U+0110/1),
/// Ơ ơ (U+01A0/1), Ư ư (U+01AF/B0). No legacy surface contains these, so such text
/// is Unicode already and must never be converted.
pub fn has_vietnamese_only_letters(text: &str) -> bool {
    const SINGLES: [char; 8] = ['Ă', 'ă', 'Đ', 'đ', 'Ơ', 'ơ', 'Ư', 'ư'];
    nfc(text)
        .chars()
        .any(|c| ('\u{1EA0}'..='\u{1EF9}').contains(&c) || SINGLES.contains(&c))
}

/// Onsets (phụ âm đầu), longest first; `""` is the empty onset.
const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "gh", "gi", "kh", "ph", "th", "tr", "ch", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Rhymes (vần) without tone: medial glide + nucleus + coda.
const RHYMES: &[&str] = &[
    // no coda, or a semivowel coda (i/y, o/u)
    "a", "ai", "ao", "au", "ay", "âu", "ây", "e", "eo", "ê", "êu", "i", "ia", "iu", "y", "o", "oi",
    "ô", "ôi", "ơ", "ơi", "u", "ua", "ui", "ư", "ưa", "ưi", "ưu", "iêu", "yêu", "uôi", "ươi",
    "ươu", "oa", "oai", "oay", "oao", "oe", "oeo", "uê", "uy", "uya", "uyu", "uây", "uơ",
    // consonant coda (c ch m n ng nh p t)
    "ac", "ach", "am", "an", "ang", "anh", "ap", "at", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "âc",
    "âm", "ân", "âng", "âp", "ât", "ec", "em", "en", "eng", "ep", "et", "êch", "êm", "ên", "ênh",
    "êp", "êt", "ich", "im", "in", "inh", "ip", "it", "oc", "om", "on", "ong", "op", "ot", "ooc",
    "oong", "ôc", "ôm", "ôn", "ông", "ôp", "ôt", "ơm", "ơn", "ơp", "ơt", "uc", "um", "un", "ung",
    "up", "ut", "ưc", "ưm", "ưn", "ưng", "ưt", "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "yêm",
    "yên", "yêt", "uôc", "uôm", "uôn", "uông", "uôt", "ươc", "ươm", "ươn", "ương", "ươp", "ươt",
    "oac", "oach", "oam", "oan", "oang", "oanh", "oap", "oat", "oăc", "oăm", "oăn", "oăng", "oăt",
    "oen", "oet", "uân", "uâng", "uât", "uêch", "uênh", "uych", "uyn", "uynh", "uyp", "uyt",
    "uyên", "uyêt",
];

fn is_rhyme(s: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, std::hash::BuildHasherDefault<FastHasher>>> =
        OnceLock::new();
    SET.get_or_init(|| RHYMES.iter().copied().collect())
        .contains(s)
}

/// Whether a rhyme may follow the onset, by spelling (chính tả) rules.
fn rhyme_fits_onset(onset: &str, rest: &str) -> bool {
    let front = rest.starts_with(['e', 'ê', 'i', 'y']);
    match onset {
        "qu" => {
            // `qu` already holds the glide: qu+ốc = u+ôc, qu+an = o+an.
            !rest.is_empty()
                && (is_rhyme(&format!("u{rest}"))
                    || (rest.starts_with(['a', 'ă', 'e']) && is_rhyme(&format!("o{rest}"))))
        }
        // gì, gìn, giếng: the i of `gi` doubles as the vowel.
        "gi" => is_rhyme(rest) || is_rhyme(&format!("i{rest}")),
        "k" | "gh" | "ngh" => front && is_rhyme(rest),
        "c" | "g" | "ng" => !front && is_rhyme(rest),
        _ => is_rhyme(rest),
    }
}

/// Whether one word is a valid Vietnamese syllable (âm tiết): optional onset, a
/// rhyme from the standard inventory (medial + nucleus + coda, with the spelling
/// rules c/k/q, g/gh, ng/ngh and gi), and at most one tone mark, placed on a vowel.
/// Syllables closed by c, ch, p or t take only the sắc or nặng tone. Case and
/// normalization form do not matter. Letters f, j, w, z and non-Vietnamese letters
/// make the word invalid.
pub fn is_valid_syllable(word: &str) -> bool {
    // Fast path: every character, lowercased, is a letter of the Vietnamese alphabet
    // with at most a tone mark (precomposed), so its base and tone come from a table;
    // the same decision as the general path below, without normalising.
    // The base is built in a small buffer: no syllable is longer than
    // `BASE_CAP` bytes, so a longer base is no syllable (and no allocation).
    let mut buf = [0u8; BASE_CAP];
    let mut len = 0usize;
    let mut too_long = false;
    let mut tone: Option<char> = None;
    let table = letter_table();
    for c in word.chars() {
        let Some(&(b, t)) = table.get(&c) else {
            return is_valid_syllable_general_cached(word);
        };
        if let Some(t) = t {
            if tone.is_some() {
                return false;
            }
            tone = Some(t);
        }
        let n = b.len_utf8();
        match buf.get_mut(len..len + n) {
            Some(dst) if !too_long => {
                b.encode_utf8(dst);
                len += n;
            }
            _ => too_long = true,
        }
    }
    if too_long {
        return false;
    }
    let base = buf
        .get(..len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default();
    syllable_fits(base, tone)
}

/// Room for the base of the longest syllable (`nghiêng`, `nguyên`: at most 7
/// letters of at most 2 bytes) and then some.
const BASE_CAP: usize = 24;

/// [`is_valid_syllable_general`], remembered per word on this thread: the words
/// that miss the fast path (legacy surfaces, trial conversions gone wrong) repeat
/// from paragraph to paragraph and from document to document. The memory is
/// bounded: the cache is emptied when it is full.
fn is_valid_syllable_general_cached(word: &str) -> bool {
    const CAP: usize = 1 << 14;
    const MAX_WORD: usize = 64;
    if word.len() > MAX_WORD {
        return is_valid_syllable_general(word);
    }
    thread_local! {
        static CACHE: std::cell::RefCell<FastMap<Box<str>, bool>> =
            std::cell::RefCell::new(FastMap::default());
    }
    CACHE.with(|cache| {
        if let Some(&v) = cache.borrow().get(word) {
            return v;
        }
        let v = is_valid_syllable_general(word);
        let mut c = cache.borrow_mut();
        if c.len() >= CAP {
            c.clear();
        }
        c.insert(word.into(), v);
        v
    })
}

/// The letters of the Vietnamese alphabet (chữ cái), lowercase.
const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";

/// The combining tone marks (dấu thanh): grave, acute, tilde, hook above, dot below.
const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Letter (precomposed) → (its lowercase letter of the alphabet, tone mark): every
/// letter of [`ALPHABET`] alone, and every vowel with each tone that composes to one
/// character; each also under its capital, when that lowercases back to it.
fn letter_table() -> &'static FastMap<char, (char, Option<char>)> {
    static TABLE: OnceLock<FastMap<char, (char, Option<char>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = FastMap::default();
        for b in ALPHABET.chars() {
            m.insert(b, (b, None));
            if !"aăâeêioôơuưy".contains(b) {
                continue;
            }
            for t in TONES {
                let composed: String = [b, t].iter().collect::<String>().nfc().collect();
                if let Some(c) = single_char(&composed) {
                    m.insert(c, (b, Some(t)));
                }
            }
        }
        let capitals: Vec<(char, (char, Option<char>))> = m
            .iter()
            .filter_map(|(&l, &v)| {
                let upper = single_char(&l.to_uppercase().to_string())?;
                (single_char(&upper.to_lowercase().to_string()) == Some(l)).then_some((upper, v))
            })
            .collect();
        m.extend(capitals);
        m
    })
}

/// [`is_valid_syllable`] for any input: normalise, then take the tone out.
fn is_valid_syllable_general(word: &str) -> bool {
    let lower = word.nfc().collect::<String>().to_lowercase();
    let mut base = String::with_capacity(lower.len());
    let mut tone: Option<char> = None;
    let mut last_base: Option<char> = None;
    for c in lower.nfd() {
        if matches!(
            c,
            '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
        ) {
            let on_vowel = last_base.is_some_and(|b| "aeiouy".contains(b));
            if tone.is_some() || !on_vowel {
                return false;
            }
            tone = Some(c);
        } else {
            if !matches!(c, '\u{0302}' | '\u{0306}' | '\u{031B}') {
                last_base = Some(c);
            }
            base.push(c);
        }
    }
    let base: String = base.nfc().collect();
    if !base.chars().all(|c| ALPHABET.contains(c)) {
        return false;
    }
    syllable_fits(&base, tone)
}

/// The rest of [`is_valid_syllable`]: `base` (NFC, lowercase, letters of [`ALPHABET`]
/// only) with `tone` is a syllable by onset, rhyme and the stop-coda tone rule.
fn syllable_fits(base: &str, tone: Option<char>) -> bool {
    if base.is_empty() {
        return false;
    }
    let stop_coda = base.ends_with(['c', 'p', 't']) || base.ends_with("ch");
    if stop_coda && !matches!(tone, Some('\u{0301}') | Some('\u{0323}')) {
        return false;
    }
    valid_bases().contains(base)
}

/// Whether `base` splits into an onset and a rhyme that fits it, by the rules of
/// [`rhyme_fits_onset`] (the definition; [`valid_bases`] is its table).
#[cfg(test)]
fn onset_rhyme_fits(base: &str) -> bool {
    ONSETS.iter().any(|onset| {
        base.strip_prefix(onset)
            .is_some_and(|rest| rhyme_fits_onset(onset, rest))
    })
}

/// Every toneless base for which [`onset_rhyme_fits`] holds, built once: an onset
/// and a rest that [`rhyme_fits_onset`] accepts. Such a rest is a rhyme, or a rhyme
/// without its first letter (`qu` + `ôc` from `uôc`, `gi` + `ên` from `iên`), so
/// trying those rests for every onset finds every base.
fn valid_bases() -> &'static HashSet<String, std::hash::BuildHasherDefault<FastHasher>> {
    static SET: OnceLock<HashSet<String, std::hash::BuildHasherDefault<FastHasher>>> =
        OnceLock::new();
    SET.get_or_init(|| {
        let mut rests: Vec<&str> = RHYMES.to_vec();
        for r in RHYMES {
            let mut it = r.chars();
            it.next();
            rests.push(it.as_str());
        }
        let mut set = HashSet::default();
        for onset in ONSETS {
            for rest in &rests {
                if rhyme_fits_onset(onset, rest) {
                    set.insert(format!("{onset}{rest}"));
                }
            }
        }
        set
    })
}

/// Whether `c` separates word tokens for [`syllable_score`].
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || c.is_ascii_digit()
        || ('\u{2000}'..='\u{206F}').contains(&c)
}

/// (valid syllables, counted tokens) of `text`; see [`syllable_score`].
fn syllable_counts(text: &str) -> (usize, usize) {
    syllable_counts_nfc(&nfc(text))
}

/// [`syllable_counts`] of text known to be NFC already (the output of [`convert`]).
fn syllable_counts_nfc(text: &str) -> (usize, usize) {
    let mut valid = 0;
    let mut counted = 0;
    for token in text.split(is_separator).filter(|t| !t.is_empty()) {
        // Neutral tokens: ASCII-only, or a single character.
        if token.is_ascii() || token.chars().nth(1).is_none() {
            continue;
        }
        counted += 1;
        if is_valid_syllable(token) {
            valid += 1;
        }
    }
    (valid, counted)
}

fn ratio(valid: usize, counted: usize) -> f32 {
    if counted == 0 {
        0.0
    } else {
        valid as f32 / counted as f32
    }
}

/// Share (0.0–1.0) of word tokens that are valid Vietnamese syllables
/// ([`is_valid_syllable`]) (tỷ lệ âm tiết hợp lệ).
///
/// Tokens are the maximal runs of characters between whitespace, ASCII punctuation,
/// ASCII digits and General Punctuation (U+2000–U+206F, e.g. `“ ” … –`). Latin-1
/// symbols (`© ® § ¬ µ ·` …) are *not* separators: they are the legacy surfaces of
/// letters, so a token holding one (`nh©n`) counts as an invalid syllable.
///
/// Neutral tokens, counted neither as valid nor as invalid:
/// * ASCII-only tokens (`ban`, `UBND`, `the`): no legacy conversion changes them, so
///   they would only dilute the difference between a legacy text and its conversion;
/// * one-character tokens (`à`, `©`, `·`): a lone symbol turns into a lone vowel in
///   several encodings (`©` is â in TCVN3, ẹ in VISCII), which proves nothing.
///
/// With no counted token the score is 0.0.
pub fn syllable_score(text: &str) -> f32 {
    let (valid, counted) = syllable_counts(text);
    ratio(valid, counted)
}

/// Minimum [`syllable_score`] of the converted text for [`detect`] to choose an encoding.
pub const DETECT_MIN_SCORE: f32 = 0.75;
/// Minimum gain of the score over the unconverted text for [`detect`].
pub const DETECT_MIN_GAIN: f32 = 0.25;
/// Minimum lead of the best trial over the second best for [`detect`].
pub const DETECT_MIN_SEPARATION: f32 = 0.10;
/// Minimum number of counted (non-ASCII) tokens in the best trial for [`detect`].
pub const DETECT_MIN_TOKENS: usize = 2;

/// Trial conversions of `text` with TCVN3, VNI and VISCII that change it:
/// (encoding, [`syllable_score`] of the result, counted tokens), best score first.
fn trials(text: &str) -> Vec<(Encoding, f32, usize)> {
    let original: String = text.nfc().collect();
    let mut trials: Vec<(Encoding, f32, usize)> = Vec::new();
    for enc in [Encoding::Tcvn3, Encoding::Vni, Encoding::Viscii] {
        let converted = convert(text, enc);
        if converted != original {
            let (valid, counted) = syllable_counts_nfc(&converted);
            trials.push((enc, ratio(valid, counted), counted));
        }
    }
    trials.sort_by(|a, b| b.1.total_cmp(&a.1));
    trials
}

/// Minimum [`syllable_score`] of the best trial for [`legacy_evidence`].
pub const EVIDENCE_MIN_SCORE: f32 = 0.5;
/// Minimum number of counted tokens in the best trial for [`legacy_evidence`].
pub const EVIDENCE_MIN_TOKENS: usize = 20;

/// Whether a large sample of text (all the text of one font) is clearly legacy text
/// even though [`detect`] could not name one encoding for all of it (trộn bảng mã):
/// its best trial conversion (TCVN3 or VNI) scores at least [`EVIDENCE_MIN_SCORE`]
/// over at least [`EVIDENCE_MIN_TOKENS`] counted tokens and gains at least
/// [`DETECT_MIN_GAIN`] over the text as given. This happens when a document was
/// typed partly with a TCVN3 and partly with a VNI keyboard in one font, or in a
/// font variant whose table differs from TCVN3 in a few letters (the `VNS…` fonts).
/// Returns the best trial's encoding, to be used as the default when
/// [`choose_legacy`] finds no difference. The guard applies.
pub fn legacy_evidence(text: &str) -> Option<Encoding> {
    if has_vietnamese_only_letters(text) {
        return None;
    }
    let before = syllable_score(text);
    let (enc, best, tokens) = trials(text)
        .into_iter()
        .find(|t| matches!(t.0, Encoding::Tcvn3 | Encoding::Vni))?;
    (best >= EVIDENCE_MIN_SCORE
        && tokens >= EVIDENCE_MIN_TOKENS
        && best - before >= DETECT_MIN_GAIN)
        .then_some(enc)
}

/// The encoding a font name hints at when no name rule of [`classify_font`] knows the
/// font (gợi ý theo tên phông): a name whose letters and digits contain `TCVN3` or
/// `VN3` (e.g. `VNSTCVN3`, `VN3 Times`) hints TCVN3, one containing `VNI` (e.g.
/// `VNSVNI2`) hints VNI. A hint alone does not convert anything: it is the default of
/// [`choose_legacy`] for text that the content does not decide.
pub fn font_name_hint(name: &str) -> Option<Encoding> {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if key.contains("TCVN3") || key.contains("VN3") {
        Some(Encoding::Tcvn3)
    } else if key.contains("VNI") {
        Some(Encoding::Vni)
    } else {
        None
    }
}

/// Net syllable evidence of `text`: valid minus invalid counted tokens.
fn net_evidence(text: &str) -> i64 {
    net_of(syllable_counts(text))
}

/// [`net_evidence`] of `text` converted from `enc` (NFC already: not normalised again).
fn net_evidence_converted(text: &str, enc: Encoding) -> i64 {
    net_of(syllable_counts_nfc(&convert(text, enc)))
}

fn net_of((valid, counted): (usize, usize)) -> i64 {
    let valid = i64::try_from(valid).unwrap_or(i64::MAX / 2);
    let counted = i64::try_from(counted).unwrap_or(i64::MAX / 2);
    2 * valid - counted
}

/// What [`compare_legacy`] found (so sánh TCVN3 và VNI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyChoice {
    /// This encoding fits the text better than the other one.
    Pick(Encoding),
    /// TCVN3 and VNI fit equally well (often: no token decides); the caller's
    /// default decides.
    Tie,
    /// Leave the text alone: it holds Vietnamese-only letters (the guard), or both
    /// conversions have less evidence than the text as given.
    Leave,
}

/// Compares TCVN3 and VNI on text known to be legacy (its font is a legacy font,
/// by [`legacy_evidence`] or [`font_name_hint`]) but not which of the two. Unlike
/// [`detect`], any amount of evidence decides: the trial with more valid minus
/// invalid syllables ([`is_valid_syllable`]) wins.
pub fn compare_legacy(text: &str) -> LegacyChoice {
    if has_vietnamese_only_letters(text) {
        return LegacyChoice::Leave;
    }
    let before = net_evidence(text);
    let tcvn3 = net_evidence_converted(text, Encoding::Tcvn3);
    let vni = net_evidence_converted(text, Encoding::Vni);
    if tcvn3.max(vni) < before {
        return LegacyChoice::Leave;
    }
    match tcvn3.cmp(&vni) {
        std::cmp::Ordering::Greater => LegacyChoice::Pick(Encoding::Tcvn3),
        std::cmp::Ordering::Less => LegacyChoice::Pick(Encoding::Vni),
        std::cmp::Ordering::Equal => LegacyChoice::Tie,
    }
}

/// Minimum lead in net syllable evidence (valid minus invalid tokens) of the other
/// encoding for [`contradicts_font`].
pub const CONTRADICT_MIN_LEAD: i64 = 4;

/// Whether text in a font named as TCVN3 or VNI is plainly typed in the other of the
/// two (gõ sai bảng mã so với phông): e.g. TCVN3 bytes `§¬n vÞ tÝnh` left in a
/// paragraph whose style font is `VNI-Times`. Returns the other encoding when its
/// conversion has positive net evidence (valid minus invalid syllables) and leads
/// the font's own conversion by at least [`CONTRADICT_MIN_LEAD`] (two tokens turned
/// from invalid to valid). The guard applies: `None` for text with Vietnamese-only
/// letters, and for other encodings.
pub fn contradicts_font(text: &str, font_encoding: Encoding) -> Option<Encoding> {
    let other = match font_encoding {
        Encoding::Tcvn3 => Encoding::Vni,
        Encoding::Vni => Encoding::Tcvn3,
        Encoding::Viscii | Encoding::Viqr => return None,
    };
    // ASCII converts to itself in TCVN3 and VNI (but for 0x1F, the .doc ư), and
    // ASCII tokens are neutral: no evidence either way
    if (text.is_ascii() && !text.contains('\u{1F}')) || has_vietnamese_only_letters(text) {
        return None;
    }
    let alt = net_evidence_converted(text, other);
    if alt <= 0 {
        return None;
    }
    let own = net_evidence_converted(text, font_encoding);
    (alt - own >= CONTRADICT_MIN_LEAD).then_some(other)
}

/// [`compare_legacy`], with `default` deciding a tie (chọn bảng mã cho văn bản đã
/// biết là mã cũ). `None`: leave the text alone.
pub fn choose_legacy(text: &str, default: Encoding) -> Option<Encoding> {
    match compare_legacy(text) {
        LegacyChoice::Pick(enc) => Some(enc),
        LegacyChoice::Tie => Some(default),
        LegacyChoice::Leave => None,
    }
}

/// Result of [`detect`] (nhận dạng bảng mã).
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The chosen encoding, or `None` when the text should be left alone.
    pub encoding: Option<Encoding>,
    /// [`syllable_score`] of the text as given.
    pub score_before: f32,
    /// [`syllable_score`] of the best trial conversion (of the chosen encoding, if
    /// any); equal to `score_before` when no trial changed the text or the guard hit.
    pub score_after: f32,
    /// Human-readable explanation of the decision.
    pub reason: String,
}

/// Guesses the legacy encoding of text whose font says nothing (đoán bảng mã).
///
/// Never converts text that already holds Vietnamese-only letters (the guard). Otherwise
/// trial-converts with TCVN3, VNI and VISCII (VIQR is never guessed: convert it only
/// when asked) and scores each result with [`syllable_score`]. The best trial is chosen
/// only when all of these hold:
/// * its score is at least [`DETECT_MIN_SCORE`] (0.75);
/// * it beats the unconverted text by at least [`DETECT_MIN_GAIN`] (0.25);
/// * it beats the second-best trial by at least [`DETECT_MIN_SEPARATION`] (0.10);
/// * it has at least [`DETECT_MIN_TOKENS`] (2) counted tokens.
///
/// Otherwise `encoding` is `None`. Convert with [`convert`] afterwards.
pub fn detect(text: &str) -> Detection {
    let before = syllable_score(text);
    if has_vietnamese_only_letters(text) {
        return Detection {
            encoding: None,
            score_before: before,
            score_after: before,
            reason: "guard: the text already holds Vietnamese-only letters".to_string(),
        };
    }
    let trials = trials(text);
    let Some(&(enc, best, tokens)) = trials.first() else {
        return Detection {
            encoding: None,
            score_before: before,
            score_after: before,
            reason: "no trial conversion changes the text".to_string(),
        };
    };
    let second = trials.get(1).map_or(0.0, |t| t.1);
    let summary =
        format!("best {enc} {best:.2} over {tokens} tokens (before {before:.2}, next {second:.2})");
    let failure = if best < DETECT_MIN_SCORE {
        Some(format!("score below {DETECT_MIN_SCORE}"))
    } else if best - before < DETECT_MIN_GAIN {
        Some(format!("gain below {DETECT_MIN_GAIN}"))
    } else if best - second < DETECT_MIN_SEPARATION {
        Some(format!(
            "lead over the next trial below {DETECT_MIN_SEPARATION}"
        ))
    } else if tokens < DETECT_MIN_TOKENS {
        Some(format!("fewer than {DETECT_MIN_TOKENS} tokens"))
    } else {
        None
    };
    match failure {
        None => Detection {
            encoding: Some(enc),
            score_before: before,
            score_after: best,
            reason: format!("chosen: {summary}"),
        },
        Some(why) => Detection {
            encoding: None,
            score_before: before,
            score_after: best,
            reason: format!("not converted, {why}: {summary}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCVN3_SENTENCE: &str =
        "QuyÕt ®Þnh c«ng bè thñ tôc hµnh chÝnh néi bé cña Uû ban nh©n d©n tØnh";
    const UNICODE_SENTENCE: &str =
        "Quyết định công bố thủ tục hành chính nội bộ của Uỷ ban nhân dân tỉnh";

    /// The table-driven fast path of `is_valid_syllable` decides exactly as the
    /// general (normalising) path, over every onset × rhyme × tone in NFC, NFD,
    /// capitals and title case, and over odd letters (ñ, Kelvin sign, İ, ß, stray marks).
    #[test]
    fn syllable_fast_path_matches_general_path() {
        let mut words: Vec<String> = Vec::new();
        let tones = [
            "", "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}",
        ];
        for onset in ONSETS {
            for rhyme in RHYMES {
                for tone in tones {
                    // the tone on the first, then the last vowel of the rhyme
                    for pos in [0, rhyme.chars().count().saturating_sub(1)] {
                        let mut w = String::from(*onset);
                        for (i, c) in rhyme.chars().enumerate() {
                            w.push(c);
                            if i == pos {
                                w.push_str(tone);
                            }
                        }
                        let nfc: String = w.nfc().collect();
                        words.push(nfc.to_uppercase());
                        let mut title = nfc.chars();
                        if let Some(first) = title.next() {
                            words.push(first.to_uppercase().chain(title).collect());
                        }
                        words.push(nfc.nfd().collect());
                        words.push(nfc);
                        words.push(w);
                    }
                }
            }
        }
        for odd in [
            "ñam",
            "\u{212A}im",
            "İt",
            "ßa",
            "a\u{0301}\u{0301}",
            "\u{0301}a",
            "t\u{0300}nh",
            "nh©n",
            "uû",
            "ÿ",
            "",
            "ỳỳ",
            "qua",
            "gì",
            "gìn",
            "kha",
            "ka",
            "ghe",
            "nghiêng",
        ] {
            words.push(odd.to_string());
        }
        for w in &words {
            assert_eq!(
                is_valid_syllable(w),
                is_valid_syllable_general(w),
                "{w:?} ({:?})",
                w.chars().collect::<Vec<_>>()
            );
        }
        assert!(words.len() > 50_000, "{}", words.len());
    }

    /// The table of bases decides as the onset/rhyme rules: every string of up to
    /// four letters, and every onset followed by up to three letters.
    #[test]
    fn valid_bases_match_onset_rhyme_rules() {
        let letters: Vec<char> = ALPHABET.chars().collect();
        let mut words: Vec<String> = vec![String::new()];
        let mut layer: Vec<String> = vec![String::new()];
        for len in 1..=4 {
            let mut next = Vec::new();
            for w in &layer {
                for &c in &letters {
                    let mut x = w.clone();
                    x.push(c);
                    next.push(x);
                }
            }
            words.extend(next.iter().cloned());
            if len < 4 {
                layer = next;
            } else {
                break;
            }
        }
        let short: Vec<String> = words
            .iter()
            .filter(|w| w.chars().count() <= 3)
            .cloned()
            .collect();
        for onset in ONSETS {
            for w in &short {
                words.push(format!("{onset}{w}"));
            }
        }
        for w in &words {
            assert_eq!(
                valid_bases().contains(w.as_str()),
                onset_rhyme_fits(w),
                "{w:?}"
            );
        }
        assert!(valid_bases().iter().all(|b| b.len() <= BASE_CAP));
        assert!(valid_bases().contains("nghiêng") && valid_bases().contains("quôc"));
    }

    /// The stretch-wise NFC equals NFC of the whole text.
    #[test]
    fn nfc_by_stretches() {
        let pieces = [
            "a", "\u{301}", "\u{323}", "\u{302}", "e", "\u{31B}", "ơ", "Đ", " ", "©", "ñ",
            "\u{300}", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}", "ệ", "\u{340}", "\u{344}",
            "Å", "\u{212B}", "\u{FB2A}", "\u{5B4}", "\u{F900}", "\u{2126}", "x",
        ];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut t = String::new();
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let n = (rng % 9) as usize;
            let mut r = rng;
            for _ in 0..n {
                t.push_str(pieces[(r % pieces.len() as u64) as usize]);
                r /= pieces.len() as u64;
                if r == 0 {
                    r = rng.rotate_left(17) | 1;
                }
            }
            let want: String = t.nfc().collect();
            assert_eq!(nfc(&t), want, "{t:?}");
        }
        for s in [TCVN3_SENTENCE, UNICODE_SENTENCE] {
            for enc in Encoding::ALL {
                let raw = match enc {
                    Encoding::Tcvn3 => convert_tcvn3(s),
                    Encoding::Vni => convert_vni(s),
                    Encoding::Viscii => convert_viscii(s),
                    Encoding::Viqr => convert_viqr(s),
                };
                assert_eq!(nfc(&raw), raw.nfc().collect::<String>());
            }
        }
    }

    #[test]
    fn detects_and_converts_tcvn3() {
        let d = detect(TCVN3_SENTENCE);
        assert_eq!(d.encoding, Some(Encoding::Tcvn3), "{d:?}");
        assert!(d.score_after > d.score_before, "{d:?}");
        assert_eq!(convert(TCVN3_SENTENCE, Encoding::Tcvn3), UNICODE_SENTENCE);
    }

    #[test]
    fn detects_vni() {
        let text = "Tröôøng Ñaïi hoïc Sö phaïm Thaønh phoá Hoà Chí Minh";
        let d = detect(text);
        assert_eq!(d.encoding, Some(Encoding::Vni), "{d:?}");
        assert_eq!(
            convert(text, Encoding::Vni),
            "Trường Đại học Sư phạm Thành phố Hồ Chí Minh"
        );
    }

    #[test]
    fn leaves_unicode_alone() {
        let d = detect(UNICODE_SENTENCE);
        assert_eq!(d.encoding, None, "{d:?}");
        assert!(d.reason.starts_with("guard"), "{d:?}");
        // Unicode Vietnamese built only from Latin-1 letters: no guard, but no gain.
        let text = "Cô giáo Hà và tôi là bà con, nhà ông bà bên chùa";
        assert!(!has_vietnamese_only_letters(text));
        let d = detect(text);
        assert_eq!(d.encoding, None, "{d:?}");
        assert_eq!(d.score_before, 1.0, "{d:?}");
    }

    #[test]
    fn leaves_english_and_french_alone() {
        for text in [
            "The quick brown fox jumps over the lazy dog.",
            "Café crème à la française, déjà vu, naïve façade",
            "Señor Muñoz, año 2005: “quoted” … – done",
            "Copyright © 2005 · Company ® ¶ § ± °",
            "",
        ] {
            let d = detect(text);
            assert_eq!(d.encoding, None, "{text}: {d:?}");
        }
    }

    #[test]
    fn guard() {
        assert!(has_vietnamese_only_letters("Việt"));
        assert!(has_vietnamese_only_letters("Ăn"));
        assert!(has_vietnamese_only_letters("đi"));
        assert!(has_vietnamese_only_letters("Ơn"));
        assert!(has_vietnamese_only_letters("ưu"));
        // NFD input is recognised too (o + horn).
        assert!(has_vietnamese_only_letters("o\u{031B}"));
        assert!(!has_vietnamese_only_letters("Tôi là giáo viên"));
        assert!(!has_vietnamese_only_letters("Uû ban nh©n d©n tØnh"));
        // A converted run whose font stayed `.VnTime` is not converted again.
        let class = FontClass {
            encoding: Encoding::Tcvn3,
            uppercase: true,
        };
        assert_eq!(convert_run("Cộng hoà", class), "Cộng hoà");
        assert_eq!(
            convert_run("Céng hoµ", class),
            "CỘNG HOÀ",
            "without Vietnamese-only letters the run is converted"
        );
    }

    #[test]
    fn fonts() {
        let c = |n: &str| classify_font(n).map(|f| (f.encoding, f.uppercase));
        assert_eq!(c(".VnTime"), Some((Encoding::Tcvn3, false)));
        assert_eq!(c(".VnTimeH"), Some((Encoding::Tcvn3, true)));
        assert_eq!(c(".VnArialH"), Some((Encoding::Tcvn3, true)));
        assert_eq!(c(".VnCentury SchoolbookH"), Some((Encoding::Tcvn3, true)));
        assert_eq!(c(".VnCentury Schoolbook"), Some((Encoding::Tcvn3, false)));
        assert_eq!(c(".VnBahamasB"), Some((Encoding::Tcvn3, false)));
        assert_eq!(c(".VnBahamasBH"), Some((Encoding::Tcvn3, true)));
        assert_eq!(c(".vntimeh"), Some((Encoding::Tcvn3, true)));
        assert_eq!(c(".VNTIME"), Some((Encoding::Tcvn3, false)));
        assert_eq!(c(".VnI-Times"), None);
        assert_eq!(c("VNI-Times"), Some((Encoding::Vni, false)));
        assert_eq!(c("VNI-Helve-Condense"), Some((Encoding::Vni, false)));
        assert_eq!(c("vni-times"), Some((Encoding::Vni, false)));
        assert_eq!(c("VI Times"), Some((Encoding::Viscii, false)));
        assert_eq!(c("VISCII Times"), Some((Encoding::Viscii, false)));
        assert_eq!(c("Times New Roman"), None);
        assert_eq!(c("Vinhan"), None);
        assert_eq!(c(""), None);
    }

    #[test]
    fn mixed_legacy_choice() {
        assert_eq!(font_name_hint("VNSTCVN3"), Some(Encoding::Tcvn3));
        assert_eq!(font_name_hint("VNSVNI2"), Some(Encoding::Vni));
        assert_eq!(font_name_hint("Times New Roman"), None);
        assert_eq!(
            compare_legacy("Caên cöù Nghò ñònh"),
            LegacyChoice::Pick(Encoding::Vni)
        );
        assert_eq!(
            compare_legacy("§¬n vÞ tÝnh: TriÖu ®ång"),
            LegacyChoice::Pick(Encoding::Tcvn3)
        );
        assert_eq!(compare_legacy("UBND 2005"), LegacyChoice::Tie);
        assert_eq!(
            choose_legacy("UBND 2005", Encoding::Vni),
            Some(Encoding::Vni)
        );
        assert_eq!(compare_legacy(UNICODE_SENTENCE), LegacyChoice::Leave);
        assert_eq!(
            compare_legacy("Cô giáo và bà con nhà ông"),
            LegacyChoice::Leave
        );
        // a paragraph styled VNI-Times but typed in TCVN3, and the converse
        assert_eq!(
            contradicts_font("§¬n vÞ tÝnh: TriÖu ®ång", Encoding::Vni),
            Some(Encoding::Tcvn3)
        );
        assert_eq!(
            contradicts_font("Caên cöù Nghò ñònh", Encoding::Tcvn3),
            Some(Encoding::Vni)
        );
        assert_eq!(contradicts_font(TCVN3_SENTENCE, Encoding::Tcvn3), None);
        assert_eq!(contradicts_font("Coäng", Encoding::Vni), None);
        assert_eq!(contradicts_font(UNICODE_SENTENCE, Encoding::Vni), None);
        let mixed = format!("{TCVN3_SENTENCE} Tröôøng Ñaïi hoïc Sö phaïm Thaønh phoá");
        assert!(legacy_evidence(&mixed.repeat(3)).is_some());
        assert_eq!(legacy_evidence("The quick brown fox"), None);
    }

    #[test]
    fn encoding_names() {
        for enc in Encoding::ALL {
            assert_eq!(enc.to_string().parse::<Encoding>(), Ok(enc));
        }
        assert_eq!("TCVN3".parse::<Encoding>(), Ok(Encoding::Tcvn3));
        assert!("tcvn".parse::<Encoding>().is_err());
    }

    #[test]
    fn vni_tolerance() {
        assert_eq!(convert("Aù aÙ", Encoding::Vni), "Á á");
        assert_eq!(convert("Ôù", Encoding::Vni), "Ớ");
        assert_eq!(convert("öï", Encoding::Vni), "ự");
        // Cp1252 punctuation passes through.
        assert_eq!(convert("“Ñoäc” …", Encoding::Vni), "“Độc” …");
    }

    #[test]
    fn vni_marks_agree_with_pairs() {
        let m = maps();
        for &(legacy, uni) in tables::VNI.iter() {
            let mut it = legacy.chars();
            if let (Some(base), Some(mark), None) = (it.next(), it.next(), it.next()) {
                let base = m
                    .vni_singles
                    .get(&base)
                    .map_or_else(|| base.to_string(), |s| s.to_string());
                let marks = m.vni_marks.get(&mark).copied().unwrap_or("?");
                let composed: String = format!("{base}{marks}").nfc().collect();
                assert_eq!(composed, uni, "{legacy}");
            }
        }
    }

    #[test]
    fn tcvn3_details() {
        assert_eq!(convert("Th\u{AD}¬ng", Encoding::Tcvn3), "Thương");
        assert_eq!(convert("Th\u{1F}¬ng", Encoding::Tcvn3), "Thương");
        for &(_, uni, upper) in tables::TCVN3.iter() {
            assert_eq!(uni.to_uppercase(), upper);
        }
    }

    #[test]
    fn viqr_rules() {
        let v = |s: &str| convert(s, Encoding::Viqr);
        assert_eq!(v("Vie^.t Nam"), "Việt Nam");
        assert_eq!(v("ho^.i."), "hội.");
        assert_eq!(v("a^'"), "ấ");
        assert_eq!(v("a'^"), "á^");
        assert_eq!(v("b^ c("), "b^ c(");
        assert_eq!(v("tu*o*ng"), "tương");
        assert_eq!(v("DDa^y dda^y Dda^y"), "Đây đây Đây");
        assert_eq!(v("gi`\\?"), "gì?");
        assert_eq!(v("end\\"), "end\\");
        assert_eq!(v("\\\\a'"), "\\á");
    }

    #[test]
    fn syllables() {
        for ok in [
            "Nguyễn", "quyết", "Quỳnh", "giếng", "gì", "khuya", "người", "thuở", "oanh", "ích",
            "Thuỵ", "kỷ", "xoong", "ĐỨC", "hoà", "hòa", "yêu", "Mỵ", "khuỷu",
        ] {
            assert!(is_valid_syllable(ok), "{ok}");
        }
        for bad in [
            "café",
            "ka",
            "ci",
            "ghe\u{301}a",
            "tôc",
            "hộị",
            "nh©n",
            "Ën",
            "ñ",
            "",
            "q",
            "ngo\u{301}\u{300}",
        ] {
            assert!(!is_valid_syllable(bad), "{bad}");
        }
        assert_eq!(syllable_score("ban UBND 2005"), 0.0);
        assert_eq!(syllable_score("Cộng hoà xã hội"), 1.0);
        assert_eq!(syllable_score("nh©n dân"), 0.5);
        assert_eq!(syllable_score("à © ·"), 0.0);
    }

    #[test]
    fn no_panics_on_odd_input() {
        let odd = [
            "",
            "\\",
            "a",
            "DD",
            "\u{AD}",
            "\u{300}",
            "a\u{300}\u{301}\u{302}",
            "\u{0}\u{1F}\u{80}",
            "\u{FFFF}\u{10FFFF}",
            "İı ß ﬁ",
            "a(((^^^+++'''",
            "Aù\u{301}\u{323}",
        ];
        for s in odd {
            for enc in Encoding::ALL {
                let _ = convert(s, enc);
                let _ = convert_run(
                    s,
                    FontClass {
                        encoding: enc,
                        uppercase: true,
                    },
                );
            }
            let _ = detect(s);
            let _ = syllable_score(s);
            let _ = classify_font(s);
        }
    }
}
