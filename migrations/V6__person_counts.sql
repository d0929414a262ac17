-- parley archive, schema version 6: how many held meetings and quotes each person has, kept up to
-- date by parley in the same transaction as the rows it counts.
--
-- Reports that rank the whole archive (busiest-diplomats, most-quoted) used to compute the `people`
-- view's counts for every person before keeping the top twenty: seconds on 100,000 articles. They now
-- find the people worth describing through these counts' indexes, and describe only those through
-- the view, whose figures stay the reference.
--
-- The counts follow the view's definitions: `held_meetings` counts a person's rows in held meetings
-- (people.meetings), `quotes` the quotes attributed to them (people.quotes). parley updates them when
-- it stores, reparses or curates; another client that changes meetings, quotes or people should
-- recompute them with the statement below. `parley check` reports counts out of step.

CREATE TABLE person_counts (
    participant_id  INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    held_meetings   INTEGER NOT NULL DEFAULT 0 CHECK (held_meetings >= 0),
    quotes          INTEGER NOT NULL DEFAULT 0 CHECK (quotes >= 0)
);
CREATE INDEX person_counts_held_meetings ON person_counts (held_meetings);
CREATE INDEX person_counts_quotes ON person_counts (quotes);

INSERT INTO person_counts (participant_id, held_meetings, quotes)
SELECT id, held_meetings, quotes
  FROM (SELECT p.id,
               (SELECT count(*) FROM article_participants ap
                  JOIN meeting_participants mp ON mp.article_participant_id = ap.id
                  JOIN meetings m ON m.id = mp.meeting_id
                 WHERE ap.participant_id = p.id AND m.status = 'held') AS held_meetings,
               (SELECT count(*) FROM article_participants ap
                  JOIN quotes q ON q.article_participant_id = ap.id
                 WHERE ap.participant_id = p.id) AS quotes
          FROM participants p)
 WHERE held_meetings > 0 OR quotes > 0;
