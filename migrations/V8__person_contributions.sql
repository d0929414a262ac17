-- parley archive, schema version 8: one definition of what an article says about a person, and
-- evidence cut on bytes.
--
-- 1. Spans are byte offsets into the article's text (UTF-8), but SQL's substr() on text counts
--    characters: evidence was shifted wherever a curly quote or an accent came before the span.
--    Evidence is now cut from the text's bytes (CAST(text AS BLOB)) and read back as text. Any SQL
--    that turns a span into text must do the same.
-- 2. `person_contributions`: what each mention of a person (one row of article_participants)
--    contributes to them: its held meetings and its quotes. The `people` view, parley's
--    person_counts (V6), `parley check` and the recount all read it, so the figures have one
--    definition. (V6's statement and the ones parley ran are replaced by it.)
-- 3. `person_standing`: a person's country and office across the archive, from the weight of the
--    evidence rather than the order of imports: the country most mentions state (ties: the one
--    stated latest), and the office held at the latest publication date. parley keeps
--    participants.country and participants.title equal to it; the `people` view shows it as
--    latest_country and latest_title.
-- 4. `name_key_scheme`: which version of parley's name normaliser wrote participants.name_key,
--    surname_key, participant_aliases.alias_key and curation_rules.name_key. Empty here: parley
--    computes the keys again on its next write and records the version.

CREATE TABLE name_key_scheme (
    version INTEGER NOT NULL
);

DROP VIEW meeting_summaries;
CREATE VIEW meeting_summaries AS
SELECT m.id                          AS meeting_id,
       m.article_id                  AS article_id,
       a.title                       AS article_title,
       a.published                   AS published,
       m.date                        AS date,
       COALESCE(m.date, a.published) AS day,
       m.place                       AS place,
       m.mode                        AS mode,
       m.status                      AS status,
       (SELECT group_concat(ap.name, '; ')
          FROM meeting_participants mp
          JOIN article_participants ap ON ap.id = mp.article_participant_id
         WHERE mp.meeting_id = m.id) AS participants,
       (SELECT group_concat(DISTINCT ap.country)
          FROM meeting_participants mp
          JOIN article_participants ap ON ap.id = mp.article_participant_id
         WHERE mp.meeting_id = m.id) AS countries,
       CAST(substr(CAST(a.text AS BLOB), m.span_start + 1, m.span_end - m.span_start) AS TEXT) AS evidence
FROM meetings m
JOIN articles a ON a.id = m.article_id;

-- One row per mention of a person: what that article contributes to them.
CREATE VIEW person_contributions AS
SELECT ap.id               AS mention_id,
       ap.article_id       AS article_id,
       ap.participant_id   AS participant_id,
       ap.role             AS role,
       (SELECT count(*) FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
         WHERE mp.article_participant_id = ap.id AND m.status = 'held') AS held_meetings,
       (SELECT count(*) FROM quotes q WHERE q.article_participant_id = ap.id) AS quotes
FROM article_participants ap;

-- One row per person: their country and office by the weight of the evidence.
CREATE VIEW person_standing AS
SELECT p.id AS participant_id,
       (SELECT ap.country FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id AND ap.country IS NOT NULL
         GROUP BY ap.country
         ORDER BY count(*) DESC, max(a.published) DESC, max(ap.id) DESC LIMIT 1) AS country,
       (SELECT ap.title FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id AND ap.title IS NOT NULL
         ORDER BY a.published DESC, ap.id DESC LIMIT 1)                      AS title
FROM participants p;

DROP VIEW people;
CREATE VIEW people AS
SELECT p.id   AS participant_id,
       p.name AS name,
       s.title   AS latest_title,
       s.country AS latest_country,
       (SELECT count(*) FROM article_participants ap WHERE ap.participant_id = p.id) AS articles,
       (SELECT COALESCE(sum(c.held_meetings), 0) FROM person_contributions c
         WHERE c.participant_id = p.id)                                 AS meetings,
       (SELECT COALESCE(sum(c.quotes), 0) FROM person_contributions c
         WHERE c.participant_id = p.id)                                 AS quotes,
       (SELECT min(a.published) FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id)                                AS first_seen,
       (SELECT max(a.published) FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id)                                AS last_seen,
       (SELECT count(DISTINCT other.participant_id)
          FROM article_participants ap
          JOIN meeting_participants mine ON mine.article_participant_id = ap.id
          JOIN meetings m ON m.id = mine.meeting_id AND m.status = 'held'
          JOIN meeting_participants theirs ON theirs.meeting_id = mine.meeting_id
          JOIN article_participants other ON other.id = theirs.article_participant_id
         WHERE ap.participant_id = p.id AND other.participant_id <> p.id) AS counterparts
FROM participants p
JOIN person_standing s ON s.participant_id = p.id;

UPDATE participants
   SET country = COALESCE((SELECT s.country FROM person_standing s WHERE s.participant_id = participants.id), country),
       title = COALESCE((SELECT s.title FROM person_standing s WHERE s.participant_id = participants.id), title);
