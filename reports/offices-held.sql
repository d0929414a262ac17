-- title: Offices held
-- description: Who held which office for a country, with the first and last date it was seen,
--   learned from the archive.
-- param: country  ISO 3166-1 alpha-3 code (e.g. IRN)
SELECT o.title       AS title,
       o.name        AS name,
       o.first_seen  AS first_seen,
       o.last_seen   AS last_seen,
       o.articles    AS articles
FROM offices o
WHERE o.country = upper(:country) AND o.title IS NOT NULL
ORDER BY o.title, o.first_seen;
