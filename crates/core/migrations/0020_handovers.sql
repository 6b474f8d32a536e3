-- Meta's business AI agent: each `messaging_handovers` event, so the chat
-- shows when the conversation passed between the AI agent and the team
-- (`conversations.owner`, migration 0015, keeps only who answers now).
-- Applied in log order and keyed by the relay event, so replay is a no-op.
CREATE TABLE handovers (
    conversation_id INTEGER NOT NULL,
    owner           TEXT NOT NULL CHECK (owner IN ('ai_agent', 'app')),
    -- Meta's timestamp, Unix seconds.
    at              INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
