-- parley archive, schema version 7: the people of planned and cancelled meetings.
--
-- Until now only participants (people in a held meeting, and speakers) were stored, so a planned or
-- cancelled meeting lost the people it names. They are now stored as the article's people with the
-- role 'prospective': linked to their meetings and to their archive-wide person like anyone else,
-- but kept apart from the participants of encounters (the `people` view's meetings and quotes only
-- ever counted held meetings and quotes, so its figures do not change).

ALTER TABLE article_participants
    ADD COLUMN role TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'prospective'));
