//! What the Graph API answers, beyond the send types of
//! `hourglass_whatsapp::send`: media descriptions, the business phone
//! number, template pages. Unknown fields are ignored; Meta adds them often.

use hourglass_whatsapp::template::Template;
use serde::{Deserialize, Serialize};

/// `GET /{media-id}`: where to download a file. The URL stops working five
/// minutes after it was issued, so download right away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaInfo {
    pub id: String,
    pub url: String,
    pub mime_type: String,
    /// Lowercase hex SHA-256 of the file.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default, deserialize_with = "lenient_size")]
    pub file_size: Option<u64>,
}

/// A downloaded file with its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub info: MediaInfo,
    pub bytes: Vec<u8>,
}

/// `GET /{phone-number-id}`: the number the app sends from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumberInfo {
    pub id: String,
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// The business name customers see, once Meta approved it.
    #[serde(default)]
    pub verified_name: Option<String>,
    /// `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    #[serde(default)]
    pub quality_rating: Option<String>,
    /// The messaging limit (`TIER_2K`, …), set per business portfolio since
    /// October 2025; asked for by name, Meta does not send it unasked.
    #[serde(default, deserialize_with = "lenient_text")]
    pub whatsapp_business_manager_messaging_limit: Option<String>,
    /// The per-number limit Meta deprecated in favour of the field above;
    /// read when that one is absent.
    #[serde(default, deserialize_with = "lenient_text")]
    pub messaging_limit_tier: Option<String>,
    /// The display name's review: `APPROVED`, `PENDING_REVIEW`, `DECLINED`, …
    #[serde(default)]
    pub name_status: Option<String>,
}

impl PhoneNumberInfo {
    /// The messaging-limit tier, from whichever field Meta filled in.
    pub fn messaging_tier(&self) -> Option<&str> {
        self.whatsapp_business_manager_messaging_limit
            .as_deref()
            .or(self.messaging_limit_tier.as_deref())
            .filter(|t| !t.is_empty())
    }
}

/// The fields read for the health panel (`GET /{phone-number-id}?fields=`).
pub(crate) const PHONE_HEALTH_FIELDS: &str = "id,display_phone_number,verified_name,quality_rating,\
whatsapp_business_manager_messaging_limit,messaging_limit_tier,name_status";

/// A string, or a number written as one; anything else is absent.
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// `GET /{waba-id}/message_templates?limit=1`: the token may read the
/// account's templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WabaCheck {
    /// At least one template exists (any status).
    pub has_templates: bool,
}

/// Every template of the account, read to the last page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TemplateListing {
    /// One per (name, language), in Meta's order.
    pub templates: Vec<Template>,
    /// Templates this version cannot read (a component type Meta added
    /// later, say). They are left out rather than failing the whole sync.
    pub unreadable: Vec<UnreadableTemplate>,
    /// Pages fetched.
    pub pages: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableTemplate {
    pub name: Option<String>,
    pub language: Option<String>,
    pub reason: String,
}

/// One page of `message_templates`, templates still untyped so one odd
/// template cannot fail the page.
#[derive(Debug, Deserialize)]
pub(crate) struct TemplatePage {
    #[serde(default)]
    pub data: Vec<serde_json::Value>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Paging {
    #[serde(default)]
    pub next: Option<String>,
}

/// `{"success": true}` of a mark-as-read.
#[derive(Debug, Deserialize)]
pub(crate) struct Success {
    pub success: bool,
}

/// Meta documents `file_size` as a number; tolerate a numeric string too.
fn lenient_size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Number(u64),
        Text(String),
    }
    match Option::<Size>::deserialize(d)? {
        None => Ok(None),
        Some(Size::Number(n)) => Ok(Some(n)),
        Some(Size::Text(s)) => Ok(s.trim().parse().ok()),
    }
}
