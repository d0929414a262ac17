-- parley archive, schema version 10: what the ranking reports say about each person, kept by parley
-- per batch instead of aggregated from every mention at every report.
--
-- busiest-diplomats and most-quoted found their top twenty through person_counts (V6), then described
-- each through the `people` view: aggregating the thousands of mentions and meetings of the busiest
-- people took half a second at 100,000 articles. They now read these summaries.
--
-- 1. `person_contributions` (V8), what one mention contributes to its person, gains the article's
--    publication date, so that first and last seen come from the same one definition as the counts.
-- 2. `counterpart_contributions`: what one article contributes to the pairs of people who met in it:
--    a row per held meeting, person and counterpart (the `people` view's definition of counterparts).
--    Not grouped, so that a filter on article_id reaches the article's own rows (SQLite does not push
--    a filter into a grouped view: it would compute the whole view first).
-- 3. `person_summaries`: per person, the mentions (`articles`), first and last publication date seen,
--    and how many distinct people they met (`counterparts`), summed from person_contributions.
-- 4. `person_counterparts`: per pair of people, the held meetings they had together, summed from
--    counterpart_contributions (counterparts = a person's pairs).
-- 5. What settles a person's standing (V8's `person_standing`) without reading all their mentions at
--    every batch: `person_countries`, per person and stated country, the mentions, the latest
--    publication date and the latest mention (the standing country is the first by those three,
--    as person_standing orders them), and in person_summaries the office of the latest titled
--    mention with its date and id (`title`, `title_published`, `title_mention`).
--
-- parley keeps both tables in the same transaction as the rows they sum; another client that changes
-- mentions, meetings or articles' dates should rebuild them with the statements at the end of this
-- file (`parley reparse` does). `parley check` reports a summary out of step with the rows.

DROP VIEW person_contributions;
CREATE VIEW person_contributions AS
SELECT ap.id               AS mention_id,
       ap.article_id       AS article_id,
       ap.participant_id   AS participant_id,
       ap.role             AS role,
       (SELECT count(*) FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
         WHERE mp.article_participant_id = ap.id AND m.status = 'held') AS held_meetings,
       (SELECT count(*) FROM quotes q WHERE q.article_participant_id = ap.id) AS quotes,
       a.published         AS published
FROM article_participants ap
JOIN articles a ON a.id = ap.article_id;

CREATE VIEW counterpart_contributions AS
SELECT ap.article_id         AS article_id,
       ap.participant_id     AS participant_id,
       other.participant_id  AS counterpart_id,
       m.id                  AS meeting_id
FROM article_participants ap
JOIN meeting_participants mine ON mine.article_participant_id = ap.id
JOIN meetings m ON m.id = mine.meeting_id AND m.status = 'held'
JOIN meeting_participants theirs ON theirs.meeting_id = mine.meeting_id
JOIN article_participants other ON other.id = theirs.article_participant_id
WHERE other.participant_id <> ap.participant_id;

CREATE TABLE person_summaries (
    participant_id  INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    articles        INTEGER NOT NULL CHECK (articles >= 0),
    first_seen      TEXT,
    last_seen       TEXT,
    counterparts    INTEGER NOT NULL DEFAULT 0 CHECK (counterparts >= 0),
    title           TEXT,
    title_published TEXT,
    title_mention   INTEGER
);

CREATE TABLE person_countries (
    participant_id  INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    country         TEXT NOT NULL,
    mentions        INTEGER NOT NULL CHECK (mentions >= 0),
    last_published  TEXT,
    last_mention    INTEGER NOT NULL,
    PRIMARY KEY (participant_id, country)
) WITHOUT ROWID;

CREATE TABLE person_counterparts (
    participant_id  INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    counterpart_id  INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    meetings        INTEGER NOT NULL CHECK (meetings >= 0),
    PRIMARY KEY (participant_id, counterpart_id)
) WITHOUT ROWID;
CREATE INDEX person_counterparts_counterpart ON person_counterparts (counterpart_id);

INSERT INTO person_counterparts (participant_id, counterpart_id, meetings)
SELECT participant_id, counterpart_id, count(*)
  FROM counterpart_contributions
 GROUP BY participant_id, counterpart_id;

INSERT INTO person_summaries (participant_id, articles, first_seen, last_seen, counterparts)
SELECT c.participant_id, count(*), min(c.published), max(c.published),
       (SELECT count(*) FROM person_counterparts pc WHERE pc.participant_id = c.participant_id)
  FROM person_contributions c
 GROUP BY c.participant_id;

UPDATE person_summaries
   SET (title, title_published, title_mention) =
       (SELECT ap.title, a.published, ap.id FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = person_summaries.participant_id AND ap.title IS NOT NULL
         ORDER BY a.published DESC, ap.id DESC LIMIT 1);

INSERT INTO person_countries (participant_id, country, mentions, last_published, last_mention)
SELECT ap.participant_id, ap.country, count(*), max(a.published), max(ap.id)
  FROM article_participants ap JOIN articles a ON a.id = ap.article_id
 WHERE ap.country IS NOT NULL
 GROUP BY ap.participant_id, ap.country;
