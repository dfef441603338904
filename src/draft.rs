//! Drafting: load a catalog and a profile, compose a document kind, render it to
//! the requested formats. Returns bytes; the caller decides where they go.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::compose::{bao_cao, cong_bo, Composed, TemplateError, TemplateSource};
use crate::cost::CostReport;
use crate::doctree::Image;
use crate::model::review::ReportNotes;
use crate::model::validate::{load_catalog, load_profile, LoadError, Report};
use crate::model::{Catalog, DraftInfo, Profile};
use crate::render::{docx, pdf};

/// Output formats of drafted documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (.docx).
    Docx,
    /// PDF.
    Pdf,
    /// Excel workbook of the statistics (reports only).
    Xlsx,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "docx" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(format!("unknown format \"{other}\" (use docx, pdf, xlsx)")),
        }
    }
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Errors of drafting.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// A catalog or profile could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A template failed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// DOCX writing failed.
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    /// PDF writing failed.
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    /// Spreadsheet writing failed.
    #[error(transparent)]
    Xlsx(#[from] crate::render::xlsx::XlsxWriteError),
}

/// Inputs shared by every drafted document.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The catalog.
    pub catalog: Catalog,
    /// Warnings found while validating the catalog.
    pub catalog_report: Report,
    /// The issuer profile.
    pub profile: Profile,
    /// Warnings found while validating the profile.
    pub profile_report: Report,
}

/// Load and validate a catalog and a profile.
pub fn load_inputs(catalog: &Path, profile: &Path) -> Result<Inputs, DraftError> {
    let (catalog, catalog_report) = load_catalog(catalog)?;
    let (profile, profile_report) = load_profile(profile)?;
    Ok(Inputs {
        catalog,
        catalog_report,
        profile,
        profile_report,
    })
}

/// Draft metadata from the command line: a number and a date, either may be blank.
pub fn draft_info(number: Option<String>, date: Option<NaiveDate>) -> DraftInfo {
    let year = date
        .map(|d| d.year())
        .unwrap_or_else(|| chrono::Local::now().year());
    DraftInfo { number, date, year }
}

/// Compose the Quyết định công bố for the inputs.
pub fn compose_cong_bo(
    inputs: &Inputs,
    info: &DraftInfo,
    templates: &TemplateSource,
) -> Result<Composed, DraftError> {
    Ok(cong_bo::compose_cong_bo(
        &inputs.catalog,
        &inputs.profile,
        info,
        templates,
    )?)
}

/// Compose the Báo cáo for a cost report, with its progress chart drawn as a picture.
pub fn compose_bao_cao(
    inputs: &Inputs,
    info: &DraftInfo,
    report: &CostReport,
    notes: Option<&ReportNotes>,
    templates: &TemplateSource,
) -> Result<Composed, DraftError> {
    let spec = bao_cao::progress_chart(report);
    let (png, width_mm, height_mm) = crate::render::chart::chart_png(&spec)?;
    let chart = Image {
        png: png.into(),
        width_mm,
        height_mm,
        description: spec.title.clone(),
    };
    Ok(bao_cao::compose_bao_cao(
        &inputs.catalog,
        &inputs.profile,
        info,
        report,
        notes,
        Some(chart),
        templates,
    )?)
}

/// One signer in the signature sidecar.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignerPlacement {
    /// Field name in the PDF (/T).
    pub field: String,
    /// Quyền hạn and chức vụ lines.
    pub authority: Vec<String>,
    /// Họ và tên.
    pub name: String,
    /// Page, counting from 1.
    pub page: usize,
    /// Field rectangle [x1, y1, x2, y2] in PDF points, origin bottom-left.
    pub rect: [f32; 4],
    /// The same rectangle in mm from the page's top-left corner: [left, top, width, height].
    pub rect_mm_top_left: [f32; 4],
    /// The blank room between title and name, PDF points, origin bottom-left.
    pub room: [f32; 4],
}

/// The JSON written beside a PDF: where each signer signs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignatureSidecar {
    /// File name of the PDF.
    pub pdf: String,
    /// How the rectangles are given.
    pub units: &'static str,
    /// The signers, in reading order.
    pub signers: Vec<SignerPlacement>,
}

/// Build the sidecar for a PDF written as `pdf_name`.
pub fn sidecar(
    composed: &Composed,
    pdf_name: &str,
    fields: &[pdf::SignatureField],
) -> SignatureSidecar {
    const MM_PER_PT: f32 = 25.4 / 72.0;
    let round = |v: f32| (v * 100.0).round() / 100.0;
    SignatureSidecar {
        pdf: pdf_name.to_string(),
        units: "rect/room: PDF points, origin bottom-left; rect_mm_top_left: mm from the top-left corner",
        signers: fields
            .iter()
            .map(|f| {
                let who = composed.signatures.get(f.signer);
                let [x1, y1, x2, y2] = f.rect;
                SignerPlacement {
                    field: f.field.clone(),
                    authority: who.map(|w| w.authority.clone()).unwrap_or_default(),
                    name: who.map(|w| w.name.clone()).unwrap_or_default(),
                    page: f.page,
                    rect: f.rect.map(round),
                    rect_mm_top_left: [
                        x1 * MM_PER_PT,
                        (f.page_height - y2) * MM_PER_PT,
                        (x2 - x1) * MM_PER_PT,
                        (y2 - y1) * MM_PER_PT,
                    ]
                    .map(|v| (v * 10.0).round() / 10.0),
                    room: f.room.map(round),
                }
            })
            .collect(),
    }
}

/// Render a composed document to each format: (path in `out_dir`, bytes). A PDF with
/// signature fields comes with `<stem>.signatures.json` giving page and rectangle per
/// signer. `Xlsx` is not a form of a document and is skipped here (see
/// [`crate::render::xlsx`]).
pub fn render(
    composed: &Composed,
    formats: &[Format],
    out_dir: &Path,
    stem: &str,
    title: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, DraftError> {
    use rayon::prelude::*;
    let tooltips: Vec<String> = composed
        .signatures
        .iter()
        .map(|s| {
            let mut t = s.authority.join(" ");
            if !s.name.is_empty() {
                t.push_str(" – ");
                t.push_str(&s.name);
            }
            t
        })
        .collect();
    // The formats are independent: render them on separate cores.
    let files: Vec<Vec<(PathBuf, Vec<u8>)>> = formats
        .par_iter()
        .map(|f| {
            let path = out_dir.join(format!("{stem}.{}", f.ext()));
            Ok(match f {
                Format::Docx => vec![(
                    path,
                    docx::write_docx(
                        &composed.document,
                        &docx::DocxOptions {
                            title: title.to_string(),
                        },
                    )?,
                )],
                Format::Xlsx => Vec::new(),
                Format::Pdf => {
                    let out = pdf::write_pdf(&composed.document, title, &tooltips)?;
                    let mut v = vec![(path, out.bytes)];
                    if !out.signatures.is_empty() {
                        let car = sidecar(composed, &format!("{stem}.pdf"), &out.signatures);
                        let mut json = serde_json::to_vec_pretty(&car)
                            .map_err(|e| pdf::PdfError::Signature(e.to_string()))?;
                        json.push(b'\n');
                        v.push((out_dir.join(format!("{stem}.signatures.json")), json));
                    }
                    v
                }
            })
        })
        .collect::<Result<_, DraftError>>()?;
    Ok(files.into_iter().flatten().collect())
}
