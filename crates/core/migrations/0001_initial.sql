-- Contacts are customers. A person is identified by their E.164 number and,
-- when Meta sends one, by their business-scoped user id; either may be absent
-- (users with usernames may hide their number), never both.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    phone_e164  TEXT UNIQUE,
    user_id     TEXT UNIQUE,
    wa_id       TEXT,
    name        TEXT,
    created_at  INTEGER NOT NULL,
    CHECK (phone_e164 IS NOT NULL OR user_id IS NOT NULL)
);

-- One conversation per contact per business phone number.
CREATE TABLE conversations (
    id                 INTEGER PRIMARY KEY,
    contact_id         INTEGER NOT NULL REFERENCES contacts(id),
    phone_number_id    TEXT NOT NULL,
    -- Meta timestamp (Unix seconds) of the newest message either way.
    last_activity_at   INTEGER NOT NULL DEFAULT 0,
    -- Meta timestamp of the customer's newest message: the 24 h window opens here.
    last_inbound_at    INTEGER,
    last_preview       TEXT NOT NULL DEFAULT '',
    last_direction     TEXT,
    unread_count       INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    UNIQUE (contact_id, phone_number_id)
);
CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    wamid            TEXT NOT NULL UNIQUE,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    kind             TEXT NOT NULL,
    -- Text, caption or a one-line description of non-text content.
    body             TEXT NOT NULL DEFAULT '',
    -- The message as Meta sent it (JSON), so nothing is lost to our model.
    payload          TEXT,
    -- Meta timestamp, Unix seconds.
    sent_at          INTEGER NOT NULL,
    status           TEXT,
    reply_to_wamid   TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at, id);

-- The position in each relay's event log up to which this store is complete.
CREATE TABLE sync_cursor (
    relay     TEXT PRIMARY KEY,
    last_seq  INTEGER NOT NULL CHECK (last_seq >= 0)
);
