//! Writing first: an agent starts a conversation with a number (a callback
//! request, a lead from a web form) or with a customer already in the inbox.
//!
//! Decisions:
//! - The number is read with the agent's default country
//!   ([`phone::read_typed`]) and must exist in its numbering plan, with one
//!   exception: a number the inbox already knows (WhatsApp delivered from
//!   it, even a test number outside any plan) is always accepted and opens
//!   its conversation.
//! - A customer who never wrote can only get an approved template (Meta
//!   refuses free text outside a customer-service window), so a new number
//!   goes straight to the template picker.
//! - Nothing is stored while the agent types or picks a template. The
//!   contact, the conversation and the queued send are written in one
//!   transaction when the template is sent, so the conversation appears in
//!   the list with its first message and never empty; a refused template
//!   leaves nothing behind. Sending again to the same number reuses the
//!   conversation: one customer, one conversation per business number.

use crate::error::{Error, Result};
use crate::inbox::ConversationSummary;
use crate::outbox::{self, OutboxId, Queued};
use crate::phone::{self, E164, NumberProblem, TypedNumber};
use crate::search::SearchHit;
use crate::store::{NewContact, Store};
use crate::templates::{self, TemplateKey, TemplateValue};
use hourglass_whatsapp::send::OutboundMessage;
use hourglass_whatsapp::template::TemplateCategory;
use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

/// Contacts offered at most as the agent types a name or number.
pub const CONTACT_MATCHES: u32 = 8;

/// What the agent's typing in the New conversation dialog amounts to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NumberCheck {
    /// Not a usable number (the agent may be typing a name).
    Problem { problem: NumberProblem },
    /// A number no conversation on this business number has yet.
    New { number: TypedNumber },
    /// The number of a customer already in the inbox: open their chat.
    Existing {
        number: TypedNumber,
        conversation: Box<ConversationSummary>,
    },
}

/// Reads what the agent typed and finds the customer's conversation on
/// `phone_number_id` (the business number) when there is one.
pub fn check(
    store: &Store,
    input: &str,
    default_country: Option<&str>,
    phone_number_id: &str,
) -> Result<NumberCheck> {
    let typed = match phone::read_typed(input, default_country) {
        Ok(n) => n,
        // A known customer's number is good even outside the plans.
        Err(NumberProblem::NotInPlan) => match known(store, input, phone_number_id)? {
            Some(found) => return Ok(found),
            None => {
                return Ok(NumberCheck::Problem {
                    problem: NumberProblem::NotInPlan,
                });
            }
        },
        Err(problem) => return Ok(NumberCheck::Problem { problem }),
    };
    Ok(
        match conversation_of(store, &typed.e164, phone_number_id)? {
            Some(conversation) => NumberCheck::Existing {
                number: typed,
                conversation: Box::new(conversation),
            },
            None => NumberCheck::New { number: typed },
        },
    )
}

/// An existing conversation with a number outside the numbering plans.
fn known(store: &Store, input: &str, phone_number_id: &str) -> Result<Option<NumberCheck>> {
    let Ok(e164) = E164::parse(input) else {
        return Ok(None);
    };
    let Some(conversation) = conversation_of(store, e164.as_str(), phone_number_id)? else {
        return Ok(None);
    };
    let number = TypedNumber {
        e164: e164.as_str().to_owned(),
        international: e164.as_str().to_owned(),
        country: None,
    };
    Ok(Some(NumberCheck::Existing {
        number,
        conversation: Box::new(conversation),
    }))
}

fn conversation_of(
    store: &Store,
    e164: &str,
    phone_number_id: &str,
) -> Result<Option<ConversationSummary>> {
    let id = store.with_connection(|c| {
        Ok(c.prepare_cached(
            "SELECT cv.id FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
             WHERE ct.phone_e164 = ?1 AND cv.phone_number_id = ?2",
        )?
        .query_row([e164, phone_number_id], |r| r.get(0))
        .optional()?)
    })?;
    id.map(|id| store.conversation(id)).transpose()
}

/// Customers whose name, number or user id contains what the agent typed.
pub fn find_contacts(store: &Store, input: &str) -> Result<Vec<SearchHit>> {
    store.search_contacts(input, CONTACT_MATCHES)
}

/// A first template to `number` queued: the conversation it is in (created
/// with it when the customer had none) and the bubble to show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Started {
    pub conversation: ConversationSummary,
    pub queued: Queued,
}

/// Queues an approved template to a number typed in the New conversation
/// dialog (read as by [`check`]), on the business number `phone_number_id`.
/// Refused before anything is written when the number cannot be used, the
/// template would be refused, or a marketing template goes to a customer who
/// opted out; otherwise the contact, the conversation (once) and the send
/// are written in one transaction. Wake the outbox afterwards.
pub fn start(
    store: &mut Store,
    input: &str,
    default_country: Option<&str>,
    phone_number_id: &str,
    key: &TemplateKey,
    values: &[TemplateValue],
    now_ms: i64,
) -> Result<Started> {
    let to = match check(store, input, default_country, phone_number_id)? {
        NumberCheck::New { number } | NumberCheck::Existing { number, .. } => number.e164,
        NumberCheck::Problem { problem } => {
            return Err(Error::InvalidPhone {
                input: input.to_owned(),
                reason: problem.reason().to_owned(),
            });
        }
    };
    let template = templates::find(store, key)?;
    if template.category == TemplateCategory::Marketing && opted_out(store, &to)? {
        return Err(Error::OptedOut);
    }
    let checked = templates::check(&template, values)?;
    let id = OutboxId::new();
    let message = OutboundMessage::template(&to, checked.payload).callback_data(id.0.clone());
    let queued = outbox::record_with(
        store,
        |w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(to.clone()),
                user_id: None,
                name: None,
                username: None,
            })?;
            w.conversation_for(contact, phone_number_id)
        },
        &outbox::NewSend {
            id: &id,
            to: &to,
            kind: "template",
            message: &message,
            body: &checked.text,
            reply_to: None,
            content: None,
            media: None,
        },
        now_ms,
    )?;
    Ok(Started {
        conversation: store.conversation(queued.message.conversation_id)?,
        queued,
    })
}

fn opted_out(store: &Store, e164: &str) -> Result<bool> {
    store.with_connection(|c| {
        Ok(
            c.prepare_cached("SELECT marketing_opt_out FROM contacts WHERE phone_e164 = ?1")?
                .query_row([e164], |r| r.get::<_, bool>(0))
                .optional()?
                .unwrap_or(false),
        )
    })
}

/// The profile setting holding the agent's default country (ISO 3166).
pub const DEFAULT_COUNTRY_KEY: &str = "default_country";

/// One country numbers can be read in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PhoneCountry {
    /// ISO 3166 code, e.g. `ES`.
    pub code: String,
    /// The international calling code, e.g. 34.
    pub calling_code: u16,
}

/// The default country: the agent's choice, else the system's region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DefaultCountry {
    pub chosen: Option<String>,
    /// The system locale's region, used when nothing is chosen.
    pub system: Option<String>,
    pub countries: Vec<PhoneCountry>,
}

/// The country the agent chose, in the profile's store.
fn chosen_country(profile: &Store) -> Result<Option<String>> {
    let chosen: Option<String> = profile.setting(DEFAULT_COUNTRY_KEY)?;
    Ok(chosen.filter(|c| phone::is_country(c)))
}

/// The default country, with the system's (from its `locale` tag).
pub fn default_country(profile: &Store, locale: Option<String>) -> Result<DefaultCountry> {
    Ok(DefaultCountry {
        chosen: chosen_country(profile)?,
        system: locale.and_then(|tag| phone::country_of_locale(&tag)),
        countries: phone::countries()
            .into_iter()
            .map(|(code, calling_code)| PhoneCountry { code, calling_code })
            .collect(),
    })
}

/// Sets the default country; `None` follows the system again.
pub fn set_default_country(
    profile: &mut Store,
    country: Option<&str>,
    locale: Option<String>,
) -> Result<DefaultCountry> {
    let country = country.map(|c| c.trim().to_ascii_uppercase());
    match &country {
        Some(c) if !phone::is_country(c) => {
            return Err(crate::problem::Problem::with_detail(
                crate::problem::ErrorCode::UnknownCountry,
                c,
                format!("\"{c}\" is not a country Hourglass can read numbers in."),
            )
            .into());
        }
        Some(c) => profile.set_setting(DEFAULT_COUNTRY_KEY, c)?,
        None => profile.remove_setting(DEFAULT_COUNTRY_KEY)?,
    }
    default_country(profile, locale)
}

/// The country a number without `+` is read in, if any: the agent's
/// choice, else the system's.
pub fn effective_country(profile: &Store, locale: Option<String>) -> Result<Option<String>> {
    let DefaultCountry { chosen, system, .. } = default_country(profile, locale)?;
    Ok(chosen.or(system))
}

/// The business number new conversations run on: the session's (`graph`
/// is absent without one).
pub fn business_number(graph: Option<&crate::graph::GraphClient>) -> Result<String> {
    graph
        .map(|g| g.config().phone_number_id.clone())
        .ok_or_else(|| {
            crate::problem::Problem::new(
                crate::problem::ErrorCode::NotConnected,
                "Connect a WhatsApp number (or try the demo) to start a conversation.",
            )
            .into()
        })
}

#[cfg(test)]
mod country_tests {
    use super::*;
    use crate::problem::ErrorCode;

    #[test]
    fn the_chosen_country_wins_over_the_systems_until_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let mut profile = Store::open_in_dir(dir.path()).unwrap();
        let spain = Some("es-ES".to_owned());
        let shown = default_country(&profile, spain.clone()).unwrap();
        assert_eq!((shown.chosen, shown.system.as_deref()), (None, Some("ES")));
        assert!(
            shown
                .countries
                .iter()
                .any(|c| c.code == "BR" && c.calling_code == 55)
        );
        assert_eq!(
            effective_country(&profile, spain.clone())
                .unwrap()
                .as_deref(),
            Some("ES")
        );

        let chosen = set_default_country(&mut profile, Some(" de "), spain.clone()).unwrap();
        assert_eq!(chosen.chosen.as_deref(), Some("DE"));
        assert_eq!(
            effective_country(&profile, spain.clone())
                .unwrap()
                .as_deref(),
            Some("DE")
        );
        // Kept in the profile's store.
        drop(profile);
        let mut profile = Store::open_in_dir(dir.path()).unwrap();
        assert_eq!(
            effective_country(&profile, None).unwrap().as_deref(),
            Some("DE")
        );

        let err = set_default_country(&mut profile, Some("XX"), None).unwrap_err();
        assert_eq!(
            (err.code(), err.params()["detail"].as_str()),
            (ErrorCode::UnknownCountry, "XX")
        );
        assert_eq!(
            effective_country(&profile, None).unwrap().as_deref(),
            Some("DE")
        );

        set_default_country(&mut profile, None, None).unwrap();
        assert_eq!(
            effective_country(&profile, spain).unwrap().as_deref(),
            Some("ES")
        );
    }

    #[test]
    fn new_conversations_need_a_business_number() {
        assert_eq!(
            business_number(None).unwrap_err().code(),
            ErrorCode::NotConnected
        );
    }
}
