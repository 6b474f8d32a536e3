//! `POST /{phone-number-id}/media`: a file the agent sends, uploaded as
//! multipart (`messaging_product`, `type`, `file`) before the message that
//! names its id. The body is streamed in chunks so the window can show how
//! far the upload got.

use std::sync::Arc;

use futures_util::stream;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;

use super::{GraphClient, GraphError};

/// Bytes per chunk of an upload's body (and per progress report).
const CHUNK: usize = 64 * 1024;

/// Told how many bytes of the file went out: `(sent, total)`.
pub type UploadProgress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Meta's answer to an upload.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Uploaded {
    /// The media id a message sends the file by.
    pub id: String,
}

impl GraphClient {
    /// Uploads a file for sending; `mime_type` is its real type (sniffed
    /// from its bytes by the caller), `filename` what a document shows.
    pub async fn upload_media(
        &self,
        bytes: Vec<u8>,
        mime_type: &str,
        filename: &str,
        progress: Option<UploadProgress>,
    ) -> Result<Uploaded, GraphError> {
        const WHAT: &str = "uploading media";
        let url = self.endpoint(&[&self.config.phone_number_id, "media"]);
        let total = bytes.len() as u64;
        let bytes = bytes::Bytes::from(bytes);
        let chunks: Vec<bytes::Bytes> = (0..bytes.len())
            .step_by(CHUNK)
            .map(|at| bytes.slice(at..(at + CHUNK).min(bytes.len())))
            .collect();
        let mut sent = 0u64;
        let body = stream::iter(chunks.into_iter().map(move |chunk| {
            sent += chunk.len() as u64;
            if let Some(progress) = &progress {
                progress(sent, total);
            }
            Ok::<_, std::io::Error>(chunk)
        }));
        let file = Part::stream_with_length(reqwest::Body::wrap_stream(body), total)
            .file_name(filename.to_owned())
            .mime_str(mime_type)
            .map_err(|e| GraphError::Decode {
                what: WHAT,
                detail: format!("the file's type {mime_type:?} is not a MIME type: {e}"),
            })?;
        let form = Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", mime_type.to_owned())
            .part("file", file);
        let request = self
            .http
            .post(url.clone())
            .timeout(self.config.media_timeout)
            .multipart(form);
        let uploaded: Uploaded = self.call_json(WHAT, request, &url).await?;
        if uploaded.id.trim().is_empty() {
            return Err(GraphError::Decode {
                what: WHAT,
                detail: "the answer holds no media id".to_owned(),
            });
        }
        Ok(uploaded)
    }
}
