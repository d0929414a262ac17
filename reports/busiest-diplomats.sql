-- title: The busiest diplomats
-- description: People ranked by the number of held meetings they took part in, with how many
--   different people they met.
-- param: limit = 20  how many people
--
-- Describing a person through the `people` view costs a handful of lookups, too many to do for
-- everyone in a large archive. The held-meeting counts kept in person_counts (and its index) find
-- the people who can be in the top :limit, those with at least as many held meetings as the
-- :limit-th busiest, and only they are described and ranked.
WITH cutoff AS (
    SELECT CASE WHEN :limit < 1 THEN 1
                ELSE COALESCE((SELECT held_meetings FROM person_counts WHERE held_meetings > 0
                                ORDER BY held_meetings DESC LIMIT 1 OFFSET :limit - 1), 1)
           END AS held_meetings
)
SELECT p.name            AS name,
       p.latest_title    AS title,
       p.latest_country  AS country,
       p.meetings        AS meetings,
       p.counterparts    AS counterparts,
       p.first_seen      AS first_seen,
       p.last_seen       AS last_seen
FROM people p
WHERE p.participant_id IN (SELECT participant_id FROM person_counts
                            WHERE held_meetings >= (SELECT held_meetings FROM cutoff))
  AND p.meetings > 0
ORDER BY p.meetings DESC, p.counterparts DESC, p.name
LIMIT :limit;
