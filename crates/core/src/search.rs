//! Search over messages, private notes and contacts (SQLite FTS5, migration
//! 0006).
//!
//! Decisions:
//! - What the agent types is never passed to FTS5 as query syntax: each word
//!   becomes a quoted term, so `"`, `*`, `AND`, `NEAR(` or a lone `-` are
//!   searched for as text and can never make the query fail. All words must
//!   match; the last one also matches as a prefix while it is being typed.
//! - Messages and notes come newest first (by row id, which follows
//!   arrival), not by relevance: for a support inbox the recent conversation
//!   is almost always the one meant, and reading the index backwards stops
//!   after `limit` hits, so a common word over a million messages costs
//!   about what a rare one does.
//! - The last word is a prefix only from its third character on, and the
//!   message index keeps a prefix index of three characters (migration
//!   0006). A short prefix otherwise merges the lists of every word it
//!   begins: `ca*` took 35–50 ms over a million messages; as a whole word,
//!   or a three-letter prefix read from its own list, it takes under 2 ms.
//!   The prefix index costs about a tenth more insert time and index size.
//! - Contacts are matched by any three consecutive characters of their name,
//!   number or user id (`trigram`), so part of a number finds the customer
//!   whatever way it was typed (`+34 655`, `34655`).
//! - A hit's text comes back as [`Segment`]s, the matched words marked, so
//!   the UI highlights them as text: customer text never becomes markup.

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::inbox::{ConversationId, MessageId};
use crate::store::Store;

/// Hits of each kind returned at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub messages: u32,
    pub notes: u32,
    pub contacts: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            messages: 50,
            notes: 20,
            contacts: 10,
        }
    }
}

/// A piece of a hit's text; `hit` marks the words that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// What a hit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HitKind {
    /// A customer's or an agent's message; open the chat at it.
    Message { message_id: MessageId },
    /// A private note.
    Note { note_id: String },
    /// The customer themself, by name, number or user id.
    Contact,
}

/// One search result, with the conversation it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    #[serde(flatten)]
    pub kind: HitKind,
    pub conversation_id: ConversationId,
    /// Who the conversation is with, as the inbox names them.
    pub title: String,
    /// The matching text around the hit (for a contact: their name or number).
    pub snippet: Vec<Segment>,
    /// Unix seconds: the message's time, the note's, or the conversation's
    /// last activity for a contact.
    #[ts(type = "number")]
    pub at: i64,
}

/// Every hit for one query: contacts, then notes and messages, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SearchResults {
    pub contacts: Vec<SearchHit>,
    pub notes: Vec<SearchHit>,
    pub messages: Vec<SearchHit>,
}

impl SearchResults {
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty() && self.notes.is_empty() && self.messages.is_empty()
    }
}

// Private-use characters around matched words in FTS5's snippet(), split
// into segments before anything leaves this module.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
/// Words of context a snippet keeps around the hit.
const SNIPPET_WORDS: u32 = 16;

/// The FTS5 query for what the agent typed: every word quoted (`""` inside),
/// all required, the last a prefix unless the input ends with a space or it
/// is shorter than three characters.
/// `None` when nothing searchable is left.
pub fn word_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|w| w.replace([OPEN, CLOSE], ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    let prefix = !input.ends_with(char::is_whitespace) && words[last].chars().count() >= 3;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let quoted = format!("\"{}\"", w.replace('"', "\"\""));
                if i == last && prefix {
                    quoted + "*"
                } else {
                    quoted
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The trigram query for contacts: the input as one substring, or its digits
/// alone when it looks like a phone number. `None` below three characters,
/// which trigrams cannot match.
pub fn contact_query(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let phone_like = trimmed.chars().any(|c| c.is_ascii_digit())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let needle: String = if phone_like {
        trimmed.chars().filter(char::is_ascii_digit).collect()
    } else {
        trimmed.replace([OPEN, CLOSE], "")
    };
    (needle.chars().count() >= 3).then(|| format!("\"{}\"", needle.replace('"', "\"\"")))
}

/// Splits FTS5 snippet text at the markers.
fn segments(marked: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    for c in marked.chars() {
        if c == OPEN || c == CLOSE {
            if !text.is_empty() {
                out.push(Segment {
                    text: std::mem::take(&mut text),
                    hit,
                });
            }
            hit = c == OPEN;
        } else {
            text.push(c);
        }
    }
    if !text.is_empty() {
        out.push(Segment { text, hit });
    }
    out
}

const TITLE: &str = "COALESCE(NULLIF(trim(ct.name), ''), '@' || NULLIF(trim(ct.username), ''), ct.phone_e164, ct.user_id, '')";

impl Store {
    /// Searches messages, notes and contacts for what the agent typed.
    /// Empty results for input with nothing searchable in it.
    pub fn search(&self, input: &str, limits: Limits) -> Result<SearchResults> {
        self.with_connection(|c| {
            let mut out = SearchResults::default();
            if let Some(q) = word_query(input) {
                out.messages = messages(c, &q, limits.messages)?;
                out.notes = notes(c, &q, limits.notes)?;
            }
            if let Some(q) = contact_query(input) {
                out.contacts = contacts(c, &q, limits.contacts)?;
            }
            Ok(out)
        })
    }

    /// Only the contacts [`Store::search`] would find, at most `limit`.
    pub fn search_contacts(&self, input: &str, limit: u32) -> Result<Vec<SearchHit>> {
        match contact_query(input) {
            Some(q) => self.with_connection(|c| contacts(c, &q, limit)),
            None => Ok(Vec::new()),
        }
    }
}

fn messages(c: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT f.rowid, m.conversation_id, m.sent_at, {TITLE},
                snippet(messages_fts, 0, '{OPEN}', '{CLOSE}', '…', {SNIPPET_WORDS})
         FROM messages_fts f
         JOIN messages m ON m.id = f.rowid
         JOIN conversations cv ON cv.id = m.conversation_id
         JOIN contacts ct ON ct.id = cv.contact_id
         WHERE messages_fts MATCH ?1
         ORDER BY f.rowid DESC
         LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![query, limit], |r| {
        Ok(SearchHit {
            kind: HitKind::Message {
                message_id: r.get(0)?,
            },
            conversation_id: r.get(1)?,
            at: r.get(2)?,
            title: r.get(3)?,
            snippet: segments(&r.get::<_, String>(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn notes(c: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    // A note names its conversation by customer and number (team.rs); a
    // note about a conversation this desktop has not seen yet is skipped.
    let mut stmt = c.prepare_cached(&format!(
        "SELECT n.id, cv.id, n.at_ms / 1000, {TITLE},
                snippet(notes_fts, 0, '{OPEN}', '{CLOSE}', '…', {SNIPPET_WORDS})
         FROM notes_fts f
         JOIN team_notes n ON n.rowid = f.rowid
         JOIN contacts ct ON ct.phone_e164 = n.customer OR ct.user_id = n.customer
         JOIN conversations cv ON cv.contact_id = ct.id AND cv.phone_number_id = n.phone_number_id
         WHERE notes_fts MATCH ?1
         ORDER BY f.rowid DESC
         LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![query, limit], |r| {
        Ok(SearchHit {
            kind: HitKind::Note { note_id: r.get(0)? },
            conversation_id: r.get(1)?,
            at: r.get(2)?,
            title: r.get(3)?,
            snippet: segments(&r.get::<_, String>(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn contacts(c: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    // One row per contact: their most recently active conversation.
    let mut stmt = c.prepare_cached(&format!(
        "SELECT cv.id, cv.last_activity_at, {TITLE},
                highlight(contacts_fts, 0, '{OPEN}', '{CLOSE}'),
                highlight(contacts_fts, 1, '{OPEN}', '{CLOSE}'),
                highlight(contacts_fts, 2, '{OPEN}', '{CLOSE}')
         FROM contacts_fts f
         JOIN contacts ct ON ct.id = f.rowid
         JOIN conversations cv ON cv.id = (
             SELECT id FROM conversations WHERE contact_id = ct.id
             ORDER BY last_activity_at DESC, id DESC LIMIT 1)
         WHERE contacts_fts MATCH ?1
         ORDER BY cv.last_activity_at DESC
         LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![query, limit], |r| {
        let fields: [Option<String>; 3] = [r.get(3)?, r.get(4)?, r.get(5)?];
        // The field that matched; the name when several did.
        let marked = fields
            .iter()
            .flatten()
            .find(|f| f.contains(OPEN))
            .or(fields[0].as_ref())
            .cloned()
            .unwrap_or_default();
        Ok(SearchHit {
            kind: HitKind::Contact,
            conversation_id: r.get(0)?,
            at: r.get(1)?,
            title: r.get(2)?,
            snippet: segments(&marked),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_become_quoted_terms() {
        assert_eq!(
            word_query("refund order").as_deref(),
            Some("\"refund\" \"order\"*")
        );
        assert_eq!(
            word_query("refund order ").as_deref(),
            Some("\"refund\" \"order\"")
        );
        assert_eq!(
            word_query("say \"hi\" NEAR(x -").as_deref(),
            Some("\"say\" \"\"\"hi\"\"\" \"NEAR(x\"*")
        );
        assert_eq!(word_query("a b").as_deref(), Some("\"a\" \"b\""));
        assert_eq!(word_query("ca").as_deref(), Some("\"ca\""));
        assert_eq!(word_query("cab").as_deref(), Some("\"cab\"*"));
        assert_eq!(word_query("  - * "), None);
        assert_eq!(word_query(""), None);
    }

    #[test]
    fn numbers_are_searched_by_their_digits() {
        assert_eq!(contact_query("+34 655-12").as_deref(), Some("\"3465512\""));
        assert_eq!(contact_query("Ana").as_deref(), Some("\"Ana\""));
        assert_eq!(contact_query("an"), None);
        assert_eq!(contact_query("+3 4"), None);
    }

    #[test]
    fn snippets_split_at_the_markers() {
        assert_eq!(
            segments("a \u{E000}refund\u{E001} for <b>"),
            vec![
                Segment {
                    text: "a ".into(),
                    hit: false
                },
                Segment {
                    text: "refund".into(),
                    hit: true
                },
                Segment {
                    text: " for <b>".into(),
                    hit: false
                },
            ]
        );
        assert!(segments("").is_empty());
    }
}
