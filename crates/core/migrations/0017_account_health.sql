-- Account health: the business number's quality rating and messaging-limit
-- tier, template status changes with Meta's reasons, category changes, and
-- a log of the changes the window raises a banner for.

-- The number's health as last known, one row per number (keyed by its
-- digits, as `phone_number_quality_update` names the number only by its
-- display form). `quality_at` / `tier_at` are the Meta time (Unix seconds)
-- of the reading that set them, so an older webhook replayed or arriving
-- late cannot undo a newer reading.
CREATE TABLE phone_health (
    number_digits    TEXT PRIMARY KEY,
    -- `GREEN`, `YELLOW`, `RED`, `UNKNOWN`, or NULL while nothing said.
    quality_rating   TEXT,
    quality_at       INTEGER,
    -- `TIER_250`, `TIER_2K`, …, `TIER_UNLIMITED`, `TIER_NOT_SET`.
    messaging_tier   TEXT,
    tier_at          INTEGER,
    -- Meta flagged the number for low quality (`FLAGGED` until `UNFLAGGED`).
    flagged          INTEGER NOT NULL DEFAULT 0,
    -- The last `phone_number_quality_update` event (`FLAGGED`, `UPGRADE`, …).
    last_event       TEXT,
    -- When the Graph API was last read for it (local clock, Unix ms).
    checked_at_ms    INTEGER
) WITHOUT ROWID;

-- What a template status webhook says beyond its event and reason (0002).
ALTER TABLE template_status ADD COLUMN category TEXT;
-- Meta's words: the rejection's explanation or the pause's description.
ALTER TABLE template_status ADD COLUMN detail TEXT;
ALTER TABLE template_status ADD COLUMN recommendation TEXT;
-- `FIRST_PAUSE`, `SECOND_PAUSE`, `UNPAUSE`, …
ALTER TABLE template_status ADD COLUMN title TEXT;
-- Meta time of the webhook (`entry.time`).
ALTER TABLE template_status ADD COLUMN at INTEGER;

-- The newest category change per template: announced (`impending` = 1,
-- effective at `effective_at`) or done.
CREATE TABLE template_category (
    template_key   TEXT PRIMARY KEY,
    template_id    TEXT,
    name           TEXT,
    language       TEXT,
    from_category  TEXT,
    to_category    TEXT,
    impending      INTEGER NOT NULL,
    effective_at   INTEGER,
    at             INTEGER,
    seq            INTEGER NOT NULL
);

-- Changes of the account's health the window tells the agent about, oldest
-- first. Rows from relay events carry their `seq` (unique with the kind, so
-- a replay adds nothing); rows from reading the Graph API carry none.
CREATE TABLE health_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seq         INTEGER,
    -- 'quality', 'tier', 'template_status', 'template_category', 'account'.
    kind        TEXT NOT NULL CHECK (kind IN ('quality', 'tier', 'template_status',
                                              'template_category', 'account')),
    -- The template (`name` and `language`) or number it is about.
    subject     TEXT,
    language    TEXT,
    old_value   TEXT,
    new_value   TEXT,
    -- Meta's reason code, violation type or ban state.
    reason      TEXT,
    detail      TEXT,
    -- A change for the worse: raises the banner.
    alert       INTEGER NOT NULL,
    -- Meta time (Unix seconds) when known, else the local clock.
    at          INTEGER NOT NULL,
    -- When an announced category change takes effect (Unix seconds).
    effective_at INTEGER,
    UNIQUE (seq, kind)
);
