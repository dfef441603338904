//! The progress chart as data (biểu đồ tiến độ): what each bar shows. Composers
//! build it from the figures; [`crate::render::chart`] draws it as a picture.

use serde::Serialize;

/// How a bar stands against its milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BarStatus {
    /// Due and reached (Đạt).
    Met,
    /// Due and not reached (Chưa đạt).
    NotMet,
    /// Not yet due (Chưa đến hạn).
    NotDue,
    /// No milestone for this figure.
    NoTarget,
}

/// One bar: a percentage with its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// What is measured ("Tỷ lệ TTHC đã rà soát").
    pub label: String,
    /// The figure, in percent.
    pub value_pct: f64,
    /// The value as printed ("71,64%").
    pub value_text: String,
    /// The milestone's target, in percent.
    pub target_pct: Option<f64>,
    /// How the figure stands.
    pub status: BarStatus,
}

/// A horizontal bar chart of percentages against targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressChart {
    /// Title above the bars.
    pub title: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Legend labels for Met, NotMet, NotDue and the target mark.
    pub legend: [String; 4],
}
