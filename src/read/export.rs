//! Reading the archive back out: each stored article rebuilt as the parse record `parley parse`
//! prints (the [`Parsed`] contract), for `parley export --format jsonl`, and the main views as flat
//! tables for `--format csv`. Reads only, on the read-only connection.
//!
//! A rebuilt record matches what the parser produced when the article was stored, with one
//! exception: a person's `aliases` are the forms of their name seen anywhere in the archive that
//! occur in this article's text (the archive keeps name forms per person, not per mention), sorted;
//! and a meeting's `participants` are in the order its sentence names them (the archive keeps the
//! set, not the order).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use thiserror::Error;

use crate::model::{
    Article, Meeting, MeetingMode, MeetingStatus, ParseIssue, Parsed, Participant, Quote,
    QuoteKind, Span,
};
use crate::output::{Rows, Table};

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot read the archive: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("article {article}: {message}")]
    Corrupt { article: i64, message: String },
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
}

/// The flat tables `--format csv` can write, each one of the archive's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Records {
    /// One row per article: id, dates, source, title, address, categories, counts.
    Articles,
    /// One row per meeting (the `meeting_summaries` view).
    Meetings,
    /// One row per quote (the `quote_attributions` view).
    Quotes,
    /// One row per person (the `people` view).
    People,
}

impl Records {
    fn sql(self) -> &'static str {
        match self {
            Records::Articles => {
                "SELECT a.id, a.published, a.source, a.title, a.url, a.path, a.raw_format,
                        (SELECT group_concat(category, '; ') FROM
                           (SELECT category FROM article_categories c WHERE c.article_id = a.id ORDER BY position)) AS categories,
                        (SELECT count(*) FROM meetings m WHERE m.article_id = a.id) AS meetings,
                        (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
                        a.parser_version, a.imported_at
                   FROM articles a ORDER BY a.id"
            }
            Records::Meetings => "SELECT * FROM meeting_summaries ORDER BY meeting_id",
            Records::Quotes => "SELECT * FROM quote_attributions ORDER BY quote_id",
            Records::People => "SELECT * FROM people ORDER BY participant_id",
        }
    }
}

/// One of the flat tables.
pub fn table(conn: &Connection, records: Records) -> Result<Table, ExportError> {
    let mut table = Table::default();
    stream_table(conn, records, &mut table)?;
    Ok(table)
}

/// One of the flat tables, each row given to `rows` as it is read.
pub fn stream_table(
    conn: &Connection,
    records: Records,
    rows: &mut dyn Rows,
) -> Result<(), ExportError> {
    crate::read::query::stream(conn, records.sql(), &[], rows).map_err(|e| match e {
        crate::read::query::QueryError::Sql(e) => ExportError::Sql(e),
        crate::read::query::QueryError::Output(e) => ExportError::Io(e),
        other => ExportError::Corrupt {
            article: 0,
            message: other.to_string(),
        },
    })
}

/// Calls `each` with every stored article's parse record, oldest first, one at a time.
pub fn for_each_record(
    conn: &Connection,
    mut each: impl FnMut(Parsed) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut after = 0;
    loop {
        let next: Option<i64> = conn
            .prepare_cached("SELECT min(id) FROM articles WHERE id > ?1")?
            .query_row([after], |r| r.get(0))
            .optional()?
            .flatten();
        let Some(id) = next else { return Ok(()) };
        each(record(conn, id)?)?;
        after = id;
    }
}

fn day(article: i64, text: Option<String>) -> Result<Option<NaiveDate>, ExportError> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| ExportError::Corrupt {
            article,
            message: format!("{t:?} is not a date"),
        })
    })
    .transpose()
}

fn span(start: i64, end: i64) -> Span {
    Span::new(start.max(0) as usize, end.max(0) as usize)
}

/// The parse record of one stored article.
pub fn record(conn: &Connection, id: i64) -> Result<Parsed, ExportError> {
    let (title, published, source, url, text, dateline_place, published_from) = conn
        .prepare_cached(
            "SELECT title, published, source, url, text, dateline_place, published_from FROM articles WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
    let categories = conn
        .prepare_cached(
            "SELECT category FROM article_categories WHERE article_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;

    let (mut participants, mut prospective) = (Vec::new(), Vec::new());
    {
        let mut people = conn.prepare_cached(
            "SELECT participant_id, name, title, country, span_start, span_end, role = 'prospective', rule
               FROM article_participants WHERE article_id = ?1 ORDER BY id",
        )?;
        let mut aliases = conn.prepare_cached(
            "SELECT alias FROM participant_aliases WHERE participant_id = ?1 ORDER BY alias",
        )?;
        let rows = people
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (person, name, title, country, start, end, prospective_role, rule) in rows {
            let mut forms: Vec<String> = aliases
                .query_map([person], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?
                .into_iter()
                .filter(|alias| alias != &name && text.contains(alias.as_str()))
                .collect();
            forms.dedup();
            let record = Participant {
                name,
                title,
                country,
                aliases: forms,
                span: span(start, end),
                rule,
            };
            if prospective_role {
                prospective.push(record);
            } else {
                participants.push(record);
            }
        }
    }

    let mut meetings = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, place, date, date_text, date_anchor, mode, status, span_start, span_end, rule
               FROM meetings WHERE article_id = ?1 ORDER BY id",
        )?;
        let mut attendees = conn.prepare_cached(
            "SELECT ap.name FROM meeting_participants mp
               JOIN article_participants ap ON ap.id = mp.article_participant_id
              WHERE mp.meeting_id = ?1 ORDER BY ap.id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, String>(9)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (meeting, place, date, date_text, date_anchor, mode, status, start, end, rule) in rows {
            let mut names = attendees
                .query_map([meeting], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            // The archive does not keep the order of a meeting's people: give them in the order
            // the meeting's sentence names them (by any form of the name), as the parser does.
            let sentence = text
                .get(start.max(0) as usize..end.max(0) as usize)
                .unwrap_or("");
            names.sort_by_key(|name| {
                participants
                    .iter()
                    .find(|p| &p.name == name)
                    .into_iter()
                    .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
                    .filter_map(|form| sentence.find(form.as_str()))
                    .min()
                    .unwrap_or(usize::MAX)
            });
            meetings.push(Meeting {
                participants: names,
                place,
                date: day(id, date)?,
                date_text,
                date_anchor: day(id, date_anchor)?,
                mode: match mode.as_str() {
                    "phone" => MeetingMode::Phone,
                    "video" => MeetingMode::Video,
                    _ => MeetingMode::InPerson,
                },
                status: match status.as_str() {
                    "planned" => MeetingStatus::Planned,
                    "cancelled" => MeetingStatus::Cancelled,
                    _ => MeetingStatus::Held,
                },
                span: span(start, end),
                rule,
            });
        }
    }

    let quotes = conn
        .prepare_cached("SELECT speaker, kind, text, span_start, span_end, rule FROM quotes WHERE article_id = ?1 ORDER BY id")?
        .query_map([id], |r| {
            Ok(Quote {
                speaker: r.get(0)?,
                kind: if r.get::<_, String>(1)? == "reported" { QuoteKind::Reported } else { QuoteKind::Direct },
                text: r.get(2)?,
                span: span(r.get(3)?, r.get(4)?),
                rule: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let issues = conn
        .prepare_cached("SELECT rule, message, span_start, span_end FROM parse_issues WHERE article_id = ?1 ORDER BY id")?
        .query_map(params![id], |r| {
            let start: Option<i64> = r.get(2)?;
            let end: Option<i64> = r.get(3)?;
            Ok(ParseIssue {
                rule: r.get(0)?,
                message: r.get(1)?,
                span: start.zip(end).map(|(s, e)| span(s, e)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    Ok(Parsed {
        article: Article {
            title,
            published: day(id, published)?,
            source,
            url,
            categories,
            text,
            dateline_place,
            published_from,
        },
        participants,
        prospective,
        meetings,
        quotes,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleMeta;
    use crate::store::{Archive, ImportedArticle};

    fn sample() -> Parsed {
        let text = "Ministers met in Oslo. \"We agreed,\" Brekke said. Halvard Brekke and Elise Marchand spoke.";
        let mut parsed = crate::parse::parse(text, &ArticleMeta::default());
        parsed.article.title = Some("Ministers met".into());
        parsed.article.published = NaiveDate::from_ymd_opt(2024, 5, 14);
        parsed.article.published_from = Some("given".into());
        parsed.article.categories = vec!["World".into(), "Diplomacy".into()];
        parsed.participants = vec![
            Participant {
                name: "Halvard Brekke".into(),
                title: Some("Foreign Minister".into()),
                country: Some("NOR".into()),
                aliases: vec!["Brekke".into()],
                span: Span::new(49, 63),
                rule: String::new(),
            },
            Participant {
                name: "Elise Marchand".into(),
                title: None,
                country: Some("CAN".into()),
                aliases: vec![],
                span: Span::new(68, 82),
                rule: String::new(),
            },
        ];
        parsed.meetings = vec![Meeting {
            participants: vec!["Halvard Brekke".into(), "Elise Marchand".into()],
            place: Some("Oslo".into()),
            date: NaiveDate::from_ymd_opt(2024, 5, 13),
            date_text: Some("on Monday".into()),
            date_anchor: NaiveDate::from_ymd_opt(2024, 5, 14),
            mode: MeetingMode::Video,
            status: MeetingStatus::Planned,
            span: Span::new(0, 22),
            rule: String::new(),
        }];
        parsed.quotes = vec![Quote {
            speaker: Some("Halvard Brekke".into()),
            kind: QuoteKind::Direct,
            text: "We agreed".into(),
            span: Span::new(24, 33),
            rule: String::new(),
        }];
        parsed.issues = vec![ParseIssue {
            rule: "no-date".into(),
            message: "m".into(),
            span: None,
        }];
        parsed
    }

    #[test]
    fn a_stored_article_comes_back_as_the_record_it_was_stored_from() -> Result<(), ExportError> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("e.db")).unwrap();
        let parsed = sample();
        let item = ImportedArticle {
            parsed: parsed.clone(),
            raw: None,
            raw_format: "text",
            path: None,
        };
        archive.store_batch(&[item]).unwrap().remove(0).unwrap();
        let mut records = Vec::new();
        for_each_record(archive.connection(), |record| {
            records.push(record);
            Ok(())
        })?;
        assert_eq!(records, vec![parsed]);
        Ok(())
    }

    #[test]
    fn every_flat_table_can_be_read() -> Result<(), ExportError> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("e.db")).unwrap();
        let item = ImportedArticle {
            parsed: sample(),
            raw: None,
            raw_format: "text",
            path: None,
        };
        archive.store_batch(&[item]).unwrap().remove(0).unwrap();
        for (records, rows) in [
            (Records::Articles, 1),
            (Records::Meetings, 1),
            (Records::Quotes, 1),
            (Records::People, 2),
        ] {
            assert_eq!(
                table(archive.connection(), records)?.rows.len(),
                rows,
                "{records:?}"
            );
        }
        Ok(())
    }
}
