//! Simulated customers: who they are, what they write, and the message JSON
//! Meta would put in a webhook for it.

use hourglass_whatsapp::window::{self, FreeEntryPoint, ServiceWindow};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

use crate::recipient::Recipient;

/// One customer the simulator knows, keyed by `wa_id`.
#[derive(Debug, Clone, Serialize)]
pub struct Customer {
    pub wa_id: String,
    pub name: String,
    pub user_id: String,
    /// Their WhatsApp username, once they wrote with one.
    pub username: Option<String>,
    pub language: Language,
    /// Meta timestamp of their last message; the 24 h window runs from it.
    pub last_inbound: Option<i64>,
    /// Meta timestamp of their latest message from a click-to-WhatsApp ad.
    pub referral_at: Option<i64>,
    /// When the business first answered that ad message; a reply within
    /// 24 h of it opens the 72 h free entry point.
    pub first_reply_at: Option<i64>,
}

impl Customer {
    /// The customer-service window at `now`, by the rule the desktop uses.
    pub fn service_window(&self, now: i64) -> ServiceWindow {
        window::service_window(self.last_inbound, now)
    }

    pub fn window_open(&self, now: i64) -> bool {
        self.service_window(now).is_open()
    }

    /// The free entry point at `now`, by the rule the desktop uses.
    pub fn free_entry_point(&self, now: i64) -> FreeEntryPoint {
        window::free_entry_point(self.referral_at, self.first_reply_at, now)
    }

    /// Notes a message from the business at `now`: the first one after an
    /// ad message is the reply that may open the free entry point.
    pub fn replied(&mut self, now: i64) {
        if let Some(ad_at) = self.referral_at
            && self.first_reply_at.is_none_or(|r| r < ad_at)
        {
            self.first_reply_at = Some(now);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Ru,
    Es,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::Ru, Language::Es];

    /// The language a customer from `country` most likely writes in.
    pub fn for_country(country: &str) -> Self {
        match country {
            "RU" | "BY" | "KZ" => Self::Ru,
            "ES" | "MX" | "AR" | "CO" | "CL" | "PE" => Self::Es,
            _ => Self::En,
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Self::En => &[
                "Sheena Nelson",
                "Jessica Park",
                "Tom Becker",
                "Priya Raman",
                "Marcus Lee",
                "Olivia Brown",
                "Daniel Kim",
                "Grace O'Neill",
                "Sam Carter",
                "Aisha Bello",
            ],
            Self::Ru => &[
                "Олег Смирнов",
                "Анна Иванова",
                "Дмитрий Козлов",
                "Мария Павлова",
                "Игорь Волков",
                "Екатерина Соколова",
                "Сергей Морозов",
                "Наталья Лебедева",
            ],
            Self::Es => &[
                "Lucía Fernández",
                "Carlos Ruiz",
                "María José Gómez",
                "Javier Morales",
                "Sofía Herrera",
                "Diego Navarro",
                "Valentina Castro",
                "Pablo Ortega",
            ],
        }
    }

    fn openers(self) -> &'static [&'static str] {
        match self {
            Self::En => &[
                "Hi! Is the blue rain jacket still available in size M?",
                "Hello, my order hasn't arrived yet. Can you check where it is?",
                "Do you ship to Canada?",
                "Hi, I'd like to change the delivery address for my order.",
                "What are your opening hours on Saturday?",
                "Can I return something I bought online in one of your stores?",
                "Hey, the zip on my backpack broke after two weeks 😕",
            ],
            Self::Ru => &[
                "Здравствуйте! Когда придёт мой заказ?",
                "Добрый день, есть ли эта куртка в размере M?",
                "Можно оплатить при получении?",
                "Подскажите, как оформить возврат?",
                "Здравствуйте, у вас есть доставка в Казань?",
            ],
            Self::Es => &[
                "¡Hola! ¿Tienen esta chaqueta en talla M?",
                "Hola, mi pedido no ha llegado todavía.",
                "¿Hacen envíos a Canarias?",
                "Buenas, quiero cambiar la dirección de entrega.",
                "¿Puedo pagar contra reembolso?",
            ],
        }
    }

    fn follow_ups(self) -> &'static [&'static str] {
        match self {
            Self::En => &[
                "The order number is SKB-4CP",
                "Any news?",
                "Also, can I get it gift-wrapped?",
                "Ok, I'll wait",
                "Hello? 🙂",
            ],
            Self::Ru => &[
                "Номер заказа SKB-7Q1",
                "Есть новости?",
                "И ещё: можно упаковать в подарок?",
                "Хорошо, жду",
            ],
            Self::Es => &[
                "El número de pedido es SKB-9ZX",
                "¿Alguna novedad?",
                "¿Me lo pueden envolver para regalo?",
                "Vale, espero",
            ],
        }
    }

    /// What a customer says back to an agent.
    pub fn replies(self) -> &'static [&'static str] {
        match self {
            Self::En => &[
                "Thanks, that helps!",
                "Perfect 👍",
                "Ok, and when will it arrive?",
                "Great, thank you so much 🙏",
            ],
            Self::Ru => &[
                "Спасибо, понятно!",
                "Отлично 👍",
                "А когда примерно привезут?",
            ],
            Self::Es => &["¡Perfecto, gracias!", "Vale 👍", "¿Y cuándo llegaría?"],
        }
    }

    fn with_code(self, code: &str) -> String {
        match self {
            Self::En => format!("Hi! My friend recommended you. Code: {code}"),
            Self::Ru => format!("Здравствуйте! Мне вас посоветовали. Code: {code}"),
            Self::Es => format!("¡Hola! Vengo recomendado por un amigo. Code: {code}"),
        }
    }

    fn ad_reply(self) -> &'static str {
        match self {
            Self::En => "Hi! I saw your ad. Is the spring sale still on?",
            Self::Ru => "Здравствуйте! Увидел вашу рекламу, скидки ещё действуют?",
            Self::Es => "¡Hola! Vi su anuncio, ¿sigue la oferta de primavera?",
        }
    }

    /// Country templates for fresh numbers: prefix and how many random digits follow.
    fn number_plans(self) -> &'static [(&'static str, usize)] {
        match self {
            Self::En => &[
                ("+1415", 7),
                ("+1646", 7),
                ("+1312", 7),
                ("+447911", 6),
                ("+4479", 8),
            ],
            Self::Ru => &[("+7912", 7), ("+7925", 7), ("+7903", 7)],
            Self::Es => &[("+3461", 7), ("+3466", 7), ("+52155", 8), ("+5255", 8)],
        }
    }
}

/// Picks a name in `language`.
pub fn random_name(rng: &mut impl Rng, language: Language) -> String {
    language
        .names()
        .choose(rng)
        .copied()
        .unwrap_or("Customer")
        .to_owned()
}

pub fn random_opener(rng: &mut impl Rng, language: Language) -> String {
    language
        .openers()
        .choose(rng)
        .copied()
        .unwrap_or("Hi")
        .to_owned()
}

pub fn random_follow_up(rng: &mut impl Rng, language: Language) -> String {
    language
        .follow_ups()
        .choose(rng)
        .copied()
        .unwrap_or("?")
        .to_owned()
}

pub fn random_reply(rng: &mut impl Rng, language: Language) -> String {
    language
        .replies()
        .choose(rng)
        .copied()
        .unwrap_or("Thanks")
        .to_owned()
}

pub fn code_message(rng: &mut impl Rng, language: Language) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut code = String::new();
    for _ in 0..3 {
        code.push(LETTERS[rng.random_range(0..LETTERS.len())] as char);
    }
    code.push_str(&rng.random_range(100..1000).to_string());
    language.with_code(&code)
}

pub fn ad_message(language: Language) -> String {
    language.ad_reply().to_owned()
}

/// A valid, reachable number in a country where `language` is spoken.
/// Bounded: gives up after 64 draws (never happens with these plans).
pub fn random_number(rng: &mut impl Rng, language: Language) -> Option<Recipient> {
    for _ in 0..64 {
        let (prefix, digits) = *language.number_plans().choose(rng)?;
        let mut raw = prefix.to_owned();
        for _ in 0..digits {
            raw.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        if let Some(r) = Recipient::parse(&raw)
            && !r.is_unreachable()
        {
            return Some(r);
        }
    }
    None
}

/// A message a customer sends, as the control API takes it:
/// `{from, name?, timestamp?, reply_to?, referral?, <kind>: …}` with exactly
/// one kind key (`text`, `image`, `document`, `video`, `audio`, `sticker`,
/// `location`, `contacts`, `reaction`, `button`, `unsupported`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbound {
    /// The customer's number, E.164 with or without `+`. Empty (or absent)
    /// for a customer known only by `username`.
    #[serde(default)]
    pub from: String,
    /// The customer's WhatsApp username (`contacts[].profile.username`).
    /// Without `from`, the customer hides their number: the webhook names
    /// them by business-scoped user id and username only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the webhook leaves out the number (`from`, `wa_id`): `true`
    /// by default for a username-only customer, `false` otherwise. `false`
    /// with a username and no `from` shares the number the customer had
    /// hidden, as when they message after Meta learned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_number: Option<bool>,
    /// Profile name; kept from earlier messages, or made up, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Meta timestamp, Unix seconds (number or string); now when absent. A
    /// past value back-dates the message, and with it the customer's window.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "unix_seconds"
    )]
    pub timestamp: Option<i64>,
    /// Makes this a reply to that wamid (`context`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Click-to-WhatsApp ad referral: `true` for a stock ad, or the fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralSpec>,
    #[serde(flatten)]
    pub content: Content,
}

impl Inbound {
    pub fn text(from: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            username: None,
            hide_number: None,
            name: None,
            timestamp: None,
            reply_to: None,
            referral: None,
            content: Content::Text(text.into()),
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn at(mut self, unix_seconds: i64) -> Self {
        self.timestamp = Some(unix_seconds);
        self
    }
}

pub(crate) fn unix_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Ts {
        Number(i64),
        Text(String),
    }
    match Option::<Ts>::deserialize(d)? {
        None => Ok(None),
        Some(Ts::Number(n)) => Ok(Some(n)),
        Some(Ts::Text(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("timestamp must be Unix seconds")),
    }
}

/// What the message holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    Text(String),
    Image(MediaSpec),
    Document(MediaSpec),
    Video(MediaSpec),
    Audio(AudioSpec),
    Sticker(MediaSpec),
    Location(LocationSpec),
    Contacts(Vec<SharedContact>),
    /// `emoji` absent removes the reaction, as in Meta's webhook.
    Reaction(ReactionSpec),
    /// A tap on a template's quick-reply button.
    Button(ButtonSpec),
    /// A message kind WhatsApp does not support (e.g. a poll).
    Unsupported(UnsupportedSpec),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MediaSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AudioSpec {
    #[serde(default)]
    pub voice: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationSpec {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedContact {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionSpec {
    pub message_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonSpec {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UnsupportedSpec {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// `referral: true` or `referral: {…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReferralSpec {
    Stock(bool),
    Custom(Referral),
}

/// A click-to-WhatsApp referral; absent fields take the stock ad's values,
/// except `ctwa_clid`, which Status-ad placements lack.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Referral {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctwa_clid: Option<String>,
}

impl ReferralSpec {
    /// The `referral` object of the message, or `None` for `referral: false`.
    pub fn to_json(&self) -> Option<Value> {
        let custom = match self {
            Self::Stock(false) => return None,
            Self::Stock(true) => Referral::default(),
            Self::Custom(r) => r.clone(),
        };
        let stock_clid = matches!(self, Self::Stock(true));
        let mut v = json!({
            "source_url": custom.source_url.unwrap_or_else(|| "https://shop.example.com/ads/spring".into()),
            "source_id": custom.source_id.unwrap_or_else(|| "120211111111110507".into()),
            "source_type": custom.source_type.unwrap_or_else(|| "ad".into()),
            "headline": custom.headline.unwrap_or_else(|| "Spring sale: 20% off everything".into()),
            "body": custom.body.unwrap_or_else(|| "Message us to get your discount code".into()),
            "media_type": custom.media_type.unwrap_or_else(|| "image".into()),
            "image_url": custom.image_url.unwrap_or_else(|| "https://shop.example.com/ads/spring.jpg".into()),
            "thumbnail_url": "https://shop.example.com/ads/spring_thumb.jpg",
        });
        let clid = custom.ctwa_clid.or_else(|| {
            stock_clid.then(|| "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4ir".into())
        });
        if let (Some(clid), Some(obj)) = (clid, v.as_object_mut()) {
            obj.insert("ctwa_clid".into(), Value::String(clid));
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_whatsapp::window::SERVICE_WINDOW_SECS;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn inbound_json_forms_parse() {
        let t: Inbound = serde_json::from_value(json!({"from": "+34612345678", "name": "Lucía", "text": "Hola", "timestamp": "1750000000"})).unwrap();
        assert_eq!(t.content, Content::Text("Hola".into()));
        assert_eq!(t.timestamp, Some(1_750_000_000));
        let r: Inbound = serde_json::from_value(
            json!({"from": "1", "reaction": {"message_id": "wamid.X"}, "referral": true}),
        )
        .unwrap();
        assert!(matches!(
            r.content,
            Content::Reaction(ReactionSpec { emoji: None, .. })
        ));
        assert_eq!(r.referral, Some(ReferralSpec::Stock(true)));
        let l: Inbound = serde_json::from_value(
            json!({"from": "1", "location": {"latitude": 40.4, "longitude": -3.7}}),
        )
        .unwrap();
        assert!(matches!(l.content, Content::Location(_)));
        assert!(serde_json::from_value::<Inbound>(json!({"from": "1", "hologram": {}})).is_err());
    }

    #[test]
    fn custom_referral_keeps_given_fields_and_may_lack_clid() {
        let r = ReferralSpec::Custom(Referral {
            source_type: Some("post".into()),
            ..Referral::default()
        });
        let v = r.to_json().unwrap();
        assert_eq!(v["source_type"], "post");
        assert!(v.get("ctwa_clid").is_none());
        assert!(
            ReferralSpec::Stock(true)
                .to_json()
                .unwrap()
                .get("ctwa_clid")
                .is_some()
        );
        assert_eq!(ReferralSpec::Stock(false).to_json(), None);
    }

    #[test]
    fn generated_numbers_are_valid_and_match_the_language() {
        let mut rng = StdRng::seed_from_u64(3);
        for lang in Language::ALL {
            for _ in 0..30 {
                let r = random_number(&mut rng, lang).expect("a number");
                assert_eq!(Language::for_country(&r.country), lang, "{r:?}");
            }
        }
    }

    #[test]
    fn windows_close_after_24_hours() {
        let mut c = Customer {
            wa_id: "1".into(),
            name: "A".into(),
            user_id: "US.1".into(),
            username: None,
            language: Language::En,
            last_inbound: Some(1_000_000),
            referral_at: None,
            first_reply_at: None,
        };
        assert!(c.window_open(1_000_000 + SERVICE_WINDOW_SECS - 1));
        assert!(!c.window_open(1_000_000 + SERVICE_WINDOW_SECS));
        c.last_inbound = None;
        assert!(!c.window_open(0));
    }
}
