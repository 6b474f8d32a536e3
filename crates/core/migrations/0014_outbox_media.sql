-- Issue 15: photos, videos, voice notes, documents and stickers the agent
-- sends. The outbox's `kind` CHECK allowed only text and templates, so the
-- table is rebuilt (SQLite cannot alter a CHECK), keeping every row.
--
-- A media row carries the file staged in the profile (`media_file`, a
-- SHA-256 name inside the profile's staging folder, never a path from the
-- window) until it is sent. Once `POST /{phone-number-id}/media` answers,
-- Meta's id is committed as `media_id` before the message is sent, so a
-- crash between the two sends the message without uploading again.
CREATE TABLE outbox_new (
    id                 TEXT PRIMARY KEY,
    conversation_id    INTEGER NOT NULL REFERENCES conversations(id),
    message_id         INTEGER REFERENCES messages(id),
    recipient          TEXT NOT NULL,
    kind               TEXT NOT NULL
                       CHECK (kind IN ('text', 'template', 'image', 'video', 'audio',
                                       'document', 'sticker')),
    request            TEXT NOT NULL,
    body               TEXT NOT NULL,
    state              TEXT NOT NULL
                       CHECK (state IN ('queued', 'sending', 'accepted', 'failed', 'needs_human')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    backoffs           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    sending_since_ms   INTEGER,
    wamid              TEXT UNIQUE,
    error_code         INTEGER,
    error_title        TEXT,
    error_detail       TEXT,
    offer_templates    INTEGER NOT NULL DEFAULT 0,
    created_at_ms      INTEGER NOT NULL,
    published          INTEGER NOT NULL DEFAULT 0,
    -- The staged file's name (its SHA-256 in hex); NULL for text and templates.
    media_file         TEXT,
    -- The MIME type sniffed from the file's bytes, sent as the upload's `type`.
    media_mime         TEXT,
    -- The agent's file name, reduced to a plain name: the upload's name, and
    -- what the customer sees on a document.
    media_filename     TEXT,
    -- Meta's id of the uploaded file; NULL until the upload succeeded.
    media_id           TEXT
);
INSERT INTO outbox_new (id, conversation_id, message_id, recipient, kind, request, body, state,
                        attempts, backoffs, next_attempt_at_ms, sending_since_ms, wamid,
                        error_code, error_title, error_detail, offer_templates, created_at_ms,
                        published)
SELECT id, conversation_id, message_id, recipient, kind, request, body, state,
       attempts, backoffs, next_attempt_at_ms, sending_since_ms, wamid,
       error_code, error_title, error_detail, offer_templates, created_at_ms, published
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at_ms);
CREATE INDEX outbox_by_message ON outbox (message_id);
CREATE INDEX outbox_by_media_file ON outbox (media_file) WHERE media_file IS NOT NULL;
