-- Issue 17: the Reports screen's figures kept as messages arrive, so a
-- report reads a few rows per day instead of every message of its range.
--
-- Each conversation's figures are worked out from its messages in Rust
-- (`store/report_figures.rs`) and kept three ways: what the conversation
-- last contributed (`report_conversations`, so a change can take it back
-- out), per UTC day and assignee (`report_days`), per UTC day and sender
-- (`report_agent_days`). Counts are kept per quarter hour of the UTC day, so
-- any time zone whose offset is a whole number of quarter hours gets exact
-- local days and hours. Anything that can change a conversation's figures
-- marks it in `report_dirty` (the triggers below); the marked
-- conversations are worked out again when a report next reads the figures.

-- What a conversation contributed, as of its last working out: its assignee
-- then ('' for none) and its events (encoded by `report_figures.rs`).
CREATE TABLE report_conversations (
    conversation_id  INTEGER PRIMARY KEY,
    owner            TEXT NOT NULL,
    events           BLOB NOT NULL
);

-- Per UTC day (Unix seconds / 86400) and assignee now ('' for none): 96
-- little-endian u32 counts, one per quarter hour, of customer messages,
-- conversations opened, missed windows (by the time they closed), and
-- conversations resolved and reopened (status changes, migration 0012).
CREATE TABLE report_days (
    day       INTEGER NOT NULL,
    owner     TEXT NOT NULL,
    inbound   BLOB NOT NULL,
    opened    BLOB NOT NULL,
    missed    BLOB NOT NULL,
    resolved  BLOB NOT NULL,
    reopened  BLOB NOT NULL,
    PRIMARY KEY (day, owner)
);

-- Per UTC day and sender ('' for a message this desktop sent before its
-- own event named the sender): messages sent per quarter hour (96 u32, only
-- for named senders), and each reply and first reply as 5 bytes: its
-- response time in seconds (u32) and its quarter hour of the day (u8).
CREATE TABLE report_agent_days (
    day            INTEGER NOT NULL,
    agent          TEXT NOT NULL,
    sent           BLOB NOT NULL,
    replies        BLOB NOT NULL,
    first_replies  BLOB NOT NULL,
    PRIMARY KEY (day, agent)
);

-- Every missed window, including the one a conversation may have open now
-- (it counts once `closed_at` has passed).
CREATE TABLE report_missed (
    conversation_id  INTEGER NOT NULL,
    closed_at        INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,
    last_message_at  INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, closed_at)
) WITHOUT ROWID;
CREATE INDEX report_missed_by_time ON report_missed (closed_at, conversation_id);

-- Conversations whose figures must be worked out again. The triggers add a
-- conversation only if it is not marked yet (NOT EXISTS, not INSERT OR
-- IGNORE: a trigger's OR IGNORE takes the conflict rule of the statement
-- that fired it, so under an upsert, such as two assignments of one chat in
-- one batch, a repeated mark would fail the write).
CREATE TABLE report_dirty (
    conversation_id  INTEGER PRIMARY KEY
);

CREATE TRIGGER report_message_insert AFTER INSERT ON messages BEGIN
    INSERT INTO report_dirty SELECT new.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.conversation_id);
END;

CREATE TRIGGER report_message_delete AFTER DELETE ON messages BEGIN
    INSERT INTO report_dirty SELECT old.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = old.conversation_id);
END;

-- Only what the figures read: a delivery or read receipt changes nothing,
-- a failure (or a retry after one) does.
CREATE TRIGGER report_message_update
    AFTER UPDATE OF sent_at, direction, sent_by, status, conversation_id ON messages
    WHEN old.sent_at IS NOT new.sent_at
      OR old.direction IS NOT new.direction
      OR old.sent_by IS NOT new.sent_by
      OR old.conversation_id IS NOT new.conversation_id
      OR (old.status IS 'failed') <> (new.status IS 'failed')
BEGIN
    INSERT INTO report_dirty SELECT old.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = old.conversation_id);
    INSERT INTO report_dirty SELECT new.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.conversation_id);
END;

-- Whose conversation it is: the assignment, and what ties it to the
-- conversation (the contact's number or user id, the conversation's contact).
CREATE TRIGGER report_assignment_insert AFTER INSERT ON team_assignments BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id AND cv.phone_number_id = new.phone_number_id
        WHERE (ct.phone_e164 = new.customer
           OR (ct.phone_e164 IS NULL AND ct.user_id = new.customer))
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

CREATE TRIGGER report_assignment_update AFTER UPDATE ON team_assignments
    WHEN old.assignee IS NOT new.assignee
      OR old.customer IS NOT new.customer
      OR old.phone_number_id IS NOT new.phone_number_id
BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id
         AND cv.phone_number_id IN (old.phone_number_id, new.phone_number_id)
        WHERE (ct.phone_e164 IN (old.customer, new.customer)
           OR (ct.phone_e164 IS NULL AND ct.user_id IN (old.customer, new.customer)))
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

CREATE TRIGGER report_assignment_delete AFTER DELETE ON team_assignments BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id AND cv.phone_number_id = old.phone_number_id
        WHERE (ct.phone_e164 = old.customer
           OR (ct.phone_e164 IS NULL AND ct.user_id = old.customer))
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

-- A conversation's status changes, under the customer's number or user id.
CREATE TRIGGER report_status_insert AFTER INSERT ON team_status BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id AND cv.phone_number_id = new.phone_number_id
        WHERE (ct.phone_e164 = new.customer OR ct.user_id = new.customer)
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

CREATE TRIGGER report_status_update AFTER UPDATE ON team_status BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id
         AND cv.phone_number_id IN (old.phone_number_id, new.phone_number_id)
        WHERE (ct.phone_e164 IN (old.customer, new.customer)
           OR ct.user_id IN (old.customer, new.customer))
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

CREATE TRIGGER report_status_delete AFTER DELETE ON team_status BEGIN
    INSERT INTO report_dirty
        SELECT DISTINCT cv.id FROM contacts ct
        JOIN conversations cv
          ON cv.contact_id = ct.id AND cv.phone_number_id = old.phone_number_id
        WHERE (ct.phone_e164 = old.customer OR ct.user_id = old.customer)
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = cv.id);
END;

CREATE TRIGGER report_contact_update AFTER UPDATE OF phone_e164, user_id ON contacts
    WHEN old.phone_e164 IS NOT new.phone_e164 OR old.user_id IS NOT new.user_id
BEGIN
    INSERT INTO report_dirty
        SELECT id FROM conversations
        WHERE contact_id = new.id
          AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = conversations.id);
END;

CREATE TRIGGER report_conversation_update
    AFTER UPDATE OF contact_id, phone_number_id ON conversations
    WHEN old.contact_id IS NOT new.contact_id OR old.phone_number_id IS NOT new.phone_number_id
BEGIN
    INSERT INTO report_dirty SELECT new.id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.id);
END;

CREATE TRIGGER report_conversation_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO report_dirty SELECT old.id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = old.id);
END;

-- The figures of what is already stored: every conversation is worked out
-- when the first report after this migration reads them.
INSERT INTO report_dirty SELECT id FROM conversations;
