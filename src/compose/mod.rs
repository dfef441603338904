//! Compose: model + templates → document tree. Each document kind builds a
//! context from the model, renders its template (the wording) and parses the
//! result into the tree (the layout, from [`layout`]).

pub mod bao_cao;
pub mod cong_bo;
pub mod layout;
pub mod markup;
pub mod phe_duyet;
pub mod templates;

use serde::Serialize;

use crate::model::{DraftInfo, Profile};
pub use markup::SignatureAnchor;
pub use templates::{TemplateError, TemplateSource};

/// A composed document: the tree, where its signatures are, and the gaps found.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The document tree, ready for any renderer.
    pub document: crate::doctree::Document,
    /// Signature tables (for signing tools).
    pub signatures: Vec<SignatureAnchor>,
    /// Missing data marked in the draft, one message each.
    pub warnings: Vec<String>,
}

/// What every drafted document says about its issuer (ô 1–4 and 7–9).
#[derive(Debug, Clone, Serialize)]
pub struct IssuerContext {
    parent_body: Vec<String>,
    issuing_body: Vec<String>,
    body_name: String,
    place: String,
    symbol: String,
    authority_line: String,
    authority_name: String,
    proposer: String,
    executors: String,
    recipients: Vec<String>,
    archive: String,
    legal_grounds: Vec<String>,
    replaces: Vec<String>,
    signer_lines: Vec<String>,
    signer_name: String,
}

/// Number and date of the draft as printed.
#[derive(Debug, Clone, Serialize)]
pub struct DraftContext {
    /// "15/QĐ-UBND", or "      /QĐ-UBND" when the number is left blank.
    number: String,
    /// "Lào Cai, ngày 05 tháng 01 năm 2026" or with blanks.
    date_line: String,
    /// "ngày 05 tháng 01 năm 2026" or with blanks.
    date_words: String,
    /// Year of the draft.
    year: i32,
}

/// Build the issuer part of a template context.
pub fn issuer_context(p: &Profile) -> IssuerContext {
    IssuerContext {
        parent_body: p.parent_body.clone(),
        issuing_body: p.issuing_body.clone(),
        body_name: p.body_name.clone(),
        place: p.place.clone(),
        symbol: p.symbol.clone(),
        authority_line: p.authority_line.clone(),
        authority_name: if p.authority_name.trim().is_empty() {
            p.body_name.clone()
        } else {
            p.authority_name.clone()
        },
        proposer: p.proposer.clone(),
        executors: p.executors.clone(),
        recipients: p.recipients.clone(),
        archive: p.archive.clone(),
        legal_grounds: p.legal_grounds.clone(),
        replaces: p.replaces.clone(),
        signer_lines: p.signer.authority_lines(),
        signer_name: p.signer.name.clone(),
    }
}

/// Build the draft part of a template context, with ND30 zero-padding.
pub fn draft_context(p: &Profile, symbol: &str, d: &DraftInfo) -> DraftContext {
    let number = match d.number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            let n = match n.parse::<u64>() {
                Ok(v) => crate::text::two_digits(v),
                Err(_) => n.to_string(),
            };
            format!("{n}/{symbol}")
        }
        _ => format!("      /{symbol}"),
    };
    DraftContext {
        number,
        date_line: crate::text::date_line(&p.place, d.date, d.year),
        date_words: crate::text::date_words(d.date, d.year),
        year: d.year,
    }
}

/// Render a template with a context and parse it into a composed document.
pub fn compose(
    source: &TemplateSource,
    template: &str,
    ctx: &serde_json::Value,
    profile: &Profile,
) -> Result<Composed, TemplateError> {
    compose_with(source, template, ctx, profile, &[])
}

/// Serialize a template context and compose it (see [`compose_with`]).
pub fn compose_context<T: Serialize>(
    source: &TemplateSource,
    template: &str,
    ctx: &T,
    profile: &Profile,
    assets: &[(String, crate::doctree::Image)],
) -> Result<Composed, TemplateError> {
    let value = serde_json::to_value(ctx).map_err(|e| TemplateError::Render {
        file: template.into(),
        line: 0,
        cause: e.to_string(),
    })?;
    compose_with(source, template, &value, profile, assets)
}

/// [`compose`] with named pictures for the template's `@image` lines.
pub fn compose_with(
    source: &TemplateSource,
    template: &str,
    ctx: &serde_json::Value,
    profile: &Profile,
    assets: &[(String, crate::doctree::Image)],
) -> Result<Composed, TemplateError> {
    let (out, shown, warnings) = templates::render(source, template, ctx)?;
    let parsed = markup::parse_with(&out, &profile.layout, assets)
        .map_err(|error| TemplateError::Markup { file: shown, error })?;
    Ok(Composed {
        document: parsed.document,
        signatures: parsed.signatures,
        warnings,
    })
}
