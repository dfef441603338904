//! `tthc extract` on bad inputs: each failure names the file and the reason, a single
//! bad file exits non-zero, and in a multi-file run the good files still extract and
//! a summary lists the failures. Never a panic, never a hang.

mod common;

use std::io::Write;

use common::*;

fn docx_with(document_xml: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", o).expect("entry");
        z.write_all(document_xml).expect("write");
        z.finish().expect("finish");
    }
    buf.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

#[test]
fn every_bad_input_is_named_and_the_rest_still_extract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let good = format!(
        r#"<w:document {W}><w:body><w:p><w:r><w:t>Thủ tục xét tặng Giấy khen</w:t></w:r></w:p></w:body></w:document>"#
    );
    let valid = docx_with(good.as_bytes());
    std::fs::write(d.join("a-good.docx"), &valid).expect("write");
    std::fs::write(d.join("b-notzip.docx"), b"this is not a zip file").expect("write");
    std::fs::write(d.join("c-truncated.docx"), &valid[..valid.len() / 2]).expect("write");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("word/styles.xml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        z.write_all(b"<x/>").expect("write");
        z.finish().expect("finish");
    }
    std::fs::write(d.join("d-nodocument.docx"), buf.into_inner()).expect("write");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(d.join("e-encrypted.docx"), ole).expect("write");
    std::fs::write(
        d.join("f-badxml.docx"),
        docx_with(format!("<w:document {W}><w:body><w:p><w:r><w:t>x</w:r></w:p>").as_bytes()),
    )
    .expect("write");
    let mut bomb = format!("<w:document {W}><w:body><w:p><w:r><w:t>").into_bytes();
    bomb.extend(std::iter::repeat_n(b'a', 3 * 1024 * 1024));
    bomb.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    std::fs::write(d.join("g-bomb.docx"), docx_with(&bomb)).expect("write");
    let mut deep = format!("<w:document {W}><w:body>");
    deep.push_str(&"<w:tbl><w:tr><w:tc>".repeat(12_000));
    deep.push_str("<w:p/>");
    deep.push_str(&"</w:tc></w:tr></w:tbl>".repeat(12_000));
    deep.push_str("</w:body></w:document>");
    std::fs::write(d.join("h-deep.docx"), docx_with(deep.as_bytes())).expect("write");
    let mut ok_deep = format!("<w:document {W}><w:body>");
    ok_deep.push_str(&"<w:tbl><w:tr><w:tc>".repeat(2_000));
    ok_deep.push_str("<w:p><w:r><w:t>sâu</w:t></w:r></w:p>");
    ok_deep.push_str(&"</w:tc></w:tr></w:tbl>".repeat(2_000));
    ok_deep.push_str("</w:body></w:document>");
    std::fs::write(d.join("i-deep2000.docx"), docx_with(ok_deep.as_bytes())).expect("write");

    let t = std::time::Instant::now();
    let o = run(&["extract", &d.display().to_string(), "--max-part-mib", "1"]);
    assert!(t.elapsed().as_secs() < 60, "no hang");
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed file makes the exit status 1"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("a-good.docx"), "{out}");
    assert!(
        out.contains("i-deep2000.docx"),
        "2,000-deep nesting is read: {out}\n{err}"
    );
    for (file, reason) in [
        ("b-notzip.docx", "not a DOCX (zip) file"),
        ("c-truncated.docx", "truncated or corrupt"),
        ("d-nodocument.docx", "word/document.xml is missing"),
        ("e-encrypted.docx", "password-protected or encrypted"),
        ("f-badxml.docx", "invalid XML in word/document.xml"),
        ("g-bomb.docx", "inflates past the 1 MiB limit"),
        ("h-deep.docx", "nesting deeper than"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains("failed:") && l.contains(file) && l.contains(reason)),
            "summary lacks {file}: {reason}\n{err}"
        );
    }
    assert!(err.contains("summary: 2 file(s) read, 7 failed"), "{err}");
    assert!(!err.contains("panicked"));

    // A single bad file: its name and reason, exit 1.
    let o = run(&["extract", &d.join("b-notzip.docx").display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("b-notzip.docx: not a DOCX (zip) file"));
}

#[test]
fn json_and_merged_catalog() {
    let Some(shared) = shared() else {
        eprintln!("NOTICE: SKIPPED: ../shared not found");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let text = shared.join("corpus/texts/12_quangtri-qd2691-2025-pbgdpl-noibo.txt");
    let o = run(&["extract", &text.display().to_string(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["decision"]["number"], "2691/QĐ-UBND");
    assert_eq!(v["decision"]["date"], "2025-11-18");
    assert_eq!(
        v["procedures"][0]["name"],
        "Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh"
    );
    assert!(v["warnings"].is_array());

    let catalog = dir.path().join("catalog.json");
    let c = catalog.display().to_string();
    let texts = shared.join("corpus/texts").display().to_string();
    let o = run(&["extract", &texts, "-o", &c]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["validate", &c]);
    assert!(
        o.status.success(),
        "the merged catalog validates: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    // Refuses to overwrite without --force.
    let o = run(&["extract", &texts, "-o", &c]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

fn bytes_of(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).expect("read input")
}

#[test]
fn legacy_doc_without_libreoffice_is_named_and_others_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // a binary .doc (OLE signature) that would need LibreOffice
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(d.join("a-binary.doc"), &ole).expect("write");
    // a DOCX package saved under .doc: read without LibreOffice
    let good = format!(
        r#"<w:document {W}><w:body><w:p><w:r><w:t>Thủ tục xét tặng Giấy khen</w:t></w:r></w:p></w:body></w:document>"#
    );
    std::fs::write(d.join("b-really-docx.doc"), docx_with(good.as_bytes())).expect("write");
    std::fs::write(d.join("c-good.docx"), docx_with(good.as_bytes())).expect("write");

    let o = tthc()
        .args(["extract", &d.display().to_string()])
        .env("PATH", "/nonexistent-tthc-test-dir")
        .output()
        .expect("tthc runs");
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.lines().any(|l| l.contains("failed:")
            && l.contains("a-binary.doc")
            && l.contains("soffice")
            && l.contains("LibreOffice")),
        "the missing tool and the file are named: {err}"
    );
    assert!(out.contains("b-really-docx.doc"), "{out}\n{err}");
    assert!(out.contains("c-good.docx"), "{out}\n{err}");
    assert!(err.contains("summary: 2 file(s) read, 1 failed"), "{err}");
    assert_eq!(bytes_of(&d.join("a-binary.doc")), ole, "input untouched");
}

#[test]
fn legacy_vni_doc_extracts_through_libreoffice() {
    let Some(shared) = shared() else {
        eprintln!("NOTICE: SKIPPED: ../shared not found");
        return;
    };
    if !require("soffice", "tthc extract on a legacy .doc") {
        return;
    }
    let doc = shared.join("corpus/files/vip__2008-23.QD-991-UBND.doc");
    let before = bytes_of(&doc);
    let o = run(&["extract", &doc.display().to_string(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["decision"]["number"], "991/QĐ-UBND");
    assert_eq!(v["decision"]["date"], "2008-05-14");
    let title = v["decision"]["title"].as_str().unwrap_or_default();
    assert!(
        title.contains("quy hoạch sử dụng rừng"),
        "VNI text is Unicode: {title}"
    );
    assert_eq!(bytes_of(&doc), before, "input untouched");
}
