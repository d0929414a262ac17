-- title: The busiest diplomats
-- description: People ranked by the number of held meetings they took part in, with how many
--   different people they met.
-- param: limit = 20  how many people
--
-- The `people` view, for the top :limit only, read from what parley keeps per person: the held-meeting
-- counts in person_counts (and its index) find the people who can be in the top :limit (those with
-- at least as many held meetings as the :limit-th busiest), and person_summaries (migration V10)
-- describes them without aggregating their meetings. A test checks that the rows are the view's.
WITH cutoff AS (
    SELECT CASE WHEN :limit < 1 THEN 1
                ELSE COALESCE((SELECT held_meetings FROM person_counts WHERE held_meetings > 0
                                ORDER BY held_meetings DESC LIMIT 1 OFFSET :limit - 1), 1)
           END AS held_meetings
)
SELECT p.name            AS name,
       p.title           AS title,
       p.country         AS country,
       c.held_meetings   AS meetings,
       s.counterparts    AS counterparts,
       s.first_seen      AS first_seen,
       s.last_seen       AS last_seen
FROM person_counts c
JOIN participants p ON p.id = c.participant_id
JOIN person_summaries s ON s.participant_id = c.participant_id
WHERE c.held_meetings >= (SELECT held_meetings FROM cutoff)
  AND c.held_meetings > 0
ORDER BY c.held_meetings DESC, s.counterparts DESC, p.name
LIMIT :limit;
