//! `parley check`'s library half: audits an archive without changing it. SQLite's own
//! `integrity_check` (which also verifies any FTS5 index, SQLite ≥ 3.44) and `foreign_key_check`, then
//! what SQLite cannot know: people no article mentions, links between one article's meeting or quote
//! and another article's people, spans that do not index the stored text on character boundaries,
//! and articles whose rows an older (or newer) parser produced. The file's schema objects are compared,
//! by name and SQL, with what the embedded migrations define (run on an in-memory database), and every
//! derived value with its recomputation: content hashes, one row per text, mentions that say what
//! their span covers, prospective people of held meetings, and the journal mode at rest.
//!
//! It only reads. The one exception is FTS5's content comparison, which SQLite runs only inside a
//! write transaction (rolled back, nothing written): it takes the write lock for its length, and
//! while another process writes, `check` stops with "busy, run it again" instead of reporting the
//! lock as problems.

use std::path::Path;

use rusqlite::ffi::ErrorCode;
use rusqlite::{Connection, OpenFlags};

use std::collections::HashMap;

use super::{Archive, Result, StoreError};
use crate::parse::PARSER_VERSION;

/// How many findings of one kind are listed before the rest are only counted.
const LISTED_PER_CHECK: usize = 20;

/// The kinds of problem `check` looks for, in the order it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckKind {
    /// `PRAGMA integrity_check`: the file's b-trees, indexes, constraints and FTS indexes.
    Integrity,
    /// `PRAGMA foreign_key_check`: rows that point at rows that do not exist.
    ForeignKey,
    /// Rows that nothing refers to, or that refer across articles.
    Orphan,
    /// A span outside its article's text or not on a character boundary.
    Span,
    /// An article whose rows came from another parser version than this parley's.
    ParserVersion,
    /// A person's held-meeting or quote count (migration V6) that disagrees with the rows.
    Counts,
    /// A table, index, view or trigger missing from the file or defined otherwise than the migrations say.
    Schema,
    /// A stored value that disagrees with its recomputation from the rows (a content hash, a
    /// duplicate text, a mention, a role), or a file left in WAL mode at rest.
    Derived,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Integrity => "integrity",
            CheckKind::ForeignKey => "foreign-key",
            CheckKind::Orphan => "orphan",
            CheckKind::Span => "span",
            CheckKind::ParserVersion => "parser-version",
            CheckKind::Counts => "counts",
            CheckKind::Schema => "schema",
            CheckKind::Derived => "derived",
        }
    }
}

/// One problem found, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: CheckKind,
    pub message: String,
}

/// What `check` found. An archive is healthy when `findings` is empty and nothing was left unlisted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub articles: i64,
    pub findings: Vec<Finding>,
    /// Findings counted but not listed, per kind (only the first [`LISTED_PER_CHECK`] are listed).
    pub unlisted: Vec<(CheckKind, u64)>,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.findings.is_empty() && self.unlisted.iter().all(|(_, n)| *n == 0)
    }

    /// How many problems of this kind were found, listed or not.
    pub fn count(&self, kind: CheckKind) -> u64 {
        let listed = self.findings.iter().filter(|f| f.kind == kind).count() as u64;
        listed
            + self
                .unlisted
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, n)| n)
                .sum::<u64>()
    }

    fn add(&mut self, kind: CheckKind, messages: Vec<String>) {
        let total = messages.len();
        self.findings.extend(
            messages
                .into_iter()
                .take(LISTED_PER_CHECK)
                .map(|message| Finding { kind, message }),
        );
        if total > LISTED_PER_CHECK {
            self.unlisted
                .push((kind, (total - LISTED_PER_CHECK) as u64));
        }
    }
}

/// Rows of another article's people: a meeting or quote must only link to its own article's mentions.
const CROSS_ARTICLE_LINKS: &str = "
    SELECT 'meeting ' || m.id || ' of article ' || m.article_id || ' lists person mention ' || ap.id
           || ' (' || ap.name || ') of article ' || ap.article_id
      FROM meeting_participants mp
      JOIN meetings m ON m.id = mp.meeting_id
      JOIN article_participants ap ON ap.id = mp.article_participant_id
     WHERE ap.article_id <> m.article_id
    UNION ALL
    SELECT 'quote ' || q.id || ' of article ' || q.article_id || ' is attributed to person mention ' || ap.id
           || ' (' || ap.name || ') of article ' || ap.article_id
      FROM quotes q
      JOIN article_participants ap ON ap.id = q.article_participant_id
     WHERE ap.article_id <> q.article_id";

/// People that no article mentions any more.
const UNMENTIONED_PEOPLE: &str = "
    SELECT 'person ' || p.id || ' (' || p.name || ') is mentioned by no article'
      FROM participants p
     WHERE NOT EXISTS (SELECT 1 FROM article_participants ap WHERE ap.participant_id = p.id)
     ORDER BY p.id";

/// Every span of every table, with its article's text as bytes; checked in Rust for range and
/// character boundaries (a UTF-8 continuation byte is 0b10xx_xxxx).
const SPANS: [(&str, &str); 4] = [
    ("person mention", "article_participants"),
    ("meeting", "meetings"),
    ("quote", "quotes"),
    ("parse issue", "parse_issues"),
];

impl Archive {
    /// Audits the archive and reports every problem found. Reads only.
    pub fn check(&self) -> Result<CheckReport> {
        let conn = &self.conn;
        let err = |context: &'static str| move |e| StoreError::sql(&self.path, context, e);
        let mut report = CheckReport {
            articles: conn
                .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
                .map_err(err("cannot count articles"))?,
            ..CheckReport::default()
        };

        let integrity: Vec<String> =
            strings(conn, "PRAGMA integrity_check").map_err(err("cannot run integrity_check"))?;
        report.add(
            CheckKind::Integrity,
            integrity.into_iter().filter(|line| line != "ok").collect(),
        );

        let full_text = full_text_problems(conn, &self.path)
            .map_err(err("cannot verify the full-text indexes"))?;
        report.add(CheckKind::Integrity, full_text);

        let foreign = foreign_key_violations(conn).map_err(err("cannot run foreign_key_check"))?;
        report.add(CheckKind::ForeignKey, foreign);

        let mut orphans =
            strings(conn, UNMENTIONED_PEOPLE).map_err(err("cannot look for orphan rows"))?;
        orphans.extend(
            strings(conn, CROSS_ARTICLE_LINKS).map_err(err("cannot look for orphan rows"))?,
        );
        report.add(CheckKind::Orphan, orphans);

        let spans = bad_spans(conn).map_err(err("cannot read the spans"))?;
        report.add(CheckKind::Span, spans);

        let stale = other_parser_versions(conn, PARSER_VERSION)
            .map_err(err("cannot read parser versions"))?;
        report.add(CheckKind::ParserVersion, stale);

        let counts = strings(
            conn,
            &format!(
                "WITH counted AS ({}) {WRONG_COUNTS}",
                super::counts::PERSON_COUNTS
            ),
        )
        .map_err(err("cannot compare the people's counts"))?;
        report.add(CheckKind::Counts, counts);
        let mut summaries = strings(
            conn,
            &format!(
                "WITH summed AS ({}) {WRONG_SUMMARIES}",
                super::counts::PERSON_SUMMARIES
            ),
        )
        .map_err(err("cannot compare the people's summaries"))?;
        summaries.extend(
            strings(
                conn,
                &format!(
                    "WITH paired AS ({}) {WRONG_COUNTERPARTS}",
                    super::counts::PERSON_COUNTERPARTS
                ),
            )
            .map_err(err("cannot compare the people's counterparts"))?,
        );
        report.add(CheckKind::Counts, summaries);

        let schema = schema_differences(conn).map_err(err("cannot compare the schema"))?;
        report.add(CheckKind::Schema, schema);

        let mut derived =
            text_problems(conn).map_err(err("cannot recompute the content hashes"))?;
        derived.extend(strings(conn, MISQUOTED_MENTIONS).map_err(err("cannot read the mentions"))?);
        derived.extend(
            strings(conn, PROSPECTIVE_IN_HELD_MEETINGS).map_err(err("cannot read the roles"))?,
        );
        derived.extend(wal_at_rest(&self.path)?);
        report.add(CheckKind::Derived, derived);
        let standing = standing_out_of_step(conn)
            .map_err(err("cannot compare the people's countries and offices"))?;
        report.add(CheckKind::Counts, standing);
        Ok(report)
    }
}

/// The schema objects (type, name, SQL) the embedded migrations define, by running them on an
/// in-memory database: the one definition of what an archive must hold.
fn expected_schema() -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut conn = Connection::open_in_memory()?;
    super::migrations::runner()
        .set_grouped(true)
        .run(&mut conn)
        .map_err(|e| {
            rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(format!(
                "the embedded migrations fail: {e}"
            ))))
        })?;
    schema_objects(&conn)
}

/// Every named schema object but SQLite's own (`sqlite_*`: automatic indexes, statistics) and
/// refinery's history table (whose SQL depends on the refinery that made it).
fn schema_objects(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema
          WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'refinery_schema_history'
          ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// Objects the migrations define that the file lacks or defines otherwise. Objects of the user's
/// own (an index added for a query, a table of notes) are not parley's concern and not reported.
fn schema_differences(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let found: HashMap<(String, String), Option<String>> = schema_objects(conn)?
        .into_iter()
        .map(|(kind, name, sql)| ((kind, name), sql))
        .collect();
    let mut problems = Vec::new();
    for (kind, name, sql) in expected_schema()? {
        match found.get(&(kind.clone(), name.clone())) {
            None => problems.push(format!(
                "{kind} {name} is missing (the migrations define it; it was dropped outside parley)"
            )),
            Some(actual) if actual != &sql => problems.push(format!(
                "{kind} {name} is defined otherwise than the migrations say (it was changed outside parley)"
            )),
            Some(_) => {}
        }
    }
    Ok(problems)
}

/// Articles whose `content_hash` is not the hash of their text (a re-import of the same text would
/// then store it twice), and texts stored more than once.
fn text_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut first_with: HashMap<String, i64> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, content_hash, text FROM articles ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let stored: String = row.get(1)?;
        let hash = super::content_hash(row.get_ref(2)?.as_str()?);
        if hash != stored {
            problems.push(format!(
                "article {id}: content_hash {stored} is not the hash of its text ({hash})"
            ));
        }
        if let Some(first) = first_with.get(&hash) {
            problems.push(format!(
                "article {id} has the same text as article {first} (a text is stored once)"
            ));
        } else {
            first_with.insert(hash, id);
        }
    }
    Ok(problems)
}

/// Person mentions whose span no longer covers the last word of their name: the text was changed
/// under the spans (a span that runs past the text or cuts a character is a span finding).
const MISQUOTED_MENTIONS: &str = "
    SELECT 'person mention ' || ap.id || ' (' || ap.name || ') of article ' || a.id || ': its span '
           || ap.span_start || '..' || ap.span_end || ' covers \"'
           || CAST(substr(CAST(a.text AS BLOB), ap.span_start + 1, ap.span_end - ap.span_start) AS TEXT)
           || '\", not the name (the text was changed under the spans)'
      FROM article_participants ap JOIN articles a ON a.id = ap.article_id
     WHERE ap.span_start IS NOT NULL AND ap.span_end IS NOT NULL
       AND ap.span_end <= length(CAST(a.text AS BLOB)) AND ap.span_start >= 0
       AND instr(CAST(substr(CAST(a.text AS BLOB), ap.span_start + 1, ap.span_end - ap.span_start) AS TEXT),
                 replace(ap.name, rtrim(ap.name, replace(ap.name, ' ', '')), '')) = 0
     ORDER BY ap.id";

/// A prospective person (someone named for a planned or cancelled meeting) linked to a held meeting
/// of the same article: the parser makes them a participant.
const PROSPECTIVE_IN_HELD_MEETINGS: &str = "
    SELECT DISTINCT 'person mention ' || ap.id || ' (' || ap.name || ') of article ' || ap.article_id
           || ' is prospective but attends held meeting ' || m.id || ' (`parley reparse` sets it again)'
      FROM article_participants ap
      JOIN meeting_participants mp ON mp.article_participant_id = ap.id
      JOIN meetings m ON m.id = mp.meeting_id
     WHERE ap.role = 'prospective' AND m.status = 'held'
     ORDER BY ap.id";

/// parley keeps its archives in rollback-journal mode at rest; a file left in WAL mode needs its
/// `-wal` and `-shm` beside it wherever it is copied, and readers create them.
fn wal_at_rest(path: &Path) -> Result<Vec<String>> {
    // From the header (bytes 18 and 19 are 2 in WAL mode): a reader of such a file may be reading
    // it as an immutable file, whose connection reports another mode.
    let header = super::header_bytes(path)?;
    Ok(
        if header.len() >= 20 && header[18] == 2 && header[19] == 2 {
            vec![
            "the archive is in WAL mode at rest (parley keeps it in rollback-journal mode; the next `parley migrate` returns it there)".to_string(),
        ]
        } else {
            Vec::new()
        },
    )
}

/// People whose stored country or office (participants.country, participants.title) differs from
/// what their mentions say (migration V8's `person_standing`), which parley keeps them equal to.
fn standing_out_of_step(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    strings(
        conn,
        "SELECT 'person #' || p.id || ' (' || p.name || ') is stored as '
                || COALESCE(p.country, 'no country') || ', ' || COALESCE(p.title, 'no office')
                || '; the mentions say ' || COALESCE(s.country, 'no country') || ', ' || COALESCE(s.title, 'no office')
                || ' (`parley reparse` settles it)'
           FROM participants p JOIN person_standing s ON s.participant_id = p.id
          WHERE (s.country IS NOT NULL AND p.country IS NOT s.country)
             OR (s.title IS NOT NULL AND p.title IS NOT s.title)
          ORDER BY p.id",
    )
}

/// People whose stored counts (`person_counts`) differ from `counted`, what the rows say.
const WRONG_COUNTS: &str = "
SELECT 'person #' || p.id || ' (' || p.name || ') has ' || COALESCE(c.held_meetings, 0) || ' held meetings and '
       || COALESCE(c.quotes, 0) || ' quotes in person_counts, the rows say ' || COALESCE(r.held_meetings, 0)
       || ' and ' || COALESCE(r.quotes, 0) || ' (`parley reparse` counts again)'
  FROM person_counts c FULL JOIN counted r ON r.id = c.participant_id
  JOIN participants p ON p.id = COALESCE(c.participant_id, r.id)
 WHERE COALESCE(c.held_meetings, 0) <> COALESCE(r.held_meetings, 0)
    OR COALESCE(c.quotes, 0) <> COALESCE(r.quotes, 0)
 ORDER BY p.id";

/// People whose stored summary (`person_summaries`, migration V10) differs from `summed`, what the
/// rows say.
const WRONG_SUMMARIES: &str = "
SELECT 'person #' || p.id || ' (' || p.name || ') has ' || COALESCE(s.articles, 0) || ' mentions, first seen '
       || COALESCE(s.first_seen, '-') || ', last seen ' || COALESCE(s.last_seen, '-') || ', '
       || COALESCE(s.counterparts, 0) || ' counterparts in person_summaries, the rows say '
       || COALESCE(r.articles, 0) || ', ' || COALESCE(r.first_seen, '-') || ', ' || COALESCE(r.last_seen, '-')
       || ', ' || COALESCE(r.counterparts, 0) || ' (`parley reparse` counts again)'
  FROM person_summaries s FULL JOIN summed r ON r.id = s.participant_id
  JOIN participants p ON p.id = COALESCE(s.participant_id, r.id)
 WHERE COALESCE(s.articles, 0) <> COALESCE(r.articles, 0)
    OR s.first_seen IS NOT r.first_seen OR s.last_seen IS NOT r.last_seen
    OR COALESCE(s.counterparts, 0) <> COALESCE(r.counterparts, 0)
 ORDER BY p.id";

/// Pairs of people whose held meetings together (`person_counterparts`, migration V10) differ from
/// `paired`, what the rows say.
const WRONG_COUNTERPARTS: &str = "
SELECT 'person #' || COALESCE(c.participant_id, r.id) || ' met person #' || COALESCE(c.counterpart_id, r.other)
       || ' ' || COALESCE(c.meetings, 0) || ' times in person_counterparts, the rows say '
       || COALESCE(r.meetings, 0) || ' (`parley reparse` counts again)'
  FROM person_counterparts c FULL JOIN paired r ON r.id = c.participant_id AND r.other = c.counterpart_id
 WHERE COALESCE(c.meetings, 0) <> COALESCE(r.meetings, 0)
 ORDER BY 1";

/// Articles whose rows another parser version than `current` produced.
fn other_parser_versions(conn: &Connection, current: u32) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT 'article ' || id || COALESCE(' (' || path || ')', '') || ' was parsed by parser version '
                || parser_version || ', this parley has version ' || ?1
                || CASE WHEN parser_version < ?1 THEN ' (run `parley reparse --stale`)'
                        ELSE ' (it was written by a newer parley)' END
           FROM articles WHERE parser_version <> ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([current], |r| r.get(0))?;
    rows.collect()
}

fn strings(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?;
    rows.map(|row| row.map(Option::unwrap_or_default)).collect()
}

/// FTS5 tables whose index does not match their content: `integrity_check` verifies an FTS5 index's
/// own structure, and FTS5's `integrity-check` command with a rank of 1 also compares it with the
/// content table. The command is an `INSERT` that changes nothing, but SQLite opens a write
/// transaction for it: where the file is writable it runs on a second connection inside a
/// transaction that is rolled back, so the file is left as it was; a read-only file gets the
/// structural check only.
fn full_text_problems(conn: &Connection, path: &Path) -> rusqlite::Result<Vec<String>> {
    let tables = strings(
        conn,
        "SELECT name FROM sqlite_schema
          WHERE type = 'table' AND lower(sql) LIKE 'create virtual table%using fts5%' ORDER BY name",
    )?;
    let writable = std::fs::metadata(path).is_ok_and(|meta| !meta.permissions().readonly());
    if tables.is_empty() || !writable {
        return Ok(Vec::new());
    }
    let checker = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A short wait, then "busy": an import holds the write lock for as long as it runs.
    checker.busy_timeout(std::time::Duration::from_secs(2))?;
    checker.execute_batch("BEGIN")?;
    let mut found = Vec::new();
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let sql = format!("INSERT INTO {quoted} ({quoted}, rank) VALUES ('integrity-check', 1)");
        match checker.execute(&sql, []) {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt) => {
                found.push(format!("full-text index {table} does not match its table; rebuild it with INSERT INTO {table} ({table}) VALUES ('rebuild')"));
            }
            Err(e) if super::is_busy(&e) => {
                checker.execute_batch("ROLLBACK").ok();
                return Err(e);
            }
            Err(e) => found.push(format!("full-text index {table} cannot be verified: {e}")),
        }
    }
    checker.execute_batch("ROLLBACK")?;
    Ok(found)
}

fn foreign_key_violations(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(match rowid {
            Some(rowid) => format!("row {rowid} of {table} refers to a missing row of {parent}"),
            None => format!("a row of {table} refers to a missing row of {parent}"),
        })
    })?;
    rows.collect()
}

fn bad_spans(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut articles = conn.prepare("SELECT id, CAST(text AS BLOB) FROM articles ORDER BY id")?;
    let mut rows = articles.query([])?;
    while let Some(row) = rows.next()? {
        let article_id: i64 = row.get(0)?;
        let text: Vec<u8> = row.get(1)?;
        for (label, table) in SPANS {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, span_start, span_end FROM {table}
                  WHERE article_id = ?1 AND span_start IS NOT NULL ORDER BY id"
            ))?;
            let spans = stmt.query_map([article_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })?;
            for span in spans {
                let (id, start, end) = span?;
                if let Some(problem) = span_problem(&text, start, end.unwrap_or(start)) {
                    found.push(format!(
                        "{label} {id} of article {article_id}: span {start}..{} {problem}",
                        end.unwrap_or(start)
                    ));
                }
            }
        }
    }
    Ok(found)
}

/// Why `start..end` is not a valid character-boundary slice of `text`, if it is not.
fn span_problem(text: &[u8], start: i64, end: i64) -> Option<String> {
    let len = text.len() as i64;
    let boundary = |at: i64| at == len || (text[at as usize] & 0b1100_0000) != 0b1000_0000;
    if start < 0 || end < start {
        Some("is reversed or negative".to_string())
    } else if end > len {
        Some(format!("runs past the end of the text ({len} bytes)"))
    } else if !boundary(start) || !boundary(end) {
        Some("cuts a character in two".to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleMeta;
    use crate::store::ImportedArticle;

    fn archive_with(texts: &[&str]) -> Result<(tempfile::TempDir, Archive)> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        let batch: Vec<ImportedArticle> = texts
            .iter()
            .map(|text| ImportedArticle {
                parsed: crate::parse::parse(text, &ArticleMeta::default()),
                raw: None,
                raw_format: "text",
                path: None,
            })
            .collect();
        for outcome in archive.store_batch(&batch)? {
            outcome?;
        }
        Ok((dir, archive))
    }

    /// Adds a person with a mention in article `article_id`, returning the mention's id.
    fn add_mention(archive: &Archive, article_id: i64, name: &str) -> rusqlite::Result<i64> {
        archive.conn.execute(
            "INSERT INTO participants (name, name_key, created_at) VALUES (?1, lower(?1), '2026-01-01')",
            [name],
        )?;
        let person = archive.conn.last_insert_rowid();
        archive.conn.execute(
            "INSERT INTO article_participants (article_id, participant_id, name, span_start, span_end) VALUES (?1, ?2, ?3, 0, 4)",
            rusqlite::params![article_id, person, name],
        )?;
        Ok(archive.conn.last_insert_rowid())
    }

    #[test]
    fn a_freshly_imported_archive_is_healthy() -> Result<()> {
        let (_dir, archive) = archive_with(&[
            "Minister Ana Ruiz met envoy Li Wen in Lima.",
            "Another day, another article.",
        ])?;
        let report = archive.check()?;
        assert!(report.is_healthy(), "{report:?}");
        assert_eq!(report.articles, 2);
        Ok(())
    }

    #[test]
    fn a_person_no_article_mentions_is_an_orphan() -> Result<()> {
        let (_dir, archive) = archive_with(&["Some text."])?;
        archive.conn.execute("INSERT INTO participants (name, name_key, created_at) VALUES ('Nobody', 'nobody', 'x')", []).unwrap();
        let report = archive.check()?;
        assert_eq!(report.count(CheckKind::Orphan), 1, "{report:?}");
        assert!(
            report.findings[0]
                .message
                .contains("(Nobody) is mentioned by no article")
        );
        Ok(())
    }

    #[test]
    fn a_meeting_or_quote_linked_to_another_articles_person_is_an_orphan() -> Result<()> {
        let (_dir, archive) = archive_with(&["First article.", "Second article."])?;
        let theirs = add_mention(&archive, 2, "Ana Ruiz").unwrap();
        archive
            .conn
            .execute_batch(&format!(
                "INSERT INTO meetings (article_id, mode, status, span_start, span_end) VALUES (1, 'in_person', 'held', 0, 5);
                 INSERT INTO meeting_participants VALUES (last_insert_rowid(), {theirs});
                 INSERT INTO quotes (article_id, kind, text, article_participant_id, span_start, span_end)
                      VALUES (1, 'direct', 'First', {theirs}, 0, 5);"
            ))
            .unwrap();
        let report = archive.check()?;
        assert_eq!(report.count(CheckKind::Orphan), 2, "{report:?}");
        assert!(report.findings.iter().any(|f| {
            f.message
                .starts_with("meeting 1 of article 1 lists person mention")
        }));
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.message.starts_with("quote 1 of article 1 is attributed"))
        );
        Ok(())
    }

    #[test]
    fn spans_past_the_text_or_inside_a_character_are_found() -> Result<()> {
        let (_dir, archive) = archive_with(&["Café talks in Zürich."])?;
        archive
            .conn
            .execute_batch(
                "INSERT INTO meetings (article_id, mode, status, span_start, span_end) VALUES (1, 'in_person', 'held', 0, 500);
                 INSERT INTO quotes (article_id, kind, text, span_start, span_end) VALUES (1, 'direct', 'x', 0, 4);
                 INSERT INTO parse_issues (article_id, rule, message, span_start, span_end) VALUES (1, 'r', 'm', 0, 5);",
            )
            .unwrap();
        let report = archive.check()?;
        assert_eq!(report.count(CheckKind::Span), 2, "{report:?}");
        assert!(report.findings.iter().any(|f| {
            f.message
                .contains("meeting 1 of article 1: span 0..500 runs past the end")
        }));
        assert!(report.findings.iter().any(|f| {
            f.message
                .contains("quote 1 of article 1: span 0..4 cuts a character in two")
        }));
        Ok(())
    }

    #[test]
    fn a_dangling_foreign_key_is_found() -> Result<()> {
        let (_dir, archive) = archive_with(&["Some text."])?;
        archive
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO quotes (article_id, kind, text, span_start, span_end) VALUES (42, 'direct', 'x', 0, 1);
                 PRAGMA foreign_keys = ON;",
            )
            .unwrap();
        let report = archive.check()?;
        assert_eq!(report.count(CheckKind::ForeignKey), 1, "{report:?}");
        // The quote went in behind parley's back, so the full-text index of quotes misses it too.
        assert!(report.findings.iter().any(|f| {
            f.message
                .contains("row 1 of quotes refers to a missing row of articles")
        }));
        Ok(())
    }

    #[test]
    fn articles_from_another_parser_version_are_listed() -> Result<()> {
        let (_dir, archive) = archive_with(&["One.", "Two.", "Three."])?;
        archive
            .conn
            .execute_batch("UPDATE articles SET parser_version = id + 1")
            .unwrap();
        let messages = other_parser_versions(&archive.conn, 3).unwrap();
        assert_eq!(
            messages,
            [
                "article 1 was parsed by parser version 2, this parley has version 3 (run `parley reparse --stale`)",
                "article 3 was parsed by parser version 4, this parley has version 3 (it was written by a newer parley)",
            ]
        );
        Ok(())
    }

    #[test]
    fn the_current_parser_version_is_not_a_finding() -> Result<()> {
        let (_dir, archive) = archive_with(&["One."])?;
        assert_eq!(archive.check()?.count(CheckKind::ParserVersion), 0);
        archive
            .conn
            .execute(
                "UPDATE articles SET parser_version = ?1 + 1",
                [PARSER_VERSION],
            )
            .unwrap();
        assert_eq!(archive.check()?.count(CheckKind::ParserVersion), 1);
        Ok(())
    }

    #[test]
    fn a_row_that_breaks_a_check_constraint_fails_the_integrity_check() -> Result<()> {
        let (_dir, archive) = archive_with(&["One.", "Two."])?;
        archive
            .conn
            .execute_batch(
                "PRAGMA ignore_check_constraints = ON;
                 UPDATE articles SET raw_format = 'pdf' WHERE id = 2;
                 PRAGMA ignore_check_constraints = OFF;",
            )
            .unwrap();
        let report = archive.check()?;
        assert_eq!(report.count(CheckKind::Integrity), 1, "{report:?}");
        assert!(
            report.findings[0]
                .message
                .contains("CHECK constraint failed in articles"),
            "{report:?}"
        );
        Ok(())
    }

    #[test]
    fn a_full_text_index_out_of_step_with_its_table_fails_the_check() -> Result<()> {
        let (dir, archive) = archive_with(&["Talks in Lima.", "Talks in Oslo."])?;
        archive
            .conn
            .execute_batch(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
                 INSERT INTO notes (body) VALUES ('talks in Lima'), ('talks in Oslo');
                 CREATE VIRTUAL TABLE notes_fts USING fts5(body, content = 'notes', content_rowid = 'id');
                 INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');",
            )
            .unwrap();
        assert!(archive.check()?.is_healthy(), "{:?}", archive.check()?);
        // Changed behind the index's back (no trigger keeps notes_fts in step).
        archive
            .conn
            .execute("UPDATE notes SET body = 'nothing alike' WHERE id = 2", [])
            .unwrap();
        let path = dir.path().join("a.db");
        let before = std::fs::read(&path).unwrap();
        let report = Archive::open_read_only(&path)?.check()?;
        assert_eq!(report.count(CheckKind::Integrity), 1, "{report:?}");
        assert!(
            report.findings[0]
                .message
                .starts_with("full-text index notes_fts does not match its table"),
            "{report:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "checking changed the file"
        );
        Ok(())
    }

    #[test]
    fn many_findings_of_one_kind_are_listed_up_to_a_limit_and_counted() -> Result<()> {
        let (_dir, archive) = archive_with(&["Text."])?;
        for i in 0..(LISTED_PER_CHECK + 5) {
            archive
                .conn
                .execute(
                    "INSERT INTO participants (name, name_key, created_at) VALUES (?1, ?1, 'x')",
                    [format!("p{i}")],
                )
                .unwrap();
        }
        let report = archive.check()?;
        assert_eq!(report.findings.len(), LISTED_PER_CHECK);
        assert_eq!(
            report.count(CheckKind::Orphan),
            (LISTED_PER_CHECK + 5) as u64
        );
        assert!(!report.is_healthy());
        Ok(())
    }

    #[test]
    fn a_fresh_archive_has_exactly_the_schema_the_migrations_define() -> Result<()> {
        let (_dir, archive) = archive_with(&["One."])?;
        assert_eq!(
            schema_differences(&archive.conn).unwrap(),
            Vec::<String>::new()
        );
        archive
            .conn
            .execute_batch("DROP INDEX meetings_article; DROP TRIGGER IF EXISTS nothing_here;")
            .unwrap();
        assert_eq!(
            schema_differences(&archive.conn).unwrap(),
            [
                "index meetings_article is missing (the migrations define it; it was dropped outside parley)"
            ]
        );
        Ok(())
    }

    #[test]
    fn a_hash_that_is_not_the_texts_and_a_text_stored_twice_are_found() -> Result<()> {
        let (_dir, archive) = archive_with(&["One.", "Two."])?;
        assert_eq!(text_problems(&archive.conn).unwrap(), Vec::<String>::new());
        archive
            .conn
            .execute("UPDATE articles SET text = 'One.' WHERE id = 2", [])
            .unwrap();
        let problems = text_problems(&archive.conn).unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("article 2: content_hash "));
        assert_eq!(
            problems[1],
            "article 2 has the same text as article 1 (a text is stored once)"
        );
        Ok(())
    }

    #[test]
    fn span_problems_are_judged_on_bytes() {
        let text = "é!".as_bytes();
        assert_eq!(span_problem(text, 0, 3), None);
        assert_eq!(span_problem(text, 2, 3), None);
        assert_eq!(
            span_problem(text, 1, 3).as_deref(),
            Some("cuts a character in two")
        );
        assert_eq!(
            span_problem(text, 0, 4).as_deref(),
            Some("runs past the end of the text (3 bytes)")
        );
        assert_eq!(
            span_problem(text, 2, 1).as_deref(),
            Some("is reversed or negative")
        );
    }
}
