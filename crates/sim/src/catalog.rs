//! The fake business's message templates, in English (`en_US`), Russian
//! (`ru`) and Spanish (`es`).
//!
//! The set covers what the template picker must handle: utility, marketing
//! and authentication; positional and named parameters; text, image and
//! document headers; URL buttons with a suffix, quick replies, phone and
//! copy-code buttons; a template without parameters; one PAUSED and one
//! REJECTED template. Written as Meta's JSON so the listing serves exactly what
//! the Graph API would.

use hourglass_whatsapp::template::Template;
use serde_json::{Value, json};

/// One template: the model the simulator validates sends against, and the
/// JSON the listing serves (with fields the model does not keep, such as
/// `add_security_recommendation`).
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub template: Template,
    pub json: Value,
}

/// Every template, in listing order.
pub fn templates() -> Vec<CatalogEntry> {
    raw()
        .into_iter()
        .enumerate()
        .filter_map(|(i, mut json)| {
            json["id"] = Value::String(format!("{}", 1_200_000_000_000_000u64 + i as u64 * 7_919));
            // The set is static and covered by a test; a typo shows there.
            let template = serde_json::from_value(json.clone()).ok()?;
            Some(CatalogEntry { template, json })
        })
        .collect()
}

fn order_update(language: &str, header: &str, body: &str, footer: &str, button: &str) -> Value {
    json!({
        "name": "order_update", "language": language, "status": "APPROVED", "category": "UTILITY",
        "parameter_format": "POSITIONAL",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": header, "example": {"header_text": ["SKB-4CP"]}},
            {"type": "BODY", "text": body, "example": {"body_text": [["Jessica", "SKB-4CP", "Friday"]]}},
            {"type": "FOOTER", "text": footer},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": button, "url": "https://shop.example.com/track/{{1}}",
                 "example": ["https://shop.example.com/track/SKB-4CP"]},
                {"type": "PHONE_NUMBER", "text": "☎", "phone_number": "+15550783881"}
            ]}
        ]
    })
}

fn verification_code(language: &str, body: &str, footer: &str, button: &str) -> Value {
    json!({
        "name": "verification_code", "language": language, "status": "APPROVED",
        "category": "AUTHENTICATION", "parameter_format": "POSITIONAL",
        "components": [
            {"type": "BODY", "text": body, "add_security_recommendation": true,
             "example": {"body_text": [["482913"]]}},
            {"type": "FOOTER", "text": footer, "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": button,
                 "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}",
                 "example": ["https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp482913"]}
            ]}
        ]
    })
}

fn follow_up(language: &str, body: &str) -> Value {
    json!({
        "name": "conversation_follow_up", "language": language, "status": "APPROVED",
        "category": "UTILITY", "parameter_format": "POSITIONAL",
        "components": [
            {"type": "BODY", "text": body, "example": {"body_text": [["Jessica"]]}}
        ]
    })
}

fn appointment(language: &str, body: &str, confirm: &str, reschedule: &str) -> Value {
    json!({
        "name": "appointment_reminder", "language": language, "status": "APPROVED",
        "category": "UTILITY", "parameter_format": "NAMED",
        "components": [
            {"type": "BODY", "text": body, "example": {"body_text_named_params": [
                {"param_name": "first_name", "example": "Jessica"},
                {"param_name": "date", "example": "May 12"},
                {"param_name": "time", "example": "10:30"}]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": confirm},
                {"type": "QUICK_REPLY", "text": reschedule}
            ]}
        ]
    })
}

fn spring_sale(language: &str, header: &str, body: &str, shop: &str, stop: &str) -> Value {
    json!({
        "name": "spring_sale", "language": language, "status": "APPROVED",
        "category": "MARKETING", "parameter_format": "NAMED",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": header,
             "example": {"header_text_named_params": [{"param_name": "discount", "example": "20%"}]}},
            {"type": "BODY", "text": body, "example": {"body_text_named_params": [
                {"param_name": "first_name", "example": "Jessica"},
                {"param_name": "discount", "example": "20%"},
                {"param_name": "end_date", "example": "Sunday"}]}},
            {"type": "FOOTER", "text": "Hourglass Shop"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": shop, "url": "https://shop.example.com/sale?ref={{1}}",
                 "example": ["https://shop.example.com/sale?ref=wa-spring"]},
                {"type": "QUICK_REPLY", "text": stop}
            ]}
        ]
    })
}

fn new_arrivals(language: &str, body: &str, status: &str) -> Value {
    json!({
        "name": "new_arrivals", "language": language, "status": status, "category": "MARKETING",
        "parameter_format": "POSITIONAL",
        "components": [
            {"type": "HEADER", "format": "IMAGE",
             "example": {"header_handle": ["https://shop.example.com/img/spring.png"]}},
            {"type": "BODY", "text": body, "example": {"body_text": [["Lucía"]]}}
        ]
    })
}

fn raw() -> Vec<Value> {
    vec![
        json!({
            "name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us."},
                {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}
            ]
        }),
        order_update(
            "en_US",
            "Order {{1}}",
            "Hi {{1}}, your order {{2}} has shipped. It should arrive by {{3}}.",
            "Reply STOP to opt out",
            "Track order",
        ),
        order_update(
            "ru",
            "Заказ {{1}}",
            "Здравствуйте, {{1}}! Ваш заказ {{2}} отправлен и прибудет к {{3}}.",
            "Ответьте СТОП, чтобы отписаться",
            "Отследить заказ",
        ),
        order_update(
            "es",
            "Pedido {{1}}",
            "Hola {{1}}, tu pedido {{2}} ya salió. Debería llegar el {{3}}.",
            "Responde BAJA para no recibir más mensajes",
            "Seguir pedido",
        ),
        follow_up(
            "en_US",
            "Hi {{1}}, we are following up on your request. Reply to this message to continue the conversation.",
        ),
        follow_up(
            "ru",
            "Здравствуйте, {{1}}! Возвращаемся к вашему вопросу. Ответьте на это сообщение, чтобы продолжить разговор.",
        ),
        follow_up(
            "es",
            "Hola {{1}}, seguimos con tu consulta. Responde a este mensaje para continuar la conversación.",
        ),
        appointment(
            "en_US",
            "Hello {{first_name}}, this is a reminder of your appointment on {{date}} at {{time}}.",
            "Confirm",
            "Reschedule",
        ),
        appointment(
            "ru",
            "Здравствуйте, {{first_name}}! Напоминаем о записи {{date}} в {{time}}.",
            "Подтвердить",
            "Перенести",
        ),
        verification_code(
            "en_US",
            "*{{1}}* is your verification code. For your security, do not share this code.",
            "This code expires in 10 minutes.",
            "Copy code",
        ),
        verification_code(
            "ru",
            "*{{1}}* — ваш код подтверждения. В целях безопасности никому его не сообщайте.",
            "Код действует 10 минут.",
            "Копировать код",
        ),
        verification_code(
            "es",
            "*{{1}}* es tu código de verificación. Por tu seguridad, no lo compartas.",
            "Este código caduca en 10 minutos.",
            "Copiar código",
        ),
        spring_sale(
            "en_US",
            "{{discount}} off everything",
            "Hi {{first_name}}, everything in the shop is {{discount}} off until {{end_date}}.",
            "Shop now",
            "Stop promotions",
        ),
        spring_sale(
            "es",
            "{{discount}} de descuento en todo",
            "Hola {{first_name}}, toda la tienda tiene {{discount}} de descuento hasta el {{end_date}}.",
            "Comprar",
            "No más promociones",
        ),
        json!({
            "name": "loyalty_coupon", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "BODY", "text": "{{1}}, thank you for being with us! Here is {{2}} off your next order.",
                 "example": {"body_text": [["Jessica", "15%"]]}},
                {"type": "BUTTONS", "buttons": [
                    {"type": "COPY_CODE", "example": "SAVE15"},
                    {"type": "QUICK_REPLY", "text": "Stop promotions"}
                ]}
            ]
        }),
        new_arrivals(
            "es",
            "¡Hola {{1}}! Ya llegó la nueva colección de primavera.",
            "APPROVED",
        ),
        json!({
            "name": "invoice_ready", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "HEADER", "format": "DOCUMENT",
                 "example": {"header_handle": ["https://shop.example.com/doc/invoice.pdf"]}},
                {"type": "BODY", "text": "Hi {{1}}, your invoice {{2}} is attached.",
                 "example": {"body_text": [["Jessica", "INV-2041"]]}}
            ]
        }),
        json!({
            "name": "winback_offer", "language": "en_US", "status": "PAUSED", "category": "MARKETING",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "BODY", "text": "We miss you, {{1}}! Come back for {{2}} off.",
                 "example": {"body_text": [["Jessica", "25%"]]}}
            ]
        }),
        json!({
            "name": "crypto_giveaway", "language": "en_US", "status": "REJECTED", "category": "MARKETING",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "BODY", "text": "Congratulations {{1}}! You won free crypto. Claim now!",
                 "example": {"body_text": [["Jessica"]]}}
            ]
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_whatsapp::template::{TemplateCategory, TemplateStatus};
    use std::collections::HashSet;

    #[test]
    fn every_template_parses_and_keys_are_unique() {
        let all: Vec<_> = templates().into_iter().map(|e| e.template).collect();
        assert_eq!(all.len(), raw().len());
        let keys: HashSet<_> = all.iter().map(|t| t.key()).collect();
        assert_eq!(keys.len(), all.len());
        let ids: HashSet<_> = all.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn the_set_covers_what_the_picker_must_handle() {
        let all: Vec<_> = templates().into_iter().map(|e| e.template).collect();
        for lang in ["en_US", "ru", "es"] {
            assert!(all.iter().any(|t| t.language == lang));
        }
        for cat in [
            TemplateCategory::Utility,
            TemplateCategory::Marketing,
            TemplateCategory::Authentication,
        ] {
            assert!(all.iter().any(|t| t.category == cat));
        }
        assert_eq!(
            all.iter()
                .filter(|t| t.status == TemplateStatus::Paused)
                .count(),
            1
        );
        assert_eq!(
            all.iter()
                .filter(|t| t.status == TemplateStatus::Rejected)
                .count(),
            1
        );
        // Every example fills its template into something sendable.
        for t in all.iter().filter(|t| t.is_sendable()) {
            let values = t
                .variables()
                .into_iter()
                .map(|v| (v.slot, v.example.unwrap_or_else(|| "x".to_owned())))
                .collect();
            let payload = t.build_payload(&values);
            hourglass_whatsapp::template::validate(t, &payload)
                .unwrap_or_else(|e| panic!("{} {}: {e}", t.name, t.language));
        }
    }
}
