//! Blocking and unblocking a customer on this phone number
//! (`POST`/`DELETE /{phone-number-id}/block_users`).

use hourglass_whatsapp::block::{BlockUsersRequest, BlockUsersResponse};
use hourglass_whatsapp::graph_error::{GraphErrorEnvelope, classify};

use super::{GraphClient, GraphError};

impl GraphClient {
    /// Blocks (`block`) or unblocks `user` (E.164 or wa_id). Meta answers
    /// per user: a user in `failed_users` is this call's error.
    pub async fn block_user(&self, user: &str, block: bool) -> Result<(), GraphError> {
        let what = if block {
            "blocking a customer"
        } else {
            "unblocking a customer"
        };
        let url = self.endpoint(&[&self.config.phone_number_id, "block_users"]);
        let body = BlockUsersRequest::one(user);
        let request = if block {
            self.http.post(url.clone())
        } else {
            self.http.delete(url.clone())
        }
        .json(&body);
        let answer: BlockUsersResponse = self.call_json(what, request, &url).await?;
        let result = answer.block_users;
        if let Some(failed) = result.failed_users.into_iter().next() {
            return Err(match failed.errors.into_iter().next() {
                Some(error) => GraphError::Api {
                    class: classify(error.code),
                    envelope: GraphErrorEnvelope { error },
                    status: 200,
                },
                None => GraphError::Decode {
                    what,
                    detail: "Meta listed the customer as failed without a reason".to_owned(),
                },
            });
        }
        let done = if block {
            &result.added_users
        } else {
            &result.removed_users
        };
        if done.is_empty() {
            return Err(GraphError::Decode {
                what,
                detail: "the answer does not list the customer".to_owned(),
            });
        }
        Ok(())
    }
}
