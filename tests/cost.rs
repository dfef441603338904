//! Compliance cost (TT 02/2017), report metrics and QĐ 1085 milestones, with
//! hand-computed figures; validation of `review.json` with JSON paths.

use chrono::NaiveDate;
use tthc::cost::{
    assess, build_report, cost_table, per_execution, procedure_cost, totals, yearly, Metrics,
    Milestone, MilestoneMetric, PlanKind, MET, NOT_DUE, NOT_MET,
};
use tthc::model::review::{
    validate_review_text, validate_review_text_with, Action, Activity, Component, CostInputs,
    HourlyValue, Proposal, Review, ReviewFile, ReviewStatus,
};
use tthc::model::{Catalog, Procedure};
use tthc::text::{money, percent};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn acts(list: &[(&str, f64)]) -> Vec<Activity> {
    list.iter()
        .map(|(n, h)| Activity {
            name: n.to_string(),
            hours: *h,
        })
        .collect()
}

fn inputs(hours: &[f64], other: f64, times: f64, subjects: f64) -> CostInputs {
    CostInputs {
        activities: hours
            .iter()
            .enumerate()
            .map(|(i, h)| Activity {
                name: format!("việc {}", i + 1),
                hours: *h,
            })
            .collect(),
        other,
        times_per_year: times,
        subjects_per_year: subjects,
        ..CostInputs::default()
    }
}

fn review(id: &str, before: CostInputs, after: CostInputs) -> Review {
    Review {
        procedure_id: id.to_string(),
        status: ReviewStatus::Reviewed,
        reviewed_on: Some(day(2024, 1, 1)),
        cost_before: before,
        cost_after: after,
        ..Review::default()
    }
}

fn hourly(v: f64) -> HourlyValue {
    HourlyValue {
        vnd_per_hour: v,
        as_of: day(2024, 7, 1),
        source: "thử nghiệm".to_string(),
    }
}

/// A monthly report sent by 30 agencies: 12 × 30 = 360 executions a year.
/// Before: 0,5 + 4 + 0,5 = 5 h × 40.000 = 200.000 + 50.000 in ấn, gửi = 250.000 đồng;
/// 250.000 × 360 = 90.000.000 đồng/năm. After (sent on the system): 2 h × 40.000 = 80.000;
/// × 360 = 28.800.000. Saving 61.200.000 = 68%.
#[test]
fn monthly_report_of_thirty_agencies() {
    let rate = 40_000.0;
    let before = CostInputs {
        activities: acts(&[
            ("Tìm hiểu yêu cầu báo cáo", 0.5),
            ("Tổng hợp số liệu, lập báo cáo", 4.0),
            ("Trình ký, gửi báo cáo", 0.5),
        ]),
        other: 50_000.0,
        times_per_year: 12.0,
        subjects_per_year: 30.0,
        ..CostInputs::default()
    };
    let after = CostInputs {
        activities: acts(&[("Nhập số liệu trên hệ thống", 2.0)]),
        times_per_year: 12.0,
        subjects_per_year: 30.0,
        ..CostInputs::default()
    };
    assert_eq!(per_execution(&before, rate), 250_000.0);
    assert_eq!(yearly(&before, rate), 90_000_000.0);
    assert_eq!(per_execution(&after, rate), 80_000.0);
    assert_eq!(yearly(&after, rate), 28_800_000.0);
    let c = procedure_cost(&review("bc", before, after), rate);
    assert_eq!(c.before.executions_per_year, 360.0);
    assert_eq!(c.before.hours, 5.0);
    assert_eq!(c.before.time_cost, 200_000.0);
    assert_eq!(c.before.cash, 50_000.0);
    assert_eq!(c.saving, 61_200_000.0);
    assert_eq!(c.ratio_pct, Some(68.0));
    assert_eq!(money(c.before.yearly), "90.000.000");
    assert_eq!(money(c.after.yearly), "28.800.000");
    assert_eq!(money(c.saving), "61.200.000");
    assert_eq!(percent(68.0), "68,00%");
}

/// Fees, services and other costs add to the time cost: 70 h × 40.000 = 2.800.000
/// + 0 + 150.000 + 50.000 = 3.000.000 đồng per execution.
#[test]
fn cash_items_and_formatting() {
    let c = CostInputs {
        activities: acts(&[("Chuẩn bị hồ sơ", 70.0)]),
        fees: 0.0,
        services: 150_000.0,
        other: 50_000.0,
        times_per_year: 1.0,
        subjects_per_year: 1.0,
    };
    assert_eq!(per_execution(&c, 40_000.0), 3_000_000.0);
    assert_eq!(money(per_execution(&c, 40_000.0)), "3.000.000");
    // Hà Nội's published total: 2.306 tỷ → 654 tỷ, saving 1.652 tỷ = 71,64%.
    let before = inputs(&[], 2_306_000.0, 1.0, 1_000_000.0);
    let after = inputs(&[], 654_000.0, 1.0, 1_000_000.0);
    let t = totals(&[procedure_cost(&review("hn", before, after), 40_000.0)]);
    assert_eq!(money(t.before), "2.306.000.000.000");
    assert_eq!(money(t.saving), "1.652.000.000.000");
    assert_eq!(t.ratio_pct.map(percent).as_deref(), Some("71,64%"));
}

/// A abolished (1.000.000 → 0, 100%) and B unchanged (9.000.000 → 9.000.000, 0%):
/// the weighted ratio is 1.000.000 / 10.000.000 = 10%, the mean of the percentages 50%.
#[test]
fn weighted_total_is_not_the_mean_of_percentages() {
    let rate = 50_000.0;
    let a = review("a", inputs(&[20.0], 0.0, 1.0, 1.0), CostInputs::default());
    let b_in = inputs(&[18.0], 0.0, 10.0, 1.0);
    let b = review("b", b_in.clone(), b_in);
    let ca = procedure_cost(&a, rate);
    let cb = procedure_cost(&b, rate);
    assert_eq!(ca.before.yearly, 1_000_000.0);
    assert_eq!(cb.before.yearly, 9_000_000.0);
    let t = totals(&[ca, cb]);
    assert_eq!(t.before, 10_000_000.0);
    assert_eq!(t.after, 9_000_000.0);
    assert_eq!(t.saving, 1_000_000.0);
    assert_eq!(t.ratio_pct, Some(10.0));
    assert_eq!(t.mean_of_ratios_pct, Some(50.0));
    assert_ne!(t.ratio_pct, t.mean_of_ratios_pct);
}

/// An abolished procedure costs nothing afterwards: saving = before, ratio 100%.
#[test]
fn abolished_procedure() {
    let mut r = review(
        "x",
        inputs(&[3.0, 1.0], 20_000.0, 4.0, 9.0),
        CostInputs::default(),
    );
    r.proposals.push(Proposal {
        component: Component::Procedure,
        action: Action::AbolishProcedure,
        before: String::new(),
        after: String::new(),
        reason: "Trùng lặp".to_string(),
    });
    assert!(r.removes_procedure());
    assert_eq!(PlanKind::of(&r), PlanKind::Abolish);
    let c = procedure_cost(&r, 40_000.0);
    // (4 h × 40.000 + 20.000) × 4 × 9 = 180.000 × 36 = 6.480.000
    assert_eq!(c.before.yearly, 6_480_000.0);
    assert_eq!(c.after.yearly, 0.0);
    assert_eq!(c.saving, 6_480_000.0);
    assert_eq!(c.ratio_pct, Some(100.0));
}

fn proc(id: &str, sector: &str) -> Procedure {
    Procedure {
        id: id.to_string(),
        name: format!("Thủ tục {id}"),
        sector: sector.to_string(),
        ..Procedure::default()
    }
}

/// Four procedures: p1 (abolished) and p2 (cut 25%) approved 01/11/2023; p3 approved
/// 01/6/2024; p4 reviewed 01/5/2024, plan not approved.
fn timeline() -> (Catalog, ReviewFile) {
    let catalog = Catalog {
        procedures: vec![
            proc("p1", "X"),
            proc("p2", "X"),
            proc("p3", "Y"),
            proc("p4", "Y"),
        ],
        ..Catalog::default()
    };
    let approved = |id: &str, rev: NaiveDate, appr: NaiveDate, before, after| Review {
        status: ReviewStatus::PlanApproved,
        reviewed_on: Some(rev),
        approved_on: Some(appr),
        ..review(id, before, after)
    };
    let mut p1 = approved(
        "p1",
        day(2023, 6, 1),
        day(2023, 11, 1),
        inputs(&[10.0], 0.0, 1.0, 10.0),
        CostInputs::default(),
    );
    p1.proposals.push(Proposal {
        component: Component::Procedure,
        action: Action::AbolishProcedure,
        before: String::new(),
        after: String::new(),
        reason: "Không cần thiết".to_string(),
    });
    let p2 = approved(
        "p2",
        day(2023, 6, 1),
        day(2023, 11, 1),
        inputs(&[8.0], 0.0, 12.0, 10.0),
        inputs(&[6.0], 0.0, 12.0, 10.0),
    );
    let p3 = approved(
        "p3",
        day(2024, 5, 1),
        day(2024, 6, 1),
        inputs(&[4.0], 0.0, 1.0, 200.0),
        inputs(&[4.0], 0.0, 1.0, 200.0),
    );
    let p4 = Review {
        reviewed_on: Some(day(2024, 5, 1)),
        ..review(
            "p4",
            inputs(&[2.0], 0.0, 4.0, 5.0),
            inputs(&[2.0], 0.0, 4.0, 5.0),
        )
    };
    let file = ReviewFile {
        hourly_value: Some(hourly(40_000.0)),
        procedures: vec![p1, p2, p3, p4],
        report: None,
    };
    (catalog, file)
}

fn judged(
    catalog: &Catalog,
    file: &ReviewFile,
    published_on: Option<NaiveDate>,
    as_of: NaiveDate,
    metric: MilestoneMetric,
) -> (f64, bool, bool, String) {
    let h = hourly(40_000.0);
    let r = build_report(
        catalog,
        file,
        &h,
        published_on,
        as_of,
        &Milestone::defaults(),
    );
    let a = r
        .assessments
        .iter()
        .find(|a| a.milestone.metric == metric)
        .expect("milestone present");
    (a.value, a.due, a.met, a.label.clone())
}

#[test]
fn milestones_flip_on_their_dates() {
    let (c, f) = timeline();
    let publ = Some(day(2023, 3, 15));
    // 100% published by 01/4/2023.
    let (v, due, met, l) = judged(
        &c,
        &f,
        publ,
        day(2023, 3, 31),
        MilestoneMetric::PublishedPct,
    );
    assert_eq!((v, due, met, l.as_str()), (100.0, false, false, NOT_DUE));
    let (_, due, met, l) = judged(&c, &f, publ, day(2023, 4, 1), MilestoneMetric::PublishedPct);
    assert_eq!((due, met, l.as_str()), (true, true, MET));
    // Published late: due and not met.
    let late = Some(day(2023, 5, 2));
    let (v, due, met, l) = judged(&c, &f, late, day(2023, 4, 1), MilestoneMetric::PublishedPct);
    assert_eq!((v, due, met, l.as_str()), (0.0, true, false, NOT_MET));

    // Plans approved for ≥ 50% by 01/01/2024: p1, p2 = 2/4 = 50%.
    let (v, due, _, l) = judged(
        &c,
        &f,
        publ,
        day(2023, 12, 31),
        MilestoneMetric::ApprovedPct,
    );
    assert_eq!((v, due, l.as_str()), (50.0, false, NOT_DUE));
    let (v, due, met, l) = judged(&c, &f, publ, day(2024, 1, 1), MilestoneMetric::ApprovedPct);
    assert_eq!((v, due, met, l.as_str()), (50.0, true, true, MET));

    // By 01/01/2025: 100% reviewed, ≥ 20% count (p1 of 4 = 25%), ≥ 20% cost.
    // Cost at 40.000 đồng/giờ: p1 10 h × 10 = 4.000.000 → 0; p2 8 h × 120 = 38.400.000 →
    // 6 h × 120 = 28.800.000; p3 4 h × 200 = 32.000.000 kept; p4 2 h × 20 = 1.600.000 kept.
    // Σ before 76.000.000, Σ saving 13.600.000 = 17,89% → not met.
    for (metric, value, met) in [
        (MilestoneMetric::ReviewedPct, 100.0, true),
        (MilestoneMetric::CountRatioPct, 25.0, true),
        (
            MilestoneMetric::CostRatioPct,
            13_600_000.0 * 100.0 / 76_000_000.0,
            false,
        ),
    ] {
        let (v, due, m, l) = judged(&c, &f, publ, day(2024, 12, 31), metric);
        assert_eq!(
            (v, due, m, l.as_str()),
            (value, false, false, NOT_DUE),
            "{metric:?}"
        );
        let (v, due, m, l) = judged(&c, &f, publ, day(2025, 1, 1), metric);
        let label = if met { MET } else { NOT_MET };
        assert_eq!(
            (v, due, m, l.as_str()),
            (value, true, met, label),
            "{metric:?}"
        );
    }
    assert_eq!(percent(13_600_000.0 * 100.0 / 76_000_000.0), "17,89%");
}

#[test]
fn metrics_follow_the_recorded_dates() {
    let (c, f) = timeline();
    let h = hourly(40_000.0);
    let at = |d| build_report(&c, &f, &h, None, d, &Milestone::defaults()).overall;
    let m = at(day(2023, 5, 31));
    assert_eq!((m.reviewed, m.plans_approved, m.count_reduced), (0, 0, 0));
    assert_eq!(m.cost.procedures, 0);
    assert_eq!(m.cost.ratio_pct, None);
    let m = at(day(2023, 6, 1));
    assert_eq!((m.reviewed, m.plans_approved, m.count_reduced), (2, 0, 1));
    assert_eq!(m.reviewed_pct, 50.0);
    assert_eq!(m.ratio_count_pct, 50.0);
    let m = at(day(2024, 6, 1));
    assert_eq!((m.reviewed, m.plans_approved), (4, 3));
    assert_eq!((m.proposed_abolish, m.proposed_merge), (1, 0));
    assert_eq!(m.cost.before, 76_000_000.0);
    assert_eq!(m.cost.after, 62_400_000.0);
    assert_eq!(m.published_pct, 100.0);
}

#[test]
fn assess_on_given_metrics() {
    let m = Metrics {
        published_total: 10,
        reviewed: 10,
        reviewed_pct: 100.0,
        ratio_count_pct: 19.99,
        ..Metrics::default()
    };
    let ms = [
        Milestone {
            date: day(2025, 1, 1),
            metric: MilestoneMetric::ReviewedPct,
            target: 100.0,
        },
        Milestone {
            date: day(2025, 1, 1),
            metric: MilestoneMetric::CountRatioPct,
            target: 20.0,
        },
    ];
    let a = assess(&m, &ms, day(2025, 1, 1));
    assert_eq!(a[0].label, "Đạt");
    assert_eq!(a[1].label, "Chưa đạt");
    let a = assess(&m, &ms, day(2024, 12, 31));
    assert!(a
        .iter()
        .all(|x| x.label == "Chưa đến hạn" && !x.due && !x.met));
    assert!(a[0].reached && !a[1].reached);
}

#[test]
fn report_serializes_and_renders() {
    let (c, f) = timeline();
    let h = hourly(40_000.0);
    let r = build_report(&c, &f, &h, None, day(2025, 1, 1), &Milestone::defaults());
    let v = serde_json::to_value(&r).expect("serializable");
    assert_eq!(v["overall"]["reviewed"], 4);
    assert_eq!(v["by_sector"][0]["sector"], "X");
    assert_eq!(v["procedures"][0]["proposal"], "abolish");
    assert_eq!(v["assessments"][4]["label"], "Chưa đạt");
    let t = cost_table(&r);
    assert!(t.contains("76.000.000"), "{t}");
    assert!(t.contains("17,89%"), "{t}");
    assert!(t.contains("40.000 đồng/giờ"), "{t}");
    assert!(t.contains("Chưa đạt"), "{t}");
}

// ---- the sample files ----

#[test]
fn sample_review_reaches_some_targets_and_misses_others() {
    let (catalog, rep) =
        tthc::model::validate::validate_catalog_text(include_str!("../samples/catalog.json"));
    let catalog = catalog.expect("sample catalog");
    assert!(!rep.has_errors());
    let ids: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
    let (file, rep) = validate_review_text(include_str!("../samples/review.json"), &ids);
    assert!(rep.issues.is_empty(), "{:?}", rep.issues);
    let file = file.expect("sample review");
    let h = file
        .hourly_value
        .clone()
        .expect("hourly value in the sample");
    let r = build_report(
        &catalog,
        &file,
        &h,
        None,
        day(2025, 12, 31),
        &Milestone::defaults(),
    );
    let reach: Vec<(&str, bool, bool)> = r
        .by_sector
        .iter()
        .map(|s| {
            (
                s.sector.as_str(),
                s.metrics.ratio_count_pct >= 20.0,
                s.metrics.ratio_cost_pct() >= 20.0,
            )
        })
        .collect();
    assert_eq!(
        reach,
        [
            ("Lao động - việc làm", true, true),
            ("Người có công", false, false),
            ("Bảo trợ xã hội", true, false),
            ("Tổ chức cán bộ", false, true),
            ("Thi đua - khen thưởng", true, true),
            ("An toàn, vệ sinh lao động", false, false),
        ]
    );
    assert_eq!(r.overall.count_reduced, 3);
    assert_eq!(r.overall.ratio_count_pct, 25.0);
    assert!(r.assessments.iter().all(|a| a.met), "{:?}", r.assessments);
    // On 01/01/2025 ldtbxh-11 was not reviewed yet: 11/12.
    let early = build_report(
        &catalog,
        &file,
        &h,
        None,
        day(2025, 1, 1),
        &Milestone::defaults(),
    );
    let reviewed = early
        .assessments
        .iter()
        .find(|a| a.milestone.metric == MilestoneMetric::ReviewedPct)
        .expect("reviewed milestone");
    assert_eq!(reviewed.label, NOT_MET);
    assert_eq!(percent(reviewed.value), "91,67%");
    // Reached later: met as of 31/12/2025, but not on time.
    let late = r
        .assessments
        .iter()
        .find(|a| a.milestone.metric == MilestoneMetric::ReviewedPct)
        .expect("reviewed milestone");
    assert_eq!((late.value, late.met), (100.0, true));
    assert_eq!(late.met_on_time, Some(false));
    assert_eq!(
        late.value_at_deadline.map(percent).as_deref(),
        Some("91,67%")
    );
    let approved = r
        .assessments
        .iter()
        .find(|a| a.milestone.metric == MilestoneMetric::ApprovedPct)
        .expect("approved milestone");
    assert_eq!(approved.value_at_deadline, Some(50.0));
    assert_eq!(approved.met_on_time, Some(true));
}

#[test]
fn schema_is_generated() {
    let v = tthc::model::review::review_schema();
    assert!(v["properties"]["procedures"].is_object(), "{v}");
    assert!(v["properties"]["hourly_value"].is_object(), "{v}");
}

// ---- bad input ----

fn errors(text: &str, ids: &[&str]) -> Vec<String> {
    let (_, r) = validate_review_text(text, ids);
    r.errors().map(|i| i.to_string()).collect()
}

fn has(errs: &[String], path: &str, words: &str) -> bool {
    errs.iter()
        .any(|e| e.contains(&format!(": {path}: ")) && e.contains(words))
}

const HV: &str =
    r#""hourly_value": {"vnd_per_hour": 40000, "as_of": "2024-07-01", "source": "lương cơ sở"}"#;

#[test]
fn syntax_error_has_line_and_column() {
    let (f, r) = validate_review_text(
        "{\n  \"procedures\": [\n    {\"procedure_id\": ,}\n  ]\n}",
        &[],
    );
    assert!(f.is_none());
    assert_eq!(r.issues.len(), 1);
    assert!(
        r.issues[0].path.starts_with("line 3, column"),
        "{:?}",
        r.issues
    );
}

#[test]
fn negative_numbers_are_errors_with_paths() {
    let text = format!(
        r#"{{{HV}, "procedures": [{{"procedure_id": "a", "status": "reviewed", "reviewed_on": "2024-01-02",
        "cost_before": {{"activities": [{{"name": "x", "hours": 1}}, {{"name": "y", "hours": -2}}],
                         "fees": -1, "services": -5, "other": -3, "times_per_year": -12, "subjects_per_year": -30}},
        "cost_after": {{"subjects_per_year": -1}}}}]}}"#
    );
    let e = errors(&text, &["a"]);
    for path in [
        "procedures[0].cost_before.activities[1].hours",
        "procedures[0].cost_before.fees",
        "procedures[0].cost_before.services",
        "procedures[0].cost_before.other",
        "procedures[0].cost_before.times_per_year",
        "procedures[0].cost_before.subjects_per_year",
        "procedures[0].cost_after.subjects_per_year",
    ] {
        assert!(has(&e, path, "must not be negative"), "{path}: {e:?}");
    }
    assert_eq!(e.len(), 7, "{e:?}");
    let neg = r#"{"hourly_value": {"vnd_per_hour": -1, "as_of": "2024-07-01", "source": "x"}, "procedures": []}"#;
    assert!(has(
        &errors(neg, &[]),
        "hourly_value.vnd_per_hour",
        "negative"
    ));
}

#[test]
fn missing_hourly_value() {
    let text = r#"{"procedures": [{"procedure_id": "a"}]}"#;
    let e = errors(text, &["a"]);
    assert!(has(&e, "hourly_value", "missing"), "{e:?}");
    // The caller's (profile's) value fills the gap.
    let h = hourly(39_886.0);
    let (f, r) = validate_review_text_with(text, &["a"], Some(&h));
    assert!(!r.has_errors(), "{:?}", r.issues);
    let f = f.expect("readable");
    assert_eq!(f.hourly(Some(&h)).map(|h| h.vnd_per_hour), Some(39_886.0));
    // The file's own value wins over the caller's.
    let own = format!(r#"{{{HV}, "procedures": []}}"#);
    let (f, _) = validate_review_text_with(&own, &[], Some(&h));
    let f = f.expect("readable");
    assert_eq!(f.hourly(Some(&h)).map(|h| h.vnd_per_hour), Some(40_000.0));
    let blank = r#"{"hourly_value": {"vnd_per_hour": 1, "as_of": "2024-07-01", "source": " "}, "procedures": []}"#;
    assert!(has(&errors(blank, &[]), "hourly_value.source", "empty"));
}

#[test]
fn unknown_and_duplicate_ids() {
    let text = format!(
        r#"{{{HV}, "procedures": [
        {{"procedure_id": "a"}},
        {{"procedure_id": "zz", "status": "reviewed", "reviewed_on": "2024-01-02",
          "proposals": [{{"component": "procedure", "action": "abolish_procedure", "reason": "r"}}]}},
        {{"procedure_id": "a"}}]}}"#
    );
    let e = errors(&text, &["a", "b"]);
    assert!(
        has(
            &e,
            "procedures[1].procedure_id",
            "\"zz\" is not a procedure of the catalog"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "procedures[2].procedure_id",
            "duplicate procedure_id \"a\""
        ),
        "{e:?}"
    );
    assert_eq!(e.len(), 2, "{e:?}");
}

#[test]
fn dates_in_order_and_required_by_status() {
    let text = format!(
        r#"{{{HV}, "procedures": [
        {{"procedure_id": "a", "status": "implemented", "reviewed_on": "2024-05-01",
          "approved_on": "2024-04-01", "implemented_on": "2024-03-01"}},
        {{"procedure_id": "b", "status": "plan_approved", "approved_on": "2024-04-01"}},
        {{"procedure_id": "c", "status": "implemented", "reviewed_on": "2024-01-01", "approved_on": "2024-02-01"}}]}}"#
    );
    let e = errors(&text, &["a", "b", "c"]);
    assert!(
        has(&e, "procedures[0].approved_on", "before reviewed_on"),
        "{e:?}"
    );
    assert!(
        has(&e, "procedures[0].implemented_on", "before approved_on"),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "procedures[1].reviewed_on",
            "missing: status \"plan_approved\""
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "procedures[2].implemented_on",
            "missing: status \"implemented\""
        ),
        "{e:?}"
    );
    assert_eq!(e.len(), 4, "{e:?}");
}

#[test]
fn typed_errors_have_paths() {
    let text = format!(
        r#"{{{HV}, "procedures": [
        {{"procedure_id": "a", "status": "done"}},
        {{"procedure_id": "b", "proposals": [{{"component": "dossier", "action": "cut"}}]}},
        {{"procedure_id": "c", "cost_before": {{"activities": [{{"name": "x", "hours": "2"}}]}}}},
        {{"procedure_id": "d", "bogus": 1}}]}}"#
    );
    let e = errors(&text, &["a", "b", "c", "d"]);
    assert!(has(&e, "procedures[0].status", "unknown variant"), "{e:?}");
    assert!(
        has(&e, "procedures[1].proposals[0].action", "unknown variant"),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "procedures[2].cost_before.activities[0].hours",
            "invalid type"
        ),
        "{e:?}"
    );
    assert!(has(&e, "procedures[3].bogus", "unknown field"), "{e:?}");
    let e = errors(
        r#"{"hourly_value": {"vnd_per_hour": 1}, "procedures": []}"#,
        &[],
    );
    assert!(has(&e, "hourly_value", "missing field"), "{e:?}");
    let e = errors(r#"[1, 2]"#, &[]);
    assert!(has(&e, "$", "JSON object"), "{e:?}");
}
