//! The Quyết định phê duyệt phương án đơn giản hóa (ND30 Mẫu 1.3) with its Phụ lục:
//! per procedure a) nội dung đơn giản hóa and lý do, b) kiến nghị thực thi, c) lợi ích
//! (chi phí trước, sau, tiết kiệm, tỷ lệ), and a totals table. Figures come from
//! [`crate::cost`] and are formatted with [`crate::text`], as `tthc cost` shows them.

use serde::Serialize;

use super::{
    compose_context, draft_context, issuer_context, Composed, TemplateError, TemplateSource,
};
use crate::cost::{totals, CostReport};
use crate::model::review::ReviewFile;
use crate::model::{Catalog, DraftInfo, Procedure, Profile};
use crate::text::{money, percent};

/// Template file of this document.
pub const TEMPLATE: &str = "phe-duyet.j2";

#[derive(Serialize)]
struct ProposalCtx {
    component: &'static str,
    action: &'static str,
    before: String,
    after: String,
    reason: String,
}

#[derive(Serialize)]
struct RecommendationCtx {
    document: String,
    article: String,
    lead_agency: String,
    deadline: String,
}

#[derive(Serialize)]
struct Figures {
    before: String,
    after: String,
    saving: String,
    ratio: String,
}

#[derive(Serialize)]
struct Item<'a> {
    stt: usize,
    p: &'a Procedure,
    proposals: Vec<ProposalCtx>,
    recommendations: Vec<RecommendationCtx>,
    cost: Option<Figures>,
}

#[derive(Serialize)]
struct Ctx<'a> {
    issuer: super::IssuerContext,
    draft: super::DraftContext,
    catalog: &'a Catalog,
    items: Vec<Item<'a>>,
    totals: Figures,
    count_reduced: usize,
    hourly: String,
    hourly_source: String,
}

fn figures(before: f64, after: f64, saving: f64, ratio: Option<f64>) -> Figures {
    Figures {
        before: money(before),
        after: money(after),
        saving: money(saving),
        ratio: ratio.map(percent).unwrap_or_else(|| "—".into()),
    }
}

/// Build the approval decision for the procedures that have proposals in `reviews`.
pub fn compose_phe_duyet(
    catalog: &Catalog,
    profile: &Profile,
    draft: &DraftInfo,
    reviews: &ReviewFile,
    report: &CostReport,
    source: &TemplateSource,
) -> Result<Composed, TemplateError> {
    let mut items = Vec::new();
    let mut costs = Vec::new();
    let mut count_reduced = 0;
    for p in catalog.ordered() {
        let Some(r) = reviews.get(&p.id) else {
            continue;
        };
        if r.proposals.is_empty() {
            continue;
        }
        if r.removes_procedure() {
            count_reduced += 1;
        }
        let cost = report
            .procedures
            .iter()
            .find(|row| row.procedure_id == p.id)
            .and_then(|row| row.cost.clone());
        if let Some(c) = &cost {
            costs.push(c.clone());
        }
        items.push(Item {
            stt: items.len() + 1,
            p,
            proposals: r
                .proposals
                .iter()
                .map(|x| ProposalCtx {
                    component: x.component.label(),
                    action: x.action.label(),
                    before: x.before.clone(),
                    after: x.after.clone(),
                    reason: x.reason.clone(),
                })
                .collect(),
            recommendations: r
                .recommendations
                .iter()
                .map(|x| RecommendationCtx {
                    document: x.document.clone(),
                    article: x.article.clone(),
                    lead_agency: x.lead_agency.clone(),
                    deadline: x
                        .deadline
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            cost: cost.map(|c| figures(c.before.yearly, c.after.yearly, c.saving, c.ratio_pct)),
        });
    }
    let t = totals(&costs);
    let ctx = Ctx {
        issuer: issuer_context(profile),
        draft: draft_context(profile, &profile.symbol, draft),
        catalog,
        items,
        totals: figures(t.before, t.after, t.saving, t.ratio_pct),
        count_reduced,
        hourly: money(report.hourly_value.vnd_per_hour),
        hourly_source: report.hourly_value.source.clone(),
    };
    compose_context(source, TEMPLATE, &ctx, profile, &[])
}
