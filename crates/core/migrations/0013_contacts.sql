-- Issue 16: the contact panel. What the team knows about a customer beyond
-- WhatsApp's profile: a name given by an agent, custom fields defined
-- team-wide, a marketing opt-in recorded by an agent, and blocks made
-- through the Cloud API. All of it comes from typed team events
-- (hourglass_protocol::team::AgentEvent) applied in log order by
-- store/contacts.rs, so every desktop converges. Customers are named as in
-- the team tables: E.164 with `+`, or Meta's business-scoped user id.

CREATE TABLE contact_names (
    customer  TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    by_agent  TEXT,
    seq       INTEGER NOT NULL,
    at_ms     INTEGER NOT NULL
);

-- A field's `id` is made by the app that defined it; renaming keeps it.
CREATE TABLE contact_fields (
    id        TEXT PRIMARY KEY,
    label     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    -- JSON array of the choices of a `choice` field.
    options   TEXT NOT NULL DEFAULT '[]',
    seq       INTEGER NOT NULL,
    -- The log position that first defined it: the fields' order.
    first_seq INTEGER NOT NULL
);

CREATE TABLE contact_values (
    customer  TEXT NOT NULL,
    field_id  TEXT NOT NULL,
    value     TEXT NOT NULL,
    by_agent  TEXT,
    seq       INTEGER NOT NULL,
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (customer, field_id)
);

-- The newest opt-in an agent recorded (opt-outs come from Meta: the
-- `user_preferences` table and sends failed with 131050).
CREATE TABLE contact_opt_ins (
    customer  TEXT PRIMARY KEY,
    source    TEXT NOT NULL,
    by_agent  TEXT,
    seq       INTEGER NOT NULL,
    at_ms     INTEGER NOT NULL
);

CREATE TABLE contact_blocks (
    customer         TEXT NOT NULL,
    phone_number_id  TEXT NOT NULL,
    blocked          INTEGER NOT NULL,
    by_agent         TEXT,
    seq              INTEGER NOT NULL,
    at_ms            INTEGER NOT NULL,
    PRIMARY KEY (customer, phone_number_id)
);

-- A send that failed with 131050 (the customer stopped marketing messages)
-- records the opt-out, so no further marketing template is sent.
CREATE TRIGGER contact_opt_out_131050 AFTER UPDATE OF error_code ON messages
WHEN NEW.error_code = 131050
BEGIN
    UPDATE contacts SET marketing_opt_out = 1
    WHERE id = (SELECT contact_id FROM conversations WHERE id = NEW.conversation_id);
END;

CREATE TRIGGER contact_opt_out_131050_outbox AFTER UPDATE OF error_code ON outbox
WHEN NEW.error_code = 131050
BEGIN
    UPDATE contacts SET marketing_opt_out = 1
    WHERE id = (SELECT contact_id FROM conversations WHERE id = NEW.conversation_id);
END;

CREATE TRIGGER contact_opt_out_131050_new AFTER INSERT ON messages
WHEN NEW.error_code = 131050
BEGIN
    UPDATE contacts SET marketing_opt_out = 1
    WHERE id = (SELECT contact_id FROM conversations WHERE id = NEW.conversation_id);
END;

-- The customer's WhatsApp username, where Meta sends one
-- (`contacts[].profile.username`); such customers may have no number.
ALTER TABLE contacts ADD COLUMN username TEXT;
