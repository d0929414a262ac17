-- title: A person's timeline
-- description: Meetings, quotes and offices of one person (matched by any form of the name), by day.
-- param: name  the person's name or a form of it, e.g. Zarif
--
-- The person_timeline view with the person filter written inside: SQLite does not push a filter
-- into a view's UNION ALL, so filtering the view read every quote of the archive. The person's
-- mentions are read once with their article's date (`mentions`, materialized because three
-- branches use it); meetings and quotes are then looked up from each mention (CROSS JOIN keeps that
-- order). A meeting or quote normally lies in its mention's article; the CASE only guards the
-- exception. tie1..tie3 settle equal days the way the view did (meetings and offices by mention,
-- quotes by quote).
WITH mentions AS MATERIALIZED (
    SELECT ap.id, ap.participant_id, ap.article_id, ap.title, ap.country, p.name, a.published
      FROM article_participants ap
      JOIN participants p ON p.id = ap.participant_id
      JOIN articles a ON a.id = ap.article_id
     WHERE ap.participant_id IN (SELECT participant_id FROM participant_aliases
                                  WHERE alias_key = lower(trim(:name)))
),
events AS (
    SELECT COALESCE(m.date, CASE WHEN m.article_id = me.article_id THEN me.published
                                 ELSE (SELECT published FROM articles WHERE id = m.article_id) END) AS day,
           1 AS rank,
           me.name AS person,
           (SELECT group_concat(op.name, '; ')
              FROM meeting_participants omp
              JOIN article_participants oap ON oap.id = omp.article_participant_id
              JOIN participants op ON op.id = oap.participant_id
             WHERE omp.meeting_id = m.id AND oap.participant_id <> me.participant_id)
             || COALESCE(' in ' || m.place, '') AS detail,
           m.article_id AS article_id,
           me.participant_id AS tie1, me.id AS tie2, m.id AS tie3
      FROM mentions me
     CROSS JOIN meeting_participants mp ON mp.article_participant_id = me.id
      JOIN meetings m ON m.id = mp.meeting_id
     WHERE m.status = 'held'
    UNION ALL
    SELECT CASE WHEN q.article_id = me.article_id THEN me.published
                ELSE (SELECT published FROM articles WHERE id = q.article_id) END,
           2, me.name, q.text, q.article_id, q.id, 0, 0
      FROM mentions me
     CROSS JOIN quotes q ON q.article_participant_id = me.id
    UNION ALL
    SELECT me.published, 0, me.name,
           trim(COALESCE(me.title, '') || COALESCE(' (' || me.country || ')', '')), me.article_id,
           me.participant_id, me.id, 0
      FROM mentions me
     WHERE me.title IS NOT NULL OR me.country IS NOT NULL
)
SELECT e.day                                                                   AS day,
       CASE e.rank WHEN 0 THEN 'office' WHEN 1 THEN 'meeting' ELSE 'quote' END AS kind,
       e.person                                                                AS person,
       e.detail                                                                AS detail,
       e.article_id                                                            AS article_id
FROM events e
ORDER BY e.day, e.rank, e.article_id, e.tie1, e.tie2, e.tie3;
