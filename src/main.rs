//! `tthc` command line: a thin layer over the library. Library errors become
//! messages naming the file and place, and exit codes: 0 success, 1 failure
//! (invalid input, nothing written), 2 wrong usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// typst and the document reader allocate many small, short-lived objects; with glibc's
/// malloc, allocation and page faults took ~10% of a draft's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Convert legacy Vietnamese documents (TCVN3, VNI, VISCII, VIQR; .doc) to Unicode.
    ///
    /// .docx → .docx: only the text of legacy-font runs and the legacy font names
    /// (→ Times New Roman) change; every other part of the package stays byte for byte.
    /// .doc → .docx through LibreOffice headless (needed only for .doc). .txt → UTF-8 .txt.
    /// Folders are mirrored under OUTDIR; inputs are never modified; outputs are written
    /// atomically and existing ones skipped unless --force, so an interrupted run resumes.
    Convert(ConvertArgs),
    /// Compliance cost (chi phí tuân thủ, TT 02/2017 Điều 27) of a catalog's procedures
    /// before and after simplification, with totals and the QĐ 1085 milestones.
    ///
    /// The review file (see samples/review.json) holds, per procedure id, the review
    /// status and dates, proposals, and cost inputs (activities with hours, fees,
    /// services, other costs, times per year, subjects per year) before and after, and
    /// the dated hourly value of time with its source. Totals use the weighted ratio
    /// Σ saving / Σ before, never an average of percentages.
    Cost {
        /// The catalog JSON file.
        catalog: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
        /// Issuer profile whose [hourly_value] is used when the review file has none.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// Print the figures as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Read decisions (.docx, .doc, .txt, .md; folders recursively) and extract their
    /// metadata and procedures.
    ///
    /// A .doc (Word 97-2003) is converted through LibreOffice headless (soffice must be
    /// installed), and runs in TCVN3/VNI fonts are turned into Unicode before reading.
    ///
    /// Without options, prints a line per file. `--json` prints, for each document,
    /// {"file", "decision", "procedures", "warnings"} (pretty for one input, one line
    /// each for several). `-o catalog.json` merges all procedures into one catalog that
    /// `tthc validate` accepts and `tthc draft` uses. A file that fails is reported and
    /// the others go on; the exit status is 1 when any file failed.
    Extract {
        /// Files or folders to read.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Print the extraction of each document as JSON.
        #[arg(long)]
        json: bool,
        /// Write the merged catalog to this file.
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// Replace an existing catalog file.
        #[arg(long)]
        force: bool,
        /// Largest inflated size of one part of a DOCX package, in MiB (zip-bomb guard).
        #[arg(long, default_value_t = 256)]
        max_part_mib: u64,
    },
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
    /// The Quyết định phê duyệt phương án đơn giản hóa (Mẫu 1.3) with its Phụ lục.
    ///
    /// Writes quyet-dinh-phe-duyet.docx and/or .pdf: for each procedure with proposals
    /// in the review file, a) nội dung đơn giản hóa and lý do, b) kiến nghị thực thi,
    /// c) lợi ích (chi phí trước, sau, tiết kiệm, tỷ lệ), and a totals table, with the
    /// figures `tthc cost` computes.
    PheDuyet(PheDuyetArgs),
    /// The Báo cáo kết quả rà soát, đơn giản hóa TTHC nội bộ (Mẫu 1.4, "Kính gửi").
    ///
    /// Writes bao-cao.docx and/or .pdf (and bao-cao.xlsx with `--format docx,pdf,xlsx`):
    /// the figures as they stood on --as-of (published; reviewed %; plans approved %;
    /// count and cost reduction; implemented), each set against its milestone as
    /// Đạt / Chưa đạt / Chưa đến hạn, a progress chart, and tables by sector and by
    /// performing agency. The prose (tình hình, tồn tại, nhiệm vụ, kiến nghị) comes
    /// from the "report" object of the review file.
    ///
    /// Example: tthc draft bao-cao --catalog samples/catalog.json --profile
    /// samples/profile.toml --review samples/review.json --as-of 2025-01-01 -o out
    BaoCao(BaoCaoArgs),
}

#[derive(Args)]
struct BaoCaoArgs {
    #[command(flatten)]
    common: DraftArgs,
    #[command(flatten)]
    report: ReportArgs,
}

/// What a cost report is computed from (tthc cost, draft bao-cao).
#[derive(Args)]
struct ReportArgs {
    /// The review and cost JSON file (see samples/review.json).
    #[arg(long)]
    review: PathBuf,
    /// Report date: figures as they stood on this day, YYYY-MM-DD (default: --date when
    /// drafting, else today).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Date the catalog was published (default: counted as published).
    #[arg(long, value_parser = parse_date)]
    published_on: Option<NaiveDate>,
    /// TOML file of [[milestone]] tables (date, metric, target) replacing the QĐ 1085
    /// defaults: 100% published by 2023-04-01; plans for ≥ 50% by 2024-01-01; 100%
    /// reviewed, ≥ 20% of procedures and ≥ 20% of cost cut by 2025-01-01.
    #[arg(long)]
    milestones: Option<PathBuf>,
}

#[derive(Args)]
struct PheDuyetArgs {
    #[command(flatten)]
    common: DraftArgs,
    /// The review and cost JSON file (see samples/review.json).
    #[arg(long)]
    review: PathBuf,
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

/// mimalloc's `mi_option_purge_delay` (index in its `mi_option_t`, version 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory settings for a short run: the first made first thing in `main`, the second
/// before it ([`NO_HUGE_PAGES_BEFORE_MAIN`]).
///
/// * mimalloc does not hand freed memory back to the system while the process runs.
///   By default it returns 64 KiB slices of transparent huge pages soon after they
///   are freed; the next allocation there faults a whole 2 MiB page back in and the
///   kernel zeroes it. Reading the real corpus spent 12-19% of its CPU time zeroing
///   pages that way. A run of tthc is short, and memory freed is reused inside the
///   process, so its peak is unchanged.
/// * No transparent huge pages (`prctl(PR_SET_THP_DISABLE)`; `TTHC_THP=1` keeps
///   them). A huge page is a 2 MiB block of free memory, and on a virtual machine
///   whose balloon device reports free memory to the host (as this one does), such
///   blocks are the ones handed back: touching one again faults on the host too.
///   Measured on the real corpus, a run more than a second after any earlier one
///   spent 0.19-0.25 s of system time with huge pages and 0.10-0.13 s without (wall
///   0.55 s and 0.51 s, medians of 8), and peaks at 103-106 MB instead of 131 MB. Run
///   right after another, the huge pages it just freed are still there and a run
///   with them is faster (0.38 s against 0.43 s): a user's run is the first kind.
///   The setting is inherited by LibreOffice when `.doc` files are converted. (Linux
///   only: elsewhere there is no such setting to make.)
fn set_up_memory() {
    // SAFETY: called first thing in main, before any other thread exists (the
    // function is not thread safe); the option is a plain integer.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Turns transparent huge pages off (see [`set_up_memory`]) before `main`, from the
/// `.init_array` functions that the C library runs ahead of the Rust runtime: the
/// runtime's first allocation sets up mimalloc's arena, and made after that the
/// setting came too late for the arena's first pages. Those were two huge pages
/// faulted in at every start (`thp_fault_alloc` in /proc/vmstat), 1 ms when free
/// 2 MiB blocks are at hand and 16 ms in a profiled run where they were not.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static NO_HUGE_PAGES_BEFORE_MAIN: extern "C" fn() = no_huge_pages;

#[cfg(target_os = "linux")]
extern "C" fn no_huge_pages() {
    // SAFETY: getenv reads the environment without allocating (nothing else runs
    // yet); prctl with PR_SET_THP_DISABLE takes plain integers and sets a flag of
    // this process, and on failure nothing changes.
    unsafe {
        if libc::getenv(c"TTHC_THP".as_ptr()).is_null() {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

fn main() -> ExitCode {
    set_up_memory();
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
        Command::Draft(DraftKind::PheDuyet(args)) => draft_phe_duyet(args),
        Command::Draft(DraftKind::BaoCao(args)) => draft_bao_cao(args),
        Command::Convert(args) => convert(args),
        Command::Cost {
            catalog,
            report,
            profile,
            json,
        } => cost(&catalog, &report, profile.as_deref(), json),
        Command::Extract {
            inputs,
            json,
            out,
            force,
            max_part_mib,
        } => extract(&inputs, json, out.as_deref(), force, max_part_mib),
    }
}

#[derive(Args)]
struct ConvertArgs {
    /// Files or folders to convert.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short = 'o', long = "out")]
    out: PathBuf,
    /// Descend into subfolders.
    #[arg(long)]
    recursive: bool,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Replace existing outputs.
    #[arg(long)]
    force: bool,
    /// Encoding of text whose font does not tell: tcvn3, vni, viscii, viqr or auto.
    #[arg(long, default_value = "auto")]
    from: String,
    /// Write the run's summary as JSON to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Also extract every converted document and write OUTDIR/catalog.json.
    #[arg(long)]
    extract: bool,
    /// Seconds LibreOffice may take per .doc file.
    #[arg(long, default_value_t = 60)]
    doc_timeout: u64,
}

fn convert(a: ConvertArgs) -> Result<ExitCode> {
    use std::io::IsTerminal;
    use std::sync::Mutex;
    let from = match a.from.trim().to_ascii_lowercase().as_str() {
        "auto" => None,
        other => Some(
            other
                .parse::<tthc::legacy::Encoding>()
                .map_err(|e| anyhow::anyhow!("--from: {e}"))?,
        ),
    };
    let opts = tthc::batch::BatchOptions {
        inputs: a.inputs.clone(),
        output_dir: a.out.clone(),
        recursive: a.recursive,
        jobs: a.jobs,
        force: a.force,
        from,
        extract: false,
        doc_timeout: std::time::Duration::from_secs(a.doc_timeout.max(1)),
        ..Default::default()
    };
    tthc::output::ensure_writable_dir(&a.out)
        .map_err(|e| anyhow::anyhow!("the output folder cannot be used: {e}"))?;
    let tty = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let last = Mutex::new(std::time::Instant::now());
    let progress = |e: tthc::batch::Event| match e {
        tthc::batch::Event::Planned { total } => eprintln!("converting {total} file(s)"),
        tthc::batch::Event::Done { input, done, total } => {
            let secs = start.elapsed().as_secs_f64().max(1e-6);
            let rate = done as f64 / secs;
            let eta = if rate > 0.0 {
                (total - done) as f64 / rate
            } else {
                0.0
            };
            if tty {
                let mut l = last.lock().unwrap_or_else(|p| p.into_inner());
                if done == total || l.elapsed().as_millis() > 100 {
                    *l = std::time::Instant::now();
                    let width = 30usize;
                    let filled = (done * width)
                        .checked_div(total)
                        .unwrap_or(width)
                        .min(width);
                    eprint!(
                        "\r[{}{}] {done}/{total}  {rate:.1} files/s  ETA {eta:.0} s   ",
                        "#".repeat(filled),
                        "-".repeat(width - filled)
                    );
                    if done == total {
                        eprintln!();
                    }
                }
            } else {
                eprintln!("[{done}/{total}] {}", input.display());
            }
        }
    };
    let summary = tthc::batch::run_convert(&opts, &progress);
    eprintln!(
        "summary: {} converted, {} already Unicode, {} skipped (output exists; --force to redo), {} failed",
        summary.converted,
        summary.already_unicode,
        summary.skipped.len(),
        summary.failed.len()
    );
    for f in &summary.failed {
        eprintln!("  failed: {}: {}", f.input, f.reason);
    }
    if let Some(r) = &a.report {
        let text = serde_json::to_string_pretty(&summary)? + "\n";
        tthc::output::write_atomic(r, text.as_bytes())?;
        eprintln!("wrote {}", r.display());
    }
    if a.extract {
        let outputs: Vec<PathBuf> = summary
            .results
            .iter()
            .map(|r| PathBuf::from(&r.output))
            .filter(|p| p.exists() && tthc::ingest::file::kind(p).is_some())
            .collect();
        let results = tthc::jobs::extract_files(&outputs, &tthc::ingest::Limits::default());
        let ok: Vec<&tthc::extract::Extraction> = results
            .iter()
            .filter_map(|r| r.result.as_ref().ok())
            .collect();
        for r in &results {
            if let Err(e) = &r.result {
                eprintln!("  extract failed: {}: {e}", r.path.display());
            }
        }
        let catalog = tthc::jobs::merge_catalog(&ok);
        let path = a.out.join("catalog.json");
        tthc::output::check_target(&path, a.force, &[])?;
        let text = serde_json::to_string_pretty(&catalog)? + "\n";
        tthc::output::write_atomic(&path, text.as_bytes())?;
        eprintln!(
            "wrote {} ({} procedure(s) from {} document(s))",
            path.display(),
            catalog.procedures.len(),
            ok.len()
        );
    }
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The milestones of `path`, or the QĐ 1085 defaults.
fn load_milestones(path: Option<&Path>) -> Result<Option<Vec<tthc::cost::Milestone>>> {
    let Some(path) = path else {
        return Ok(Some(tthc::cost::Milestone::defaults()));
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    match tthc::cost::parse_milestones(&text) {
        Ok(m) => Ok(Some(m)),
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", path.display());
            }
            eprintln!(
                "error: {}: {} problem(s); nothing written",
                path.display(),
                errors.len()
            );
            Ok(None)
        }
    }
}

/// Load the review file and build the cost report; `None` when the review file or the
/// milestones had errors (already printed).
/// The value of time comes from the review file, else from the profile.
fn cost_report(
    catalog: &tthc::model::Catalog,
    review: &Path,
    profile: Option<&tthc::model::Profile>,
    as_of: NaiveDate,
    published_on: Option<NaiveDate>,
    milestones: Option<&Path>,
) -> Result<Option<(tthc::model::review::ReviewFile, tthc::cost::CostReport)>> {
    let Some(milestones) = load_milestones(milestones)? else {
        return Ok(None);
    };
    let fallback = profile.and_then(|p| p.hourly_value.as_ref());
    let Some(file) = load_review(catalog, review, fallback)? else {
        return Ok(None);
    };
    let Some(hourly) = file.hourly(fallback).cloned() else {
        anyhow::bail!(
            "{}: hourly_value: missing the hourly value of time (give it in the review file or the profile)",
            review.display()
        );
    };
    let report =
        tthc::cost::build_report(catalog, &file, &hourly, published_on, as_of, &milestones);
    Ok(Some((file, report)))
}

fn cost(catalog: &Path, r: &ReportArgs, profile: Option<&Path>, json: bool) -> Result<ExitCode> {
    let (catalog_data, _) = tthc::model::validate::load_catalog(catalog)?;
    let profile = match profile {
        Some(p) => Some(tthc::model::validate::load_profile(p)?.0),
        None => None,
    };
    let as_of = r.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let Some((_, result)) = cost_report(
        &catalog_data,
        &r.review,
        profile.as_ref(),
        as_of,
        r.published_on,
        r.milestones.as_deref(),
    )?
    else {
        return Ok(ExitCode::from(1));
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print!("{}", tthc::cost::cost_table(&result));
    }
    Ok(ExitCode::SUCCESS)
}

fn no_xlsx(formats: &[Format]) -> Result<()> {
    if formats.contains(&Format::Xlsx) {
        anyhow::bail!("--format xlsx is only for `tthc draft bao-cao` (the statistics tables)");
    }
    Ok(())
}

fn draft_bao_cao(args: BaoCaoArgs) -> Result<ExitCode> {
    let a = args.common;
    let inputs = draft::load_inputs(&a.catalog, &a.profile)?;
    let r = &args.report;
    let as_of = r
        .as_of
        .or(a.date)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let Some((reviews, report)) = cost_report(
        &inputs.catalog,
        &r.review,
        Some(&inputs.profile),
        as_of,
        r.published_on,
        r.milestones.as_deref(),
    )?
    else {
        return Ok(ExitCode::from(1));
    };
    let info = draft::draft_info(a.number.clone(), a.date);
    let templates = template_source(a.templates.clone())?;
    let composed =
        draft::compose_bao_cao(&inputs, &info, &report, reviews.report.as_ref(), &templates)?;
    print_warnings("draft", composed.warnings.iter().cloned());
    let title = "Báo cáo kết quả rà soát, đơn giản hóa thủ tục hành chính nội bộ";
    let stem = "bao-cao";
    let mut files = draft::render(&composed, &a.format, &a.out, stem, title)?;
    if a.format.contains(&Format::Xlsx) {
        files.push((
            a.out.join(format!("{stem}.xlsx")),
            tthc::render::xlsx::write_report_xlsx(&report)?,
        ));
    }
    let mut inputs_paths = vec![a.catalog.as_path(), a.profile.as_path(), r.review.as_path()];
    if let Some(m) = &r.milestones {
        inputs_paths.push(m.as_path());
    }
    tthc::output::write_all(&files, a.force, &inputs_paths)?;
    for (p, bytes) in &files {
        println!("wrote {} ({} bytes)", p.display(), bytes.len());
    }
    for x in &report.assessments {
        println!(
            "{}: {} (mục tiêu {}, mốc {})",
            x.milestone.metric.label(),
            x.label,
            tthc::text::percent(x.milestone.target),
            x.milestone.date.format("%d/%m/%Y")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn extract(
    inputs: &[PathBuf],
    json: bool,
    out: Option<&Path>,
    force: bool,
    max_part_mib: u64,
) -> Result<ExitCode> {
    let files = tthc::jobs::collect_inputs(inputs).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        anyhow::bail!("no .docx, .doc, .txt or .md file among the inputs");
    }
    if let Some(o) = out {
        let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        tthc::output::check_target(o, force, &refs)?;
    }
    let limits = tthc::ingest::Limits {
        max_part_bytes: max_part_mib.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    use std::io::Write;
    let results = tthc::jobs::extract_files(&files, &limits);
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    /// One document's extraction as printed by `--json`: its fields, then the file.
    #[derive(serde::Serialize)]
    struct Printed<'a> {
        #[serde(flatten)]
        extraction: &'a tthc::extract::Extraction,
        file: &'a str,
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for r in &results {
        let shown = r.path.display().to_string();
        match &r.result {
            Ok(e) => {
                if json {
                    let v = Printed {
                        extraction: e,
                        file: &shown,
                    };
                    if results.len() == 1 {
                        serde_json::to_writer_pretty(&mut stdout, &v)?;
                    } else {
                        serde_json::to_writer(&mut stdout, &v)?;
                    }
                    writeln!(stdout)?;
                } else {
                    let number = e
                        .decision
                        .as_ref()
                        .and_then(|d| d.number.clone())
                        .unwrap_or_else(|| "no decision number".into());
                    writeln!(
                        stdout,
                        "{shown}: {number}, {} procedure(s), {} warning(s)",
                        e.procedures.len(),
                        e.warnings.len()
                    )?;
                }
                // warnings go to stderr: print what came before them first
                stdout.flush()?;
                for w in &e.warnings {
                    eprintln!("warning: {shown}: {w}");
                }
                ok.push(e);
            }
            Err(msg) => {
                stdout.flush()?;
                eprintln!("error: {shown}: {msg}");
                failed.push((shown, msg.clone()));
            }
        }
    }
    stdout.flush()?;
    drop(stdout);
    if let Some(o) = out {
        let catalog = tthc::jobs::merge_catalog(&ok);
        let text = serde_json::to_string_pretty(&catalog)? + "\n";
        tthc::output::write_atomic(o, text.as_bytes())?;
        eprintln!(
            "wrote {} ({} procedure(s) from {} file(s))",
            o.display(),
            catalog.procedures.len(),
            ok.len()
        );
    }
    if results.len() > 1 || !failed.is_empty() {
        eprintln!(
            "summary: {} file(s) read, {} failed",
            ok.len(),
            failed.len()
        );
        for (f, m) in &failed {
            eprintln!("  failed: {f}: {m}");
        }
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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

fn load_review(
    catalog: &tthc::model::Catalog,
    review: &Path,
    fallback: Option<&tthc::model::review::HourlyValue>,
) -> Result<Option<tthc::model::review::ReviewFile>> {
    let text = std::fs::read_to_string(review)
        .with_context(|| format!("{}: cannot read", review.display()))?;
    let ids: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
    let (file, report) = tthc::model::review::validate_review_text_with(&text, &ids, fallback);
    for i in &report.issues {
        eprintln!("{}: {i}", review.display());
    }
    match file {
        Some(f) if !report.has_errors() => Ok(Some(f)),
        _ => {
            eprintln!(
                "error: {}: {} problem(s); nothing written",
                review.display(),
                report.errors().count()
            );
            Ok(None)
        }
    }
}

fn draft_phe_duyet(args: PheDuyetArgs) -> Result<ExitCode> {
    let a = args.common;
    no_xlsx(&a.format)?;
    let inputs = draft::load_inputs(&a.catalog, &a.profile)?;
    let as_of = a.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let Some((reviews, report)) = cost_report(
        &inputs.catalog,
        &args.review,
        Some(&inputs.profile),
        as_of,
        None,
        None,
    )?
    else {
        return Ok(ExitCode::from(1));
    };
    let info = draft::draft_info(a.number.clone(), a.date);
    let templates = template_source(a.templates.clone())?;
    let composed = tthc::compose::phe_duyet::compose_phe_duyet(
        &inputs.catalog,
        &inputs.profile,
        &info,
        &reviews,
        &report,
        &templates,
    )?;
    print_warnings("draft", composed.warnings.iter().cloned());
    let title = "Quyết định phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ";
    let files = draft::render(&composed, &a.format, &a.out, "quyet-dinh-phe-duyet", title)?;
    let inputs_paths = [
        a.catalog.as_path(),
        a.profile.as_path(),
        args.review.as_path(),
    ];
    tthc::output::write_all(&files, a.force, &inputs_paths)?;
    for (p, bytes) in &files {
        println!("wrote {} ({} bytes)", p.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn draft_cong_bo(a: DraftArgs) -> Result<ExitCode> {
    no_xlsx(&a.format)?;
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
