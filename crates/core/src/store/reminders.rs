//! Window reminders (migration 0009): which of my conversations need an
//! answer before their 24-hour window closes, each reminded once per window.

use rusqlite::params;

use super::Store;
use crate::error::Result;
use crate::inbox::ConversationId;
use crate::inbox::WindowReminder;

impl Store {
    /// The conversations assigned to `me` whose customer's newest message
    /// is unanswered and whose 24-hour window closes after `now` (Unix
    /// seconds) and within `lead_secs`, each only once per window: they are
    /// recorded as reminded in the same transaction, so a restart or a
    /// second call never repeats one. Names are the list's display names.
    pub fn due_window_reminders(
        &mut self,
        me: &str,
        now: i64,
        lead_secs: i64,
    ) -> Result<Vec<WindowReminder>> {
        let window = hourglass_whatsapp::window::SERVICE_WINDOW_SECS;
        let due: Vec<(ConversationId, i64)> = self.write(|w| {
            let due =
                w.tx.prepare_cached(
                    "SELECT cv.id, cv.last_inbound_at + ?2 AS closes_at
                     FROM team_assignments ta
                     JOIN contacts ct ON (ct.phone_e164 = ta.customer OR ct.user_id = ta.customer)
                     JOIN conversations cv
                       ON cv.contact_id = ct.id AND cv.phone_number_id = ta.phone_number_id
                     LEFT JOIN window_reminders wr ON wr.conversation_id = cv.id
                     WHERE ta.assignee = ?1
                       AND cv.last_direction = 'inbound'
                       AND cv.last_inbound_at IS NOT NULL
                       AND cv.last_inbound_at + ?2 > ?3
                       AND cv.last_inbound_at + ?2 <= ?3 + ?4
                       AND (wr.closes_at IS NULL OR wr.closes_at <> cv.last_inbound_at + ?2)
                     ORDER BY closes_at, cv.id",
                )?
                .query_map(params![me, window, now, lead_secs], |r| {
                    Ok((ConversationId(r.get(0)?), r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut mark = w.tx.prepare_cached(
                "INSERT INTO window_reminders (conversation_id, closes_at) VALUES (?1, ?2)
                 ON CONFLICT (conversation_id) DO UPDATE SET closes_at = excluded.closes_at",
            )?;
            for (id, closes_at) in &due {
                mark.execute(params![id.0, closes_at])?;
            }
            Ok(due)
        })?;
        let ids: Vec<ConversationId> = due.iter().map(|(id, _)| *id).collect();
        let names: std::collections::HashMap<ConversationId, String> = self
            .conversations_by_ids(&ids)?
            .into_iter()
            .map(|c| (c.id, c.display_name))
            .collect();
        Ok(due
            .into_iter()
            .map(|(id, closes_at)| WindowReminder {
                conversation_id: id,
                contact: names.get(&id).cloned().unwrap_or_default(),
                closes_at,
            })
            .collect())
    }
}
