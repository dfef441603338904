//! The one model in the middle of the pipeline: procedures, catalogs, decision
//! metadata, issuer profiles and draft metadata. Serde types, JSON on disk
//! (TOML for profiles), validated with messages that name the JSON path.

mod catalog;
mod decision;
mod procedure;
mod profile;
pub mod review;
pub mod validate;

pub use catalog::{Catalog, DraftInfo};
pub use decision::{Decision, Signer};
pub use procedure::{
    Agency, ChangeKind, CopyKind, Dossier, DossierItem, Group, LegalRef, Level, Procedure,
    ProcessingTime, Source, Step, TimeUnit,
};
pub use profile::{
    Authority, LayoutOverrides, Profile, ReportProfile, SignerProfile, DEFAULT_REPORT_TO,
};

/// JSON Schema of catalog files, generated from the types.
pub fn catalog_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Catalog);
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}
