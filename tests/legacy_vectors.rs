//! Legacy Vietnamese encodings against the research data in `../shared/legacy/`:
//! (1) all 67 test vectors of `vectors.tsv` convert exactly, (2) every checked-in
//! table of `tthc::legacy::tables` equals its TSV file row for row.
//!
//! When the data directory is missing the tests print `SKIPPED: ../shared not found`
//! and pass (CI has it).

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use tthc::legacy::{classify_font, convert, convert_run, tables, Encoding};

/// `CARGO_MANIFEST_DIR/../shared/legacy`, else `/work/shared/legacy` (scratch builds).
fn shared_dir() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/legacy"),
        PathBuf::from("/work/shared/legacy"),
    ];
    let found = candidates
        .into_iter()
        .find(|dir| dir.join("vectors.tsv").is_file());
    if found.is_none() {
        // Written to the real stderr, past libtest's output capture, so it shows.
        let _ = writeln!(std::io::stderr(), "SKIPPED: ../shared not found");
    }
    found
}

/// Data rows (header dropped) of a TSV file, split on tabs.
fn rows(dir: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    let path = dir.join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// `U+0041 U+00C0` → "AÀ".
fn codepoints(field: &str) -> String {
    field
        .split_whitespace()
        .map(|cp| {
            let hex = cp
                .strip_prefix("U+")
                .unwrap_or_else(|| panic!("bad code point {cp}"));
            let n = u32::from_str_radix(hex, 16).unwrap_or_else(|e| panic!("{cp}: {e}"));
            char::from_u32(n).unwrap_or_else(|| panic!("{cp} is not a char"))
        })
        .collect()
}

#[test]
fn vectors_convert_exactly() {
    let Some(dir) = shared_dir() else { return };
    let vectors = rows(&dir, "vectors.tsv");
    assert_eq!(vectors.len(), 67, "vectors.tsv should hold 67 vectors");
    let mut failures = Vec::new();
    for (i, row) in vectors.iter().enumerate() {
        let line = i + 2;
        let [encoding, font, legacy, expected, ..] = row.as_slice() else {
            panic!("line {line}: too few columns");
        };
        let got = match classify_font(font) {
            Some(class) => {
                let named = format!(
                    "{}{}",
                    class.encoding.name(),
                    if class.uppercase { "-h" } else { "" }
                );
                assert_eq!(
                    named,
                    encoding.to_lowercase(),
                    "line {line}: font {font:?} classified differently from its encoding column"
                );
                convert_run(legacy, class)
            }
            None => {
                assert!(
                    !encoding.ends_with("-H"),
                    "line {line}: an uppercase vector needs an uppercase font"
                );
                let enc: Encoding = encoding
                    .parse()
                    .unwrap_or_else(|e| panic!("line {line}: {e}"));
                convert(legacy, enc)
            }
        };
        if &got != expected {
            println!(
                "MISMATCH line {line} ({encoding}, {font:?}):\n  legacy:   {legacy}\n  got:      {got}\n  expected: {expected}"
            );
            failures.push(line);
        }
    }
    println!(
        "legacy vectors: {}/{} pass",
        vectors.len() - failures.len(),
        vectors.len()
    );
    assert!(
        failures.is_empty(),
        "mismatching vector lines: {failures:?}"
    );
}

/// Compares a two-column table with columns 1 (code points) and 3 (NFC) of a TSV.
fn assert_pairs(dir: &std::path::Path, name: &str, table: &[(&str, &str)]) {
    let rows = rows(dir, name);
    assert_eq!(rows.len(), table.len(), "{name}: row count");
    for (i, (row, &(legacy, unicode))) in rows.iter().zip(table).enumerate() {
        let line = i + 2;
        assert_eq!(codepoints(&row[0]), legacy, "{name} line {line}: legacy");
        assert_eq!(row[2], unicode, "{name} line {line}: unicode");
        if !row[1].is_empty() {
            assert_eq!(row[1], legacy, "{name} line {line}: literal column");
        }
    }
}

#[test]
fn tables_equal_tsv_files() {
    let Some(dir) = shared_dir() else { return };

    let tcvn3 = rows(&dir, "tcvn3.tsv");
    assert_eq!(tcvn3.len(), tables::TCVN3.len(), "tcvn3.tsv: row count");
    for (i, (row, &(legacy, unicode, upper))) in tcvn3.iter().zip(&tables::TCVN3).enumerate() {
        let line = i + 2;
        assert_eq!(codepoints(&row[0]), legacy, "tcvn3.tsv line {line}: legacy");
        assert_eq!(row[2], unicode, "tcvn3.tsv line {line}: unicode");
        assert_eq!(row[4], upper, "tcvn3.tsv line {line}: uppercase font");
    }
    assert_pairs(&dir, "vni.tsv", &tables::VNI);
    assert_pairs(&dir, "viscii.tsv", &tables::VISCII);
    assert_pairs(&dir, "viqr.tsv", &tables::VIQR);
    println!(
        "tables equal their TSV files: tcvn3 {}, vni {}, viscii {}, viqr {} rows",
        tables::TCVN3.len(),
        tables::VNI.len(),
        tables::VISCII.len(),
        tables::VIQR.len()
    );
}
