-- Issue 18: WhatsApp calls, Meta's business AI agent, and real costs.
-- A call is a `messages` row of kind 'call' (its id is the call's wacid), so
-- a customer's call moves `conversations.last_inbound_at` and opens the
-- 24-hour window as a message does.

-- The `type` of a status's pricing (`regular`, `free_customer_service`,
-- `free_entry_point`), beside its category, model and billable flag (0002).
ALTER TABLE messages ADD COLUMN pricing_type TEXT;
ALTER TABLE message_statuses ADD COLUMN pricing_type TEXT;

-- Who answered the conversation when the message came: 'ai_agent' for
-- messages Meta delivered on the `standby` field (Meta's business AI agent
-- handled them while this app listened); NULL for everything else.
ALTER TABLE messages ADD COLUMN handled_by TEXT CHECK (handled_by IN ('ai_agent', 'app'));

-- Who answers the conversation now under Meta's conversation routing:
-- 'ai_agent' (Meta's business AI agent) or 'app' (this app's agents); NULL
-- while Meta has said nothing. `owner_at` is the Meta time (Unix seconds) of
-- the event that set it, so an older event arriving late cannot undo a newer.
ALTER TABLE conversations ADD COLUMN owner TEXT CHECK (owner IN ('ai_agent', 'app'));
ALTER TABLE conversations ADD COLUMN owner_at INTEGER;
