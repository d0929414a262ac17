-- title: Meetings per month between two countries
-- description: How often people of two countries met, month by month, with who took part.
-- param: a  ISO 3166-1 alpha-3 code of one country (e.g. IRN)
-- param: b  ISO 3166-1 alpha-3 code of the other country (e.g. PAK)
--
-- Starts from the country index: the meetings of each country, intersected before any meeting is
-- read, so that only the meetings both took part in are looked up (not every meeting of the busier
-- country).
SELECT substr(m.day, 1, 7)                     AS month,
       count(*)                                AS meetings,
       group_concat(m.participants, ' | ')     AS who
FROM meeting_summaries m
WHERE m.status = 'held'
  AND m.meeting_id IN (SELECT mp.meeting_id FROM meeting_participants mp
                         JOIN article_participants ap ON ap.id = mp.article_participant_id
                        WHERE ap.country = upper(:a)
                       INTERSECT
                       SELECT mp.meeting_id FROM meeting_participants mp
                         JOIN article_participants ap ON ap.id = mp.article_participant_id
                        WHERE ap.country = upper(:b))
GROUP BY month
ORDER BY month;
