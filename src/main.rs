//! `tthc` command line: a thin layer over the library. Library errors become
//! messages naming the file and place, and exit codes: 0 success, 1 failure
//! (invalid input, nothing written), 2 wrong usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use tthc::compose::TemplateSource;
use tthc::draft::{self, Format};
use tthc::model::validate::{validate_catalog_text, Severity};

/// tthc — inventory, publish and simplify internal administrative procedures
/// (thủ tục hành chính nội bộ) of Vietnamese state agencies.
///
/// Typical flow: `tthc validate catalog.json`, then
/// `tthc draft cong-bo --catalog catalog.json --profile profile.toml -o out`
/// to write the Quyết định công bố (DOCX and PDF, Nghị định 30/2020/NĐ-CP layout).
#[derive(Parser)]
#[command(name = "tthc", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the JSON Schema of catalog files (generated from the model types).
    Schema,
    /// Check a catalog file: every problem at once, with its JSON path.
    ///
    /// Errors (bad JSON, unknown or mistyped fields, empty names, duplicate ids)
    /// exit with status 1; warnings (missing recommended fields) do not.
    Validate {
        /// The catalog JSON file.
        catalog: PathBuf,
    },
    /// Draft a document from a catalog and an issuer profile.
    #[command(subcommand)]
    Draft(DraftKind),
}

#[derive(Subcommand)]
enum DraftKind {
    /// The Quyết định công bố danh mục thủ tục hành chính nội bộ (Mẫu 1.2) with its Phụ lục.
    ///
    /// Writes quyet-dinh-cong-bo.docx and/or .pdf into the output folder. Number and
    /// date may be left out for a draft: the header then reads "Số:      /QĐ-UBND" and
    /// "ngày      tháng      năm 2026". Missing data is marked "[chưa có: …]" in the
    /// draft and reported as a warning.
    CongBo(DraftArgs),
}

#[derive(Args)]
struct DraftArgs {
    /// The catalog JSON file (see `tthc schema`).
    #[arg(long)]
    catalog: PathBuf,
    /// The issuer profile TOML file (issuing body, signer, căn cứ, recipients).
    #[arg(long)]
    profile: PathBuf,
    /// Document number (số); left blank when absent.
    #[arg(long)]
    number: Option<String>,
    /// Date of signing, YYYY-MM-DD; left blank when absent.
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// Output folder (created if missing).
    #[arg(short = 'o', long = "out", default_value = ".")]
    out: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "docx,pdf")]
    format: Vec<Format>,
    /// Folder of templates overriding the built-in ones (e.g. a copy of templates/).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{s}\" is not a date in the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Schema => {
            let schema = tthc::model::catalog_schema();
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { catalog } => validate(&catalog),
        Command::Draft(DraftKind::CongBo(args)) => draft_cong_bo(args),
    }
}

fn validate(path: &Path) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let (_, report) = validate_catalog_text(&text);
    let errors = report
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    let warnings = report.issues.len() - errors;
    for i in &report.issues {
        eprintln!("{}: {i}", path.display());
    }
    println!(
        "{}: {errors} error(s), {warnings} warning(s){}",
        path.display(),
        if errors == 0 { " — valid" } else { "" }
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn template_source(dir: Option<PathBuf>) -> Result<TemplateSource> {
    if let Some(d) = &dir {
        if !d.is_dir() {
            anyhow::bail!("{}: the templates folder does not exist", d.display());
        }
    }
    Ok(TemplateSource { dir })
}

fn print_warnings(source: &str, items: impl IntoIterator<Item = String>) {
    for w in items {
        eprintln!("warning: {source}: {w}");
    }
}

fn draft_cong_bo(a: DraftArgs) -> Result<ExitCode> {
    let inputs = draft::load_inputs(&a.catalog, &a.profile)?;
    print_warnings(
        &a.catalog.display().to_string(),
        inputs.catalog_report.issues.iter().map(|i| i.to_string()),
    );
    print_warnings(
        &a.profile.display().to_string(),
        inputs.profile_report.issues.iter().map(|i| i.to_string()),
    );
    let info = draft::draft_info(a.number.clone(), a.date);
    let templates = template_source(a.templates.clone())?;
    let composed = draft::compose_cong_bo(&inputs, &info, &templates)?;
    print_warnings("draft", composed.warnings.iter().cloned());
    let title = "Quyết định công bố danh mục thủ tục hành chính nội bộ";
    let files = draft::render(&composed, &a.format, &a.out, "quyet-dinh-cong-bo", title)?;
    let inputs_paths = [a.catalog.as_path(), a.profile.as_path()];
    tthc::output::write_all(&files, a.force, &inputs_paths)?;
    for (p, bytes) in &files {
        println!("wrote {} ({} bytes)", p.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}
