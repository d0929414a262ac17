-- title: The most quoted people
-- description: People ranked by how many direct quotes the archive attributes to them.
-- param: limit = 20  how many people
SELECT p.name            AS name,
       p.latest_title    AS title,
       p.latest_country  AS country,
       p.quotes          AS quotes,
       p.articles        AS articles,
       p.first_seen      AS first_seen,
       p.last_seen       AS last_seen
FROM people p
WHERE p.quotes > 0
ORDER BY p.quotes DESC, p.name
LIMIT :limit;
