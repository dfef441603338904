//! The Báo cáo kết quả rà soát, đơn giản hóa (Mẫu 1.4): every figure of
//! `tthc cost --json` appears exactly in the DOCX, the PDF and the spreadsheet; the
//! Đạt / Chưa đạt flags follow --as-of across each milestone; the chart is a picture
//! in both; bad input is refused with nothing written. Also: the three drafted
//! documents open in LibreOffice and carry an empty /Sig field at the signature block.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Vietnamese percent format, independently: 26.0312 → "26,03%".
fn vn_pct(v: f64) -> String {
    format!("{:.2}%", v).replace('.', ",")
}

struct Samples {
    catalog: String,
    profile: String,
    review: String,
}

fn samples() -> Samples {
    let r = root();
    Samples {
        catalog: r.join("samples/catalog.json").display().to_string(),
        profile: r.join("samples/profile.toml").display().to_string(),
        review: r.join("samples/review.json").display().to_string(),
    }
}

fn cost_json(s: &Samples, as_of: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "cost", &s.catalog, "--review", &s.review, "--as-of", as_of, "--json",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

/// Draft the sample report as of `as_of` (also the signing date); it must succeed.
fn bao_cao(s: &Samples, out: &Path, as_of: &str, formats: &str, extra: &[&str]) {
    let mut args = vec!["--as-of", as_of, "--date", as_of, "--format", formats];
    args.extend_from_slice(extra);
    let o = run_bao_cao(s, &s.review, out, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Run `tthc draft bao-cao` on the sample catalog and profile with `review` and more
/// arguments, into `out`; the output is returned whatever the exit status.
fn run_bao_cao(s: &Samples, review: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let out = out.display().to_string();
    let mut args = vec![
        "draft",
        "bao-cao",
        "--catalog",
        &s.catalog,
        "--profile",
        &s.profile,
        "--review",
        review,
        "-o",
        &out,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn pdf_text(pdf: &Path) -> Option<String> {
    if !require("pdftotext", "poppler reads the PDF") {
        return None;
    }
    let o = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(o.status.success());
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Rows of the DOCX table whose header row starts with `first` and `second`, as
/// cell texts, read back with the crate's own DOCX reader.
fn docx_table(docx: &Path, second: &str) -> Vec<Vec<String>> {
    let doc = tthc::ingest::docx::read_docx_path(docx, &tthc::ingest::Limits::default())
        .expect("reads the DOCX");
    let mut out = Vec::new();
    doc.visit_blocks(&mut |b| {
        if let tthc::doctree::Block::Table(t) = b {
            let rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|c| {
                            let mut s = String::new();
                            for b in &c.blocks {
                                if let tthc::doctree::Block::Paragraph(p) = b {
                                    s.push_str(&p.text());
                                }
                            }
                            s
                        })
                        .collect()
                })
                .collect();
            if rows
                .first()
                .is_some_and(|h| h.get(1).is_some_and(|c| c == second))
                && out.is_empty()
            {
                out = rows;
            }
        }
    });
    out
}

/// Overall figures as the report must print them.
fn overall_figures(cost: &serde_json::Value) -> Vec<String> {
    let m = &cost["overall"];
    let f = |k: &str| m[k].as_f64().expect(k);
    let before = m["cost"]["before"].as_f64().expect("before");
    let saving = m["cost"]["saving"].as_f64().expect("saving");
    vec![
        vn_money(before),
        vn_money(m["cost"]["after"].as_f64().expect("after")),
        vn_money(saving),
        vn_pct(saving / before * 100.0),
        vn_pct(f("reviewed_pct")),
        vn_pct(f("approved_pct")),
        vn_pct(f("implemented_pct")),
        vn_pct(f("ratio_count_pct")),
        vn_pct(f("published_pct")),
    ]
}

#[test]
fn figures_match_tthc_cost_in_docx_pdf_and_xlsx() {
    let s = samples();
    let cost = cost_json(&s, "2025-01-01", &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    bao_cao(
        &s,
        dir.path(),
        "2025-01-01",
        "docx,pdf,xlsx",
        &["--number", "1"],
    );
    let docx = dir.path().join("bao-cao.docx");
    let xml_text: String = paragraphs(&zip_part(&docx, "word/document.xml"))
        .iter()
        .map(|p| p.text() + "\n")
        .collect();

    // The overall figures, in running text.
    let figures = overall_figures(&cost);
    for f in &figures {
        assert!(xml_text.contains(f.as_str()), "DOCX lacks {f}");
    }
    let m = &cost["overall"];
    assert!(xml_text.contains(&format!(
        "trước đơn giản hóa: {} đồng/năm",
        vn_money(m["cost"]["before"].as_f64().expect("before"))
    )));
    // Fixed strings of Mẫu 1.4.
    for fixed in [
        "BÁO CÁO",
        "Kết quả rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        "Kính gửi: Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính).",
        "Số: 01/BC-UBND",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "- Như trên;",
        "I. TÌNH HÌNH TRIỂN KHAI",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "BIỂU SỐ LIỆU KẾT QUẢ RÀ SOÁT, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ",
    ] {
        assert!(xml_text.contains(fixed), "DOCX lacks {fixed:?}");
    }

    // Tables by sector and by agency, each row with the figures of `tthc cost`.
    for (key, label, header) in [
        ("by_sector", "sector", "Lĩnh vực"),
        ("by_agency", "agency", "Cơ quan thực hiện"),
    ] {
        let rows = docx_table(&docx, header);
        let list = cost[key].as_array().expect(key);
        assert_eq!(rows.len(), list.len() + 2, "{key}: header + rows + total");
        for (row, item) in rows[1..].iter().zip(list) {
            let mm = &item["metrics"];
            assert_eq!(row[1], item[label].as_str().expect("name"));
            assert_eq!(row[2], mm["published_total"].to_string());
            assert_eq!(
                row[3],
                format!(
                    "{} ({})",
                    mm["reviewed"],
                    vn_pct(mm["reviewed_pct"].as_f64().expect("pct"))
                )
            );
            assert_eq!(
                row[6],
                vn_money(mm["cost"]["before"].as_f64().expect("before"))
            );
            assert_eq!(
                row[7],
                vn_money(mm["cost"]["after"].as_f64().expect("after"))
            );
        }
    }
    // The sample reaches the 20% targets in some sectors and misses them in others.
    let sectors = docx_table(&docx, "Lĩnh vực");
    let flags: Vec<&str> = sectors[1..sectors.len() - 1]
        .iter()
        .map(|r| r[9].as_str())
        .collect();
    assert!(
        flags.contains(&"Đạt") && flags.contains(&"Chưa đạt"),
        "{flags:?}"
    );

    // The chart is a PNG picture in the DOCX.
    let parts = zip_parts(&docx);
    let png = parts
        .iter()
        .find(|(n, _)| n == "word/media/image1.png")
        .map(|(_, b)| b.clone())
        .expect("chart picture");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 10_000, "a drawn chart, not an empty picture");
    let rels = zip_part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="media/image1.png""#));
    assert!(zip_part(&docx, "word/document.xml").contains(r#"r:embed="rIdImage1""#));

    if let Some(text) = pdf_text(&dir.path().join("bao-cao.pdf")) {
        let d = dense(&text);
        for f in &figures {
            assert!(d.contains(&dense(f)), "PDF lacks {f}");
        }
        for item in cost["by_sector"].as_array().expect("sectors") {
            let b = vn_money(item["metrics"]["cost"]["before"].as_f64().expect("b"));
            assert!(d.contains(&dense(&b)), "PDF lacks sector figure {b}");
        }
        // The chart is an image in the PDF.
        let o = Command::new("pdfimages")
            .arg("-list")
            .arg(dir.path().join("bao-cao.pdf"))
            .output()
            .expect("pdfimages");
        let list = String::from_utf8_lossy(&o.stdout);
        assert!(list.lines().count() >= 3, "no image in the PDF:\n{list}");
    }

    // The spreadsheet holds the same numbers (as numbers).
    let xlsx = dir.path().join("bao-cao.xlsx");
    let shared = zip_part(&xlsx, "xl/sharedStrings.xml");
    assert!(shared.contains("Theo") || shared.contains("Lĩnh vực"));
    let sheet2 = zip_part(&xlsx, "xl/worksheets/sheet2.xml");
    let total = &cost["overall"]["cost"];
    for k in ["before", "after", "saving"] {
        let v = total[k].as_f64().expect(k).round() as u64;
        assert!(
            sheet2.contains(&format!("<v>{v}</v>")),
            "xlsx lacks {k} {v}"
        );
    }
}

/// The status printed for each milestone in the report's "Đối chiếu" table.
fn statuses(dir: &Path) -> Vec<(String, String, String)> {
    let rows = docx_table(&dir.join("bao-cao.docx"), "Chỉ tiêu");
    rows[1..]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone(), r[5].clone()))
        .collect()
}

#[test]
fn flags_flip_when_as_of_crosses_each_milestone() {
    let s = samples();
    let dates = [
        ("2023-03-31", "2023-04-01"),
        ("2023-12-31", "2024-01-01"),
        ("2024-12-31", "2025-01-01"),
    ];
    for (before, on) in dates {
        for as_of in [before, on] {
            let cost = cost_json(&s, as_of, &[]);
            let dir = tempfile::tempdir().expect("tempdir");
            bao_cao(&s, dir.path(), as_of, "docx,pdf", &[]);
            let got = statuses(dir.path());
            let want = cost["assessments"].as_array().expect("assessments");
            assert_eq!(got.len(), want.len());
            let pdf = pdf_text(&dir.path().join("bao-cao.pdf")).map(|t| dense(&t));
            for ((label, deadline, status), a) in got.iter().zip(want) {
                let date = a["milestone"]["date"].as_str().expect("date");
                let due = date <= as_of;
                let value = a["value"].as_f64().expect("value");
                let target = a["milestone"]["target"].as_f64().expect("target");
                let expected = if !due {
                    "Chưa đến hạn"
                } else if value + 1e-9 >= target {
                    "Đạt"
                } else {
                    "Chưa đạt"
                };
                assert!(
                    status.starts_with(expected),
                    "{as_of}: {label} ({deadline}) is {status:?}, expected {expected}"
                );
                if let Some(pdf) = &pdf {
                    assert!(pdf.contains(&dense(expected)));
                }
            }
        }
        // Crossing the date makes every milestone of that date due.
        let day_before = statuses(&{
            let d = tempfile::tempdir().expect("tempdir").keep();
            bao_cao(&s, &d, before, "docx", &[]);
            d
        });
        let day_of = statuses(&{
            let d = tempfile::tempdir().expect("tempdir").keep();
            bao_cao(&s, &d, on, "docx", &[]);
            d
        });
        let (y, m, d) = (&on[0..4], &on[5..7], &on[8..10]);
        let shown = format!("{d}/{m}/{y}");
        for (b, a) in day_before.iter().zip(&day_of) {
            if b.1 == shown {
                assert_eq!(b.2, "Chưa đến hạn", "{}: before {on}", b.0);
                assert_ne!(a.2, "Chưa đến hạn", "{}: on {on}", a.0);
            }
        }
    }
    // On the last deadline the sample has reviewed 11 of 12: "Chưa đạt"; the cuts are met.
    let dir = tempfile::tempdir().expect("tempdir");
    bao_cao(&s, dir.path(), "2025-01-01", "docx", &[]);
    let st = statuses(dir.path());
    let find = |label: &str| {
        st.iter()
            .find(|r| r.0 == label)
            .map(|r| r.2.clone())
            .unwrap_or_default()
    };
    assert_eq!(find("Tỷ lệ TTHC đã rà soát"), "Chưa đạt");
    assert_eq!(find("Tỷ lệ cắt giảm chi phí tuân thủ"), "Đạt");
}

#[test]
fn milestones_file_changes_the_targets() {
    let s = samples();
    let dir = tempfile::tempdir().expect("tempdir");
    let m = dir.path().join("milestones.toml");
    std::fs::write(
        &m,
        "[[milestone]]\ndate = \"2024-06-30\"\nmetric = \"cost_ratio_pct\"\ntarget = 30\n\n[[milestone]]\ndate = 2024-06-30\nmetric = \"count_ratio_pct\"\ntarget = 20\n",
    )
    .expect("write");
    let ms = m.display().to_string();
    let cost = cost_json(&s, "2025-01-01", &["--milestones", &ms]);
    let a = cost["assessments"].as_array().expect("assessments");
    assert_eq!(a.len(), 2);
    let out = dir.path().join("out");
    bao_cao(&s, &out, "2025-01-01", "docx", &["--milestones", &ms]);
    let st = statuses(&out);
    assert_eq!(st.len(), 2);
    // 26,21% of cost cut misses a 30% target; 27,27% of procedures cut meets 20%.
    assert_eq!(st[0].2, "Chưa đạt", "{st:?}");
    assert_eq!(st[1].2, "Đạt", "{st:?}");
    assert_eq!(st[0].1, "30/06/2024");

    // A bad milestones file: every problem with its place, nothing written.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[milestone]]\ndate = \"2024-13-01\"\nmetric = \"speed\"\ntarget = 120\nextra = 1\n",
    )
    .expect("write");
    let out2 = dir.path().join("out2");
    let o = run_bao_cao(
        &s,
        &s.review,
        &out2,
        &["--milestones", &bad.display().to_string()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for want in [
        "milestone[0].date",
        "milestone[0].metric",
        "milestone[0].target",
        "milestone[0].extra",
        "bad.toml",
    ] {
        assert!(err.contains(want), "{want} not in {err}");
    }
    assert!(!out2.exists() || std::fs::read_dir(&out2).map(|d| d.count()).unwrap_or(0) == 0);
}

#[test]
fn bad_review_is_refused_and_nothing_written() {
    let s = samples();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut review: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&s.review).expect("read")).expect("json");
    review["procedures"][0]["cost_before"]["activities"][0]["hours"] = serde_json::json!(-2);
    review["procedures"][1]["procedure_id"] = serde_json::json!("khong-co-trong-danh-muc");
    let bad = dir.path().join("review.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&review).expect("json")).expect("write");
    let out = dir.path().join("out");
    let o = run_bao_cao(
        &s,
        &bad.display().to_string(),
        &out,
        &["--as-of", "2025-01-01", "--format", "docx,pdf,xlsx"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("procedures[0].cost_before.activities[0].hours"),
        "{err}"
    );
    assert!(err.contains("procedures[1].procedure_id"), "{err}");
    assert!(err.contains("nothing written"), "{err}");
    assert!(!out.join("bao-cao.docx").exists());
    assert!(!out.join("bao-cao.pdf").exists());
    assert!(!out.join("bao-cao.xlsx").exists());
}

/// Draft the three documents of the sample into `dir`.
fn draft_all(dir: &Path) -> Vec<PathBuf> {
    let s = samples();
    let out = dir.display().to_string();
    for (kind, extra) in [
        ("cong-bo", vec![]),
        ("phe-duyet", vec!["--review", s.review.as_str()]),
        (
            "bao-cao",
            vec!["--review", s.review.as_str(), "--as-of", "2025-01-01"],
        ),
    ] {
        let mut args = vec![
            "draft",
            kind,
            "--catalog",
            &s.catalog,
            "--profile",
            &s.profile,
            "--date",
            "2025-01-05",
            "-o",
            &out,
        ];
        args.extend(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    ["quyet-dinh-cong-bo", "quyet-dinh-phe-duyet", "bao-cao"]
        .iter()
        .map(|s| dir.join(s))
        .collect()
}

#[test]
fn the_three_documents_open_in_libreoffice() {
    if !require("soffice", "LibreOffice opens the drafted DOCX") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let stems = draft_all(dir.path());
    let profile = dir.path().join("lo-profile");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
    .arg(dir.path().join("txt"));
    for s in &stems {
        cmd.arg(s.with_extension("docx"));
    }
    let o = cmd.output().expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |name: &str| {
        std::fs::read_to_string(dir.path().join("txt").join(name)).expect("converted text")
    };
    let cb = read("quyet-dinh-cong-bo.txt");
    assert!(
        cb.contains("Về việc công bố danh mục thủ tục hành chính nội bộ")
            || cb.contains("QUYẾT ĐỊNH")
    );
    let pd = read("quyet-dinh-phe-duyet.txt");
    assert!(pd.contains("Phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ"));
    let bc = read("bao-cao.txt");
    assert!(bc.contains("Kính gửi: Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính)."));
    assert!(
        bc.contains("BIỂU SỐ LIỆU KẾT QUẢ RÀ SOÁT, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH NỘI BỘ"),
        "{bc}"
    );
    for t in [&cb, &pd, &bc] {
        assert!(t.contains("Trần Văn Minh"));
    }
    if require("openxml-audit", "schema check of the written DOCX and XLSX") {
        for s in &stems {
            let o = Command::new("openxml-audit")
                .arg(s.with_extension("docx"))
                .output()
                .expect("openxml-audit runs");
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains("Errors: 0"), "{}: {out}", s.display());
        }
    }
}

/// The signature fields a PDF library (pyHanko) finds: (name, page from 1, rect).
fn sig_fields(pdf: &Path) -> Vec<(String, usize, [f64; 4])> {
    let script = r#"
import sys, json
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
r = PdfFileReader(open(sys.argv[1], 'rb'))
pages = [p.idnum for p in (r.root['/Pages'].get_object()['/Kids'])]
out = []
for name, value, ref in enumerate_sig_fields(r, filled_status=None):
    w = ref.get_object()
    if value is not None:
        raise SystemExit('field already signed')
    out.append([name, pages.index(w.raw_get('/P').idnum) + 1, [float(x) for x in w['/Rect']], w['/FT']])
print(json.dumps(out))
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(pdf)
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "pyHanko: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v.as_array()
        .expect("list")
        .iter()
        .map(|f| {
            assert_eq!(f[3], "/Sig");
            let r: Vec<f64> = f[2]
                .as_array()
                .expect("rect")
                .iter()
                .map(|x| x.as_f64().expect("num"))
                .collect();
            (
                f[0].as_str().expect("name").to_string(),
                f[1].as_u64().expect("page") as usize,
                [r[0], r[1], r[2], r[3]],
            )
        })
        .collect()
}

/// Word boxes on a page from `pdftotext -bbox`: (word, xMin, yMin, xMax, yMax), y from the top.
fn words(pdf: &Path, page: usize) -> Vec<(String, f64, f64, f64, f64)> {
    let o = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let html = String::from_utf8_lossy(&o.stdout);
    let attr = |line: &str, name: &str| -> f64 {
        line.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let w = l
                .split('>')
                .nth(1)
                .and_then(|r| r.split('<').next())
                .unwrap_or("")
                .to_string();
            (
                w,
                attr(l, "xMin"),
                attr(l, "yMin"),
                attr(l, "xMax"),
                attr(l, "yMax"),
            )
        })
        .collect()
}

#[test]
fn each_pdf_has_an_empty_signature_field_over_the_signature_block() {
    let have_hanko = Command::new("python3")
        .args(["-c", "import pyhanko"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !have_hanko {
        if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
            panic!("pyHanko is required in CI to list the PDF signature fields");
        }
        eprintln!("NOTICE: SKIPPED (signature fields): pyHanko is not installed");
        return;
    }
    if !require("pdftotext", "poppler locates the signature block") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for stem in draft_all(dir.path()) {
        let pdf = stem.with_extension("pdf");
        let fields = sig_fields(&pdf);
        assert_eq!(fields.len(), 1, "{}: {fields:?}", pdf.display());
        let (name, page, rect) = &fields[0];
        assert_eq!(name, "Signature1");

        // The sidecar says the same.
        let car: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(stem.with_extension("signatures.json")).expect("sidecar"),
        )
        .expect("json");
        let signer = &car["signers"][0];
        assert_eq!(signer["field"], "Signature1");
        assert_eq!(signer["page"].as_u64(), Some(*page as u64));
        assert_eq!(signer["name"], "Trần Văn Minh");
        for (i, v) in rect.iter().enumerate() {
            let s = signer["rect"][i].as_f64().expect("rect");
            assert!((s - v).abs() < 0.02, "sidecar rect {i}: {s} vs {v}");
        }

        // On that page, the field lies between the signer's title and name, centred
        // on them, wide enough for a signature and the seal over its left third.
        let page_h = 841.89;
        let ws = words(&pdf, *page);
        let name_words: Vec<_> = ws
            .iter()
            .filter(|w| w.0 == "Minh" || w.0 == "Trần")
            .collect();
        assert!(
            !name_words.is_empty(),
            "{}: no signer name on page {page}",
            pdf.display()
        );
        let title: Vec<_> = ws.iter().filter(|w| w.0 == "TỊCH").collect();
        assert!(!title.is_empty(), "no title on page {page}");
        let name_top = name_words.iter().map(|w| w.2).fold(f64::MAX, f64::min);
        let title_bottom = title.iter().map(|w| w.4).fold(f64::MIN, f64::max);
        let (x1, y1, x2, y2) = (rect[0], page_h - rect[3], rect[2], page_h - rect[1]);
        let centre_y = (y1 + y2) / 2.0;
        assert!(
            centre_y > title_bottom && centre_y < name_top,
            "{}: field centre {centre_y} not between title {title_bottom} and name {name_top}",
            pdf.display()
        );
        let name_x =
            name_words.iter().map(|w| (w.1 + w.3) / 2.0).sum::<f64>() / name_words.len() as f64;
        assert!(
            x1 < name_x && name_x < x2 + 1.0,
            "field {x1}..{x2}, name at {name_x}"
        );
        let mm = |pt: f64| pt * 25.4 / 72.0;
        assert!(mm(x2 - x1) >= 60.0 && mm(y2 - y1) >= 30.0, "{rect:?}");
    }
}

#[test]
fn hourly_value_from_the_profile_when_the_review_has_none() {
    let s = samples();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut review: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&s.review).expect("read")).expect("json");
    let own = review["hourly_value"]["vnd_per_hour"].as_f64();
    review
        .as_object_mut()
        .expect("object")
        .remove("hourly_value");
    let bare = dir.path().join("review.json");
    std::fs::write(&bare, serde_json::to_string_pretty(&review).expect("json")).expect("write");
    let bare_s = bare.display().to_string();

    // Without a profile there is no value of time: a clear error naming the file.
    let o = run(&["cost", &s.catalog, "--review", &bare_s, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("hourly_value"), "{err}");
    assert!(err.contains("review.json"), "{err}");

    // With the profile's dated value, the same figures as the sample.
    let o = run(&[
        "cost",
        &s.catalog,
        "--review",
        &bare_s,
        "--profile",
        &s.profile,
        "--as-of",
        "2025-01-01",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["hourly_value"]["vnd_per_hour"].as_f64(), own);
    assert_eq!(v["hourly_value"]["as_of"], "2024-07-01");
    let with_own = cost_json(&s, "2025-01-01", &[]);
    assert_eq!(v["overall"], with_own["overall"]);

    let out = dir.path().join("out");
    let o = run_bao_cao(
        &s,
        &bare_s,
        &out,
        &["--as-of", "2025-01-01", "--format", "docx"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("bao-cao.docx").is_file());
}
