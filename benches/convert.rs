//! Benchmark: `tthc convert` on legacy-encoded documents, process start to finish.
//!
//! 1. 500 generated DOCX of a few pages each (a decision: header block, grounds,
//!    articles, a table of steps, signature), typed in TCVN3 `.VnTime` with
//!    `.VnTimeH` headings, or in `VNI-Times`, or mixing both, with the TCVN3 ư
//!    both as U+00AD and as `<w:softHyphen/>`: DOCX/s and peak memory of
//!    `tthc convert DIR -o OUT --jobs 2`.
//! 2. The `.doc` path: 20 of them saved as `.doc` by LibreOffice, then, in the same
//!    run, `tthc convert` on those 20 against LibreOffice's own
//!    `soffice --headless --convert-to docx` of the same files (one call, a fresh
//!    private profile, as `tthc` uses).
//!
//! Run with `cargo bench --bench convert` (it uses `target/release/tthc`, so build
//! that first: `cargo build --release`). Peak memory is the child's VmHWM, sampled
//! from /proc while it runs (LibreOffice's own processes are not counted).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tthc::legacy::tables::{TCVN3, VNI};

mod common;
use common::{have, median, run_sampled, timed};

/// Files in the DOCX benchmark.
const DOCX_FILES: usize = 500;
/// Files in the `.doc` benchmark.
const DOC_FILES: usize = 20;
/// Timed runs of each command; the median is reported.
const RUNS: usize = 3;

/// CPU time (user + system) of this process's reaped children so far, from
/// /proc/self/stat (cutime, cstime; clock ticks of 1/100 s).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // fields after the ")" that closes the command name: state is field 3
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // cutime and cstime are fields 16 and 17, i.e. 13 and 14 after the state (field 3)
    let ticks = f.get(13).copied().unwrap_or(0) + f.get(14).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Wall time, CPU time (user + system, the process and its children) and peak
/// resident memory (KiB, VmHWM of the process itself) of a command.
fn timed_cpu(cmd: &mut Command) -> (Duration, Duration, u64) {
    let cpu0 = children_cpu();
    let (wall, peak, st) = run_sampled(cmd);
    assert!(st.success(), "command failed: {cmd:?}");
    (wall, children_cpu().saturating_sub(cpu0), peak)
}

/// The 1-minute load average (the machine is shared: other work slows the runs).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

/// A small deterministic generator (xorshift64*), so every run benchmarks the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const UNITS: [&str; 10] = [
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
];
const PROVINCES: [&str; 8] = [
    "Lào Cai",
    "Quảng Nam",
    "Thừa Thiên Huế",
    "Đắk Lắk",
    "Nghệ An",
    "Cà Mau",
    "Hải Dương",
    "Thái Bình",
];
const GROUNDS: [&str; 5] = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông;",
    "Căn cứ Thông tư số 02/2017/TT-VPCP ngày 31 tháng 10 năm 2017 hướng dẫn về nghiệp vụ kiểm soát thủ tục hành chính;",
    "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 125/TTr-STP ngày 14 tháng 3 năm 2005,",
];
const BODY: [&str; 10] = [
    "Cơ quan, đơn vị có trách nhiệm niêm yết công khai thủ tục hành chính tại nơi tiếp nhận hồ sơ.",
    "Trường hợp hồ sơ chưa đầy đủ, cán bộ tiếp nhận hướng dẫn tổ chức, cá nhân bổ sung, hoàn thiện hồ sơ theo quy định.",
    "Thời gian giải quyết được tính kể từ ngày nhận đủ hồ sơ hợp lệ; không tính thời gian bổ sung hồ sơ.",
    "Các cơ quan liên quan phối hợp chặt chẽ, bảo đảm giải quyết thủ tục đúng hạn, công khai, minh bạch.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh về Văn phòng Uỷ ban nhân dân tỉnh để tổng hợp, báo cáo.",
    "Kinh phí thực hiện được bố trí trong dự toán ngân sách hằng năm của cơ quan, đơn vị theo quy định hiện hành.",
    "Người đứng đầu cơ quan chịu trách nhiệm trước Chủ tịch Uỷ ban nhân dân tỉnh về kết quả giải quyết thủ tục hành chính.",
    "Hồ sơ quá hạn giải quyết phải có văn bản xin lỗi tổ chức, cá nhân và hẹn lại ngày trả kết quả.",
    "Việc thu phí, lệ phí thực hiện theo đúng mức thu đã được Hội đồng nhân dân tỉnh thông qua.",
    "Định kỳ hằng quý, các sở, ban, ngành tổng hợp tình hình, kết quả thực hiện gửi Sở Tư pháp để theo dõi.",
];
const STEPS: [&str; 6] = [
    "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ",
    "Chuyển hồ sơ đến phòng chuyên môn thụ lý",
    "Thẩm định hồ sơ, xác minh thực tế (nếu cần)",
    "Trình lãnh đạo Sở xem xét, ký duyệt",
    "Vào sổ, đóng dấu, phát hành văn bản",
    "Trả kết quả cho tổ chức, cá nhân",
];
const WHO: [&str; 5] = [
    "Bộ phận một cửa",
    "Chuyên viên thụ lý",
    "Lãnh đạo phòng",
    "Lãnh đạo Sở",
    "Văn thư",
];

/// Unicode → legacy surface, per encoding (built from the library's tables).
struct Encoders {
    tcvn3: HashMap<char, String>,
    vni: HashMap<char, String>,
}

impl Encoders {
    fn new() -> Self {
        let mut tcvn3 = HashMap::new();
        for (legacy, nfc, _) in TCVN3.iter() {
            if let Some(c) = nfc.chars().next() {
                tcvn3.entry(c).or_insert_with(|| legacy.to_string());
            }
        }
        let mut vni = HashMap::new();
        for (legacy, nfc) in VNI.iter() {
            if let Some(c) = nfc.chars().next() {
                vni.entry(c).or_insert_with(|| legacy.to_string());
            }
        }
        Encoders { tcvn3, vni }
    }

    /// TCVN3 has no capital toned letters: Word users typed the small letter.
    fn tcvn3(&self, s: &str) -> String {
        s.chars()
            .map(|c| {
                self.tcvn3.get(&c).cloned().unwrap_or_else(|| {
                    let low: String = c.to_lowercase().collect();
                    let l = low.chars().next().unwrap_or(c);
                    self.tcvn3.get(&l).cloned().unwrap_or_else(|| c.to_string())
                })
            })
            .collect()
    }

    fn vni(&self, s: &str) -> String {
        s.chars()
            .map(|c| self.vni.get(&c).cloned().unwrap_or_else(|| c.to_string()))
            .collect()
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Tcvn3,
    Vni,
    Mixed,
}

/// One run of text in a legacy font: TCVN3 ư as U+00AD or `<w:softHyphen/>`.
fn run(enc: &Encoders, text: &str, font: &str, bold: bool, soft_hyphen_elements: bool) -> String {
    let legacy = match font {
        "VNI-Times" => enc.vni(text),
        ".VnTimeH" => enc.tcvn3(&text.to_lowercase()),
        _ => enc.tcvn3(text),
    };
    let b = if bold { "<w:b/>" } else { "" };
    let inner = if soft_hyphen_elements && font.starts_with(".Vn") {
        legacy
            .split('\u{AD}')
            .map(|p| format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(p)))
            .collect::<Vec<_>>()
            .join("<w:softHyphen/>")
    } else {
        format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(&legacy))
    };
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\"/>{b}<w:sz w:val=\"26\"/></w:rPr>{inner}</w:r>"
    )
}

fn para(runs: &[String], center: bool) -> String {
    let jc = if center { "center" } else { "both" };
    format!(
        "<w:p><w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"{jc}\"/></w:pPr>{}</w:p>",
        runs.concat()
    )
}

/// The document.xml of one generated decision.
fn document(enc: &Encoders, rng: &mut Rng, i: usize) -> String {
    let style = match i % 3 {
        0 => Style::Tcvn3,
        1 => Style::Vni,
        _ => Style::Mixed,
    };
    let sh = i.is_multiple_of(2);
    let (body_font, head_font) = match style {
        Style::Vni => ("VNI-Times", "VNI-Times"),
        _ => (".VnTime", ".VnTimeH"),
    };
    let other = |rng: &mut Rng| {
        if style == Style::Mixed && rng.below(3) == 0 {
            "VNI-Times"
        } else {
            body_font
        }
    };
    let province = rng.pick(&PROVINCES);
    let unit = rng.pick(&UNITS);
    let mut b = String::new();
    b.push_str(&para(
        &[run(
            enc,
            &format!("Uỷ ban nhân dân tỉnh {province}"),
            head_font,
            true,
            sh,
        )],
        true,
    ));
    b.push_str(&para(
        &[run(
            enc,
            "Cộng hoà xã hội chủ nghĩa Việt Nam",
            head_font,
            true,
            sh,
        )],
        true,
    ));
    b.push_str(&para(
        &[run(enc, "Độc lập - Tự do - Hạnh phúc", body_font, true, sh)],
        true,
    ));
    b.push_str(&para(
        &[run(
            enc,
            &format!(
                "{province}, ngày {} tháng {} năm 2005",
                1 + rng.below(28),
                1 + rng.below(12)
            ),
            body_font,
            false,
            sh,
        )],
        true,
    ));
    b.push_str(&para(&[run(enc, "Quyết định", head_font, true, sh)], true));
    b.push_str(&para(
        &[run(
            enc,
            &format!("Về việc công bố thủ tục hành chính thuộc thẩm quyền giải quyết của {unit}"),
            body_font,
            true,
            sh,
        )],
        true,
    ));
    for g in GROUNDS {
        b.push_str(&para(&[run(enc, g, other(rng), false, sh)], false));
    }
    b.push_str(&para(&[run(enc, "Quyết định:", head_font, true, sh)], true));
    for art in 1..=6 {
        b.push_str(&para(
            &[
                run(enc, &format!("Điều {art}. "), body_font, true, sh),
                run(enc, rng.pick(&BODY), other(rng), false, sh),
            ],
            false,
        ));
        for _ in 0..(4 + rng.below(5)) {
            let mut text = String::new();
            for _ in 0..(2 + rng.below(3)) {
                text.push_str(rng.pick(&BODY));
                text.push(' ');
            }
            b.push_str(&para(
                &[run(enc, text.trim_end(), other(rng), false, sh)],
                false,
            ));
        }
        if art == 2 {
            b.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"9000\" w:type=\"dxa\"/></w:tblPr>");
            let header = ["Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian"];
            let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
            for (k, s) in STEPS.iter().enumerate() {
                rows.push(vec![
                    format!("B{}", k + 1),
                    s.to_string(),
                    rng.pick(&WHO).to_string(),
                    format!("{} ngày làm việc", 1 + rng.below(5)),
                ]);
            }
            for (r, row) in rows.iter().enumerate() {
                b.push_str("<w:tr>");
                for cell in row {
                    b.push_str("<w:tc><w:tcPr><w:tcW w:w=\"2250\" w:type=\"dxa\"/></w:tcPr>");
                    b.push_str(&para(&[run(enc, cell, other(rng), r == 0, sh)], false));
                    b.push_str("</w:tc>");
                }
                b.push_str("</w:tr>");
            }
            b.push_str("</w:tbl>");
        }
    }
    b.push_str(&para(
        &[run(enc, "TM. Uỷ ban nhân dân", head_font, true, sh)],
        true,
    ));
    b.push_str(&para(&[run(enc, "Chủ tịch", head_font, true, sh)], true));
    b.push_str(&para(
        &[run(enc, "Nguyễn Văn Thưởng", body_font, true, sh)],
        true,
    ));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:body>{b}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" \
         w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"720\" w:footer=\"720\" \
         w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

fn package(document: &str) -> Vec<u8> {
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\".VnTime\" w:hAnsi=\".VnTime\"/><w:sz w:val=\"26\"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style></w:styles>";
    let fonts = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:font w:name=\".VnTime\"><w:charset w:val=\"00\"/></w:font><w:font w:name=\".VnTimeH\"><w:charset w:val=\"00\"/></w:font><w:font w:name=\"VNI-Times\"><w:charset w:val=\"00\"/></w:font></w:fonts>";
    let files: [(&str, &str); 6] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
        ),
        (
            "word/_rels/document.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/></Relationships>",
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
        ("word/fontTable.xml", fonts),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(data.as_bytes()).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("mkdir");
    let enc = Encoders::new();
    let mut rng = Rng(0x7468_6321_2005_0001);
    (0..n)
        .map(|i| {
            let p = dir.join(format!("qd-{i:03}.docx"));
            std::fs::write(&p, package(&document(&enc, &mut rng, i))).expect("write");
            p
        })
        .collect()
}

fn count_ext(dir: &Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                .count()
        })
        .unwrap_or(0)
}

fn soffice(profile: &Path, to: &str, out: &Path, files: &[PathBuf]) -> Command {
    tthc::ingest::doc::soffice_command(Path::new("soffice"), profile, to, out, files)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = root.join("target/release/tthc");
    if !exe.exists() {
        eprintln!("build first: cargo build --release");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    // kept after the run (regenerated identically each time), for profiling by hand
    let src = std::env::temp_dir().join("tthc-bench-convert-docx");
    let _ = std::fs::remove_dir_all(&src);
    let t = Instant::now();
    let files = generate(&src, DOCX_FILES);
    let bytes: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "generated {DOCX_FILES} legacy DOCX in {} ({:.1} MB, {:.0} KB each) in {:.1} s",
        src.display(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / DOCX_FILES as f64,
        t.elapsed().as_secs_f64()
    );

    // 1. DOCX
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let mut peak = 0;
    let load_before = load();
    for k in 0..RUNS {
        let out = tmp.path().join(format!("out-docx-{k}"));
        let (d, cpu, m) = timed_cpu(
            Command::new(&exe)
                .arg("convert")
                .arg(&src)
                .arg("-o")
                .arg(&out)
                .args(["--jobs", "2"]),
        );
        assert_eq!(count_ext(&out, "docx"), DOCX_FILES, "all converted");
        times.push(d);
        cpus.push(cpu);
        peak = peak.max(m);
        let _ = std::fs::remove_dir_all(&out);
    }
    let d = median(times.clone());
    let cpu = median(cpus);
    println!("\n| measure | {DOCX_FILES} legacy DOCX, `tthc convert DIR -o OUT --jobs 2` |");
    println!("|---|---|");
    println!(
        "| wall time (median of {RUNS}; all: {}) | {:.2} s |",
        times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        d.as_secs_f64()
    );
    println!(
        "| throughput | {:.0} DOCX/s (target ≥ 300) |",
        DOCX_FILES as f64 / d.as_secs_f64()
    );
    println!(
        "| CPU time, user + system (median) | {:.2} s = {:.1} ms per DOCX; on 2 idle cores at most {:.0} DOCX/s |",
        cpu.as_secs_f64(),
        1000.0 * cpu.as_secs_f64() / DOCX_FILES as f64,
        2.0 * DOCX_FILES as f64 / cpu.as_secs_f64().max(1e-9)
    );
    println!(
        "| peak memory (VmHWM) | {:.1} MB (target < 100) |",
        peak as f64 / 1024.0
    );
    println!(
        "| load average (1 min) before / after | {load_before} / {} |",
        load()
    );

    // 2. .doc
    if !have("soffice") {
        println!("\nLibreOffice (soffice) not found: the .doc benchmark is skipped");
        return;
    }
    let docs_dir = tmp.path().join("doc");
    let picked: Vec<PathBuf> = files.iter().take(DOC_FILES).cloned().collect();
    let st = soffice(
        &tmp.path().join("profile-make"),
        "doc:MS Word 97",
        &docs_dir,
        &picked,
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .status();
    assert!(st.is_ok_and(|s| s.success()), "soffice --convert-to doc");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&docs_dir)
        .expect("doc dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "doc"))
        .collect();
    docs.sort();
    assert_eq!(docs.len(), DOC_FILES, "LibreOffice saved every .doc");
    let (mut ours, mut lo_fresh, mut lo_warm) = (Vec::new(), Vec::new(), Vec::new());
    let mut ours_peak = 0;
    let warm_profile = tmp.path().join("profile-warm");
    let _ = soffice(
        &warm_profile,
        "docx",
        &tmp.path().join("warmup"),
        &docs[..1],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .status();
    for k in 0..RUNS {
        let out = tmp.path().join(format!("out-doc-{k}"));
        let (d, m) = timed(
            Command::new(&exe)
                .arg("convert")
                .arg(&docs_dir)
                .arg("-o")
                .arg(&out)
                .args(["--jobs", "2"]),
        );
        assert_eq!(
            count_ext(&out, "docx"),
            DOC_FILES,
            "tthc converted every .doc"
        );
        ours.push(d);
        ours_peak = ours_peak.max(m);
        let lo_out = tmp.path().join(format!("lo-fresh-{k}"));
        let (d, _) = timed(&mut soffice(
            &tmp.path().join(format!("profile-fresh-{k}")),
            "docx",
            &lo_out,
            &docs,
        ));
        assert_eq!(count_ext(&lo_out, "docx"), DOC_FILES);
        lo_fresh.push(d);
        let lo_out = tmp.path().join(format!("lo-warm-{k}"));
        let (d, _) = timed(&mut soffice(&warm_profile, "docx", &lo_out, &docs));
        lo_warm.push(d);
    }
    let (o, f, w) = (median(ours), median(lo_fresh), median(lo_warm));
    println!("\n| {DOC_FILES} .doc files (median of {RUNS}) | time | tthc / this |");
    println!("|---|---|---|");
    println!(
        "| `tthc convert DIR -o OUT --jobs 2` (LibreOffice + conversion; tthc peak {:.1} MB) | {:.2} s | |",
        ours_peak as f64 / 1024.0,
        o.as_secs_f64()
    );
    println!(
        "| `soffice --headless --convert-to docx` (one call, fresh profile, as tthc) | {:.2} s | {:.2}× (target ≤ 1.2×) |",
        f.as_secs_f64(),
        o.as_secs_f64() / f.as_secs_f64()
    );
    println!(
        "| `soffice --headless --convert-to docx` (one call, warm profile) | {:.2} s | {:.2}× |",
        w.as_secs_f64(),
        o.as_secs_f64() / w.as_secs_f64()
    );
}
