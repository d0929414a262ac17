-- title: People seen under several spellings
-- description: Each person whose name is written more than one way across the archive, with the
--   forms, so that an analyst can check the matches (and correct them with `parley people`).
SELECT s.name        AS person,
       s.spellings   AS spellings,
       s.written_as  AS written_as,
       s.articles    AS articles
FROM person_spellings s
ORDER BY s.spellings DESC, s.articles DESC, s.name;
