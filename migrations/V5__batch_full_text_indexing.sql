-- parley archive, schema version 5: parley indexes new articles and quotes for full-text search once
-- per stored batch instead of row by row.
--
-- V3's row triggers made every article and every quote its own FTS5 segment: FTS5 writes what it has
-- pending to disk at every savepoint and at every statement that can roll back on its own, and storing
-- one article is several of those. Merging those tiny segments was a third of the import's time.
-- parley now adds a batch's new rows to articles_fts and quotes_fts with one statement each at the end
-- of the batch's transaction (and deletes a reparsed batch's old quotes with one statement), so the
-- indexes change in the same transaction as the rows and no reader sees them out of step.
--
-- The delete and update triggers stay: they keep the indexes right when anyone deletes an article or a
-- quote or edits a title, a text or a quote. Another client that inserts articles or quotes should
-- rebuild the indexes afterwards (`parley check` reports an index out of step with its table):
--     INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
--     INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');

DROP TRIGGER articles_fts_after_insert;
DROP TRIGGER quotes_fts_after_insert;
