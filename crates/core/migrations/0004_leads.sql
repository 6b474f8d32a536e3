-- Issue 7: lead attribution, and the app settings it needs.

-- A lead lives on the conversation where the contact's first message landed,
-- not on the contact: the 72 h free entry point runs per business number,
-- and the list row and the chat header read conversations.
-- `lead_at` is set for every lead, with or without a known source (a first
-- message from an unknown number is a lead too); `lead_source` is the JSON of
-- `lead::LeadSource` (referral or partner code), NULL when there is none.
ALTER TABLE conversations ADD COLUMN lead_source TEXT;
-- Meta timestamp (Unix seconds) of the lead's first message.
ALTER TABLE conversations ADD COLUMN lead_at INTEGER;
-- Meta timestamp of the business's first outbound message at or after
-- `lead_at`: a reply within 24 h opens the 72 h free entry point.
ALTER TABLE conversations ADD COLUMN first_reply_at INTEGER;

-- Small app settings shared by every connection to this file (the window's
-- and the sync engine's), as JSON values under stable keys such as
-- `lead_code_pattern`.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    -- Local clock, Unix milliseconds; never drives a rule.
    updated_at  INTEGER NOT NULL
);
