//! The WhatsApp Business app beside the Cloud API, as the simulator plays
//! it: its echoes, its history and its address book reach the webhook
//! receiver signed, in the shapes `hourglass_whatsapp` reads.

use hourglass_sim::{AddressBookAction, HistoryAuthor, HistoryItem, Routed, RoutedInbound};
use hourglass_whatsapp::webhook::{MessageContent, Update, parse};

use crate::receiver::{config, pair};

const CUSTOMER: &str = "+34612345678";

fn routed(what: Routed, name: Option<&str>) -> RoutedInbound {
    RoutedInbound {
        from: CUSTOMER.into(),
        name: name.map(str::to_owned),
        timestamp: None,
        what,
    }
}

fn item(by: HistoryAuthor, body: &str) -> HistoryItem {
    HistoryItem {
        by,
        body: Some(body.into()),
        media: false,
        timestamp: None,
    }
}

#[tokio::test]
async fn echoes_history_and_address_book_arrive_in_meta_s_shapes() {
    let (sim, relay) = pair(config()).await;
    let echo = sim
        .routed(routed(Routed::Echo("Te la guardo".into()), None), true)
        .await
        .unwrap();
    assert_eq!(echo.delivered, Some(true));
    let history = vec![
        item(HistoryAuthor::Customer, "¿Abrís el sábado?"),
        item(HistoryAuthor::Business, "Sí, de 10 a 14"),
        HistoryItem {
            by: HistoryAuthor::Customer,
            body: None,
            media: true,
            timestamp: None,
        },
    ];
    sim.routed(routed(Routed::History(history), None), true)
        .await
        .unwrap();
    sim.routed(
        routed(
            Routed::AddressBook(AddressBookAction::Add),
            Some("Ana García"),
        ),
        true,
    )
    .await
    .unwrap();

    assert_eq!(relay.bad_signatures(), 0);
    let updates: Vec<Update> = relay
        .posts()
        .iter()
        .flat_map(|p| parse(&p.body).unwrap())
        .collect();
    let echo_update = updates
        .iter()
        .find_map(|u| match u {
            Update::Echo(e) => Some(e),
            _ => None,
        })
        .expect("an echo");
    assert!(echo_update.business_app);
    assert_eq!(echo_update.to.as_deref(), Some("34612345678"));
    assert_eq!(echo_update.message.id.0, echo.id);

    let history: Vec<_> = updates
        .iter()
        .filter_map(|u| match u {
            Update::History(h) => Some(h),
            _ => None,
        })
        .collect();
    assert_eq!(history.len(), 3, "one update per message");
    assert!(
        history
            .iter()
            .all(|h| h.customer.as_deref() == Some("34612345678"))
    );
    assert!(!history[0].from_business);
    assert!(history[1].from_business);
    assert!(history[0].message.timestamp.0 < history[1].message.timestamp.0);
    assert!(
        matches!(&history[2].message.content, MessageContent::Unknown { kind, .. } if kind == "media_placeholder")
    );

    let sync = updates
        .iter()
        .find_map(|u| match u {
            Update::ContactSync(s) => Some(s),
            _ => None,
        })
        .expect("an address-book change");
    let contact = sync.state_sync[0].contact.as_ref().unwrap();
    assert_eq!(sync.state_sync[0].action, "add");
    assert_eq!(contact.full_name.as_deref(), Some("Ana García"));
    assert_eq!(contact.phone_number.as_deref(), Some("34612345678"));
}

#[test]
fn coexistence_bodies_are_told_apart() {
    use hourglass_sim::InboundRequest;
    let history = InboundRequest::from_slice(
        br#"{"from": "1", "history": [{"by": "business", "body": "Hola"}, {"by": "customer", "media": true}]}"#,
    )
    .unwrap();
    let InboundRequest::Routed(RoutedInbound {
        what: Routed::History(items),
        ..
    }) = history
    else {
        panic!("history is routed")
    };
    assert_eq!(items.len(), 2);
    assert!(items[1].media);
    let removed =
        InboundRequest::from_slice(br#"{"from": "1", "address_book": "remove"}"#).unwrap();
    assert!(matches!(
        removed,
        InboundRequest::Routed(RoutedInbound {
            what: Routed::AddressBook(AddressBookAction::Remove),
            ..
        })
    ));
    // A mistyped author is refused with the reason, not guessed.
    let err = InboundRequest::from_slice(br#"{"from": "1", "history": [{"by": "bot"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bot"), "{err}");
}
