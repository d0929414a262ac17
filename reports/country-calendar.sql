-- title: A country's diplomatic calendar
-- description: Every held meeting in which someone from the country took part, between two days.
-- param: country  ISO 3166-1 alpha-3 code (e.g. USA)
-- param: since = 0000-01-01  first day (YYYY-MM-DD)
-- param: until = 9999-12-31  last day (YYYY-MM-DD)
SELECT m.day           AS day,
       m.place         AS place,
       m.mode          AS mode,
       m.participants  AS participants,
       m.countries     AS countries,
       m.article_title AS article
FROM meeting_summaries m
WHERE m.status = 'held'
  AND m.meeting_id IN (SELECT mp.meeting_id FROM meeting_participants mp
                         JOIN article_participants ap ON ap.id = mp.article_participant_id
                        WHERE ap.country = upper(:country))
  AND (m.day IS NULL OR m.day BETWEEN :since AND :until)
ORDER BY m.day, m.meeting_id;
