-- parley archive, schema version 3: full-text search over article text and quotes (SQLite FTS5).
--
-- Both indexes are external-content tables: they store only the index, and read the words from
-- `articles` and `quotes`. The `content="..."` option is written with double quotes because that is
-- the form Datasette looks for to offer its search box on the table.
-- Triggers keep them in step with every insert, delete and update (reparse deletes and reinserts an
-- article's quotes, and may update its title).
--
-- A client built without FTS5 still opens the file and reads every other table and view: SQLite
-- only needs the module when a statement touches articles_fts or quotes_fts, or writes to articles
-- or quotes (whose triggers update the indexes). Write with parley, or with any client that has FTS5.

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title,
    text,
    content="articles",
    content_rowid="id",
    tokenize="porter unicode61 remove_diacritics 2"
);

CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text,
    speaker,
    content="quotes",
    content_rowid="id",
    tokenize="porter unicode61 remove_diacritics 2"
);

-- Index what an archive written by an earlier version already holds.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');

CREATE TRIGGER articles_fts_after_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER articles_fts_after_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;

CREATE TRIGGER articles_fts_after_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER quotes_fts_after_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;

CREATE TRIGGER quotes_fts_after_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;

CREATE TRIGGER quotes_fts_after_update AFTER UPDATE OF text, speaker ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
