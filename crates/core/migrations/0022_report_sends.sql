-- Issue 17: the spend report from kept figures, so a year's report reads
-- one row per billable or template send instead of every message of the
-- year with a look at each customer's window.
--
-- One row per send the spend report counts: a template, or any message
-- Meta marked billable (a service reply once Meta charges for them), that
-- did not fail. It is worked out with the conversation's other figures
-- (`store/report_figures.rs`) whenever the conversation is marked in
-- `report_dirty`. The customer's country and the template's category are
-- read when the report runs (from `contacts` and `templates`), so a changed
-- number or a recategorised template needs no working out.
CREATE TABLE report_sends (
    message_id         INTEGER PRIMARY KEY,
    conversation_id    INTEGER NOT NULL,
    sent_at            INTEGER NOT NULL,
    -- The agent who sent it (NULL: this desktop, before its own event named
    -- the sender).
    sender             TEXT,
    -- Meta's pricing category and billable flag from the status webhooks;
    -- NULL while Meta has not priced the send.
    pricing_category   TEXT,
    billable           INTEGER,
    -- The template picked in this desktop's outbox (NULL when it was sent
    -- from elsewhere).
    template_name      TEXT,
    template_language  TEXT,
    -- Whether the customer wrote in the 24 hours up to the send: what the
    -- template picker's estimate looked at.
    window_open        INTEGER NOT NULL
);
CREATE INDEX report_sends_by_time ON report_sends (sent_at);
CREATE INDEX report_sends_by_conversation ON report_sends (conversation_id);

-- A send's price arrives in a status webhook after the send: a change of
-- kind, pricing category or billable flag marks the conversation too.
DROP TRIGGER report_message_update;
CREATE TRIGGER report_message_update
    AFTER UPDATE OF sent_at, direction, sent_by, status, conversation_id, kind,
                    pricing_category, billable ON messages
    WHEN old.sent_at IS NOT new.sent_at
      OR old.direction IS NOT new.direction
      OR old.sent_by IS NOT new.sent_by
      OR old.conversation_id IS NOT new.conversation_id
      OR (old.status IS 'failed') <> (new.status IS 'failed')
      OR old.kind IS NOT new.kind
      OR old.pricing_category IS NOT new.pricing_category
      OR old.billable IS NOT new.billable
BEGIN
    INSERT INTO report_dirty SELECT old.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = old.conversation_id);
    INSERT INTO report_dirty SELECT new.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.conversation_id);
END;

-- Which template a send was: the outbox row that sent it.
CREATE TRIGGER report_outbox_insert AFTER INSERT ON outbox
    WHEN new.message_id IS NOT NULL
BEGIN
    INSERT INTO report_dirty SELECT new.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.conversation_id);
END;

CREATE TRIGGER report_outbox_update AFTER UPDATE OF message_id, request ON outbox
    WHEN old.message_id IS NOT new.message_id OR old.request IS NOT new.request
BEGIN
    INSERT INTO report_dirty SELECT new.conversation_id
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty WHERE conversation_id = new.conversation_id);
END;

-- The sends already stored: their conversations are worked out when the
-- next report reads the figures.
INSERT INTO report_dirty
    SELECT DISTINCT m.conversation_id FROM messages m
    WHERE m.direction = 'outbound' AND (m.kind = 'template' OR m.billable = 1)
      AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.conversation_id = m.conversation_id);
