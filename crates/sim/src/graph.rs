//! The fake Graph API: messages, template listing, media (described,
//! downloaded and uploaded).
//!
//! Requests are checked in Meta's order: access token (190), path version
//! (2500) and object id (100/33), body shape (100), `to` (131009), then the
//! content itself (text length, template rules via
//! `hourglass_whatsapp::template::validate`). An accepted message gets a wamid
//! at once; whether it is delivered is told later by status webhooks, exactly
//! like Meta (a free-text send to a closed window is *accepted*, then fails
//! with 131047).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hourglass_whatsapp::graph_error::{ErrorCode, GraphError};
use hourglass_whatsapp::media::MediaKind;
use hourglass_whatsapp::send::{
    MAX_CALLBACK_DATA, MAX_TEXT_BODY, MESSAGING_PRODUCT, MarkRead, MessagesRequest, OutboundBody,
    OutboundMessage, SendContact, SendResponse, SentMessage, SuccessResponse,
};
use hourglass_whatsapp::template;
use serde_json::{Value, json};

use crate::ids;
use crate::lifecycle::{self, Accepted};
use crate::media::MediaFile;
use crate::recipient::Recipient;
use crate::state::{MessageRecord, SentRequest, SimState, now_unix};

type Shared = State<Arc<SimState>>;

/// Media URLs stop working after this long, as Meta's do.
const MEDIA_URL_TTL_SECS: i64 = 300;
/// The largest page of templates.
const MAX_TEMPLATE_PAGE: usize = 100;
const DEFAULT_TEMPLATE_PAGE: usize = 25;

/// A Graph error answered with Meta's status code and a fresh `fbtrace_id`.
pub(crate) fn error_response(state: &SimState, error: GraphError) -> Response {
    let trace = ids::fbtrace(&mut state.lock().rng);
    let error = error.with_fbtrace_id(trace);
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(error.into_envelope())).into_response()
}

pub(crate) fn invalid(details: impl Into<String>) -> GraphError {
    GraphError::new(ErrorCode::InvalidParameter, details)
}

pub(crate) fn authorize(
    state: &SimState,
    headers: &HeaderMap,
    query_token: Option<&String>,
) -> Result<(), GraphError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let given = bearer.or(query_token.map(String::as_str));
    match given {
        Some(t) if t == state.config.access_token => Ok(()),
        // Meta answers a missing and a wrong token alike: code 190.
        _ => Err(GraphError::new(ErrorCode::AccessTokenInvalid, "")),
    }
}

/// The Graph API versions the simulator answers on: the one Hourglass uses
/// ([`hourglass_whatsapp::GRAPH_API_VERSION`]), the one before it, and the
/// next ones, so a client moving between them can be tested.
pub const SUPPORTED_VERSIONS: [&str; 4] = ["v23.0", "v24.0", "v25.0", "v26.0"];

pub(crate) fn check_version(version: &str) -> Result<(), GraphError> {
    if SUPPORTED_VERSIONS.contains(&version) {
        return Ok(());
    }
    let well_formed = version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
    let (code, message) = if well_formed {
        (
            2635,
            format!(
                "(#2635) The Graph API version {version} is not available. Call one of {}.",
                SUPPORTED_VERSIONS.join(", ")
            ),
        )
    } else {
        (2500, format!("Unknown path components: /{version}"))
    };
    Err(GraphError {
        message,
        kind: "OAuthException".to_owned(),
        code,
        error_subcode: None,
        error_data: None,
        fbtrace_id: None,
    })
}

pub(crate) fn unknown_object(method: &str, id: &str) -> GraphError {
    let mut e = invalid("");
    e.message = format!(
        "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
    );
    e.error_data = None;
    e.with_subcode(33)
}

/// `POST /{version}/{phone-number-id}/messages`.
pub(crate) async fn messages(
    State(state): Shared,
    Path((version, phone_number_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match accept(&state, &version, &phone_number_id, &query, &headers, &body) {
        Ok((response, accepted)) => {
            if let Some(accepted) = accepted {
                lifecycle::spawn(state.clone(), accepted);
            }
            response
        }
        Err(e) => error_response(&state, e),
    }
}

fn accept(
    state: &Arc<SimState>,
    version: &str,
    phone_number_id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Response, Option<Accepted>), GraphError> {
    authorize(state, headers, query.get("access_token"))?;
    check_version(version)?;
    if phone_number_id != state.config.phone_number_id {
        return Err(unknown_object("post", phone_number_id));
    }
    if let Some(code) = state.lock().faults.pop_front() {
        let known = ErrorCode::from_code(code);
        let mut e = match known {
            Some(k) => GraphError::new(k, "Injected by the simulator"),
            None => invalid("Injected by the simulator"),
        };
        e.code = code;
        return Err(e);
    }
    let request = MessagesRequest::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    let raw: Box<serde_json::value::RawValue> =
        serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    let path = format!("/{version}/{phone_number_id}/messages");
    match request {
        MessagesRequest::MarkRead(read) => {
            mark_read(state, &read)?;
            record(state, path, None, raw);
            let ok = SuccessResponse { success: true };
            Ok((Json(ok).into_response(), None))
        }
        MessagesRequest::Message(message) => {
            let (response, accepted) = send(state, &message)?;
            record(state, path, Some(accepted.wamid.clone()), raw);
            Ok((Json(response).into_response(), Some(accepted)))
        }
    }
}

fn mark_read(state: &SimState, read: &MarkRead) -> Result<(), GraphError> {
    if read.messaging_product != MESSAGING_PRODUCT {
        return Err(invalid(format!(
            "Param messaging_product must be one of {{WHATSAPP}} - got \"{}\".",
            read.messaging_product
        )));
    }
    let known = state
        .lock()
        .messages
        .get(&read.message_id)
        .is_some_and(|m| m.inbound);
    if known {
        Ok(())
    } else {
        Err(invalid(format!(
            "Invalid message_id: {} is not a message received by this number",
            read.message_id
        )))
    }
}

fn send(
    state: &SimState,
    message: &OutboundMessage,
) -> Result<(SendResponse, Accepted), GraphError> {
    if message.messaging_product != MESSAGING_PRODUCT {
        return Err(invalid(format!(
            "Param messaging_product must be one of {{WHATSAPP}} - got \"{}\".",
            message.messaging_product
        )));
    }
    if let Some(rt) = &message.recipient_type
        && rt != "individual"
    {
        return Err(invalid(format!(
            "Param recipient_type must be one of {{INDIVIDUAL}} - got \"{rt}\"."
        )));
    }
    let (recipient, user_id) = addressee(state, message)?;
    if let Some(data) = &message.biz_opaque_callback_data
        && data.len() > MAX_CALLBACK_DATA
    {
        return Err(invalid(format!(
            "Param biz_opaque_callback_data must be at most {MAX_CALLBACK_DATA} characters long."
        )));
    }
    let category = check_content(state, &message.body)?;

    let now = now_unix();
    let mut inner = state.lock();
    let wamid = ids::wamid(&mut inner.rng, &recipient.wa_id);
    let customer = inner.customer(&recipient, None);
    let username = customer.username.clone();
    let outcome = lifecycle::decide(
        customer,
        recipient.is_unreachable(),
        &message.body,
        category,
        now,
    );
    let language = customer.language;
    inner.remember_message(
        &wamid,
        MessageRecord {
            wa_id: recipient.wa_id.clone(),
            inbound: false,
        },
    );
    drop(inner);

    let response = SendResponse {
        messaging_product: MESSAGING_PRODUCT.to_owned(),
        contacts: vec![SendContact {
            input: message
                .to
                .clone()
                .or_else(|| message.recipient.clone())
                .unwrap_or_default(),
            // A send by user id does not learn the number.
            wa_id: if user_id.is_some() {
                String::new()
            } else {
                recipient.wa_id.clone()
            },
            user_id: user_id.clone(),
        }],
        messages: vec![SentMessage {
            id: wamid.clone(),
            message_status: category.map(|_| "accepted".to_owned()),
        }],
    };
    let accepted = Accepted {
        wamid,
        wa_id: recipient.wa_id,
        user_id,
        username,
        callback_data: message.biz_opaque_callback_data.clone(),
        outcome,
        language,
    };
    Ok((response, accepted))
}

/// Who a send names: `to` (a number), else `recipient` (a business-scoped
/// user id, with the user id), as Meta reads them. A user id no customer
/// has is refused with 131062.
fn addressee(
    state: &SimState,
    message: &OutboundMessage,
) -> Result<(Recipient, Option<String>), GraphError> {
    if let Some(to) = &message.to {
        let recipient = Recipient::parse(to).ok_or_else(|| {
            GraphError::new(
                ErrorCode::ParameterValueInvalid,
                format!("Param to is not a valid WhatsApp phone number: \"{to}\""),
            )
        })?;
        return Ok((recipient, None));
    }
    let Some(user_id) = message
        .recipient
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    else {
        return Err(GraphError::new(
            ErrorCode::RequiredParameterMissing,
            "The parameter to is required.",
        ));
    };
    let wa_id = state
        .lock()
        .customers
        .values()
        .find(|c| c.user_id == user_id)
        .map(|c| c.wa_id.clone());
    match wa_id.as_deref().and_then(Recipient::parse) {
        Some(recipient) => Ok((recipient, Some(user_id.to_owned()))),
        None => Err(GraphError::new(
            ErrorCode::UserIdInvalid,
            format!(
                "Param recipient is not a valid business-scoped user ID for this business: \"{user_id}\""
            ),
        )),
    }
}

/// Checks the body of a message; for templates returns their category.
fn check_content(
    state: &SimState,
    body: &OutboundBody,
) -> Result<Option<template::TemplateCategory>, GraphError> {
    match body {
        OutboundBody::Text { text } => {
            if text.body.trim().is_empty() {
                return Err(GraphError::new(
                    ErrorCode::RequiredParameterMissing,
                    "The parameter text['body'] is required.",
                ));
            }
            if text.body.chars().count() > MAX_TEXT_BODY {
                return Err(invalid(format!(
                    "Param text['body'] must be at most {MAX_TEXT_BODY} characters long."
                )));
            }
            Ok(None)
        }
        OutboundBody::Template { template: payload } => {
            let entry = state
                .lock()
                .templates
                .iter()
                .find(|e| {
                    e.template.name == payload.name && e.template.language == payload.language.code
                })
                .cloned();
            let Some(entry) = entry else {
                return Err(GraphError::new(
                    ErrorCode::TemplateMissing,
                    format!(
                        "template name ({}) does not exist in {}",
                        payload.name, payload.language.code
                    ),
                ));
            };
            template::validate(&entry.template, payload).map_err(|e| e.to_graph_error())?;
            Ok(Some(entry.template.category))
        }
        OutboundBody::Reaction { reaction } => {
            if reaction.message_id.is_empty() {
                return Err(GraphError::new(
                    ErrorCode::RequiredParameterMissing,
                    "The parameter reaction['message_id'] is required.",
                ));
            }
            Ok(None)
        }
        OutboundBody::Image { image: media }
        | OutboundBody::Video { video: media }
        | OutboundBody::Audio { audio: media }
        | OutboundBody::Document { document: media }
        | OutboundBody::Sticker { sticker: media } => {
            if media.id.is_some() == media.link.is_some() {
                return Err(invalid(
                    "Exactly one of the parameters id and link is required.",
                ));
            }
            Ok(None)
        }
    }
}

pub(crate) fn record(
    state: &SimState,
    path: String,
    wamid: Option<String>,
    body: Box<serde_json::value::RawValue>,
) {
    record_as(state, "POST", path, wamid, body);
}

/// Keeps an accepted request for `GET /_sim/sent`.
pub(crate) fn record_as(
    state: &SimState,
    method: &str,
    path: String,
    wamid: Option<String>,
    body: Box<serde_json::value::RawValue>,
) {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let capacity = state.config.sent_log_capacity.max(1);
    let mut inner = state.lock();
    let seq = inner.next_sent_seq;
    inner.next_sent_seq += 1;
    inner.sent.push_back(SentRequest {
        seq,
        method: method.to_owned(),
        path,
        phone_number_id: state.config.phone_number_id.clone(),
        wamid,
        accepted_at_ms: now_ms,
        body,
    });
    while inner.sent.len() > capacity {
        inner.sent.pop_front();
    }
}

/// `POST /{version}/{phone-number-id}/media`: a multipart upload with
/// `messaging_product`, `type` (the MIME type) and `file`. Answers
/// `{"id": <media id>}`; a missing part answers 100, a format or size Meta
/// would not take answers 131053, as Meta does.
pub(crate) async fn upload(
    State(state): Shared,
    Path((version, phone_number_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result: Result<Value, GraphError> = async {
        authorize(&state, &headers, query.get("access_token"))?;
        check_version(&version)?;
        if phone_number_id != state.config.phone_number_id {
            return Err(unknown_object("post", &phone_number_id));
        }
        let mut multipart =
            multipart.map_err(|e| invalid(format!("The request is not multipart: {e}")))?;
        let (mut product, mut kind, mut file) = (None, None, None);
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| invalid(format!("Malformed multipart body: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            match name.as_str() {
                "messaging_product" => product = field.text().await.ok(),
                "type" => kind = field.text().await.ok(),
                "file" => {
                    let filename = field.file_name().map(str::to_owned);
                    let part_type = field.content_type().map(str::to_owned);
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|e| invalid(format!("The file could not be read: {e}")))?;
                    file = Some((filename, part_type, bytes));
                }
                _ => {}
            }
        }
        if product.as_deref() != Some(MESSAGING_PRODUCT) {
            return Err(invalid(
                "The parameter messaging_product is required and must be whatsapp.",
            ));
        }
        let Some((filename, part_type, bytes)) = file else {
            return Err(invalid("The parameter file is required."));
        };
        let Some(mime_type) = kind.or(part_type).filter(|t| !t.trim().is_empty()) else {
            return Err(invalid("The parameter type is required."));
        };
        // WebP is what stickers are made of; Meta holds it to a sticker's size.
        let media_kind = if MediaKind::Sticker.accepts(&mime_type) {
            MediaKind::Sticker
        } else {
            MediaKind::for_upload(&mime_type)
        };
        if let Err(refusal) = media_kind.check(&mime_type, bytes.len() as u64, true) {
            return Err(upload_error(&refusal.to_string()));
        }
        let now = now_unix();
        let file = MediaFile::uploaded(mime_type.clone(), bytes.to_vec(), filename, now);
        let sha256 = file.sha256_hex();
        let size = file.bytes.len();
        let id = {
            let mut inner = state.lock();
            let id = ids::media_id(&mut inner.rng);
            inner.remember_media(&id, file.clone());
            id
        };
        state
            .stats
            .media_uploads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let described = json!({
            "id": id, "type": mime_type, "file_size": size, "sha256": sha256,
            "filename": file.filename,
        });
        if let Ok(raw) = serde_json::value::to_raw_value(&described) {
            record(
                &state,
                format!("/{version}/{phone_number_id}/media"),
                None,
                raw,
            );
        }
        Ok(json!({"id": id}))
    }
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(&state, e),
    }
}

/// Meta's 131053, "Media upload error", with what was wrong.
fn upload_error(details: &str) -> GraphError {
    GraphError {
        message: "(#131053) Media upload error".to_owned(),
        kind: "OAuthException".to_owned(),
        code: 131053,
        error_subcode: None,
        error_data: Some(Box::new(hourglass_whatsapp::graph_error::ErrorData {
            messaging_product: Some(MESSAGING_PRODUCT.to_owned()),
            details: details.to_owned(),
        })),
        fbtrace_id: None,
    }
}

/// `GET /{version}/{waba-id}/message_templates?limit=&after=&status=&name=&language=`.
pub(crate) async fn message_templates(
    State(state): Shared,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match list_templates(&state, &version, &waba_id, &query, &headers) {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(&state, e),
    }
}

fn list_templates(
    state: &SimState,
    version: &str,
    waba_id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Value, GraphError> {
    authorize(state, headers, query.get("access_token"))?;
    check_version(version)?;
    if waba_id != state.config.waba_id {
        return Err(unknown_object("get", waba_id));
    }
    let limit = match query.get("limit") {
        None => DEFAULT_TEMPLATE_PAGE,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_TEMPLATE_PAGE).contains(n))
            .ok_or_else(|| {
                invalid(format!(
                    "Param limit must be between 1 and {MAX_TEMPLATE_PAGE}"
                ))
            })?,
    };
    let start = match query.get("after") {
        None => 0,
        Some(cursor) => decode_cursor(cursor).ok_or_else(|| invalid("Invalid cursor: after"))?,
    };
    let matches = |e: &&crate::catalog::CatalogEntry| {
        let t = &e.template;
        let status_ok = query.get("status").is_none_or(|s| {
            serde_json::to_value(t.status)
                .is_ok_and(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case(s)))
        });
        let name_ok = query
            .get("name")
            .is_none_or(|n| t.name.contains(n.as_str()));
        let lang_ok = query.get("language").is_none_or(|l| &t.language == l);
        status_ok && name_ok && lang_ok
    };
    let all: Vec<crate::catalog::CatalogEntry> = state
        .lock()
        .templates
        .iter()
        .filter(|e| matches(e))
        .cloned()
        .collect();
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(limit)
        .map(|e| e.json.clone())
        .collect();
    let end = start + page.len();
    let mut paging = serde_json::Map::new();
    if !page.is_empty() {
        paging.insert(
            "cursors".into(),
            json!({"before": encode_cursor(start), "after": encode_cursor(end)}),
        );
    }
    if end < all.len() {
        let mut params: Vec<(String, String)> = vec![
            ("limit".into(), limit.to_string()),
            ("after".into(), encode_cursor(end)),
        ];
        for key in ["status", "name", "language"] {
            if let Some(v) = query.get(key) {
                params.push((key.into(), v.clone()));
            }
        }
        let base = format!("{}/{version}/{waba_id}/message_templates", state.base_url);
        let next =
            reqwest::Url::parse_with_params(&base, &params).map_err(|e| invalid(e.to_string()))?;
        paging.insert("next".into(), json!(next.as_str()));
    }
    Ok(json!({"data": page, "paging": Value::Object(paging)}))
}

/// Cursors are opaque to clients, as Meta's are; here the offset in base64.
fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("offset:")?
        .parse()
        .ok()
}

/// `GET /{version}/{id}`: a media object, the phone number, or the WABA.
pub(crate) async fn object(
    State(state): Shared,
    Path((version, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match get_object(&state, &version, &id, &query, &headers) {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(&state, e),
    }
}

fn get_object(
    state: &SimState,
    version: &str,
    id: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Value, GraphError> {
    authorize(state, headers, query.get("access_token"))?;
    check_version(version)?;
    let cfg = &state.config;
    if id == cfg.phone_number_id {
        let account = state.lock().account.clone();
        return Ok(json!({
            "verified_name": "Hourglass Demo Shop",
            "display_phone_number": format!("+{}", cfg.display_phone_number),
            "id": cfg.phone_number_id,
            "quality_rating": account.quality_rating,
            "whatsapp_business_manager_messaging_limit": account.messaging_tier,
            "name_status": "APPROVED",
            "code_verification_status": "VERIFIED",
            "platform_type": "CLOUD_API",
            "throughput": {"level": "STANDARD"},
        }));
    }
    if id == cfg.waba_id {
        return Ok(json!({"id": cfg.waba_id, "name": "Hourglass Demo Shop", "currency": "USD"}));
    }
    let inner = state.lock();
    let ttl = state.config.media_ttl.as_secs() as i64;
    // An expired id answers exactly like one that never existed, as Meta's do.
    let Some(file) = inner
        .media
        .get(id)
        .filter(|f| !f.is_expired(now_unix(), ttl))
    else {
        return Err(unknown_object("get", id));
    };
    let url = format!(
        "{}/whatsapp_business/attachments/?mid={id}&ext={}&hash={}",
        state.base_url,
        now_unix(),
        &file.sha256_hex()[..16]
    );
    Ok(json!({
        "messaging_product": "whatsapp",
        "url": url,
        "mime_type": file.mime_type,
        "sha256": file.sha256_hex(),
        "file_size": file.bytes.len(),
        "id": id,
    }))
}

/// `GET /whatsapp_business/attachments/?mid=…&ext=…`: the file itself, with
/// the Bearer token, while the URL is fresh and the id not expired (404
/// otherwise); HTTP 500 while media faults are queued.
pub(crate) async fn download(
    State(state): Shared,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = authorize(&state, &headers, None) {
        return error_response(&state, e);
    }
    let fresh = query
        .get("ext")
        .and_then(|t| t.parse::<i64>().ok())
        .is_some_and(|issued| now_unix() - issued <= MEDIA_URL_TTL_SECS);
    let ttl = state.config.media_ttl.as_secs() as i64;
    let (file, fault) = {
        let mut inner = state.lock();
        let fault = inner.media_faults > 0;
        if fault {
            inner.media_faults -= 1;
        }
        let file = query
            .get("mid")
            .and_then(|id| inner.media.get(id))
            .filter(|f| !f.is_expired(now_unix(), ttl))
            .cloned();
        (file, fault)
    };
    if fault {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected by the simulator",
        )
            .into_response();
    }
    match (file, fresh) {
        (Some(file), true) => {
            state
                .stats
                .media_downloads
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut response = file.bytes.into_response();
            if let Ok(ct) = HeaderValue::from_str(&file.mime_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            response
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_cursors() {
        for ok in ["v23.0", "v24.0", "v25.0", "v26.0"] {
            assert!(check_version(ok).is_ok(), "{ok}");
        }
        assert!(SUPPORTED_VERSIONS.contains(&hourglass_whatsapp::GRAPH_API_VERSION));
        for old_or_new in ["v22.0", "v27.0", "v9.10", "v25.1"] {
            let e = check_version(old_or_new).unwrap_err();
            assert_eq!(e.code, 2635, "{old_or_new}");
            assert!(e.message.contains(old_or_new), "{}", e.message);
        }
        for bad in ["24.0", "v24", "vX.0", "v.0", "latest"] {
            assert_eq!(check_version(bad).unwrap_err().code, 2500, "{bad}");
        }
        assert_eq!(decode_cursor(&encode_cursor(17)), Some(17));
        assert_eq!(decode_cursor("bm9wZQ"), None);
        assert_eq!(decode_cursor("%%%"), None);
    }
}
