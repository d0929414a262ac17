//! Storage: the only module that writes SQL. Opens (and recognises) archives, applies the embedded
//! refinery migrations, and writes parsed articles a batch per transaction, so that an article is
//! stored whole or not at all (a batch in which one fails is written again with a savepoint per
//! article: see `write.rs`). Reads for `query` and `report` go through [`Archive::open_read_only`].

mod check;
mod counts;
pub mod identity;
mod people;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use thiserror::Error;

pub use crate::store::identity::name_key;
pub use check::{CheckKind, CheckReport, Finding};
pub use people::{
    AmbiguousMention, CurationRule, PEOPLE_LIST, PersonRecord, Registry, RuleAction, Suspect,
};
pub use write::{ImportedArticle, StoreOutcome, StoredArticle};

/// The schema migrations in `migrations/`, embedded at build time.
pub(crate) mod embedded {
    refinery::embed_migrations!("migrations");
}
pub(crate) use embedded::migrations;

/// `PRAGMA application_id` of a parley archive: "PRLY" in ASCII.
pub const APPLICATION_ID: i32 = 0x5052_4C59;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no archive at {0} (create one with `parley import FILE`)")]
    Missing(PathBuf),
    #[error("{} is a directory, not an archive file (name a file, e.g. --db {}/parley.db)", .0.display(), .0.display())]
    IsDirectory(PathBuf),
    #[error("{0}: no such folder {1} to create the archive in")]
    NoFolder(PathBuf, PathBuf),
    #[error("{0} is not a SQLite database")]
    NotSqlite(PathBuf),
    #[error("{0} is a SQLite database but not a parley archive; refusing to touch it")]
    Foreign(PathBuf),
    #[error(
        "{path} was written by a newer parley (schema version {found}, this parley knows up to {known}); upgrade parley"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} has schema version {found} but this parley needs {known}; run `parley migrate --db {path}`"
    )]
    Outdated {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{0} is read-only; parley cannot write to it")]
    ReadOnly(PathBuf),
    #[error("{0} is locked by another process; try again when it has finished")]
    Locked(PathBuf),
    #[error(
        "{0} holds a write that was cut short (its -journal file) and is read-only, so it cannot be rolled back; make it writable and run the command again"
    )]
    Interrupted(PathBuf),
    #[error(
        "{0}: writing failed (the disk is full, a file size limit was reached or the drive failed); the archive is left as it was before this write"
    )]
    WriteFailed(PathBuf),
    #[error("migrating {path} failed: {source}")]
    Migration {
        path: PathBuf,
        #[source]
        source: refinery::Error,
    },
    #[error("{0}")]
    Person(String),
    #[error("{context}: {source}")]
    Sql {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
}

impl StoreError {
    pub(crate) fn sql(path: &Path, context: &str, source: rusqlite::Error) -> StoreError {
        use rusqlite::ffi::ErrorCode;
        // SQLite says "disk I/O error" or "unable to open database file" for these: say the cause.
        if path.is_dir() {
            return StoreError::IsDirectory(path.to_owned());
        }
        if let Some(folder) = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
        {
            return StoreError::NoFolder(path.to_owned(), folder.to_owned());
        }
        if let rusqlite::Error::SqliteFailure(e, _) = &source {
            if e.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK {
                return StoreError::Interrupted(path.to_owned());
            }
            if e.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE {
                return StoreError::WriteFailed(path.to_owned());
            }
        }
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked(path.to_owned())
            }
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path.to_owned()),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path.to_owned()),
            Some(ErrorCode::DiskFull) => StoreError::WriteFailed(path.to_owned()),
            _ => StoreError::Sql {
                context: format!("{context} ({})", path.display()),
                source,
            },
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The latest schema version this build knows: the highest embedded migration.
pub fn latest_version() -> i64 {
    migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// What a file on disk is, judged before anything is written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Empty,
    Parley { version: i64 },
    Foreign,
}

/// One embedded migration and whether the archive has it.
#[derive(Debug, Clone)]
pub struct MigrationState {
    pub version: i64,
    pub name: String,
    pub applied_on: Option<String>,
}

/// An open parley archive.
pub struct Archive {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

impl Archive {
    /// Opens (creating if needed) an archive for writing and applies pending migrations.
    /// A foreign SQLite file, a non-SQLite file or a file from a newer parley is refused untouched.
    pub fn open(path: &Path) -> Result<Archive> {
        // Checked by hand: as root, SQLite would happily write to a file without write permission.
        if std::fs::metadata(path).is_ok_and(|meta| meta.permissions().readonly()) {
            return Err(StoreError::ReadOnly(path.to_owned()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::sql(path, "cannot open the archive", e))?;
        let mut archive = Archive {
            conn,
            path: path.to_owned(),
        };
        archive.configure()?;
        match archive.identify()? {
            FileKind::Foreign => return Err(StoreError::Foreign(path.to_owned())),
            FileKind::Parley { version } if version > latest_version() => {
                return Err(StoreError::Newer {
                    path: path.to_owned(),
                    found: version,
                    known: latest_version(),
                });
            }
            _ => {}
        }
        archive.migrate()?;
        Ok(archive)
    }

    /// Opens an existing, fully migrated archive without any possibility of writing to it.
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        /// How much of the file a read-only connection maps (address space, not memory).
        const READ_MAP_BYTES: i64 = 1 << 30;
        if !path.exists() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        recover_interrupted_write(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::sql(path, "cannot open the archive", e))?;
        let archive = Archive {
            conn,
            path: path.to_owned(),
        };
        archive.configure()?;
        archive
            .conn
            .pragma_update(None, "query_only", true)
            .map_err(|e| StoreError::sql(path, "cannot make the connection read-only", e))?;
        // Read pages straight from a mapping of the file instead of copying each through SQLite's
        // 2 MiB page cache: a report that reads much of a large archive spent most of its time in
        // read() calls (busiest-diplomats at 100,000 articles: 0.3 s of system time to nearly 0).
        archive
            .conn
            .pragma_update(None, "mmap_size", READ_MAP_BYTES)
            .map_err(|e| StoreError::sql(path, "cannot configure the connection", e))?;
        match archive.identify()? {
            FileKind::Empty | FileKind::Foreign => Err(StoreError::Foreign(path.to_owned())),
            FileKind::Parley { version } if version > latest_version() => Err(StoreError::Newer {
                path: path.to_owned(),
                found: version,
                known: latest_version(),
            }),
            FileKind::Parley { version } if version < latest_version() => {
                Err(StoreError::Outdated {
                    path: path.to_owned(),
                    found: version,
                    known: latest_version(),
                })
            }
            FileKind::Parley { .. } => Ok(archive),
        }
    }

    /// Every embedded migration with the date it was applied to the file at `path`, if it was.
    /// Does not create or change the file.
    pub fn migration_states(path: &Path) -> Result<Vec<MigrationState>> {
        let applied: Vec<(i64, String)> = if path.exists() {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| StoreError::sql(path, "cannot open the archive", e))?;
            let archive = Archive {
                conn,
                path: path.to_owned(),
            };
            match archive.identify()? {
                FileKind::Foreign => return Err(StoreError::Foreign(path.to_owned())),
                FileKind::Empty => Vec::new(),
                FileKind::Parley { .. } => archive.applied_migrations()?,
            }
        } else {
            Vec::new()
        };
        let mut states: Vec<MigrationState> = migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| MigrationState {
                version: i64::from(m.version()),
                name: m.name().to_string(),
                applied_on: applied
                    .iter()
                    .find(|(v, _)| *v == i64::from(m.version()))
                    .map(|(_, on)| on.clone()),
            })
            .collect();
        // A migration the archive has but this build does not know (written by a newer parley).
        for (version, on) in &applied {
            if !states.iter().any(|s| s.version == *version) {
                states.push(MigrationState {
                    version: *version,
                    name: "(unknown to this parley)".into(),
                    applied_on: Some(on.clone()),
                });
            }
        }
        states.sort_by_key(|s| s.version);
        Ok(states)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for read-only queries (`query`, `report`).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn configure(&self) -> Result<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .and_then(|_| self.conn.pragma_update(None, "foreign_keys", true))
            .map_err(|e| StoreError::sql(&self.path, "cannot configure the connection", e))
    }

    fn identify(&self) -> Result<FileKind> {
        let sql_err = |e| StoreError::sql(&self.path, "cannot read the database header", e);
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(sql_err)?;
        let app_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(sql_err)?;
        let user_version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql_err)?;
        if tables == 0 {
            return Ok(if app_id == 0 || app_id == APPLICATION_ID {
                FileKind::Empty
            } else {
                FileKind::Foreign
            });
        }
        let has_history: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'refinery_schema_history')",
                [],
                |r| r.get(0),
            )
            .map_err(sql_err)?;
        // A file whose first migration committed but whose header was not yet stamped is still ours, and
        // so is one that holds nothing but refinery's empty history: an import killed in its first migration.
        let ours = app_id == APPLICATION_ID
            || (app_id == 0
                && has_history
                && (self.has_table("articles")? || self.only_empty_history()?));
        if !ours {
            return Ok(FileKind::Foreign);
        }
        let recorded = if has_history {
            self.conn
                .query_row(
                    "SELECT max(version) FROM refinery_schema_history",
                    [],
                    |r| r.get::<_, Option<i64>>(0),
                )
                .map_err(sql_err)?
                .unwrap_or(0)
        } else {
            0
        };
        Ok(FileKind::Parley {
            version: recorded.max(user_version),
        })
    }

    /// Whether the only table is refinery's migration history, and it records nothing.
    fn only_empty_history(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name <> 'refinery_schema_history')
                    AND NOT EXISTS (SELECT 1 FROM refinery_schema_history)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::sql(&self.path, "cannot read the schema", e))
    }

    fn has_table(&self, name: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [name],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::sql(&self.path, "cannot read the schema", e))
    }

    fn applied_migrations(&self) -> Result<Vec<(i64, String)>> {
        if !self.has_table("refinery_schema_history")? {
            return Ok(Vec::new());
        }
        let read = || -> rusqlite::Result<Vec<(i64, String)>> {
            let mut stmt = self.conn.prepare(
                "SELECT version, applied_on FROM refinery_schema_history ORDER BY version",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        read().map_err(|e| StoreError::sql(&self.path, "cannot read the migration history", e))
    }

    /// Applies pending migrations in one transaction, then stamps the header so that other tools
    /// (and older or newer parleys) can tell what the file is.
    fn migrations_pending(&self) -> Result<bool> {
        let applied = self.applied_migrations()?;
        Ok(migrations::runner()
            .get_migrations()
            .iter()
            .any(|m| !applied.iter().any(|(v, _)| *v == i64::from(m.version()))))
    }

    fn migrate(&mut self) -> Result<()> {
        if self.migrations_pending()? {
            let run = migrations::runner()
                .set_grouped(true)
                .set_abort_divergent(true)
                .run(&mut self.conn);
            // Two parleys opening a new file at once both see it unmigrated; the one that loses the
            // race fails on tables the other just made. What counts is that the schema is complete.
            if let Err(source) = run
                && self.migrations_pending()?
            {
                return Err(self.migration_error(source));
            }
        }
        let app_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| StoreError::sql(&self.path, "cannot read the header", e))?;
        let user_version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| StoreError::sql(&self.path, "cannot read the header", e))?;
        if app_id != APPLICATION_ID || user_version != latest_version() {
            self.conn
                .pragma_update(None, "application_id", APPLICATION_ID)
                .and_then(|_| {
                    self.conn
                        .pragma_update(None, "user_version", latest_version())
                })
                .map_err(|e| StoreError::sql(&self.path, "cannot stamp the archive header", e))?;
        }
        Ok(())
    }

    /// A migration that failed because the file is locked or read-only says so; others keep refinery's words.
    fn migration_error(&self, source: refinery::Error) -> StoreError {
        use rusqlite::ffi::ErrorCode;
        if let refinery::error::Kind::Connection(_, cause) = source.kind() {
            match cause
                .downcast_ref::<rusqlite::Error>()
                .and_then(rusqlite::Error::sqlite_error_code)
            {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    return StoreError::Locked(self.path.clone());
                }
                Some(ErrorCode::ReadOnly) => return StoreError::ReadOnly(self.path.clone()),
                _ => {}
            }
        }
        StoreError::Migration {
            path: self.path.clone(),
            source,
        }
    }

    /// Whether an article with this content hash is stored.
    pub fn contains(&self, content_hash: &str) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM articles WHERE content_hash = ?1")
            .and_then(|mut stmt| stmt.query_row([content_hash], |_| Ok(())).optional())
            .map(|found| found.is_some())
            .map_err(|e| StoreError::sql(&self.path, "cannot look up an article", e))
    }
}

/// A writer killed mid-transaction leaves a hot journal, which a read-only connection cannot roll
/// back (SQLite refuses with SQLITE_READONLY_ROLLBACK). Where the file is writable, a read through a
/// read-write connection rolls it back to the last committed state, as any SQLite client does on
/// its first read; no committed row changes. A journal of a writer still running is left alone.
fn recover_interrupted_write(path: &Path) -> Result<()> {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let writable = std::fs::metadata(path).is_ok_and(|meta| !meta.permissions().readonly());
    if !writable || !Path::new(&journal).exists() {
        return Ok(());
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::sql(path, "cannot open the archive", e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .and_then(|_| conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())))
        .map_err(|e| StoreError::sql(path, "cannot roll back an interrupted write", e))
}

/// The content hash that makes imports idempotent: BLAKE3 of the stored text, in hex.
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_archive_is_migrated_and_stamped() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(&dir.path().join("a.db"))?;
        let version: i64 = archive
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        let app_id: i32 = archive
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        assert_eq!(app_id, APPLICATION_ID);
        Ok(())
    }

    #[test]
    fn an_archive_written_at_schema_4_is_searchable_and_counted_after_upgrading() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        {
            // What a parley of schema 4 left: its triggers indexed the rows for search.
            let mut conn = Connection::open(&path).unwrap();
            migrations::runner()
                .set_target(refinery::Target::Version(4))
                .run(&mut conn)
                .unwrap();
            conn.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 4;
                 INSERT INTO articles (id, content_hash, text, title, parser_version, imported_at, parsed_at)
                      VALUES (1, '{hash}', 'Ona Vell met Ilo Brandt.', 'Ferry talks', {version}, 't', 't');
                 INSERT INTO participants (id, name, name_key, created_at)
                      VALUES (1, 'Ona Vell', 'ona vell', 't'), (2, 'Ilo Brandt', 'ilo brandt', 't');
                 INSERT INTO article_participants (id, article_id, participant_id, name, span_start, span_end)
                      VALUES (1, 1, 1, 'Ona Vell', 0, 8), (2, 1, 2, 'Ilo Brandt', 13, 23);
                 INSERT INTO meetings (id, article_id, mode, status, span_start, span_end)
                      VALUES (1, 1, 'in_person', 'held', 0, 24);
                 INSERT INTO meeting_participants VALUES (1, 1), (1, 2);
                 INSERT INTO quotes (id, article_id, kind, text, article_participant_id, span_start, span_end)
                      VALUES (1, 1, 'direct', 'met', 1, 9, 12);",
                hash = "0".repeat(64),
                version = crate::parse::PARSER_VERSION,
            ))
            .unwrap();
        }
        let archive = Archive::open(&path)?;
        let report = archive.check()?;
        assert!(report.is_healthy(), "{report:?}");
        let (counts, roles, hits): (String, String, i64) = archive
            .conn
            .query_row(
                "SELECT (SELECT group_concat(participant_id || ':' || held_meetings || '/' || quotes, ' ')
                           FROM person_counts),
                        (SELECT group_concat(DISTINCT role) FROM article_participants),
                        (SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ferry')
                        + (SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'met')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (counts.as_str(), roles.as_str(), hits),
            ("1:1/1 2:1/0", "participant", 2)
        );
        Ok(())
    }
}
