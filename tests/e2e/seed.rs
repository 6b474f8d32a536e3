//! Fills a profile's store through the core API before the app starts.

use hourglass_core::inbox::Direction;
use hourglass_core::store::{NewContact, NewMessage, Store};
use std::path::Path;

pub const PHONE_NUMBER_ID: &str = "106540352242922";

pub struct Chat<'a> {
    pub name: Option<&'a str>,
    pub phone: &'a str,
    /// (direction, seconds before now, body)
    pub messages: &'a [(Direction, i64, &'a str)],
}

/// Writes the chats; message times are relative to `now` (Unix seconds).
pub fn chats(dir: &Path, now: i64, chats: &[Chat<'_>]) {
    let mut store = Store::open_in_dir(dir).expect("open the store to seed");
    store
        .write(|w| {
            for (i, chat) in chats.iter().enumerate() {
                let contact = w.upsert_contact(&NewContact {
                    phone: Some(chat.phone.into()),
                    user_id: None,
                    name: chat.name.map(Into::into),
                    username: None,
                })?;
                let conv = w.conversation_for(contact, PHONE_NUMBER_ID)?;
                for (j, (direction, ago, body)) in chat.messages.iter().enumerate() {
                    w.insert_message(&NewMessage {
                        wamid: format!("wamid.seed.{i}.{j}").into(),
                        conversation_id: conv,
                        direction: *direction,
                        kind: "text".into(),
                        body: (*body).into(),
                        payload: None,
                        sent_at: now - ago,
                        status: None,
                        reply_to_wamid: None,
                    })?;
                }
            }
            Ok(())
        })
        .expect("seed the store");
}
