-- Who sent an outbound message: the agent whose desktop published it
-- (`{"type": "outbound"}` agent events carry the relay's name for the
-- agent). NULL for messages from customers, and for sends this desktop made
-- before its own event came back; the window reads NULL as "this agent".
-- Existing rows are filled from the agent events already stored, in one
-- pass over those events (each finds its message by the `wamid` index).

ALTER TABLE messages ADD COLUMN sent_by TEXT;

UPDATE messages SET sent_by = o.agent
FROM (
    SELECT json_extract(payload, '$.wamid') AS wamid, agent, MIN(seq)
    FROM agent_events
    WHERE agent IS NOT NULL
      AND json_valid(payload)
      AND json_extract(payload, '$.type') = 'outbound'
    GROUP BY 1
) AS o
WHERE messages.wamid = o.wamid AND messages.direction = 'outbound';
