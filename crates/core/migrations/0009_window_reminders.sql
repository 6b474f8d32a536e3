-- Window reminders already shown: at most one per conversation and window
-- (a window is named by when it closes), so a restart never repeats one and
-- a customer's next message, which opens a new window, allows the next.
CREATE TABLE window_reminders (
    conversation_id  INTEGER PRIMARY KEY REFERENCES conversations(id),
    -- When the reminded window closes, Unix seconds.
    closes_at        INTEGER NOT NULL
);
