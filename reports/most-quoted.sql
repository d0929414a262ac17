-- title: The most quoted people
-- description: People ranked by how many quotes (direct or reported) the archive attributes to them.
-- param: limit = 20  how many people
--
-- As in busiest-diplomats: the quote counts kept in person_counts (and its index) find the people
-- who can be in the top :limit, and person_summaries (migration V10) describes them, as the `people`
-- view would (a test checks that the rows are the view's).
WITH cutoff AS (
    SELECT CASE WHEN :limit < 1 THEN 1
                ELSE COALESCE((SELECT quotes FROM person_counts WHERE quotes > 0
                                ORDER BY quotes DESC LIMIT 1 OFFSET :limit - 1), 1)
           END AS quotes
)
SELECT p.name            AS name,
       p.title           AS title,
       p.country         AS country,
       c.quotes          AS quotes,
       s.articles        AS articles,
       s.first_seen      AS first_seen,
       s.last_seen       AS last_seen
FROM person_counts c
JOIN participants p ON p.id = c.participant_id
JOIN person_summaries s ON s.participant_id = c.participant_id
WHERE c.quotes >= (SELECT quotes FROM cutoff)
  AND c.quotes > 0
ORDER BY c.quotes DESC, p.name
LIMIT :limit;
