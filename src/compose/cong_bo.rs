//! The Quyết định công bố (ND30 Mẫu 1.2) with its Phụ lục: Phần I danh mục and
//! Phần II nội dung cụ thể of each procedure.

use serde::Serialize;

use super::{
    compose_context, draft_context, issuer_context, Composed, TemplateError, TemplateSource,
};
use crate::model::{Catalog, ChangeKind, DraftInfo, Group, Procedure, Profile};

/// Template file of this document.
pub const TEMPLATE: &str = "cong-bo.j2";

#[derive(Serialize)]
struct ChangeCount {
    kind: ChangeKind,
    count: usize,
}

#[derive(Serialize)]
struct Row<'a> {
    stt: usize,
    p: &'a Procedure,
}

#[derive(Serialize)]
struct SectorRows<'a> {
    roman: String,
    name: &'a str,
    count: usize,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct GroupRows<'a> {
    letter: String,
    group: Option<Group>,
    count: usize,
    sectors: Vec<SectorRows<'a>>,
}

#[derive(Serialize)]
struct Ctx<'a> {
    issuer: super::IssuerContext,
    draft: super::DraftContext,
    catalog: &'a Catalog,
    total: usize,
    changes: Vec<ChangeCount>,
    groups: Vec<GroupRows<'a>>,
    has_codes: bool,
    wide: bool,
    procedures: Vec<Row<'a>>,
}

/// Build the decision and its annex for a catalog.
pub fn compose_cong_bo(
    catalog: &Catalog,
    profile: &Profile,
    draft: &DraftInfo,
    source: &TemplateSource,
) -> Result<Composed, TemplateError> {
    let ordered = catalog.ordered();
    let changes = ChangeKind::ALL
        .iter()
        .map(|k| ChangeCount {
            kind: *k,
            count: ordered.iter().filter(|p| p.change == *k).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let mut groups: Vec<GroupRows> = Vec::new();
    for p in &ordered {
        if groups.last().map(|g| g.group != p.group).unwrap_or(true) {
            groups.push(GroupRows {
                letter: ((b'A' + groups.len().min(25) as u8) as char).to_string(),
                group: p.group,
                count: 0,
                sectors: Vec::new(),
            });
        }
        let Some(g) = groups.last_mut() else { continue };
        g.count += 1;
        if g.sectors.last().map(|s| s.name != p.sector).unwrap_or(true) {
            g.sectors.push(SectorRows {
                roman: super::templates::roman(g.sectors.len() as u64 + 1),
                name: &p.sector,
                count: 0,
                rows: Vec::new(),
            });
        }
        if let Some(s) = g.sectors.last_mut() {
            s.count += 1;
            s.rows.push(Row {
                stt: s.rows.len() + 1,
                p,
            });
        }
    }
    let has_codes = ordered
        .iter()
        .any(|p| p.code.as_deref().is_some_and(|c| !c.trim().is_empty()));
    let ctx = Ctx {
        issuer: issuer_context(profile),
        draft: draft_context(profile, &profile.symbol, draft),
        catalog,
        total: ordered.len(),
        changes,
        groups,
        has_codes,
        // Four or more columns at 13 pt do not fit a portrait page: the danh mục goes landscape.
        wide: true,
        procedures: ordered
            .iter()
            .enumerate()
            .map(|(i, p)| Row { stt: i + 1, p })
            .collect(),
    };
    compose_context(source, TEMPLATE, &ctx, profile, &[])
}
