-- title: What an article says
-- description: The meetings and direct quotes parley extracted from one article, in text order
--   (the latest imported article by default).
-- param: article = 0  the article's id (0 for the latest imported)
WITH chosen AS (
    SELECT CASE WHEN :article = 0 THEN (SELECT max(id) FROM articles) ELSE :article END AS id
)
SELECT 'meeting'                                                        AS what,
       m.participants                                                   AS who,
       trim(COALESCE(m.place, '') || ' ' || COALESCE(m.day, ''))        AS place_and_day,
       m.mode                                                           AS detail,
       ms.span_start                                                    AS at
FROM meeting_summaries m
JOIN meetings ms ON ms.id = m.meeting_id
WHERE m.article_id = (SELECT id FROM chosen) AND m.status = 'held'
UNION ALL
SELECT 'quote', q.speaker, NULL, q.text, qs.span_start
FROM quote_attributions q
JOIN quotes qs ON qs.id = q.quote_id
WHERE q.article_id = (SELECT id FROM chosen) AND q.kind = 'direct'
ORDER BY at;
