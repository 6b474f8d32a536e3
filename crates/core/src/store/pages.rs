//! Pages of a chat, read by keyset: a message's place is `(sent_at, id)`,
//! the order of the `messages_by_conversation` index, so a page costs the
//! same at the newest message as 100,000 messages back, and messages with
//! the same second keep one order across pages.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MESSAGE_SELECT, Store, message_from_row};
use crate::error::{Error, Result};
use crate::inbox::{ConversationId, Message, MessageId};

/// Where in a chat a page is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "at", rename_all = "snake_case")]
#[ts(export)]
pub enum PageAt {
    /// The newest messages: a chat opens here.
    Newest,
    /// The messages just older than this one (not included).
    Before { message: MessageId },
    /// The messages just newer than this one (not included).
    After { message: MessageId },
    /// This message (a search hit), about half the page before it and the
    /// rest after it; near either end of the chat the other side makes up
    /// the difference.
    Around { message: MessageId },
    /// The messages around a moment (Unix seconds), as around a message
    /// sent then: where a private note sits in the chat.
    AroundTime {
        #[ts(type = "number")]
        seconds: i64,
    },
}

/// Messages of one chat, oldest first, and whether the chat goes on
/// beyond them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Older messages exist before the first one.
    pub has_older: bool,
    /// Newer messages exist after the last one.
    pub has_newer: bool,
}

/// Which side of a place a read goes, nearest first.
#[derive(Clone, Copy)]
enum Side {
    /// Strictly older, newest first.
    Before,
    /// Strictly newer, oldest first.
    After,
    /// This place and newer, oldest first.
    From,
}

impl Store {
    /// A page of up to `limit` messages (at least 1) of a conversation.
    /// [`Error::NotFound`] when the message a page is read from is not one
    /// of that conversation's.
    pub fn message_page(&self, id: ConversationId, at: PageAt, limit: u32) -> Result<MessagePage> {
        let limit = limit.max(1) as usize;
        let (messages, has_older, has_newer) = match at {
            PageAt::Newest => {
                let (mut older, more) = self.read_side(id, None, Side::Before, limit)?;
                older.reverse();
                (older, more, false)
            }
            PageAt::Before { message } => {
                let key = self.place_of(id, message)?;
                let (mut older, more) = self.read_side(id, Some(key), Side::Before, limit)?;
                older.reverse();
                (older, more, true)
            }
            PageAt::After { message } => {
                let key = self.place_of(id, message)?;
                let (newer, more) = self.read_side(id, Some(key), Side::After, limit)?;
                (newer, true, more)
            }
            PageAt::Around { message } => self.around(id, self.place_of(id, message)?, limit)?,
            // Before every message of that second.
            PageAt::AroundTime { seconds } => {
                self.around(id, (seconds, MessageId(i64::MIN)), limit)?
            }
        };
        let mut messages = messages;
        self.fill_reactions(&mut messages)?;
        Ok(MessagePage {
            messages,
            has_older,
            has_newer,
        })
    }

    /// Up to `limit` messages around a place: about half before it, the
    /// rest from it on; near either end the other side makes up the
    /// difference. With whether the chat goes on at either side.
    fn around(
        &self,
        id: ConversationId,
        key: (i64, MessageId),
        limit: usize,
    ) -> Result<(Vec<Message>, bool, bool)> {
        let half = limit / 2;
        let (mut before, mut older) = self.read_side(id, Some(key), Side::Before, half)?;
        let (after, newer) = self.read_side(id, Some(key), Side::From, limit - before.len())?;
        // Near the newest message: more from before it.
        if !newer && older && before.len() + after.len() < limit {
            (before, older) = self.read_side(id, Some(key), Side::Before, limit - after.len())?;
        }
        before.reverse();
        before.extend(after);
        Ok((before, older, newer))
    }

    /// The place `(sent_at, id)` of a message of this conversation.
    fn place_of(&self, id: ConversationId, message: MessageId) -> Result<(i64, MessageId)> {
        self.conn
            .query_row(
                "SELECT sent_at, conversation_id FROM messages WHERE id = ?1",
                [message],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, ConversationId>(1)?)),
            )
            .optional()?
            .filter(|(_, c)| *c == id)
            .map(|(at, _)| (at, message))
            .ok_or_else(|| Error::NotFound {
                what: format!("message {message} in conversation {id}"),
            })
    }

    /// Up to `n` messages on one side of `from` (the newest end when
    /// `None`, read with [`Side::Before`]), nearest first, and whether there are more beyond them.
    /// Reactions are not filled in.
    fn read_side(
        &self,
        id: ConversationId,
        from: Option<(i64, MessageId)>,
        side: Side,
        n: usize,
    ) -> Result<(Vec<Message>, bool)> {
        let (cmp, order) = match side {
            Side::Before => ("<", "DESC"),
            Side::After => (">", "ASC"),
            Side::From => (">=", "ASC"),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND (m.sent_at, m.id) {cmp} (?2, ?3)
             ORDER BY m.sent_at {order}, m.id {order} LIMIT ?4"
        ))?;
        // The newest end is before every place.
        let (at, anchor) = from.unwrap_or((i64::MAX, MessageId(i64::MAX)));
        // One more than asked says whether the chat goes on.
        let rows = stmt.query_map(params![id, at, anchor, n + 1], message_from_row)?;
        let mut out: Vec<Message> = rows.collect::<rusqlite::Result<_>>()?;
        let more = out.len() > n;
        out.truncate(n);
        Ok((out, more))
    }
}
