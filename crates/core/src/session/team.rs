//! Team work through the session: assignment, private notes, labels,
//! conversation status, canned responses, contact changes, presence and the
//! collision check before sending.
//!
//! An action is published to the relay's log and shows here the way it
//! shows on every other desktop: when the sync engine has applied it. The
//! session waits, briefly ([`READ_OWN_WRITE`]), until its store caught up
//! with the action, so the agent sees their own change at once; if the
//! stream lags, it arrives a moment later.

use super::{IpcError, Session};
use crate::contacts::{self, ContactAction};
use crate::inbox::{ConversationId, Handover};
use crate::presence::{self, Collision, ConversationPresence};
use crate::problem::ErrorCode;
use crate::relay::RelayError;
use crate::status::StatusChange;
use crate::store::Store;
use crate::team::{self, CannedResponse, ConversationKey, Note, TeamAction};
use crate::typing::TypingDecision;
use hourglass_protocol::team::ConversationStatus;
use hourglass_protocol::{PresenceQuery, PresenceState, PresenceUpdate};
use serde::Serialize;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// How long an action waits to see itself applied locally.
pub const READ_OWN_WRITE: Duration = Duration::from_secs(5);

/// A conversation's team state, as the chat header and timeline show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationTeam {
    pub key: ConversationKey,
    pub assignee: Option<String>,
    pub notes: Vec<Note>,
    pub labels: Vec<String>,
    /// Every status change, in log order; the last is in force (none: open).
    pub status: Vec<StatusChange>,
    /// Passings between Meta's AI agent and the team, oldest first.
    pub handovers: Vec<Handover>,
}

impl ConversationTeam {
    /// The team state of `conversation` in `store`.
    pub fn of(store: &Store, conversation: ConversationId) -> crate::Result<ConversationTeam> {
        let key = store.conversation_key(conversation)?;
        Ok(ConversationTeam {
            assignee: store.assignment(&key)?.and_then(|a| a.assignee),
            notes: store.notes(&key)?,
            labels: store.labels(&key)?,
            status: store.status_history(&key)?,
            handovers: store.handovers(conversation)?,
            key,
        })
    }
}

/// The team, for assignment menus.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamAgents {
    /// This agent's name on the relay, once known.
    pub me: Option<String>,
    pub agents: Vec<String>,
}

/// Who owns a conversation (unassigned ones are not listed).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationAssignee {
    pub conversation_id: ConversationId,
    pub assignee: String,
}

impl ConversationAssignee {
    /// Every assigned conversation of `store`.
    pub fn all(store: &Store) -> crate::Result<Vec<ConversationAssignee>> {
        Ok(team::assignees(store)?
            .into_iter()
            .map(|(conversation_id, assignee)| ConversationAssignee {
                conversation_id,
                assignee,
            })
            .collect())
    }
}

/// A label on a conversation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationLabel {
    pub conversation_id: ConversationId,
    pub label: String,
}

impl ConversationLabel {
    /// Every label on every conversation of `store`.
    pub fn all(store: &Store) -> crate::Result<Vec<ConversationLabel>> {
        Ok(team::labelled(store)?
            .into_iter()
            .map(|(conversation_id, label)| ConversationLabel {
                conversation_id,
                label,
            })
            .collect())
    }
}

fn relay_error(what: &str, e: &RelayError) -> IpcError {
    let detail = team::publish_detail(e);
    IpcError::with_detail(
        ErrorCode::RelayUnavailable,
        &detail,
        format!("The team's relay did not answer about {what} ({detail})."),
    )
}

impl Session {
    /// The team state of a conversation in this session's store.
    pub fn team_of(&self, conversation: ConversationId) -> Result<ConversationTeam, IpcError> {
        self.with_store(|s| ConversationTeam::of(s, conversation))
    }

    fn key_of(&self, conversation: ConversationId) -> Result<ConversationKey, IpcError> {
        self.with_store(|s| s.conversation_key(conversation))
    }

    /// Publishes `action` and waits until this desktop applied it.
    pub async fn act(&self, action: TeamAction) -> Result<(), IpcError> {
        let key = uuid::Uuid::new_v4().to_string();
        let seq = team::publish_at(&action, &self.relay, &key).await?;
        self.await_applied(seq).await
    }

    /// Checks a contact change against the store, publishes it and waits
    /// until this desktop applied it.
    pub async fn act_on_contact(&self, action: ContactAction) -> Result<(), IpcError> {
        self.with_store(|s| action.check(s))?;
        let key = uuid::Uuid::new_v4().to_string();
        let seq = contacts::publish_at(&action, &self.relay, &key).await?;
        self.await_applied(seq).await
    }

    /// Waits, at most [`READ_OWN_WRITE`], until the store applied log
    /// position `seq`; answers whether it did.
    pub async fn await_applied(&self, seq: u64) -> Result<(), IpcError> {
        let started = Instant::now();
        while started.elapsed() < READ_OWN_WRITE {
            if self.with_store(|s| s.sync_cursor(&self.relay_url))? >= seq {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tracing::info!(
            seq,
            "a team action is on the relay but not applied here yet"
        );
        Ok(())
    }

    /// Assigns (or unassigns, `None`) a conversation; answers its state.
    pub async fn assign(
        &self,
        conversation: ConversationId,
        assignee: Option<String>,
    ) -> Result<ConversationTeam, IpcError> {
        let key = self.key_of(conversation)?;
        self.act(TeamAction::Assign {
            conversation: key,
            assignee,
        })
        .await?;
        self.team_of(conversation)
    }

    pub async fn add_note(
        &self,
        conversation: ConversationId,
        body: String,
    ) -> Result<ConversationTeam, IpcError> {
        let key = self.key_of(conversation)?;
        let id = uuid::Uuid::new_v4().to_string();
        self.act(TeamAction::Note {
            id,
            conversation: key,
            body,
        })
        .await?;
        self.team_of(conversation)
    }

    pub async fn set_label(
        &self,
        conversation: ConversationId,
        label: &str,
        on: bool,
    ) -> Result<ConversationTeam, IpcError> {
        let key = self.key_of(conversation)?;
        let label = label.trim().to_owned();
        self.act(TeamAction::Label {
            conversation: key,
            label,
            on,
        })
        .await?;
        self.team_of(conversation)
    }

    /// Sets a status; `snooze_until` (Unix seconds) only with a snooze,
    /// which without it lasts until the customer writes.
    pub async fn set_status(
        &self,
        conversation: ConversationId,
        status: ConversationStatus,
        snooze_until: Option<i64>,
    ) -> Result<ConversationTeam, IpcError> {
        crate::status::check_snooze(snooze_until, chrono::Utc::now().timestamp())?;
        let key = self.key_of(conversation)?;
        self.act(TeamAction::Status {
            conversation: key,
            status,
            snooze_until,
        })
        .await?;
        self.team_of(conversation)
    }

    /// Creates a canned response (`id` absent) or changes one.
    pub async fn save_canned(
        &self,
        id: Option<String>,
        title: String,
        body: String,
    ) -> Result<Vec<CannedResponse>, IpcError> {
        let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.act(TeamAction::Canned { id, title, body }).await?;
        self.with_store(|s| s.canned_responses())
    }

    pub async fn delete_canned(&self, id: String) -> Result<Vec<CannedResponse>, IpcError> {
        self.act(TeamAction::CannedDeleted { id }).await?;
        self.with_store(|s| s.canned_responses())
    }

    /// The team on the relay, and which of them this agent is.
    pub async fn agents(&self) -> Result<TeamAgents, IpcError> {
        let agents = self.relay.agents().await.map_err(|e| {
            let detail = team::publish_detail(&e);
            IpcError::with_detail(
                ErrorCode::RelayUnavailable,
                &detail,
                format!("The team's relay did not list the agents ({detail}). Check the connection and try again."),
            )
        })?;
        Ok(TeamAgents {
            me: agents.iter().find(|a| a.me).map(|a| a.name.clone()),
            agents: agents.into_iter().map(|a| a.name).collect(),
        })
    }

    /// Tells the relay what this agent is doing in a conversation; answers
    /// who else is there. Typing also shows the customer Meta's typing
    /// indicator when the core says so (best effort, in the background).
    pub async fn set_presence(
        &self,
        conversation: ConversationId,
        state: PresenceState,
    ) -> Result<ConversationPresence, IpcError> {
        if state == PresenceState::Typing {
            self.typing_indicator(conversation);
        }
        let key = self.key_of(conversation)?;
        let update = PresenceUpdate {
            customer: key.customer,
            phone_number_id: key.phone_number_id,
            state,
        };
        let (list, me) = tokio::join!(self.relay.set_presence(&update), self.relay.me());
        let list = list.map_err(|e| relay_error("presence", &e))?;
        let me = me.map_err(|e| relay_error("presence", &e))?;
        Ok(ConversationPresence::of_others(&list.entries, &me))
    }

    /// Who else is viewing or typing in a conversation.
    pub async fn presence(
        &self,
        conversation: ConversationId,
    ) -> Result<ConversationPresence, IpcError> {
        let query = self.presence_query(conversation)?;
        let (list, me) = tokio::join!(self.relay.presence(&query), self.relay.me());
        let list = list.map_err(|e| relay_error("presence", &e))?;
        let me = me.map_err(|e| relay_error("presence", &e))?;
        Ok(ConversationPresence::of_others(&list.entries, &me))
    }

    fn presence_query(&self, conversation: ConversationId) -> Result<PresenceQuery, IpcError> {
        let key = self.key_of(conversation)?;
        Ok(PresenceQuery {
            customer: Some(key.customer),
            phone_number_id: Some(key.phone_number_id),
        })
    }

    /// Before sending: is another agent typing here, or did one send to
    /// this customer in the last minute? Asked of the relay (typing) and of
    /// the store (sends, which every desktop syncs). Without the relay the
    /// store's answer alone is given; when this agent's name is unknown,
    /// there is nothing to compare with and no warning.
    pub async fn collisions(
        &self,
        conversation: ConversationId,
        now_ms: i64,
    ) -> Result<Vec<Collision>, IpcError> {
        let Ok(me) = self.relay.me().await else {
            return Ok(Vec::new());
        };
        let query = self.presence_query(conversation)?;
        let others = match self.relay.presence(&query).await {
            Ok(list) => ConversationPresence::of_others(&list.entries, &me),
            Err(e) => {
                tracing::info!(error = %e, "presence unavailable for the collision check");
                ConversationPresence::default()
            }
        };
        self.with_store(|s| presence::collisions(s, conversation, &me, &others, now_ms))
    }

    fn typing_indicator(&self, conversation: ConversationId) {
        let now = chrono::Utc::now().timestamp();
        match self.with_store(|s| self.typing.decide(s, conversation, now)) {
            Ok(TypingDecision::Send(wamid)) => {
                let graph = self.graph();
                tokio::spawn(async move {
                    if let Err(err) = graph.typing(&wamid).await {
                        tracing::debug!(code = %err.code(), "typing indicator: {err}");
                    }
                });
            }
            Ok(_) => {}
            Err(err) => tracing::debug!("typing indicator: {}", err.message),
        }
    }
}
