//! Files the agent sends: the window hands over the bytes (never a path);
//! `hourglass_core::attachments` checks, keeps and uploads them.

use crate::error::{Ctx, Id, Reply};
use hourglass_core::attachments::{self, AttachmentCheck, HeaderUpload};
use hourglass_core::outbox::{self, Queued};
use tauri::ipc::{InvokeBody, Request};

/// The raw request body: the file.
fn bytes<'a>(request: &'a Request<'_>) -> Reply<&'a [u8]> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes),
        _ => Err(attachments::not_bytes().into()),
    }
}

commands! {
    fn stage_attachment(cx: Ctx<'_>, request: Request<'_>) -> AttachmentCheck = {
        let (bytes, media) = (bytes(&request)?, cx.media());
        cx.with_store(|s| attachments::stage(s, media.as_ref().map(|m| &**m.cache()), bytes))
    };
    fn send_attachment(
        cx: Ctx<'_>,
        conversation_id: Id,
        token: String,
        filename: String,
        caption: Option<String>,
    ) -> Queued = {
        let caption = caption.as_deref();
        let queued =
            cx.with_store(|s| attachments::send(s, conversation_id, &token, &filename, caption))?;
        cx.wake_outbox();
        Ok(queued)
    };
    fn discard_attachment(cx: Ctx<'_>, token: String) -> () =
        cx.with_store(|s| outbox::discard_staged(s, &token));
    /// The `Header-Kind` request header says which header (`image`, `video`,
    /// `document`).
    fn upload_header_media(cx: Ctx<'_>, request: Request<'_>) -> HeaderUpload = {
        let kind = request.headers().get("Header-Kind").and_then(|v| v.to_str().ok());
        let bytes = bytes(&request)?;
        Ok(attachments::upload_header(cx.graph(), bytes, kind.unwrap_or_default()).await?)
    };
}
