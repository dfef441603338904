//! The decision's own metadata: số/ký hiệu, date and place, issuing body, type,
//! trích yếu, thẩm quyền, căn cứ, "Theo đề nghị", articles, signer and recipients.

use std::borrow::Cow;

use crate::model::{Decision, Signer};

use super::util::{self, fkey};
use super::{Loc, View};

/// One line of the document for header analysis (paragraphs split at line breaks and tabs).
#[derive(Debug, Clone)]
struct Item<'a> {
    /// The line, whitespace collapsed (the paragraph's own text when it is one line).
    text: Cow<'a, str>,
    loc: Loc,
    node: usize,
}

const DOC_TYPES: [&str; 12] = [
    "quyet dinh",
    "quy trinh",
    "ke hoach",
    "chi thi",
    "thong bao",
    "nghi quyet",
    "to trinh",
    "bao cao",
    "quy dinh",
    "quy che",
    "huong dan",
    "nghi dinh",
];

const TITLE_WORDS: [&str; 24] = [
    "PHÓ CHỦ TỊCH",
    "CHỦ TỊCH",
    "THỨ TRƯỞNG",
    "BỘ TRƯỞNG",
    "PHÓ GIÁM ĐỐC",
    "GIÁM ĐỐC",
    "PHÓ CHÁNH VĂN PHÒNG",
    "CHÁNH VĂN PHÒNG",
    "PHÓ TRƯỞNG BAN",
    "TRƯỞNG BAN",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "TỔNG CỤC TRƯỞNG",
    "CHÁNH THANH TRA",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "CHỈ HUY TRƯỞNG",
    "THỦ TRƯỞNG",
    "TỔNG GIÁM ĐỐC",
    "HIỆU TRƯỞNG",
    "BÍ THƯ",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
];

const AUTHORITY_PREFIXES: [&str; 5] = ["KT.", "TM.", "TL.", "TUQ.", "Q."];

fn items(view: &View) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for (node, p) in view.linear() {
        // the lines between line breaks and tabs; one line: its clean text is the
        // paragraph's text
        let raw = p.raw().as_bytes();
        let one_line = memchr::memchr2(b'\n', b'\t', raw).is_none();
        let ends = memchr::memchr2_iter(b'\n', b'\t', raw).chain([raw.len()]);
        let mut start = 0;
        for end in ends {
            let line = &p.raw()[start..end];
            start = end + 1;
            let t = if one_line {
                Cow::Borrowed(p.text.as_str())
            } else {
                Cow::Owned(util::clean(line))
            };
            if t.is_empty() || t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*' | ' ')) {
                continue;
            }
            out.push(Item {
                text: t,
                loc: p.loc,
                node,
            });
        }
    }
    out
}

fn starts(f: &str, words: &str) -> bool {
    f == words || f.starts_with(&format!("{words} ")) || f.starts_with(&format!("{words}:"))
}

fn is_doc_type(t: &str) -> Option<usize> {
    if !util::is_upper(t, 4) || t.ends_with(':') {
        return None;
    }
    let f = fkey(t);
    for d in DOC_TYPES {
        if f == d {
            return Some(t.chars().count());
        }
        // "QUYẾT ĐỊNH VỀ VIỆC …" on one line
        if f.starts_with(&format!("{d} ve viec")) {
            return Some(d.chars().count());
        }
    }
    None
}

/// The first character of [`fkey`]`(t)`, without building the key: a cheap test
/// before the full key in scans over every line.
fn first_key_char(t: &str) -> Option<char> {
    t.chars().map(util::fold_char).find(|c| !c.is_whitespace())
}

/// "PHỤ LỤC II", "Phụ lục 01", "PHẦN I. DANH MỤC …": the start of an appendix.
fn is_appendix_heading(t: &str) -> bool {
    if first_key_char(t) != Some('p') {
        return false;
    }
    let f = fkey(t);
    let short = t.chars().count() <= 24;
    (f.starts_with("phu luc") && (short || util::is_upper(t, 6)))
        || ((f.starts_with("phan i") || f.starts_with("phan 1")) && util::is_upper(t, 4))
}

fn is_grounds(f: &str) -> bool {
    starts(f, "can cu")
}

fn is_proposal(f: &str) -> bool {
    starts(f, "theo de nghi") || starts(f, "xet de nghi")
}

fn is_enacting(t: &str) -> bool {
    let f = fkey(t);
    (f == "quyet dinh:" || f == "quyet dinh :" || f == "quyet nghi:" || f == "quyet dinh")
        && t.ends_with(':')
}

/// "Điều 3." → 3
fn article_no(t: &str) -> Option<u32> {
    if first_key_char(t) != Some('d') {
        return None;
    }
    let f = fkey(t);
    let rest = f.strip_prefix("dieu ")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || !matches!(after, None | Some('.') | Some(':') | Some(' ')) {
        return None;
    }
    digits.parse().ok()
}

/// The decision's metadata, and where its trích yếu was read.
pub(crate) fn extract(
    view: &View,
    warnings: &mut Vec<String>,
) -> (Option<Decision>, Option<String>) {
    let items = items(view);
    if items.is_empty() {
        return (None, None);
    }
    // "Số:" and the number may be split over two lines
    let mut items = items;
    for k in 0..items.len().saturating_sub(1) {
        // "Số:" alone: cheap first-letter test before the key of every line
        if first_key_char(&items[k].text) != Some('s') {
            continue;
        }
        let f = fkey(&items[k].text);
        if (f == "so:" || f == "so") && so_value(&format!("Số: {}", items[k + 1].text)).is_some()
        {
            let joined = format!("Số: {}", items[k + 1].text);
            items[k].text = Cow::Owned(joined);
            items.remove(k + 1);
            break;
        }
    }
    let items = items;
    // body markers
    // the header is at the top: before Điều 1 and before any appendix heading
    let first_article = items.iter().position(|i| article_no(&i.text) == Some(1));
    let first_appendix = items.iter().position(|i| is_appendix_heading(&i.text));
    let search_end = first_article
        .unwrap_or(items.len())
        .min(first_appendix.unwrap_or(items.len()))
        .min(150);
    let type_idx = items[..search_end]
        .iter()
        .position(|i| is_doc_type(&i.text).is_some());
    let number_idx = items[..search_end
        .min(type_idx.map(|t| t + 1).unwrap_or(search_end))
        .min(items.len())]
        .iter()
        .rposition(|i| so_value(&i.text).is_some());
    if type_idx.is_none() && number_idx.is_none() {
        return (None, None);
    }
    let mut title_loc = None;
    let mut d = Decision::default();
    let anchor = type_idx.or(number_idx).unwrap_or(0);
    let zone_start = anchor.saturating_sub(30);

    // số, ký hiệu
    if let Some(ni) = number_idx {
        if let Some((num, sym)) = so_value(&items[ni].text) {
            match num {
                Some(n) => d.number = Some(format!("{n}/{sym}")),
                None => warnings.push(format!(
                    "decision number is blank (\"Số: …/{sym}\", {}): a draft awaiting registration",
                    items[ni].loc
                )),
            }
        }
    } else {
        warnings.push("no \"Số: …\" line in the header".to_string());
    }

    // date and place
    let date_idx = items[zone_start..anchor.max(zone_start)]
        .iter()
        .rposition(|i| date_line(&i.text).is_some())
        .map(|k| k + zone_start)
        .or_else(|| {
            // the date line may follow the number in a merged header
            items[anchor..(anchor + 3).min(items.len())]
                .iter()
                .position(|i| date_line(&i.text).is_some())
                .map(|k| k + anchor)
        });
    if let Some(di) = date_idx {
        if let Some((date, place)) = date_line(&items[di].text) {
            d.date = date;
            d.place = place;
            if d.date.is_none() {
                warnings.push(format!(
                    "decision date is incomplete (\"{}\", {})",
                    items[di].text, items[di].loc
                ));
            }
        }
    }
    if d.date.is_none() {
        if let Some(num) = &d.number {
            if let Some((date, loc)) = caption_date(&items, num) {
                d.date = Some(date);
                warnings.push(format!(
                    "decision date not in the header; taken from the appendix caption ({loc})"
                ));
            }
        }
    }
    if d.date.is_none() && date_idx.is_none() {
        warnings.push("no date line (\"…, ngày … tháng … năm …\") in the header".to_string());
    }

    // issuing body: upper-case lines before the number, in the same block
    if let Some(ni) = number_idx {
        let mut parts: Vec<&str> = Vec::new();
        let mut k = ni;
        while k > zone_start && parts.len() < 4 {
            k -= 1;
            let it = &items[k];
            let f = fkey(&it.text);
            if f.starts_with("cong hoa")
                || f.starts_with("doc lap")
                || date_line(&it.text).is_some()
            {
                continue;
            }
            if util::is_upper(&it.text, 3) && !it.text.contains(':') {
                parts.push(&it.text);
            } else {
                break;
            }
        }
        parts.reverse();
        if !parts.is_empty() {
            let joined = parts.join(" ");
            // "UBND TỈNH X CỘNG HÒA XÃ HỘI …" when header columns were merged
            let f = util::fold(&joined);
            let cut = f
                .find("cong hoa xa hoi")
                .map(|p| f[..p].chars().count())
                .unwrap_or(joined.chars().count());
            let issuer: String = joined.chars().take(cut).collect();
            let issuer = issuer
                .trim_matches(|c: char| c == '-' || c == ' ')
                .to_string();
            if !issuer.is_empty() {
                d.issuer = Some(issuer);
            }
        }
    }

    // type, title, authority
    let mut body_start = anchor + 1;
    if let Some(ti) = type_idx {
        let t = &items[ti].text;
        let n = is_doc_type(t).unwrap_or(t.chars().count());
        let type_text: String = t.chars().take(n).collect();
        d.doc_type = Some(type_text.trim().to_string());
        let mut title_parts: Vec<String> = Vec::new();
        let rest: String = t.chars().skip(n).collect();
        if !rest.trim().is_empty() {
            title_parts.push(rest.trim().to_string());
        }
        let mut k = ti + 1;
        let mut lines: Vec<&Item> = Vec::new();
        while k < items.len() && lines.len() < 8 {
            let it = &items[k];
            let f = fkey(&it.text);
            if is_grounds(&f)
                || is_proposal(&f)
                || is_enacting(&it.text)
                || article_no(&it.text).is_some()
                || it.text.starts_with('(')
                || f.starts_with("kinh gui")
            {
                break;
            }
            let (style, _) = util::split_label(&it.text);
            if style != util::Style::None && !lines.is_empty() {
                break;
            }
            lines.push(it);
            k += 1;
        }
        body_start = k;
        // the last line before the căn cứ is the authority when it is a separate upper-case line
        let next_is_body = k < items.len() && {
            let f = fkey(&items[k].text);
            is_grounds(&f) || is_proposal(&f) || is_enacting(&items[k].text)
        };
        if next_is_body && lines.len() + title_parts.len() >= 2 {
            if let Some(last) = lines.pop() {
                d.authority = Some(last.text.to_string());
            }
        }
        for l in lines {
            title_loc.get_or_insert_with(|| l.loc.to_string());
            title_parts.push(l.text.to_string());
        }
        title_loc.get_or_insert_with(|| items[ti].loc.to_string());
        if !title_parts.is_empty() {
            d.title = Some(util::clean(&title_parts.join(" ")));
        } else {
            warnings.push("no trích yếu after the document type line".to_string());
        }
    } else {
        warnings.push("no document type line (QUYẾT ĐỊNH …) found".to_string());
    }

    // căn cứ, đề nghị, articles
    let mut k = body_start;
    let mut enact = None;
    while k < items.len() {
        let it = &items[k];
        let f = fkey(&it.text);
        if is_grounds(&f) {
            let mut text = it.text.to_string();
            // a căn cứ wrapped over several lines of an unwrapped text
            let mut j = k + 1;
            while j < items.len() && items[j].node == it.node && items[j].loc == it.loc {
                text.push(' ');
                text.push_str(&items[j].text);
                j += 1;
            }
            d.legal_grounds
                .push(util::strip_end_punct(&util::clean(&text)).to_string());
            k = j;
            continue;
        }
        if is_proposal(&f) && d.proposal.is_none() {
            d.proposal = Some(it.text.to_string());
        }
        if is_enacting(&it.text) {
            enact = Some(k);
            break;
        }
        if article_no(&it.text).is_some() {
            break;
        }
        if k > body_start + 40 {
            break;
        }
        k += 1;
    }
    let art_start = enact.map(|e| e + 1).unwrap_or(k);
    let mut expected = 1u32;
    let mut article1: Vec<String> = Vec::new();
    let mut last_article = None;
    let mut in_article1 = false;
    let mut j = art_start;
    while j < items.len() && j < art_start + 200 {
        let it = &items[j];
        if let Some(n) = article_no(&it.text) {
            if n == expected {
                expected += 1;
                last_article = Some(j);
                in_article1 = n == 1;
                if in_article1 {
                    article1.push(it.text.to_string());
                }
                j += 1;
                continue;
            }
            if n > expected || n == 1 {
                break;
            }
        }
        let noi_nhan =
            first_key_char(&it.text) == Some('n') && fkey(&it.text).starts_with("noi nhan");
        if noi_nhan || is_signature_start(&it.text) {
            break;
        }
        if in_article1 {
            article1.push(it.text.to_string());
        }
        j += 1;
    }
    if expected > 1 {
        d.article_count = Some(expected - 1);
    }
    if !article1.is_empty() {
        d.declared_count = declared_count(&article1.join(" "));
    }

    // signer and recipients after the last article
    if let Some(la) = last_article {
        let end = (la + 60).min(items.len());
        let region = &items[la + 1..end];
        let (signer, recipients) = signature(region);
        d.signer = signer;
        d.recipients = recipients;
        if d.signer.name.is_none() && d.signer.title.is_none() {
            warnings.push("no signer block (chức vụ and họ tên) after the articles".to_string());
        }
    }
    (Some(d), title_loc)
}

/// "Số: 2691/QĐ-UBND" → (Some("2691"), "QĐ-UBND"); a blank number gives None.
fn so_value(t: &str) -> Option<(Option<String>, String)> {
    let f = util::fold(t);
    let fc: Vec<char> = f.chars().collect();
    // find "so" as a word followed by ':' or a digit or '/'
    let mut i = 0;
    while i + 1 < fc.len() {
        if fc[i] == 's' && fc[i + 1] == 'o' && (i == 0 || !fc[i - 1].is_alphanumeric()) {
            let mut k = i + 2;
            let had_colon;
            while k < fc.len() && fc[k] == ' ' {
                k += 1;
            }
            if k < fc.len() && matches!(fc[k], ':' | '.') {
                had_colon = true;
                k += 1;
            } else {
                had_colon = false;
            }
            if k < fc.len() && (had_colon || fc[k].is_ascii_digit() || fc[k] == ' ') {
                let rest: String = t.chars().skip(k).collect();
                // only a header line: "Số" at the start of the line
                if i == 0 {
                    if let Some(v) = util::read_so_ky_hieu(&rest) {
                        return Some(v);
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// "Quảng Trị, ngày 18 tháng 11 năm 2025" → (date, place). A blank day gives (None, place).
fn date_line(t: &str) -> Option<(Option<chrono::NaiveDate>, Option<String>)> {
    let f = util::fold(t);
    let pos = f.find("ngay")?;
    // the word "ngày" must be the start of a date: followed by digits, blanks or dots
    let after: String = f[pos + 4..].chars().take(12).collect();
    let a = after.trim_start();
    if !a.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '…' || c == '/')
        && !a.starts_with("thang")
    {
        return None;
    }
    if !f.contains("nam") && !f[pos..].contains('/') {
        return None;
    }
    // a place before ", ngày", or nothing before "ngày"
    let before_chars = f[..pos].chars().count();
    let before: String = t.chars().take(before_chars).collect();
    let before = before.trim().trim_end_matches(',').trim();
    let place = if before.is_empty() {
        None
    } else {
        if before.chars().count() > 60 && !before.contains("phúc") {
            return None;
        }
        // "…Hạnh phúc Quảng Ninh" or "Số: 12/QĐ-UBND Quảng Ninh" when header columns were merged
        let p = match before.rfind("phúc") {
            Some(k) => before[k + "phúc".len()..].trim(),
            None => before,
        };
        let words: Vec<&str> = p.split_whitespace().collect();
        let p = match words.iter().rposition(|w| w.contains('/')) {
            Some(k) => {
                let rest: Vec<&str> = words[k + 1..]
                    .iter()
                    .copied()
                    .skip_while(|w| util::is_upper(w, 1) && w.contains(['.', '-']))
                    .collect();
                rest.join(" ")
            }
            None => p.to_string(),
        };
        let p = p.as_str();
        let p = p.trim_matches(|c: char| c == '*' || c == ' ' || c == ',');
        if p.is_empty() {
            None
        } else {
            Some(util::repair_place(p))
        }
    };
    let date = util::find_date(t, true).map(|x| x.0);
    Some((date, place))
}

/// The date in the appendix caption "(Kèm theo Quyết định số <number> ngày …)".
fn caption_date(items: &[Item], number: &str) -> Option<(chrono::NaiveDate, String)> {
    let key: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    for it in items {
        if let Some(n) = util::find_doc_number(&it.text) {
            if util::fkey(&n) == util::fkey(&key) {
                let pos = it.text.find(n.split('/').next().unwrap_or(""))?;
                if let Some((d, _, _)) = util::find_date(&it.text[pos..], true) {
                    return Some((d, it.loc.to_string()));
                }
            }
        }
    }
    None
}

/// The count of procedures announced in Điều 1: "Công bố … 02 thủ tục hành chính …".
fn declared_count(text: &str) -> Option<u32> {
    let f = util::fkey(text);
    let words: Vec<&str> = f.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || digits.len() != w.len() || digits.len() > 3 {
            continue;
        }
        // skip a number in words "(tám)"
        let mut j = i + 1;
        if words.get(j).map(|x| x.starts_with('(')).unwrap_or(false) {
            while j < words.len() && !words[j].ends_with(')') {
                j += 1;
            }
            j += 1;
        }
        let next: String = words[j.min(words.len())..]
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        if next.starts_with("thu tuc")
            || next.starts_with("tthc")
            || next.starts_with("danh muc thu tuc")
            || next.starts_with("quy trinh")
        {
            return digits.parse().ok();
        }
    }
    None
}

fn is_signature_start(t: &str) -> bool {
    AUTHORITY_PREFIXES.iter().any(|p| t.starts_with(p))
        && t.split_whitespace()
            .nth(1)
            .map(|w| util::is_upper(w, 1))
            .unwrap_or(false)
}

fn title_in(t: &str) -> Option<&'static str> {
    TITLE_WORDS.iter().copied().find(|w| t.contains(w))
}

/// A line that is a person's name: 2–6 words, each capitalised, no digits.
fn name_like(t: &str) -> bool {
    let t = util::repair_name(t.trim_matches(|c: char| c == '*' || c == ' ' || c == '.'));
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() < 2 || words.len() > 6 {
        return false;
    }
    if t.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, ':' | ';' | '(' | ')' | '/' | ','))
    {
        return false;
    }
    let f = fkey(&t);
    if f.starts_with("ky boi") || f.starts_with("da ky") || f.starts_with("nguoi ky") {
        return false;
    }
    words.iter().all(|w| {
        let mut cs = w.chars();
        let first = cs.next().map(|c| c.is_uppercase()).unwrap_or(false);
        first && !util::is_upper(w, 3)
    })
}

/// Split an upper-case lead from a name: "CHỦ TỊCH Nguyễn Văn Sơn" → ("CHỦ TỊCH", "Nguyễn Văn Sơn").
fn split_upper_lead(t: &str) -> (String, String) {
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 0 || util::is_upper(w, 1) {
            k += 1;
        } else {
            break;
        }
    }
    (words[..k].join(" "), words[k..].join(" "))
}

fn signer_from_upper(upper: &str, s: &mut Signer) {
    let u = upper.trim().trim_matches('*').trim();
    if u.is_empty() {
        return;
    }
    let prefix = AUTHORITY_PREFIXES.iter().find(|p| u.starts_with(*p));
    match prefix {
        Some(_) => {
            // "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" or "TM. ỦY BAN NHÂN DÂN TỈNH CHỦ TỊCH"
            let mut best: Option<(usize, &str)> = None;
            for w in TITLE_WORDS {
                if let Some(p) = u.rfind(w) {
                    if p > 3 && p + w.len() == u.len() && best.map(|(bp, _)| p < bp).unwrap_or(true)
                    {
                        best = Some((p, w));
                    }
                }
            }
            match best {
                Some((p, w)) if u[..p].split_whitespace().count() >= 2 => {
                    s.authority = Some(u[..p].trim().to_string());
                    s.title = Some(w.to_string());
                }
                _ => s.authority = Some(u.to_string()),
            }
        }
        None => {
            if s.title.is_none() {
                s.title = Some(u.to_string());
            }
        }
    }
}

/// Find the signer (quyền hạn, chức vụ, họ tên) and the Nơi nhận items after the articles.
fn signature(region: &[Item]) -> (Signer, Vec<String>) {
    let mut s = Signer::default();
    let mut recipients = Vec::new();
    let mut in_recipients = false;
    let mut recipients_loc: Option<Loc> = None;
    for it in region {
        let t = it.text.trim();
        let f = fkey(t);
        if f.starts_with("phu luc") || f.starts_with("danh muc") || f.starts_with("phan i") {
            break;
        }
        if f.starts_with("noi nhan") {
            in_recipients = true;
            recipients_loc = Some(it.loc);
            let rest = t.split_once(':').map(|x| x.1).unwrap_or("").trim();
            // "Nơi nhận: - Như Điều 2; - Chủ tịch …" on one line
            for part in rest.split(" - ") {
                let p = util::clean_item(part);
                if !p.is_empty() {
                    recipients.push(p);
                }
            }
            continue;
        }
        if in_recipients {
            let (style, _) = util::split_label(t);
            let same_cell = recipients_loc
                .map(|l| l.cell_of() == it.loc.cell_of())
                .unwrap_or(false);
            if style.is_bullet() || (same_cell && !is_signature_start(t) && title_in(t).is_none()) {
                let p = util::clean_item(t);
                if !p.is_empty() {
                    recipients.push(p);
                }
                continue;
            }
            in_recipients = false;
        }
        if s.name.is_some() {
            continue;
        }
        let (upper, rest) = split_upper_lead(t);
        let upper_is_sig = is_signature_start(&upper) || title_in(&upper).is_some();
        if upper_is_sig {
            signer_from_upper(&upper, &mut s);
            if !rest.is_empty() && name_like(&rest) {
                s.name = Some(util::repair_name(rest.trim()));
            }
            continue;
        }
        if (s.title.is_some() || s.authority.is_some()) && name_like(t) {
            s.name = Some(util::repair_name(
                t.trim_matches(|c: char| c == '*' || c == ' '),
            ));
        }
    }
    if s.title.is_none() {
        if let Some(a) = s.authority.clone() {
            // "CHỦ TỊCH" alone after "TM. ỦY BAN …" was read as authority
            if !a.contains('.') {
                s.title = Some(a);
                s.authority = None;
            }
        }
    }
    (s, recipients)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(t: &str) -> Item<'_> {
        Item {
            text: Cow::Borrowed(t),
            loc: Loc::paragraph(1),
            node: 0,
        }
    }

    #[test]
    fn header_lines() {
        assert_eq!(
            so_value("Số: 2691/QĐ-UBND"),
            Some((Some("2691".into()), "QĐ-UBND".into()))
        );
        assert_eq!(
            so_value("Số: 2827 /QĐ-BGDĐT"),
            Some((Some("2827".into()), "QĐ-BGDĐT".into()))
        );
        assert_eq!(so_value("Số hiệu: 2929/QĐ-UBND"), None);
        let (d, p) = date_line("Quảng Trị, ngày 18 tháng 11 năm 2025").unwrap();
        assert_eq!(d, chrono::NaiveDate::from_ymd_opt(2025, 11, 18));
        assert_eq!(p.as_deref(), Some("Quảng Trị"));
        let (d, p) = date_line("Qu ả ng Ngãi, ngày 04 tháng 10 năm 2022").unwrap();
        assert_eq!(d, chrono::NaiveDate::from_ymd_opt(2022, 10, 4));
        assert_eq!(p.as_deref(), Some("Quảng Ngãi"));
        let (d, _) = date_line("Quảng Ninh, ngày   tháng 7 năm 2026").unwrap();
        assert_eq!(d, None);
        assert_eq!(
            declared_count("Điều 1. Công bố kèm theo Quyết định này 02 thủ tục hành chính"),
            Some(2)
        );
        assert_eq!(
            declared_count(
                "Công bố Danh mục và Quy trình nội bộ 08 (tám) thủ tục hành chính nội bộ"
            ),
            Some(8)
        );
        assert_eq!(declared_count("Quyết định số 1085/QĐ-TTg"), None);
    }

    #[test]
    fn signer_blocks() {
        let (s, _) = signature(&[it("KT. CHỦ TỊCH"), it("PHÓ CHỦ TỊCH"), it("Hoàng Xuân Tân")]);
        assert_eq!(s.authority.as_deref(), Some("KT. CHỦ TỊCH"));
        assert_eq!(s.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
        assert_eq!(s.name.as_deref(), Some("Hoàng Xuân Tân"));
        let (s, r) = signature(&[
            it("Nơi nhận: - Như Điều 2; - Lưu: VT, PVHCC."),
            it("CHỦ TỊCH Nguyễn Văn Sơn"),
        ]);
        assert_eq!(s.authority, None);
        assert_eq!(s.title.as_deref(), Some("CHỦ TỊCH"));
        assert_eq!(s.name.as_deref(), Some("Nguyễn Văn Sơn"));
        assert_eq!(r.len(), 2);
        let (s, _) = signature(&[
            it("TM. ỦY BAN NHÂN DÂN TỈNH"),
            it("CHỦ TỊCH"),
            it("Trương Tấn Thiệu"),
        ]);
        assert_eq!(s.authority.as_deref(), Some("TM. ỦY BAN NHÂN DÂN TỈNH"));
        assert_eq!(s.title.as_deref(), Some("CHỦ TỊCH"));
        let (s, _) = signature(&[it("CHỦ TỊCH Đặ ng Văn Minh")]);
        assert_eq!(s.name.as_deref(), Some("Đặng Văn Minh"));
        let (s, _) = signature(&[it("Ký bởi: Đinh Thị Ngọc Loan")]);
        assert_eq!(s.name, None);
    }
}
