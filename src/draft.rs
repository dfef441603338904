//! Drafting: load a catalog and a profile, compose a document kind, render it to
//! the requested formats. Returns bytes; the caller decides where they go.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::compose::{cong_bo, Composed, TemplateError, TemplateSource};
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
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "docx" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            other => Err(format!("unknown format \"{other}\" (use docx, pdf)")),
        }
    }
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
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

/// Render a composed document to each format: (path in `out_dir`, bytes).
pub fn render(
    composed: &Composed,
    formats: &[Format],
    out_dir: &Path,
    stem: &str,
    title: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, DraftError> {
    use rayon::prelude::*;
    // The formats are independent: render them on separate cores.
    formats
        .par_iter()
        .map(|f| {
            let bytes = match f {
                Format::Docx => docx::write_docx(
                    &composed.document,
                    &docx::DocxOptions {
                        title: title.to_string(),
                    },
                )?,
                Format::Pdf => pdf::write_pdf(&composed.document, title)?,
            };
            Ok((out_dir.join(format!("{stem}.{}", f.ext())), bytes))
        })
        .collect()
}
