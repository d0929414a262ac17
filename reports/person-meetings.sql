-- title: Everyone a person met
-- description: Each held meeting of a person (matched by any form of the name seen in the archive),
--   with the other people in it, the date and the place.
-- param: name  the person's name or a form of it, e.g. Zarif
SELECT me.day                                    AS day,
       me.place                                  AS place,
       me.mode                                   AS mode,
       me.name                                   AS person,
       other.name                                AS met,
       other.title                               AS their_title,
       other.country                             AS their_country,
       me.article_title                          AS article
FROM meeting_attendance me
JOIN meeting_attendance other ON other.meeting_id = me.meeting_id AND other.participant_id <> me.participant_id
WHERE me.status = 'held'
  AND me.participant_id IN (SELECT participant_id FROM participant_aliases
                             WHERE alias_key = lower(trim(:name)))
ORDER BY me.day, me.meeting_id, other.name;
