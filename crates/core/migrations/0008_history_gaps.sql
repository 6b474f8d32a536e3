-- Stretches of a relay's log this desktop will never read: the relay's
-- retention removed them before this desktop caught up, and it answered
-- 410 `history_pruned` with its horizon (the oldest event it still keeps).
-- The sync goes on from the horizon; each gap is kept so the window can say
-- that history before the horizon's time is not available from the relay.
CREATE TABLE history_gaps (
    relay                  TEXT NOT NULL,
    -- The cursor when the gap was found: events after it and before the
    -- horizon are gone.
    after_seq              INTEGER NOT NULL,
    horizon_seq            INTEGER NOT NULL,
    -- When the relay committed the horizon event, Unix milliseconds.
    horizon_received_at_ms INTEGER NOT NULL,
    noted_at_ms            INTEGER NOT NULL,
    PRIMARY KEY (relay, horizon_seq)
) WITHOUT ROWID;
