//! The Block Users API: `POST /{version}/{phone-number-id}/block_users`
//! blocks, `DELETE` unblocks, as Meta documents them. Only a customer who
//! wrote in the last 24 hours can be blocked; unblocking has no such rule.
//! A blocked customer's messages are not delivered (`/_sim/inbound`
//! answers `blocked`). Each accepted call is kept for `GET /_sim/sent`, the
//! blocklist is `GET /_sim/blocks`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hourglass_whatsapp::block::{
    BlockUsersRequest, BlockUsersResponse, BlockUsersResult, BlockedUser,
};
use hourglass_whatsapp::graph_error::GraphError;
use hourglass_whatsapp::window::SERVICE_WINDOW_SECS;

use crate::graph::{authorize, check_version, error_response, invalid, record_as, unknown_object};
use crate::recipient::Recipient;
use crate::state::{SimState, now_unix};

type Shared = State<Arc<SimState>>;

/// The most users one request may name, as Meta allows.
const MAX_USERS: usize = 1_000;
/// Meta's code for a user that could not be blocked or unblocked.
const BLOCK_FAILED: i64 = 139_100;

pub(crate) async fn block_users(
    State(state): Shared,
    Path((version, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&state, true, &version, &id, &query, &headers, &body)
}

pub(crate) async fn unblock_users(
    State(state): Shared,
    Path((version, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&state, false, &version, &id, &query, &headers, &body)
}

fn answer(
    state: &SimState,
    block: bool,
    version: &str,
    id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    match apply(state, block, version, id, query, headers, body) {
        Ok(result) => Json(BlockUsersResponse {
            messaging_product: Some("whatsapp".to_owned()),
            block_users: result,
        })
        .into_response(),
        Err(e) => error_response(state, e),
    }
}

fn apply(
    state: &SimState,
    block: bool,
    version: &str,
    id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<BlockUsersResult, GraphError> {
    authorize(state, headers, query.get("access_token"))?;
    check_version(version)?;
    let method = if block { "POST" } else { "DELETE" };
    if id != state.config.phone_number_id {
        return Err(unknown_object(&method.to_lowercase(), id));
    }
    let request: BlockUsersRequest =
        serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    if request.messaging_product != "whatsapp" {
        return Err(invalid(format!(
            "Param messaging_product must be one of {{WHATSAPP}} - got \"{}\".",
            request.messaging_product
        )));
    }
    if request.block_users.is_empty() || request.block_users.len() > MAX_USERS {
        return Err(invalid(format!(
            "Param block_users must hold 1 to {MAX_USERS} users."
        )));
    }
    let now = now_unix();
    let mut result = BlockUsersResult::default();
    {
        let mut inner = state.lock();
        for user in &request.block_users {
            let Some(recipient) = Recipient::parse(&user.user) else {
                result
                    .failed_users
                    .push(failed(&user.user, None, "Invalid user"));
                continue;
            };
            let wrote_lately = inner.customers.get(&recipient.wa_id).is_some_and(|c| {
                c.last_inbound
                    .is_some_and(|t| now.saturating_sub(t) < SERVICE_WINDOW_SECS)
            });
            let done = BlockedUser {
                input: user.user.clone(),
                wa_id: Some(recipient.wa_id.clone()),
                errors: Vec::new(),
            };
            if !block {
                inner.blocked.remove(&recipient.wa_id);
                result.removed_users.push(done);
            } else if wrote_lately || inner.blocked.contains(&recipient.wa_id) {
                inner.blocked.insert(recipient.wa_id.clone());
                result.added_users.push(done);
            } else {
                result.failed_users.push(failed(
                    &user.user,
                    Some(recipient.wa_id),
                    "Failed to block user: only users who messaged the business in the last 24 hours can be blocked",
                ));
            }
        }
    }
    let raw = serde_json::value::RawValue::from_string(String::from_utf8_lossy(body).into_owned())
        .map_err(|e| invalid(e.to_string()))?;
    record_as(
        state,
        method,
        format!("/{version}/{id}/block_users"),
        None,
        raw,
    );
    Ok(result)
}

fn failed(input: &str, wa_id: Option<String>, details: &str) -> BlockedUser {
    let mut error = invalid(details);
    error.code = BLOCK_FAILED;
    error.message = "(#139100) Failed to block/unblock users".to_owned();
    BlockedUser {
        input: input.to_owned(),
        wa_id,
        errors: vec![error],
    }
}
