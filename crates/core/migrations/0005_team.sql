-- Issue 9: team work. Shared actions (assigning a conversation, a private
-- note, a label, a canned response) are agent events on the relay's log,
-- which the sync engine writes to `agent_events` in log order, each once.
-- The tables below are derived from those rows by triggers, so every
-- desktop that applied the same log holds exactly the same team state.
--
-- Conversations are named across desktops by the customer (`customer`: the
-- E.164 number with `+`, or Meta's business-scoped user id when the number
-- is hidden) and the business phone number id: local row ids differ from
-- one desktop to the next.
--
-- A trigger never raises an error: a payload this version cannot use (a
-- wrong type, a label too long) is skipped by its WHEN clause and stays in
-- `agent_events` for a later version, instead of failing the whole batch
-- and stopping sync.

CREATE TABLE team_assignments (
    customer         TEXT NOT NULL,
    phone_number_id  TEXT NOT NULL,
    -- The agent's name on the relay; NULL: unassigned.
    assignee         TEXT,
    by_agent         TEXT,
    -- The log position of the action in force, and when the relay took it.
    seq              INTEGER NOT NULL,
    at_ms            INTEGER NOT NULL,
    PRIMARY KEY (customer, phone_number_id)
);
CREATE INDEX team_assignments_by_assignee ON team_assignments (assignee);

CREATE TABLE team_notes (
    -- Made by the author's app; the first event with an id wins.
    id               TEXT PRIMARY KEY,
    customer         TEXT NOT NULL,
    phone_number_id  TEXT NOT NULL,
    author           TEXT,
    body             TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    at_ms            INTEGER NOT NULL
);
CREATE INDEX team_notes_by_conversation ON team_notes (customer, phone_number_id, seq);

CREATE TABLE team_labels (
    customer         TEXT NOT NULL,
    phone_number_id  TEXT NOT NULL,
    label            TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    PRIMARY KEY (customer, phone_number_id, label)
);
CREATE INDEX team_labels_by_label ON team_labels (label);

CREATE TABLE team_canned (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_by  TEXT,
    seq         INTEGER NOT NULL
);

-- {"type":"assign","customer":…,"phone_number_id":…,"assignee":"ana"|null}
CREATE TRIGGER team_assign AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'assign'
 AND json_type(NEW.payload, '$.customer') = 'text'
 AND json_type(NEW.payload, '$.phone_number_id') = 'text'
 AND json_type(NEW.payload, '$.assignee') IN ('text', 'null')
BEGIN
    INSERT INTO team_assignments (customer, phone_number_id, assignee, by_agent, seq, at_ms)
    VALUES (json_extract(NEW.payload, '$.customer'), json_extract(NEW.payload, '$.phone_number_id'),
            json_extract(NEW.payload, '$.assignee'), NEW.agent, NEW.seq, NEW.received_at_ms)
    ON CONFLICT (customer, phone_number_id) DO UPDATE SET
        assignee = excluded.assignee, by_agent = excluded.by_agent,
        seq = excluded.seq, at_ms = excluded.at_ms
    WHERE excluded.seq > team_assignments.seq;
END;

-- {"type":"note","id":…,"customer":…,"phone_number_id":…,"body":…}
CREATE TRIGGER team_note AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'note'
 AND json_type(NEW.payload, '$.id') = 'text'
 AND json_type(NEW.payload, '$.customer') = 'text'
 AND json_type(NEW.payload, '$.phone_number_id') = 'text'
 AND json_type(NEW.payload, '$.body') = 'text'
BEGIN
    INSERT INTO team_notes (id, customer, phone_number_id, author, body, seq, at_ms)
    VALUES (json_extract(NEW.payload, '$.id'), json_extract(NEW.payload, '$.customer'),
            json_extract(NEW.payload, '$.phone_number_id'), NEW.agent,
            json_extract(NEW.payload, '$.body'), NEW.seq, NEW.received_at_ms)
    ON CONFLICT (id) DO NOTHING;
END;

-- {"type":"label","customer":…,"phone_number_id":…,"label":…,"on":true|false}
CREATE TRIGGER team_label_on AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'label'
 AND json_type(NEW.payload, '$.on') = 'true'
 AND json_type(NEW.payload, '$.customer') = 'text'
 AND json_type(NEW.payload, '$.phone_number_id') = 'text'
 AND json_type(NEW.payload, '$.label') = 'text'
 AND length(json_extract(NEW.payload, '$.label')) BETWEEN 1 AND 50
BEGIN
    INSERT INTO team_labels (customer, phone_number_id, label, seq)
    VALUES (json_extract(NEW.payload, '$.customer'), json_extract(NEW.payload, '$.phone_number_id'),
            json_extract(NEW.payload, '$.label'), NEW.seq)
    ON CONFLICT (customer, phone_number_id, label) DO NOTHING;
END;

CREATE TRIGGER team_label_off AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'label'
 AND json_type(NEW.payload, '$.on') = 'false'
 AND json_type(NEW.payload, '$.label') = 'text'
BEGIN
    DELETE FROM team_labels
    WHERE customer = json_extract(NEW.payload, '$.customer')
      AND phone_number_id = json_extract(NEW.payload, '$.phone_number_id')
      AND label = json_extract(NEW.payload, '$.label');
END;

-- {"type":"canned","id":…,"title":…,"body":…} or {"type":"canned","id":…,"deleted":true}
CREATE TRIGGER team_canned_put AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'canned'
 AND json_type(NEW.payload, '$.id') = 'text'
 AND json_type(NEW.payload, '$.title') = 'text'
 AND json_type(NEW.payload, '$.body') = 'text'
 AND coalesce(json_type(NEW.payload, '$.deleted'), 'false') = 'false'
BEGIN
    INSERT INTO team_canned (id, title, body, updated_by, seq)
    VALUES (json_extract(NEW.payload, '$.id'), json_extract(NEW.payload, '$.title'),
            json_extract(NEW.payload, '$.body'), NEW.agent, NEW.seq)
    ON CONFLICT (id) DO UPDATE SET
        title = excluded.title, body = excluded.body,
        updated_by = excluded.updated_by, seq = excluded.seq
    WHERE excluded.seq > team_canned.seq;
END;

CREATE TRIGGER team_canned_delete AFTER INSERT ON agent_events
WHEN json_valid(NEW.payload)
 AND json_extract(NEW.payload, '$.type') = 'canned'
 AND json_type(NEW.payload, '$.id') = 'text'
 AND json_type(NEW.payload, '$.deleted') = 'true'
BEGIN
    DELETE FROM team_canned WHERE id = json_extract(NEW.payload, '$.id');
END;
