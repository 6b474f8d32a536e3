-- The contact panel's consent line names the customer's newest refusal of
-- marketing messages (Meta's error 131050) on any of their conversations.
-- Without an index that read looked at every message the customer has: a
-- 5,000-message chat cost 40 ms with a cold cache, holding the store while
-- the chat opened and its first page waited. A refusal is rare, so these
-- partial indexes hold only the messages and sends it failed.
CREATE INDEX messages_marketing_refused ON messages (conversation_id)
    WHERE error_code = 131050;
CREATE INDEX outbox_marketing_refused ON outbox (conversation_id)
    WHERE error_code = 131050;
