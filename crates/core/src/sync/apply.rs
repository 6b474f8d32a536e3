//! The store half of applying relay events: runs planned [`Op`]s inside the
//! caller's transaction and notes what changed for the UI.

use super::incoming::{Arrival, Leads};
use super::plan::{Op, Planned, PlannedMessage, plan};
use crate::error::{Error, Result};
use crate::inbox::{ContactId, ConversationId, MessageId};
use crate::store::{
    FlagRecord, Inserted, MessageExtras, NewContact, NewMessage, Store, SummaryBumps, Writer,
};
use crate::team::ConversationKey;
use hourglass_protocol::Event;
use hourglass_protocol::team::AgentEvent;
use std::collections::{BTreeSet, HashMap};

/// What one applied batch changed, by row id; [`Store::inbox_change`]
/// turns it into rows for the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub conversations: BTreeSet<ConversationId>,
    pub messages: BTreeSet<MessageId>,
    /// Messages stored for the first time.
    pub new_messages: u64,
    pub contacts: BTreeSet<ContactId>,
    pub templates_changed: bool,
    /// The account's health changed (quality, tier, a template's status or
    /// category, an account event): reload the health panel.
    pub health_changed: bool,
    /// Events kept flagged instead of applied.
    pub flagged: u64,
    /// Of those, the ones that failed (or panicked) while being applied.
    pub unapplied: u64,
    /// The cursor after this batch.
    pub cursor: u64,
    pub events: u64,
    /// Messages stored for the first time, in log order, with their leads.
    pub incoming: Vec<Arrival>,
    /// Assignments filed in this batch, in log order.
    pub assignments: Vec<AssignmentArrival>,
    /// Conversations merged into another (one person seen as two
    /// customers) and deleted.
    pub removed_conversations: BTreeSet<ConversationId>,
}

/// An assignment filed for the first time; the notification policy decides
/// whether it is news for this agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentArrival {
    pub conversation: ConversationKey,
    /// The new assignee; `None`: unassigned.
    pub assignee: Option<String>,
    /// The agent who assigned it.
    pub by: Option<String>,
    /// When the relay took it (Unix ms).
    pub at_ms: i64,
}

impl Applied {
    pub fn merge(&mut self, other: Applied) {
        self.conversations.extend(other.conversations);
        self.messages.extend(other.messages);
        self.contacts.extend(other.contacts);
        self.new_messages += other.new_messages;
        self.templates_changed |= other.templates_changed;
        self.health_changed |= other.health_changed;
        self.flagged += other.flagged;
        self.unapplied += other.unapplied;
        self.cursor = self.cursor.max(other.cursor);
        self.events += other.events;
        self.incoming.extend(other.incoming);
        self.assignments.extend(other.assignments);
        self.removed_conversations
            .extend(other.removed_conversations);
        for id in &self.removed_conversations {
            self.conversations.remove(id);
        }
    }
}

/// Applies `events` and moves `relay`'s cursor to the last one, in one
/// transaction: both commit or neither. Events at or below the stored
/// cursor are skipped (a repeat is a no-op either way).
pub fn apply_events(store: &mut Store, relay: &str, events: &[Event]) -> Result<Applied> {
    apply_planned_events(store, relay, &plan(events), events.last().map(|e| e.seq))
}

/// [`apply_events`] for events already planned (planning needs no lock, so
/// the engine does it before taking the store). `last_seq`: the last
/// event's `seq`, which becomes the cursor.
pub fn apply_planned_events(
    store: &mut Store,
    relay: &str,
    planned: &[Planned],
    last_seq: Option<u64>,
) -> Result<Applied> {
    apply_hooked(store, relay, planned, last_seq, &|_| {})
}

/// [`apply_planned_events`], except that a panic while applying (a bug)
/// costs only the event it happened in: the batch's transaction is rolled
/// back, its events are applied again one transaction each, and an event
/// that panics again is kept flagged [`super::PANICKED`] with the cursor
/// moved past it. `before_op` runs before each op inside the transaction
/// (the engine's test hook).
pub fn apply_isolating_panics(
    store: &mut Store,
    relay: &str,
    planned: &[Planned],
    last_seq: Option<u64>,
    before_op: &dyn Fn(&Planned),
) -> Result<Applied> {
    let whole = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        apply_hooked(store, relay, planned, last_seq, before_op)
    }));
    let panic = match whole {
        Ok(done) => return done,
        Err(panic) => super::panic_message(&*panic),
    };
    tracing::error!(%panic, "sync: applying a batch panicked; applying it event by event");
    let mut total = Applied {
        cursor: store.sync_cursor(relay)?,
        ..Applied::default()
    };
    for event in planned.chunk_by(|a, b| a.seq == b.seq) {
        let seq = event[0].seq;
        if seq <= total.cursor {
            continue;
        }
        let one = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            apply_hooked(store, relay, event, Some(seq), before_op)
        }));
        match one {
            Ok(done) => total.merge(done?),
            Err(panic) => {
                let reason = format!("applying it failed: {}", super::panic_message(&*panic));
                tracing::error!(seq, %reason, "event kept flagged");
                let ops: Vec<&Op> = event.iter().map(|p| &p.op).collect();
                store.write(|w| {
                    w.flag_event(&FlagRecord {
                        seq,
                        kind: super::PANICKED.to_owned(),
                        reason,
                        payload: format!("{ops:?}"),
                        received_at_ms: 0,
                    })?;
                    w.set_sync_cursor(relay, seq)
                })?;
                total.merge(Applied {
                    flagged: 1,
                    unapplied: 1,
                    events: 1,
                    cursor: seq,
                    ..Applied::default()
                });
            }
        }
    }
    // Events that planned to nothing still move the cursor.
    if last_seq.is_some_and(|last| last > total.cursor) {
        total.merge(apply_hooked(store, relay, &[], last_seq, before_op)?);
    }
    Ok(total)
}

fn apply_hooked(
    store: &mut Store,
    relay: &str,
    planned: &[Planned],
    last_seq: Option<u64>,
    before_op: &dyn Fn(&Planned),
) -> Result<Applied> {
    let cursor = store.sync_cursor(relay)?;
    let Some(last) = last_seq.filter(|l| *l > cursor) else {
        return Ok(Applied {
            cursor,
            ..Applied::default()
        });
    };
    let first = planned.partition_point(|p| p.seq <= cursor);
    let fresh = &planned[first..];
    let write = |careful: bool, store: &mut Store| {
        store.write(|w| {
            let mut applied = apply_planned_hooked(w, fresh, careful, before_op)?;
            applied.events = fresh
                .iter()
                .map(|p| p.seq)
                .fold((0u64, 0u64), |(n, prev), s| (n + u64::from(s != prev), s))
                .0;
            applied.cursor = last;
            w.set_sync_cursor(relay, last)?;
            Ok(applied)
        })
    };
    // Optimistically in one go; if an event fails on its data, the batch is
    // rolled back and redone with a savepoint around each event.
    match write(false, store) {
        Err(e) if is_data_error(&e) => write(true, store),
        other => other,
    }
}

/// Runs planned ops in the open transaction. With `careful`, an op that
/// fails on its data (a number that does not parse, a constraint) is rolled
/// back alone and its event kept flagged, so one odd event never stalls the
/// sync; without, the first error fails the call. A failing database fails
/// the whole batch either way.
pub fn apply_planned(w: &Writer<'_>, planned: &[Planned], careful: bool) -> Result<Applied> {
    apply_planned_hooked(w, planned, careful, &|_| {})
}

fn apply_planned_hooked(
    w: &Writer<'_>,
    planned: &[Planned],
    careful: bool,
    before_op: &dyn Fn(&Planned),
) -> Result<Applied> {
    let mut ctx = Ctx {
        w,
        applied: Applied::default(),
        contacts: HashMap::new(),
        conversations: HashMap::new(),
        first_inbound: HashMap::new(),
        leads: Leads::default(),
        bumps: SummaryBumps::default(),
    };
    for p in planned {
        before_op(p);
        if !careful {
            ctx.run(p)?;
            ctx.note_removed();
            continue;
        }
        w.savepoint()?;
        // Each event's summaries are written inside its own savepoint.
        match ctx.run(p).and_then(|()| ctx.flush()) {
            Ok(()) => {
                w.release()?;
                ctx.note_removed();
            }
            Err(e) if is_data_error(&e) => {
                w.rollback_to_savepoint()?;
                // A merge rolled back removed nothing.
                drop(w.take_removed());
                // Ids cached from the rolled-back part may be gone.
                ctx.contacts.clear();
                ctx.conversations.clear();
                ctx.first_inbound.clear();
                ctx.leads.clear();
                ctx.bumps.clear();
                tracing::warn!(seq = p.seq, error = %e, "event kept flagged: it could not be applied");
                w.flag_event(&FlagRecord {
                    seq: p.seq,
                    kind: "unapplied".to_owned(),
                    reason: e.to_string(),
                    payload: format!("{:?}", p.op),
                    received_at_ms: 0,
                })?;
                ctx.applied.flagged += 1;
                ctx.applied.unapplied += 1;
            }
            Err(e) => return Err(e),
        }
    }
    ctx.flush()?;
    Ok(ctx.applied)
}

fn is_data_error(e: &Error) -> bool {
    match e {
        Error::InvalidPhone { .. } | Error::ContactWithoutIdentity | Error::NotFound { .. } => true,
        Error::Database(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code == rusqlite::ErrorCode::ConstraintViolation
        }
        Error::Database(rusqlite::Error::ToSqlConversionFailure(_)) => true,
        _ => false,
    }
}

struct Ctx<'w, 'a> {
    w: &'w Writer<'a>,
    applied: Applied,
    /// Contacts and conversations already resolved in this batch.
    contacts: HashMap<NewContact, ContactId>,
    conversations: HashMap<ContactId, HashMap<String, ConversationId>>,
    /// The earliest inbound time noted per contact in this batch.
    first_inbound: HashMap<ContactId, i64>,
    leads: Leads,
    /// Conversation summaries of the messages stored since the last flush:
    /// a run of messages updates each conversation once. Flushed before any
    /// other kind of op and before a contact merge (both may read or move
    /// conversations), and at the end of the batch.
    bumps: SummaryBumps,
}

impl Ctx<'_, '_> {
    /// Moves the conversations merged away by the last op into `applied`.
    fn note_removed(&mut self) {
        for id in self.w.take_removed() {
            self.applied.conversations.remove(&id);
            self.applied.removed_conversations.insert(id);
        }
    }

    fn flush(&mut self) -> Result<()> {
        self.w.flush_summaries(&mut self.bumps)
    }

    fn contact(&mut self, c: &NewContact) -> Result<ContactId> {
        if let Some(id) = self.contacts.get(c) {
            return Ok(*id);
        }
        // Only a contact with both a number and a user id can merge two
        // stored contacts (and their conversations).
        let may_merge = c.phone.is_some() && c.user_id.as_deref().is_some_and(|u| !u.is_empty());
        if may_merge {
            self.flush()?;
        }
        let id = self.w.upsert_contact(c)?;
        if may_merge {
            // A merge deletes a contact and may delete its conversations.
            self.contacts.clear();
            self.conversations.clear();
        }
        self.contacts.insert(c.clone(), id);
        self.applied.contacts.insert(id);
        Ok(id)
    }

    fn conversation(&mut self, contact: ContactId, number: &str) -> Result<ConversationId> {
        if let Some(id) = self.conversations.get(&contact).and_then(|m| m.get(number)) {
            return Ok(*id);
        }
        let id = self.w.conversation_for(contact, number)?;
        self.conversations
            .entry(contact)
            .or_default()
            .insert(number.to_owned(), id);
        Ok(id)
    }

    fn touch(&mut self, message: Option<MessageId>) -> Result<()> {
        if let Some(id) = message {
            self.applied.messages.insert(id);
            if let Some(conv) = self.w.conversation_of(id)? {
                self.applied.conversations.insert(conv);
            }
        }
        Ok(())
    }

    /// The rows of a planned message in conversation `conv`.
    fn rows(seq: u64, conv: ConversationId, m: &PlannedMessage) -> (NewMessage, MessageExtras) {
        let new = NewMessage {
            wamid: m.wamid.clone(),
            conversation_id: conv,
            direction: m.direction,
            kind: m.kind.clone(),
            body: m.body.clone(),
            payload: m.payload.clone(),
            sent_at: m.sent_at,
            status: m.status.clone(),
            reply_to_wamid: m.reply_to_wamid.clone(),
        };
        let media = match &m.content {
            crate::inbox::MessageContent::Media(info) => Some(info),
            _ => None,
        };
        let extras = MessageExtras {
            content: Some(m.content.clone()),
            referral: m.referral.clone(),
            media_id: media.map(|info| info.id.clone()),
            media_mime: media.and_then(|info| info.mime_type.clone()),
            biz_opaque_callback_data: m.biz_opaque_callback_data.clone(),
            seq,
            sent_by: m.sent_by.clone(),
            handled_by: m.handled_by,
        };
        (new, extras)
    }

    /// Whether an inbound message at `at` may be the contact's first: only
    /// when it is earlier than any noted in this batch.
    fn maybe_first_inbound(&mut self, contact: ContactId, m: &PlannedMessage) -> bool {
        let first = m.direction == crate::inbox::Direction::Inbound
            && self
                .first_inbound
                .get(&contact)
                .is_none_or(|at| m.sent_at < *at);
        if first {
            self.first_inbound.insert(contact, m.sent_at);
        }
        first
    }

    /// A message of the WhatsApp Business app's history: no notification, no
    /// unread count, no reopening; its media fills its placeholder in.
    fn history(&mut self, seq: u64, m: &PlannedMessage, media_follow_up: bool) -> Result<()> {
        let contact = self.contact(&m.contact)?;
        let conv = self.conversation(contact, &m.phone_number_id)?;
        let (new, extras) = Self::rows(seq, conv, m);
        let note_first = self.maybe_first_inbound(contact, m);
        match self
            .w
            .insert_history(&new, &extras, contact, note_first, &mut self.bumps)?
        {
            Inserted::New(id) => {
                self.applied.new_messages += 1;
                self.applied.messages.insert(id);
                self.applied.conversations.insert(conv);
            }
            Inserted::Duplicate(id) if media_follow_up => {
                if self.w.fill_placeholder(&new, &extras)? {
                    self.touch(Some(id))?;
                }
            }
            Inserted::Duplicate(_) => {}
        }
        Ok(())
    }

    fn message(&mut self, seq: u64, m: &PlannedMessage) -> Result<()> {
        let contact = self.contact(&m.contact)?;
        let conv = self.conversation(contact, &m.phone_number_id)?;
        let (new, extras) = Self::rows(seq, conv, m);
        let note_first = self.maybe_first_inbound(contact, m);
        if let Inserted::New(id) =
            self.w
                .insert_synced_with(&new, &extras, contact, note_first, Some(&mut self.bumps))?
        {
            self.applied.new_messages += 1;
            self.applied.messages.insert(id);
            self.applied.conversations.insert(conv);
            if m.direction == crate::inbox::Direction::Inbound {
                self.w.reopen_on_inbound(conv, seq, m.sent_at)?;
            }
            let arrival = self.leads.arrived(self.w, contact, conv, id, m)?;
            self.applied.incoming.push(arrival);
        }
        Ok(())
    }

    fn run(&mut self, p: &Planned) -> Result<()> {
        if !matches!(p.op, Op::Message(_) | Op::History { .. }) {
            self.flush()?;
        }
        match &p.op {
            Op::Message(m) => self.message(p.seq, m)?,
            Op::History {
                message,
                media_follow_up,
            } => self.history(p.seq, message, *media_follow_up)?,
            Op::AddressBook { customer, name, at } => {
                let changed =
                    self.w
                        .set_address_book_name(customer, name.as_deref(), *at, p.seq)?;
                self.applied.conversations.extend(changed);
            }
            Op::UserIdChanged {
                previous,
                user_id,
                message,
            } => {
                if let Some(id) = self.w.change_user_id(previous, user_id)? {
                    self.applied.contacts.insert(id);
                }
                // Contacts may have merged: what this batch resolved before
                // may name one that is gone.
                self.contacts.clear();
                self.conversations.clear();
                self.message(p.seq, message)?;
            }
            Op::Status(s) => {
                let changed = self.w.record_status(s)?;
                self.touch(changed)?;
                // Our own sends: a lost reply is matched, a failure fails the row.
                let bubble = self.w.outbox_note_status(s)?;
                self.touch(bubble)?;
            }
            Op::Reaction {
                target_wamid,
                direction,
                emoji,
                at,
                wamid,
                contact,
                phone_number_id,
            } => {
                // The reactor is a customer of ours even if the reacted-to
                // message is not stored yet.
                if let (Some(c), Some(number)) = (contact, phone_number_id) {
                    let id = self.contact(c)?;
                    self.conversation(id, number)?;
                }
                let target = self.w.set_reaction(
                    target_wamid,
                    *direction,
                    emoji.as_deref(),
                    *at,
                    wamid,
                    p.seq,
                )?;
                self.touch(target)?;
            }
            Op::Edit {
                target_wamid,
                body,
                content,
                at,
            } => {
                let target = self.w.edit_message(target_wamid, body, content, *at)?;
                self.touch(target)?;
            }
            Op::Revoke { target_wamid, at } => {
                let target = self.w.revoke_message(target_wamid, *at)?;
                self.touch(target)?;
            }
            Op::Template(t) => {
                self.w.record_template_status(t)?;
                self.applied.templates_changed = true;
                self.applied.health_changed = true;
            }
            Op::PhoneQuality(q) => {
                self.applied.health_changed |= self.w.record_phone_quality(q)?;
            }
            Op::Account(a) => {
                self.applied.health_changed |= self.w.record_account_update(a)?;
            }
            Op::TemplateCategory(c) => {
                self.applied.health_changed |= self.w.record_template_category(c)?;
                // The catalogue's categories (and so costs) moved.
                self.applied.templates_changed = true;
            }
            Op::Preference {
                wa_id,
                category,
                value,
                detail,
                at,
            } => {
                if let Some(contact) = self.w.record_user_preference(
                    wa_id,
                    category,
                    value,
                    detail.as_deref(),
                    *at,
                    p.seq,
                )? {
                    self.applied.contacts.insert(contact);
                    for conv in self.w.conversations_of_contact(contact)? {
                        self.applied.conversations.insert(conv);
                    }
                }
            }
            Op::Owner {
                contact,
                phone_number_id,
                owner,
                at,
                handover,
            } => {
                let id = self.contact(contact)?;
                let conv = self.conversation(id, phone_number_id)?;
                let mut changed = self.w.set_owner(conv, *owner, *at)?;
                if *handover {
                    changed |= self.w.record_handover(conv, *owner, *at, p.seq)?;
                }
                if changed {
                    self.applied.conversations.insert(conv);
                }
            }
            Op::Flag(f) => {
                self.w.flag_event(f)?;
                self.applied.flagged += 1;
                if f.kind == super::PANICKED {
                    self.applied.unapplied += 1;
                }
            }
            Op::Agent {
                agent,
                dedupe_key,
                payload,
                received_at_ms,
            } => {
                self.w.record_agent_event(
                    p.seq,
                    agent.as_deref(),
                    dedupe_key,
                    payload,
                    *received_at_ms,
                )?;
            }
            Op::Team {
                agent,
                at_ms,
                event,
            } => {
                let renamed = self.w.renamed_event(event)?;
                let event = renamed.as_ref().unwrap_or(event);
                self.w
                    .apply_team_event(p.seq, agent.as_deref(), *at_ms, event)?;
                // The list and header show the team's name for a customer.
                if let AgentEvent::ContactName { customer, .. } = event {
                    self.applied
                        .conversations
                        .extend(self.w.conversations_of_customer(customer)?);
                }
                if let AgentEvent::Assign {
                    customer,
                    phone_number_id,
                    assignee,
                } = event
                {
                    self.applied.assignments.push(AssignmentArrival {
                        conversation: ConversationKey {
                            customer: customer.clone(),
                            phone_number_id: phone_number_id.clone(),
                        },
                        assignee: assignee.clone().filter(|a| !a.is_empty()),
                        by: agent.clone(),
                        at_ms: *at_ms,
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
