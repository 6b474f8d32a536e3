//! The template catalogue: synced from the Graph API, stored per
//! (name, language), offered to the picker, checked before a send.
//!
//! - [`sync`] reads every page of `GET /{waba-id}/message_templates` and
//!   replaces the table in one transaction, so the picker never sees half a
//!   catalogue. Meta counts listing against 200 calls an hour, so the app
//!   syncs on start, on demand, and when the sync engine reports a template
//!   status webhook (`InboxChange::templates_changed`) — never on a timer.
//! - [`list`] filters (search, language, category, approved only) and says
//!   for each template what it needs ([`TemplateVariable`]), whether it may
//!   be sent to this customer ([`TemplateOption::disabled_reason`]: marketing
//!   to an opted-out customer, a template that is not approved) and what it
//!   would cost ([`crate::cost`]).
//! - [`preview`] is the live preview while the agent types: the message as
//!   the customer will see it, plus the first problem Meta would refuse it
//!   for. Validation and rendering are `hourglass_whatsapp::template`'s, the
//!   same rules the simulator answers with; nothing is duplicated here.

use crate::cost::{self, CostEstimate, PricingCategory, RateTable};
use crate::error::{Error, Result};
use crate::graph::GraphClient;
use crate::health::{self, StatusWhy};
use crate::inbox::ConversationId;
use crate::store::SharedStore;
use crate::store::Store;
use crate::window;
use hourglass_whatsapp::graph_error::ErrorCode;
use hourglass_whatsapp::send::TemplatePayload;
use hourglass_whatsapp::template::{
    self as wa, HeaderFormat, ParameterFormat, PreviewButtonKind, PreviewHeader, Slot, Template,
    TemplateCategory, TemplateStatus, ValueKind, VarName,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A template's key: Meta sends and stores templates by name and language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateKey {
    pub name: String,
    /// `en_US`, `es`, …
    pub language: String,
}

/// Where a value goes. `var` is the variable's name: `"1"` for `{{1}}`,
/// `"first_name"` for `{{first_name}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "slot", rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateSlot {
    HeaderText {
        var: String,
    },
    /// The link or media id of an image, video or document header.
    HeaderMedia,
    Body {
        var: String,
    },
    /// A URL button's suffix, an OTP code or a coupon code.
    Button {
        index: u32,
    },
}

impl TemplateSlot {
    fn var(name: &VarName) -> String {
        match name {
            VarName::Positional(n) => n.to_string(),
            VarName::Named(s) => s.clone(),
        }
    }

    fn var_name(var: &str) -> VarName {
        match var.parse::<u32>() {
            Ok(n) => VarName::Positional(n),
            Err(_) => VarName::Named(var.to_owned()),
        }
    }

    fn to_slot(&self) -> Slot {
        match self {
            TemplateSlot::HeaderText { var } => Slot::HeaderText {
                var: Self::var_name(var),
            },
            TemplateSlot::HeaderMedia => Slot::HeaderMedia,
            TemplateSlot::Body { var } => Slot::Body {
                var: Self::var_name(var),
            },
            TemplateSlot::Button { index } => Slot::Button { index: *index },
        }
    }

    fn from_slot(slot: &Slot) -> TemplateSlot {
        match slot {
            Slot::HeaderText { var } => TemplateSlot::HeaderText {
                var: Self::var(var),
            },
            Slot::HeaderMedia => TemplateSlot::HeaderMedia,
            Slot::Body { var } => TemplateSlot::Body {
                var: Self::var(var),
            },
            Slot::Button { index } => TemplateSlot::Button { index: *index },
        }
    }
}

/// One value the agent filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateValue {
    pub slot: TemplateSlot,
    pub value: String,
}

/// One field of the template form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateVariable {
    pub slot: TemplateSlot,
    /// `text`, `image`, `video`, `document`, `location`, `url_suffix`,
    /// `coupon_code`.
    pub kind: String,
    /// Meta's sample value: a placeholder for the field.
    pub example: Option<String>,
}

/// A template as the picker lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateOption {
    pub key: TemplateKey,
    /// `APPROVED`, `PAUSED`, …
    pub status: String,
    pub category: PricingCategory,
    /// `positional` or `named`.
    pub parameter_format: String,
    pub variables: Vec<TemplateVariable>,
    /// The unfilled message (variables shown as `{{1}}`).
    pub preview: TemplatePreview,
    /// Why it cannot be chosen for this conversation; `None`: it can.
    pub disabled_reason: Option<String>,
    /// What Meta said with the template's last status change (reason code,
    /// its words), so the picker can say why it cannot be sent.
    pub why: StatusWhy,
    /// What sending it to this conversation's customer would cost; `None`
    /// when no conversation was given.
    pub cost: Option<CostEstimate>,
}

/// What the picker asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateFilter {
    /// Matched (case-insensitive) against the name and the body text.
    pub query: Option<String>,
    pub language: Option<String>,
    pub category: Option<PricingCategory>,
    /// Leave out everything that is not `APPROVED` (the picker's default).
    pub only_approved: bool,
    /// The conversation it is for: enables opt-out and cost.
    pub conversation: Option<ConversationId>,
}

/// The message as the customer will see it, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplatePreview {
    pub header_text: Option<String>,
    /// `image`, `video`, `document`, `location` for a media header.
    pub header_media: Option<String>,
    /// The link or media id given for the media header.
    pub header_media_source: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<TemplateButton>,
    /// The first thing Meta would refuse; `None`: ready to send.
    pub problem: Option<TemplateProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateButton {
    /// `quick_reply`, `url`, `phone_number`, `copy_code`, `otp`, `other`.
    pub kind: String,
    pub text: String,
    pub url: Option<String>,
    pub phone_number: Option<String>,
    pub code: Option<String>,
}

/// A reason Meta would refuse the send, with the code it would answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateProblem {
    #[ts(type = "number")]
    pub meta_code: i64,
    pub message: String,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncedTemplates {
    pub templates: u32,
    pub approved: u32,
    pub pages: u32,
    /// Templates this version could not read, left out (name and reason).
    pub unreadable: Vec<String>,
}

/// Reads every page of the account's templates and replaces the table.
pub async fn sync(
    store: &SharedStore,
    graph: &GraphClient,
    now_ms: i64,
) -> Result<SyncedTemplates> {
    let listing = graph.list_templates().await?;
    {
        let mut guard = store.lock().unwrap_or_else(|e| e.into_inner());
        guard.write(|w| w.replace_templates(&listing.templates, now_ms))?;
    }
    Ok(SyncedTemplates {
        templates: u32::try_from(listing.templates.len()).unwrap_or(u32::MAX),
        approved: u32::try_from(listing.templates.iter().filter(|t| t.is_sendable()).count())
            .unwrap_or(u32::MAX),
        pages: u32::try_from(listing.pages).unwrap_or(u32::MAX),
        unreadable: listing
            .unreadable
            .iter()
            .map(|u| {
                format!(
                    "{} ({}): {}",
                    u.name.as_deref().unwrap_or("?"),
                    u.language.as_deref().unwrap_or("?"),
                    u.reason
                )
            })
            .collect(),
    })
}

/// When the catalogue was last synced (local clock, Unix ms).
pub fn synced_at(store: &Store) -> Result<Option<i64>> {
    store.templates_synced_at()
}

/// The templates the picker shows, by name then language.
pub fn list(
    store: &Store,
    filter: &TemplateFilter,
    rates: &RateTable,
    now_ms: i64,
) -> Result<Vec<TemplateOption>> {
    let query = filter
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let customer = match filter.conversation {
        Some(id) => {
            let c = store.conversation(id)?;
            let opted_out = store.with_connection(|conn| {
                Ok(conn.query_row(
                    "SELECT marketing_opt_out FROM contacts WHERE id = ?1",
                    [c.contact.id],
                    |r| r.get::<_, bool>(0),
                )?)
            })?;
            let open = window::service_window(c.last_inbound_at, now_ms.div_euclid(1000)).is_open();
            Some((c.contact.phone.clone(), opted_out, open))
        }
        None => None,
    };
    let states = store.with_connection(health::template_states)?;
    let mut out = Vec::new();
    for t in store.templates()? {
        let category = PricingCategory::of(t.category);
        // A status webhook newer than the last sync wins over the catalogue.
        let state = states.get(&(t.name.clone(), health::language_key(&t.language)));
        let status = state.map_or_else(|| status_name(t.status), |s| s.status.clone());
        let why = state.map(|s| s.why.clone()).unwrap_or_default();
        let approved = status == status_name(TemplateStatus::Approved);
        if filter.only_approved && !approved {
            continue;
        }
        if filter.language.as_deref().is_some_and(|l| l != t.language) {
            continue;
        }
        if filter.category.is_some_and(|c| c != category) {
            continue;
        }
        if let Some(q) = &query {
            let body = t.body().map(|b| b.text.to_lowercase()).unwrap_or_default();
            if !t.name.to_lowercase().contains(q) && !body.contains(q) {
                continue;
            }
        }
        let disabled_reason = if !approved {
            Some(format!(
                "Meta has not approved this template (status {status}); only approved templates can be sent."
            ))
        } else if t.category == TemplateCategory::Marketing
            && customer
                .as_ref()
                .is_some_and(|(_, opted_out, _)| *opted_out)
        {
            Some("This customer asked not to receive marketing messages.".to_owned())
        } else {
            None
        };
        let cost = customer.as_ref().map(|(phone, _, open)| {
            cost::estimate(category, phone.as_deref().unwrap_or(""), *open, rates)
        });
        out.push(TemplateOption {
            key: TemplateKey {
                name: t.name.clone(),
                language: t.language.clone(),
            },
            status,
            why,
            category,
            parameter_format: match t.format() {
                ParameterFormat::Positional => "positional",
                ParameterFormat::Named => "named",
            }
            .to_owned(),
            variables: t
                .variables()
                .iter()
                .map(|v| TemplateVariable {
                    slot: TemplateSlot::from_slot(&v.slot),
                    kind: value_kind(v.kind),
                    example: v.example.clone(),
                })
                .collect(),
            preview: preview_of(&t, &BTreeMap::new(), None),
            disabled_reason,
            cost,
        });
    }
    Ok(out)
}

/// The live preview of `values` in the template, and the first problem
/// Meta would refuse the send for.
pub fn preview(
    store: &Store,
    key: &TemplateKey,
    values: &[TemplateValue],
) -> Result<TemplatePreview> {
    let template = find(store, key)?;
    let map = to_map(values);
    let payload = template.build_payload(&map);
    let problem = wa::validate(&template, &payload)
        .err()
        .map(|e| TemplateProblem {
            meta_code: e.code.code(),
            message: e.to_string(),
        });
    Ok(preview_of(&template, &map, problem))
}

/// A stored template by key.
pub(crate) fn find(store: &Store, key: &TemplateKey) -> Result<Template> {
    store
        .templates()?
        .into_iter()
        .find(|t| t.name == key.name && t.language == key.language)
        .ok_or_else(|| Error::TemplateInvalid {
            name: key.name.clone(),
            language: key.language.clone(),
            meta_code: ErrorCode::TemplateMissing.code(),
            details: "it is not among the synced templates".to_owned(),
            hint: "Sync the templates and choose it again.",
        })
}

/// A template send that passed Meta's checks.
pub(crate) struct Checked {
    pub payload: TemplatePayload,
    /// What the customer reads, for the bubble and the other desktops.
    pub text: String,
}

/// Builds the send and checks it as Meta would.
pub(crate) fn check(template: &Template, values: &[TemplateValue]) -> Result<Checked> {
    let map = to_map(values);
    let payload = template.build_payload(&map);
    let checked = wa::validate(template, &payload).map_err(|e| Error::TemplateInvalid {
        name: template.name.clone(),
        language: template.language.clone(),
        meta_code: e.code.code(),
        details: e.details.clone(),
        hint: "Fill in every field of the template as shown.",
    })?;
    let p = preview_of(template, &checked, None);
    let text = [p.header_text, Some(p.body), p.footer]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Checked { payload, text })
}

fn to_map(values: &[TemplateValue]) -> BTreeMap<Slot, String> {
    values
        .iter()
        .map(|v| (v.slot.to_slot(), v.value.clone()))
        .collect()
}

fn preview_of(
    template: &Template,
    values: &BTreeMap<Slot, String>,
    problem: Option<TemplateProblem>,
) -> TemplatePreview {
    let p = wa::render(template, values);
    let (header_text, header_media, header_media_source) = match p.header {
        Some(PreviewHeader::Text { text }) => (Some(text), None, None),
        Some(PreviewHeader::Media { format, source }) => {
            (None, Some(header_format(format)), source)
        }
        None => (None, None, None),
    };
    TemplatePreview {
        header_text,
        header_media,
        header_media_source,
        body: p.body,
        footer: p.footer,
        buttons: p
            .buttons
            .into_iter()
            .map(|b| TemplateButton {
                kind: match b.kind {
                    PreviewButtonKind::QuickReply => "quick_reply",
                    PreviewButtonKind::Url => "url",
                    PreviewButtonKind::PhoneNumber => "phone_number",
                    PreviewButtonKind::CopyCode => "copy_code",
                    PreviewButtonKind::Otp => "otp",
                    PreviewButtonKind::Other => "other",
                }
                .to_owned(),
                text: b.text,
                url: b.url,
                phone_number: b.phone_number,
                code: b.code,
            })
            .collect(),
        problem,
    }
}

fn header_format(f: HeaderFormat) -> String {
    match f {
        HeaderFormat::Text => "text",
        HeaderFormat::Image => "image",
        HeaderFormat::Video => "video",
        HeaderFormat::Document => "document",
        HeaderFormat::Location => "location",
        HeaderFormat::Unknown => "unknown",
    }
    .to_owned()
}

fn value_kind(k: ValueKind) -> String {
    match k {
        ValueKind::Text => "text".to_owned(),
        ValueKind::Media(f) => header_format(f),
        ValueKind::UrlSuffix => "url_suffix".to_owned(),
        ValueKind::CouponCode => "coupon_code".to_owned(),
    }
}

fn status_name(s: TemplateStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "UNKNOWN".to_owned())
}
