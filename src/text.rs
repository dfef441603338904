//! Vietnamese text helpers: NFC normalisation, comparison tolerant of old/new
//! tone placement, numbers in words, ND30 date lines and Vietnamese number formatting.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalise to Unicode NFC (TCVN 6909:2001 precomposed form).
pub fn nfc(s: &str) -> String {
    nfc_cow(s).into_owned()
}

/// `text` in NFC, borrowed when it is NFC already (always so when every character
/// is below U+0300, where no character decomposes or combines).
///
/// Only the stretches that may change are normalised: a character of
/// [`is_nfc_starter`] has canonical combining class 0 and NFC_Quick_Check=Yes, so
/// it is a normalisation boundary (UAX #15): NFC of the text is NFC of the pieces
/// cut before such characters. Each stretch runs from the starter before a
/// non-starter to the next starter.
pub fn nfc_cow(text: &str) -> Cow<'_, str> {
    if plainly_nfc(text) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(|c: char| !is_nfc_starter(c)) else {
        return Cow::Borrowed(text);
    };
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut next = Some(first);
    while let Some(i) = next {
        let (head, tail) = rest.split_at(i);
        // the stretch starts at the last character before the non-starter
        let start = head.char_indices().next_back().map_or(0, |(j, _)| j);
        let (keep, lead) = head.split_at(start);
        out.push_str(keep);
        let end = tail.find(is_nfc_starter).unwrap_or(tail.len());
        let (marks, after) = tail.split_at(end);
        out.extend(lead.chars().chain(marks.chars()).nfc());
        rest = after;
        next = rest.find(|c: char| !is_nfc_starter(c));
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Characters that are NFC on their own and never combine with a neighbour:
/// everything below U+0300, the precomposed Vietnamese letters and the common
/// punctuation of U+2010–U+2027 (dashes, quotes, ellipsis).
pub(crate) fn is_nfc_starter(c: char) -> bool {
    u32::from(c) < 0x300
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || ('\u{2010}'..='\u{2027}').contains(&c)
}

/// Whether `s` is in Unicode NFC for certain from its characters alone: each one is
/// ASCII, Latin below the combining marks, a precomposed Vietnamese letter or common
/// punctuation, which NFC keeps as they are and nothing here composes with. A text
/// this says nothing about may still be NFC.
fn plainly_nfc(s: &str) -> bool {
    // read as UTF-8 bytes: the ranges are U+0000–U+02FF, U+1EA0–U+1EF9, U+2010–U+2027
    let b = s.as_bytes();
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x00..=0x7f => i += 1,
            0xc2..=0xcb => i += 2,
            0xe1 if (at(i + 1) == 0xba && at(i + 2) >= 0xa0)
                || (at(i + 1) == 0xbb && at(i + 2) <= 0xb9) =>
            {
                i += 3
            }
            0xe2 if at(i + 1) == 0x80 && (0x90..=0xa7).contains(&at(i + 2)) => i += 3,
            _ => return false,
        }
    }
    true
}

/// Normalise every string inside a JSON value to NFC, in place.
pub fn nfc_value(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) if !unicode_normalization::is_nfc(s) => {
            *s = s.nfc().collect();
        }
        Value::Array(a) => a.iter_mut().for_each(nfc_value),
        Value::Object(o) => o.values_mut().for_each(nfc_value),
        _ => {}
    }
}

/// Normalise every string of a serialisable value to NFC (used for profiles).
pub fn nfc_profile<T: serde::Serialize + serde::de::DeserializeOwned>(t: T) -> T {
    match serde_json::to_value(&t) {
        Ok(mut v) => {
            nfc_value(&mut v);
            serde_json::from_value(v).unwrap_or(t)
        }
        Err(_) => t,
    }
}

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// A key for comparing Vietnamese text: case-folded, whitespace collapsed, and each
/// syllable's tone mark moved to the end of the syllable, so "hoà" and "hòa",
/// "thuỷ" and "thủy" compare equal.
pub fn compare_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut tones = String::new();
        for c in word.to_lowercase().nfd() {
            if TONE_MARKS.contains(&c) {
                tones.push(c);
            } else {
                out.push(c);
            }
        }
        out.push_str(&tones);
    }
    out
}

/// True when two texts are equal up to NFC, case, spacing and tone placement.
pub fn same_text(a: &str, b: &str) -> bool {
    compare_key(a) == compare_key(b)
}

/// A number with at least two digits, as ND30 writes counts and numbers: 6 → "06".
pub fn two_digits(n: u64) -> String {
    format!("{n:02}")
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

fn below_thousand(n: u64, full: bool) -> String {
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut parts: Vec<&str> = Vec::new();
    if h > 0 || full {
        parts.push(DIGITS[h as usize]);
        parts.push("trăm");
    }
    match t {
        0 => {
            if u > 0 && (h > 0 || full) {
                parts.push("linh");
            }
            if u > 0 {
                parts.push(DIGITS[u as usize]);
            }
        }
        1 => {
            parts.push("mười");
            match u {
                0 => {}
                5 => parts.push("lăm"),
                _ => parts.push(DIGITS[u as usize]),
            }
        }
        _ => {
            parts.push(DIGITS[t as usize]);
            parts.push("mươi");
            match u {
                0 => {}
                1 => parts.push("mốt"),
                4 => parts.push("tư"),
                5 => parts.push("lăm"),
                _ => parts.push(DIGITS[u as usize]),
            }
        }
    }
    parts.join(" ")
}

/// A whole number in Vietnamese words, lower case: 21 → "hai mươi mốt", 105 → "một trăm linh năm".
pub fn number_words(n: u64) -> String {
    if n == 0 {
        return "không".to_string();
    }
    let units = ["", "nghìn", "triệu", "tỷ"];
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 1000);
        m /= 1000;
    }
    let mut parts: Vec<String> = Vec::new();
    let top = groups.len() - 1;
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        let full = i != top;
        parts.push(below_thousand(*g, full));
        let unit = units.get(i % 4).copied().unwrap_or("");
        if !unit.is_empty() {
            parts.push(unit.to_string());
        }
        if i >= 4 && i % 4 == 0 {
            parts.push("tỷ".to_string());
        }
    }
    parts.join(" ")
}

/// A count as decisions write it: 6 → "06 (Sáu)", 12 → "12 (Mười hai)".
pub fn count_with_words(n: u64) -> String {
    let w = number_words(n);
    let mut c = w.chars();
    let cap = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>(),
        None => w,
    };
    format!("{} ({cap})", two_digits(n))
}

/// The ND30 date line: "Lào Cai, ngày 05 tháng 01 năm 2026"; a blank date leaves room to fill in by hand.
pub fn date_line(place: &str, date: Option<chrono::NaiveDate>, year: i32) -> String {
    format!("{place}, {}", date_words(date, year))
}

/// "ngày 05 tháng 01 năm 2026" with ND30 zero-padding (day < 10; months 1 and 2), or blanks.
pub fn date_words(date: Option<chrono::NaiveDate>, year: i32) -> String {
    use chrono::Datelike;
    match date {
        Some(d) => {
            let (day, month) = (d.day(), d.month());
            let dd = format!("{day:02}");
            let mm = if month <= 2 {
                format!("{month:02}")
            } else {
                month.to_string()
            };
            format!("ngày {dd} tháng {mm} năm {}", d.year())
        }
        None => format!("ngày      tháng      năm {year}"),
    }
}

/// Money in Vietnamese form, rounded to whole đồng: 3000000 → "3.000.000".
pub fn money(v: f64) -> String {
    let neg = v < 0.0;
    let n = v.abs().round() as u128;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A percentage with two decimals and a decimal comma: 71.6371 → "71,64%".
pub fn percent(v: f64) -> String {
    format!("{:.2}%", v).replace('.', ",")
}

/// Roman numeral, upper case: 4 → "IV", 14 → "XIV" (group and section numbers).
pub fn roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Upper-case with full Unicode mapping ("ủy ban" → "ỦY BAN").
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn plainly_nfc_characters_are_nfc_starters() {
        use unicode_normalization::{char::canonical_combining_class, is_nfc_quick, IsNormalized};
        for u in 0..0x11000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let plain =
                u < 0x300 || (0x1ea0..=0x1ef9).contains(&u) || (0x2010..=0x2027).contains(&u);
            let t = format!("a{c}ồ");
            assert_eq!(plainly_nfc(&t), plain, "{u:x}");
            assert_eq!(is_nfc_starter(c), plain, "{u:x}");
            if plain {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{u:x}");
                assert_eq!(canonical_combining_class(c), 0, "{u:x}");
            }
        }
    }

    #[test]
    fn counts_in_words() {
        assert_eq!(count_with_words(6), "06 (Sáu)");
        assert_eq!(count_with_words(10), "10 (Mười)");
        assert_eq!(count_with_words(15), "15 (Mười lăm)");
        assert_eq!(count_with_words(21), "21 (Hai mươi mốt)");
        assert_eq!(count_with_words(24), "24 (Hai mươi tư)");
        assert_eq!(count_with_words(105), "105 (Một trăm linh năm)");
        assert_eq!(number_words(1000), "một nghìn");
        assert_eq!(number_words(2306), "hai nghìn ba trăm linh sáu");
    }

    #[test]
    fn nd30_dates() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 5);
        assert_eq!(
            date_line("Hà Nội", d, 2020),
            "Hà Nội, ngày 05 tháng 01 năm 2020"
        );
        let d = NaiveDate::from_ymd_opt(2019, 6, 29);
        assert_eq!(
            date_line("Thành phố Hồ Chí Minh", d, 2019),
            "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"
        );
        assert_eq!(
            date_line("Lào Cai", None, 2026),
            "Lào Cai, ngày      tháng      năm 2026"
        );
    }

    #[test]
    fn tone_placement_is_tolerated() {
        assert!(same_text("Hoà bình", "hòa  bình"));
        assert!(same_text("thuỷ lợi", "THỦY LỢI"));
        assert!(!same_text("hòa", "hóa"));
        assert_eq!(nfc("e\u{302}\u{301}"), "ế");
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(money(3_000_000.0), "3.000.000");
        assert_eq!(money(999.4), "999");
        assert_eq!(percent(71.6371), "71,64%");
    }
}
