-- parley archive, schema version 4: curated person identity and the views that follow people over time.

-- An analyst's decisions about who is who, applied on every import and reparse.
--   alias        mentions named name_key are the person named value (merge, rename, shared registries)
--   split        the mention named name_key in article article_id is a person of their own
--   set-country  the person named name_key represents country value (ISO 3166-1 alpha-3)
--   set-title    the person named name_key holds office value
CREATE TABLE curation_rules (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL CHECK (action IN ('alias', 'split', 'set-country', 'set-title')),
    name_key    TEXT NOT NULL,
    article_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    value       TEXT,
    created_at  TEXT NOT NULL,
    CHECK ((action = 'split') = (article_id IS NOT NULL)),
    CHECK (action <> 'set-country' OR (length(value) = 3 AND value = upper(value)))
);
CREATE UNIQUE INDEX curation_rules_subject ON curation_rules (action, name_key, COALESCE(article_id, 0));
CREATE INDEX curation_rules_article ON curation_rules (article_id);

-- Each office (title and country) a person was seen holding, with the first and last article date.
CREATE VIEW offices AS
SELECT p.id              AS participant_id,
       p.name            AS name,
       ap.title          AS title,
       ap.country        AS country,
       min(a.published)  AS first_seen,
       max(a.published)  AS last_seen,
       count(*)          AS articles
FROM article_participants ap
JOIN participants p ON p.id = ap.participant_id
JOIN articles a ON a.id = ap.article_id
WHERE ap.title IS NOT NULL OR ap.country IS NOT NULL
GROUP BY p.id, ap.title, ap.country;

-- People written in more than one way across the archive.
CREATE VIEW person_spellings AS
SELECT p.id                              AS participant_id,
       p.name                            AS name,
       count(DISTINCT ap.name)           AS spellings,
       group_concat(DISTINCT ap.name)    AS written_as,
       count(*)                          AS articles
FROM participants p
JOIN article_participants ap ON ap.participant_id = p.id
GROUP BY p.id
HAVING count(DISTINCT ap.name) > 1;

-- How each mention was matched to its person, for auditing identity decisions.
CREATE VIEW identity_matches AS
SELECT ap.id            AS mention_id,
       ap.article_id    AS article_id,
       ap.name          AS written_as,
       ap.title         AS title,
       ap.country       AS country,
       p.id             AS participant_id,
       p.name           AS person,
       ap.match_rule    AS rule,
       ap.match_note    AS note
FROM article_participants ap
JOIN participants p ON p.id = ap.participant_id;

-- A person's timeline: meetings, quotes and offices, by day.
CREATE VIEW person_timeline AS
SELECT ma.participant_id  AS participant_id,
       ma.name            AS name,
       ma.day             AS day,
       'meeting'          AS kind,
       (SELECT group_concat(other.name, '; ') FROM meeting_attendance other
         WHERE other.meeting_id = ma.meeting_id AND other.participant_id <> ma.participant_id)
         || COALESCE(' in ' || ma.place, '') AS detail,
       ma.article_id      AS article_id
FROM meeting_attendance ma
WHERE ma.status = 'held'
UNION ALL
SELECT q.participant_id, q.speaker, q.published, 'quote', q.text, q.article_id
FROM quote_attributions q
WHERE q.participant_id IS NOT NULL
UNION ALL
SELECT ap.participant_id, p.name, a.published, 'office',
       trim(COALESCE(ap.title, '') || COALESCE(' (' || ap.country || ')', '')), ap.article_id
FROM article_participants ap
JOIN participants p ON p.id = ap.participant_id
JOIN articles a ON a.id = ap.article_id
WHERE ap.title IS NOT NULL OR ap.country IS NOT NULL;
