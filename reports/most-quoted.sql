-- title: The most quoted people
-- description: People ranked by how many quotes (direct or reported) the archive attributes to them.
-- param: limit = 20  how many people
--
-- As in busiest-diplomats: the quote counts kept in person_counts (and its index) find the people
-- who can be in the top :limit, and only they are described through the `people` view.
WITH cutoff AS (
    SELECT CASE WHEN :limit < 1 THEN 1
                ELSE COALESCE((SELECT quotes FROM person_counts WHERE quotes > 0
                                ORDER BY quotes DESC LIMIT 1 OFFSET :limit - 1), 1)
           END AS quotes
)
SELECT p.name            AS name,
       p.latest_title    AS title,
       p.latest_country  AS country,
       p.quotes          AS quotes,
       p.articles        AS articles,
       p.first_seen      AS first_seen,
       p.last_seen       AS last_seen
FROM people p
WHERE p.participant_id IN (SELECT participant_id FROM person_counts
                            WHERE quotes >= (SELECT quotes FROM cutoff))
  AND p.quotes > 0
ORDER BY p.quotes DESC, p.name
LIMIT :limit;
