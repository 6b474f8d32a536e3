//! Pages of a chat over a real SQLite file: the newest page, older pages
//! before a cursor, newer pages after one, a page around a message, messages
//! with the same second, and an empty chat.

#![allow(clippy::unwrap_used)]

use hourglass_core::error::Error;
use hourglass_core::inbox::{ConversationId, Direction, MessageId};
use hourglass_core::store::{Inserted, MessagePage, NewContact, NewMessage, PageAt, Store};

const NUMBER: &str = "106540352242922";

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn chat(store: &mut Store, phone: &str) -> ConversationId {
    store
        .write(|w| {
            let c = w.upsert_contact(&NewContact {
                phone: Some(phone.into()),
                ..NewContact::default()
            })?;
            w.conversation_for(c, NUMBER)
        })
        .unwrap()
}

/// Stores one message per entry of `times` (Unix seconds), in that order.
fn messages(store: &mut Store, conv: ConversationId, tag: &str, times: &[i64]) -> Vec<MessageId> {
    store
        .write(|w| {
            let mut ids = Vec::new();
            for (i, at) in times.iter().enumerate() {
                let inserted = w.insert_message(&NewMessage {
                    wamid: format!("wamid.{tag}.{i}").into(),
                    conversation_id: conv,
                    direction: Direction::Inbound,
                    kind: "text".into(),
                    body: format!("{tag} {i}"),
                    payload: None,
                    sent_at: *at,
                    status: None,
                    reply_to_wamid: None,
                })?;
                match inserted {
                    Inserted::New(id) => ids.push(id),
                    Inserted::Duplicate(_) => panic!("stored twice"),
                }
            }
            Ok(ids)
        })
        .unwrap()
}

fn ids(page: &MessagePage) -> Vec<MessageId> {
    page.messages.iter().map(|m| m.id).collect()
}

#[test]
fn pages_walk_a_chat_back_and_forth_without_gaps_or_repeats() {
    let (_dir, mut store) = open();
    let c = chat(&mut store, "+34655123456");
    let other = chat(&mut store, "+16505551234");
    // 250 messages, three to a second, so most pages start and end inside
    // a second; another chat's messages interleave in time.
    let times: Vec<i64> = (0..250).map(|i| 1_000 + i / 3).collect();
    let all = messages(&mut store, c, "a", &times);
    messages(&mut store, other, "b", &times[..40]);

    let newest = store.message_page(c, PageAt::Newest, 100).unwrap();
    assert_eq!(ids(&newest), all[150..].to_vec());
    assert!(newest.has_older && !newest.has_newer);

    // Older pages, each before the first message shown, down to the start.
    let mut seen = ids(&newest);
    let mut cursor = newest.messages[0].id;
    let mut pages = 0;
    loop {
        let page = store
            .message_page(c, PageAt::Before { message: cursor }, 100)
            .unwrap();
        assert!(page.has_newer, "the cursor itself is newer");
        let mut got = ids(&page);
        got.extend(seen);
        seen = got;
        pages += 1;
        if !page.has_older {
            break;
        }
        cursor = page.messages[0].id;
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, all, "every message once, in order");

    // Newer pages from the oldest message back up to the newest.
    let mut seen = vec![all[0]];
    let mut cursor = all[0];
    loop {
        let page = store
            .message_page(c, PageAt::After { message: cursor }, 100)
            .unwrap();
        assert!(page.has_older, "the cursor itself is older");
        seen.extend(ids(&page));
        if !page.has_newer {
            break;
        }
        cursor = *seen.last().unwrap();
    }
    assert_eq!(seen, all);

    // At either end: an empty page that says so.
    let before_first = store
        .message_page(c, PageAt::Before { message: all[0] }, 100)
        .unwrap();
    assert!(before_first.messages.is_empty());
    assert!(!before_first.has_older && before_first.has_newer);
    let after_last = store
        .message_page(c, PageAt::After { message: all[249] }, 100)
        .unwrap();
    assert!(after_last.messages.is_empty());
    assert!(after_last.has_older && !after_last.has_newer);

    // A page exactly as long as what is left says nothing more is there.
    let last_page = store
        .message_page(c, PageAt::Before { message: all[100] }, 100)
        .unwrap();
    assert_eq!(ids(&last_page), all[..100].to_vec());
    assert!(!last_page.has_older);
}

#[test]
fn a_page_around_a_message_centres_it_and_says_what_lies_beyond() {
    let (_dir, mut store) = open();
    let c = chat(&mut store, "+34655123456");
    // Every message in the same second: the row id alone orders them.
    let all = messages(&mut store, c, "a", &[5_000; 300]);

    let page = store
        .message_page(c, PageAt::Around { message: all[150] }, 100)
        .unwrap();
    assert_eq!(ids(&page), all[100..200].to_vec());
    assert!(page.has_older && page.has_newer);

    // Near the start, the page is filled from after the message.
    let page = store
        .message_page(c, PageAt::Around { message: all[3] }, 100)
        .unwrap();
    assert_eq!(ids(&page), all[..100].to_vec());
    assert!(!page.has_older && page.has_newer);

    // Near the newest, from before it.
    let page = store
        .message_page(c, PageAt::Around { message: all[295] }, 100)
        .unwrap();
    assert_eq!(ids(&page), all[200..].to_vec());
    assert!(page.has_older && !page.has_newer);

    // A chat shorter than the page: all of it.
    let short = chat(&mut store, "+4917055543219");
    let few = messages(&mut store, short, "s", &[1, 2, 3]);
    let page = store
        .message_page(short, PageAt::Around { message: few[1] }, 100)
        .unwrap();
    assert_eq!(ids(&page), few);
    assert!(!page.has_older && !page.has_newer);
}

#[test]
fn a_page_around_a_moment_starts_with_that_seconds_messages() {
    let (_dir, mut store) = open();
    let c = chat(&mut store, "+34655123456");
    // Ten seconds, ten messages each.
    let times: Vec<i64> = (0..100).map(|i| 100 + i / 10).collect();
    let all = messages(&mut store, c, "a", &times);
    // A note written at second 105: half the page before that second,
    // the rest from its first message on.
    let page = store
        .message_page(c, PageAt::AroundTime { seconds: 105 }, 20)
        .unwrap();
    assert_eq!(ids(&page), all[40..60].to_vec());
    assert!(page.has_older && page.has_newer);
    // After the newest message: the newest page.
    let page = store
        .message_page(c, PageAt::AroundTime { seconds: 999 }, 20)
        .unwrap();
    assert_eq!(ids(&page), all[80..].to_vec());
    assert!(page.has_older && !page.has_newer);
    // Before the oldest: the oldest page.
    let page = store
        .message_page(c, PageAt::AroundTime { seconds: 1 }, 20)
        .unwrap();
    assert_eq!(ids(&page), all[..20].to_vec());
    assert!(!page.has_older && page.has_newer);
}

#[test]
fn an_empty_chat_and_a_foreign_cursor() {
    let (_dir, mut store) = open();
    let empty = chat(&mut store, "+34655123456");
    let page = store.message_page(empty, PageAt::Newest, 100).unwrap();
    assert!(page.messages.is_empty());
    assert!(!page.has_older && !page.has_newer);

    let other = chat(&mut store, "+16505551234");
    let theirs = messages(&mut store, other, "b", &[10, 20]);
    for at in [
        PageAt::Before { message: theirs[1] },
        PageAt::After { message: theirs[0] },
        PageAt::Around { message: theirs[0] },
        PageAt::Before {
            message: MessageId(999_999),
        },
    ] {
        let err = store.message_page(empty, at, 100).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{at:?}: {err}");
    }
    // A limit of 0 still reads one message, never nothing at all.
    let page = store.message_page(other, PageAt::Newest, 0).unwrap();
    assert_eq!(ids(&page), vec![theirs[1]]);
    assert!(page.has_older);
}

#[test]
fn a_page_carries_reactions_like_a_whole_chat() {
    let (_dir, mut store) = open();
    let c = chat(&mut store, "+34655123456");
    let all = messages(&mut store, c, "a", &[100, 200, 300]);
    store
        .write(|w| {
            w.set_reaction(
                "wamid.a.1",
                Direction::Inbound,
                Some("👍"),
                250,
                "wamid.r",
                1,
            )
        })
        .unwrap();
    let whole = store.list_messages(c, 10).unwrap();
    assert_eq!(whole[1].reactions.len(), 1);
    let page = store
        .message_page(c, PageAt::Before { message: all[2] }, 10)
        .unwrap();
    assert_eq!(page.messages, whole[..2].to_vec());
}
