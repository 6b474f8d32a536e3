-- Issue 9: search over messages, notes and contacts with SQLite FTS5.
--
-- Each index is an external-content FTS5 table: it holds the index only and
-- reads the text from its table, so nothing is stored twice. Triggers keep
-- every index in step with its table inside the same transaction as the
-- change; an index can therefore never hold a row its table does not.
--
-- Messages and notes use the `unicode61` tokenizer with diacritics removed
-- ("cafe" finds "café"); messages also keep a prefix index of three
-- characters, so a word being typed is one lookup. Contacts use `trigram`, so any three characters of a
-- name or a number find it ("5512" finds +34 655 12 34 56).

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- A new message is not indexed by a trigger of its own: SQLite wraps each
-- trigger's write to a virtual table in a statement savepoint, and FTS5
-- writes its pending index data out at every savepoint, so indexing row by
-- row cost about seven times what indexing a batch does (a sync batch of
-- 100,000 messages took 2.8 s to write instead of 1.1 s). New rows are
-- therefore listed in `search_pending` (an ordinary table, cheap to write)
-- and indexed in one statement just before their transaction commits
-- (`Store::write`): the index is complete at every commit all the same.
CREATE TABLE search_pending (id INTEGER PRIMARY KEY);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO search_pending (id) VALUES (NEW.id);
END;
-- Edits and revokes are rare: an indexed row is re-indexed at once; a
-- pending one is indexed with its text as it is at commit.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE id = OLD.id) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
    INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
    SELECT 'delete', OLD.id, OLD.body
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = OLD.id);
    DELETE FROM search_pending WHERE id = OLD.id;
END;

CREATE VIRTUAL TABLE notes_fts USING fts5(
    body,
    content = 'team_notes',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');

-- A note is never edited; an id seen again inserts nothing and fires nothing.
CREATE TRIGGER notes_fts_insert AFTER INSERT ON team_notes BEGIN
    INSERT INTO notes_fts (rowid, body) VALUES (NEW.rowid, NEW.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON team_notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', OLD.rowid, OLD.body);
END;

CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name,
    phone_e164,
    user_id,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, phone_e164, user_id)
    VALUES (NEW.id, NEW.name, NEW.phone_e164, NEW.user_id);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, phone_e164, user_id ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, phone_e164, user_id)
    VALUES ('delete', OLD.id, OLD.name, OLD.phone_e164, OLD.user_id);
    INSERT INTO contacts_fts (rowid, name, phone_e164, user_id)
    VALUES (NEW.id, NEW.name, NEW.phone_e164, NEW.user_id);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, phone_e164, user_id)
    VALUES ('delete', OLD.id, OLD.name, OLD.phone_e164, OLD.user_id);
END;

-- The collision warning asks for the outbound sends of the last minute.
CREATE INDEX agent_events_by_time ON agent_events (received_at_ms);
