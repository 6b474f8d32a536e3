//! What notifications say, in the window's language.
//!
//! Notifications are shown by the operating system, not by the window, so
//! their text is worded here; the window tells the core which language it is
//! shown in ([`Language`]). Plural forms follow CLDR's cardinal rules for
//! each language (Russian has three forms in these texts, English and
//! Spanish two).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lead::{LeadSource, ReferralSourceType};

/// The languages the window (and so its notifications) can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Language {
    #[default]
    En,
    Ru,
    Es,
}

/// CLDR's cardinal plural categories used by Hourglass's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plural {
    One,
    Few,
    Many,
}

impl Language {
    /// The language of a BCP 47 tag or POSIX locale (`ru-RU`, `es_ES.UTF-8`,
    /// `en`) when Hourglass speaks it: the rule the window follows for the
    /// system's language.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_', '.', '@']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "ru" => Some(Language::Ru),
            "es" => Some(Language::Es),
            _ => None,
        }
    }

    fn plural(self, n: usize) -> Plural {
        match self {
            Language::En | Language::Es => {
                if n == 1 {
                    Plural::One
                } else {
                    Plural::Many
                }
            }
            // CLDR, Russian integers: one is 1, 21, 31… (not 11); few is
            // 2–4, 22–24… (not 12–14); many is everything else.
            Language::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => Plural::One,
                (2..=4, r) if !(12..=14).contains(&r) => Plural::Few,
                _ => Plural::Many,
            },
        }
    }

    /// Picks `one`, `few` or `many` for `n` (`few` is only Russian's).
    fn pick<'a>(self, n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
        match self.plural(n) {
            Plural::One => one,
            Plural::Few => few,
            Plural::Many => many,
        }
    }

    /// The title of a lead's notification.
    pub fn new_lead(self, contact: &str) -> String {
        match self {
            Language::En => format!("New lead: {contact}"),
            Language::Ru => format!("Новый лид: {contact}"),
            Language::Es => format!("Lead nuevo: {contact}"),
        }
    }

    /// Where a lead came from: `Ad: Summer sale`, `Partner code ABC123`.
    pub fn lead_source(self, source: &LeadSource) -> String {
        match source {
            LeadSource::Ad {
                source_type,
                headline,
                source_url,
                ..
            } => {
                let post = *source_type == ReferralSourceType::Post;
                match (headline.as_deref().or(source_url.as_deref()), self, post) {
                    (Some(what), Language::En, false) => format!("Ad: {what}"),
                    (Some(what), Language::En, true) => format!("Post: {what}"),
                    (Some(what), Language::Ru, false) => format!("Реклама: {what}"),
                    (Some(what), Language::Ru, true) => format!("Публикация: {what}"),
                    (Some(what), Language::Es, false) => format!("Anuncio: {what}"),
                    (Some(what), Language::Es, true) => format!("Publicación: {what}"),
                    (None, Language::En, false) => "Ad (click-to-WhatsApp)".to_owned(),
                    (None, Language::En, true) => "Post (click-to-WhatsApp)".to_owned(),
                    (None, Language::Ru, false) => "Реклама click-to-WhatsApp".to_owned(),
                    (None, Language::Ru, true) => "Публикация click-to-WhatsApp".to_owned(),
                    (None, Language::Es, false) => "Anuncio click-to-WhatsApp".to_owned(),
                    (None, Language::Es, true) => "Publicación click-to-WhatsApp".to_owned(),
                }
            }
            LeadSource::PartnerCode { code } => match self {
                Language::En => format!("Partner code {code}"),
                Language::Ru => format!("Код партнёра {code}"),
                Language::Es => format!("Código de socio {code}"),
            },
        }
    }

    /// The title of a chat's notification with `count` new messages.
    pub fn chat(self, contact: &str, count: usize) -> String {
        if count <= 1 {
            return contact.to_owned();
        }
        let words = match self {
            Language::En => "new messages",
            Language::Ru => self.pick(
                count,
                "новое сообщение",
                "новых сообщения",
                "новых сообщений",
            ),
            Language::Es => "mensajes nuevos",
        };
        format!("{contact} ({count} {words})")
    }

    /// The title of a summary of `leads` leads and `chats` chats.
    pub fn summary(self, leads: usize, chats: usize) -> String {
        let leads_text = |n: usize| match self {
            Language::En => format!("{n} {}", self.pick(n, "new lead", "", "new leads")),
            Language::Ru => format!(
                "{n} {}",
                self.pick(n, "новый лид", "новых лида", "новых лидов")
            ),
            Language::Es => format!("{n} {}", self.pick(n, "lead nuevo", "", "leads nuevos")),
        };
        let chats_text = |n: usize| match self {
            Language::En => format!("{n} {}", self.pick(n, "chat", "", "chats")),
            Language::Ru => format!("{n} {}", self.pick(n, "чате", "чатах", "чатах")),
            Language::Es => format!("{n} {}", self.pick(n, "chat", "", "chats")),
        };
        match (leads, chats, self) {
            (l, 0, _) => leads_text(l),
            (0, c, Language::En) => format!("New messages in {}", chats_text(c)),
            (0, c, Language::Ru) => format!("Новые сообщения в {}", chats_text(c)),
            (0, c, Language::Es) => format!("Mensajes nuevos en {}", chats_text(c)),
            (l, c, Language::En) => {
                format!("{} and new messages in {}", leads_text(l), chats_text(c))
            }
            (l, c, Language::Ru) => {
                format!("{} и новые сообщения в {}", leads_text(l), chats_text(c))
            }
            (l, c, Language::Es) => {
                format!("{} y mensajes nuevos en {}", leads_text(l), chats_text(c))
            }
        }
    }

    /// The end of a list of names cut after a few: ` and 7 more`.
    pub fn and_more(self, more: usize) -> String {
        match self {
            Language::En => format!(" and {more} more"),
            Language::Ru => format!(" и ещё {more}"),
            Language::Es => format!(" y {more} más"),
        }
    }

    /// The title and text of "a colleague assigned this chat to you".
    pub fn assigned(self, contact: &str, by: Option<&str>) -> (String, String) {
        let title = match self {
            Language::En => format!("Assigned to you: {contact}"),
            Language::Ru => format!("Вам назначен чат: {contact}"),
            Language::Es => format!("Asignada a ti: {contact}"),
        };
        let body = match (self, by) {
            (Language::En, Some(by)) => format!("Assigned by {by}"),
            (Language::Ru, Some(by)) => format!("Назначено агентом {by}"),
            (Language::Es, Some(by)) => format!("Asignada por {by}"),
            (Language::En, None) => "Assigned to you".to_owned(),
            (Language::Ru, None) => "Чат назначен вам".to_owned(),
            (Language::Es, None) => "Conversación asignada a ti".to_owned(),
        };
        (title, body)
    }

    /// The title of many chats assigned at once.
    pub fn assigned_many(self, count: usize) -> String {
        match self {
            Language::En => format!("{count} chats assigned to you"),
            Language::Ru => format!(
                "Вам назначено {count} {}",
                self.pick(count, "чат", "чата", "чатов")
            ),
            Language::Es => format!("{count} chats asignados a ti"),
        }
    }

    /// The title and text of a customer's call nobody answered.
    pub fn missed_call(self, contact: &str) -> (String, String) {
        match self {
            Language::En => (
                format!("Missed call: {contact}"),
                "They called on WhatsApp and nobody answered. The 24-hour window is open: write to them."
                    .to_owned(),
            ),
            Language::Ru => (
                format!("Пропущенный звонок: {contact}"),
                "Клиент звонил в WhatsApp, никто не ответил. 24-часовое окно открыто: напишите ему."
                    .to_owned(),
            ),
            Language::Es => (
                format!("Llamada perdida: {contact}"),
                "Llamó por WhatsApp y nadie respondió. La ventana de 24 horas está abierta: escríbele."
                    .to_owned(),
            ),
        }
    }

    /// The title and text of a reminder that a window closes in `minutes`
    /// with the customer's last message unanswered.
    pub fn window_closing(self, contact: &str, minutes: i64) -> (String, String) {
        match self {
            Language::En => (
                format!("Window closes soon: {contact}"),
                format!(
                    "The customer's message is unanswered; the 24-hour window closes in {minutes} min."
                ),
            ),
            Language::Ru => (
                format!("Окно скоро закроется: {contact}"),
                format!(
                    "Сообщение клиента без ответа; 24-часовое окно закроется через {minutes} мин."
                ),
            ),
            Language::Es => (
                format!("La ventana cierra pronto: {contact}"),
                format!(
                    "El mensaje del cliente no tiene respuesta; la ventana de 24 horas cierra en {minutes} min."
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals_follow_cldr() {
        let ru = Language::Ru;
        let cases = [
            (1, "1 новый лид"),
            (2, "2 новых лида"),
            (4, "4 новых лида"),
            (5, "5 новых лидов"),
            (11, "11 новых лидов"),
            (12, "12 новых лидов"),
            (14, "14 новых лидов"),
            (21, "21 новый лид"),
            (22, "22 новых лида"),
            (25, "25 новых лидов"),
            (111, "111 новых лидов"),
            (101, "101 новый лид"),
        ];
        for (n, want) in cases {
            assert_eq!(ru.summary(n, 0), want, "{n}");
        }
        assert_eq!(ru.assigned_many(3), "Вам назначено 3 чата");
        assert_eq!(ru.chat("Ана", 21), "Ана (21 новое сообщение)");
    }

    #[test]
    fn english_and_spanish_have_one_and_other() {
        assert_eq!(Language::En.summary(1, 0), "1 new lead");
        assert_eq!(Language::En.summary(0, 1), "New messages in 1 chat");
        assert_eq!(
            Language::En.summary(2, 3),
            "2 new leads and new messages in 3 chats"
        );
        assert_eq!(Language::Es.summary(1, 0), "1 lead nuevo");
        assert_eq!(
            Language::Es.summary(4, 1),
            "4 leads nuevos y mensajes nuevos en 1 chat"
        );
        assert_eq!(Language::Es.chat("Ana", 1), "Ana");
        assert_eq!(Language::Es.chat("Ana", 2), "Ana (2 mensajes nuevos)");
    }

    #[test]
    fn lead_sources_are_worded_in_each_language() {
        let code = LeadSource::PartnerCode {
            code: "ABC123".into(),
        };
        assert_eq!(Language::En.lead_source(&code), "Partner code ABC123");
        assert_eq!(Language::Ru.lead_source(&code), "Код партнёра ABC123");
        assert_eq!(Language::Es.lead_source(&code), "Código de socio ABC123");
    }

    #[test]
    fn system_locales_name_a_language_when_hourglass_speaks_it() {
        assert_eq!(Language::from_tag("ru_RU.UTF-8"), Some(Language::Ru));
        assert_eq!(Language::from_tag("es-419"), Some(Language::Es));
        assert_eq!(Language::from_tag("EN"), Some(Language::En));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn the_language_is_named_as_the_window_names_it() {
        for (lang, code) in [
            (Language::En, "\"en\""),
            (Language::Ru, "\"ru\""),
            (Language::Es, "\"es\""),
        ] {
            assert_eq!(serde_json::to_string(&lang).unwrap(), code);
        }
    }
}
