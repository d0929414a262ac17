//! Writing parsed articles: inserts in batches (one transaction a batch; a batch in which an article
//! fails is written again with a savepoint around each article, so an article is stored whole or not
//! at all), and replacing an article's derived rows on `reparse`.

use std::collections::HashMap;

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::counts::{
    count_for_people, people_of, recount_people, refresh_summaries, rekey_if_stale,
    settle_standing, summarise,
};
use super::people::KnownPeople;
use super::{Archive, Result, StoreError, content_hash};
use crate::model::{ArticleMeta, Parsed};
use crate::parse::PARSER_VERSION;

/// One article ready to be stored: what the parser made of it and where it came from.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    pub parsed: Parsed,
    /// The input as read, kept only where it differs from the stored text (HTML, CRLF, BOM...).
    pub raw: Option<String>,
    /// "text", "html" or "json".
    pub raw_format: &'static str,
    /// The file it was read from, if any.
    pub path: Option<String>,
}

impl ImportedArticle {
    pub fn content_hash(&self) -> String {
        content_hash(&self.parsed.article.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOutcome {
    Inserted(i64),
    Unchanged(i64),
    /// The text was stored already, but the metadata given with it (a publication date given on
    /// import, a source, a URL) was new: it now replaces the stored one, and the rows that depend
    /// on the date were made again.
    Updated(i64),
}

/// A stored article as `reparse` needs it.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    pub id: i64,
    pub text: String,
    pub meta: ArticleMeta,
}

/// Prepared statements kept per connection: more than the writes of one article use (about 30).
const STATEMENT_CACHE: usize = 128;

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What every write of one batch shares: the time it is stamped with, and whether any curation
/// rule can apply to its people.
struct Writing {
    stamp: String,
    curated: bool,
    /// People read or written so far in this batch, when it is safe to keep them (see
    /// [`Writing::new`]).
    known_people: Option<KnownPeople>,
}

impl Writing {
    /// `rollbacks`: whether part of the batch may be rolled back while it goes on (a savepoint per
    /// article). Then, as with curation rules, people are read from the file for every mention.
    fn new(conn: &Connection, rollbacks: bool) -> rusqlite::Result<Writing> {
        rekey_if_stale(conn)?;
        let curated = super::people::has_curation_rules(conn)?;
        Ok(Writing {
            stamp: now(),
            curated,
            known_people: (!curated && !rollbacks).then(KnownPeople::default),
        })
    }
}

fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Archive {
    /// Connection settings for writing, all crash-safe (the rollback journal and `synchronous` that
    /// protect committed data are left as they are):
    /// - savepoint and statement journals in memory instead of temporary files: they only undo part
    ///   of an open transaction (a batch written again with a savepoint per article, a statement
    ///   journal per statement), and writing them to a file took a fifth of the storage time;
    /// - a page cache of 32 MiB instead of 2 MiB, so that a batch's dirty pages fit in it: a cache
    ///   that overflows mid-transaction spills pages to the file, and each spill syncs the journal;
    /// - room for every statement an article's writes use in the prepared-statement cache. rusqlite
    ///   keeps 16 by default, fewer than storing one article (with its people) goes through in turn,
    ///   so the least recently used was always the next one needed: every statement was compiled
    ///   again for every article, a seventh of `reparse`'s time.
    fn tune_for_writing(&self) -> Result<()> {
        self.conn
            .set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.conn
            .pragma_update(None, "temp_store", "MEMORY")
            .and_then(|_| self.conn.pragma_update(None, "cache_size", -32 * 1024))
            .map_err(|e| StoreError::sql(&self.path, "cannot configure the connection", e))
    }

    /// Stores a batch of articles in one transaction. An article that fails is reported in its slot
    /// and stored not at all; the others are kept.
    ///
    /// Articles almost never fail, so the batch is first written without a savepoint per article
    /// (each costs a statement journal and a release). If one does fail, that attempt is rolled back
    /// and the batch written again with a savepoint around each article, which rolls back the
    /// failing one alone.
    pub fn store_batch(&mut self, batch: &[ImportedArticle]) -> Result<Vec<Result<StoreOutcome>>> {
        self.store_batch_telling(batch, &|| {})
    }

    /// [`Archive::store_batch`], calling `indexing` when the rows are written and what is derived
    /// for the whole batch (the full-text index, people's counts) begins: a progress display's
    /// "indexing".
    pub fn store_batch_telling(
        &mut self,
        batch: &[ImportedArticle],
        indexing: &dyn Fn(),
    ) -> Result<Vec<Result<StoreOutcome>>> {
        self.tune_for_writing()?;
        match self.write_batch(batch, false, indexing)? {
            Some(outcomes) => Ok(outcomes),
            None => Ok(self
                .write_batch(batch, true, indexing)?
                .expect("with savepoints, a failing article does not abort the batch")),
        }
    }

    /// One attempt at [`Archive::store_batch`]. Without `savepoints`, gives `None` (having rolled
    /// everything back) as soon as an article fails.
    fn write_batch(
        &mut self,
        batch: &[ImportedArticle],
        savepoints: bool,
        indexing: &dyn Fn(),
    ) -> Result<Option<Vec<Result<StoreOutcome>>>> {
        let path = self.path.clone();
        // IMMEDIATE: take the write lock before reading, so that two importers queue on the busy
        // timeout instead of deadlocking (a reader upgrading to writer gets SQLITE_BUSY at once).
        let mut tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sql(&path, "cannot start a transaction", e))?;
        let writing = Writing::new(&tx, savepoints)
            .map_err(|e| StoreError::sql(&path, "cannot read the curation rules", e))?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for item in batch {
            if !savepoints {
                match insert_article(&tx, item, &writing) {
                    Ok(outcome) => outcomes.push(Ok(outcome)),
                    // A full disk or an I/O error makes SQLite roll the whole transaction back:
                    // that cause is the error. Anything else is this article's: try again, one
                    // savepoint an article.
                    Err(e) if tx.is_autocommit() => {
                        return Err(StoreError::sql(&path, "cannot store the batch", e));
                    }
                    Err(_) => {
                        tx.rollback()
                            .map_err(|e| StoreError::sql(&path, "cannot roll back the batch", e))?;
                        return Ok(None);
                    }
                }
                continue;
            }
            let mut savepoint = tx
                .savepoint()
                .map_err(|e| StoreError::sql(&path, "cannot start a savepoint", e))?;
            match insert_article(&savepoint, item, &writing) {
                Ok(outcome) => {
                    savepoint
                        .commit()
                        .map_err(|e| StoreError::sql(&path, "cannot release a savepoint", e))?;
                    outcomes.push(Ok(outcome));
                }
                Err(e) => {
                    if savepoint.is_autocommit() {
                        return Err(StoreError::sql(&path, "cannot store the batch", e));
                    }
                    savepoint
                        .rollback()
                        .map_err(|e| StoreError::sql(&path, "cannot roll back a savepoint", e))?;
                    outcomes.push(Err(StoreError::sql(&path, "cannot store the article", e)));
                }
            }
        }
        let inserted: Vec<i64> = outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                Ok(StoreOutcome::Inserted(id)) => Some(*id),
                _ => None,
            })
            .collect();
        if !inserted.is_empty() {
            indexing();
            let ids = id_list(&inserted);
            index_for_search(&tx, &ids, true)
                .map_err(|e| StoreError::sql(&path, "cannot index the batch for search", e))?;
            count_for_people(&tx, &ids, true)
                .and_then(|_| summarise(&tx, &ids, true))
                .and_then(|_| settle_standing(&tx, &ids))
                .map_err(|e| StoreError::sql(&path, "cannot update the people's counts", e))?;
        }
        tx.commit()
            .map_err(|e| StoreError::sql(&path, "cannot commit the batch", e))?;
        Ok(Some(outcomes))
    }

    /// Up to `limit` stored articles with an id above `after`, oldest first, stopping once their texts
    /// reach `max_bytes` (so a batch of long articles stays small); with `only_stale`, only those whose
    /// rows came from an older parser.
    pub fn articles_to_reparse(
        &self,
        after: i64,
        limit: usize,
        max_bytes: usize,
        only_stale: bool,
    ) -> Result<Vec<StoredArticle>> {
        let read = || -> rusqlite::Result<Vec<StoredArticle>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, text, CASE WHEN published_from = 'given' THEN published END, source, url, title
                   FROM articles
                  WHERE id > ?1 AND (?2 = 0 OR parser_version < ?3)
                  ORDER BY id LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![after, only_stale, PARSER_VERSION, limit as i64],
                |r| {
                    let published: Option<String> = r.get(2)?;
                    Ok(StoredArticle {
                        id: r.get(0)?,
                        text: r.get(1)?,
                        meta: ArticleMeta {
                            published: published
                                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                            source: r.get(3)?,
                            url: r.get(4)?,
                            title: r.get(5)?,
                        },
                    })
                },
            )?;
            let mut articles = Vec::new();
            let mut bytes = 0;
            for row in rows {
                let article = row?;
                bytes += article.text.len();
                articles.push(article);
                if bytes >= max_bytes {
                    break;
                }
            }
            Ok(articles)
        };
        read().map_err(|e| StoreError::sql(&self.path, "cannot read articles", e))
    }

    /// Replaces every derived row of the given articles with the new parse, in one transaction, and
    /// keeps every person's counts, summaries and standing in step.
    pub fn replace_derived(&mut self, batch: &[(i64, Parsed)]) -> Result<()> {
        self.replace_rows(batch, true)
    }

    /// [`Archive::replace_derived`] for a run that ends with [`Archive::recount_people`] (`reparse`):
    /// held meetings and quotes (`person_counts`) are kept in step, but people's summaries and
    /// standing are left to the recount. Keeping them per batch means reading every mention of each
    /// person the batch names (a first or last date, a latest office, a commonest country cannot be
    /// taken away, only computed again), and a batch names most of the busiest people: at 100,000
    /// articles that was nine tenths of a reparse, done again for every batch, where the recount
    /// does it once. A reparse cut short leaves them out of step until the next `reparse` (`parley
    /// check` says so).
    pub fn replace_derived_before_recount(&mut self, batch: &[(i64, Parsed)]) -> Result<()> {
        self.replace_rows(batch, false)
    }

    fn replace_rows(&mut self, batch: &[(i64, Parsed)], settle: bool) -> Result<()> {
        let path = self.path.clone();
        self.tune_for_writing()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sql(&path, "cannot start a transaction", e))?;
        let ids = id_list(&batch.iter().map(|(id, _)| *id).collect::<Vec<_>>());
        let touched = people_of(&tx, &ids)
            .and_then(|touched| {
                count_for_people(&tx, &ids, false)?;
                if settle {
                    summarise(&tx, &ids, false)?;
                }
                Ok(touched)
            })
            .map_err(|e| StoreError::sql(&path, "cannot update the people's counts", e))?;
        // The old rows go one table at a time for the whole batch. Quotes first, and in one
        // statement: its trigger takes them out of the full-text index, and FTS5 writes what it
        // has pending once, not once an article. Deleting article_participants last takes the
        // meeting links with them (ON DELETE CASCADE).
        for table in [
            "quotes",
            "meetings",
            "parse_issues",
            "article_categories",
            "article_participants",
        ] {
            tx.prepare_cached(&format!(
                "DELETE FROM {table} WHERE article_id IN {ID_LIST}"
            ))
            .and_then(|mut stmt| stmt.execute([&ids]))
            .map_err(|e| StoreError::sql(&path, "cannot remove the batch's old rows", e))?;
        }
        // A failing article fails the whole batch here: nothing is rolled back part way.
        let writing = Writing::new(&tx, false)
            .map_err(|e| StoreError::sql(&path, "cannot read the curation rules", e))?;
        for (article_id, parsed) in batch {
            replace_article(&tx, *article_id, parsed, &writing).map_err(|e| {
                StoreError::sql(&path, &format!("cannot reparse article {article_id}"), e)
            })?;
        }
        index_for_search(&tx, &ids, false)
            .map_err(|e| StoreError::sql(&path, "cannot index the batch for search", e))?;
        count_for_people(&tx, &ids, true)
            .and_then(|_| {
                if settle {
                    summarise(&tx, &ids, true)?;
                    refresh_summaries(&tx, &touched)?;
                    settle_standing(&tx, &ids)?;
                }
                Ok(())
            })
            .map_err(|e| StoreError::sql(&path, "cannot update the people's counts", e))?;
        tx.commit()
            .map_err(|e| StoreError::sql(&path, "cannot commit the batch", e))
    }

    /// Counts every person's held meetings and quotes again from the rows (migration V6's
    /// `person_counts`, by V8's `person_contributions`) and settles their country and office:
    /// `reparse` ends with it, which mends counts another client left wrong.
    pub fn recount_people(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sql(&self.path, "cannot start a transaction", e))?;
        recount_people(&tx)
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sql(&self.path, "cannot count the people again", e))
    }

    /// Deletes people no article mentions any more (after a reparse renamed or dropped them).
    pub fn remove_orphan_participants(&mut self) -> Result<u64> {
        self.conn
            .execute(
                "DELETE FROM participants
                  WHERE NOT EXISTS (SELECT 1 FROM article_participants ap WHERE ap.participant_id = participants.id)",
                [],
            )
            .map(|n| n as u64)
            .map_err(|e| StoreError::sql(&self.path, "cannot remove orphan participants", e))
    }

    /// How many articles there are, and how many were parsed by an older parser.
    pub fn parser_versions(&self) -> Result<(i64, i64)> {
        self.conn
            .query_row(
                "SELECT count(*), count(*) FILTER (WHERE parser_version < ?1) FROM articles",
                [PARSER_VERSION],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| StoreError::sql(&self.path, "cannot count articles", e))
    }
}

/// Article ids as one SQL parameter: `?1` is a JSON array, unpacked by `json_each` (built into SQLite).
const ID_LIST: &str = "(SELECT value FROM json_each(?1))";

fn id_list(ids: &[i64]) -> String {
    serde_json::to_string(ids).expect("a list of integers always serialises")
}

/// Adds the given articles' quotes (and, for new articles, their title and text) to the full-text
/// indexes of migration V3, one statement each for the whole batch: FTS5 writes its pending terms to
/// a new segment at every savepoint, so rows indexed one by one (V3's triggers, dropped in V5) each
/// became a segment of their own, merged again and again. Runs inside the batch's transaction, so the
/// index never disagrees with the rows it covers.
fn index_for_search(conn: &Connection, ids: &str, new_articles: bool) -> rusqlite::Result<()> {
    if new_articles {
        conn.prepare_cached(&format!(
            "INSERT INTO articles_fts (rowid, title, text)
             SELECT id, title, text FROM articles WHERE id IN {ID_LIST}"
        ))?
        .execute([ids])?;
    }
    conn.prepare_cached(&format!(
        "INSERT INTO quotes_fts (rowid, text, speaker)
         SELECT id, text, speaker FROM quotes WHERE article_id IN {ID_LIST}"
    ))?
    .execute([ids])?;
    Ok(())
}

fn insert_article(
    conn: &Connection,
    item: &ImportedArticle,
    writing: &Writing,
) -> rusqlite::Result<StoreOutcome> {
    let article = &item.parsed.article;
    let hash = item.content_hash();
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM articles WHERE content_hash = ?1")?
        .query_row([&hash], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return update_metadata(conn, id, item, writing);
    }
    conn.prepare_cached(
        "INSERT INTO articles (content_hash, text, raw, raw_format, title, published, published_from, source, url,
                               path, dateline_place, parser_version, imported_at, parsed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        hash,
        article.text,
        item.raw,
        item.raw_format,
        article.title,
        date_text(article.published),
        article.published_from,
        article.source,
        article.url,
        item.path,
        article.dateline_place,
        PARSER_VERSION,
        writing.stamp,
    ])?;
    let id = conn.last_insert_rowid();
    insert_derived(conn, id, &item.parsed, writing)?;
    Ok(StoreOutcome::Inserted(id))
}

/// A stored text imported again: new metadata given with it replaces the stored metadata. A new
/// publication date given on import also replaces the article's derived rows with `item`'s parse,
/// which read its relative dates ("on Tuesday") from that date, and their counts and indexes follow.
fn update_metadata(
    conn: &Connection,
    id: i64,
    item: &ImportedArticle,
    writing: &Writing,
) -> rusqlite::Result<StoreOutcome> {
    let article = &item.parsed.article;
    let (published, source, url): (Option<String>, Option<String>, Option<String>) = conn
        .prepare_cached("SELECT published, source, url FROM articles WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let given_date = (article.published_from.as_deref() == Some("given"))
        .then(|| date_text(article.published))
        .flatten();
    let new_date = given_date.is_some() && given_date != published;
    let new_source = article.source.is_some() && article.source != source;
    let new_url = article.url.is_some() && article.url != url;
    if !(new_date || new_source || new_url) {
        return Ok(StoreOutcome::Unchanged(id));
    }
    conn.prepare_cached(
        "UPDATE articles SET source = COALESCE(?2, source), url = COALESCE(?3, url) WHERE id = ?1",
    )?
    .execute(params![id, article.source, article.url])?;
    if new_date {
        let ids = id_list(&[id]);
        let touched = people_of(conn, &ids)?;
        count_for_people(conn, &ids, false)?;
        summarise(conn, &ids, false)?;
        for table in [
            "quotes",
            "meetings",
            "parse_issues",
            "article_categories",
            "article_participants",
        ] {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?1"))?
                .execute([id])?;
        }
        replace_article(conn, id, &item.parsed, writing)?;
        index_for_search(conn, &ids, false)?;
        count_for_people(conn, &ids, true)?;
        summarise(conn, &ids, true)?;
        refresh_summaries(conn, &touched)?;
        settle_standing(conn, &ids)?;
    }
    Ok(StoreOutcome::Updated(id))
}

fn replace_article(
    conn: &Connection,
    article_id: i64,
    parsed: &Parsed,
    writing: &Writing,
) -> rusqlite::Result<()> {
    // The article's old rows went with the rest of the batch's (`replace_derived`).
    let article = &parsed.article;
    // The title on its own, and only when it changes: an UPDATE that names `title` fires the
    // full-text trigger, which takes the whole article out of the index and puts it back.
    conn.prepare_cached(
        "UPDATE articles SET title = ?2 WHERE id = ?1 AND ?2 IS NOT NULL AND title IS NOT ?2",
    )?
    .execute(params![article_id, article.title])?;
    conn.prepare_cached(
        "UPDATE articles SET published = ?2, published_from = ?3,
                dateline_place = ?4, parser_version = ?5, parsed_at = ?6
          WHERE id = ?1",
    )?
    .execute(params![
        article_id,
        date_text(article.published),
        article.published_from,
        article.dateline_place,
        PARSER_VERSION,
        writing.stamp,
    ])?;
    insert_derived(conn, article_id, parsed, writing)
}

/// Inserts everything the parser extracted from one article, linking people across the archive.
fn insert_derived(
    conn: &Connection,
    article_id: i64,
    parsed: &Parsed,
    writing: &Writing,
) -> rusqlite::Result<()> {
    let mut category_stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO article_categories (article_id, position, category) VALUES (?1, ?2, ?3)",
    )?;
    for (position, category) in parsed.article.categories.iter().enumerate() {
        category_stmt.execute(params![article_id, position as i64, category])?;
    }

    let mut mention_ids: HashMap<&str, i64> = HashMap::with_capacity(parsed.participants.len());
    let people = (parsed.participants.iter().map(|p| (p, "participant")))
        .chain(parsed.prospective.iter().map(|p| (p, "prospective")));
    for (person, role) in people {
        if person.name.trim().is_empty() || mention_ids.contains_key(person.name.as_str()) {
            continue;
        }
        let resolved = super::people::resolve(
            conn,
            writing.curated,
            writing.known_people.as_ref(),
            article_id,
            person,
            &writing.stamp,
        )?;
        conn.prepare_cached(
            "INSERT INTO article_participants (article_id, participant_id, name, title, country, span_start, span_end,
                                               match_rule, match_note, role, rule)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            article_id,
            resolved.participant_id,
            resolved.name,
            resolved.title,
            resolved.country,
            person.span.start as i64,
            person.span.end as i64,
            resolved.rule,
            resolved.note,
            role,
            person.rule,
        ])?;
        mention_ids.insert(person.name.as_str(), conn.last_insert_rowid());
    }

    let mut meeting_stmt = conn.prepare_cached(
        "INSERT INTO meetings (article_id, place, date, date_text, date_anchor, mode, status, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut attendee_stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO meeting_participants (meeting_id, article_participant_id) VALUES (?1, ?2)",
    )?;
    for meeting in &parsed.meetings {
        meeting_stmt.execute(params![
            article_id,
            meeting.place,
            date_text(meeting.date),
            meeting.date_text,
            date_text(meeting.date_anchor),
            meeting.mode.as_str(),
            meeting.status.as_str(),
            meeting.span.start as i64,
            meeting.span.end as i64,
            meeting.rule,
        ])?;
        let meeting_id = conn.last_insert_rowid();
        for name in &meeting.participants {
            if let Some(mention) = mention_ids.get(name.as_str()) {
                attendee_stmt.execute(params![meeting_id, mention])?;
            }
        }
    }

    let mut quote_stmt = conn.prepare_cached(
        "INSERT INTO quotes (article_id, kind, text, speaker, article_participant_id, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for quote in &parsed.quotes {
        let mention = quote.speaker.as_deref().and_then(|s| mention_ids.get(s));
        quote_stmt.execute(params![
            article_id,
            quote.kind.as_str(),
            quote.text,
            quote.speaker,
            mention,
            quote.span.start as i64,
            quote.span.end as i64,
            quote.rule,
        ])?;
    }

    let mut issue_stmt = conn.prepare_cached(
        "INSERT INTO parse_issues (article_id, rule, message, span_start, span_end) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for issue in &parsed.issues {
        issue_stmt.execute(params![
            article_id,
            issue.rule,
            issue.message,
            issue.span.map(|s| s.start as i64),
            issue.span.map(|s| s.end as i64),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, title: Option<&str>) -> Parsed {
        let mut parsed = crate::parse::parse(text, &ArticleMeta::default());
        parsed.article.title = title.map(str::to_string);
        parsed
    }

    fn stored(title: Option<&str>) -> Result<(tempfile::TempDir, Archive, i64)> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let item = ImportedArticle {
            parsed: parsed("Talks in Lima on Monday.", title),
            raw: None,
            raw_format: "text",
            path: None,
        };
        let Ok(StoreOutcome::Inserted(id)) = archive.store_batch(&[item])?.remove(0) else {
            panic!("not inserted")
        };
        Ok((dir, archive, id))
    }

    fn title_hits(archive: &Archive, word: &str) -> i64 {
        archive
            .conn
            .query_row(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'title:' || ?1",
                [word],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// What the full-text index of articles holds on disk: it changes whenever an article is
    /// taken out of the index and put back.
    fn text_index_pages(archive: &Archive) -> (i64, i64) {
        archive
            .conn
            .query_row(
                "SELECT count(*), total(length(block)) FROM articles_fts_data",
                [],
                |r| Ok((r.get(0)?, r.get::<_, f64>(1)? as i64)),
            )
            .unwrap()
    }

    fn quote_hits(archive: &Archive, word: &str) -> i64 {
        archive
            .conn
            .query_row(
                "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?1",
                [word],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn article(text: &str) -> ImportedArticle {
        ImportedArticle {
            parsed: parsed(text, None),
            raw: None,
            raw_format: "text",
            path: None,
        }
    }

    #[test]
    fn batches_are_indexed_for_search_once_and_in_step_with_their_rows() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let first = [
            article("\"We agreed on the ferry,\" Ona Vell said on Monday."),
            article("\"The border stays open,\" Ona Vell said on Tuesday."),
        ];
        archive.store_batch(&first)?;
        // The same articles again (unchanged, not indexed twice) with a new one.
        let mut second = first.to_vec();
        second.push(article(
            "\"Ferry talks resume next week in the old port,\" Ilo Brandt said on Friday.",
        ));
        let outcomes = archive.store_batch(&second)?;
        assert!(matches!(outcomes[0], Ok(StoreOutcome::Unchanged(_))));
        assert_eq!(
            (
                quote_hits(&archive, "ferry"),
                quote_hits(&archive, "border")
            ),
            (2, 1)
        );

        // Reparsing takes the old quotes out of the index and puts the new ones in.
        let reparsed: Vec<(i64, Parsed)> = archive
            .articles_to_reparse(0, 10, usize::MAX, false)?
            .into_iter()
            .map(|a| (a.id, parsed(&a.text.replace("ferry", "bridge"), None)))
            .collect();
        archive.replace_derived(&reparsed)?;
        assert_eq!(
            (
                quote_hits(&archive, "ferry"),
                quote_hits(&archive, "bridge")
            ),
            (1, 1)
        );
        let report = archive.check()?;
        assert!(report.is_healthy(), "{report:?}");
        Ok(())
    }

    #[test]
    fn an_article_that_fails_is_left_out_and_the_rest_of_its_batch_is_stored() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let mut broken = article("\"The talks went well overall,\" Ona Vell said on Monday.");
        // A span that ends before it starts breaks a CHECK constraint, after the article's row
        // and its first rows are written.
        let quote = broken.parsed.quotes.last_mut().expect("a quote");
        quote.span.end = 0;
        quote.span.start = 5;
        let batch = [
            article("\"The border stays open for now,\" Ona Vell said on Tuesday."),
            broken,
            article("\"Ferry talks resume next week,\" Ilo Brandt said on Friday."),
        ];
        let outcomes = archive.store_batch(&batch)?;
        assert!(matches!(outcomes[0], Ok(StoreOutcome::Inserted(_))));
        assert!(outcomes[1].is_err());
        assert!(matches!(outcomes[2], Ok(StoreOutcome::Inserted(_))));
        let (articles, people): (i64, i64) = archive
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_participants)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((articles, people), (2, 2));
        assert_eq!(
            (
                quote_hits(&archive, "border"),
                quote_hits(&archive, "talks")
            ),
            (1, 1)
        );
        let report = archive.check()?;
        assert!(report.is_healthy(), "{report:?}");
        Ok(())
    }

    /// The rows of a query of (name, number, number).
    fn triples(archive: &Archive, sql: &str) -> Vec<(String, i64, i64)> {
        let mut stmt = archive.conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// (name, held meetings, quotes) from person_counts, by name.
    fn counts(archive: &Archive) -> Vec<(String, i64, i64)> {
        triples(
            archive,
            "SELECT p.name, c.held_meetings, c.quotes FROM person_counts c
               JOIN participants p ON p.id = c.participant_id ORDER BY p.name",
        )
    }

    const TALKS: &str = "Foreign Minister Ona Vell of Chile met Prime Minister Ilo Brandt of Peru in \
                         Lima on Monday.\n\n\"We agreed on the ferry routes for next year,\" Vell said.\n";

    #[test]
    fn people_counts_follow_imports_and_reparses() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let second = TALKS.replace("Monday", "Friday");
        archive.store_batch(&[article(TALKS), article(&second)])?;
        let expected = |vell_quotes| {
            vec![
                ("Ilo Brandt".to_string(), 2, 0),
                ("Ona Vell".to_string(), 2, vell_quotes),
            ]
        };
        assert_eq!(counts(&archive), expected(2));

        // The second article, reparsed without its quote, takes one quote away and nothing else.
        let reparsed: Vec<(i64, Parsed)> = archive
            .articles_to_reparse(0, 10, usize::MAX, false)?
            .into_iter()
            .map(|a| {
                let text = if a.text.contains("Friday") {
                    a.text.split("\n\n").next().unwrap().to_string()
                } else {
                    a.text
                };
                (a.id, parsed(&text, None))
            })
            .collect();
        archive.replace_derived(&reparsed)?;
        assert_eq!(counts(&archive), expected(1));
        assert!(archive.check()?.is_healthy());
        Ok(())
    }

    /// (name, mentions, counterparts) from person_summaries, by name.
    fn summaries(archive: &Archive) -> Vec<(String, i64, i64)> {
        triples(
            archive,
            "SELECT p.name, s.articles, s.counterparts FROM person_summaries s
               JOIN participants p ON p.id = s.participant_id ORDER BY p.name",
        )
    }

    #[test]
    fn summaries_follow_imports_and_reparses_and_check_reports_one_out_of_step() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let second = TALKS.replace("Monday", "Friday");
        archive.store_batch(&[article(TALKS), article(&second)])?;
        let row = |name: &str, mentions, counterparts| (name.to_string(), mentions, counterparts);
        assert_eq!(
            summaries(&archive),
            vec![row("Ilo Brandt", 2, 1), row("Ona Vell", 2, 1)]
        );

        // Both articles reparsed without the meeting: Brandt is mentioned nowhere, Vell met nobody.
        let reparsed: Vec<(i64, Parsed)> = archive
            .articles_to_reparse(0, 10, usize::MAX, false)?
            .into_iter()
            .map(|a| {
                let mut parse = parsed(&a.text, None);
                parse.meetings.clear();
                parse.prospective.clear();
                parse.participants.retain(|p| p.name.contains("Vell"));
                (a.id, parse)
            })
            .collect();
        archive.replace_derived(&reparsed)?;
        archive.remove_orphan_participants()?;
        assert_eq!(summaries(&archive), vec![row("Ona Vell", 2, 0)]);
        assert!(archive.check()?.is_healthy(), "{:?}", archive.check()?);

        archive
            .conn
            .execute("UPDATE person_summaries SET counterparts = 3", [])
            .unwrap();
        let report = archive.check()?;
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.message.contains("3 counterparts in person_summaries")),
            "{report:?}"
        );
        archive.recount_people()?;
        assert!(archive.check()?.is_healthy());
        Ok(())
    }

    #[test]
    fn a_planned_meeting_keeps_its_people_apart_from_the_participants() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        archive.store_batch(&[article(
            "Foreign Minister Ona Vell of Chile will travel to Lima next week to meet Prime Minister \
             Ilo Brandt of Peru.\n\n\"We hope to agree on the ferry routes,\" Vell said.\n",
        )])?;
        let mut stmt = archive
            .conn
            .prepare(
                "SELECT m.status, ap.name, ap.role FROM meetings m
                   JOIN meeting_participants mp ON mp.meeting_id = m.id
                   JOIN article_participants ap ON ap.id = mp.article_participant_id ORDER BY ap.name",
            )
            .unwrap();
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let row =
            |name: &str, role: &str| ("planned".to_string(), name.to_string(), role.to_string());
        assert_eq!(
            rows,
            vec![
                row("Ilo Brandt", "prospective"),
                row("Ona Vell", "participant")
            ]
        );
        // A planned meeting counts for nobody; the quote counts for its speaker.
        assert_eq!(counts(&archive), vec![("Ona Vell".to_string(), 0, 1)]);
        Ok(())
    }

    #[test]
    fn counts_out_of_step_are_reported_and_counted_again() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        archive.store_batch(&[article(TALKS)])?;
        archive
            .conn
            .execute("UPDATE person_counts SET quotes = 7", [])
            .unwrap();
        let report = archive.check()?;
        assert_eq!(
            report.count(crate::store::CheckKind::Counts),
            2,
            "{report:?}"
        );
        assert!(report.findings.iter().any(|f| f.message.contains(
            "(Ona Vell) has 1 held meetings and 7 quotes in person_counts, the rows say 1 and 1"
        )));
        archive.recount_people()?;
        assert!(archive.check()?.is_healthy());
        Ok(())
    }

    #[test]
    fn new_metadata_for_a_stored_text_updates_it_and_the_dates_that_follow() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let with = |published: &str, url: Option<&str>| {
            let meta = ArticleMeta {
                published: NaiveDate::parse_from_str(published, "%Y-%m-%d").ok(),
                url: url.map(String::from),
                ..ArticleMeta::default()
            };
            ImportedArticle {
                parsed: crate::parse::parse(TALKS, &meta),
                raw: None,
                raw_format: "text",
                path: None,
            }
        };
        let first = archive
            .store_batch(&[with("2006-11-27", None)])?
            .remove(0)?;
        let StoreOutcome::Inserted(id) = first else {
            panic!("{first:?}")
        };
        let same = archive
            .store_batch(&[with("2006-11-27", None)])?
            .remove(0)?;
        assert_eq!(same, StoreOutcome::Unchanged(id));
        let again = archive
            .store_batch(&[with("2006-12-04", Some("https://example.org/talks"))])?
            .remove(0)?;
        assert_eq!(again, StoreOutcome::Updated(id));
        let (published, url, day): (String, String, String) = archive
            .conn
            .query_row(
                "SELECT a.published, a.url, s.day FROM articles a JOIN meeting_summaries s ON s.article_id = a.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (published.as_str(), url.as_str()),
            ("2006-12-04", "https://example.org/talks")
        );
        assert!(
            day.as_str() <= "2006-12-04" && day.as_str() > "2006-11-27",
            "{day}"
        );
        assert!(archive.check()?.is_healthy());
        Ok(())
    }

    #[test]
    fn reparsing_with_a_new_title_updates_it_and_its_search_index() -> Result<()> {
        let (_dir, mut archive, id) = stored(Some("Old talks"))?;
        archive
            .replace_derived(&[(id, parsed("Talks in Lima on Monday.", Some("Fresh talks")))])?;
        let title: String = archive
            .conn
            .query_row("SELECT title FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(title, "Fresh talks");
        assert_eq!(
            (title_hits(&archive, "fresh"), title_hits(&archive, "old")),
            (1, 0)
        );
        Ok(())
    }

    #[test]
    fn reparsing_without_a_title_keeps_the_stored_one() -> Result<()> {
        let (_dir, mut archive, id) = stored(Some("Old talks"))?;
        archive.replace_derived(&[(id, parsed("Talks in Lima on Monday.", None))])?;
        let title: String = archive
            .conn
            .query_row("SELECT title FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(title, "Old talks");
        assert_eq!(title_hits(&archive, "old"), 1);
        Ok(())
    }

    #[test]
    fn reparsing_with_the_same_title_leaves_the_text_index_alone() -> Result<()> {
        let (_dir, mut archive, id) = stored(Some("Old talks"))?;
        let before = text_index_pages(&archive);
        archive.replace_derived(&[(id, parsed("Talks in Lima on Monday.", Some("Old talks")))])?;
        assert_eq!(text_index_pages(&archive), before);
        Ok(())
    }
}
