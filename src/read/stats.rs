//! What an archive holds, at a glance: rows per table, the span of publication dates, the busiest
//! sources and countries, the input formats and how many articles an older parser read. Reads only,
//! on the read-only connection; `parley stats` prints it.

use rusqlite::Connection;
use serde::Serialize;

/// A summary of the archive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Rows of every table (not the full-text indexes' internals), by name.
    pub tables: Vec<Count>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Articles without a publication date.
    pub undated: i64,
    /// Articles by input format: text, html, json.
    pub formats: Vec<Count>,
    /// The sources with the most articles.
    pub top_sources: Vec<Count>,
    /// The countries with the most people in held meetings.
    pub top_countries: Vec<Count>,
    pub parser_version: u32,
    /// Articles whose rows came from an older parser (`parley reparse --stale` updates them).
    pub stale: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub count: i64,
}

/// Collects the summary; `top` bounds the lists of sources and countries.
pub fn collect(conn: &Connection, top: usize) -> rusqlite::Result<Stats> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
              WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
              ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let virtual_tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        // The shadow tables that hold a full-text index (articles_fts_data, ...) are its internals.
        if virtual_tables
            .iter()
            .any(|v| name.starts_with(&format!("{v}_")))
        {
            continue;
        }
        // A name read from the schema, quoted as an identifier: not a user value.
        let count = conn.query_row(
            &format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        tables.push(Count { name, count });
    }
    let (first_published, last_published, undated) = conn.query_row(
        "SELECT min(published), max(published), count(*) FILTER (WHERE published IS NULL) FROM articles",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let counts = |sql: &str| -> rusqlite::Result<Vec<Count>> {
        conn.prepare(sql)?
            .query_map([top as i64], |r| {
                Ok(Count {
                    name: r.get(0)?,
                    count: r.get(1)?,
                })
            })?
            .collect()
    };
    let formats = counts(
        "SELECT raw_format, count(*) AS n FROM articles GROUP BY raw_format ORDER BY n DESC, raw_format LIMIT max(?1, 3)",
    )?;
    let top_sources = counts(
        "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL
          GROUP BY source ORDER BY n DESC, source LIMIT ?1",
    )?;
    let top_countries = counts(
        "SELECT country, count(DISTINCT meeting_id) AS n FROM meeting_attendance
          WHERE country IS NOT NULL AND status = 'held'
          GROUP BY country ORDER BY n DESC, country LIMIT ?1",
    )?;
    let parser_version = crate::parse::PARSER_VERSION;
    let stale = conn.query_row(
        "SELECT count(*) FROM articles WHERE parser_version < ?1",
        [parser_version],
        |r| r.get(0),
    )?;
    Ok(Stats {
        tables,
        first_published,
        last_published,
        undated,
        formats,
        top_sources,
        top_countries,
        parser_version,
        stale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleMeta;
    use crate::store::{Archive, ImportedArticle};

    fn item(
        text: &str,
        published: Option<&str>,
        source: Option<&str>,
        raw_format: &'static str,
    ) -> ImportedArticle {
        let meta = ArticleMeta {
            published: published
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            source: source.map(String::from),
            ..ArticleMeta::default()
        };
        ImportedArticle {
            parsed: crate::parse::parse(text, &meta),
            raw: None,
            raw_format,
            path: None,
        }
    }

    #[test]
    fn counts_dates_formats_and_sources_are_summed_up() -> rusqlite::Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("s.db")).unwrap();
        let batch = [
            item("First text.", Some("2020-01-05"), Some("Wire"), "text"),
            item("Second text.", Some("2022-03-01"), Some("Wire"), "html"),
            item("Third text.", None, Some("Daily"), "json"),
        ];
        for outcome in archive.store_batch(&batch).unwrap() {
            outcome.unwrap();
        }
        let stats = collect(archive.connection(), 5)?;
        let articles = stats.tables.iter().find(|t| t.name == "articles").unwrap();
        assert_eq!(articles.count, 3);
        assert!(
            !stats
                .tables
                .iter()
                .any(|t| t.name.starts_with("articles_fts")),
            "{:?}",
            stats.tables
        );
        assert_eq!(stats.first_published.as_deref(), Some("2020-01-05"));
        assert_eq!(stats.last_published.as_deref(), Some("2022-03-01"));
        assert_eq!(stats.undated, 1);
        assert_eq!(
            stats.top_sources,
            vec![
                Count {
                    name: "Wire".into(),
                    count: 2
                },
                Count {
                    name: "Daily".into(),
                    count: 1
                }
            ]
        );
        assert_eq!(stats.formats.len(), 3);
        assert_eq!(stats.stale, 0);
        Ok(())
    }
}
