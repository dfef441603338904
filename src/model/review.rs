//! Review of procedures (rà soát, đánh giá TTHC nội bộ), the simplification plan
//! (phương án đơn giản hóa) and the inputs of the compliance cost (chi phí tuân thủ,
//! TT 02/2017 Điều 27). Kept in its own file, `review.json`, keyed by procedure id,
//! so catalogs stay as they are.

use std::collections::HashSet;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::validate::{typed, Report};

/// Value of one hour of a subject's time (thu nhập bình quân/giờ), dated and with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HourlyValue {
    /// Đồng per hour.
    pub vnd_per_hour: f64,
    /// Date from which the value applies (áp dụng từ ngày).
    pub as_of: NaiveDate,
    /// Where the value comes from (nguồn số liệu), e.g. the base salary decree and the divisors used.
    pub source: String,
}

/// The review file (`review.json`): reviews of the procedures of one catalog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Value of time used for every procedure; overrides the one given by the caller (profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_value: Option<HourlyValue>,
    /// One entry per reviewed procedure (rà soát từng TTHC).
    #[serde(default)]
    pub procedures: Vec<Review>,
    /// The prose of the progress report, paragraph by paragraph; what is missing is
    /// marked in the draft for the drafting unit to write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportNotes>,
}

/// The parts of the Báo cáo that are prose, not figures (one string per paragraph).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportNotes {
    /// Tình hình triển khai: plans, guidance, training.
    #[serde(default)]
    pub situation: Vec<String>,
    /// Tồn tại, hạn chế và nguyên nhân.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// Nhiệm vụ, giải pháp thời gian tới.
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Kiến nghị, đề xuất.
    #[serde(default)]
    pub proposals: Vec<String>,
}

impl ReviewFile {
    /// The entry of a procedure, if any.
    pub fn get(&self, procedure_id: &str) -> Option<&Review> {
        self.procedures
            .iter()
            .find(|r| r.procedure_id == procedure_id)
    }

    /// The value of time to use: the file's own, else the caller's (from the profile).
    pub fn hourly<'a>(&'a self, fallback: Option<&'a HourlyValue>) -> Option<&'a HourlyValue> {
        self.hourly_value.as_ref().or(fallback)
    }
}

/// Where a procedure stands in the review (tình trạng rà soát).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Chưa rà soát.
    #[default]
    NotReviewed,
    /// Đã rà soát.
    Reviewed,
    /// Phương án đã phê duyệt.
    PlanApproved,
    /// Đã thực thi (văn bản đã sửa đổi).
    Implemented,
}

impl ReviewStatus {
    /// The JSON spelling ("plan_approved").
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::NotReviewed => "not_reviewed",
            ReviewStatus::Reviewed => "reviewed",
            ReviewStatus::PlanApproved => "plan_approved",
            ReviewStatus::Implemented => "implemented",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::NotReviewed => "chưa rà soát",
            ReviewStatus::Reviewed => "đã rà soát",
            ReviewStatus::PlanApproved => "phương án đã phê duyệt",
            ReviewStatus::Implemented => "đã thực thi",
        }
    }
}

/// The component of the procedure a proposal changes (bộ phận tạo thành TTHC).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The procedure as a whole (toàn bộ thủ tục).
    Procedure,
    /// Tên thủ tục.
    Name,
    /// Trình tự thực hiện.
    Steps,
    /// Cách thức thực hiện.
    Channels,
    /// Thành phần, số lượng hồ sơ.
    Dossier,
    /// Thời hạn giải quyết.
    ProcessingTime,
    /// Đối tượng thực hiện.
    Subjects,
    /// Cơ quan thực hiện.
    Agency,
    /// Kết quả thực hiện.
    Result,
    /// Phí, lệ phí.
    Fees,
    /// Mẫu đơn, mẫu tờ khai.
    Forms,
    /// Yêu cầu, điều kiện thực hiện.
    Conditions,
    /// Căn cứ pháp lý.
    LegalBasis,
}

impl Component {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Component::Procedure => "Thủ tục hành chính",
            Component::Name => "Tên thủ tục",
            Component::Steps => "Trình tự thực hiện",
            Component::Channels => "Cách thức thực hiện",
            Component::Dossier => "Thành phần, số lượng hồ sơ",
            Component::ProcessingTime => "Thời hạn giải quyết",
            Component::Subjects => "Đối tượng thực hiện",
            Component::Agency => "Cơ quan thực hiện",
            Component::Result => "Kết quả thực hiện",
            Component::Fees => "Phí, lệ phí",
            Component::Forms => "Mẫu đơn, mẫu tờ khai",
            Component::Conditions => "Yêu cầu, điều kiện thực hiện",
            Component::LegalBasis => "Căn cứ pháp lý",
        }
    }
}

/// What a proposal does (nội dung đơn giản hóa).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Bãi bỏ thủ tục hành chính.
    AbolishProcedure,
    /// Bãi bỏ thành phần hồ sơ.
    RemoveDossierItem,
    /// Rút ngắn thời hạn giải quyết.
    ShortenTime,
    /// Gộp (hợp nhất) thủ tục. Put it on the procedure that disappears into another one,
    /// not on the one that absorbs it: each `merge` counts as one procedure fewer.
    Merge,
    /// Thực hiện trên môi trường điện tử.
    Digitize,
    /// Phân cấp, ủy quyền giải quyết.
    Delegate,
    /// Nội dung khác.
    Other,
}

impl Action {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Action::AbolishProcedure => "bãi bỏ thủ tục hành chính",
            Action::RemoveDossierItem => "bãi bỏ thành phần hồ sơ",
            Action::ShortenTime => "rút ngắn thời hạn giải quyết",
            Action::Merge => "hợp nhất thủ tục hành chính",
            Action::Digitize => "thực hiện trên môi trường điện tử",
            Action::Delegate => "phân cấp, ủy quyền giải quyết",
            Action::Other => "nội dung khác",
        }
    }

    /// True when the action removes the procedure from the list (counts for the ≥ 20% count target).
    pub fn removes_procedure(self) -> bool {
        matches!(self, Action::AbolishProcedure | Action::Merge)
    }
}

/// One change of the simplification plan (nội dung đơn giản hóa, with lý do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The component changed (bộ phận tạo thành).
    pub component: Component,
    /// The change (hình thức đơn giản hóa).
    pub action: Action,
    /// The current rule (quy định hiện hành).
    #[serde(default)]
    pub before: String,
    /// The rule proposed (quy định đề xuất).
    #[serde(default)]
    pub after: String,
    /// Why (lý do).
    #[serde(default)]
    pub reason: String,
}

/// One implementation recommendation (kiến nghị thực thi).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// The document to amend (văn bản cần sửa đổi, bổ sung, bãi bỏ).
    pub document: String,
    /// The provision (điểm, khoản, Điều).
    #[serde(default)]
    pub article: String,
    /// Lead agency (cơ quan chủ trì).
    #[serde(default)]
    pub lead_agency: String,
    /// Deadline (thời hạn, lộ trình thực hiện).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
}

/// One necessary activity of the subject (công việc cần thiết) and its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// What is done (tìm hiểu quy định, chuẩn bị hồ sơ, nộp hồ sơ, chờ, nhận kết quả …).
    pub name: String,
    /// Time (thời gian thực hiện), hours per execution.
    pub hours: f64,
}

/// Inputs of the compliance cost of one procedure (chi phí tuân thủ TTHC, TT 02/2017 Điều 27).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostInputs {
    /// Necessary activities with their time (công việc cần thiết).
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// Phí, lệ phí per execution, đồng.
    #[serde(default)]
    pub fees: f64,
    /// Chi phí thuê dịch vụ per execution, đồng.
    #[serde(default)]
    pub services: f64,
    /// Chi phí khác (in ấn, sao chụp, bưu chính, đi lại …) per execution, đồng.
    #[serde(default)]
    pub other: f64,
    /// Số lần thực hiện trong 01 năm (12 for a monthly report).
    #[serde(default)]
    pub times_per_year: f64,
    /// Số lượng đối tượng tuân thủ trong 01 năm (agencies or dossiers per year).
    #[serde(default)]
    pub subjects_per_year: f64,
}

impl CostInputs {
    /// True when nothing is entered (the cost is zero).
    pub fn is_empty(&self) -> bool {
        self.activities.is_empty()
            && self.fees == 0.0
            && self.services == 0.0
            && self.other == 0.0
            && self.times_per_year == 0.0
            && self.subjects_per_year == 0.0
    }
}

/// The review of one procedure (kết quả rà soát một TTHC) and its plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Id of the procedure in the catalog.
    pub procedure_id: String,
    /// Tình trạng rà soát.
    #[serde(default)]
    pub status: ReviewStatus,
    /// Ngày hoàn thành rà soát.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
    /// Ngày phê duyệt phương án.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    /// Ngày thực thi (văn bản sửa đổi có hiệu lực).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implemented_on: Option<NaiveDate>,
    /// Nội dung đơn giản hóa.
    #[serde(default)]
    pub proposals: Vec<Proposal>,
    /// Kiến nghị thực thi.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// Cost inputs of the current procedure (trước khi đơn giản hóa).
    #[serde(default)]
    pub cost_before: CostInputs,
    /// Cost inputs after simplification (sau khi đơn giản hóa); empty for an abolished procedure.
    #[serde(default)]
    pub cost_after: CostInputs,
}

impl Review {
    /// True when a proposal abolishes the procedure or merges it into another.
    pub fn removes_procedure(&self) -> bool {
        self.proposals.iter().any(|p| p.action.removes_procedure())
    }

    /// The status as it stood on a date, from the dates recorded
    /// (a step without its date counts as not reached).
    pub fn status_on(&self, date: NaiveDate) -> ReviewStatus {
        let reached = |d: Option<NaiveDate>| d.is_some_and(|d| d <= date);
        let s = self.status;
        if s >= ReviewStatus::Implemented && reached(self.implemented_on) {
            ReviewStatus::Implemented
        } else if s >= ReviewStatus::PlanApproved && reached(self.approved_on) {
            ReviewStatus::PlanApproved
        } else if s >= ReviewStatus::Reviewed && reached(self.reviewed_on) {
            ReviewStatus::Reviewed
        } else {
            ReviewStatus::NotReviewed
        }
    }
}

/// JSON Schema of review files, generated from the types.
pub fn review_schema() -> Value {
    let schema = schemars::schema_for!(ReviewFile);
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// Validate a review file given as JSON text against the ids of the catalog. The value
/// of time must be in the file; use [`validate_review_text_with`] to pass the profile's.
/// Returns the file (when it could be read at all) and the report; the file is usable
/// only when the report has no errors.
pub fn validate_review_text(text: &str, known_ids: &[&str]) -> (Option<ReviewFile>, Report) {
    validate_review_text_with(text, known_ids, None)
}

/// As [`validate_review_text`], with the caller's value of time (from the profile) used
/// when the file has none.
pub fn validate_review_text_with(
    text: &str,
    known_ids: &[&str],
    fallback: Option<&HourlyValue>,
) -> (Option<ReviewFile>, Report) {
    let mut report = Report::default();
    let mut value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            report.error(
                format!("line {}, column {}", e.line(), e.column()),
                format!("JSON syntax error: {e}"),
            );
            return (None, report);
        }
    };
    crate::text::nfc_value(&mut value);
    let Some(obj) = value.as_object() else {
        report.error(
            "$",
            "a review file must be a JSON object with a \"procedures\" list",
        );
        return (None, report);
    };
    let mut head = obj.clone();
    let entries = head.remove("procedures");
    let mut file: Option<ReviewFile> = typed(&Value::Object(head), "", &mut report);
    match file.as_ref().map(|f| f.hourly(fallback)) {
        Some(Some(h)) => {
            let own = file.as_ref().is_some_and(|f| f.hourly_value.is_some());
            check_hourly(h, own, &mut report);
        }
        Some(None) => report.error("hourly_value",
            "missing: the value of time (đồng/giờ, with as_of and source) is in neither the file nor the profile",
        ),
        None => {}
    }
    let mut reviews = Vec::new();
    match entries {
        None => report.error("procedures", "missing: the list of reviews"),
        Some(Value::Array(items)) => {
            let known: HashSet<&str> = known_ids.iter().copied().collect();
            let mut seen = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                let Some(id) = item.get("procedure_id").and_then(Value::as_str) else {
                    continue;
                };
                let at = format!("procedures[{i}].procedure_id");
                if id.trim().is_empty() {
                    report.error(at, "empty: the id of a catalog procedure");
                } else if !seen.insert(id.to_string()) {
                    report.error(at, format!("duplicate procedure_id \"{id}\""));
                } else if !known.contains(id) {
                    report.error(at, format!("\"{id}\" is not a procedure of the catalog"));
                }
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(r) = typed::<Review>(item, &format!("procedures[{i}]"), &mut report) {
                    check_review(i, &r, &mut report);
                    reviews.push(r);
                }
            }
        }
        Some(_) => report.error("procedures", "must be a list of reviews"),
    }
    if let Some(f) = file.as_mut() {
        f.procedures = reviews;
    }
    report.issues.sort_by_key(|a| a.severity);
    (file, report)
}

fn check_hourly(h: &HourlyValue, own: bool, report: &mut Report) {
    let at = |f: &str| {
        if own {
            format!("hourly_value.{f}")
        } else {
            format!("profile hourly_value.{f}")
        }
    };
    if h.vnd_per_hour < 0.0 {
        report.error(at("vnd_per_hour"), "must not be negative");
    } else if h.vnd_per_hour == 0.0 {
        report.error(at("vnd_per_hour"), "must be more than 0 đồng/giờ");
    }
    if h.source.trim().is_empty() {
        report.error(
            at("source"),
            "empty: say where the value of time comes from",
        );
    }
}

fn check_cost(base: &str, c: &CostInputs, report: &mut Report) {
    for (k, a) in c.activities.iter().enumerate() {
        if a.hours < 0.0 {
            report.error(
                format!("{base}.activities[{k}].hours"),
                format!("{} hours: must not be negative", a.hours),
            );
        }
        if a.name.trim().is_empty() {
            report.warn(
                format!("{base}.activities[{k}].name"),
                "empty activity name",
            );
        }
    }
    for (field, v, what) in [
        ("fees", c.fees, "đồng"),
        ("services", c.services, "đồng"),
        ("other", c.other, "đồng"),
        ("times_per_year", c.times_per_year, "times a year"),
        ("subjects_per_year", c.subjects_per_year, "subjects a year"),
    ] {
        if v < 0.0 {
            report.error(
                format!("{base}.{field}"),
                format!("{v} {what}: must not be negative"),
            );
        }
    }
}

fn check_review(i: usize, r: &Review, report: &mut Report) {
    let at = |f: &str| format!("procedures[{i}].{f}");
    check_cost(&at("cost_before"), &r.cost_before, report);
    check_cost(&at("cost_after"), &r.cost_after, report);

    let needs: [(ReviewStatus, Option<NaiveDate>, &str); 3] = [
        (ReviewStatus::Reviewed, r.reviewed_on, "reviewed_on"),
        (ReviewStatus::PlanApproved, r.approved_on, "approved_on"),
        (
            ReviewStatus::Implemented,
            r.implemented_on,
            "implemented_on",
        ),
    ];
    for (level, date, field) in needs {
        if r.status >= level && date.is_none() {
            report.error(
                at(field),
                format!("missing: status \"{}\" needs this date", r.status.code()),
            );
        } else if r.status < level && date.is_some() {
            report.warn(
                at(field),
                format!("a date is given but the status is \"{}\"", r.status.code()),
            );
        }
    }
    let dated: Vec<(&str, NaiveDate)> = needs
        .iter()
        .filter_map(|(_, d, f)| d.map(|d| (*f, d)))
        .collect();
    for pair in dated.windows(2) {
        if let [(f0, d0), (f1, d1)] = pair {
            if d1 < d0 {
                report.error(
                    at(f1),
                    format!("{d1} is before {f0} ({d0}); dates must not go backwards"),
                );
            }
        }
    }
    if r.status == ReviewStatus::NotReviewed && !r.proposals.is_empty() {
        report.warn(
            at("proposals"),
            "proposals on a procedure whose status is \"not_reviewed\"",
        );
    }
    if r.status >= ReviewStatus::Reviewed && r.cost_before.is_empty() {
        report.warn(at("cost_before"),
            "missing: the cost before simplification; the procedure adds nothing to the cost totals",
        );
    }
    if r.proposals
        .iter()
        .any(|p| p.action == Action::AbolishProcedure)
        && !r.cost_after.is_empty()
    {
        report.warn(
            at("cost_after"),
            "the procedure is abolished, so its cost after simplification should be empty",
        );
    }
    for (k, p) in r.proposals.iter().enumerate() {
        if p.reason.trim().is_empty() {
            report.warn(
                at(&format!("proposals[{k}].reason")),
                "missing lý do; the plan will mark the gap",
            );
        }
    }
    for (k, rec) in r.recommendations.iter().enumerate() {
        if rec.document.trim().is_empty() {
            report.error(
                at(&format!("recommendations[{k}].document")),
                "empty: name the document to amend",
            );
        }
    }
}
