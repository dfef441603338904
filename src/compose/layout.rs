//! Every Nghị định 30/2020/NĐ-CP number in one place: paper, margins, font
//! sizes and styles per element (Phụ lục I), indents, spacing and the widths of
//! the header and signature tables. Composers ask this module how an element
//! looks; renderers only carry out what the tree says.

use crate::doctree::{Align, Margins, Orientation, PageNumbering, PageSetup, ParaFormat, Run};
use crate::model::LayoutOverrides;

/// The font every document names (ND30: Times New Roman, TCVN 6909:2001).
pub const FONT: &str = "Times New Roman";

/// A4 width in mm.
pub const A4_WIDTH_MM: f32 = 210.0;
/// A4 height in mm.
pub const A4_HEIGHT_MM: f32 = 297.0;

/// Default margins (ND30 ranges: top/bottom 20–25, left 30–35, right 15–20 mm),
/// as in the official Phụ lục I/III files.
pub const DEFAULT_MARGINS: Margins = Margins {
    top: 25.0,
    bottom: 20.0,
    left: 35.0,
    right: 20.0,
};

/// The smallest margins ND30 allows (top/bottom 20, left 30, right 15 mm).
pub const MIN_MARGINS: Margins = Margins {
    top: 20.0,
    bottom: 20.0,
    left: 30.0,
    right: 15.0,
};

/// The largest margins ND30 allows (top/bottom 25, left 35, right 20 mm).
pub const MAX_MARGINS: Margins = Margins {
    top: 25.0,
    bottom: 25.0,
    left: 35.0,
    right: 20.0,
};

/// Distance of the header (page number) from the top edge, mm.
pub const HEADER_MM: f32 = 10.0;

/// First-line indent of body paragraphs: 1.27 cm.
pub const BODY_INDENT_MM: f32 = 12.7;

/// Space between body paragraphs, pt (ND30: at least 6 pt).
pub const BODY_SPACE_AFTER_PT: f32 = 6.0;

/// Line spacing of body text (ND30: single to 1.5 lines).
pub const BODY_LINE_SPACING: f32 = 1.1;

/// Page number size, pt (13–14).
pub const PAGE_NUMBER_PT: u8 = 14;

/// The header and signature tables extend this far into the left margin, mm
/// (the official Mẫu 1.2 grids are wider than the text block).
pub const TWO_COLUMN_INDENT_MM: f32 = -10.0;

/// Left column of the header and signature tables, mm.
pub const LEFT_COLUMN_MM: f32 = 68.0;

/// Indent of the items of a multi-line "Kính gửi:" block, mm: the items start under
/// the colon of a "Kính gửi:" centred on the text block.
pub const ADDRESSEE_ITEM_INDENT_MM: f32 = 62.0;

/// Height of the room left for the signature and seal between the signer's title
/// and name, pt: four single-spaced lines of 14 pt text, as drafted by hand.
pub const SIGNATURE_ROOM_PT: f32 = 4.0 * 14.0 * 1.15;

/// Width of the signature image a signing tool places in the room, mm. The image is
/// centred in the signer's column between title and name (ND30 Phụ lục I, II.7).
pub const SIGNATURE_IMAGE_WIDTH_MM: f32 = 45.0;

/// Diameter of the round seal image, mm (the seal is printed at its real size).
pub const SEAL_DIAMETER_MM: f32 = 36.0;

/// Share of the signature, from its left edge, that the seal covers (ND30 Điều 33:
/// "trùm lên khoảng 1/3 chữ ký về phía bên trái").
pub const SEAL_OVERLAP: f32 = 1.0 / 3.0;

/// A rectangle on a page in points, origin at the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectPt {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

/// Where the signature field goes, given the blank room of a signer (the full width of
/// the signer's column between title and name): the signature image centred in the
/// room, the seal centred on the room's middle line with its right edge a third of
/// the way into the signature, and the field the smallest rectangle holding both.
pub fn signature_field(room: RectPt) -> RectPt {
    const PT_PER_MM: f32 = 72.0 / 25.4;
    let sig_w = SIGNATURE_IMAGE_WIDTH_MM * PT_PER_MM;
    let seal = SEAL_DIAMETER_MM * PT_PER_MM;
    let centre_x = (room.left + room.right) / 2.0;
    let centre_y = (room.top + room.bottom) / 2.0;
    let sig_left = centre_x - sig_w / 2.0;
    let seal_left = sig_left + SEAL_OVERLAP * sig_w - seal;
    let half_h = ((room.bottom - room.top).max(seal)) / 2.0;
    RectPt {
        left: seal_left.min(sig_left).max(room.left),
        top: centre_y - half_h,
        right: centre_x + sig_w / 2.0,
        bottom: centre_y + half_h,
    }
}

/// Page set-up for a portrait A4 section with the given overrides.
pub fn portrait(over: &LayoutOverrides) -> PageSetup {
    PageSetup {
        width_mm: A4_WIDTH_MM,
        height_mm: A4_HEIGHT_MM,
        orientation: Orientation::Portrait,
        margins: margins(over),
        header_mm: HEADER_MM,
    }
}

/// Page set-up for a landscape A4 section (annex tables): the long edge across,
/// the binding margin on the top edge as when the sheet is turned.
pub fn landscape(over: &LayoutOverrides) -> PageSetup {
    let m = margins(over);
    PageSetup {
        width_mm: A4_HEIGHT_MM,
        height_mm: A4_WIDTH_MM,
        orientation: Orientation::Landscape,
        margins: Margins {
            top: m.left.min(30.0),
            bottom: m.right,
            left: m.top,
            right: m.bottom,
        },
        header_mm: HEADER_MM,
    }
}

fn margins(over: &LayoutOverrides) -> Margins {
    Margins {
        top: over.margin_top_mm.unwrap_or(DEFAULT_MARGINS.top),
        bottom: over.margin_bottom_mm.unwrap_or(DEFAULT_MARGINS.bottom),
        left: over.margin_left_mm.unwrap_or(DEFAULT_MARGINS.left),
        right: over.margin_right_mm.unwrap_or(DEFAULT_MARGINS.right),
    }
}

/// Page numbering of a section: numbers top centre, hidden on the first page
/// of a document or annex, restarted for an annex.
pub fn numbering(restart: bool) -> PageNumbering {
    PageNumbering {
        show: true,
        hide_on_first: restart,
        restart_at: if restart { Some(1) } else { None },
        size_pt: PAGE_NUMBER_PT,
    }
}

/// The elements of an administrative document, each with its ND30 look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Tên cơ quan chủ quản: UPPER, 12–13 pt, upright, not bold.
    ParentBody,
    /// Tên cơ quan ban hành: UPPER, 12–13 pt, bold.
    IssuingBody,
    /// Số, ký hiệu: 13 pt.
    Number,
    /// Quốc hiệu: UPPER, 12–13 pt, bold.
    Nation,
    /// Tiêu ngữ: 13–14 pt, bold.
    Motto,
    /// Địa danh, thời gian: 13–14 pt, italic.
    Dateline,
    /// Tên loại (QUYẾT ĐỊNH, BÁO CÁO): UPPER, 13–14 pt, bold, centred.
    DocType,
    /// Trích yếu: 13–14 pt, bold, centred.
    Subject,
    /// Thẩm quyền ban hành line: UPPER, 13–14 pt, bold, centred.
    AuthorityLine,
    /// Căn cứ: 13–14 pt, italic, indented.
    Ground,
    /// Body paragraph: 13–14 pt, justified, first-line indent.
    Body,
    /// A centred bold line ("QUYẾT ĐỊNH:", "Phần I", part titles).
    Heading,
    /// A bold heading inside the body, justified with the body indent.
    BodyHeading,
    /// "Kính gửi:" line of reports (ô 9a): 14 pt, centred.
    Addressee,
    /// One of several addressees, "- …;" aligned under the colon of "Kính gửi:".
    AddresseeItem,
    /// "Nơi nhận:": 12 pt, bold italic.
    RecipientsLabel,
    /// Nơi nhận items: 11 pt.
    Recipient,
    /// Quyền hạn and chức vụ of the signer: UPPER, 13–14 pt, bold.
    SignerAuthority,
    /// Họ tên of the signer: 13–14 pt, bold.
    SignerName,
    /// "Phụ lục" label: 14 pt, bold, centred.
    AnnexLabel,
    /// Annex title: UPPER, 13–14 pt, bold, centred.
    AnnexTitle,
    /// "(Kèm theo Quyết định số …)": 13–14 pt, italic, centred.
    AnnexRef,
    /// Table header cell: 13 pt, bold, centred.
    TableHead,
    /// Table cell: 13 pt.
    TableCell,
    /// Group row inside a table (A, B, I, II …): 13 pt, bold.
    TableGroup,
    /// A small note (chart captions, source lines): 12 pt, italic.
    Note,
}

/// Font size in points of an element.
pub fn size_pt(role: Role) -> f32 {
    use Role::*;
    match role {
        ParentBody | IssuingBody | Nation | RecipientsLabel | Note => 12.0,
        Number | Motto | Dateline | TableHead | TableCell | TableGroup => 13.0,
        Recipient => 11.0,
        DocType | Subject | AuthorityLine | Ground | Body | Heading | BodyHeading | Addressee
        | AddresseeItem | SignerAuthority | SignerName | AnnexLabel | AnnexTitle | AnnexRef => 14.0,
    }
}

/// A run of text styled as the element requires (bold, italic, size).
pub fn run(role: Role, text: &str) -> Run {
    use Role::*;
    let bold = matches!(
        role,
        IssuingBody
            | Nation
            | Motto
            | DocType
            | Subject
            | AuthorityLine
            | Heading
            | BodyHeading
            | RecipientsLabel
            | SignerAuthority
            | SignerName
            | AnnexLabel
            | AnnexTitle
            | TableHead
            | TableGroup
    );
    let italic = matches!(role, Dateline | Ground | RecipientsLabel | AnnexRef | Note);
    let text = match role {
        ParentBody | IssuingBody | Nation | DocType | AuthorityLine | SignerAuthority
        | AnnexTitle => crate::text::upper(text),
        _ => text.to_string(),
    };
    Run {
        text,
        bold,
        italic,
        underline: false,
        size_pt: Some(size_pt(role)),
        font: None,
    }
}

/// Paragraph format of an element.
pub fn para(role: Role) -> ParaFormat {
    use Role::*;
    let centred = ParaFormat {
        align: Align::Center,
        first_line_indent_mm: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_spacing: 1.0,
        keep_with_next: false,
    };
    match role {
        Body | Ground => ParaFormat {
            align: Align::Justify,
            first_line_indent_mm: BODY_INDENT_MM,
            space_before_pt: 0.0,
            space_after_pt: BODY_SPACE_AFTER_PT,
            line_spacing: BODY_LINE_SPACING,
            keep_with_next: false,
        },
        BodyHeading => ParaFormat {
            align: Align::Justify,
            first_line_indent_mm: BODY_INDENT_MM,
            space_before_pt: 6.0,
            space_after_pt: BODY_SPACE_AFTER_PT,
            line_spacing: BODY_LINE_SPACING,
            keep_with_next: true,
        },
        DocType => ParaFormat {
            space_before_pt: 18.0,
            keep_with_next: true,
            ..centred
        },
        Subject => ParaFormat {
            keep_with_next: true,
            ..centred
        },
        AuthorityLine => ParaFormat {
            space_before_pt: 12.0,
            space_after_pt: 12.0,
            keep_with_next: true,
            ..centred
        },
        Heading => ParaFormat {
            space_before_pt: 6.0,
            space_after_pt: 6.0,
            keep_with_next: true,
            ..centred
        },
        Addressee => ParaFormat {
            space_before_pt: 6.0,
            space_after_pt: 6.0,
            ..centred
        },
        AddresseeItem => ParaFormat {
            align: Align::Left,
            first_line_indent_mm: ADDRESSEE_ITEM_INDENT_MM,
            space_after_pt: 3.0,
            ..centred
        },
        AnnexLabel => ParaFormat {
            keep_with_next: true,
            ..centred
        },
        AnnexTitle => ParaFormat {
            keep_with_next: true,
            ..centred
        },
        AnnexRef => ParaFormat {
            space_after_pt: 0.0,
            keep_with_next: true,
            ..centred
        },
        RecipientsLabel | Recipient => ParaFormat {
            align: Align::Left,
            ..centred
        },
        SignerAuthority | SignerName => centred,
        TableHead | TableGroup => ParaFormat {
            space_before_pt: 2.0,
            space_after_pt: 2.0,
            ..centred
        },
        TableCell | Note => ParaFormat {
            align: Align::Left,
            space_before_pt: 2.0,
            space_after_pt: 2.0,
            ..centred
        },
        ParentBody | IssuingBody | Number | Nation | Motto | Dateline => centred,
    }
}

/// Estimated printed width of a text in mm (Times metrics, rounded), used to size
/// the rules under the motto and the body name.
pub fn text_width_mm(text: &str, size_pt: f32, bold: bool) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| {
            if c == ' ' {
                0.25
            } else if c.is_uppercase() {
                if bold {
                    0.72
                } else {
                    0.68
                }
            } else if c.is_alphanumeric() {
                if bold {
                    0.5
                } else {
                    0.46
                }
            } else {
                0.33
            }
        })
        .sum();
    em * size_pt * 0.3528
}

/// Rule under the Tiêu ngữ: as long as the motto line.
pub fn motto_rule_mm(motto: &str) -> f32 {
    text_width_mm(motto, size_pt(Role::Motto), true)
}

/// Rule under the issuing body and under the trích yếu: 1/3–1/2 of the line (we take 40%).
pub fn short_rule_mm(line: &str, size: f32, max_mm: f32) -> f32 {
    (text_width_mm(line, size, true) * 0.4).clamp(15.0, max_mm * 0.5)
}

/// Thickness of the rules, pt.
pub const RULE_PT: f32 = 0.75;
