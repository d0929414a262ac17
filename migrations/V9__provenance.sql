-- Provenance: the parser's rule that produced each stored fact, so a user auditing the archive can
-- see which pattern found a meeting, a quote's speaker or a person (`parley parse --explain` prints
-- the same names). Rows stored before this migration have an empty rule until `parley reparse`.
-- On article_participants, `rule` is the parser's (how the name was found in the text); `match_rule`
-- stays identity's (how the mention was matched to a person of the archive).
ALTER TABLE meetings ADD COLUMN rule TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN rule TEXT NOT NULL DEFAULT '';
ALTER TABLE article_participants ADD COLUMN rule TEXT NOT NULL DEFAULT '';
