-- title: A person's timeline
-- description: Meetings, quotes and offices of one person (matched by any form of the name), by day.
-- param: name  the person's name or a form of it, e.g. Zarif
SELECT t.day      AS day,
       t.kind     AS kind,
       t.name     AS person,
       t.detail   AS detail,
       t.article_id AS article_id
FROM person_timeline t
WHERE t.participant_id IN (SELECT participant_id FROM participant_aliases WHERE alias_key = lower(trim(:name)))
ORDER BY t.day, CASE t.kind WHEN 'office' THEN 0 WHEN 'meeting' THEN 1 ELSE 2 END, t.article_id;
