//! The agent's preferences as one typed pair, read and changed by name:
//! what the window's Settings show. Each is kept in the profile (those a
//! session reads are copied into its store too) and checked before it is
//! saved.

use super::{IpcError, NOTIFICATION_SETTINGS_KEY, Sessions};
use crate::cost::RateTable;
use crate::notification::NotificationSettings;
use crate::outreach::{self, DefaultCountry};
use crate::session::LeadPatternView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One of the agent's preferences, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PreferenceKey {
    TypingIndicator,
    LeadPattern,
    RateTable,
    DefaultCountry,
    Language,
    Notifications,
}

/// A preference as the window reads it, `{key, value}`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "key", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum Preference {
    /// Whether customers see Meta's typing indicator while the agent writes.
    TypingIndicator(bool),
    /// The partner-code pattern that attributes leads.
    LeadPattern(LeadPatternView),
    /// The rates cost estimates use.
    RateTable(RateTable),
    /// The country numbers without `+` are read in.
    DefaultCountry(DefaultCountry),
    /// The window language the agent chose; `null` follows the system.
    Language(Option<String>),
    Notifications(NotificationSettings),
}

/// A change to one preference, `{key, value}`; `null` goes back to the
/// default where there is one.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "key", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum PreferenceChange {
    TypingIndicator(bool),
    LeadPattern(Option<String>),
    RateTable(Option<RateTable>),
    DefaultCountry(Option<String>),
    Language(String),
    /// Applied at once (the notifier, and the window is told).
    Notifications(NotificationSettings),
}

impl PreferenceChange {
    fn key(&self) -> PreferenceKey {
        match self {
            PreferenceChange::TypingIndicator(_) => PreferenceKey::TypingIndicator,
            PreferenceChange::LeadPattern(_) => PreferenceKey::LeadPattern,
            PreferenceChange::RateTable(_) => PreferenceKey::RateTable,
            PreferenceChange::DefaultCountry(_) => PreferenceKey::DefaultCountry,
            PreferenceChange::Language(_) => PreferenceKey::Language,
            PreferenceChange::Notifications(_) => PreferenceKey::Notifications,
        }
    }
}

impl Sessions {
    /// The preference `key`; `locale` is the system's (the default
    /// country's fallback).
    pub fn preference(
        &self,
        key: PreferenceKey,
        locale: Option<String>,
    ) -> Result<Preference, IpcError> {
        let profile = self.profile();
        Ok(match key {
            PreferenceKey::TypingIndicator => {
                Preference::TypingIndicator(profile.with_store(|s| s.typing_indicator_on())?)
            }
            PreferenceKey::LeadPattern => Preference::LeadPattern(profile.lead_pattern()?),
            PreferenceKey::RateTable => {
                Preference::RateTable(profile.with_store(|s| s.rate_table())?)
            }
            PreferenceKey::DefaultCountry => Preference::DefaultCountry(
                profile.with_store(|s| outreach::default_country(s, locale))?,
            ),
            PreferenceKey::Language => Preference::Language(profile.language()?),
            PreferenceKey::Notifications => Preference::Notifications(
                profile
                    .with_store(|s| s.setting(NOTIFICATION_SETTINGS_KEY))?
                    .unwrap_or_default(),
            ),
        })
    }

    /// Checks and saves `change`; answers the preference as it now is.
    pub fn set_preference(
        &self,
        change: PreferenceChange,
        locale: Option<String>,
    ) -> Result<Preference, IpcError> {
        let key = change.key();
        let (profile, session) = (self.profile(), self.running().map(|s| s.store()));
        match change {
            PreferenceChange::TypingIndicator(on) => {
                self.save_preference(crate::typing::SETTING_KEY, Some(&on))?;
            }
            PreferenceChange::LeadPattern(pattern) => {
                profile.set_lead_pattern(pattern.as_deref(), session.as_ref())?;
            }
            PreferenceChange::RateTable(table) => {
                profile.set_rate_table(table.as_ref(), session.as_ref())?;
            }
            PreferenceChange::DefaultCountry(country) => {
                let country = country.as_deref();
                profile.with_store(|s| {
                    outreach::set_default_country(s, country, locale.clone()).map(drop)
                })?;
            }
            PreferenceChange::Language(language) => profile.set_language(&language)?,
            PreferenceChange::Notifications(settings) => {
                self.set_notification_settings(settings)?;
            }
        }
        self.preference(key, locale)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::notification::{MemorySink, NotificationPolicy, Notifier};
    use crate::problem::ErrorCode;
    use crate::secrets::SecretStore;
    use crate::session::{AppEvent, Profile};
    use std::sync::Arc;

    fn sessions(dir: &std::path::Path) -> Sessions {
        let policy = NotificationPolicy::new(NotificationSettings::default());
        let (notifier, task) = Notifier::new(Arc::new(MemorySink::default()), policy);
        tokio::spawn(task);
        Sessions::new(Profile::open(dir, SecretStore::new("unused")), notifier)
    }

    #[tokio::test]
    async fn each_preference_is_read_checked_saved_and_read_back() {
        use PreferenceChange as Set;
        let dir = tempfile::tempdir().unwrap();
        let sessions = sessions(dir.path());
        let get = |key| sessions.preference(key, Some("es-MX".to_owned())).unwrap();
        let set = |change| sessions.set_preference(change, Some("es-MX".to_owned()));

        let on = Preference::TypingIndicator(true);
        assert_eq!(get(PreferenceKey::TypingIndicator), on);
        let off = Preference::TypingIndicator(false);
        assert_eq!(set(Set::TypingIndicator(false)).unwrap(), off);
        assert_eq!(get(PreferenceKey::TypingIndicator), off);

        assert!(set(Set::LeadPattern(Some("(".to_owned()))).is_err());
        let Preference::LeadPattern(view) =
            set(Set::LeadPattern(Some(" P-(\\d+) ".into()))).unwrap()
        else {
            panic!("not the lead pattern")
        };
        assert_eq!(
            (view.pattern.as_str(), view.is_default),
            ("P-(\\d+)", false)
        );
        let Preference::LeadPattern(view) = set(Set::LeadPattern(None)).unwrap() else {
            panic!("not the lead pattern")
        };
        assert!(view.is_default);

        let Preference::RateTable(table) = get(PreferenceKey::RateTable) else {
            panic!("not the rate table")
        };
        assert_eq!(
            set(Set::RateTable(Some(table.clone()))).unwrap(),
            Preference::RateTable(table)
        );

        let country = |preference| match preference {
            Preference::DefaultCountry(c) => (c.chosen, c.system),
            other => panic!("not the default country: {other:?}"),
        };
        let mx = Some("MX".to_owned());
        assert_eq!(
            country(get(PreferenceKey::DefaultCountry)),
            (None, mx.clone())
        );
        let unknown = set(Set::DefaultCountry(Some("XX".to_owned()))).unwrap_err();
        assert_eq!(unknown.code, ErrorCode::UnknownCountry);
        let es = (Some("ES".to_owned()), mx);
        assert_eq!(
            country(set(Set::DefaultCountry(Some("es".to_owned()))).unwrap()),
            es
        );
        assert_eq!(country(get(PreferenceKey::DefaultCountry)), es);

        assert_eq!(get(PreferenceKey::Language), Preference::Language(None));
        let unknown = set(Set::Language("de".to_owned())).unwrap_err();
        assert_eq!(unknown.code, ErrorCode::UnknownLanguage);
        let ru = Preference::Language(Some("ru".to_owned()));
        assert_eq!(set(Set::Language("ru".to_owned())).unwrap(), ru);

        // Notification settings are applied at once and the window told.
        let mut events = sessions.profile().events();
        let quiet = NotificationSettings {
            do_not_disturb: true,
            ..NotificationSettings::default()
        };
        let saved = set(Set::Notifications(quiet)).unwrap();
        assert_eq!(saved, Preference::Notifications(quiet));
        assert_eq!(get(PreferenceKey::Notifications), saved);
        assert!(matches!(
            events.try_recv().unwrap(),
            AppEvent::NotificationSettingsChanged(s) if s == quiet
        ));

        // All of it is the profile's, read back after a restart.
        drop(sessions);
        let again = self::sessions(dir.path());
        let get = |key| again.preference(key, None).unwrap();
        assert_eq!(get(PreferenceKey::TypingIndicator), off);
        assert_eq!(get(PreferenceKey::Language), ru);
        assert_eq!(get(PreferenceKey::Notifications), saved);
    }
}
