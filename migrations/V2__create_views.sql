-- parley archive, schema version 2: the views, the stable interface for reports and other clients.
-- A meeting's "day" is its own date where the text fixes it, else the article's publication date.

-- One row per person in a meeting.
CREATE VIEW meeting_attendance AS
SELECT m.id                        AS meeting_id,
       m.article_id                AS article_id,
       a.title                     AS article_title,
       a.published                 AS published,
       m.date                      AS date,
       COALESCE(m.date, a.published) AS day,
       m.place                     AS place,
       m.mode                      AS mode,
       m.status                    AS status,
       p.id                        AS participant_id,
       p.name                      AS name,
       ap.title                    AS title,
       ap.country                  AS country
FROM meetings m
JOIN articles a ON a.id = m.article_id
JOIN meeting_participants mp ON mp.meeting_id = m.id
JOIN article_participants ap ON ap.id = mp.article_participant_id
JOIN participants p ON p.id = ap.participant_id;

-- One row per meeting, its people as one list.
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
       substr(a.text, m.span_start + 1, m.span_end - m.span_start) AS evidence
FROM meetings m
JOIN articles a ON a.id = m.article_id;

-- One row per quote, with its speaker's name, title and country where the speaker is a person.
CREATE VIEW quote_attributions AS
SELECT q.id                      AS quote_id,
       q.article_id              AS article_id,
       a.title                   AS article_title,
       a.published               AS published,
       q.kind                    AS kind,
       q.text                    AS text,
       COALESCE(p.name, q.speaker) AS speaker,
       p.id                      AS participant_id,
       ap.title                  AS speaker_title,
       ap.country                AS speaker_country
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN article_participants ap ON ap.id = q.article_participant_id
LEFT JOIN participants p ON p.id = ap.participant_id;

-- One row per person across the archive.
CREATE VIEW people AS
SELECT p.id   AS participant_id,
       p.name AS name,
       (SELECT ap.title FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id AND ap.title IS NOT NULL
         ORDER BY a.published DESC, ap.id DESC LIMIT 1)                  AS latest_title,
       (SELECT ap.country FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = p.id AND ap.country IS NOT NULL
         ORDER BY a.published DESC, ap.id DESC LIMIT 1)                  AS latest_country,
       (SELECT count(*) FROM article_participants ap WHERE ap.participant_id = p.id) AS articles,
       (SELECT count(*) FROM article_participants ap
          JOIN meeting_participants mp ON mp.article_participant_id = ap.id
          JOIN meetings m ON m.id = mp.meeting_id
         WHERE ap.participant_id = p.id AND m.status = 'held')          AS meetings,
       (SELECT count(*) FROM article_participants ap
          JOIN quotes q ON q.article_participant_id = ap.id
         WHERE ap.participant_id = p.id)                                AS quotes,
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
FROM participants p;

-- Who met whom: one row per pair of people who took part in the same held meeting.
CREATE VIEW person_pairs AS
SELECT x.participant_id                          AS person_a_id,
       pa.name                                   AS person_a,
       y.participant_id                          AS person_b_id,
       pb.name                                   AS person_b,
       count(DISTINCT m.id)                      AS meetings,
       min(COALESCE(m.date, a.published))       AS first_date,
       max(COALESCE(m.date, a.published))       AS last_date
FROM meetings m
JOIN articles a ON a.id = m.article_id
JOIN meeting_participants mx ON mx.meeting_id = m.id
JOIN article_participants x ON x.id = mx.article_participant_id
JOIN meeting_participants my ON my.meeting_id = m.id
JOIN article_participants y ON y.id = my.article_participant_id
JOIN participants pa ON pa.id = x.participant_id
JOIN participants pb ON pb.id = y.participant_id
WHERE m.status = 'held' AND x.participant_id < y.participant_id
GROUP BY x.participant_id, y.participant_id;

-- Which countries met: one row per pair of countries whose people took part in the same held meeting.
CREATE VIEW country_pairs AS
SELECT x.country                               AS country_a,
       y.country                               AS country_b,
       count(DISTINCT m.id)                    AS meetings,
       min(COALESCE(m.date, a.published))     AS first_date,
       max(COALESCE(m.date, a.published))     AS last_date
FROM meetings m
JOIN articles a ON a.id = m.article_id
JOIN meeting_participants mx ON mx.meeting_id = m.id
JOIN article_participants x ON x.id = mx.article_participant_id
JOIN meeting_participants my ON my.meeting_id = m.id
JOIN article_participants y ON y.id = my.article_participant_id
WHERE m.status = 'held' AND x.country < y.country
GROUP BY x.country, y.country;
