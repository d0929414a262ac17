use super::*;

/// Whether the journal is hot: it exists and its header has been written (SQLite rolls back a
/// journal whose first byte is not zero once no process holds a lock on the database).
fn hot_journal(sb: &Sandbox) -> bool {
    fs::read(sb.journal()).is_ok_and(|bytes| bytes.first().is_some_and(|&b| b != 0))
}

/// Starts the import and kills it with SIGKILL in the middle of writing a batch: once a batch's
/// journal has its header and the database file has grown under it (so the journal is hot), or
/// at the fourth batch at the latest. Returns whether the journal left behind is hot.
fn kill_mid_write(sb: &Sandbox, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    let size = || fs::metadata(sb.db()).map(|m| m.len()).unwrap_or(0);
    let (mut batches, mut in_journal, mut size_at_start) = (0, false, 0);
    loop {
        assert!(
            Instant::now() < deadline,
            "the import neither wrote four batches nor finished"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import finished ({status}) before it could be killed: generate more articles"
            );
        }
        let journal = sb.journal().exists();
        if journal && !in_journal {
            batches += 1;
            size_at_start = size();
        }
        in_journal = journal;
        if (batches >= 2 && journal && size() != size_at_start && hot_journal(sb)) || batches >= 4 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    hot_journal(sb)
}

#[test]
fn an_import_killed_mid_write_leaves_whole_articles_and_a_second_import_completes_it() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2500);
    let expected = expected_rows(&sb, "articles");
    assert_fixture_has_rows(&expected);
    // The schema is in place first, so that every journal seen below belongs to a batch.
    write_articles(&sb.path("first"), 5000..5001);
    assert!(sb.import(&[Path::new("first")]).status.success());

    let mut child = sb.spawn_import(&[Path::new("articles")]);
    let hot = kill_mid_write(&sb, &mut child);
    eprintln!("killed with a hot journal left behind: {hot}");

    // A reader comes first. A read-only command never writes, so it leaves a hot journal to a
    // writer and says so; `migrate` (any writer) rolls it back. One killed before its header was
    // written is not hot: SQLite ignores it and the next writer replaces it.
    if hot {
        let out = sb.run(&["query", "SELECT count(*) FROM articles"]);
        assert!(!out.status.success(), "a reader read a torn file");
        assert!(
            stderr(&out).contains("holds a write that was cut short"),
            "{}",
            stderr(&out)
        );
        assert!(sb.journal().exists(), "a reader rolled the journal back");
        let out = sb.run(&["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            !sb.journal().exists(),
            "the interrupted write was not rolled back"
        );
    }
    // Then readers see the last committed state, not a torn one.
    let stored: Vec<_> = sb
        .stored_rows()
        .into_iter()
        .filter(|(path, _)| path.starts_with("articles/"))
        .collect();
    let kept = assert_whole_articles(&stored, &expected);
    assert!(
        kept.len() < expected.len(),
        "the kill came too late to test anything"
    );
    sb.assert_sound();

    let out = sb.import(&[Path::new("articles")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (inserted, unchanged, failed) = summary(&stderr(&out));
    assert_eq!(
        (inserted + unchanged, unchanged, failed),
        (expected.len() as u64, kept.len() as u64, 0)
    );
    let stored: Vec<_> = sb
        .stored_rows()
        .into_iter()
        .filter(|(path, _)| path.starts_with("articles/"))
        .collect();
    assert_eq!(
        assert_whole_articles(&stored, &expected).len(),
        expected.len()
    );
    assert_eq!(sb.count("articles"), expected.len() as i64 + 1);
    assert!(
        !sb.journal().exists(),
        "a journal outlived the import that completed the archive"
    );
    sb.assert_sound();
}

/// Copies the database and its journal while a transaction has spilled pages into the file:
/// exactly what a machine that lost power at that moment leaves on disk.
fn crash_image(sb: &Sandbox) -> Vec<u8> {
    let committed = fs::read(sb.db()).unwrap();
    let conn = Connection::open(sb.db()).unwrap();
    conn.execute_batch(
        "PRAGMA cache_size = 2;
         BEGIN;
         UPDATE articles SET title = 'overwritten ' || id;
         INSERT INTO parse_issues (article_id, rule, message)
              SELECT a.id, 'filler', hex(randomblob(200)) FROM articles a, generate_series(1, 200);",
    )
    .unwrap_or_else(|_| {
        // Without the generate_series extension: a recursive CTE does the same.
        conn.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO parse_issues (article_id, rule, message)
                  SELECT a.id, 'filler', hex(randomblob(200)) FROM articles a, n;",
        )
        .unwrap()
    });
    assert!(!conn.is_autocommit());
    fs::copy(sb.db(), sb.path("crash.db")).unwrap();
    fs::copy(sb.journal(), sb.path("crash.db-journal")).unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    assert_ne!(
        fs::read(sb.path("crash.db")).unwrap(),
        committed,
        "no page was spilled to the file"
    );
    committed
}

#[test]
fn a_write_cut_short_by_a_crash_is_left_by_query_and_rolled_back_by_the_next_writer() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..20);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let committed = crash_image(&sb);
    fs::rename(sb.path("crash.db"), sb.db()).unwrap();
    fs::rename(sb.path("crash.db-journal"), sb.journal()).unwrap();
    let torn = fs::read(sb.db()).unwrap();

    let sql = "SELECT count(*) AS n, count(*) FILTER (WHERE title LIKE 'overwritten%') AS overwritten FROM articles";
    let out = sb.run(&["query", "--format", "csv", sql]);
    assert!(!out.status.success(), "query read a torn file");
    assert_eq!(fs::read(sb.db()).unwrap(), torn, "query wrote the file");
    assert!(sb.journal().exists());

    let out = sb.run(&["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!sb.journal().exists());
    assert_eq!(
        fs::read(sb.db()).unwrap(),
        committed,
        "the rollback did not restore the committed file"
    );
    let out = sb.run(&["query", "--format", "csv", sql]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "n,overwritten\n20,0\n");
    sb.assert_sound();
}

#[test]
fn a_read_only_file_left_mid_write_is_refused_with_one_line_and_untouched() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..20);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    crash_image(&sb);
    fs::rename(sb.path("crash.db"), sb.db()).unwrap();
    fs::rename(sb.path("crash.db-journal"), sb.journal()).unwrap();
    fs::set_permissions(sb.db(), fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(sb.db()).unwrap();
    for args in [
        vec!["query", "SELECT 1"],
        vec!["check"],
        vec!["report", "run", "busiest-diplomats"],
    ] {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("holds a write that was cut short"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(fs::read(sb.db()).unwrap(), before);
    assert!(sb.journal().exists());
}

#[test]
fn an_import_killed_in_its_first_migration_leaves_a_file_parley_still_accepts() {
    let sb = Sandbox::new();
    // What a kill between refinery's history table and the first migration leaves behind.
    Connection::open(sb.db())
        .unwrap()
        .execute_batch(
            "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255),
                                                   applied_on VARCHAR(255), checksum VARCHAR(255));",
        )
        .unwrap();
    let out = sb.run(&["query", "SELECT 1"]);
    assert!(
        stderr(&out).contains("run `parley migrate"),
        "{}",
        stderr(&out)
    );
    write_articles(&sb.path("articles"), 0..3);
    let out = sb.import(&[Path::new("articles")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.count("articles"), 3);
    sb.assert_sound();
}
