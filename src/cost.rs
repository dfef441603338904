//! Compliance cost (chi phí tuân thủ TTHC) by the TT 02/2017 method, the report
//! metrics of QĐ 1085 and the milestone checks.
//!
//! Per procedure (TT 02/2017 Điều 27):
//!
//! ```text
//! C1     = Σ hours × r + fees + services + other     // one execution by one subject
//! yearly = C1 × times_per_year × subjects_per_year   // đồng/năm
//! saving = yearly_before − yearly_after
//! ratio  = saving / yearly_before × 100
//! ```
//!
//! Totals use the weighted ratio Σ saving / Σ before × 100, never the mean of the
//! per-procedure percentages (that mean is exposed only to show the difference).
//!
//! Counting rule for the "≥ 20% số TTHC" target (the rule is not settled by the
//! sources): a procedure counts as cut when one of its proposals is
//! `abolish_procedure` or `merge`; the ratio is procedures cut / procedures reviewed.
//! A merge is recorded on the procedure that disappears, not on the one that absorbs it.
//!
//! Every figure is computed as of a report date: a procedure counts as reviewed,
//! approved or implemented only from the date recorded for that step. A milestone
//! is judged once its date ≤ the report date, on the figure of the report date;
//! [`build_report`] also gives the figure as it stood on the deadline (met on time or not).
//! Amounts stay unrounded here; [`cost_table`] rounds to whole đồng and 2 decimals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::review::{CostInputs, HourlyValue, Review, ReviewFile, ReviewStatus};
use crate::model::{Catalog, Group};
use crate::text::{money, percent};

/// Tolerance for comparing percentages with targets.
const EPS: f64 = 1e-9;

/// The cost of one side (before or after) of one procedure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CostBreakdown {
    /// Σ hours of the activities, per execution.
    pub hours: f64,
    /// Σ hours × r: chi phí thực hiện các công việc cần thiết.
    pub time_cost: f64,
    /// Phí, lệ phí + dịch vụ + chi phí khác, per execution.
    pub cash: f64,
    /// C1: one execution by one subject.
    pub per_execution: f64,
    /// times_per_year × subjects_per_year.
    pub executions_per_year: f64,
    /// C1 × executions per year, đồng/năm.
    pub yearly: f64,
}

/// Cost of one execution by one subject: Σ hours × r + fees + services + other.
pub fn per_execution(c: &CostInputs, rate: f64) -> f64 {
    breakdown(c, rate).per_execution
}

/// Yearly cost: C1 × times per year × subjects per year.
pub fn yearly(c: &CostInputs, rate: f64) -> f64 {
    breakdown(c, rate).yearly
}

/// Every intermediate figure of the cost of one side.
pub fn breakdown(c: &CostInputs, rate: f64) -> CostBreakdown {
    let hours: f64 = c.activities.iter().map(|a| a.hours).sum();
    let time_cost = hours * rate;
    let cash = c.fees + c.services + c.other;
    let per_execution = time_cost + cash;
    let executions_per_year = c.times_per_year * c.subjects_per_year;
    CostBreakdown {
        hours,
        time_cost,
        cash,
        per_execution,
        executions_per_year,
        yearly: per_execution * executions_per_year,
    }
}

/// part / whole × 100, or `None` when the whole is zero.
pub fn ratio_pct(part: f64, whole: f64) -> Option<f64> {
    if whole == 0.0 {
        None
    } else {
        Some(part * 100.0 / whole)
    }
}

fn count_pct(part: usize, whole: usize) -> f64 {
    ratio_pct(part as f64, whole as f64).unwrap_or(0.0)
}

/// Cost before and after simplification of one procedure (lợi ích của phương án).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureCost {
    /// Id of the procedure.
    pub procedure_id: String,
    /// Chi phí tuân thủ trước khi đơn giản hóa.
    pub before: CostBreakdown,
    /// Chi phí tuân thủ sau khi đơn giản hóa.
    pub after: CostBreakdown,
    /// Chi phí tiết kiệm, đồng/năm.
    pub saving: f64,
    /// Tỷ lệ cắt giảm chi phí, %; `None` when the cost before is zero.
    pub ratio_pct: Option<f64>,
}

/// Cost of one reviewed procedure at the value of time `rate` (đồng/giờ).
pub fn procedure_cost(review: &Review, rate: f64) -> ProcedureCost {
    let before = breakdown(&review.cost_before, rate);
    let after = breakdown(&review.cost_after, rate);
    let saving = before.yearly - after.yearly;
    ProcedureCost {
        procedure_id: review.procedure_id.clone(),
        before,
        after,
        saving,
        ratio_pct: ratio_pct(saving, before.yearly),
    }
}

/// Totals of a set of procedures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CostTotals {
    /// Number of procedures summed.
    pub procedures: usize,
    /// Σ before, đồng/năm.
    pub before: f64,
    /// Σ after, đồng/năm.
    pub after: f64,
    /// Σ saving, đồng/năm.
    pub saving: f64,
    /// Weighted ratio Σ saving / Σ before × 100 (tỷ lệ cắt giảm chi phí); `None` when Σ before is zero.
    pub ratio_pct: Option<f64>,
    /// Mean of the per-procedure ratios: NOT the reduction ratio, shown only for comparison.
    pub mean_of_ratios_pct: Option<f64>,
}

/// Σ before, Σ after, Σ saving and the weighted ratio.
pub fn totals(items: &[ProcedureCost]) -> CostTotals {
    let before: f64 = items.iter().map(|c| c.before.yearly).sum();
    let after: f64 = items.iter().map(|c| c.after.yearly).sum();
    let saving = before - after;
    let ratios: Vec<f64> = items.iter().filter_map(|c| c.ratio_pct).collect();
    let mean_of_ratios_pct = if ratios.is_empty() {
        None
    } else {
        Some(ratios.iter().sum::<f64>() / ratios.len() as f64)
    };
    CostTotals {
        procedures: items.len(),
        before,
        after,
        saving,
        ratio_pct: ratio_pct(saving, before),
        mean_of_ratios_pct,
    }
}

/// The figures of the report on review and simplification (DOMAIN §4.1), for one scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Procedures in the catalog (số TTHC nội bộ đã thống kê).
    pub published_total: usize,
    /// Of which published (công bố) as of the report date.
    pub published: usize,
    /// published / published_total × 100.
    pub published_pct: f64,
    /// Procedures reviewed (đã rà soát).
    pub reviewed: usize,
    /// reviewed / published_total × 100.
    pub reviewed_pct: f64,
    /// Procedures whose plan is approved (phương án đã phê duyệt), implemented ones included.
    pub plans_approved: usize,
    /// plans_approved / published_total × 100.
    pub approved_pct: f64,
    /// Procedures whose plan is implemented (đã thực thi).
    pub implemented: usize,
    /// implemented / published_total × 100.
    pub implemented_pct: f64,
    /// Reviewed procedures proposed for abolition (đề xuất bãi bỏ).
    pub proposed_abolish: usize,
    /// Reviewed procedures proposed to be merged into another (đề xuất hợp nhất).
    pub proposed_merge: usize,
    /// Reviewed procedures kept but amended (đề xuất sửa đổi, bổ sung).
    pub proposed_amend: usize,
    /// Procedures cut: abolished or merged.
    pub count_reduced: usize,
    /// count_reduced / reviewed × 100 (tỷ lệ cắt giảm số TTHC).
    pub ratio_count_pct: f64,
    /// Cost totals over the reviewed procedures.
    pub cost: CostTotals,
}

impl Metrics {
    /// The weighted cost reduction ratio, 0 when there is no cost before.
    pub fn ratio_cost_pct(&self) -> f64 {
        self.cost.ratio_pct.unwrap_or(0.0)
    }
}

/// What a reviewed procedure's plan does to it as a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Not reviewed yet, or reviewed with no proposal (giữ nguyên).
    #[default]
    None,
    /// Kept with changes (sửa đổi, bổ sung).
    Amend,
    /// Merged into another procedure (hợp nhất).
    Merge,
    /// Abolished (bãi bỏ).
    Abolish,
}

impl PlanKind {
    /// The kind for a review, judged only once reviewed: abolish wins over merge, merge over amend.
    pub fn of(review: &Review) -> PlanKind {
        use crate::model::review::Action;
        let has = |a| review.proposals.iter().any(|x| x.action == a);
        if has(Action::AbolishProcedure) {
            PlanKind::Abolish
        } else if has(Action::Merge) {
            PlanKind::Merge
        } else if review.proposals.is_empty() {
            PlanKind::None
        } else {
            PlanKind::Amend
        }
    }
}

/// One procedure's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureRow {
    /// Id in the catalog.
    pub procedure_id: String,
    /// Tên thủ tục.
    pub name: String,
    /// Lĩnh vực.
    pub sector: String,
    /// Cơ quan thực hiện (the performing agency, else the agency line as printed).
    #[serde(default)]
    pub agency: String,
    /// Nhóm A/B.
    pub group: Option<Group>,
    /// Status as of the report date.
    pub status: ReviewStatus,
    /// What the plan does to the procedure as a whole.
    pub proposal: PlanKind,
    /// True when abolished or merged (counts for the count target).
    pub removes_procedure: bool,
    /// Cost, once reviewed.
    pub cost: Option<ProcedureCost>,
}

/// Metrics of one sector (lĩnh vực).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorMetrics {
    /// Lĩnh vực.
    pub sector: String,
    /// Its figures.
    pub metrics: Metrics,
}

/// Metrics of one performing agency (cơ quan thực hiện).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyMetrics {
    /// Cơ quan thực hiện.
    pub agency: String,
    /// Its figures.
    pub metrics: Metrics,
}

/// Metrics of one group (nhóm A giữa các cơ quan / B trong cơ quan); `None` = group not given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMetrics {
    /// The group.
    pub group: Option<Group>,
    /// Its figures.
    pub metrics: Metrics,
}

/// Which figure a milestone is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneMetric {
    /// Tỷ lệ TTHC nội bộ đã công bố.
    PublishedPct,
    /// Tỷ lệ TTHC đã rà soát.
    ReviewedPct,
    /// Tỷ lệ TTHC có phương án đã phê duyệt.
    ApprovedPct,
    /// Tỷ lệ TTHC đã thực thi phương án.
    ImplementedPct,
    /// Tỷ lệ cắt giảm số TTHC.
    CountRatioPct,
    /// Tỷ lệ cắt giảm chi phí tuân thủ.
    CostRatioPct,
}

impl MilestoneMetric {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            MilestoneMetric::PublishedPct => "Tỷ lệ TTHC nội bộ đã công bố",
            MilestoneMetric::ReviewedPct => "Tỷ lệ TTHC đã rà soát",
            MilestoneMetric::ApprovedPct => "Tỷ lệ TTHC có phương án được phê duyệt",
            MilestoneMetric::ImplementedPct => "Tỷ lệ TTHC đã thực thi phương án",
            MilestoneMetric::CountRatioPct => "Tỷ lệ cắt giảm số TTHC",
            MilestoneMetric::CostRatioPct => "Tỷ lệ cắt giảm chi phí tuân thủ",
        }
    }

    /// The figure in a set of metrics.
    pub fn value(self, m: &Metrics) -> f64 {
        match self {
            MilestoneMetric::PublishedPct => m.published_pct,
            MilestoneMetric::ReviewedPct => m.reviewed_pct,
            MilestoneMetric::ApprovedPct => m.approved_pct,
            MilestoneMetric::ImplementedPct => m.implemented_pct,
            MilestoneMetric::CountRatioPct => m.ratio_count_pct,
            MilestoneMetric::CostRatioPct => m.ratio_cost_pct(),
        }
    }
}

/// A target with its deadline (mốc thời gian, QĐ 1085).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// The deadline; the milestone is judged from this date on.
    pub date: NaiveDate,
    /// The figure.
    pub metric: MilestoneMetric,
    /// The target, in percent.
    pub target: f64,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Milestone {
    /// QĐ 1085/QĐ-TTg: 100% published by 01/4/2023; plans approved for ≥ 50% by 01/01/2024;
    /// 100% reviewed, ≥ 20% of procedures and ≥ 20% of compliance cost cut by 01/01/2025.
    pub fn defaults() -> Vec<Milestone> {
        let m = |date, metric, target| Milestone {
            date,
            metric,
            target,
        };
        vec![
            m(ymd(2023, 4, 1), MilestoneMetric::PublishedPct, 100.0),
            m(ymd(2024, 1, 1), MilestoneMetric::ApprovedPct, 50.0),
            m(ymd(2025, 1, 1), MilestoneMetric::ReviewedPct, 100.0),
            m(ymd(2025, 1, 1), MilestoneMetric::CountRatioPct, 20.0),
            m(ymd(2025, 1, 1), MilestoneMetric::CostRatioPct, 20.0),
        ]
    }
}

/// Label of a milestone that is met.
pub const MET: &str = "Đạt";
/// Label of a milestone that is due and not met.
pub const NOT_MET: &str = "Chưa đạt";
/// Label of a milestone not yet due.
pub const NOT_DUE: &str = "Chưa đến hạn";

/// A milestone judged against the metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The milestone.
    pub milestone: Milestone,
    /// The figure, in percent.
    pub value: f64,
    /// True when the deadline is on or before the report date.
    pub due: bool,
    /// True when the figure reaches the target, due or not.
    pub reached: bool,
    /// True when due and reached.
    pub met: bool,
    /// Once due: the figure as it stood on the deadline (from the recorded dates;
    /// filled by [`build_report`], `None` from [`assess`]).
    pub value_at_deadline: Option<f64>,
    /// Once due: whether the target was reached on the deadline (đạt đúng hạn).
    pub met_on_time: Option<bool>,
    /// "Đạt", "Chưa đạt" or "Chưa đến hạn".
    pub label: String,
}

/// Judge each milestone: due once its date ≤ `as_of`, met when due and the figure reaches the target.
pub fn assess(metrics: &Metrics, milestones: &[Milestone], as_of: NaiveDate) -> Vec<Assessment> {
    milestones
        .iter()
        .map(|m| {
            let value = m.metric.value(metrics);
            let due = m.date <= as_of;
            let reached = value + EPS >= m.target;
            let met = due && reached;
            let label = if !due {
                NOT_DUE
            } else if met {
                MET
            } else {
                NOT_MET
            };
            Assessment {
                milestone: *m,
                value,
                due,
                reached,
                met,
                value_at_deadline: None,
                met_on_time: None,
                label: label.to_string(),
            }
        })
        .collect()
}

/// Everything `tthc cost --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// Report date (tính đến ngày).
    pub as_of: NaiveDate,
    /// Value of time used.
    pub hourly_value: HourlyValue,
    /// One row per catalog procedure, in catalog order.
    pub procedures: Vec<ProcedureRow>,
    /// All procedures.
    pub overall: Metrics,
    /// By group (A, B).
    pub by_group: Vec<GroupMetrics>,
    /// By sector, in order of first appearance.
    pub by_sector: Vec<SectorMetrics>,
    /// By performing agency, in order of first appearance.
    #[serde(default)]
    pub by_agency: Vec<AgencyMetrics>,
    /// Milestones judged on the overall metrics.
    pub assessments: Vec<Assessment>,
}

/// Metrics of a set of rows; `published` tells whether the catalog counts as published.
pub fn metrics(rows: &[&ProcedureRow], published: bool) -> Metrics {
    let total = rows.len();
    let published = if published { total } else { 0 };
    let reviewed: Vec<&&ProcedureRow> = rows
        .iter()
        .filter(|r| r.status >= ReviewStatus::Reviewed)
        .collect();
    let n_reviewed = reviewed.len();
    let plans_approved = rows
        .iter()
        .filter(|r| r.status >= ReviewStatus::PlanApproved)
        .count();
    let implemented = rows
        .iter()
        .filter(|r| r.status >= ReviewStatus::Implemented)
        .count();
    let count_reduced = reviewed.iter().filter(|r| r.removes_procedure).count();
    let kind = |k: PlanKind| reviewed.iter().filter(|r| r.proposal == k).count();
    let costs: Vec<ProcedureCost> = reviewed.iter().filter_map(|r| r.cost.clone()).collect();
    Metrics {
        published_total: total,
        published,
        published_pct: count_pct(published, total),
        reviewed: n_reviewed,
        reviewed_pct: count_pct(n_reviewed, total),
        plans_approved,
        approved_pct: count_pct(plans_approved, total),
        implemented,
        implemented_pct: count_pct(implemented, total),
        proposed_abolish: kind(PlanKind::Abolish),
        proposed_merge: kind(PlanKind::Merge),
        proposed_amend: kind(PlanKind::Amend),
        count_reduced,
        ratio_count_pct: count_pct(count_reduced, n_reviewed),
        cost: totals(&costs),
    }
}

/// Build the report as of `as_of`. `published_on` is the date of the decision that
/// published the catalog (`None`: the catalog counts as published). Reviews of ids
/// not in the catalog are ignored (validation reports them).
pub fn build_report(
    catalog: &Catalog,
    reviews: &ReviewFile,
    hourly: &HourlyValue,
    published_on: Option<NaiveDate>,
    as_of: NaiveDate,
    milestones: &[Milestone],
) -> CostReport {
    let rate = hourly.vnd_per_hour;
    let rows = rows_as_of(catalog, reviews, rate, as_of);
    let published = published_on.is_none_or(|d| d <= as_of);
    let scoped = |keep: &dyn Fn(&ProcedureRow) -> bool| -> Metrics {
        let sel: Vec<&ProcedureRow> = rows.iter().filter(|r| keep(r)).collect();
        metrics(&sel, published)
    };
    let overall = scoped(&|_| true);
    let mut groups: Vec<Option<Group>> = Vec::new();
    let mut sectors: Vec<String> = Vec::new();
    let mut agencies: Vec<String> = Vec::new();
    for r in &rows {
        if !groups.contains(&r.group) {
            groups.push(r.group);
        }
        if !sectors.contains(&r.sector) {
            sectors.push(r.sector.clone());
        }
        if !agencies.contains(&r.agency) {
            agencies.push(r.agency.clone());
        }
    }
    groups.sort();
    let by_group = groups
        .into_iter()
        .map(|g| GroupMetrics {
            group: g,
            metrics: scoped(&|r| r.group == g),
        })
        .collect();
    let by_sector = sectors
        .into_iter()
        .map(|s| SectorMetrics {
            metrics: scoped(&|r| r.sector == s),
            sector: s,
        })
        .collect();
    let by_agency = agencies
        .into_iter()
        .map(|a| AgencyMetrics {
            metrics: scoped(&|r| r.agency == a),
            agency: a,
        })
        .collect();
    let mut assessments = assess(&overall, milestones, as_of);
    for a in assessments.iter_mut().filter(|a| a.due) {
        let date = a.milestone.date;
        let then = rows_as_of(catalog, reviews, rate, date);
        let refs: Vec<&ProcedureRow> = then.iter().collect();
        let m = metrics(&refs, published_on.is_none_or(|d| d <= date));
        let v = a.milestone.metric.value(&m);
        a.value_at_deadline = Some(v);
        a.met_on_time = Some(v + EPS >= a.milestone.target);
    }
    CostReport {
        as_of,
        hourly_value: hourly.clone(),
        procedures: rows,
        overall,
        by_group,
        by_sector,
        by_agency,
        assessments,
    }
}

/// One row per catalog procedure as it stood on `as_of`.
fn rows_as_of(
    catalog: &Catalog,
    reviews: &ReviewFile,
    rate: f64,
    as_of: NaiveDate,
) -> Vec<ProcedureRow> {
    let mut rows = Vec::new();
    for p in &catalog.procedures {
        let review = reviews.get(&p.id);
        let status = review.map_or(ReviewStatus::NotReviewed, |r| r.status_on(as_of));
        let reviewed = status >= ReviewStatus::Reviewed;
        let proposal = match review {
            Some(r) if reviewed => PlanKind::of(r),
            _ => PlanKind::None,
        };
        rows.push(ProcedureRow {
            procedure_id: p.id.clone(),
            name: p.name.clone(),
            sector: p.sector.clone(),
            agency: p
                .agency
                .performs
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| p.agency.text.trim())
                .to_string(),
            group: p.group,
            status,
            proposal,
            removes_procedure: matches!(proposal, PlanKind::Abolish | PlanKind::Merge),
            cost: review.filter(|_| reviewed).map(|r| procedure_cost(r, rate)),
        });
    }
    rows
}

fn pct_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), percent)
}

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Render rows as a text table: the first `left` columns left-aligned, the others right-aligned.
fn table(header: &[&str], left: usize, rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(w.saturating_sub(c.chars().count()));
            if i > 0 {
                out.push_str("  ");
            }
            if i < left {
                out.push_str(c);
                out.push_str(&pad);
            } else {
                out.push_str(&pad);
                out.push_str(c);
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let head: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = line(&head);
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"─".repeat(total));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn totals_row(label: &str, m: &Metrics) -> Vec<String> {
    vec![
        label.to_string(),
        format!("{}/{}", m.reviewed, m.published_total),
        format!("{}/{}", m.plans_approved, m.published_total),
        format!("{}/{}", m.count_reduced, m.reviewed),
        percent(m.ratio_count_pct),
        money(m.cost.before),
        money(m.cost.after),
        money(m.cost.saving),
        pct_opt(m.cost.ratio_pct),
    ]
}

/// A readable terminal table of the report, with Vietnamese number formatting
/// (money in whole đồng "3.000.000", percentages "71,64%").
pub fn cost_table(report: &CostReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Chi phí tuân thủ TTHC nội bộ (TT 02/2017), tính đến ngày {}\n",
        report.as_of.format("%d/%m/%Y")
    ));
    out.push_str(&format!(
        "Giá trị thời gian: {} đồng/giờ (từ {}; {})\n\n",
        money(report.hourly_value.vnd_per_hour),
        report.hourly_value.as_of.format("%d/%m/%Y"),
        report.hourly_value.source
    ));
    let rows: Vec<Vec<String>> = report
        .procedures
        .iter()
        .map(|r| {
            let (before, after, saving, ratio) = match &r.cost {
                Some(c) => (
                    money(c.before.yearly),
                    money(c.after.yearly),
                    money(c.saving),
                    pct_opt(c.ratio_pct),
                ),
                None => ("–".into(), "–".into(), "–".into(), "–".into()),
            };
            vec![
                r.procedure_id.clone(),
                cut(&r.name, 44),
                r.status.label().to_string(),
                if r.removes_procedure { "x" } else { "" }.to_string(),
                before,
                after,
                saving,
                ratio,
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "Mã",
            "Tên thủ tục",
            "Tình trạng",
            "Cắt giảm",
            "Trước (đồng/năm)",
            "Sau (đồng/năm)",
            "Tiết kiệm",
            "Tỷ lệ",
        ],
        4,
        &rows,
    ));
    out.push('\n');
    let mut sums: Vec<Vec<String>> = report
        .by_sector
        .iter()
        .map(|s| totals_row(&s.sector, &s.metrics))
        .collect();
    sums.push(totals_row("Tổng cộng", &report.overall));
    out.push_str(&table(
        &[
            "Lĩnh vực",
            "Rà soát",
            "Phê duyệt",
            "Cắt giảm",
            "Tỷ lệ số TTHC",
            "Trước (đồng/năm)",
            "Sau (đồng/năm)",
            "Tiết kiệm",
            "Tỷ lệ chi phí",
        ],
        1,
        &sums,
    ));
    if let Some(mean) = report.overall.cost.mean_of_ratios_pct {
        out.push_str(&format!(
            "(Tỷ lệ chi phí = Σ tiết kiệm / Σ trước; trung bình cộng các tỷ lệ, không dùng: {})\n",
            percent(mean)
        ));
    }
    out.push('\n');
    let checks: Vec<Vec<String>> = report
        .assessments
        .iter()
        .map(|a| {
            vec![
                a.milestone.metric.label().to_string(),
                a.milestone.date.format("%d/%m/%Y").to_string(),
                format!("≥ {}", percent(a.milestone.target)),
                percent(a.value),
                a.label.clone(),
                match (a.value_at_deadline, a.met_on_time) {
                    (Some(v), Some(ok)) => {
                        format!("{} ({})", percent(v), if ok { MET } else { NOT_MET })
                    }
                    _ => String::new(),
                },
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "Mục tiêu (QĐ 1085)",
            "Thời hạn",
            "Chỉ tiêu",
            "Kết quả",
            "Đánh giá",
            "Tại thời hạn",
        ],
        2,
        &checks,
    ));
    out
}

/// Read milestones from TOML text: one `[[milestone]]` table each, with `date`
/// ("2024-01-01", quoted or a TOML date), `metric` (published_pct, reviewed_pct,
/// approved_pct, implemented_pct, count_ratio_pct, cost_ratio_pct) and `target` (percent,
/// 0–100). Every problem is reported at once, each as "milestone[i].field: message".
pub fn parse_milestones(text: &str) -> Result<Vec<Milestone>, Vec<String>> {
    let value: toml::Table = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
    let mut errors = Vec::new();
    for key in value.keys().filter(|k| *k != "milestone") {
        errors.push(format!(
            "{key}: unknown key (expected [[milestone]] tables)"
        ));
    }
    let Some(list) = value.get("milestone").and_then(toml::Value::as_array) else {
        errors.push("milestone: no [[milestone]] table".to_string());
        return Err(errors);
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = |f: &str| format!("milestone[{i}].{f}");
        let Some(t) = item.as_table() else {
            errors.push(format!("milestone[{i}]: expected a table"));
            continue;
        };
        for k in t
            .keys()
            .filter(|k| !["date", "metric", "target"].contains(&k.as_str()))
        {
            errors.push(format!("{}: unknown field", at(k)));
        }
        let date = match t.get("date") {
            Some(toml::Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            Some(toml::Value::Datetime(d)) => d.date.and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())
            }),
            _ => None,
        };
        if date.is_none() {
            errors.push(format!("{}: expected a date YYYY-MM-DD", at("date")));
        }
        let metric = t.get("metric").and_then(toml::Value::as_str).and_then(|s| {
            serde_json::from_value::<MilestoneMetric>(serde_json::Value::from(s)).ok()
        });
        if metric.is_none() {
            errors.push(format!(
                "{}: expected one of published_pct, reviewed_pct, approved_pct, implemented_pct, count_ratio_pct, cost_ratio_pct",
                at("metric")
            ));
        }
        let target = match t.get("target") {
            Some(toml::Value::Integer(v)) => Some(*v as f64),
            Some(toml::Value::Float(v)) => Some(*v),
            _ => None,
        }
        .filter(|v| (0.0..=100.0).contains(v));
        if target.is_none() {
            errors.push(format!(
                "{}: expected a percentage from 0 to 100",
                at("target")
            ));
        }
        if let (Some(date), Some(metric), Some(target)) = (date, metric, target) {
            out.push(Milestone {
                date,
                metric,
                target,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
