//! Damaged packages: whatever happens to the XML of a real DOCX (bytes changed,
//! cut, repeated, markup inserted), the reader gives a document or an error, and
//! extraction runs on whatever it gives: never a panic, never a hang (a property
//! test over our own sample draft and, when ../shared is present, a Word-made
//! decision of the corpus).

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;

use tthc::compose::cong_bo::compose_cong_bo;
use tthc::compose::TemplateSource;
use tthc::ingest::docx::read_docx;
use tthc::ingest::Limits;
use tthc::model::validate::{validate_catalog_text, validate_profile_text};
use tthc::model::DraftInfo;
use tthc::render::docx::{write_docx, DocxOptions};

type Package = Vec<(String, Vec<u8>)>;

/// The sample decision as our writer makes it, and a Word-made decision when the
/// shared corpus is beside the checkout.
fn bases() -> &'static [Package] {
    static BASES: OnceLock<Vec<Package>> = OnceLock::new();
    BASES.get_or_init(|| {
        let read = |n: &str| {
            std::fs::read_to_string(common::root().join("samples").join(n)).expect("sample")
        };
        let (catalog, _) = validate_catalog_text(&read("catalog.json"));
        let (profile, _) = validate_profile_text(&read("profile.toml"));
        let info = DraftInfo {
            number: None,
            date: None,
            year: 2026,
        };
        let composed = compose_cong_bo(
            &catalog.expect("catalog"),
            &profile.expect("profile"),
            &info,
            &TemplateSource::default(),
        )
        .expect("compose");
        let ours = write_docx(&composed.document, &DocxOptions::default()).expect("docx");
        let mut v = vec![common::unzip(&ours)];
        if let Some(shared) = common::shared() {
            let word = shared.join("corpus/files/dtqn__QĐ Công bố  TTHC đất đai (PH).docx");
            if let Ok(bytes) = std::fs::read(word) {
                v.push(common::unzip(&bytes));
            }
        }
        v
    })
}

/// Markup a damaged part may gain.
const SNIPPETS: &[&str] = &[
    "<w:p>",
    "</w:r>",
    "<w:t>",
    "<w:p><w:p><w:p><w:p>",
    " xmlns:w=\"urn:other\"",
    " w:val=\"&bogus;\"",
    " w:val='1\" ",
    "&#x0;",
    "&#xFFFFFFFF;",
    "<!--",
    "<![CDATA[",
    "<?pi",
    "<w:numPr><w:ilvl w:val=\"9999999999\"/><w:numId w:val=\"-1\"/></w:numPr>",
    "<w:gridSpan w:val=\"4294967295\"/>",
    "<w:vMerge/>",
    "<mc:AlternateContent><mc:Choice Requires=\"zz\">",
    "\u{1ec7}\u{0301}",
];

/// Bytes that matter to a tokenizer, for single-byte damage.
const SPECIAL: &[u8] = b"<>\"'=&/:; x#\n\t\0\xe1\x80\xff";

#[derive(Debug, Clone)]
enum Damage {
    /// Set the byte at a position (fraction of the length) to `SPECIAL[k]` or `b`.
    Set(f64, usize, u8),
    /// Delete `n` bytes at a position.
    Delete(f64, usize),
    /// Repeat `n` bytes from one position at another.
    Repeat(f64, usize, f64),
    /// Insert a snippet of markup.
    Insert(f64, usize),
    /// Cut the part short.
    Truncate(f64),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (0.0..1.0f64, 0..SPECIAL.len() * 2, any::<u8>()).prop_map(|(p, k, b)| Damage::Set(p, k, b)),
        2 => (0.0..1.0f64, 1usize..64).prop_map(|(p, n)| Damage::Delete(p, n)),
        2 => (0.0..1.0f64, 1usize..400, 0.0..1.0f64).prop_map(|(p, n, q)| Damage::Repeat(p, n, q)),
        3 => (0.0..1.0f64, 0..SNIPPETS.len()).prop_map(|(p, k)| Damage::Insert(p, k)),
        1 => (0.0..1.0f64).prop_map(Damage::Truncate),
    ]
}

fn at(len: usize, f: f64) -> usize {
    ((len as f64 * f) as usize).min(len)
}

fn apply(data: &mut Vec<u8>, d: &Damage) {
    let len = data.len();
    match *d {
        Damage::Set(p, k, b) => {
            let i = at(len, p).min(len.saturating_sub(1));
            if let Some(x) = data.get_mut(i) {
                *x = SPECIAL.get(k).copied().unwrap_or(b);
            }
        }
        Damage::Delete(p, n) => {
            let i = at(len, p);
            data.drain(i..(i + n).min(len));
        }
        Damage::Repeat(p, n, q) => {
            let i = at(len, p);
            let piece = data[i..(i + n).min(len)].to_vec();
            let j = at(len, q);
            data.splice(j..j, piece);
        }
        Damage::Insert(p, k) => {
            let i = at(len, p);
            data.splice(i..i, SNIPPETS[k].bytes());
        }
        Damage::Truncate(p) => data.truncate(at(len, p)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn damaged_xml_gives_a_document_or_an_error(
        base in 0usize..2,
        part in 0usize..4,
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let packages = bases();
        let mut files = packages[base % packages.len()].clone();
        let name = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/_rels/document.xml.rels"][part];
        if let Some((_, data)) = files.iter_mut().find(|(n, _)| n == name) {
            for d in &damages {
                apply(data, d);
            }
        }
        let bytes = common::zip_files(&files);
        match read_docx(&bytes, &Limits::default()) {
            Ok(doc) => {
                // extraction takes whatever the reader gave
                let _ = tthc::extract::extract(&doc, "damaged.docx");
            }
            Err(e) => {
                prop_assert!(!e.to_string().trim().is_empty(), "an error says what went wrong");
            }
        }
    }
}
