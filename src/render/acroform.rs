//! Signature fields for PDF signing tools: an empty AcroForm /Sig widget per signer,
//! appended to the exported PDF as an incremental update (ISO 32000-1 §7.5.6), so the
//! bytes typst wrote stay as they are and a signing tool can sign the field in place.

use lopdf::{dictionary, Document, IncrementalDocument, Object, ObjectId, StringFormat};

use super::pdf::SignatureField;

/// Errors of adding the fields.
#[derive(Debug, thiserror::Error)]
pub enum AcroFormError {
    /// The PDF could not be parsed or written.
    #[error("{0}")]
    Pdf(#[from] lopdf::Error),
    /// Writing the update failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A field names a page the PDF does not have.
    #[error("the PDF has no page {0}")]
    NoPage(usize),
}

/// A PDF text string: ASCII as it is, anything else UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Hexadecimal)
    }
}

/// Add one empty signature field per entry of `fields`, with its widget on the given
/// page at the given rectangle; `tooltips` (same order) become each field's /TU.
pub fn add_signature_fields_with(
    pdf: Vec<u8>,
    fields: &[SignatureField],
    tooltips: &[String],
) -> Result<Vec<u8>, AcroFormError> {
    let prev = Document::load_mem(&pdf)?;
    let pages = prev.get_pages();
    let root: ObjectId = prev.trailer.get(b"Root")?.as_reference()?;
    let mut inc = IncrementalDocument::create_from(pdf, prev);
    let mut refs = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let page_id = *pages
            .get(&(f.page as u32))
            .ok_or(AcroFormError::NoPage(f.page))?;
        let mut widget = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "FT" => "Sig",
            "T" => text_string(&f.field),
            "Rect" => f.rect.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
            "F" => 4,
            "P" => page_id,
        };
        if let Some(tip) = tooltips.get(i).filter(|t| !t.is_empty()) {
            widget.set("TU", text_string(tip));
        }
        let id = inc.new_document.add_object(widget);
        inc.opt_clone_object_to_new_document(page_id)?;
        let page = inc.new_document.get_object_mut(page_id)?.as_dict_mut()?;
        match page.get_mut(b"Annots") {
            Ok(Object::Array(list)) => list.push(Object::Reference(id)),
            _ => page.set("Annots", vec![Object::Reference(id)]),
        }
        refs.push(Object::Reference(id));
    }
    let form = inc
        .new_document
        .add_object(dictionary! { "Fields" => refs });
    inc.opt_clone_object_to_new_document(root)?;
    inc.new_document
        .get_object_mut(root)?
        .as_dict_mut()?
        .set("AcroForm", form);
    let mut out = Vec::with_capacity(inc.get_prev_documents_bytes().len() + 4096);
    inc.save_to(&mut out)?;
    Ok(out)
}
