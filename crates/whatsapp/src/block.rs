//! The Block Users API: `POST /{phone-number-id}/block_users` blocks,
//! `DELETE` with the same body unblocks.
//!
//! A blocked customer cannot message or call the business, and the business
//! cannot message them. Only customers who wrote in the last 24 hours can be
//! blocked; unblocking has no such limit. Results are per user: a request
//! can succeed for some users and fail for others (`failed_users`).

use serde::{Deserialize, Serialize};

use crate::graph_error::GraphError;

/// The request body of both calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockUsersRequest {
    pub messaging_product: String,
    pub block_users: Vec<BlockUser>,
}

/// `{"user": "<phone number or wa_id>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockUser {
    pub user: String,
}

impl BlockUsersRequest {
    /// A request for one customer.
    pub fn one(user: impl Into<String>) -> Self {
        Self {
            messaging_product: "whatsapp".to_owned(),
            block_users: vec![BlockUser { user: user.into() }],
        }
    }
}

/// The answer: `{"messaging_product":"whatsapp","block_users":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockUsersResponse {
    #[serde(default)]
    pub messaging_product: Option<String>,
    pub block_users: BlockUsersResult,
}

/// Who was blocked (`added_users`) or unblocked (`removed_users`), and who
/// was not (`failed_users`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BlockUsersResult {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_users: Vec<BlockedUser>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_users: Vec<BlockedUser>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_users: Vec<BlockedUser>,
}

/// One user of the answer: the input as sent, and Meta's id for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedUser {
    pub input: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    /// Why this user failed (in `failed_users`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<GraphError>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_and_answers_read_as_meta_writes_them() {
        assert_eq!(
            serde_json::to_value(BlockUsersRequest::one("+16505551234")).unwrap(),
            json!({"messaging_product":"whatsapp","block_users":[{"user":"+16505551234"}]})
        );
        let added: BlockUsersResponse = serde_json::from_value(json!({
            "messaging_product": "whatsapp",
            "block_users": {"added_users": [{"input": "+16505551234", "wa_id": "16505551234"}]}
        }))
        .unwrap();
        assert_eq!(
            added.block_users.added_users[0].wa_id.as_deref(),
            Some("16505551234")
        );
        let failed: BlockUsersResponse = serde_json::from_value(json!({
            "messaging_product": "whatsapp",
            "block_users": {"failed_users": [{"input": "+1", "errors": [
                {"message": "(#139100) Failed to block/unblock users", "type": "OAuthException",
                 "code": 139100, "error_data": {"details": "not messaged in 24 hours"}}]}]}
        }))
        .unwrap();
        assert_eq!(failed.block_users.failed_users[0].errors[0].code, 139_100);
    }
}
