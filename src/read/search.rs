//! Full-text search over the archive: article text and titles (`articles_fts`) or quotes
//! (`quotes_fts`), the FTS5 indexes of migration V3. Results are ranked by BM25, carry a highlighted
//! snippet, and can be narrowed to a speaker, a country or a date range. Reads only: it runs on the
//! read-only connection of `query` and returns a [`Table`] for `output`.

use chrono::NaiveDate;
use rusqlite::{Connection, named_params};
use thiserror::Error;

use crate::output::Table;

/// What to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Target {
    /// Article titles and text: one row per article, with the best matching passage.
    #[default]
    Articles,
    /// Quotes: one row per quote, with its speaker.
    Quotes,
}

/// A search as the command line gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Words, "phrases", prefix* terms and FTS5 operators (AND, OR, NOT, NEAR); see [`fts_query`].
    pub terms: Vec<String>,
    pub target: Target,
    pub limit: usize,
    /// Only quotes by this person (any form of the name seen in the archive, or the speaker as the
    /// article names them) or, for articles, articles that mention them.
    pub speaker: Option<String>,
    /// Only quotes by, or articles mentioning, someone of this country (ISO 3166-1 alpha-3).
    pub country: Option<String>,
    /// Only articles published on or after / before this day.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// What goes around each matched word in the snippet.
    pub mark: (String, String),
}

impl Search {
    pub fn new(terms: Vec<String>) -> Search {
        Search {
            terms,
            target: Target::Articles,
            limit: 20,
            speaker: None,
            country: None,
            since: None,
            until: None,
            mark: ("[".into(), "]".into()),
        }
    }
}

#[derive(Debug, Error)]
pub enum SearchError {
    #[error("nothing to search for: give one or more words")]
    NoTerms,
    #[error(
        "the search {query:?} is not valid FTS5 syntax ({message}); quote a phrase with \"...\", \
         and write the operators AND, OR, NOT in capitals"
    )]
    Syntax { query: String, message: String },
    #[error("this archive has no full-text index (run `parley migrate` to add it)")]
    NoIndex,
    #[error("search failed: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// Words of a snippet around the matches.
const SNIPPET_TOKENS: i64 = 16;

const ARTICLES_SQL: &str = "
SELECT a.id                                                    AS article_id,
       a.published                                             AS published,
       a.source                                                AS source,
       a.title                                                 AS title,
       snippet(articles_fts, -1, :open, :close, '\u{2026}', :tokens) AS snippet,
       round(-bm25(articles_fts, 4.0, 1.0), 2)                 AS score
FROM articles_fts
JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH :query
  AND (:since IS NULL OR a.published >= :since)
  AND (:until IS NULL OR a.published <= :until)
  AND (:country IS NULL OR EXISTS (
        SELECT 1 FROM article_participants ap WHERE ap.article_id = a.id AND ap.country = :country))
  AND (:speaker IS NULL OR EXISTS (
        SELECT 1 FROM article_participants ap
          JOIN participant_aliases pa ON pa.participant_id = ap.participant_id
         WHERE ap.article_id = a.id AND pa.alias_key = :speaker))
ORDER BY bm25(articles_fts, 4.0, 1.0), a.id
LIMIT :limit";

const QUOTES_SQL: &str = "
SELECT q.id                                       AS quote_id,
       q.article_id                               AS article_id,
       a.published                                AS published,
       COALESCE(p.name, q.speaker)                AS speaker,
       ap.title                                   AS speaker_title,
       ap.country                                 AS speaker_country,
       q.kind                                     AS kind,
       highlight(quotes_fts, 0, :open, :close)    AS quote,
       a.title                                    AS article_title,
       round(-bm25(quotes_fts), 2)                AS score
FROM quotes_fts
JOIN quotes q ON q.id = quotes_fts.rowid
JOIN articles a ON a.id = q.article_id
LEFT JOIN article_participants ap ON ap.id = q.article_participant_id
LEFT JOIN participants p ON p.id = ap.participant_id
WHERE quotes_fts MATCH :query
  AND (:since IS NULL OR a.published >= :since)
  AND (:until IS NULL OR a.published <= :until)
  AND (:country IS NULL OR ap.country = :country)
  AND (:speaker IS NULL
       OR ap.participant_id IN (SELECT participant_id FROM participant_aliases WHERE alias_key = :speaker)
       OR lower(trim(q.speaker)) = :speaker_text)
ORDER BY bm25(quotes_fts), q.id
LIMIT :limit";

/// Runs a search and returns its rows, best first.
pub fn search(conn: &Connection, search: &Search) -> Result<Table, SearchError> {
    let query = fts_query(&search.terms);
    if query.is_empty() {
        return Err(SearchError::NoTerms);
    }
    let sql = match search.target {
        Target::Articles => ARTICLES_SQL,
        Target::Quotes => QUOTES_SQL,
    };
    let mut stmt = conn.prepare_cached(sql).map_err(|e| {
        if e.to_string().contains("no such table") {
            SearchError::NoIndex
        } else {
            SearchError::Sql(e)
        }
    })?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let speaker_key = search.speaker.as_deref().map(crate::store::name_key);
    let speaker_text = search.speaker.as_deref().map(|s| s.trim().to_lowercase());
    let country = search.country.as_deref().map(|c| c.trim().to_uppercase());
    let (since, until, limit) = (day(search.since), day(search.until), search.limit as i64);
    let mut params = named_params! {
        ":query": query,
        ":open": search.mark.0,
        ":close": search.mark.1,
        ":tokens": SNIPPET_TOKENS,
        ":since": since,
        ":until": until,
        ":country": country,
        ":speaker": speaker_key,
        ":speaker_text": speaker_text,
        ":limit": limit,
    }
    .to_vec();
    // Each statement uses only some of the parameters.
    params.retain(|(name, _)| stmt.parameter_index(name).ok().flatten().is_some());

    let columns: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let cursor = stmt
        .query(params.as_slice())
        .map_err(|e| syntax_error(e, &query))?;
    crate::read::query::collect_rows(columns, cursor).map_err(|e| syntax_error(e, &query))
}

fn syntax_error(e: rusqlite::Error, query: &str) -> SearchError {
    let message = e.to_string();
    if message.contains("fts5") {
        SearchError::Syntax {
            query: query.to_string(),
            message,
        }
    } else {
        SearchError::Sql(e)
    }
}

/// The FTS5 query for the words given on the command line, joined by spaces (all must match).
/// A plain word, a `prefix*`, an operator (`AND`, `OR`, `NOT`, `NEAR(...)`), a `"phrase"` or a
/// `column:word` is passed as it is; anything else (`Al-Jubeir`, `U.S.`, or several words given as
/// one argument) becomes a phrase, so that punctuation in names does not break the query.
pub fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|term| term.trim())
        .filter(|term| !term.is_empty())
        .map(|term| {
            if is_syntax(term) {
                term.to_string()
            } else {
                let (body, star) = match term.strip_suffix('*') {
                    Some(body) if !body.is_empty() => (body, " *"),
                    _ => (term, ""),
                };
                format!("\"{}\"{star}", body.replace('"', "\"\""))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_bareword(word: &str) -> bool {
    let word = word.strip_suffix('*').unwrap_or(word);
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii())
}

fn is_syntax(term: &str) -> bool {
    if matches!(term, "AND" | "OR" | "NOT") || term.starts_with("NEAR(") || term.contains('"') {
        return true;
    }
    if term.starts_with('(') || term.ends_with(')') {
        return term
            .trim_matches(['(', ')'])
            .split_whitespace()
            .all(|w| is_bareword(w) || matches!(w, "AND" | "OR" | "NOT"));
    }
    match term.split_once(':') {
        Some((column, word)) => matches!(column, "title" | "text" | "speaker") && is_bareword(word),
        None => is_bareword(term),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ArticleMeta, Parsed, Participant, Quote, QuoteKind, Span};
    use crate::output::Cell;
    use crate::store::{Archive, ImportedArticle};

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn plain_words_operators_and_phrases_pass_through() {
        assert_eq!(
            fts_query(&terms(&["talks", "OR", "meeting", "NOT", "sport"])),
            "talks OR meeting NOT sport"
        );
        assert_eq!(
            fts_query(&terms(&["\"joint statement\"", "minist*"])),
            "\"joint statement\" minist*"
        );
        assert_eq!(
            fts_query(&terms(&["title:Oslo", "Zürich"])),
            "title:Oslo Zürich"
        );
    }

    #[test]
    fn punctuation_and_several_words_in_one_argument_become_a_phrase() {
        assert_eq!(fts_query(&terms(&["Al-Jubeir"])), "\"Al-Jubeir\"");
        assert_eq!(
            fts_query(&terms(&["joint statement"])),
            "\"joint statement\""
        );
        assert_eq!(fts_query(&terms(&["U.S.*"])), "\"U.S.\" *");
        assert_eq!(fts_query(&terms(&["  ", ""])), "");
    }

    fn article(
        text: &str,
        published: &str,
        people: &[(&str, &str)],
        quotes: &[(&str, &str)],
    ) -> ImportedArticle {
        let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        let mut parsed: Parsed = crate::parse::parse(
            text,
            &ArticleMeta {
                published,
                ..ArticleMeta::default()
            },
        );
        parsed.article = Article {
            title: Some(text.split('.').next().unwrap().to_string()),
            ..parsed.article
        };
        parsed.participants = people
            .iter()
            .map(|(name, country)| Participant {
                name: name.to_string(),
                title: Some("Foreign Minister".into()),
                country: Some(country.to_string()),
                aliases: vec![name.rsplit(' ').next().unwrap().to_string()],
                span: Span::new(0, 1),
                rule: String::new(),
            })
            .collect();
        parsed.meetings.clear();
        parsed.quotes = quotes
            .iter()
            .map(|(speaker, words)| Quote {
                speaker: Some(speaker.to_string()),
                kind: QuoteKind::Direct,
                text: words.to_string(),
                span: Span::new(0, 1),
                rule: String::new(),
            })
            .collect();
        parsed.issues.clear();
        ImportedArticle {
            parsed,
            raw: None,
            raw_format: "text",
            path: None,
        }
    }

    fn archive() -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("s.db")).unwrap();
        let batch = vec![
            article(
                "Arctic shipping talks in Oslo. Ministers discussed icebreakers and fisheries.",
                "2024-05-14",
                &[("Halvard Brekke", "NOR"), ("Elise Marchand", "CAN")],
                &[
                    (
                        "Halvard Brekke",
                        "We agreed to keep talking about fisheries",
                    ),
                    ("Elise Marchand", "The Arctic must stay open"),
                ],
            ),
            article(
                "Fisheries dispute in Lima. Officials met about fisheries quotas and fisheries law.",
                "2021-02-01",
                &[("Rosa Fuentes", "CHL")],
                &[
                    ("Rosa Fuentes", "Fisheries are our first concern"),
                    ("Ministry", "No comment on fisheries"),
                ],
            ),
        ];
        for outcome in archive.store_batch(&batch).unwrap() {
            outcome.unwrap();
        }
        (dir, archive)
    }

    fn column(table: &Table, name: &str) -> Vec<Cell> {
        let i = table.columns.iter().position(|c| c == name).unwrap();
        table.rows.iter().map(|r| r[i].clone()).collect()
    }

    #[test]
    fn articles_are_ranked_and_the_matches_marked() -> Result<(), SearchError> {
        let (_dir, archive) = archive();
        let table = search(archive.connection(), &Search::new(terms(&["fisheries"])))?;
        assert_eq!(
            column(&table, "article_id"),
            vec![Cell::Integer(2), Cell::Integer(1)],
            "more mentions rank first"
        );
        let Cell::Text(snippet) = &column(&table, "snippet")[0] else {
            panic!()
        };
        assert!(
            snippet.contains("[Fisheries]") || snippet.contains("[fisheries]"),
            "{snippet}"
        );
        Ok(())
    }

    #[test]
    fn article_search_narrows_by_date_country_and_person() -> Result<(), SearchError> {
        let (_dir, archive) = archive();
        let conn = archive.connection();
        let mut s = Search::new(terms(&["fisheries"]));
        s.since = NaiveDate::from_ymd_opt(2022, 1, 1);
        assert_eq!(
            column(&search(conn, &s)?, "article_id"),
            vec![Cell::Integer(1)]
        );
        let mut s = Search::new(terms(&["fisheries"]));
        s.country = Some("chl".into());
        assert_eq!(
            column(&search(conn, &s)?, "article_id"),
            vec![Cell::Integer(2)]
        );
        let mut s = Search::new(terms(&["fisheries"]));
        s.speaker = Some("marchand".into());
        assert_eq!(
            column(&search(conn, &s)?, "article_id"),
            vec![Cell::Integer(1)]
        );
        Ok(())
    }

    #[test]
    fn quotes_are_found_with_their_speakers_and_filtered_by_speaker() -> Result<(), SearchError> {
        let (_dir, archive) = archive();
        let conn = archive.connection();
        let mut s = Search::new(terms(&["fisheries"]));
        s.target = Target::Quotes;
        s.mark = ("<b>".into(), "</b>".into());
        let table = search(conn, &s)?;
        assert_eq!(table.rows.len(), 3);
        let mut s2 = s.clone();
        s2.speaker = Some("Fuentes".into());
        let table = search(conn, &s2)?;
        assert_eq!(
            column(&table, "speaker"),
            vec![Cell::Text("Rosa Fuentes".into())]
        );
        assert_eq!(
            column(&table, "quote"),
            vec![Cell::Text("<b>Fisheries</b> are our first concern".into())]
        );
        assert_eq!(
            column(&table, "speaker_country"),
            vec![Cell::Text("CHL".into())]
        );
        let mut s3 = s.clone();
        s3.speaker = Some("ministry".into());
        assert_eq!(
            column(&search(conn, &s3)?, "speaker"),
            vec![Cell::Text("Ministry".into())]
        );
        Ok(())
    }

    #[test]
    fn the_index_follows_deletes_and_reparses() -> Result<(), SearchError> {
        let (_dir, mut archive) = archive();
        // A reparse deletes and reinserts an article's quotes: the old ones must not be found.
        let mut replacement = article(
            "Arctic shipping talks in Oslo.",
            "2024-05-14",
            &[("Halvard Brekke", "NOR")],
            &[("Halvard Brekke", "Icebreakers first")],
        );
        replacement.parsed.article.title = Some("Renamed headline".into());
        archive.replace_derived(&[(1, replacement.parsed)]).unwrap();
        let mut s = Search::new(terms(&["talking"]));
        s.target = Target::Quotes;
        assert!(search(archive.connection(), &s)?.rows.is_empty());
        s.terms = terms(&["icebreakers"]);
        assert_eq!(search(archive.connection(), &s)?.rows.len(), 1);
        let titles = search(
            archive.connection(),
            &Search::new(terms(&["title:renamed"])),
        )?;
        assert_eq!(column(&titles, "article_id"), vec![Cell::Integer(1)]);
        archive
            .connection()
            .execute("DELETE FROM articles WHERE id = 2", [])?;
        let left = search(archive.connection(), &Search::new(terms(&["lima"])))?;
        assert!(left.rows.is_empty());
        Ok(())
    }

    #[test]
    fn bad_syntax_is_explained() {
        let (_dir, archive) = archive();
        let err = search(archive.connection(), &Search::new(terms(&["(fisheries"]))).unwrap_err();
        assert!(matches!(err, SearchError::Syntax { .. }), "{err}");
    }
}
