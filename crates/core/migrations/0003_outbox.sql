-- Issue 6: the outbox (every send the agent makes, as a row that survives a
-- crash) and the template catalogue synced from the Graph API.

-- One row per message an agent asked to send. `id` is a UUID that travels to
-- Meta as `biz_opaque_callback_data`, so a send whose HTTP reply was lost is
-- recognised from its status webhooks instead of being sent twice.
--
-- queued -> sending -> accepted (Meta gave a wamid)
--                   -> queued again (retry/back-off), failed, needs_human
-- A row is marked `sending` and committed before the Graph call, so a crash
-- during the call leaves evidence that the send may have gone out.
CREATE TABLE outbox (
    id                 TEXT PRIMARY KEY,
    conversation_id    INTEGER NOT NULL REFERENCES conversations(id),
    -- The bubble shown at once (wamid `local:<id>` until Meta accepts).
    message_id         INTEGER REFERENCES messages(id),
    -- `to` as sent: the contact's E.164 number, or their user id.
    recipient          TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('text', 'template')),
    -- The exact Graph request body (JSON), `biz_opaque_callback_data` included.
    request            TEXT NOT NULL,
    -- What the customer sees: the text, or the filled-in template.
    body               TEXT NOT NULL,
    state              TEXT NOT NULL
                       CHECK (state IN ('queued', 'sending', 'accepted', 'failed', 'needs_human')),
    -- Sends that got an answer other than acceptance (rate limits excluded).
    attempts           INTEGER NOT NULL DEFAULT 0,
    -- Rate-limit back-offs in a row, for the doubling delay.
    backoffs           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    -- When the row went `sending`: the reconciliation window starts here.
    sending_since_ms   INTEGER,
    wamid              TEXT UNIQUE,
    -- Meta's error code, or NULL for errors that are not Meta's.
    error_code         INTEGER,
    -- A stable code (`graph_timeout`, Meta's title, …) and the plain words.
    error_title        TEXT,
    error_detail       TEXT,
    -- The failure is one a template fixes (131047 window closed, 132xxx).
    offer_templates    INTEGER NOT NULL DEFAULT 0,
    created_at_ms      INTEGER NOT NULL,
    -- The `outbound` agent event reached the relay.
    published          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_by_conversation ON outbox (conversation_id, created_at_ms);
CREATE INDEX outbox_by_message ON outbox (message_id);

-- Message templates as `GET /{waba-id}/message_templates` lists them, all
-- pages, replaced as a whole on every sync.
CREATE TABLE templates (
    name              TEXT NOT NULL,
    language          TEXT NOT NULL,
    template_id       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    category          TEXT NOT NULL,
    parameter_format  TEXT,
    -- `components` JSON exactly as Meta listed them.
    components        TEXT NOT NULL,
    synced_at_ms      INTEGER NOT NULL,
    PRIMARY KEY (name, language)
) WITHOUT ROWID;
