-- title: A country's diplomatic calendar
-- description: Every held meeting in which someone from the country took part, between two days.
-- param: country  ISO 3166-1 alpha-3 code (e.g. USA)
-- param: since = 0000-01-01  first day (YYYY-MM-DD)
-- param: until = 9999-12-31  last day (YYYY-MM-DD)
--
-- meeting_summaries, written out: the view reads each meeting's people twice (two correlated
-- subqueries, one with its own temporary B-tree), here they are read once and grouped. A busy
-- country still returns tens of thousands of rows, and reading and printing them is most of the time.
WITH chosen AS (
    SELECT m.id, COALESCE(m.date, a.published) AS day, m.place, m.mode, a.title
      FROM meetings m
      JOIN articles a ON a.id = m.article_id
     WHERE m.id IN (SELECT mp.meeting_id FROM meeting_participants mp
                      JOIN article_participants ap ON ap.id = mp.article_participant_id
                     WHERE ap.country = upper(:country))
       AND m.status = 'held'
)
SELECT c.day                              AS day,
       c.place                            AS place,
       c.mode                             AS mode,
       group_concat(ap.name, '; ')        AS participants,
       group_concat(DISTINCT ap.country)  AS countries,
       c.title                            AS article
FROM chosen c
JOIN meeting_participants mp ON mp.meeting_id = c.id
JOIN article_participants ap ON ap.id = mp.article_participant_id
WHERE c.day IS NULL OR c.day BETWEEN :since AND :until
GROUP BY c.id
ORDER BY c.day, c.id;
