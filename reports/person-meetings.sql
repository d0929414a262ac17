-- title: Everyone a person met
-- description: Each held meeting of a person (matched by any form of the name seen in the archive),
--   with the other people in it, the date and the place.
-- param: name  the person's name or a form of it, e.g. Zarif
--
-- Written on the tables rather than as meeting_attendance joined to itself, which read each meeting
-- and its article twice: once for the person and once more for every other participant. The last
-- three ORDER BY terms only settle ties (two people of the same name) as the self-join did.
SELECT COALESCE(m.date, a.published) AS day,
       m.place                       AS place,
       m.mode                        AS mode,
       p.name                        AS person,
       op.name                       AS met,
       oap.title                     AS their_title,
       oap.country                   AS their_country,
       a.title                       AS article,
       m.article_id                  AS article_id
FROM article_participants ap
JOIN participants p ON p.id = ap.participant_id
JOIN meeting_participants mp ON mp.article_participant_id = ap.id
JOIN meetings m ON m.id = mp.meeting_id
JOIN articles a ON a.id = m.article_id
JOIN meeting_participants omp ON omp.meeting_id = m.id
JOIN article_participants oap ON oap.id = omp.article_participant_id
JOIN participants op ON op.id = oap.participant_id
WHERE ap.participant_id IN (SELECT participant_id FROM participant_aliases
                             WHERE alias_key = lower(trim(:name)))
  AND m.status = 'held'
  AND oap.participant_id <> ap.participant_id
ORDER BY day, m.id, op.name, ap.participant_id, ap.id, oap.id;
