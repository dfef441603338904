//! Round trip: the DOCX that `draft cong-bo` writes, read back by `extract`, gives back
//! every procedure with its name and all eleven fields (ND63 Điều 8.2) equal to the
//! catalog — for the samples and for random catalogs.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{json, Value};

use tthc::compose::cong_bo::compose_cong_bo;
use tthc::compose::TemplateSource;
use tthc::ingest::docx::read_docx;
use tthc::ingest::Limits;
use tthc::model::validate::{validate_catalog_text, validate_profile_text};
use tthc::model::{
    Agency, Catalog, ChangeKind, CopyKind, Dossier, DossierItem, DraftInfo, Group, LegalRef,
    Procedure, ProcessingTime, Profile, Step, TimeUnit,
};
use tthc::render::docx::{write_docx, DocxOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_text(name: &str) -> String {
    let p = root().join("samples").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn profile() -> Profile {
    let (p, report) = validate_profile_text(&sample_text("profile.toml"));
    p.unwrap_or_else(|| panic!("profile: {report:?}"))
}

/// Draft the decision for `catalog`, write it as DOCX, read it back and extract it.
fn round_trip(catalog: &Catalog, profile: &Profile) -> Vec<Procedure> {
    let draft = DraftInfo {
        number: None,
        date: None,
        year: 2026,
    };
    let composed =
        compose_cong_bo(catalog, profile, &draft, &TemplateSource::default()).expect("compose");
    let bytes = write_docx(&composed.document, &DocxOptions::default()).expect("write docx");
    let doc = read_docx(&bytes, &Limits::default()).expect("read docx");
    tthc::extract::extract(&doc, "quyet-dinh-cong-bo.docx").procedures
}

/// The name and the eleven fields of `p`, as compared. `reference` (the catalog's
/// procedure) says which optional parts count: processing-time value/unit and legal
/// number/date only where the catalog has them. A step without a label is "Bước N".
fn fields(p: &Procedure, reference: &Procedure) -> Vec<(&'static str, Value)> {
    let steps: Vec<Value> = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "label": s.label.clone().unwrap_or_else(|| format!("Bước {}", i + 1)),
                "text": s.text,
                "responsible": s.responsible,
                "duration": s.duration,
            })
        })
        .collect();
    let mut time = json!({ "text": p.processing_time.text });
    if reference.processing_time.value.is_some() {
        time["value"] = json!(p.processing_time.value);
    }
    if reference.processing_time.unit.is_some() {
        time["unit"] = json!(p.processing_time.unit);
    }
    let legal: Vec<Value> = p
        .legal_basis
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let r = reference.legal_basis.get(i);
            let mut v = json!({ "text": l.text });
            if r.is_some_and(|r| r.number.is_some()) {
                v["number"] = json!(l.number);
            }
            if r.is_some_and(|r| r.date.is_some()) {
                v["date"] = json!(l.date);
            }
            v
        })
        .collect();
    vec![
        ("name", json!(p.name)),
        ("steps", json!(steps)),
        ("channels", json!(p.channels)),
        ("dossier", json!(p.dossier)),
        ("processing_time", time),
        ("subjects", json!(p.subjects)),
        ("agency", json!(p.agency)),
        ("result", json!(p.result)),
        ("fees", json!(p.fees)),
        ("forms", json!(p.forms)),
        ("conditions", json!(p.conditions)),
        ("legal_basis", json!(legal)),
    ]
}

/// Every difference between the catalog and what came back, one readable line each.
fn differences(catalog: &Catalog, got: &[Procedure]) -> Vec<String> {
    let want = catalog.ordered();
    let mut out = Vec::new();
    if want.len() != got.len() {
        out.push(format!(
            "{} procedures in the catalog, {} extracted: {:?}",
            want.len(),
            got.len(),
            got.iter().map(|p| &p.name).collect::<Vec<_>>()
        ));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        for ((field, a), (_, b)) in fields(w, w).into_iter().zip(fields(g, w)) {
            if a != b {
                out.push(format!(
                    "procedure {} ({}) field {field}:\n  catalog:   {a}\n  extracted: {b}",
                    i + 1,
                    w.id
                ));
            }
        }
    }
    out
}

fn assert_round_trips(catalog: &Catalog, profile: &Profile) -> Result<(), String> {
    let got = round_trip(catalog, profile);
    let diffs = differences(catalog, &got);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} difference(s) after draft → DOCX → extract:\n{}",
            diffs.len(),
            diffs.join("\n")
        ))
    }
}

#[test]
fn the_sample_catalog_round_trips() {
    let (catalog, report) = validate_catalog_text(&sample_text("catalog.json"));
    let catalog = catalog.unwrap_or_else(|| panic!("catalog: {report:?}"));
    if let Err(e) = assert_round_trips(&catalog, &profile()) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------
// Random catalogs
// ---------------------------------------------------------------------------------------

/// Words of internal procedures, as they appear in real decisions.
const WORDS: &[&str] = &[
    "báo cáo",
    "kết quả",
    "tổng hợp",
    "đề nghị",
    "phê duyệt",
    "kế hoạch",
    "hằng năm",
    "Ủy ban nhân dân tỉnh",
    "Ủy ban nhân dân cấp huyện",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Văn phòng Sở",
    "Phòng Tổ chức - Hành chính",
    "cán bộ, công chức",
    "viên chức",
    "dự toán",
    "kinh phí",
    "hỗ trợ",
    "đối tượng",
    "bảo trợ xã hội",
    "hồ sơ hợp lệ",
    "theo quy định",
    "thẩm định",
    "xem xét",
    "ban hành",
    "quyết định",
    "trình",
    "gửi",
    "tiếp nhận",
    "kiểm tra",
    "rà soát",
    "giai đoạn 2021 - 2025",
    "trên địa bàn",
    "Trung tâm Công tác xã hội",
    "Hội đồng Thi đua - Khen thưởng",
    "ý kiến",
    "bằng văn bản",
    "thông báo",
    "điều chỉnh",
    "chỉ tiêu",
    "việc làm",
    "người có công",
    "khen thưởng",
    "danh sách",
    "biên bản",
    "điện tử",
    "phần mềm",
    "trực tiếp",
];

/// Words with the characters that trip parsers: quotes, separators, brackets, markup.
const TRICKY: &[&str] = &[
    "\"một cửa\"",
    "(nếu có)",
    "(bản điện tử)",
    "Mẫu số 01/BC-UBND",
    "04/2025/TT-BNV",
    "gồm: báo cáo",
    "đợt 1; đợt 2",
    "A & B",
    "*",
    "_",
    "#12",
    "@",
    "< 30",
    "> 5",
    "tỷ lệ 50%",
    "mục 2.1",
    "[đính kèm]",
    "'tạm thời'",
    "3/4",
];

/// First words of a text: plain capitalised words, never a bullet, number or field label.
const STARTS: &[&str] = &[
    "Ủy ban nhân dân cấp huyện",
    "Sở Lao động - Thương binh và Xã hội",
    "Văn bản",
    "Tờ trình",
    "Công chức",
    "Phòng Kế hoạch - Tài chính",
    "Giấy",
    "Bảng",
    "Quyết định",
    "Danh sách",
    "Người đứng đầu",
    "Trung tâm",
    "Chủ tịch",
    "Biên bản",
];

const SECTORS: &[&str] = &[
    "Lao động - việc làm",
    "Người có công",
    "Bảo trợ xã hội",
    "Tổ chức cán bộ",
    "Thi đua, khen thưởng",
    "An toàn, vệ sinh lao động",
];

fn text_of(start: usize, middle: &[(bool, usize)], last: usize) -> String {
    let mut t = STARTS[start % STARTS.len()].to_string();
    for &(tricky, k) in middle {
        t.push(' ');
        t.push_str(if tricky {
            TRICKY[k % TRICKY.len()]
        } else {
            WORDS[k % WORDS.len()]
        });
    }
    t.push(' ');
    t.push_str(ENDS.get(last % 16).unwrap_or(&WORDS[last % WORDS.len()]));
    t
}

/// Last words other than plain words (a text ends with one in a few cases out of 16).
const ENDS: &[&str] = &["(nếu có)", "\"một cửa\"", "(bản điện tử)"];

/// A realistic text of 2–14 words: no empty string, no outer spaces, no end punctuation.
fn text() -> impl Strategy<Value = String> {
    (
        any::<usize>(),
        prop::collection::vec((prop::bool::weighted(0.25), any::<usize>()), 0..12),
        any::<usize>(),
    )
        .prop_map(|(s, m, l)| text_of(s, &m, l))
}

fn texts(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..=max)
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn step(i: usize) -> impl Strategy<Value = Step> {
    (
        any::<bool>(),
        text(),
        opt_text(),
        prop::option::of(duration()),
    )
        .prop_map(move |(labelled, text, responsible, duration)| Step {
            label: labelled.then(|| format!("Bước {}", i + 1)),
            text,
            responsible,
            duration,
        })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    (0usize..6).prop_flat_map(|n| (0..n).map(step).collect::<Vec<_>>())
}

fn duration() -> impl Strategy<Value = String> {
    (1u32..40, 0usize..4).prop_map(|(n, k)| match k {
        0 => format!("{n:02} ngày làm việc"),
        1 => format!("Trong {n} ngày"),
        2 => format!("Trước ngày {} tháng 10", n.min(28)),
        _ => format!("{n} giờ kể từ khi nhận hồ sơ"),
    })
}

fn copy_kind() -> impl Strategy<Value = Option<CopyKind>> {
    prop::option::of(prop_oneof![
        Just(CopyKind::Original),
        Just(CopyKind::Copy),
        Just(CopyKind::OriginalOrCopy),
    ])
}

fn dossier() -> impl Strategy<Value = Dossier> {
    (
        prop::collection::vec(
            (text(), copy_kind(), prop::option::of(1u32..20)).prop_map(|(name, copy_kind, q)| {
                DossierItem {
                    name,
                    copy_kind,
                    quantity: q,
                }
            }),
            0..5,
        ),
        prop::option::of(1u32..10),
    )
        .prop_map(|(items, sets)| Dossier { items, sets })
}

fn processing_time() -> impl Strategy<Value = ProcessingTime> {
    (1u32..60, 0usize..4, any::<bool>(), text()).prop_map(|(n, k, parsed, tail)| {
        let (text, unit) = match k {
            0 => (
                format!("{n:02} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
                TimeUnit::WorkingDays,
            ),
            1 => (
                format!("{n} ngày kể từ ngày nhận được {tail}"),
                TimeUnit::Days,
            ),
            2 => (format!("{n} tháng"), TimeUnit::Months),
            _ => (format!("Định kỳ hằng năm, {tail}"), TimeUnit::Days),
        };
        let parsed = parsed && k < 3;
        ProcessingTime {
            text,
            value: parsed.then_some(f64::from(n)),
            unit: parsed.then_some(unit),
        }
    })
}

fn legal_ref() -> impl Strategy<Value = LegalRef> {
    (
        1u32..200,
        2010i32..2025,
        1u32..13,
        1u32..29,
        0usize..3,
        any::<bool>(),
        text(),
    )
        .prop_map(|(n, y, m, d, kind, detailed, about)| {
            let (name, number) = match kind {
                0 => ("Nghị định số".to_string(), format!("{n}/{y}/NĐ-CP")),
                1 => ("Thông tư số".to_string(), format!("{n:02}/{y}/TT-BNV")),
                _ => ("Luật Việc làm số".to_string(), format!("{n}/{y}/QH13")),
            };
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d);
            let text = format!("{name} {number} ngày {d:02}/{m:02}/{y} quy định về {about}");
            LegalRef {
                text,
                number: detailed.then_some(number),
                date: if detailed { date } else { None },
            }
        })
}

fn agency() -> impl Strategy<Value = Agency> {
    (text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(text, decides, performs, coordinates)| Agency {
            text,
            decides,
            performs,
            coordinates,
        },
    )
}

fn fees() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("Không".to_string()),
        Just("Không thu phí".to_string()),
        (1u32..100).prop_map(|n| format!("{n}.000 đồng/hồ sơ")),
    ])
}

#[allow(clippy::type_complexity)]
fn procedure() -> impl Strategy<Value = Procedure> {
    (
        (
            text(),
            prop::option::of(1000u32..9999),
            prop_oneof![Just(Group::BetweenAgencies), Just(Group::WithinAgency)],
            0..SECTORS.len(),
            prop_oneof![Just(ChangeKind::New), Just(ChangeKind::Amended)],
        ),
        (steps(), texts(3), dossier(), processing_time(), texts(3)),
        (
            agency(),
            texts(3),
            fees(),
            texts(3),
            texts(3),
            prop::collection::vec(legal_ref(), 0..4),
        ),
    )
        .prop_map(
            |(
                (name, code, group, sector, change),
                (steps, channels, dossier, processing_time, subjects),
                (agency, result, fees, forms, conditions, legal_basis),
            )| Procedure {
                id: String::new(),
                code: code.map(|c| format!("1.00{c}")),
                name: format!("Thủ tục {}", name.to_lowercase()),
                group: Some(group),
                sector: SECTORS[sector].to_string(),
                change,
                steps,
                channels,
                dossier,
                processing_time,
                subjects,
                agency,
                result,
                fees,
                forms,
                conditions,
                legal_basis,
                ..Procedure::default()
            },
        )
}

fn catalog() -> impl Strategy<Value = Catalog> {
    prop::collection::vec(procedure(), 1..=15).prop_map(|mut procedures| {
        for (i, p) in procedures.iter_mut().enumerate() {
            p.id = format!("tt-{:02}", i + 1);
        }
        Catalog {
            title: None,
            scope: Some("thuộc phạm vi chức năng quản lý của Sở Nội vụ tỉnh Lào Cai".into()),
            as_of: None,
            procedures,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_catalogs_round_trip(catalog in catalog()) {
        let profile = profile();
        if let Err(e) = assert_round_trips(&catalog, &profile) {
            prop_assert!(false, "{}", e);
        }
    }
}
