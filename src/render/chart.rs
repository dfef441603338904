//! Draw a [`ProgressChart`] as a PNG picture with typst (same embedded fonts as the
//! PDF), so that the same image goes into the DOCX and the PDF.

use std::fmt::Write as _;

use super::pdf::{compile, string_literal, PdfError, PDF_FONT};
use crate::chart::{BarStatus, ProgressChart};

/// Width of the picture, mm (fits the portrait text block).
pub const CHART_WIDTH_MM: f32 = 150.0;

/// Resolution of the picture, dots per inch.
pub const CHART_DPI: f32 = 200.0;

const LABEL_MM: f32 = 58.0;
const BAR_MM: f32 = 70.0;
const VALUE_MM: f32 = 14.0;
const BAR_HEIGHT_MM: f32 = 6.0;

fn colour(s: BarStatus) -> &'static str {
    match s {
        BarStatus::Met => "rgb(\"#2e7d32\")",
        BarStatus::NotMet => "rgb(\"#c62828\")",
        BarStatus::NotDue => "rgb(\"#1565c0\")",
        BarStatus::NoTarget => "luma(120)",
    }
}

/// The typst source of the chart (exposed for tests and debugging).
pub fn chart_source(chart: &ProgressChart) -> String {
    let mut s = String::with_capacity(4096);
    let _ = writeln!(
        s,
        "#set page(width: {CHART_WIDTH_MM}mm, height: auto, margin: 4mm, fill: white)\n#set text(font: \"{PDF_FONT}\", size: 10pt, lang: \"vi\", hyphenate: false)"
    );
    s.push_str("#align(center, text(weight: \"bold\", size: 11pt, ");
    string_literal(&chart.title, &mut s);
    s.push_str("))\n#v(2mm)\n");
    let _ = writeln!(
        s,
        "#grid(columns: ({LABEL_MM}mm, {BAR_MM}mm, {VALUE_MM}mm), column-gutter: 2mm, row-gutter: 3mm, align: (right + horizon, left + horizon, left + horizon),"
    );
    for b in &chart.bars {
        string_literal(&b.label, &mut s);
        s.push_str(", ");
        let frac = (b.value_pct / 100.0).clamp(0.0, 1.0) as f32;
        let _ = write!(
            s,
            "box(width: {BAR_MM}mm, height: {BAR_HEIGHT_MM}mm, {{ place(rect(width: 100%, height: 100%, fill: luma(232), stroke: none)); place(rect(width: {:.3}mm, height: 100%, fill: {}, stroke: none));",
            frac * BAR_MM,
            colour(b.status)
        );
        if let Some(t) = b.target_pct {
            let x = (t / 100.0).clamp(0.0, 1.0) as f32 * BAR_MM;
            let _ = write!(
                s,
                " place(dx: {x:.3}mm, dy: -1mm, line(start: (0pt, 0pt), end: (0pt, {}mm), stroke: 1.2pt + black));",
                BAR_HEIGHT_MM + 2.0
            );
        }
        s.push_str(" }), text(weight: \"bold\", ");
        string_literal(&b.value_text, &mut s);
        s.push_str("),\n");
    }
    // The scale under the bars.
    s.push_str("[], box(width: 100%, {");
    for k in 0..=5 {
        let x = k as f32 * BAR_MM / 5.0;
        let _ = write!(
            s,
            " place(dx: {x:.3}mm - 4mm, box(width: 8mm, align(center, text(size: 8pt, \"{}%\"))));",
            k * 20
        );
    }
    s.push_str(" v(4mm) }), [],\n)\n#v(2mm)\n#align(center, text(size: 9pt, [");
    let swatches = [BarStatus::Met, BarStatus::NotMet, BarStatus::NotDue];
    for (st, label) in swatches.iter().zip(chart.legend.iter()) {
        let _ = write!(
            s,
            "#box(rect(width: 3mm, height: 3mm, fill: {}, stroke: none)) #",
            colour(*st)
        );
        string_literal(label, &mut s);
        s.push_str(" #h(4mm) ");
    }
    s.push_str("#box(line(start: (0pt, -1mm), end: (0pt, 3mm), stroke: 1.2pt + black)) #");
    string_literal(&chart.legend[3], &mut s);
    s.push_str("]))\n");
    s
}

/// The chart as PNG bytes and its printed size (width, height) in mm.
pub fn chart_png(chart: &ProgressChart) -> Result<(Vec<u8>, f32, f32), PdfError> {
    let paged = compile(chart_source(chart), Vec::new())?;
    let page = paged
        .pages()
        .first()
        .ok_or_else(|| PdfError::Layout("the chart has no page".into()))?;
    let opts = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(CHART_DPI) / 72.0),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &opts);
    let png = pixmap
        .encode_png()
        .map_err(|e| PdfError::Export(format!("chart PNG: {e}")))?;
    let size = page.frame.size();
    let to_mm = |pt: f64| (pt * 25.4 / 72.0) as f32;
    Ok((png, to_mm(size.x.to_pt()), to_mm(size.y.to_pt())))
}
