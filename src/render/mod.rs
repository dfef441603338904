//! Render: document tree → bytes. The writers carry out what the tree says and
//! decide nothing about wording or layout rules.

pub mod acroform;
pub mod chart;
pub mod docx;
pub mod pdf;
pub mod xlsx;
