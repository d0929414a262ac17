-- title: The busiest diplomats
-- description: People ranked by the number of held meetings they took part in, with how many
--   different people they met.
-- param: limit = 20  how many people
SELECT p.name            AS name,
       p.latest_title    AS title,
       p.latest_country  AS country,
       p.meetings        AS meetings,
       p.counterparts    AS counterparts,
       p.first_seen      AS first_seen,
       p.last_seen       AS last_seen
FROM people p
WHERE p.meetings > 0
ORDER BY p.meetings DESC, p.counterparts DESC, p.name
LIMIT :limit;
