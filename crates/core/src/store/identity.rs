//! Who a customer is when Meta names them in more than one way: by number,
//! by business-scoped user id, or both, with the user id able to change
//! (`user_changed_user_id`, migration 0016).
//!
//! The team tables name a customer by one key: the number when Hourglass
//! knows it, else the user id (`COALESCE(phone_e164, user_id)`). When a
//! number arrives for a customer known only by user id, or the user id of
//! such a customer changes, their rows move to the new key; a team event
//! still naming an old key is read as naming the customer's current one.
//! Every step is a no-op when replayed, so desktops replaying the same log
//! converge.

use hourglass_protocol::team::AgentEvent;
use rusqlite::{OptionalExtension, params};

use super::Writer;
use crate::error::Result;
use crate::inbox::{ContactId, ConversationId};

/// The tables keyed by a customer; their rows follow a customer's key.
const CUSTOMER_TABLES: [&str; 8] = [
    "team_assignments",
    "team_notes",
    "team_labels",
    "team_status",
    "contact_names",
    "contact_values",
    "contact_opt_ins",
    "contact_blocks",
];

/// How many renames in a row are followed: a chain never loops (each
/// change is recorded once), but a bound keeps a corrupt table harmless.
const MAX_RENAMES: usize = 16;

impl Writer<'_> {
    /// The conversations merged away since the last call: the window drops
    /// their rows (their messages are in the conversation they joined).
    pub(crate) fn take_removed(&self) -> Vec<ConversationId> {
        std::mem::take(&mut *self.removed.borrow_mut())
    }

    /// The current user id of a customer once known as `user_id`.
    pub(crate) fn resolve_user_id(&self, user_id: &str) -> Result<String> {
        let mut current = user_id.to_owned();
        for _ in 0..MAX_RENAMES {
            let next: Option<String> = self
                .prepared("SELECT user_id FROM user_id_changes WHERE previous_user_id = ?1")?
                .query_row([&current], |r| r.get(0))
                .optional()?;
            match next {
                Some(n) if n != user_id => current = n,
                _ => break,
            }
        }
        Ok(current)
    }

    /// The key the team tables name this contact by.
    pub(crate) fn customer_key(&self, contact: ContactId) -> Result<Option<String>> {
        Ok(self
            .prepared("SELECT COALESCE(phone_e164, user_id) FROM contacts WHERE id = ?1")?
            .query_row([contact], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Moves the team rows of the customer named `old` to `new`. A row that
    /// `new` already has (the same note, label, …) is kept as it is.
    pub(crate) fn rekey_customer(&self, old: &str, new: &str) -> Result<()> {
        if old == new {
            return Ok(());
        }
        tracing::info!("a customer's key changed; moving the team's rows");
        for table in CUSTOMER_TABLES {
            self.tx.execute(
                &format!("UPDATE OR IGNORE {table} SET customer = ?2 WHERE customer = ?1"),
                params![old, new],
            )?;
        }
        Ok(())
    }

    /// The key a team event naming `customer` means now: a user id that
    /// changed, or whose customer's number became known, reads as the
    /// customer's current key.
    pub(crate) fn canonical_customer(&self, customer: &str) -> Result<String> {
        if customer.starts_with('+') {
            return Ok(customer.to_owned());
        }
        let current = self.resolve_user_id(customer)?;
        let key: Option<Option<String>> = self
            .prepared("SELECT COALESCE(phone_e164, user_id) FROM contacts WHERE user_id = ?1")?
            .query_row([&current], |r| r.get(0))
            .optional()?;
        Ok(key.flatten().unwrap_or(current))
    }

    /// `event` naming its customer by their current key, when it names them
    /// by one they no longer go by (a user id that changed, or that a number
    /// has since replaced); `None` when it already names the current one.
    pub(crate) fn renamed_event(&self, event: &AgentEvent) -> Result<Option<AgentEvent>> {
        let Some(customer) = event.customer() else {
            return Ok(None);
        };
        let canonical = self.canonical_customer(customer)?;
        if canonical == customer {
            return Ok(None);
        }
        let mut renamed = event.clone();
        if let Some(c) = renamed.customer_mut() {
            *c = canonical;
        }
        Ok(Some(renamed))
    }

    /// Meta's `user_changed_user_id`: the customer once `previous` is now
    /// `user_id`. Their contact takes the new id (merged with a contact
    /// already seen under it), and the old id is remembered for messages
    /// that still name it.
    pub fn change_user_id(&self, previous: &str, user_id: &str) -> Result<Option<ContactId>> {
        let (previous, user_id) = (previous.trim(), user_id.trim());
        if previous.is_empty() || user_id.is_empty() || previous == user_id {
            return Ok(None);
        }
        // A chain is recorded as it happened; the newest name wins.
        self.prepared(
            "INSERT INTO user_id_changes (previous_user_id, user_id) VALUES (?1, ?2)
             ON CONFLICT (previous_user_id) DO NOTHING",
        )?
        .execute(params![previous, user_id])?;
        let current = self.resolve_user_id(user_id)?;
        let find = |id: &str| -> Result<Option<ContactId>> {
            Ok(self
                .prepared("SELECT id FROM contacts WHERE user_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?)
        };
        let (old, new) = (find(previous)?, find(&current)?);
        match (old, new) {
            (Some(old), None) => {
                let before = self.customer_key(old)?;
                self.tx.execute(
                    "UPDATE contacts SET user_id = ?2 WHERE id = ?1",
                    params![old, current],
                )?;
                if let (Some(before), Some(after)) = (before, self.customer_key(old)?) {
                    self.rekey_customer(&before, &after)?;
                }
                Ok(Some(old))
            }
            (Some(old), Some(new)) if old != new => {
                // Both were seen (messages under the new id came first): the
                // older contact's conversations join the new id's.
                self.merge_contacts(new, old)?;
                Ok(Some(new))
            }
            (_, new) => Ok(new),
        }
    }
}
