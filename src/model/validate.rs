//! Loading and validation of catalogs and profiles: every problem at once, each
//! with its JSON path (or line:column for syntax errors) and a plain message.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::compose::layout;

use super::{Catalog, Procedure, Profile};
use crate::text::nfc_value;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// A recommended field is missing; drafts mark the gap.
    Warning,
}

/// One finding of validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// Where: a JSON path such as `procedures[2].processing_time.text`, or `line 4, column 7`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}: {}", self.path, self.message)
    }
}

/// The outcome of validating one file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every finding, in file order.
    pub issues: Vec<Issue>,
}

impl Report {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// Findings that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub(crate) fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
        });
    }

    pub(crate) fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            severity: Severity::Warning,
            path: path.into(),
            message: message.into(),
        });
    }
}

/// Errors of reading a model file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file was read but is not valid.
    #[error("{path}: {count} problem(s):\n{details}")]
    Invalid {
        /// The file.
        path: String,
        /// Number of errors.
        count: usize,
        /// One line per error.
        details: String,
    },
}

fn join_path(base: &str, inner: &str) -> String {
    if inner == "." || inner.is_empty() {
        base.to_string()
    } else if base.is_empty() {
        inner.to_string()
    } else if inner.starts_with('[') {
        format!("{base}{inner}")
    } else {
        format!("{base}.{inner}")
    }
}

/// Deserialize `v` as a `T`; a failure is reported at its JSON path under `base`.
pub(crate) fn typed<T: DeserializeOwned>(v: &Value, base: &str, report: &mut Report) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Some(t),
        Err(e) => {
            let path = join_path(base, &e.path().to_string());
            report.error(
                if path.is_empty() { "$".into() } else { path },
                e.inner().to_string(),
            );
            None
        }
    }
}

/// Validate a catalog given as JSON text. Returns the catalog (when it could be read
/// at all) and the report; the catalog is usable only when the report has no errors.
pub fn validate_catalog_text(text: &str) -> (Option<Catalog>, Report) {
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
    nfc_value(&mut value);
    let Some(obj) = value.as_object() else {
        report.error(
            "$",
            "a catalog must be a JSON object with a \"procedures\" list",
        );
        return (None, report);
    };
    // Read the catalog without its procedures, then each procedure on its own, so
    // that one bad procedure does not hide the problems of the others.
    let mut head = obj.clone();
    let procs = head.remove("procedures");
    let mut catalog: Option<Catalog> = typed(&Value::Object(head), "", &mut report);
    let mut procedures = Vec::new();
    match procs {
        None => report.error("procedures", "missing: the list of procedures"),
        Some(Value::Array(items)) => {
            // Ids are checked on the raw values, so a duplicate is found even when
            // one of the two procedures has other errors.
            let mut seen = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    if !id.trim().is_empty() && !seen.insert(id.to_string()) {
                        report.error(
                            format!("procedures[{i}].id"),
                            format!("duplicate id \"{id}\""),
                        );
                    }
                }
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(p) = typed::<Procedure>(item, &format!("procedures[{i}]"), &mut report)
                {
                    procedures.push((i, p));
                }
            }
        }
        Some(_) => report.error("procedures", "must be a list of procedures"),
    }
    check_procedures(&procedures, &mut report);
    if let Some(c) = catalog.as_mut() {
        c.procedures = procedures.into_iter().map(|(_, p)| p).collect();
    }
    report.issues.sort_by_key(|i| i.severity);
    (catalog, report)
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn check_procedures(procs: &[(usize, Procedure)], report: &mut Report) {
    let mut names = HashSet::new();
    for (i, p) in procs {
        let at = |f: &str| format!("procedures[{i}].{f}");
        if blank(&p.id) {
            report.error(at("id"), "empty: every procedure needs a stable id");
        }
        if blank(&p.name) {
            report.error(at("name"), "empty: the procedure has no name (tên thủ tục)");
        } else if !names.insert(crate::text::compare_key(&p.name)) {
            report.warn(at("name"), format!("the name \"{}\" appears twice", p.name));
        }
        if blank(&p.sector) {
            report.warn(
                at("sector"),
                "missing lĩnh vực; the danh mục needs it to group rows",
            );
        }
        if p.group.is_none() {
            report.warn(
                at("group"),
                "missing nhóm (between_agencies or within_agency)",
            );
        }
        let recommended: [(&str, bool, &str); 8] = [
            ("steps", p.steps.is_empty(), "trình tự thực hiện"),
            ("channels", p.channels.is_empty(), "cách thức thực hiện"),
            (
                "dossier.items",
                p.dossier.items.is_empty(),
                "thành phần hồ sơ",
            ),
            (
                "processing_time.text",
                blank(&p.processing_time.text),
                "thời hạn giải quyết",
            ),
            ("subjects", p.subjects.is_empty(), "đối tượng thực hiện"),
            ("agency.text", blank(&p.agency.text), "cơ quan thực hiện"),
            ("result", p.result.is_empty(), "kết quả thực hiện"),
            ("legal_basis", p.legal_basis.is_empty(), "căn cứ pháp lý"),
        ];
        for (field, missing, vn) in recommended {
            if missing {
                report.warn(at(field), format!("missing {vn}; drafts will mark the gap"));
            }
        }
        for (k, s) in p.steps.iter().enumerate() {
            if blank(&s.text) {
                report.error(at(&format!("steps[{k}].text")), "empty step text");
            }
        }
        for (k, d) in p.dossier.items.iter().enumerate() {
            if blank(&d.name) {
                report.error(
                    at(&format!("dossier.items[{k}].name")),
                    "empty dossier item name",
                );
            }
            if d.quantity == Some(0) {
                report.error(
                    at(&format!("dossier.items[{k}].quantity")),
                    "must be at least 1",
                );
            }
        }
        if p.dossier.sets == Some(0) {
            report.error(at("dossier.sets"), "must be at least 1");
        }
        if let Some(v) = p.processing_time.value {
            if !(v.is_finite() && v > 0.0) {
                report.error(at("processing_time.value"), "must be a positive number");
            }
        }
        for (k, l) in p.legal_basis.iter().enumerate() {
            if blank(&l.text) {
                report.error(
                    at(&format!("legal_basis[{k}].text")),
                    "empty legal basis text",
                );
            }
        }
    }
}

/// Read and validate a catalog file; warnings are returned, errors fail.
pub fn load_catalog(path: &Path) -> Result<(Catalog, Report), LoadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    let (catalog, report) = validate_catalog_text(&text);
    match catalog {
        Some(c) if !report.has_errors() => Ok((c, report)),
        _ => Err(invalid(&shown, &report)),
    }
}

fn invalid(shown: &str, report: &Report) -> LoadError {
    let errors: Vec<String> = report.errors().map(|i| format!("  {i}")).collect();
    LoadError::Invalid {
        path: shown.to_string(),
        count: errors.len(),
        details: errors.join("\n"),
    }
}

/// Validate a profile given as TOML text.
pub fn validate_profile_text(text: &str) -> (Option<Profile>, Report) {
    let mut report = Report::default();
    let profile: Profile = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let place = match e.span() {
                Some(span) => {
                    let (line, col) = line_col(text, span.start);
                    format!("line {line}, column {col}")
                }
                None => "$".to_string(),
            };
            report.error(place, e.message().to_string());
            return (None, report);
        }
    };
    let profile = crate::text::nfc_profile(profile);
    if profile.issuing_body.iter().all(|l| blank(l)) {
        report.error(
            "issuing_body",
            "empty: the name of the issuing body is required",
        );
    }
    for (field, v) in [
        ("body_name", &profile.body_name),
        ("place", &profile.place),
        ("symbol", &profile.symbol),
        ("authority_line", &profile.authority_line),
    ] {
        if blank(v) {
            report.error(field, "empty: this value is required");
        }
    }
    check_signer(&mut report, "signer", &profile.signer);
    if let Some(h) = &profile.hourly_value {
        if !(h.vnd_per_hour.is_finite() && h.vnd_per_hour > 0.0) {
            report.error(
                "hourly_value.vnd_per_hour",
                format!(
                    "{} is not a positive amount of đồng per hour",
                    h.vnd_per_hour
                ),
            );
        }
        if blank(&h.source) {
            report.warn(
                "hourly_value.source",
                "missing: say where the value comes from (nguồn số liệu)",
            );
        }
    }
    if let Some(s) = &profile.report.signer {
        check_signer(&mut report, "report.signer", s);
    }
    let m = &profile.layout;
    let (lo, hi) = (layout::MIN_MARGINS, layout::MAX_MARGINS);
    for (field, v, lo, hi) in [
        ("layout.margin_top_mm", m.margin_top_mm, lo.top, hi.top),
        (
            "layout.margin_bottom_mm",
            m.margin_bottom_mm,
            lo.bottom,
            hi.bottom,
        ),
        ("layout.margin_left_mm", m.margin_left_mm, lo.left, hi.left),
        (
            "layout.margin_right_mm",
            m.margin_right_mm,
            lo.right,
            hi.right,
        ),
    ] {
        if let Some(v) = v {
            if !(lo..=hi).contains(&v) {
                report.error(
                    field,
                    format!("{v} mm is outside the Nghị định 30 range {lo}–{hi} mm"),
                );
            }
        }
    }
    if blank(&profile.proposer) {
        report.warn(
            "proposer",
            "missing: the \"Theo đề nghị của …\" line will be marked",
        );
    }
    if blank(&profile.executors) {
        report.warn("executors", "missing: the last article will mark the gap");
    }
    (Some(profile), report)
}

fn check_signer(report: &mut Report, at: &str, s: &super::SignerProfile) {
    for (field, v) in [("title", &s.title), ("name", &s.name)] {
        if blank(v) {
            report.error(format!("{at}.{field}"), "empty: this value is required");
        }
    }
    if s.authority != super::Authority::Personal
        && s.authority != super::Authority::Q
        && blank(&s.on_behalf_of)
    {
        report.error(
            format!("{at}.on_behalf_of"),
            "required with this authority (e.g. \"CHỦ TỊCH\" for kt, \"ỦY BAN NHÂN DÂN\" for tm)",
        );
    }
}

/// Read and validate a profile file.
pub fn load_profile(path: &Path) -> Result<(Profile, Report), LoadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    let (profile, report) = validate_profile_text(&text);
    match profile {
        Some(p) if !report.has_errors() => Ok((p, report)),
        _ => Err(invalid(&shown, &report)),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_line_and_column() {
        let (c, r) = validate_catalog_text("{\n  \"procedures\": [\n    {\"id\": 1,,}\n  ]\n}");
        assert!(c.is_none());
        assert_eq!(r.issues.len(), 1);
        assert!(
            r.issues[0].path.starts_with("line 3, column"),
            "{:?}",
            r.issues
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let text = r#"{"procedures": [
            {"id": "a", "name": "Thủ tục A", "sector": "X", "bogus": 1},
            {"id": "b", "name": "", "sector": "X", "dossier": {"items": [{"name": "Tờ trình", "quantity": -2}]}},
            {"id": "a", "name": "Thủ tục C", "sector": "X"}
        ]}"#;
        let (_, r) = validate_catalog_text(text);
        let errs: Vec<String> = r.errors().map(|i| i.to_string()).collect();
        assert!(
            errs.iter()
                .any(|e| e.contains("procedures[0].bogus") && e.contains("unknown field")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("procedures[1].dossier.items[0].quantity")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("procedures[2].id") && e.contains("duplicate")),
            "{errs:?}"
        );
        assert!(r
            .issues
            .iter()
            .any(|i| i.severity == Severity::Warning && i.path == "procedures[2].steps"));
    }
}
