-- Coexistence with the WhatsApp Business app.
--
-- The names the business gave
-- its contacts in the phone app's address book (`smb_app_state_sync`). A
-- name the team gave in Hourglass wins over it; it wins over the customer's
-- own profile name. Customers are named as in the team tables: E.164 with
-- `+`. Applied in log order; a removed contact's row is deleted.
CREATE TABLE business_app_contacts (
    customer TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    -- Meta's timestamp of the change, Unix seconds, when it said.
    at       INTEGER,
    seq      INTEGER NOT NULL
);

-- A message the business sent from the WhatsApp Business app (an
-- `smb_message_echoes` echo, or the app's history). `handled_by` (0015)
-- keeps Meta's AI agent.
ALTER TABLE messages ADD COLUMN sent_from TEXT CHECK (sent_from IN ('business_app'));
