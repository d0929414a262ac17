-- title: Offices held
-- description: Who held which office for a country, with the first and last date it was seen,
--   learned from the archive.
-- param: country  ISO 3166-1 alpha-3 code (e.g. IRN)
--
-- The offices view, for one country: the country's mentions are grouped by person and office first,
-- so that each person's name is looked up once per office rather than once per mention. A busy
-- country still reads tens of thousands of mentions and their articles' dates. The last ORDER BY
-- term only settles ties as the view did.
SELECT o.title       AS title,
       p.name        AS name,
       o.first_seen  AS first_seen,
       o.last_seen   AS last_seen,
       o.articles    AS articles
FROM (SELECT ap.participant_id, ap.title, min(a.published) AS first_seen,
             max(a.published) AS last_seen, count(*) AS articles
        FROM article_participants ap
        JOIN articles a ON a.id = ap.article_id
       WHERE ap.country = upper(:country) AND ap.title IS NOT NULL
       GROUP BY ap.participant_id, ap.title) o
JOIN participants p ON p.id = o.participant_id
ORDER BY o.title, o.first_seen, o.participant_id;
