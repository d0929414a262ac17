//! Files parley must recognise before anything may write them (issue 13, point 1): another
//! application's SQLite file with a leftover `-journal`, a text file with a stray `-journal` beside
//! it, parley's own archive with an interrupted write (read-only commands leave it to a writer), an
//! archive that an import killed in its first milliseconds left empty, and archives found in WAL mode.

use super::*;

/// Every command that opens the archive, read-only or writing, with what it needs besides.
fn every_command() -> Vec<Vec<&'static str>> {
    vec![
        vec!["import", "articles"],
        vec!["query", "SELECT 1"],
        vec!["report", "run", "busiest-diplomats"],
        vec!["check"],
        vec!["stats"],
        vec!["search", "talks"],
        vec!["export"],
        vec!["people", "list"],
        vec!["migrate", "--list"],
        vec!["migrate"],
        vec!["reparse"],
    ]
}

/// Leaves `db` and `db-journal` as a writer killed mid-transaction leaves them: pages of an
/// uncommitted transaction spilled into the file, the original pages in a hot journal.
fn interrupted_write(db: &Path, statements: &str) {
    let scratch = db.with_extension("scratch");
    fs::copy(db, &scratch).unwrap();
    let conn = Connection::open(&scratch).unwrap();
    conn.execute_batch(&format!("PRAGMA cache_size = 2; BEGIN; {statements}"))
        .unwrap();
    assert!(!conn.is_autocommit());
    let mut journal = scratch.as_os_str().to_owned();
    journal.push("-journal");
    let mut target_journal = db.as_os_str().to_owned();
    target_journal.push("-journal");
    fs::copy(db, db.with_extension("committed")).unwrap();
    fs::copy(&scratch, db).unwrap();
    fs::copy(Path::new(&journal), Path::new(&target_journal)).unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    fs::remove_file(&scratch).unwrap();
}

const FILL: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)";

#[test]
fn a_foreign_sqlite_file_with_a_leftover_journal_is_byte_identical_after_every_command() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    Connection::open(sb.db())
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
             {FILL} INSERT INTO notes (body) SELECT hex(randomblob(100)) FROM n;"
        ))
        .unwrap();
    interrupted_write(
        &sb.db(),
        &format!("{FILL} INSERT INTO notes (body) SELECT hex(randomblob(500)) FROM n;"),
    );
    let before = fs::read(sb.db()).unwrap();
    let journal = fs::read(sb.journal()).unwrap();
    assert_ne!(
        before,
        fs::read(sb.db().with_extension("committed")).unwrap()
    );
    for args in every_command() {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?} accepted the file");
        assert!(
            stderr(&out).contains("not a parley archive"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            fs::read(sb.db()).unwrap(),
            before,
            "{args:?} changed the file"
        );
        assert_eq!(
            fs::read(sb.journal()).unwrap(),
            journal,
            "{args:?} changed or removed the journal"
        );
    }
}

#[test]
fn a_text_file_with_a_stray_journal_beside_it_is_untouched() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    // A real journal, taken from a SQLite file, renamed to sit beside a text file.
    let other = sb.path("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE t (x); {FILL} INSERT INTO t SELECT hex(randomblob(100)) FROM n;"
        ))
        .unwrap();
    interrupted_write(
        &other,
        &format!("{FILL} INSERT INTO t SELECT randomblob(300) FROM n;"),
    );
    let notes = sb.path("notes.txt");
    fs::write(&notes, "Shopping: bread, tea.\n".repeat(200)).unwrap();
    fs::copy(sb.path("other.db-journal"), sb.path("notes.txt-journal")).unwrap();
    let before = fs::read(&notes).unwrap();
    for args in every_command() {
        let mut with_db = vec!["--db", "notes.txt"];
        with_db.extend(args.iter().copied());
        let out = sb.run(&with_db);
        assert!(!out.status.success(), "{args:?} accepted the text file");
        assert!(
            stderr(&out).contains("is not a SQLite database"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            fs::read(&notes).unwrap(),
            before,
            "{args:?} changed the text file"
        );
        assert!(sb.path("notes.txt-journal").exists());
    }
}

#[test]
fn a_read_only_command_never_rolls_back_an_interrupted_write_and_a_writer_does() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..20);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    interrupted_write(
        &sb.db(),
        &format!(
            "UPDATE articles SET title = 'overwritten';
             {FILL} INSERT INTO parse_issues (article_id, rule, message)
                    SELECT 1, 'filler', hex(randomblob(200)) FROM n;"
        ),
    );
    let before = fs::read(sb.db()).unwrap();
    for args in [
        vec!["query", "SELECT count(*) FROM articles"],
        vec!["check"],
        vec!["stats"],
        vec!["export"],
        vec!["migrate", "--list"],
    ] {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?} read a torn file");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("holds a write that was cut short"),
            "{args:?}: {err}"
        );
        assert!(err.contains("parley migrate"), "{args:?}: {err}");
        assert!(
            !err.contains("read-only"),
            "{args:?} called a writable file read-only: {err}"
        );
        assert_eq!(
            fs::read(sb.db()).unwrap(),
            before,
            "{args:?} wrote the file"
        );
        assert!(sb.journal().exists(), "{args:?} removed the journal");
    }
    let out = sb.run(&["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!sb.journal().exists());
    assert_eq!(
        fs::read(sb.db()).unwrap(),
        fs::read(sb.db().with_extension("committed")).unwrap(),
        "the rollback did not restore the committed file"
    );
    assert_eq!(sb.count("articles"), 20);
    sb.assert_sound();
}

#[test]
fn check_on_the_empty_file_of_an_import_killed_at_once_says_there_is_no_archive_yet() {
    let sb = Sandbox::new();
    fs::write(sb.db(), b"").unwrap();
    for args in [vec!["check"], vec!["query", "SELECT 1"]] {
        let out = sb.run(&args);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains("holds no archive yet"), "{args:?}: {err}");
        assert!(!err.contains("not a parley archive"), "{args:?}: {err}");
    }
    assert_eq!(fs::read(sb.db()).unwrap(), b"");
    write_articles(&sb.path("articles"), 0..2);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    assert_eq!(sb.count("articles"), 2);
}

/// Puts the archive in WAL mode with nothing in its `-wal`, as another client leaves it.
fn to_wal(sb: &Sandbox) {
    let conn = Connection::open(sb.db()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    assert!(!sb.path("parley.db-wal").exists());
    assert!(!sb.path("parley.db-shm").exists());
}

#[test]
fn querying_an_archive_left_in_wal_mode_creates_no_files_beside_it() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..3);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    to_wal(&sb);
    let before = fs::read(sb.db()).unwrap();
    assert_eq!(sb.count("articles"), 3);
    let out = sb.run(&["check"]);
    assert!(
        !out.status.success(),
        "check passed a file in WAL mode at rest"
    );
    assert!(
        stdout(&out).contains("WAL mode at rest"),
        "{}",
        stdout(&out)
    );
    assert!(!sb.path("parley.db-shm").exists(), "a reader created -shm");
    assert!(!sb.path("parley.db-wal").exists(), "a reader created -wal");
    assert_eq!(fs::read(sb.db()).unwrap(), before);
}

#[test]
fn importing_into_an_archive_found_in_wal_mode_returns_it_to_rollback_mode() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..6);
    write_articles(&sb.path("first"), 0..3);
    assert!(sb.import(&[Path::new("first")]).status.success());
    to_wal(&sb);
    let out = sb.import(&[Path::new("articles")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mode: String = Connection::open(sb.db())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert!(!sb.path("parley.db-wal").exists());
    assert_eq!(sb.count("articles"), 6);
    sb.assert_sound();
}
