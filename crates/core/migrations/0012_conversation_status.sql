-- Issue 16: conversation status (open, pending, snoozed, resolved) as team
-- events, and issue 17's resolved and reopened per day.
--
-- Every change is kept, in log order, so the timeline shows who changed
-- the status and when, and Reports count resolutions and reopenings. The
-- status in force is the row with the highest `seq`. A conversation with
-- no row is open.
--
-- A row comes from a status team event (`by_agent`: who published it), or
-- from a customer's new message that reopened a resolved or snoozed
-- conversation (`by_agent` NULL; `seq` is the message's log position and
-- `at_ms` its Meta time, or the time of the change it undoes when that is
-- later). Both are decided in log order, so every desktop
-- holds the same rows.
CREATE TABLE team_status (
    customer         TEXT NOT NULL,
    phone_number_id  TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
    -- Unix seconds a snooze ends; NULL: until the customer writes.
    snooze_until     INTEGER,
    by_agent         TEXT,
    -- When the relay took the event (Unix ms).
    at_ms            INTEGER NOT NULL,
    PRIMARY KEY (customer, phone_number_id, seq)
);
-- Reports read a range of days of status changes.
CREATE INDEX team_status_by_time ON team_status (at_ms);
