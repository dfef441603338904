//! The Quyết định phê duyệt phương án: every figure that `tthc cost --json` computes
//! appears exactly in the PDF (poppler) and the DOCX; bad review input is refused.

mod common;

use common::*;

#[test]
fn figures_match_tthc_cost() {
    let root = root();
    let cat = root.join("samples/catalog.json").display().to_string();
    let prof = root.join("samples/profile.toml").display().to_string();
    let rev = root.join("samples/review.json").display().to_string();
    let o = run(&[
        "cost",
        &cat,
        "--review",
        &rev,
        "--as-of",
        "2026-11-20",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cost: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().display().to_string();
    let o = run(&[
        "draft",
        "phe-duyet",
        "--catalog",
        &cat,
        "--profile",
        &prof,
        "--review",
        &rev,
        "--date",
        "2026-11-20",
        "-o",
        &out,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docx = dir.path().join("quyet-dinh-phe-duyet.docx");
    let xml_text: String = paragraphs(&zip_part(&docx, "word/document.xml"))
        .iter()
        .map(|p| p.text() + "\n")
        .collect();

    // Procedures with proposals are the ones the plan approves.
    let review: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&rev).expect("review")).expect("json");
    let planned: Vec<&str> = review["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .filter(|r| r["proposals"].as_array().is_some_and(|a| !a.is_empty()))
        .filter_map(|r| r["procedure_id"].as_str())
        .collect();
    let mut figures = Vec::new();
    for p in cost["procedures"].as_array().expect("procedures") {
        if !planned.contains(&p["procedure_id"].as_str().unwrap_or("")) {
            continue;
        }
        if let Some(c) = p.get("cost").filter(|c| !c.is_null()) {
            figures.push(vn_money(c["before"]["yearly"].as_f64().expect("before")));
            figures.push(vn_money(c["after"]["yearly"].as_f64().expect("after")));
            figures.push(vn_money(c["saving"].as_f64().expect("saving")));
        }
    }
    assert!(figures.len() >= 30, "{figures:?}");
    for f in &figures {
        assert!(
            xml_text.contains(&format!("{f} đồng/năm")),
            "DOCX lacks {f}"
        );
    }
    assert!(xml_text.contains("Phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ"));
    assert!(xml_text.contains("a) Nội dung đơn giản hóa"));
    assert!(xml_text.contains("b) Kiến nghị thực thi"));
    assert!(xml_text.contains("c) Lợi ích phương án đơn giản hóa"));

    if require("pdftotext", "poppler reads the PDF") {
        let o = std::process::Command::new("pdftotext")
            .arg("-raw")
            .arg(dir.path().join("quyet-dinh-phe-duyet.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = dense(&String::from_utf8_lossy(&o.stdout));
        for f in &figures {
            assert!(
                text.contains(&dense(&format!("{f} đồng/năm"))),
                "PDF lacks {f}"
            );
        }
    }
}

#[test]
fn bad_review_is_refused_with_paths_and_nothing_written() {
    let root = root();
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("review.json");
    let text = std::fs::read_to_string(root.join("samples/review.json")).expect("review");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["procedures"][0]["cost_before"]["activities"][0]["hours"] = serde_json::json!(-3);
    v["procedures"][1]["procedure_id"] = serde_json::json!("khong-co");
    std::fs::write(&bad, serde_json::to_string(&v).expect("json")).expect("write");
    let out = dir.path().join("out");
    let o = run(&[
        "draft",
        "phe-duyet",
        "--catalog",
        &root.join("samples/catalog.json").display().to_string(),
        "--profile",
        &root.join("samples/profile.toml").display().to_string(),
        "--review",
        &bad.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("procedures[0].cost_before.activities[0].hours"),
        "{err}"
    );
    assert!(err.contains("procedures[1].procedure_id"), "{err}");
    assert!(!out.exists(), "nothing written");
}
