//! Commands behind New conversation; the rules are `hourglass_core::outreach`.

use crate::error::{Ctx, Reply};
use crate::state::AppState;
use hourglass_core::outreach::{self, NumberCheck, Started};
use hourglass_core::search::SearchHit;
use hourglass_core::templates::{TemplateKey, TemplateValue};
use sys_locale::get_locale;

/// The agent's country, then the session's business number.
fn country_and_number(cx: &AppState) -> Reply<(Option<String>, String)> {
    let country = cx.with_profile_store(|s| outreach::effective_country(s, get_locale()))?;
    Ok((country, outreach::business_number(cx.graph().as_deref())?))
}

commands! {
    fn check_new_number(cx: Ctx<'_>, input: String) -> NumberCheck = {
        let (country, number) = country_and_number(&cx)?;
        cx.with_store(|s| outreach::check(s, &input, country.as_deref(), &number))
    };
    fn find_contacts(cx: Ctx<'_>, query: String) -> Vec<SearchHit> =
        cx.with_store(|s| outreach::find_contacts(s, &query));
    fn start_conversation(cx: Ctx<'_>, number: String, key: TemplateKey, values: Vec<TemplateValue>)
        -> Started = {
        let (country, business) = country_and_number(&cx)?;
        let (now, country) = (chrono::Utc::now().timestamp_millis(), country.as_deref());
        let started =
            cx.with_store(|s| outreach::start(s, &number, country, &business, &key, &values, now))?;
        cx.wake_outbox();
        Ok(started)
    };
}
