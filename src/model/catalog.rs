//! The catalog (danh mục) of procedures and the metadata of a draft.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Procedure;

/// A catalog of internal procedures: what `tthc extract` writes and `tthc draft` reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Title of the catalog (tên danh mục).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Scope (phạm vi), e.g. "thuộc phạm vi chức năng quản lý của Sở Lao động - Thương binh và Xã hội tỉnh Lào Cai".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The date the catalog describes (tính đến ngày).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// The procedures.
    #[serde(default)]
    pub procedures: Vec<super::Procedure>,
}

impl Catalog {
    /// Procedures in the order of the published list: group, then sector (first appearance), then catalog order.
    pub fn ordered(&self) -> Vec<&Procedure> {
        let mut sector_rank: Vec<&str> = Vec::new();
        for p in &self.procedures {
            if !sector_rank.contains(&p.sector.as_str()) {
                sector_rank.push(&p.sector);
            }
        }
        let mut v: Vec<(usize, &Procedure)> = self.procedures.iter().enumerate().collect();
        v.sort_by_key(|(i, p)| {
            let s = sector_rank.iter().position(|x| *x == p.sector).unwrap_or(0);
            (p.group, s, *i)
        });
        v.into_iter().map(|(_, p)| p).collect()
    }
}

/// Metadata of one draft (số, ngày, trích yếu), given on the command line or left blank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInfo {
    /// Number (số); blank in a draft awaiting registration at the văn thư.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Date of signing (ngày ban hành); blank in a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Year used when the date is blank ("ngày … tháng … năm 2026").
    pub year: i32,
}
