-- Issue 5: what the sync engine keeps from the relay's log beyond the bare
-- message rows of 0001.

-- Message details. `content` is the UI-facing JSON of `inbox::MessageContent`
-- (media ids, coordinates, shared contacts, button/list replies, …);
-- `payload` (0001) still holds Meta's JSON untouched.
ALTER TABLE messages ADD COLUMN content TEXT;
-- Click-to-WhatsApp ad referral JSON as Meta sent it (lead detection reads it).
ALTER TABLE messages ADD COLUMN referral TEXT;
-- Meta timestamp (Unix seconds) of the status now shown.
ALTER TABLE messages ADD COLUMN status_at INTEGER;
-- The first error of a `failed` status.
ALTER TABLE messages ADD COLUMN error_code INTEGER;
ALTER TABLE messages ADD COLUMN error_title TEXT;
ALTER TABLE messages ADD COLUMN error_detail TEXT;
-- What the outbox put in `biz_opaque_callback_data`, echoed by statuses.
ALTER TABLE messages ADD COLUMN biz_opaque_callback_data TEXT;
ALTER TABLE messages ADD COLUMN pricing_category TEXT;
ALTER TABLE messages ADD COLUMN pricing_model TEXT;
ALTER TABLE messages ADD COLUMN billable INTEGER;
-- Media: Meta's id (download on demand through Graph), and where the file
-- was saved once downloaded.
ALTER TABLE messages ADD COLUMN media_id TEXT;
ALTER TABLE messages ADD COLUMN media_mime TEXT;
ALTER TABLE messages ADD COLUMN media_path TEXT;
-- Edits and revokes of the message by its author (Meta timestamps).
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN revoked_at INTEGER;
-- The relay event this row came from (0: written locally).
ALTER TABLE messages ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_by_biz_opaque ON messages (biz_opaque_callback_data)
    WHERE biz_opaque_callback_data IS NOT NULL;

-- The customer's first inbound message, for lead detection, and their
-- marketing preference (user_preferences webhooks).
ALTER TABLE contacts ADD COLUMN first_inbound_wamid TEXT;
ALTER TABLE contacts ADD COLUMN first_inbound_at INTEGER;
ALTER TABLE contacts ADD COLUMN marketing_opt_out INTEGER NOT NULL DEFAULT 0;

-- Every status Meta reported, one row per (wamid, status). Statuses whose
-- message is not (yet) stored wait here and are applied when it appears.
CREATE TABLE message_statuses (
    wamid                    TEXT NOT NULL,
    status                   TEXT NOT NULL,
    -- Meta timestamp, Unix seconds.
    at                       INTEGER NOT NULL,
    recipient_id             TEXT,
    biz_opaque_callback_data TEXT,
    pricing_category         TEXT,
    pricing_model            TEXT,
    billable                 INTEGER,
    error_code               INTEGER,
    error_title              TEXT,
    error_detail             TEXT,
    seq                      INTEGER NOT NULL,
    PRIMARY KEY (wamid, status)
) WITHOUT ROWID;

-- Reactions, one per (reacted-to message, who). A removal keeps the row with
-- `emoji` NULL so an older reaction arriving late cannot resurrect it.
CREATE TABLE reactions (
    target_wamid  TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    emoji         TEXT,
    -- Meta timestamp of the reaction.
    at            INTEGER NOT NULL,
    wamid         TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (target_wamid, direction)
) WITHOUT ROWID;

-- Template lifecycle: the newest event per template.
CREATE TABLE template_status (
    template_key  TEXT PRIMARY KEY,
    template_id   TEXT,
    name          TEXT,
    language      TEXT,
    event         TEXT NOT NULL,
    reason        TEXT,
    waba_id       TEXT NOT NULL,
    seq           INTEGER NOT NULL
);

-- Marketing opt-outs / opt-ins per customer number and category.
CREATE TABLE user_preferences (
    wa_id     TEXT NOT NULL,
    category  TEXT NOT NULL,
    value     TEXT NOT NULL,
    detail    TEXT,
    at        INTEGER,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (wa_id, category)
) WITHOUT ROWID;

-- Relay events the app could not turn into inbox rows: malformed bodies,
-- updates of unknown shape, change-level errors, events that failed to apply.
-- Kept whole and shown, never dropped.
CREATE TABLE flagged_events (
    seq            INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    payload        TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL
);

-- Events published by agents' apps, raw until later issues define them.
CREATE TABLE agent_events (
    seq            INTEGER PRIMARY KEY,
    agent          TEXT,
    dedupe_key     TEXT NOT NULL,
    payload        TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL
);
