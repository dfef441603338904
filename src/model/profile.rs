//! The issuer profile (TOML): who issues and signs, standard căn cứ and recipients.

use serde::{Deserialize, Serialize};

/// Signing authority (quyền hạn ký, ND30 Phụ lục I mục II.7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// The head signs personally: only the title ("CHỦ TỊCH").
    #[default]
    Personal,
    /// TM. (thay mặt) a collective body.
    Tm,
    /// KT. (ký thay) the head.
    Kt,
    /// TL. (thừa lệnh) the head.
    Tl,
    /// TUQ. (thừa ủy quyền) the head.
    Tuq,
    /// Q. (quyền) acting head.
    Q,
}

impl Authority {
    /// The prefix as printed ("KT."), empty for a personal signature.
    pub fn prefix(self) -> &'static str {
        match self {
            Authority::Personal => "",
            Authority::Tm => "TM.",
            Authority::Kt => "KT.",
            Authority::Tl => "TL.",
            Authority::Tuq => "TUQ.",
            Authority::Q => "Q.",
        }
    }
}

/// Who signs (ô 7a, 7b).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignerProfile {
    /// Quyền hạn: personal, tm, kt, tl, tuq or q.
    #[serde(default)]
    pub authority: Authority,
    /// For tm: the collective ("ỦY BAN NHÂN DÂN"); for kt, tl, tuq: the head's title ("CHỦ TỊCH").
    #[serde(default)]
    pub on_behalf_of: String,
    /// Chức vụ of the signer ("PHÓ CHỦ TỊCH").
    pub title: String,
    /// Họ và tên, without academic titles.
    pub name: String,
    /// For a head signing in the name of the collective as well (a report of a
    /// People's Committee): the collective, printed first as "TM. ỦY BAN NHÂN DÂN".
    #[serde(default)]
    pub collective: String,
}

impl SignerProfile {
    /// The upper-case lines above the signature: e.g. ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"].
    pub fn authority_lines(&self) -> Vec<String> {
        let title = self.title.trim().to_uppercase();
        let mut lines = Vec::new();
        let collective = self.collective.trim();
        if !collective.is_empty() && self.authority != Authority::Tm {
            lines.push(format!("TM. {}", collective.to_uppercase()));
        }
        match self.authority {
            Authority::Personal => lines.push(title),
            Authority::Q => lines.push(format!("Q. {title}")),
            a => {
                lines.push(format!(
                    "{} {}",
                    a.prefix(),
                    self.on_behalf_of.trim().to_uppercase()
                ));
                lines.push(title);
            }
        }
        lines
    }
}

/// Page margins a profile may set, in mm, within the ND30 ranges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutOverrides {
    /// Top margin, 20–25 mm.
    pub margin_top_mm: Option<f32>,
    /// Bottom margin, 20–25 mm.
    pub margin_bottom_mm: Option<f32>,
    /// Left margin, 30–35 mm.
    pub margin_left_mm: Option<f32>,
    /// Right margin, 15–20 mm.
    pub margin_right_mm: Option<f32>,
}

/// The issuer profile (hồ sơ cơ quan ban hành), read from TOML.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Tên cơ quan chủ quản trực tiếp (optional), one entry per printed line.
    #[serde(default)]
    pub parent_body: Vec<String>,
    /// Tên cơ quan ban hành, one entry per printed line: ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"].
    pub issuing_body: Vec<String>,
    /// The issuing body's name in running text ("Ủy ban nhân dân tỉnh Lào Cai").
    pub body_name: String,
    /// Địa danh on the date line ("Lào Cai").
    pub place: String,
    /// Ký hiệu of decisions ("QĐ-UBND").
    pub symbol: String,
    /// Thẩm quyền ban hành line ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI").
    pub authority_line: String,
    /// The issuing authority in running text, for annex headings
    /// ("Chủ tịch Ủy ban nhân dân tỉnh Lào Cai"); the body name when empty.
    #[serde(default)]
    pub authority_name: String,
    /// Who signs.
    pub signer: SignerProfile,
    /// Standard căn cứ lines, without the trailing ";" or ".".
    #[serde(default)]
    pub legal_grounds: Vec<String>,
    /// Proposing official or unit ("Giám đốc Sở Lao động - Thương binh và Xã hội").
    #[serde(default)]
    pub proposer: String,
    /// Executors named in the last article ("Chánh Văn phòng Ủy ban nhân dân tỉnh, …").
    #[serde(default)]
    pub executors: String,
    /// Standard recipients, without the leading "- " and trailing ";".
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Archive line units: "VT, KSTT" gives "- Lưu: VT, KSTT.".
    #[serde(default)]
    pub archive: String,
    /// Earlier decisions this one replaces (Điều 2), if any.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Margins within the ND30 ranges.
    #[serde(default)]
    pub layout: LayoutOverrides,
    /// What differs for the progress report (báo cáo).
    #[serde(default)]
    pub report: ReportProfile,
    /// Value of one hour of an official's time for the TT 02/2017 cost method, dated and
    /// with its source; a review file's own value takes precedence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_value: Option<super::review::HourlyValue>,
}

/// Settings of the Báo cáo kết quả rà soát, đơn giản hóa (ND30 Mẫu 1.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportProfile {
    /// Kính gửi (ô 9a): the bodies the report goes up to; default
    /// "Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính)".
    #[serde(default)]
    pub to: Vec<String>,
    /// Ký hiệu of reports; default: the decision ký hiệu with its first part
    /// replaced by "BC" ("QĐ-UBND" → "BC-UBND").
    #[serde(default)]
    pub symbol: String,
    /// Further recipients under "Nơi nhận:" after "Như trên".
    #[serde(default)]
    pub copies: Vec<String>,
    /// Who signs the report, when not the decision's signer.
    #[serde(default)]
    pub signer: Option<SignerProfile>,
}

/// Kính gửi when the profile names none.
pub const DEFAULT_REPORT_TO: &str = "Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính)";

impl Profile {
    /// Ký hiệu of reports: `report.symbol`, or "BC-" + the decision symbol after its first part.
    pub fn report_symbol(&self) -> String {
        let own = self.report.symbol.trim();
        if !own.is_empty() {
            return own.to_string();
        }
        match self.symbol.split_once('-') {
            Some((_, rest)) => format!("BC-{rest}"),
            None => "BC".to_string(),
        }
    }
}
