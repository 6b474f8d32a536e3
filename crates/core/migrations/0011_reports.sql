-- Issue 17: indexes behind the Reports screen, which reads a date range of
-- messages across every conversation. The existing message index starts with
-- the conversation, so a range of days would otherwise read every row.

-- Every message by time, with what the conversation-flow pass reads (who
-- wrote, in which conversation, who sent it, whether it failed), so that
-- pass and the busiest-hours count never read the table itself.
CREATE INDEX messages_by_time
    ON messages (sent_at, direction, conversation_id, sent_by, status);

-- Template sends and anything Meta reported as billable, by time: the spend
-- report reads these few rows without walking all outbound messages.
CREATE INDEX messages_billable_by_time
    ON messages (sent_at)
    WHERE kind = 'template' OR billable = 1;
