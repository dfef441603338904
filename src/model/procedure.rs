//! A procedure (thủ tục hành chính nội bộ) and its eleven components (ND63 Điều 8.2).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a piece of data came from (nguồn): a file and a place inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// File name as given on the command line.
    pub file: String,
    /// Place inside the file, e.g. "paragraph 120" or "table 2, row 5, cell 3".
    pub location: String,
}

/// Group of internal procedures (nhóm TTHC nội bộ).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A. TTHC nội bộ giữa các cơ quan hành chính nhà nước.
    BetweenAgencies,
    /// B. TTHC nội bộ trong cơ quan hành chính nhà nước (trong từng cơ quan, hệ thống).
    WithinAgency,
}

/// Administrative level that performs a procedure (cấp thực hiện).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp trung ương.
    Central,
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện.
    District,
    /// Cấp xã.
    Commune,
}

/// Kind of change a decision announces (loại công bố).
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
pub enum ChangeKind {
    /// Mới ban hành.
    #[default]
    New,
    /// Được sửa đổi, bổ sung.
    Amended,
    /// Được thay thế.
    Replaced,
    /// Bị bãi bỏ.
    Abolished,
    /// Được chuẩn hóa.
    Standardized,
}

impl ChangeKind {
    /// All kinds, in the order decisions list them.
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::New,
        ChangeKind::Amended,
        ChangeKind::Replaced,
        ChangeKind::Abolished,
        ChangeKind::Standardized,
    ];
}

/// One step of the procedure (bước trong trình tự thực hiện).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Label as printed ("Bước 1"); generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What is done (nội dung).
    pub text: String,
    /// Responsible unit (trách nhiệm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    /// Duration of the step as printed (thời gian), e.g. "02 ngày làm việc".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// Whether a dossier item is an original or a copy (bản chính / bản sao).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Bản chính.
    Original,
    /// Bản sao.
    Copy,
    /// Bản chính hoặc bản sao.
    OriginalOrCopy,
}

/// One component of the dossier (thành phần hồ sơ).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierItem {
    /// Name of the document (tên giấy tờ).
    pub name: String,
    /// Original or copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_kind: Option<CopyKind>,
    /// Number of copies of this item (số lượng).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

/// The dossier (thành phần, số lượng hồ sơ).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dossier {
    /// Components (thành phần hồ sơ).
    #[serde(default)]
    pub items: Vec<DossierItem>,
    /// Number of sets (số lượng hồ sơ: 01 bộ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets: Option<u32>,
}

/// Unit of a processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Ngày làm việc.
    WorkingDays,
    /// Ngày (calendar days).
    Days,
    /// Giờ.
    Hours,
    /// Tháng.
    Months,
}

/// Processing time (thời hạn giải quyết).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessingTime {
    /// As printed.
    pub text: String,
    /// The number, when one was recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its unit, when recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<TimeUnit>,
}

/// Agencies involved (cơ quan thực hiện).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// The line as printed in documents ("Cơ quan thực hiện").
    pub text: String,
    /// Cơ quan có thẩm quyền quyết định.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decides: Option<String>,
    /// Cơ quan trực tiếp thực hiện.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performs: Option<String>,
    /// Cơ quan phối hợp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<String>,
}

/// A legal basis (căn cứ pháp lý).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRef {
    /// As printed.
    pub text: String,
    /// Number and symbol (số, ký hiệu), e.g. "1085/QĐ-TTg".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Date of issue (ngày ban hành).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// An internal administrative procedure (thủ tục hành chính nội bộ).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Stable identifier inside the catalog (e.g. "ldtbxh-01").
    pub id: String,
    /// Code (mã số TTHC), when one is assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name (tên thủ tục hành chính).
    pub name: String,
    /// Group (nhóm A giữa các cơ quan / B trong cơ quan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Level (cấp thực hiện).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Sector (lĩnh vực).
    #[serde(default)]
    pub sector: String,
    /// Kind of change announced (mới ban hành, sửa đổi …).
    #[serde(default)]
    pub change: ChangeKind,
    /// 1. Trình tự thực hiện.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// 2. Cách thức thực hiện.
    #[serde(default)]
    pub channels: Vec<String>,
    /// 3. Thành phần, số lượng hồ sơ.
    #[serde(default)]
    pub dossier: Dossier,
    /// 4. Thời hạn giải quyết.
    #[serde(default)]
    pub processing_time: ProcessingTime,
    /// 5. Đối tượng thực hiện.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// 6. Cơ quan thực hiện.
    #[serde(default)]
    pub agency: Agency,
    /// 7. Kết quả thực hiện.
    #[serde(default)]
    pub result: Vec<String>,
    /// 8. Phí, lệ phí.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<String>,
    /// 9. Tên mẫu đơn, mẫu tờ khai.
    #[serde(default)]
    pub forms: Vec<String>,
    /// 10. Yêu cầu, điều kiện thực hiện.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// 11. Căn cứ pháp lý.
    #[serde(default)]
    pub legal_basis: Vec<LegalRef>,
    /// For amended, replaced or abolished procedures: the document that prescribes the change
    /// (văn bản quy định nội dung sửa đổi, bổ sung, thay thế, bãi bỏ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_basis: Option<String>,
    /// Where the procedure as a whole was found (extracted data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Where each field was found, by field name (extracted data).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_sources: BTreeMap<String, Source>,
}
