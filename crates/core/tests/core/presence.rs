//! Presence and the collision warning between two agents on one real relay:
//! who is viewing or typing, entries that lapse by themselves, and another
//! agent's send found in this desktop's synced store.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::presence::{self, Collision, ConversationPresence};
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SyncConfig};
use hourglass_protocol::{PresenceQuery, PresenceState, PresenceUpdate};
use hourglass_relay::presence::PresenceTtl;
use hourglass_relay::{Config, Relay};
use serde_json::json;

const CUSTOMER: &str = "+34612345678";
const NUMBER: &str = "106540352242922";

fn update(state: PresenceState) -> PresenceUpdate {
    PresenceUpdate {
        customer: CUSTOMER.into(),
        phone_number_id: NUMBER.into(),
        state,
    }
}

fn query() -> PresenceQuery {
    PresenceQuery {
        customer: Some(CUSTOMER.into()),
        phone_number_id: Some(NUMBER.into()),
    }
}

/// An `outbound` agent event, as an agent's outbox publishes it once Meta
/// accepted a send.
fn outbound(wamid: &str, body: &str) -> serde_json::Value {
    json!({ "type": "outbound", "wamid": wamid, "to": CUSTOMER, "phone_number_id": NUMBER,
            "kind": "text", "body": body, "sent_at": 1_760_000_000, "status": "accepted" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_each_other_and_are_warned_before_answering_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path().join("relay.db"), "secret", "verify");
    config.presence_ttl = PresenceTtl {
        viewing: Duration::from_millis(1_500),
        typing: Duration::from_millis(600),
    };
    let relay = Relay::open(config).unwrap();
    let ana_token = relay.add_agent("ana").unwrap().expose().to_owned();
    let maria_token = relay.add_agent("maria").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let url = relay.url();
    let ana = RelayClient::new(&url, Secret::new(ana_token.clone())).unwrap();
    let maria = RelayClient::new(&url, Secret::new(maria_token)).unwrap();
    assert_eq!(ana.me().await.unwrap(), "ana");
    assert_eq!(maria.me().await.unwrap(), "maria");

    // Both open the chat; Maria starts typing. Each sees only the other.
    let seen = ana
        .set_presence(&update(PresenceState::Viewing))
        .await
        .unwrap();
    assert_eq!(
        ConversationPresence::of_others(&seen.entries, "ana"),
        ConversationPresence::default()
    );
    maria
        .set_presence(&update(PresenceState::Viewing))
        .await
        .unwrap();
    maria
        .set_presence(&update(PresenceState::Typing))
        .await
        .unwrap();
    let list = ana.presence(&query()).await.unwrap();
    assert_eq!(
        ConversationPresence::of_others(&list.entries, "ana"),
        ConversationPresence {
            viewing: vec![],
            typing: vec!["maria".into()]
        }
    );
    let list = maria.presence(&query()).await.unwrap();
    assert_eq!(
        ConversationPresence::of_others(&list.entries, "maria").viewing,
        vec!["ana".to_owned()]
    );
    // Another conversation is somebody else's business.
    let elsewhere = ana
        .presence(&PresenceQuery {
            customer: Some("+15550000000".into()),
            phone_number_id: Some(NUMBER.into()),
        })
        .await
        .unwrap();
    assert!(elsewhere.entries.is_empty());

    // Typing lapses by itself when Maria stops saying so.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let list = ana.presence(&query()).await.unwrap();
    let others = ConversationPresence::of_others(&list.entries, "ana");
    assert!(others.typing.is_empty(), "{others:?}");

    // Maria sent the customer a message; Ana's desktop syncs it.
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("ana")).unwrap(),
    ));
    let mut sync_config = SyncConfig::new(url.clone(), ana_token);
    sync_config.backoff.initial = Duration::from_millis(20);
    let engine = sync::spawn(Arc::clone(&store), sync_config);
    maria
        .publish(
            "outbox-1",
            outbound("wamid.maria.1", "Your refund is on its way"),
        )
        .await
        .unwrap();
    ana.publish("outbox-2", outbound("wamid.ana.1", "Hi, Ana here"))
        .await
        .unwrap();
    let started = Instant::now();
    let conversation = loop {
        let found = {
            let s = store.lock().unwrap();
            match (
                s.message_by_wamid("wamid.maria.1").unwrap(),
                s.message_by_wamid("wamid.ana.1").unwrap(),
            ) {
                (Some(m), Some(_)) => Some(m.conversation_id),
                _ => None,
            }
        };
        if let Some(c) = found {
            break c;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "not synced");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // Each send is shown with its sender, and the list names who answered last.
    {
        let s = store.lock().unwrap();
        let by = |wamid: &str| s.message_by_wamid(wamid).unwrap().unwrap().sent_by;
        assert_eq!(by("wamid.maria.1").as_deref(), Some("maria"));
        assert_eq!(by("wamid.ana.1").as_deref(), Some("ana"));
        let summary = s
            .list_conversations(10)
            .unwrap()
            .into_iter()
            .find(|c| c.id == conversation)
            .unwrap();
        assert_eq!(summary.last_preview, "Hi, Ana here");
        assert_eq!(summary.last_sent_by.as_deref(), Some("ana"));
    }

    let now_ms = chrono::Utc::now().timestamp_millis();
    let nobody = ConversationPresence::default();
    let warned = {
        let s = store.lock().unwrap();
        presence::collisions(&s, conversation, "ana", &nobody, now_ms).unwrap()
    };
    // Maria's send, not Ana's own.
    assert!(
        matches!(&warned[..], [Collision::Sent { agent, seconds_ago }] if agent == "maria" && *seconds_ago < 10),
        "{warned:?}"
    );
    // Seen from Maria's side, Ana's send is the one to warn about.
    let for_maria = {
        let s = store.lock().unwrap();
        presence::collisions(&s, conversation, "maria", &nobody, now_ms).unwrap()
    };
    assert!(
        matches!(&for_maria[..], [Collision::Sent { agent, .. }] if agent == "ana"),
        "{for_maria:?}"
    );
    // A minute later it no longer counts; someone typing always does.
    let typing = ConversationPresence {
        viewing: vec![],
        typing: vec!["maria".into()],
    };
    let later = {
        let s = store.lock().unwrap();
        presence::collisions(&s, conversation, "ana", &typing, now_ms + 61_000).unwrap()
    };
    assert_eq!(
        later,
        vec![Collision::Typing {
            agent: "maria".into()
        }]
    );

    // Leaving removes Ana at once, for Maria.
    ana.set_presence(&update(PresenceState::Left))
        .await
        .unwrap();
    let list = maria.presence(&query()).await.unwrap();
    assert!(
        ConversationPresence::of_others(&list.entries, "maria")
            .viewing
            .is_empty()
    );

    engine.shutdown().await;
    relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn presence_needs_a_token_and_a_named_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::open(Config::new(dir.path().join("relay.db"), "s", "v")).unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/v1/presence", relay.url());
    let res = http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "customer": "", "phone_number_id": NUMBER, "state": "viewing" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "customer": CUSTOMER, "phone_number_id": NUMBER, "state": "dancing" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    relay.shutdown().await.unwrap();
}
