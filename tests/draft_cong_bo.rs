//! The Quyết định công bố: drafted from the Lào Cai samples, read back from the
//! DOCX XML, opened by LibreOffice and read from the PDF by poppler.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn sample(name: &str) -> String {
    root().join("samples").join(name).display().to_string()
}

fn draft_into(dir: &Path, catalog: &str, extra: &[&str]) -> std::process::Output {
    let out = dir.display().to_string();
    let mut args = vec![
        "draft",
        "cong-bo",
        "--catalog",
        catalog,
        "--profile",
        "",
        "-o",
        &out,
    ];
    let profile = sample("profile.toml");
    args[5] = &profile;
    args.extend_from_slice(extra);
    run(&args)
}

fn drafted() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = draft_into(dir.path(), &sample("catalog.json"), &[]);
    assert!(
        o.status.success(),
        "draft failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let docx = dir.path().join("quyet-dinh-cong-bo.docx");
    let pdf = dir.path().join("quyet-dinh-cong-bo.pdf");
    (dir, docx, pdf)
}

fn catalog() -> serde_json::Value {
    let text = std::fs::read_to_string(sample("catalog.json")).expect("catalog");
    serde_json::from_str(&text).expect("json")
}

fn names() -> Vec<String> {
    catalog()["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect()
}

/// Every text of the eleven fields of every procedure, as the draft must print it.
fn field_texts() -> Vec<String> {
    let mut out = Vec::new();
    for p in catalog()["procedures"].as_array().expect("procedures") {
        for s in p["steps"].as_array().expect("steps") {
            out.push(s["text"].as_str().expect("text").to_string());
        }
        for key in ["channels", "subjects", "result", "forms", "conditions"] {
            for v in p[key].as_array().expect("list") {
                out.push(v.as_str().expect("str").to_string());
            }
        }
        for d in p["dossier"]["items"].as_array().expect("items") {
            out.push(d["name"].as_str().expect("name").to_string());
        }
        for l in p["legal_basis"].as_array().expect("legal") {
            out.push(l["text"].as_str().expect("text").to_string());
        }
        out.push(
            p["processing_time"]["text"]
                .as_str()
                .expect("time")
                .to_string(),
        );
        out.push(p["agency"]["text"].as_str().expect("agency").to_string());
        out.push(p["fees"].as_str().expect("fees").to_string());
    }
    out
}

fn find<'a>(paras: &'a [XPara], text: &str) -> &'a XPara {
    paras
        .iter()
        .find(|p| p.text() == text)
        .unwrap_or_else(|| panic!("no paragraph \"{text}\""))
}

fn all_runs(p: &XPara, bold: bool, italic: bool, half_points: u32) {
    assert!(!p.runs.is_empty(), "{:?}", p.text());
    for r in &p.runs {
        assert_eq!(r.bold, bold, "bold of {:?}", r.text);
        assert_eq!(r.italic, italic, "italic of {:?}", r.text);
        assert_eq!(r.half_points, Some(half_points), "size of {:?}", r.text);
    }
}

#[test]
fn docx_layout_follows_nghi_dinh_30() {
    let (_d, docx, _) = drafted();
    let xml = zip_part(&docx, "word/document.xml");
    let paras = paragraphs(&xml);

    // A4 portrait, margins top 25, bottom 20, left 35, right 20 mm (twips), first page unnumbered.
    let sects: Vec<&str> = xml.split("<w:sectPr>").skip(1).collect();
    assert_eq!(
        sects.len(),
        3,
        "decision, landscape danh mục, portrait nội dung"
    );
    assert!(sects[0].contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(sects[0].contains(r#"w:top="1417" w:right="1134" w:bottom="1134" w:left="1984""#));
    assert!(sects[0].contains("<w:titlePg/>"));
    assert!(sects[0].contains(r#"<w:headerReference w:type="first""#));
    assert!(sects[0].contains(r#"<w:headerReference w:type="default""#));
    // The annex: landscape A4, numbered on its own from 1.
    assert!(sects[1].contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
    assert!(sects[1].contains(r#"<w:pgNumType w:start="1"/>"#));
    assert!(sects[1].contains("<w:titlePg/>"));
    assert!(sects[2].contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    let header = zip_part(&docx, "word/header1.xml");
    assert!(header.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
    assert!(header.contains(r#"<w:jc w:val="center"/>"#));
    assert!(!zip_part(&docx, "word/header2.xml").contains("PAGE"));

    // Times New Roman in all four rFonts slots of every run.
    for p in &paras {
        for r in &p.runs {
            assert_eq!(r.fonts, vec!["Times New Roman"; 4], "fonts of {:?}", r.text);
        }
    }

    // ô 1–4: Quốc hiệu 12 bold upper, Tiêu ngữ 13 bold, cơ quan 12 bold upper, số 13, date 13 italic.
    all_runs(
        find(&paras, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        true,
        false,
        24,
    );
    all_runs(find(&paras, "Độc lập - Tự do - Hạnh phúc"), true, false, 26);
    all_runs(find(&paras, "ỦY BAN NHÂN DÂN"), true, false, 24);
    all_runs(find(&paras, "TỈNH LÀO CAI"), true, false, 24);
    all_runs(find(&paras, "Số:       /QĐ-UBND"), false, false, 26);
    all_runs(
        find(&paras, "Lào Cai, ngày      tháng      năm 2026"),
        false,
        true,
        26,
    );
    // ô 5a: tên loại and trích yếu, 14 bold centred; the authority line 14 bold upper.
    let t = find(&paras, "QUYẾT ĐỊNH");
    all_runs(t, true, false, 28);
    assert_eq!(t.jc.as_deref(), Some("center"));
    let subject = find(
        &paras,
        "Về việc công bố Danh mục thủ tục hành chính nội bộ thuộc phạm vi chức năng quản lý của Sở Lao động - Thương binh và Xã hội tỉnh Lào Cai",
    );
    all_runs(subject, true, false, 28);
    assert_eq!(subject.jc.as_deref(), Some("center"));
    all_runs(
        find(&paras, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI"),
        true,
        false,
        28,
    );

    // Căn cứ: italic 14, each ending ";", the proposal ending ".".
    let grounds: Vec<&XPara> = paras
        .iter()
        .filter(|p| p.text().starts_with("Căn cứ "))
        .collect();
    assert_eq!(grounds.len(), 4);
    for g in &grounds {
        all_runs(g, false, true, 28);
        assert!(g.text().ends_with(';'), "{}", g.text());
    }
    let proposal = paras
        .iter()
        .find(|p| {
            p.text()
                .starts_with("Theo đề nghị của Giám đốc Sở Lao động")
        })
        .expect("proposal");
    all_runs(proposal, false, true, 28);
    assert!(proposal.text().ends_with("năm 2026."));
    all_runs(find(&paras, "QUYẾT ĐỊNH:"), true, false, 28);

    // Body: justified, 1.27 cm first-line indent, counts written "12 (Mười hai)".
    let d1 = paras
        .iter()
        .find(|p| p.text().starts_with("Điều 1. "))
        .expect("Điều 1");
    assert_eq!(d1.jc.as_deref(), Some("both"));
    assert_eq!(d1.first_line, Some(720));
    assert!(d1.runs[0].bold && d1.runs[0].text == "Điều 1.");
    assert!(d1
        .text()
        .contains("Công bố kèm theo Quyết định này 12 (Mười hai) thủ tục hành chính nội bộ"));
    find(
        &paras,
        "- 09 (Chín) thủ tục hành chính nội bộ mới ban hành;",
    );
    find(
        &paras,
        "- 03 (Ba) thủ tục hành chính nội bộ được sửa đổi, bổ sung.",
    );
    assert!(paras
        .iter()
        .any(|p| p.text().starts_with("Điều 3. ")
            && p.text().ends_with("thi hành Quyết định này./.")));

    // ô 9b: "Nơi nhận:" 12 bold italic, items 11, last "- Lưu: VT, KSTT."; ô 7: 14 bold.
    all_runs(find(&paras, "Nơi nhận:"), true, true, 24);
    all_runs(find(&paras, "- Như Điều 3;"), false, false, 22);
    all_runs(find(&paras, "- Lưu: VT, KSTT."), false, false, 22);
    all_runs(find(&paras, "KT. CHỦ TỊCH"), true, false, 28);
    all_runs(find(&paras, "PHÓ CHỦ TỊCH"), true, false, 28);
    all_runs(find(&paras, "Trần Văn Minh"), true, false, 28);

    // Phụ lục heading per §1.10.
    all_runs(find(&paras, "Phụ lục"), true, false, 28);
    let reference = paras
        .iter()
        .find(|p| p.text().starts_with("(Kèm theo Quyết định số "))
        .expect("annex reference");
    all_runs(reference, false, true, 28);
    assert_eq!(
        reference.text(),
        "(Kèm theo Quyết định số       /QĐ-UBND ngày      tháng      năm 2026 của Chủ tịch Ủy ban nhân dân tỉnh Lào Cai)"
    );
    // Danh mục grouped A/B then lĩnh vực in Roman numerals, with counts.
    find(
        &paras,
        "THỦ TỤC HÀNH CHÍNH NỘI BỘ GIỮA CÁC CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC (07 thủ tục)",
    );
    find(&paras, "Lĩnh vực Lao động - việc làm (02 thủ tục)");
    assert!(paras.iter().any(|p| p
        .text()
        .starts_with("Bước 1: Ủy ban nhân dân cấp huyện gửi báo cáo")));
}

#[test]
fn number_and_date_are_zero_padded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = draft_into(
        dir.path(),
        &sample("catalog.json"),
        &["--number", "5", "--date", "2026-01-05", "--format", "docx"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let paras = paragraphs(&zip_part(
        &dir.path().join("quyet-dinh-cong-bo.docx"),
        "word/document.xml",
    ));
    find(&paras, "Số: 05/QĐ-UBND");
    find(&paras, "Lào Cai, ngày 05 tháng 01 năm 2026");
    assert!(!dir.path().join("quyet-dinh-cong-bo.pdf").exists());
}

#[test]
fn openxml_audit_finds_no_violation() {
    if !require("openxml-audit", "schema check of the written DOCX") {
        return;
    }
    let (_d, docx, _) = drafted();
    let o = std::process::Command::new("openxml-audit")
        .arg(&docx)
        .output()
        .expect("openxml-audit runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Errors: 0"), "{out}");
}

#[test]
fn libreoffice_opens_the_docx_and_reads_every_name() {
    if !require("soffice", "LibreOffice opens the DOCX") {
        return;
    }
    let (d, docx, _) = drafted();
    let profile = d.path().join("lo-profile");
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(d.path())
        .arg(&docx)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(d.path().join("quyet-dinh-cong-bo.txt")).expect("txt");
    assert!(unicode_normalization::is_nfc(&text));
    let flat = squash(&text);
    for fixed in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "QUYẾT ĐỊNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "Trần Văn Minh",
        "Phần I. DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ",
    ] {
        assert!(flat.contains(fixed), "LibreOffice text lacks {fixed:?}");
    }
    for n in names() {
        assert!(flat.contains(&n), "LibreOffice text lacks {n:?}");
    }
    for f in field_texts() {
        assert!(flat.contains(&squash(&f)), "LibreOffice text lacks {f:?}");
    }
}

fn pdftotext(pdf: &Path, first: u32, last: u32) -> String {
    let o = std::process::Command::new("pdftotext")
        .args(["-f", &first.to_string(), "-l", &last.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8(o.stdout).expect("utf-8")
}

fn page_sizes(pdf: &Path) -> Vec<(f32, f32)> {
    let o = std::process::Command::new("pdfinfo")
        .args(["-f", "1", "-l", "9999"])
        .arg(pdf)
        .output()
        .expect("pdfinfo");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .filter_map(|l| {
            let v: Vec<f32> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (v.len() >= 3).then(|| (v[1], v[2]))
        })
        .collect()
}

#[test]
fn pdf_has_exact_text_embedded_subset_fonts_and_nd30_pages() {
    if !require("pdftotext", "poppler reads the PDF") {
        return;
    }
    let (_d, _, pdf) = drafted();
    // -raw keeps content order and does not join "động -" / "Thương" across lines.
    let raw = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(raw.stdout).expect("utf-8");
    assert!(unicode_normalization::is_nfc(&text));
    // Lines may break after a hyphen inside a word ("TT-" / "BLĐTBXH"), so compare
    // every character but no whitespace.
    let flat = dense(&text);
    for n in names() {
        assert!(flat.contains(&dense(&n)), "PDF text lacks {n:?}");
    }
    for f in field_texts() {
        assert!(flat.contains(&dense(&f)), "PDF text lacks {f:?}");
    }

    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert!(cols[0].contains('+'), "subset name: {r}");
        assert!(cols[0].contains("LiberationSerif"), "{r}");
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb sub uni: {r}"
        );
    }

    // Page 1: A4 portrait, no number; page 2 shows "2" at the top.
    let sizes = page_sizes(&pdf);
    assert!((sizes[0].0 - 595.28).abs() < 0.5 && (sizes[0].1 - 841.89).abs() < 0.5);
    let first_line = |t: &str| {
        t.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let p1 = pdftotext(&pdf, 1, 1);
    assert!(first_line(&p1).starts_with("ỦY BAN NHÂN DÂN"), "{p1}");
    assert_eq!(first_line(&pdftotext(&pdf, 2, 2)), "2");
    // The danh mục pages are landscape; the annex starts unnumbered at 1.
    let mut annex = None;
    for (i, (w, h)) in sizes.iter().enumerate() {
        let page = pdftotext(&pdf, i as u32 + 1, i as u32 + 1);
        if page.contains("Phần I. DANH MỤC") {
            assert!(w > h, "danh mục page {} is landscape", i + 1);
            annex = Some(i);
            assert!(first_line(&page).starts_with("Phụ lục"), "{page}");
        }
        if let Some(a) = annex {
            if i == a + 1 {
                assert_eq!(first_line(&page), "2", "second annex page is numbered 2");
            }
        }
    }
    assert!(annex.is_some(), "annex found");
}

#[test]
fn markup_characters_print_literally_in_docx_and_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nasty = "Thủ tục # * _ $ @ < > & \" [ ] \\ / kiểm tra ký tự, theo Điều 5.";
    let mut cat = catalog();
    cat["procedures"][0]["name"] = serde_json::Value::String(nasty.into());
    cat["procedures"][0]["steps"][0]["text"] = serde_json::Value::String(
        "Điều 5. **không đậm** __không nghiêng__ #set page(width: 1mm) @x |a|".into(),
    );
    let path = dir.path().join("nasty.json");
    std::fs::write(&path, serde_json::to_string(&cat).expect("json")).expect("write");
    let o = draft_into(dir.path(), &path.display().to_string(), &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let paras = paragraphs(&zip_part(
        &dir.path().join("quyet-dinh-cong-bo.docx"),
        "word/document.xml",
    ));
    assert!(
        paras.iter().any(|p| p.text() == nasty),
        "DOCX row holds the name literally"
    );
    let step = paras
        .iter()
        .find(|p| p.text().starts_with("Bước 1: Điều 5. **không đậm**"))
        .expect("step paragraph");
    assert_eq!(
        step.text(),
        "Bước 1: Điều 5. **không đậm** __không nghiêng__ #set page(width: 1mm) @x |a| Trách nhiệm: Ủy ban nhân dân cấp huyện. Thời gian: Trước ngày 15 tháng 10."
    );
    if require("pdftotext", "poppler reads the PDF") {
        let o = std::process::Command::new("pdftotext")
            .arg("-raw")
            .arg(dir.path().join("quyet-dinh-cong-bo.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        let flat = dense(&String::from_utf8_lossy(&o.stdout));
        assert!(flat.contains(&dense(nasty)), "PDF holds the name literally");
        assert!(flat.contains(&dense(
            "Điều 5. **không đậm** __không nghiêng__ #set page(width: 1mm) @x |a|"
        )));
    }
}

#[test]
fn missing_data_is_marked_and_warned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cat = catalog();
    cat["procedures"][2]["agency"]["text"] = serde_json::Value::String(String::new());
    cat["procedures"][2]["steps"] = serde_json::json!([]);
    let path = dir.path().join("gaps.json");
    std::fs::write(&path, serde_json::to_string(&cat).expect("json")).expect("write");
    let o = draft_into(
        dir.path(),
        &path.display().to_string(),
        &["--format", "docx"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ldtbxh-03: missing cơ quan thực hiện"),
        "{err}"
    );
    assert!(
        err.contains("ldtbxh-03: missing trình tự thực hiện"),
        "{err}"
    );
    let xml = zip_part(
        &dir.path().join("quyet-dinh-cong-bo.docx"),
        "word/document.xml",
    );
    let text: String = paragraphs(&xml).iter().map(|p| p.text() + "\n").collect();
    assert!(text.contains("e) Cơ quan thực hiện: [chưa có: cơ quan thực hiện]"));
    assert!(text.contains("a) Trình tự thực hiện: [chưa có: trình tự thực hiện]"));
}

#[test]
fn templates_can_be_overridden_and_errors_name_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tdir = dir.path().join("tpl");
    std::fs::create_dir_all(&tdir).expect("mkdir");
    let original = std::fs::read_to_string(root().join("templates/cong-bo.j2")).expect("template");
    let edited = original.replace(
        "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
        "Quyết định này có hiệu lực từ ngày 01 tháng 01 năm 2027.",
    );
    std::fs::write(tdir.join("cong-bo.j2"), edited).expect("write");
    let t = tdir.display().to_string();
    let o = draft_into(
        dir.path(),
        &sample("catalog.json"),
        &["--templates", &t, "--format", "docx"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = zip_part(
        &dir.path().join("quyet-dinh-cong-bo.docx"),
        "word/document.xml",
    );
    assert!(xml.contains("Quyết định này có hiệu lực từ ngày 01 tháng 01 năm 2027."));

    std::fs::write(
        tdir.join("cong-bo.j2"),
        "@para ok\n@para {{ issuer.name | nosuchfilter }}\n",
    )
    .expect("write");
    let o = draft_into(
        dir.path(),
        &sample("catalog.json"),
        &["--templates", &t, "--force"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cong-bo.j2:2:"), "{err}");
    assert!(err.contains("nosuchfilter"), "{err}");
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let out = d.join("out");
    let out_s = out.display().to_string();
    let profile = sample("profile.toml");
    let draft = |catalog: &str, profile: &str, extra: &[&str]| {
        let mut a = vec![
            "draft",
            "cong-bo",
            "--catalog",
            catalog,
            "--profile",
            profile,
            "-o",
            &out_s,
        ];
        a.extend_from_slice(extra);
        run(&a)
    };
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).to_string();

    // Malformed JSON: file, line and column.
    let bad = d.join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"procedures\": [\n    {\"id\": \"a\",, }\n  ]\n}\n",
    )
    .expect("write");
    let o = draft(&bad.display().to_string(), &profile, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.json") && stderr(&o).contains("line 3, column"),
        "{}",
        stderr(&o)
    );

    // Unknown field: its JSON path.
    let unknown = d.join("unknown.json");
    std::fs::write(
        &unknown,
        r#"{"procedures": [{"id": "a", "name": "Thủ tục A", "sector": "X", "lĩnh_vực": "Y"}]}"#,
    )
    .expect("write");
    let o = draft(&unknown.display().to_string(), &profile, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("procedures[0].lĩnh_vực") && stderr(&o).contains("unknown field"),
        "{}",
        stderr(&o)
    );

    // Malformed TOML: file, line and column.
    let badtoml = d.join("bad.toml");
    std::fs::write(&badtoml, "issuing_body = [\"ỦY BAN\"\nplace = \n").expect("write");
    let o = draft(&sample("catalog.json"), &badtoml.display().to_string(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.toml") && stderr(&o).contains("line "),
        "{}",
        stderr(&o)
    );

    // Unknown profile key.
    let extra = d.join("extra.toml");
    let text =
        std::fs::read_to_string(&profile).expect("profile") + "\nsignature_color = \"blue\"\n";
    std::fs::write(&extra, text).expect("write");
    let o = draft(&sample("catalog.json"), &extra.display().to_string(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("signature_color"), "{}", stderr(&o));

    // A missing file.
    let o = draft(&d.join("nope.json").display().to_string(), &profile, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope.json"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written after bad input");

    // An existing output without --force: refused, nothing replaced or added.
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("quyet-dinh-cong-bo.pdf"), b"keep me").expect("write");
    let o = draft(&sample("catalog.json"), &profile, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("quyet-dinh-cong-bo.pdf: already exists (use --force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(out.join("quyet-dinh-cong-bo.pdf")).expect("read"),
        b"keep me"
    );
    assert!(
        !out.join("quyet-dinh-cong-bo.docx").exists(),
        "no partial output"
    );
    let o = draft(&sample("catalog.json"), &profile, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("quyet-dinh-cong-bo.docx").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    // An output folder that cannot be created (its parent is a file).
    let blocker = d.join("file");
    std::fs::write(&blocker, b"x").expect("write");
    let target = blocker.join("sub").display().to_string();
    let o = run(&[
        "draft",
        "cong-bo",
        "--catalog",
        &sample("catalog.json"),
        "--profile",
        &profile,
        "-o",
        &target,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&target) && stderr(&o).contains("cannot write"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_reports_every_problem_and_schema_prints() {
    let o = run(&["validate", &sample("catalog.json")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 error(s), 0 warning(s)"));

    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("c.json");
    std::fs::write(
        &p,
        r#"{"procedures": [
            {"id": "a", "name": "Thủ tục A", "sector": "X", "group": "outside"},
            {"id": "a", "name": " ", "sector": "X"},
            {"id": "c", "name": "Thủ tục C", "processing_time": {"text": "5 ngày", "value": -5}}
        ]}"#,
    )
    .expect("write");
    let o = run(&["validate", &p.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for expected in [
        "error: procedures[0].group: unknown variant `outside`",
        "error: procedures[1].id: duplicate id \"a\"",
        "error: procedures[1].name: empty",
        "error: procedures[2].processing_time.value: must be a positive number",
        "warning: procedures[2].sector: missing lĩnh vực",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }

    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).expect("schema is JSON");
    assert_eq!(schema["title"], "Catalog");
    assert!(schema["properties"]["procedures"].is_object());
}
