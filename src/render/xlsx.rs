//! Spreadsheet writer for the statistics of a report (biểu số liệu): offices keep
//! these figures in Excel. Numbers are written as numbers (money in whole đồng,
//! ratios as fractions with a percent format), so the sheet can be summed and
//! charted; Excel shows them with the user's own separators.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::cost::{CostReport, Metrics};

/// Errors of the spreadsheet writer.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the spreadsheet: {0}")]
pub struct XlsxWriteError(#[from] XlsxError);

struct Styles {
    head: Format,
    text: Format,
    count: Format,
    money: Format,
    pct: Format,
    bold_text: Format,
    bold_count: Format,
    bold_money: Format,
    bold_pct: Format,
}

fn styles() -> Styles {
    let base = Format::new()
        .set_font_name(crate::compose::layout::FONT)
        .set_font_size(12)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let head = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let text = base.clone().set_text_wrap();
    let count = base.clone().set_num_format("0");
    let money = base.clone().set_num_format("#,##0");
    let pct = base.clone().set_num_format("0.00%");
    Styles {
        bold_text: text.clone().set_bold(),
        bold_count: count.clone().set_bold(),
        bold_money: money.clone().set_bold(),
        bold_pct: pct.clone().set_bold(),
        head,
        text,
        count,
        money,
        pct,
    }
}

const METRIC_HEAD: [&str; 12] = [
    "Số TTHC",
    "Đã rà soát",
    "Tỷ lệ rà soát",
    "Có phương án được phê duyệt",
    "Tỷ lệ có phương án",
    "Đã thực thi",
    "Số TTHC cắt giảm",
    "Tỷ lệ cắt giảm số TTHC",
    "Chi phí trước (đồng/năm)",
    "Chi phí sau (đồng/năm)",
    "Chi phí tiết kiệm (đồng/năm)",
    "Tỷ lệ cắt giảm chi phí",
];

fn metric_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    m: &Metrics,
    s: &Styles,
    bold: bool,
) -> Result<(), XlsxError> {
    let (count, money, pct) = if bold {
        (&s.bold_count, &s.bold_money, &s.bold_pct)
    } else {
        (&s.count, &s.money, &s.pct)
    };
    let values: [(f64, &Format); 12] = [
        (m.published_total as f64, count),
        (m.reviewed as f64, count),
        (m.reviewed_pct / 100.0, pct),
        (m.plans_approved as f64, count),
        (m.approved_pct / 100.0, pct),
        (m.implemented as f64, count),
        (m.count_reduced as f64, count),
        (m.ratio_count_pct / 100.0, pct),
        (m.cost.before.round(), money),
        (m.cost.after.round(), money),
        (m.cost.saving.round(), money),
        (m.ratio_cost_pct() / 100.0, pct),
    ];
    for (i, (v, f)) in values.iter().enumerate() {
        ws.write_number_with_format(row, col + i as u16, *v, f)?;
    }
    Ok(())
}

/// A header row with its column widths.
fn header(
    ws: &mut Worksheet,
    row: u32,
    heads: &[&str],
    widths: &[f64],
    s: &Styles,
) -> Result<(), XlsxError> {
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &s.head)?;
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    Ok(())
}

fn breakdown_sheet(
    wb: &mut Workbook,
    name: &str,
    first: &str,
    rows: &[(String, &Metrics)],
    total: &Metrics,
    s: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    let mut heads = vec!["STT", first];
    heads.extend(METRIC_HEAD);
    let mut widths = vec![5.0, 40.0];
    widths.extend([14.0; METRIC_HEAD.len()]);
    header(ws, 0, &heads, &widths, s)?;
    ws.set_freeze_panes(1, 2)?;
    for (i, (label, m)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &s.count)?;
        ws.write_string_with_format(r, 1, label, &s.text)?;
        metric_cells(ws, r, 2, m, s, false)?;
    }
    let r = 1 + rows.len() as u32;
    ws.write_string_with_format(r, 0, "", &s.bold_text)?;
    ws.write_string_with_format(r, 1, "Tổng cộng", &s.bold_text)?;
    metric_cells(ws, r, 2, total, s, true)?;
    Ok(())
}

/// The statistics of a report as an .xlsx workbook: the milestones, the figures by
/// sector and by agency, and one row per procedure.
pub fn write_report_xlsx(report: &CostReport) -> Result<Vec<u8>, XlsxWriteError> {
    let s = styles();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Chỉ tiêu")?;
        ws.write_string_with_format(
            0,
            0,
            format!(
                "Kết quả so với mục tiêu, tính đến ngày {}",
                report.as_of.format("%d/%m/%Y")
            ),
            &s.bold_text,
        )?;
        let head = [
            "STT",
            "Chỉ tiêu",
            "Thời hạn",
            "Mục tiêu",
            "Kết quả",
            "Đánh giá",
        ];
        for (i, h) in head.iter().enumerate() {
            ws.write_string_with_format(2, i as u16, *h, &s.head)?;
        }
        ws.set_column_width(0, 5)?;
        ws.set_column_width(1, 45)?;
        ws.set_column_width(2, 12)?;
        ws.set_column_width(3, 12)?;
        ws.set_column_width(4, 12)?;
        ws.set_column_width(5, 14)?;
        for (i, a) in report.assessments.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_number_with_format(r, 0, (i + 1) as f64, &s.count)?;
            ws.write_string_with_format(r, 1, a.milestone.metric.label(), &s.text)?;
            ws.write_string_with_format(
                r,
                2,
                a.milestone.date.format("%d/%m/%Y").to_string(),
                &s.text,
            )?;
            ws.write_number_with_format(r, 3, a.milestone.target / 100.0, &s.pct)?;
            ws.write_number_with_format(r, 4, a.value / 100.0, &s.pct)?;
            ws.write_string_with_format(r, 5, &a.label, &s.text)?;
        }
    }
    let sectors: Vec<(String, &Metrics)> = report
        .by_sector
        .iter()
        .map(|x| (x.sector.clone(), &x.metrics))
        .collect();
    breakdown_sheet(
        &mut wb,
        "Theo lĩnh vực",
        "Lĩnh vực",
        &sectors,
        &report.overall,
        &s,
    )?;
    let agencies: Vec<(String, &Metrics)> = report
        .by_agency
        .iter()
        .map(|x| (x.agency.clone(), &x.metrics))
        .collect();
    breakdown_sheet(
        &mut wb,
        "Theo cơ quan",
        "Cơ quan thực hiện",
        &agencies,
        &report.overall,
        &s,
    )?;
    {
        let ws = wb.add_worksheet();
        ws.set_name("Chi tiết TTHC")?;
        header(
            ws,
            0,
            &[
                "STT",
                "Mã",
                "Tên thủ tục hành chính nội bộ",
                "Lĩnh vực",
                "Cơ quan thực hiện",
                "Tình trạng",
                "Chi phí trước (đồng/năm)",
                "Chi phí sau (đồng/năm)",
                "Chi phí tiết kiệm (đồng/năm)",
                "Tỷ lệ cắt giảm chi phí",
            ],
            &[5.0, 12.0, 50.0, 24.0, 30.0, 22.0, 16.0, 16.0, 16.0, 12.0],
            &s,
        )?;
        ws.set_freeze_panes(1, 3)?;
        for (i, p) in report.procedures.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number_with_format(r, 0, (i + 1) as f64, &s.count)?;
            ws.write_string_with_format(r, 1, &p.procedure_id, &s.text)?;
            ws.write_string_with_format(r, 2, &p.name, &s.text)?;
            ws.write_string_with_format(r, 3, &p.sector, &s.text)?;
            ws.write_string_with_format(r, 4, &p.agency, &s.text)?;
            ws.write_string_with_format(r, 5, p.status.label(), &s.text)?;
            if let Some(c) = &p.cost {
                ws.write_number_with_format(r, 6, c.before.yearly.round(), &s.money)?;
                ws.write_number_with_format(r, 7, c.after.yearly.round(), &s.money)?;
                ws.write_number_with_format(r, 8, c.saving.round(), &s.money)?;
                if let Some(pct) = c.ratio_pct {
                    ws.write_number_with_format(r, 9, pct / 100.0, &s.pct)?;
                } else {
                    ws.write_string_with_format(r, 9, "", &s.text)?;
                }
            } else {
                for c in 6..10 {
                    ws.write_string_with_format(r, c, "", &s.text)?;
                }
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}
