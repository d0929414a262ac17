-- parley archive, schema version 1: articles and everything the parser extracts from them.
-- Plain column types with CHECK constraints (no STRICT tables) so that every SQLite client reads the file.
-- Spans (span_start, span_end) are byte offsets into articles.text.

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    content_hash    TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),
    text            TEXT NOT NULL,
    raw             TEXT,
    raw_format      TEXT NOT NULL DEFAULT 'text' CHECK (raw_format IN ('text', 'html', 'json')),
    title           TEXT,
    published       TEXT CHECK (published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    published_from  TEXT,
    source          TEXT,
    url             TEXT,
    path            TEXT,
    dateline_place  TEXT,
    parser_version  INTEGER NOT NULL CHECK (parser_version >= 0),
    imported_at     TEXT NOT NULL,
    parsed_at       TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_source ON articles (source);

CREATE TABLE article_categories (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    category    TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_categories_category ON article_categories (category);

-- One row per person across the whole archive. Articles' mentions are matched to a person by name
-- forms and country (see article_participants.match_rule); `country` is the country the person is
-- identified with, `title` the latest office seen.
CREATE TABLE participants (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    surname_key  TEXT,
    country      TEXT CHECK (country IS NULL OR (length(country) = 3 AND country = upper(country))),
    title        TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX participants_name_key ON participants (name_key);
CREATE INDEX participants_surname_key ON participants (surname_key);

-- Every form of a person's name seen in any article (the full name included).
CREATE TABLE participant_aliases (
    participant_id  INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    alias_key       TEXT NOT NULL,
    alias           TEXT NOT NULL,
    PRIMARY KEY (participant_id, alias_key)
) WITHOUT ROWID;
CREATE INDEX participant_aliases_alias_key ON participant_aliases (alias_key);

-- A person as one article presents them: the title and country belong to the article's mention.
CREATE TABLE article_participants (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    name            TEXT NOT NULL,
    title           TEXT,
    country         TEXT CHECK (country IS NULL OR (length(country) = 3 AND country = upper(country))),
    span_start      INTEGER NOT NULL CHECK (span_start >= 0),
    span_end        INTEGER NOT NULL CHECK (span_end >= span_start),
    -- How the mention was matched to the person: same-name, name-form, surname-country, curated-alias,
    -- curated-split, new or ambiguous (kept apart; match_note names the candidates).
    match_rule      TEXT NOT NULL DEFAULT 'new',
    match_note      TEXT,
    UNIQUE (article_id, name)
);
CREATE INDEX article_participants_participant ON article_participants (participant_id);
CREATE INDEX article_participants_country ON article_participants (country);
CREATE INDEX article_participants_match_rule ON article_participants (match_rule);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    place        TEXT,
    date         TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    date_text    TEXT,
    date_anchor  TEXT CHECK (date_anchor IS NULL OR date_anchor GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    mode         TEXT NOT NULL CHECK (mode IN ('in_person', 'phone', 'video')),
    status       TEXT NOT NULL CHECK (status IN ('held', 'planned', 'cancelled')),
    span_start   INTEGER NOT NULL CHECK (span_start >= 0),
    span_end     INTEGER NOT NULL CHECK (span_end >= span_start)
);
CREATE INDEX meetings_article ON meetings (article_id);
CREATE INDEX meetings_date ON meetings (date);

CREATE TABLE meeting_participants (
    meeting_id              INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    article_participant_id  INTEGER NOT NULL REFERENCES article_participants (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, article_participant_id)
) WITHOUT ROWID;
CREATE INDEX meeting_participants_article_participant ON meeting_participants (article_participant_id);

CREATE TABLE quotes (
    id                      INTEGER PRIMARY KEY,
    article_id              INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind                    TEXT NOT NULL CHECK (kind IN ('direct', 'reported')),
    text                    TEXT NOT NULL,
    -- The speaker as the article names them: a person, an organisation ("White House"), or NULL.
    speaker                 TEXT,
    -- Set when the speaker is a person of the article.
    article_participant_id  INTEGER REFERENCES article_participants (id) ON DELETE CASCADE,
    span_start              INTEGER NOT NULL CHECK (span_start >= 0),
    span_end                INTEGER NOT NULL CHECK (span_end >= span_start)
);
CREATE INDEX quotes_article ON quotes (article_id);
CREATE INDEX quotes_article_participant ON quotes (article_participant_id);

-- What the parser noticed but could not settle, kept with the article.
CREATE TABLE parse_issues (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    rule        TEXT NOT NULL,
    message     TEXT NOT NULL,
    span_start  INTEGER CHECK (span_start IS NULL OR span_start >= 0),
    span_end    INTEGER CHECK (span_end IS NULL OR span_end >= span_start)
);
CREATE INDEX parse_issues_article ON parse_issues (article_id);
CREATE INDEX parse_issues_rule ON parse_issues (rule);
