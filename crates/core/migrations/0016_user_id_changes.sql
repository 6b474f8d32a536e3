-- Issue 18: a customer's business-scoped user id can change (Meta's
-- `user_changed_user_id` system message). The old id is remembered here,
-- so a message still naming it (late, or replayed from the relay's log)
-- lands with the same contact, and store.rs resolves every user id it is
-- given through this table before looking the contact up.
CREATE TABLE user_id_changes (
    previous_user_id  TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL,
    CHECK (previous_user_id <> user_id)
);
