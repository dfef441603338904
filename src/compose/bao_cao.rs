//! The Báo cáo kết quả rà soát, đơn giản hóa thủ tục hành chính nội bộ (ND30 Mẫu 1.4,
//! sent upward with a "Kính gửi" block): the metrics of the plan as of a date, each set
//! against its milestone (Đạt / Chưa đạt), a progress chart, and tables by sector and
//! by performing agency. Figures come from [`crate::cost`] and are printed with
//! [`crate::text`], exactly as `tthc cost` prints them.

use serde::Serialize;

use super::{
    compose_context, draft_context, issuer_context, Composed, TemplateError, TemplateSource,
};
use crate::chart::{Bar, BarStatus, ProgressChart};
use crate::cost::{Assessment, CostReport, Metrics, MilestoneMetric};
use crate::doctree::Image;
use crate::model::review::ReportNotes;
use crate::model::DEFAULT_REPORT_TO;
use crate::model::{Catalog, DraftInfo, Group, Profile};
use crate::text::{money, percent};

/// Template file of this document.
pub const TEMPLATE: &str = "bao-cao.j2";

/// Name of the chart picture in the template (`@image chart …`).
pub const CHART: &str = "chart";

/// Figures of a set of procedures, as printed.
#[derive(Serialize)]
struct MetricsCtx {
    total: usize,
    published: usize,
    published_pct: String,
    reviewed: usize,
    reviewed_pct: String,
    approved: usize,
    approved_pct: String,
    implemented: usize,
    implemented_pct: String,
    abolish: usize,
    merge: usize,
    amend: usize,
    count_reduced: usize,
    count_ratio: String,
    cost_before: String,
    cost_after: String,
    saving: String,
    cost_ratio: String,
    /// "Đạt" when both cuts reach 20%, else "Chưa đạt" (nothing reviewed: empty).
    targets: String,
}

fn metrics_ctx(m: &Metrics, count_target: f64, cost_target: f64) -> MetricsCtx {
    let targets = if m.reviewed == 0 {
        String::new()
    } else if m.ratio_count_pct + 1e-9 >= count_target && m.ratio_cost_pct() + 1e-9 >= cost_target {
        crate::cost::MET.to_string()
    } else {
        crate::cost::NOT_MET.to_string()
    };
    MetricsCtx {
        total: m.published_total,
        published: m.published,
        published_pct: percent(m.published_pct),
        reviewed: m.reviewed,
        reviewed_pct: percent(m.reviewed_pct),
        approved: m.plans_approved,
        approved_pct: percent(m.approved_pct),
        implemented: m.implemented,
        implemented_pct: percent(m.implemented_pct),
        abolish: m.proposed_abolish,
        merge: m.proposed_merge,
        amend: m.proposed_amend,
        count_reduced: m.count_reduced,
        count_ratio: percent(m.ratio_count_pct),
        cost_before: money(m.cost.before),
        cost_after: money(m.cost.after),
        saving: money(m.cost.saving),
        cost_ratio: percent(m.ratio_cost_pct()),
        targets,
    }
}

#[derive(Serialize)]
struct RowCtx {
    stt: usize,
    name: String,
    m: MetricsCtx,
}

#[derive(Serialize)]
struct AssessCtx {
    stt: usize,
    label: &'static str,
    deadline: String,
    target: String,
    value: String,
    status: String,
    /// Once due: "Đạt"/"Chưa đạt" as the figure stood on the deadline.
    on_time: String,
}

#[derive(Serialize)]
struct Ctx<'a> {
    issuer: super::IssuerContext,
    draft: super::DraftContext,
    catalog: &'a Catalog,
    as_of: String,
    addressees: Vec<String>,
    copies: Vec<String>,
    signer_lines: Vec<String>,
    signer_name: String,
    m: MetricsCtx,
    group_a: usize,
    group_b: usize,
    assessments: Vec<AssessCtx>,
    by_sector: Vec<RowCtx>,
    by_agency: Vec<RowCtx>,
    notes: ReportNotes,
    chart: bool,
    hourly: String,
    hourly_source: String,
}

fn target_of(report: &CostReport, metric: MilestoneMetric) -> f64 {
    report
        .assessments
        .iter()
        .filter(|a| a.milestone.metric == metric)
        .map(|a| a.milestone.target)
        .fold(f64::NAN, f64::max)
}

fn status(a: &Assessment) -> BarStatus {
    if !a.due {
        BarStatus::NotDue
    } else if a.met {
        BarStatus::Met
    } else {
        BarStatus::NotMet
    }
}

/// The progress chart of a report: one bar per milestone (figure against target),
/// then the share implemented when no milestone covers it.
pub fn progress_chart(report: &CostReport) -> ProgressChart {
    let mut bars: Vec<Bar> = report
        .assessments
        .iter()
        .map(|a| Bar {
            label: format!(
                "{} (mốc {})",
                a.milestone.metric.label(),
                a.milestone.date.format("%d/%m/%Y")
            ),
            value_pct: a.value,
            value_text: percent(a.value),
            target_pct: Some(a.milestone.target),
            status: status(a),
        })
        .collect();
    if !report
        .assessments
        .iter()
        .any(|a| a.milestone.metric == MilestoneMetric::ImplementedPct)
    {
        let v = report.overall.implemented_pct;
        bars.push(Bar {
            label: MilestoneMetric::ImplementedPct.label().to_string(),
            value_pct: v,
            value_text: percent(v),
            target_pct: None,
            status: BarStatus::NoTarget,
        });
    }
    ProgressChart {
        title: format!(
            "Tiến độ thực hiện các chỉ tiêu (tính đến ngày {})",
            report.as_of.format("%d/%m/%Y")
        ),
        bars,
        legend: [
            crate::cost::MET.to_string(),
            crate::cost::NOT_MET.to_string(),
            crate::cost::NOT_DUE.to_string(),
            "Mục tiêu".to_string(),
        ],
    }
}

/// Build the report. `chart` is the progress chart drawn as a picture (see
/// [`progress_chart`]); `None` leaves it out.
pub fn compose_bao_cao(
    catalog: &Catalog,
    profile: &Profile,
    draft: &DraftInfo,
    report: &CostReport,
    notes: Option<&ReportNotes>,
    chart: Option<Image>,
    source: &TemplateSource,
) -> Result<Composed, TemplateError> {
    let count_target = target_of(report, MilestoneMetric::CountRatioPct);
    let cost_target = target_of(report, MilestoneMetric::CostRatioPct);
    let (ct, kt) = (
        if count_target.is_nan() {
            20.0
        } else {
            count_target
        },
        if cost_target.is_nan() {
            20.0
        } else {
            cost_target
        },
    );
    let rows = |items: Vec<(String, &Metrics)>| -> Vec<RowCtx> {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (name, m))| RowCtx {
                stt: i + 1,
                name,
                m: metrics_ctx(m, ct, kt),
            })
            .collect()
    };
    let group_count = |g: Group| {
        catalog
            .procedures
            .iter()
            .filter(|p| p.group == Some(g))
            .count()
    };
    let mut issuer = issuer_context(profile);
    let signer = profile.report.signer.as_ref().unwrap_or(&profile.signer);
    let signer_lines = signer.authority_lines();
    let signer_name = signer.name.clone();
    let addressees = if profile.report.to.is_empty() {
        vec![DEFAULT_REPORT_TO.to_string()]
    } else {
        profile.report.to.clone()
    };
    issuer.recipients.clear();
    let ctx = Ctx {
        issuer,
        draft: draft_context(profile, &profile.report_symbol(), draft),
        catalog,
        as_of: report.as_of.format("%d/%m/%Y").to_string(),
        addressees,
        copies: profile.report.copies.clone(),
        signer_lines,
        signer_name,
        m: metrics_ctx(&report.overall, ct, kt),
        group_a: group_count(Group::BetweenAgencies),
        group_b: group_count(Group::WithinAgency),
        assessments: report
            .assessments
            .iter()
            .enumerate()
            .map(|(i, a)| AssessCtx {
                stt: i + 1,
                label: a.milestone.metric.label(),
                deadline: a.milestone.date.format("%d/%m/%Y").to_string(),
                target: if a.milestone.target >= 100.0 {
                    percent(a.milestone.target)
                } else {
                    format!("≥ {}", percent(a.milestone.target))
                },
                value: percent(a.value),
                status: a.label.clone(),
                on_time: match a.met_on_time {
                    Some(true) => crate::cost::MET.to_string(),
                    Some(false) => crate::cost::NOT_MET.to_string(),
                    None => String::new(),
                },
            })
            .collect(),
        by_sector: rows(
            report
                .by_sector
                .iter()
                .map(|s| (s.sector.clone(), &s.metrics))
                .collect(),
        ),
        by_agency: rows(
            report
                .by_agency
                .iter()
                .map(|s| (s.agency.clone(), &s.metrics))
                .collect(),
        ),
        notes: notes.cloned().unwrap_or_default(),
        chart: chart.is_some(),
        hourly: money(report.hourly_value.vnd_per_hour),
        hourly_source: report.hourly_value.source.clone(),
    };
    let assets: Vec<(String, Image)> = chart.into_iter().map(|c| (CHART.to_string(), c)).collect();
    compose_context(source, TEMPLATE, &ctx, profile, &assets)
}
