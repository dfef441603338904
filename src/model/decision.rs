//! Metadata of an issued decision (thông tin văn bản), as extraction reads it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Signer block (ô 7a–7b): quyền hạn, chức vụ, họ tên.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Quyền hạn ký, e.g. "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Chức vụ, e.g. "PHÓ CHỦ TỊCH".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Họ tên.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An issued decision's own metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Số, ký hiệu, e.g. "2691/QĐ-UBND".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Ngày ban hành (ISO date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Địa danh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Cơ quan ban hành.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Tên loại, e.g. "QUYẾT ĐỊNH".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Trích yếu (case as printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Thẩm quyền ban hành line, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Căn cứ ban hành, one per item.
    #[serde(default)]
    pub legal_grounds: Vec<String>,
    /// "Theo đề nghị của …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// Number of articles (số điều).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_count: Option<u32>,
    /// Number of procedures stated in Điều 1, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_count: Option<u32>,
    /// Signer.
    #[serde(default)]
    pub signer: Signer,
    /// Nơi nhận items.
    #[serde(default)]
    pub recipients: Vec<String>,
}
