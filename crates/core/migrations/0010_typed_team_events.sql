-- Team events are typed (hourglass_protocol::team::AgentEvent) and applied
-- by the sync engine in Rust (store/team.rs), which keeps an event it cannot
-- read flagged instead of skipping it silently. The triggers that derived
-- the team tables from JSON (migration 0005) go; the tables and every row
-- in them stay as they are.
DROP TRIGGER team_assign;
DROP TRIGGER team_note;
DROP TRIGGER team_label_on;
DROP TRIGGER team_label_off;
DROP TRIGGER team_canned_put;
DROP TRIGGER team_canned_delete;
