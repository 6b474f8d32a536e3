//! Conversations resolved and reopened per day, from the status changes
//! every desktop holds (migration 0012).

use rusqlite::Connection;

use super::{Period, Scope};
use crate::error::Result;
use crate::inbox::ConversationId;

/// Counts per day of the range.
pub(super) struct PerDay {
    pub resolved: Vec<u32>,
    pub reopened: Vec<u32>,
}

pub(super) fn per_day(conn: &Connection, period: &Period, scope: &Scope) -> Result<PerDay> {
    let mut out = PerDay {
        resolved: vec![0; period.days],
        reopened: vec![0; period.days],
    };
    // Each change with the status before it, over the whole history up to
    // the range's end, so the first change in the range knows its past.
    let mut stmt = conn.prepare_cached(
        "WITH changes AS (
             SELECT customer, phone_number_id, at_ms, status,
                    LAG(status) OVER (PARTITION BY customer, phone_number_id ORDER BY seq) AS before
             FROM team_status WHERE at_ms < ?2
         )
         SELECT ch.at_ms, ch.status, ch.before,
                (SELECT cv.id FROM contacts ct
                 JOIN conversations cv
                   ON cv.contact_id = ct.id AND cv.phone_number_id = ch.phone_number_id
                 WHERE ct.phone_e164 = ch.customer OR ct.user_id = ch.customer LIMIT 1)
         FROM changes ch
         WHERE ch.at_ms >= ?1
           AND ((ch.status = 'resolved' AND ch.before IS NOT 'resolved')
             OR (ch.status = 'open' AND ch.before IN ('resolved', 'snoozed')))",
    )?;
    let rows = stmt.query_map(
        [
            period.start.saturating_mul(1000),
            period.end.saturating_mul(1000),
        ],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        },
    )?;
    for row in rows {
        let (at_ms, status, conversation) = row?;
        let owned = match conversation {
            Some(id) => scope.owns(ConversationId(id)),
            None => scope.agent.is_none(),
        };
        let Ok(day) = usize::try_from(period.day_index(at_ms.div_euclid(1000))) else {
            continue;
        };
        if !owned || day >= period.days {
            continue;
        }
        if status == "resolved" {
            out.resolved[day] += 1;
        } else {
            out.reopened[day] += 1;
        }
    }
    Ok(out)
}
