//! # tthc
//!
//! Inventory, publish and simplify Vietnamese internal administrative procedures
//! (thủ tục hành chính nội bộ). The pipeline keeps one model in the middle:
//!
//! ```text
//! ingest (DOCX, .doc, legacy text) ─> doctree ─> extract ─> model::Catalog
//!      model + templates ─> compose ─> doctree ─> render::{docx, pdf}
//! ```
//!
//! Readers never see writers; both meet at [`doctree`] and [`model`].

pub mod batch;
pub mod chart;
pub mod compose;
pub mod cost;
pub mod doctree;
pub mod draft;
pub mod extract;
pub mod ingest;
pub mod jobs;
pub mod legacy;
pub mod model;
pub mod output;
pub mod render;
pub mod text;
