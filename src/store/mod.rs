//! Storage: the only module that writes SQL. Opens (and recognises) archives, applies the embedded
//! refinery migrations, and writes parsed articles a batch per transaction, so that an article is
//! stored whole or not at all (a batch in which one fails is written again with a savepoint per
//! article: see `write.rs`). Reads for `query` and `report` go through [`Archive::open_read_only`].
//!
//! A file is recognised before anything may write to it: its header is read with plain file reads
//! (and, when the header alone cannot tell, its schema through an `immutable` connection that takes
//! no lock and never looks at a journal), so that SQLite never rolls back the hot journal of a file
//! that is not parley's. A read-only command never writes, not even to roll back parley's own
//! interrupted write: it says which command does.
//!
//! Concurrency (ARCHITECTURE.md, "Readers and writers"): rollback-journal mode (`DELETE`) at rest
//! and while writing; a writer that finds the file in WAL mode returns it to `DELETE`. Every
//! connection waits for another process's lock (up to [`WAIT_LIMIT`], saying so after a second)
//! instead of failing after a few seconds.

mod check;
mod counts;
pub mod identity;
mod people;
mod write;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
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

/// How long a connection waits for another process's lock before giving up: a writer waits for a
/// long query to finish (its commit needs every reader gone), a reader for a commit. Long enough
/// for any query or batch parley runs; Ctrl-C gives up sooner.
pub const WAIT_LIMIT: Duration = Duration::from_secs(600);

/// How long a wait goes unmentioned before parley says on stderr what it is waiting for.
const QUIET_WAIT: Duration = Duration::from_secs(1);

/// The 16 bytes every SQLite database file starts with.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The first 8 bytes of a rollback journal's header (SQLite's `aJournalMagic`).
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

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
    #[error(
        "the folder {0} is read-only; parley writes its journal beside the archive, so it cannot write there (make the folder writable, or use --db elsewhere)"
    )]
    ReadOnlyFolder(PathBuf),
    #[error("{0} is locked by another process; try again when it has finished")]
    Locked(PathBuf),
    #[error(
        "{0} holds a write that was cut short (its -journal file) and is read-only, so it cannot be rolled back; make it writable and run the command again"
    )]
    Interrupted(PathBuf),
    #[error(
        "{0} holds a write that was cut short (its -journal file); commands that only read never write, so roll it back first with `parley migrate --db {0}` (or any command that writes), then run this one again"
    )]
    InterruptedWritable(PathBuf),
    #[error(
        "{0} holds no archive yet (an import was cut short before its first commit); `parley import --db {0} FILE` writes one there"
    )]
    NoArchiveYet(PathBuf),
    #[error(
        "{0} is being written by another process (an import or reparse); run the command again when it has finished"
    )]
    Busy(PathBuf),
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
                return if writable(path) {
                    StoreError::InterruptedWritable(path.to_owned())
                } else {
                    StoreError::Interrupted(path.to_owned())
                };
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

/// What a writer may open: an empty file or parley's own archive at a version this parley knows.
fn refuse_unless_ours(path: &Path, kind: FileKind) -> Result<FileKind> {
    match kind {
        FileKind::Foreign => Err(StoreError::Foreign(path.to_owned())),
        FileKind::Parley { version } if version > latest_version() => Err(StoreError::Newer {
            path: path.to_owned(),
            found: version,
            known: latest_version(),
        }),
        kind => Ok(kind),
    }
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
        // Every write creates a `-journal` beside the file: in a folder parley cannot write, each
        // batch would fail, and each of its articles with it. Say it once, here.
        let folder = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if std::fs::metadata(folder).is_ok_and(|meta| meta.permissions().readonly()) {
            return Err(StoreError::ReadOnlyFolder(folder.to_owned()));
        }
        // Before SQLite sees the file: opening it read-write would roll back a hot journal beside it,
        // whoever's file it is.
        refuse_unless_ours(path, recognise(path)?)?;
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
        refuse_unless_ours(path, archive.identify()?)?;
        archive.leave_wal_mode()?;
        archive.migrate()?;
        Ok(archive)
    }

    /// A file another client left in WAL mode goes back to rollback-journal mode, parley's mode at
    /// rest (the `-wal` is checkpointed into the file and removed). Switching needs the file to
    /// itself: while another process has it open, it stays in WAL until a later writer finds it alone.
    fn leave_wal_mode(&self) -> Result<()> {
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(|e| StoreError::sql(&self.path, "cannot read the journal mode", e))?;
        if mode.eq_ignore_ascii_case("wal") {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
            {
                Ok(_) => {}
                Err(e) if is_busy(&e) => {}
                Err(e) => {
                    return Err(StoreError::sql(&self.path, "cannot leave WAL mode", e));
                }
            }
        }
        Ok(())
    }

    /// Opens an existing, fully migrated archive without any possibility of writing to it.
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        /// How much of the file a read-only connection maps (address space, not memory).
        const READ_MAP_BYTES: i64 = 1 << 30;
        if !path.exists() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        match recognise(path)? {
            FileKind::Empty => return Err(StoreError::NoArchiveYet(path.to_owned())),
            FileKind::Foreign => return Err(StoreError::Foreign(path.to_owned())),
            FileKind::Parley { .. } => {}
        }
        let conn = if wal_without_index(path)? {
            // A file in WAL mode with neither `-wal` nor `-shm` holds everything in itself, but a
            // plain read-only connection would create both files beside it. Read it as the
            // immutable file it is at this moment instead.
            open_immutable(path)
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
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
            refuse_unless_ours(path, recognise(path)?)?;
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| StoreError::sql(path, "cannot open the archive", e))?;
            configure_waiting(&conn, path)
                .map_err(|e| StoreError::sql(path, "cannot configure the connection", e))?;
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
        configure_waiting(&self.conn, &self.path)
            .and_then(|_| self.conn.pragma_update(None, "foreign_keys", true))
            .map_err(|e| StoreError::sql(&self.path, "cannot configure the connection", e))
    }

    fn identify(&self) -> Result<FileKind> {
        identify(&self.conn, &self.path)
    }
}

/// What the schema and header seen through `conn` say the file is.
fn identify(conn: &Connection, path: &Path) -> Result<FileKind> {
    Identify { conn, path }.kind()
}

/// The schema-reading half of recognising a file, on any connection to it.
struct Identify<'a> {
    conn: &'a Connection,
    path: &'a Path,
}

impl Identify<'_> {
    fn kind(&self) -> Result<FileKind> {
        let sql_err = |e| StoreError::sql(self.path, "cannot read the database header", e);
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
            .map_err(|e| StoreError::sql(self.path, "cannot read the schema", e))
    }

    fn has_table(&self, name: &str) -> Result<bool> {
        has_table(self.conn, self.path, name)
    }
}

fn has_table(conn: &Connection, path: &Path, name: &str) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )
    .map_err(|e| StoreError::sql(path, "cannot read the schema", e))
}

impl Archive {
    fn has_table(&self, name: &str) -> Result<bool> {
        has_table(&self.conn, &self.path, name)
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

    /// Whether an article with each of these content hashes is stored, in order: one statement in
    /// one read transaction for the lot.
    pub fn contains_each(&self, content_hashes: &[String]) -> Result<Vec<bool>> {
        if content_hashes.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(content_hashes).expect("strings always serialise");
        let held: std::collections::HashSet<String> = self
            .conn
            .prepare_cached(
                "SELECT content_hash FROM articles
                  WHERE content_hash IN (SELECT value FROM json_each(?1))",
            )
            .and_then(|mut stmt| {
                stmt.query_map([list], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(|e| StoreError::sql(&self.path, "cannot look up articles", e))?;
        Ok(content_hashes.iter().map(|h| held.contains(h)).collect())
    }
}

/// Whether the file's permissions let parley write it.
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| !meta.permissions().readonly())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi::ErrorCode;
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The file being waited for, and when the current wait began (SQLite's busy handler is a plain
/// function, so what it needs to know sits here; parley waits on one connection at a time).
static WAITING: Mutex<Option<(PathBuf, Option<Instant>, bool)>> = Mutex::new(None);

/// Makes `conn` wait for other processes' locks (see [`WAIT_LIMIT`]).
fn configure_waiting(conn: &Connection, path: &Path) -> rusqlite::Result<()> {
    if let Ok(mut waiting) = WAITING.lock() {
        *waiting = Some((path.to_owned(), None, false));
    }
    conn.busy_handler(Some(wait_for_lock))
}

/// SQLite's busy handler: sleeps a little and asks to try again, until [`WAIT_LIMIT`]. After
/// [`QUIET_WAIT`] it says once on stderr what it waits for, so that a waiting import is not taken
/// for a hung one.
fn wait_for_lock(attempt: i32) -> bool {
    let Ok(mut guard) = WAITING.lock() else {
        return false;
    };
    let Some((path, started, told)) = guard.as_mut() else {
        return false;
    };
    let now = Instant::now();
    let began = match started {
        Some(began) if attempt > 0 => *began,
        _ => {
            *started = Some(now);
            now
        }
    };
    let waited = now.duration_since(began);
    if waited >= WAIT_LIMIT {
        return false;
    }
    if waited >= QUIET_WAIT && !*told {
        *told = true;
        eprintln!(
            "parley: waiting for {}: another process is reading or writing it (up to {} minutes; Ctrl-C to give up)",
            path.display(),
            WAIT_LIMIT.as_secs() / 60
        );
    }
    drop(guard);
    let pause = match attempt {
        0..=9 => 1,
        10..=29 => 10,
        _ => 50,
    };
    std::thread::sleep(Duration::from_millis(pause));
    true
}

/// The first 100 bytes of a database file, or fewer if it is shorter.
fn header_bytes(path: &Path) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| StoreError::Sql {
        context: format!("cannot read {}", path.display()),
        source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut header = Vec::with_capacity(100);
    file.take(100).read_to_end(&mut header).map_err(io)?;
    Ok(header)
}

/// How many pages the file had when the transaction of its hot `-journal` began, if there is a
/// journal with a header: a rollback restores that size.
fn journal_original_pages(path: &Path) -> Option<u32> {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let file = std::fs::File::open(Path::new(&journal)).ok()?;
    let mut head = Vec::with_capacity(28);
    file.take(28).read_to_end(&mut head).ok()?;
    if head.len() < 28 || head[..8] != JOURNAL_MAGIC {
        return None;
    }
    Some(u32::from_be_bytes([head[16], head[17], head[18], head[19]]))
}

/// What the file at `path` is, judged without letting SQLite write to it: the header with plain
/// reads (a file that is not SQLite is never opened by SQLite at all), then, when the header's
/// `application_id` is not set, the schema through an immutable connection, which reads the file as
/// it is on disk and neither locks it nor rolls back a journal.
fn recognise(path: &Path) -> Result<FileKind> {
    if !path.exists() {
        return Ok(FileKind::Empty);
    }
    let header = header_bytes(path)?;
    if header.is_empty() {
        return Ok(FileKind::Empty);
    }
    if header.len() < 100 || header[..16] != SQLITE_MAGIC[..] {
        return Err(StoreError::NotSqlite(path.to_owned()));
    }
    let word = |at: usize| [header[at], header[at + 1], header[at + 2], header[at + 3]];
    let app_id = i32::from_be_bytes(word(68));
    let user_version = i64::from(i32::from_be_bytes(word(60)));
    if app_id == APPLICATION_ID {
        return Ok(FileKind::Parley {
            version: user_version,
        });
    }
    if app_id != 0 {
        return Ok(FileKind::Foreign);
    }
    // The interrupted transaction began on an empty file: rolling it back empties the file again.
    if journal_original_pages(path) == Some(0) {
        return Ok(FileKind::Empty);
    }
    let kind = open_immutable(path).and_then(|conn| {
        identify(&conn, path).map_err(|e| match e {
            StoreError::Sql { source, .. } => source,
            other => rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(
                other.to_string(),
            ))),
        })
    });
    match kind {
        Ok(FileKind::Empty) if journal_original_pages(path).is_some() => Ok(FileKind::Foreign),
        Ok(kind) => Ok(kind),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(StoreError::NotSqlite(path.to_owned()))
        }
        // Unreadable as it stands (pages torn by a crash): not recognisably parley's.
        Err(_) => Ok(FileKind::Foreign),
    }
}

/// A connection that reads the file exactly as it is on disk: `immutable=1` takes no locks and
/// ignores (never rolls back) any journal, and nothing can be written through it.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut uri = String::from("file:");
    for byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(*byte));
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Whether the file is in WAL mode (header bytes 18 and 19) with no `-wal` or `-shm` beside it.
fn wal_without_index(path: &Path) -> Result<bool> {
    let header = header_bytes(path)?;
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    Ok(header.len() >= 20
        && header[18] == 2
        && header[19] == 2
        && !beside("-wal")
        && !beside("-shm"))
}

/// The content hash that makes imports idempotent: BLAKE3 of the stored text, in hex.
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// Articles built by hand for the store's unit tests (no parser involved).
#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{Article, Parsed, Participant};
    use crate::store::ImportedArticle;

    /// An article of `text` whose only records are `people`, as participants.
    pub(crate) fn article(text: &str, people: Vec<Participant>) -> ImportedArticle {
        ImportedArticle {
            parsed: Parsed {
                article: Article {
                    title: None,
                    published: None,
                    source: None,
                    url: None,
                    categories: vec![],
                    text: text.into(),
                    dateline_place: None,
                    published_from: None,
                },
                participants: people,
                prospective: vec![],
                meetings: vec![],
                quotes: vec![],
                issues: vec![],
            },
            raw: None,
            raw_format: "text",
            path: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_recognised_as_not_sqlite_from_its_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "Shopping: bread, tea.\n".repeat(20)).unwrap();
        assert!(matches!(recognise(&path), Err(StoreError::NotSqlite(_))));
        assert!(matches!(
            Archive::open(&path),
            Err(StoreError::NotSqlite(_))
        ));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "Shopping: bread, tea.\n".repeat(20)
        );
    }

    #[test]
    fn a_file_stamped_by_another_application_is_foreign_without_opening_it() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA application_id = 77; CREATE TABLE t (x);")
            .unwrap();
        assert_eq!(recognise(&path)?, FileKind::Foreign);
        assert_eq!(recognise(&dir.path().join("absent.db"))?, FileKind::Empty);
        Ok(())
    }

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
                hash = content_hash("Ona Vell met Ilo Brandt."),
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
